#include "transcode/RenditionEncoder.h"

#include "transcode/VideoEncoder.h"
#include "util/FfmpegError.h"

#include <QDir>

extern "C" {
#include <libavutil/opt.h>
}

#include <cmath>

#ifdef __linux__
#include <pthread.h>
#endif

namespace hlsforge {

namespace {

Status encodeError(const QString& rung, const QString& what, int rc) {
    return Status::error(
        Status::Code::Internal,
        QStringLiteral("rendition %1: %2 (%3)").arg(rung, what, av::errorString(rc)),
        av::errorString(rc));
}

Status ioError(const QString& path, int rc) {
    QString cause;
    if (rc == AVERROR(ENOSPC))
        cause = QStringLiteral("disk full (no space left on device)");
    else if (rc == AVERROR(EACCES) || rc == AVERROR(EPERM) || rc == AVERROR(EROFS))
        cause = QStringLiteral("not writable (%1)").arg(av::errorString(rc));
    else
        cause = QStringLiteral("cannot write (%1)").arg(av::errorString(rc));
    return Status::error(Status::Code::IoError, QStringLiteral("%1: %2").arg(path, cause),
                         av::errorString(rc));
}

} // namespace

RenditionEncoder::RenditionEncoder(RenditionConfig config, const std::atomic<bool>* cancel,
                                   std::shared_ptr<av::LogCollector> log)
    : m_config(std::move(config)), m_cancel(cancel), m_log(std::move(log)) {}

RenditionEncoder::~RenditionEncoder() {
    m_queue.abort();
    join();
}

Status RenditionEncoder::openProgressive() {
    const QByteArray path = m_config.progressivePath.toUtf8();
    AVFormatContext* raw = nullptr;
    int rc = avformat_alloc_output_context2(&raw, nullptr, "mp4", path.constData());
    if (rc < 0)
        return encodeError(m_config.rung.name, QStringLiteral("cannot create the MP4 muxer"), rc);
    m_mp4.reset(raw);
    m_mp4->opaque = this;
    m_mp4->io_open = &RenditionEncoder::ioOpen;
    m_mp4->io_close2 = &RenditionEncoder::ioClose;
    AVStream* video = avformat_new_stream(m_mp4.get(), nullptr);
    avcodec_parameters_from_context(video->codecpar, m_encoder.get());
    video->codecpar->codec_tag = m_mp4Tag;
    video->time_base = m_encoder->time_base;
    video->avg_frame_rate = m_config.frameRate;
    if (m_config.audioEncoder) {
        AVStream* audio = avformat_new_stream(m_mp4.get(), nullptr);
        avcodec_parameters_from_context(audio->codecpar, m_config.audioEncoder);
        audio->time_base = m_config.audioEncoder->time_base;
    }
    AVIOContext* file = nullptr;
    rc = avio_open2(&file, path.constData(), AVIO_FLAG_WRITE, nullptr, nullptr);
    if (rc < 0)
        return ioError(m_config.progressivePath, rc);
    // Ours to close (an unfinished file goes with the staging folder anyway).
    m_mp4File.reset(file);
    m_mp4->pb = file;
    AVDictionary* options = nullptr;
    // moov before mdat: a browser can start playing and seek with Range requests at once.
    av_dict_set(&options, "movflags", "+faststart", 0);
    rc = avformat_write_header(m_mp4.get(), &options);
    av_dict_free(&options);
    if (rc < 0)
        return ioStatus(ioError(m_config.progressivePath, rc));
    return Status::ok();
}

// The very packets the rung's HLS muxer gets: no second encode, identical video.
Status RenditionEncoder::writeProgressive(const AVPacket* packet, AVRational from,
                                          int streamIndex) {
    if (!m_mp4 || streamIndex >= int(m_mp4->nb_streams))
        return Status::ok();
    av::PacketPtr copy = av::refPacket(packet);
    copy->stream_index = streamIndex;
    av_packet_rescale_ts(copy.get(), from, m_mp4->streams[streamIndex]->time_base);
    const int rc = av_interleaved_write_frame(m_mp4.get(), copy.get());
    if (rc < 0)
        return ioStatus(ioError(m_config.progressivePath, rc));
    return Status::ok();
}

QString RenditionEncoder::playlistPath() const {
    return m_config.directory + QStringLiteral("/index.m3u8");
}

Status RenditionEncoder::status() const {
    std::lock_guard lock(m_statusMutex);
    return m_status;
}

void RenditionEncoder::fail(const Status& status) {
    std::lock_guard lock(m_statusMutex);
    m_status.update(status);
}

// The muxer opens every segment and playlist through these, so a write error on any file
// (disk full, permissions) is caught even where the HLS muxer itself would ignore it.
int RenditionEncoder::ioOpen(AVFormatContext* s, AVIOContext** pb, const char* url, int flags,
                             AVDictionary** options) {
    auto* self = static_cast<RenditionEncoder*>(s->opaque);
    const int rc = avio_open2(pb, url, flags, &s->interrupt_callback, options);
    if (rc < 0 && self->m_ioStatus.isOk())
        self->m_ioStatus = ioError(QString::fromUtf8(url), rc);
    return rc;
}

int RenditionEncoder::ioClose(AVFormatContext* s, AVIOContext* pb) {
    auto* self = static_cast<RenditionEncoder*>(s->opaque);
    if (!pb)
        return 0;
    av::AvioPtr file(pb); // opened by ioOpen: ours to close
    int rc = 0;
    const int failure = av::closeWritten(file, &rc);
    if (failure < 0 && self->m_ioStatus.isOk())
        self->m_ioStatus = ioError(self->m_config.directory, failure);
    return rc;
}

Status RenditionEncoder::ioStatus(const Status& fallback) const {
    return m_ioStatus.isOk() ? fallback : m_ioStatus;
}

Status RenditionEncoder::open() {
    const RenditionConfig& c = m_config;
    m_framesIn = c.firstFrame; // keyframes by frame count follow the absolute frame numbers
    const QString rung = c.rung.name;
    if (!QDir().mkpath(c.directory))
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot create folder").arg(c.directory));

    VideoEncoderSettings settings;
    settings.codec = c.rung.codec;
    settings.rungName = rung;
    settings.width = c.rung.width;
    settings.height = c.rung.height;
    settings.timeBase = c.frameTimeBase;
    settings.frameRate = c.frameRate;
    settings.videoKbps = c.rung.videoKbps;
    settings.maxKbps = c.rung.maxKbps;
    settings.bufferKbits = c.rung.bufferKbits;
    settings.gopFrames = c.gopFrames;
    settings.x264Preset = c.x264Preset;
    settings.x265Preset = c.x265Preset;
    settings.svtAv1Preset = c.svtAv1Preset;
    settings.threads = c.encoderThreads;
    settings.hdrRange = c.hdrRange;
    settings.hdrMetadata = c.hdrMetadata;
    StatusOr<OpenedVideoEncoder> opened = openVideoEncoder(settings);
    if (!opened.isOk())
        return opened.status();
    m_encoder = std::move(opened->context);
    m_codecString = opened->codecString;
    m_mp4Tag = opened->mp4Tag;
    AVCodecContext* enc = m_encoder.get();
    int rc = 0;

    const QByteArray playlist = playlistPath().toUtf8();
    AVFormatContext* raw = nullptr;
    rc = avformat_alloc_output_context2(&raw, nullptr, "hls", playlist.constData());
    if (rc < 0)
        return encodeError(rung, QStringLiteral("cannot create the HLS muxer"), rc);
    m_muxer.reset(raw);
    m_muxer->opaque = this;
    m_muxer->io_open = &RenditionEncoder::ioOpen;
    m_muxer->io_close2 = &RenditionEncoder::ioClose;

    m_videoStream = avformat_new_stream(m_muxer.get(), nullptr);
    avcodec_parameters_from_context(m_videoStream->codecpar, enc);
    m_videoStream->codecpar->codec_tag = m_mp4Tag; // the HLS muxer hands it to its MP4 muxer
    m_videoStream->time_base = enc->time_base;
    m_videoStream->avg_frame_rate = c.frameRate;
    m_audioTimeBase = c.audioEncoder ? c.audioEncoder->time_base : m_audioTimeBase;
    if (c.audioEncoder && c.audioInHls) {
        m_audioStream = avformat_new_stream(m_muxer.get(), nullptr);
        avcodec_parameters_from_context(m_audioStream->codecpar, c.audioEncoder);
        m_audioStream->time_base = c.audioEncoder->time_base;
        m_audioTimeBase = c.audioEncoder->time_base;
    }

    const bool fmp4 = isFmp4(c.segmentFormat);
    const bool single = isByteRange(c.segmentFormat);
    const QString ext = fmp4 ? QStringLiteral("m4s") : QStringLiteral("ts");
    const QString segmentPattern = single ? QStringLiteral("%1/stream.%2").arg(c.directory, ext)
                                          : QStringLiteral("%1/seg_%05d.%2").arg(c.directory, ext);
    AVDictionary* options = nullptr;
    if (fmp4 || c.chunk) {
        // A chunk's timestamps are the source's own (its first DTS is far from negative);
        // writeVideoPacket adds the shift a whole TS ladder gets.
        //
        // Every codec's first frame presents at 0, whatever its encoder's reorder delay. By
        // default libavformat shifts a muxer's timestamps until the first DTS is 0, and the
        // shift depends on the rung's encoder: x264/x265 with B-frames start at DTS -2 frames
        // (first frame at 0.080 s at 25 fps), SVT-AV1 has no reorder delay and only AAC's
        // priming moved it (0.021 s) - segment starts 2 frames apart across codecs (the
        // checker's segments-aligned). Left unshifted, the HLS muxer's MP4 muxer writes an
        // edit list per track instead (video: starts at PTS 0; audio: skips the priming); a
        // player that ignored edit lists would see the same 0.080 s start as before.
        // TS keeps libavformat's shift: a TS ladder is all H.264 with one x264 preset.
        av_dict_set(&options, "avoid_negative_ts", "disabled", 0);
    }
    if (c.tsOffsetSeconds > 0 && !fmp4 && !c.chunk) {
        av_dict_set(&options, "avoid_negative_ts", "disabled", 0);
        av_dict_set(&options, "output_ts_offset",
                    QByteArray::number(c.tsOffsetSeconds, 'f', 3).constData(), 0);
    }
    av_dict_set(&options, "hls_time", QByteArray::number(c.segmentSeconds, 'f', 3).constData(), 0);
    av_dict_set(&options, "hls_playlist_type", "vod", 0);
    av_dict_set(&options, "hls_list_size", "0", 0);
    av_dict_set(&options, "hls_segment_type", fmp4 ? "fmp4" : "mpegts", 0);
    av_dict_set(&options, "hls_flags",
                single ? "independent_segments+single_file" : "independent_segments", 0);
    av_dict_set(&options, "hls_segment_filename", segmentPattern.toUtf8().constData(), 0);
    if (c.chunk) {
        av_dict_set(&options, "start_number", QByteArray::number(c.firstSegment).constData(), 0);
        // The MP4 muxer counts a track's fragment times (tfdt) from its own first packet, and
        // puts the offset into the init segment's edit list: a chunk's segments would start at
        // 0. frag_discont makes the fragments carry the packets' own (absolute) times, so
        // every chunk's segments play after chunk 0's init segment (measured: equal to a
        // one-machine ladder's times, docs/cluster.md).
        if (fmp4)
            av_dict_set(&options, "hls_segment_options", "movflags=+frag_discont", 0);
    }
    if (fmp4)
        av_dict_set(&options, "hls_fmp4_init_filename", "init.mp4", 0);
    rc = avformat_write_header(m_muxer.get(), &options);
    av_dict_free(&options);
    if (rc < 0)
        return ioStatus(encodeError(rung, QStringLiteral("cannot start the HLS muxer"), rc));
    m_headerWritten = true;
    if (c.measureQuality) {
        Status measuring = m_quality.open(enc, rung, c.qualityThreads);
        if (!measuring.isOk())
            return measuring;
    }
    if (!c.progressivePath.isEmpty())
        return openProgressive();
    return Status::ok();
}

void RenditionEncoder::start() {
    m_thread = std::thread([this] { run(); });
}

void RenditionEncoder::join() {
    if (m_thread.joinable())
        m_thread.join();
}

void RenditionEncoder::run() {
#ifdef __linux__
    // "hf rung 720p" in top and perf: where the time goes, per rung.
    pthread_setname_np(
        pthread_self(),
        QStringLiteral("hf rung %1").arg(m_config.rung.name).left(15).toUtf8().constData());
#endif
    av::LogCapture capture(m_log);
    PipelineItem item;
    while (m_queue.pop(&item)) {
        if (m_cancel && m_cancel->load()) {
            fail(Status::cancelled());
            break;
        }
        Status step;
        if (item.endOfStream) {
            step = finish();
            if (!step.isOk())
                fail(step);
            break;
        }
        if (item.frame)
            step = handleFrame(item.frame.get());
        else if (item.audio)
            step = writeAudioPacket(item.audio.get());
        if (!step.isOk()) {
            fail(step);
            break;
        }
        item = PipelineItem();
    }
    // Whatever happened, nobody may wait on this queue any more.
    m_queue.abort();
    finished.store(true);
}

Status RenditionEncoder::handleFrame(AVFrame* frame) {
    if (!m_scaler.isReady()) {
        // HDR rungs scale the 10-bit stream and stay 10-bit.
        char filters[256];
        snprintf(filters, sizeof filters, "scale=%d:%d:flags=bicubic,format=%s,setsar=1",
                 m_config.rung.width, m_config.rung.height,
                 m_config.hdrRange.isEmpty() ? "yuv420p" : "yuv420p10le");
        Status s =
            m_scaler.initVideo(frame, m_config.frameTimeBase, m_config.frameRate, filters, 1);
        if (!s.isOk())
            return s;
    }
    Status s = m_scaler.push(frame);
    if (!s.isOk())
        return s;
    m_lastPts = frame->pts;
    return m_scaler.pullEach(m_scaled.get(), [this](AVFrame* scaled) { return encode(scaled); });
}

Status RenditionEncoder::encode(AVFrame* frame) {
    AVCodecContext* enc = m_encoder.get();
    if (frame) {
        // Force an IDR on the first frame at or after each GOP boundary. The decision depends
        // only on the timestamp (or, with AV1 rungs in the ladder, the frame's index), and
        // every rung sees the same frames, so all rungs place their keyframes - and the muxer
        // its segment cuts - at the same instants.
        const double seconds = frame->pts * av_q2d(enc->time_base);
        const auto gopIndex = m_config.keyframesByFrameCount
                                  ? m_framesIn / std::max(1, m_config.gopFrames)
                                  : int64_t(std::floor(seconds / m_config.gopSeconds + 1e-6));
        ++m_framesIn;
        if (gopIndex > m_lastGopIndex) {
            frame->pict_type = AV_PICTURE_TYPE_I;
            m_lastGopIndex = gopIndex;
        } else {
            frame->pict_type = AV_PICTURE_TYPE_NONE;
        }
    }
    if (frame && m_quality.isOpen()) {
        Status kept = m_quality.addReference(frame);
        if (!kept.isOk())
            return kept;
    }
    int rc = avcodec_send_frame(enc, frame);
    if (rc < 0)
        return encodeError(m_config.rung.name, QStringLiteral("encoder refused a frame"), rc);
    for (;;) {
        rc = avcodec_receive_packet(enc, m_packet.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return Status::ok();
        if (rc < 0)
            return encodeError(m_config.rung.name, QStringLiteral("encoding failed"), rc);
        Status s = writeVideoPacket(m_packet.get());
        av_packet_unref(m_packet.get());
        if (!s.isOk())
            return s;
    }
}

Status RenditionEncoder::writeVideoPacket(AVPacket* packet) {
    const AVRational tb = m_encoder->time_base;
    const double endSeconds = (packet->pts + std::max<int64_t>(packet->duration, 1)) * av_q2d(tb);
    if (endSeconds > secondsEncoded.load())
        secondsEncoded.store(endSeconds);
    framesEncoded.fetch_add(1);
    if (m_quality.isOpen()) { // before the muxer rescales the packet to its own time base
        Status measured = m_quality.addPacket(packet);
        if (!measured.isOk())
            return measured;
    }
    Status copied = writeProgressive(packet, tb, 0);
    if (!copied.isOk())
        return copied;
    packet->stream_index = m_videoStream->index;
    if (m_config.chunk && !isFmp4(m_config.segmentFormat)) {
        // A whole TS ladder's first packet (PTS 0) has DTS -delay, so libavformat shifts every
        // timestamp by +delay; the same shift here keeps a chunk on the whole ladder's times.
        // With unmuxed audio (a chunked ladder's audio index) both move by the fixed offset
        // instead, as a whole ladder with audio renditions does.
        if (m_chunkShift == AV_NOPTS_VALUE)
            m_chunkShift = m_config.tsOffsetSeconds > 0
                               ? av_rescale_q(std::llround(m_config.tsOffsetSeconds * 1000),
                                              AVRational{1, 1000}, tb)
                               : packet->pts - packet->dts;
        packet->pts += m_chunkShift;
        packet->dts += m_chunkShift;
    }
    av_packet_rescale_ts(packet, tb, m_videoStream->time_base);
    const int rc = av_interleaved_write_frame(m_muxer.get(), packet);
    if (rc < 0)
        return ioStatus(ioError(m_config.directory, rc));
    if (!m_ioStatus.isOk())
        return m_ioStatus;
    return Status::ok();
}

Status RenditionEncoder::writeAudioPacket(AVPacket* packet) {
    Status copied = writeProgressive(packet, m_audioTimeBase, 1);
    if (!copied.isOk() || !m_audioStream)
        return copied;
    packet->stream_index = m_audioStream->index;
    av_packet_rescale_ts(packet, m_audioTimeBase, m_audioStream->time_base);
    const int rc = av_interleaved_write_frame(m_muxer.get(), packet);
    if (rc < 0)
        return ioStatus(ioError(m_config.directory, rc));
    return m_ioStatus;
}

Status RenditionEncoder::finish() {
    if (m_scaler.isReady()) {
        Status s = m_scaler.close(m_lastPts + 1);
        if (s.isOk())
            s = m_scaler.pullEach(m_scaled.get(),
                                  [this](AVFrame* scaled) { return encode(scaled); });
        if (!s.isOk())
            return s;
    }
    Status s = encode(nullptr);
    if (s.isOk())
        s = m_quality.finish();
    if (!s.isOk())
        return s;
    int rc = av_write_trailer(m_muxer.get());
    m_headerWritten = false;
    if (rc < 0)
        return ioStatus(ioError(m_config.directory, rc));
    if (m_mp4) {
        rc = av_write_trailer(m_mp4.get()); // faststart: moves moov to the front here
        if (rc < 0)
            return ioStatus(ioError(m_config.progressivePath, rc));
        m_mp4->pb = nullptr;
        rc = av::closeWritten(m_mp4File);
        if (rc < 0)
            return ioError(m_config.progressivePath, rc);
    }
    return m_ioStatus;
}

} // namespace hlsforge
