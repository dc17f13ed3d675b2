#include "transcode/AudioRendition.h"

#include "util/FfmpegError.h"

#include <QDir>

extern "C" {
#include <libavformat/avformat.h>
}

namespace hlsforge {

AudioRendition::AudioRendition(QString directory, SegmentFormat format, double segmentSeconds,
                               double tsOffsetSeconds)
    : m_directory(std::move(directory)), m_format(format), m_segmentSeconds(segmentSeconds),
      m_tsOffsetSeconds(tsOffsetSeconds) {}

Status AudioRendition::open(const AVCodecContext* audioEncoder) {
    if (!QDir().mkpath(m_directory))
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot create the folder").arg(m_directory));
    const QByteArray playlist = (m_directory + QStringLiteral("/index.m3u8")).toUtf8();
    AVFormatContext* raw = nullptr;
    int rc = avformat_alloc_output_context2(&raw, nullptr, "hls", playlist.constData());
    if (rc < 0)
        return Status::error(
            Status::Code::Internal,
            QStringLiteral("audio: cannot create the HLS muxer (%1)").arg(av::errorString(rc)));
    m_muxer.reset(raw);
    AVStream* stream = avformat_new_stream(raw, nullptr);
    avcodec_parameters_from_context(stream->codecpar, audioEncoder);
    stream->time_base = audioEncoder->time_base;
    m_encoderTimeBase = audioEncoder->time_base;

    const bool fmp4 = isFmp4(m_format);
    const QString segments =
        QStringLiteral("%1/seg_%05d.%2")
            .arg(m_directory, fmp4 ? QStringLiteral("m4s") : QStringLiteral("ts"));
    AVDictionary* options = nullptr;
    // As the video rungs (RenditionEncoder): the priming goes into an edit list, not a shift.
    if (fmp4)
        av_dict_set(&options, "avoid_negative_ts", "disabled", 0);
    if (!fmp4 && m_tsOffsetSeconds > 0) {
        av_dict_set(&options, "avoid_negative_ts", "disabled", 0);
        av_dict_set(&options, "output_ts_offset",
                    QByteArray::number(m_tsOffsetSeconds, 'f', 3).constData(), 0);
    }
    av_dict_set(&options, "hls_time", QByteArray::number(m_segmentSeconds, 'f', 3).constData(), 0);
    av_dict_set(&options, "hls_playlist_type", "vod", 0);
    av_dict_set(&options, "hls_list_size", "0", 0);
    av_dict_set(&options, "hls_segment_type", fmp4 ? "fmp4" : "mpegts", 0);
    av_dict_set(&options, "hls_flags", "independent_segments", 0);
    av_dict_set(&options, "hls_segment_filename", segments.toUtf8().constData(), 0);
    if (fmp4)
        av_dict_set(&options, "hls_fmp4_init_filename", "init.mp4", 0);
    rc = avformat_write_header(raw, &options);
    av_dict_free(&options);
    if (rc < 0)
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot start the audio rendition (%2)")
                                 .arg(m_directory, av::errorString(rc)));
    m_headerWritten = true;
    return Status::ok();
}

Status AudioRendition::write(AVPacket* packet) {
    packet->stream_index = 0;
    av_packet_rescale_ts(packet, m_encoderTimeBase, m_muxer->streams[0]->time_base);
    const int rc = av_interleaved_write_frame(m_muxer.get(), packet);
    if (rc < 0)
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot write audio (%2)").arg(m_directory, av::errorString(rc)));
    return Status::ok();
}

Status AudioRendition::finish() {
    if (!m_headerWritten)
        return Status::ok();
    m_headerWritten = false;
    const int rc = av_write_trailer(m_muxer.get());
    if (rc < 0)
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot finish the audio rendition (%2)")
                                 .arg(m_directory, av::errorString(rc)));
    return Status::ok();
}

} // namespace hlsforge
