#include "transcode/AudioLane.h"

#include "util/FfmpegError.h"

extern "C" {
#include <libavutil/channel_layout.h>
}

#include <string>

namespace hlsforge {

namespace {
constexpr int kAudioSampleRateHz = 48000;
} // namespace

Status AudioLane::open(AVStream* stream, const QString& path, int audioKbps, int64_t startTimeUs,
                       double lengthSeconds, bool pad) {
    m_startTimeUs = startTimeUs;
    Status s = m_decoder.open(stream, path, 0);
    if (!s.isOk())
        return s;
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (!codec)
        return Status::error(Status::Code::Internal,
                             QStringLiteral("AAC encoder is not available"));
    av::CodecContextPtr encoder(avcodec_alloc_context3(codec));
    AVCodecContext* enc = encoder.get();
    enc->sample_rate = kAudioSampleRateHz;
    enc->sample_fmt = AV_SAMPLE_FMT_FLTP;
    av_channel_layout_default(&enc->ch_layout, 2);
    enc->bit_rate = int64_t(audioKbps) * 1000;
    enc->time_base = AVRational{1, kAudioSampleRateHz};
    enc->profile = FF_PROFILE_AAC_LOW;
    enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    const int rc = avcodec_open2(enc, codec, nullptr);
    if (rc < 0)
        return Status::error(
            Status::Code::Internal,
            QStringLiteral("cannot open the AAC encoder (%1)").arg(av::errorString(rc)));
    // Mono is duplicated, 5.1 downmixed, 44.1 kHz resampled: players expect 48 kHz stereo.
    // first_pts=0: audio that starts after the video is preceded by silence and audio before
    // it is cut, so every segment starts its audio with its video (lip sync in each rung).
    std::string filters =
        "aresample=" + std::to_string(kAudioSampleRateHz) + ":async=1000:first_pts=0";
    if (lengthSeconds > 0) {
        const std::string length = std::to_string(lengthSeconds);
        if (pad)
            filters += ",apad=whole_dur=" + length;
        filters += ",atrim=end=" + length;
    }
    filters += ",aformat=sample_fmts=fltp:sample_rates=" + std::to_string(kAudioSampleRateHz) +
               ":channel_layouts=stereo";
    s = m_graph.initAudio(m_decoder.context(), stream->time_base, filters, enc->frame_size);
    if (!s.isOk())
        return s;
    m_encoder = std::move(encoder);
    return Status::ok();
}

Status AudioLane::decode(AVPacket* packet) {
    AVCodecContext* dec = m_decoder.context();
    int rc = avcodec_send_packet(dec, packet);
    if (rc < 0 && rc != AVERROR_EOF)
        return Status::ok(); // a damaged audio packet is skipped; the gap is filled by aresample
    for (;;) {
        rc = avcodec_receive_frame(dec, m_frame.get());
        if (rc == AVERROR(EAGAIN))
            return Status::ok();
        if (rc == AVERROR_EOF)
            return packet ? Status::ok() : drainGraph();
        if (rc < 0)
            return Status::ok();
        Status s = handleDecoded(m_frame.get());
        av_frame_unref(m_frame.get());
        if (!s.isOk())
            return s;
    }
}

Status AudioLane::handleDecoded(AVFrame* frame) {
    const AVRational tb = m_decoder.stream()->time_base;
    const int64_t pts = frame->best_effort_timestamp;
    if (pts != AV_NOPTS_VALUE)
        frame->pts = pts - av_rescale_q(m_startTimeUs, AV_TIME_BASE_Q, tb);
    m_lastPts = frame->pts;
    Status s = m_graph.push(frame);
    if (!s.isOk())
        return s;
    return m_graph.pullEach(m_filtered.get(), [this](AVFrame* f) { return encode(f); });
}

Status AudioLane::drainGraph() {
    Status s = m_graph.close(m_lastPts == AV_NOPTS_VALUE ? 0 : m_lastPts + 1);
    if (s.isOk())
        s = m_graph.pullEach(m_filtered.get(), [this](AVFrame* f) { return encode(f); });
    if (!s.isOk())
        return s;
    return encode(nullptr);
}

Status AudioLane::encode(AVFrame* frame) {
    AVCodecContext* enc = m_encoder.get();
    int rc = avcodec_send_frame(enc, frame);
    if (rc < 0 && rc != AVERROR_EOF)
        return Status::error(Status::Code::Internal,
                             QStringLiteral("AAC encoding failed (%1)").arg(av::errorString(rc)));
    for (;;) {
        av::PacketPtr packet = av::makePacket();
        rc = avcodec_receive_packet(enc, packet.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return Status::ok();
        if (rc < 0)
            return Status::error(
                Status::Code::Internal,
                QStringLiteral("AAC encoding failed (%1)").arg(av::errorString(rc)));
        if (m_sink) {
            Status s = m_sink(std::move(packet));
            if (!s.isOk())
                return s;
        }
    }
}

} // namespace hlsforge
