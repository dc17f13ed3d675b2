#include "av/Decoder.h"

#include "util/FfmpegError.h"

namespace hlsforge::av {

Status Decoder::open(AVStream* stream, const QString& path, int threads) {
    Status s = openParameters(stream->codecpar, stream->time_base, path, threads);
    if (s.isOk())
        m_stream = stream;
    return s;
}

Status Decoder::openParameters(const AVCodecParameters* parameters, AVRational packetTimeBase,
                               const QString& what, int threads) {
    m_context.reset();
    m_stream = nullptr;
    m_draining = false;
    m_packetsSent = 0;
    const AVCodec* codec = avcodec_find_decoder(parameters->codec_id);
    if (!codec)
        return Status::error(
            Status::Code::InvalidInput,
            QStringLiteral("%1: no decoder for %2")
                .arg(what, QString::fromUtf8(avcodec_get_name(parameters->codec_id))));
    CodecContextPtr context(avcodec_alloc_context3(codec));
    if (!context)
        return Status::error(Status::Code::Internal, QStringLiteral("out of memory"));
    int rc = avcodec_parameters_to_context(context.get(), parameters);
    if (rc >= 0) {
        context->pkt_timebase = packetTimeBase;
        context->thread_count = threads;
        rc = avcodec_open2(context.get(), codec, nullptr);
    }
    if (rc < 0)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: cannot decode %2 (%3)")
                                 .arg(what, QString::fromUtf8(codec->name), errorString(rc)));
    m_context = std::move(context);
    return Status::ok();
}

int Decoder::sendPacket(const AVPacket* packet) {
    return avcodec_send_packet(m_context.get(), packet);
}

int Decoder::receiveFrame(AVFrame* frame) {
    return avcodec_receive_frame(m_context.get(), frame);
}

int Decoder::nextFrame(InputFile& input, AVFrame* frame, int* packetBudget) {
    for (;;) {
        const int rc = avcodec_receive_frame(m_context.get(), frame);
        if (rc >= 0 || rc == AVERROR_EOF)
            return rc;
        if (m_draining)
            return AVERROR_EOF; // a decoder error while draining: nothing more will come
        // EAGAIN (wants input) or a damaged frame: read on.
        if (*packetBudget <= 0 || input.read(m_packet.get()) < 0) {
            m_draining = true;
            avcodec_send_packet(m_context.get(), nullptr);
            continue;
        }
        --*packetBudget;
        if (m_packet->stream_index == m_stream->index) {
            avcodec_send_packet(m_context.get(), m_packet.get());
            ++m_packetsSent;
        }
        av_packet_unref(m_packet.get());
    }
}

void Decoder::flush() {
    avcodec_flush_buffers(m_context.get());
    m_draining = false;
    m_packetsSent = 0;
}

} // namespace hlsforge::av
