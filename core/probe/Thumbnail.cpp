#include "probe/Thumbnail.h"

#include "probe/MediaProbe.h"
#include "util/FfmpegError.h"
#include "util/FfmpegLog.h"
#include "util/FfmpegPtr.h"

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
}

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace hlsforge {

namespace {

Status fail(const QString& path, const QString& why) {
    return Status::error(Status::Code::InvalidInput, QStringLiteral("%1: %2").arg(path, why));
}

// Converts one decoded frame through "[rotation,]scale=-2:H,format=FMT".
av::FramePtr convert(const AVFrame* frame, AVRational tb, int rotationDegrees, int maxHeight,
                     const char* pixelFormat) {
    av::FilterGraphPtr graph(avfilter_graph_alloc());
    AVFilterContext* src = nullptr;
    AVFilterContext* sink = nullptr;
    AVRational sar = frame->sample_aspect_ratio;
    if (sar.num <= 0 || sar.den <= 0)
        sar = AVRational{1, 1};
    char args[256];
    snprintf(args, sizeof args, "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d:pixel_aspect=%d/%d",
             frame->width, frame->height, frame->format, tb.num, tb.den, sar.num, sar.den);
    if (avfilter_graph_create_filter(&src, avfilter_get_by_name("buffer"), "in", args, nullptr,
                                     graph.get()) < 0 ||
        avfilter_graph_create_filter(&sink, avfilter_get_by_name("buffersink"), "out", nullptr,
                                     nullptr, graph.get()) < 0)
        return {};
    std::string filters;
    // HDR (HLG/PQ) to SDR BT.709 first, or the still looks washed out: the same direct
    // conversion as the ladder's "fast" tone map (transcode/ColourPipeline.h).
    if (frame->color_trc == AVCOL_TRC_ARIB_STD_B67 || frame->color_trc == AVCOL_TRC_SMPTE2084) {
        filters = "zscale=";
        if (frame->colorspace == AVCOL_SPC_UNSPECIFIED)
            filters += "min=bt2020nc:";
        if (frame->color_primaries == AVCOL_PRI_UNSPECIFIED)
            filters += "pin=bt2020:";
        filters += "t=bt709:m=bt709:p=bt709:r=limited:npl=203,";
    }
    if (rotationDegrees == 90)
        filters += "transpose=clock,";
    else if (rotationDegrees == 180)
        filters += "hflip,vflip,";
    else if (rotationDegrees == 270)
        filters += "transpose=cclock,";
    // Square pixels first, then fit the height (never upscale).
    filters += "scale=iw*sar:ih,setsar=1,scale=-2:'min(" + std::to_string(maxHeight) +
               ",ih)':flags=bicubic,format=" + pixelFormat;
    AVFilterInOut* outputs = avfilter_inout_alloc();
    AVFilterInOut* inputs = avfilter_inout_alloc();
    outputs->name = av_strdup("in");
    outputs->filter_ctx = src;
    inputs->name = av_strdup("out");
    inputs->filter_ctx = sink;
    const int rc =
        avfilter_graph_parse_ptr(graph.get(), filters.c_str(), &inputs, &outputs, nullptr);
    avfilter_inout_free(&inputs);
    avfilter_inout_free(&outputs);
    if (rc < 0 || avfilter_graph_config(graph.get(), nullptr) < 0)
        return {};
    av::FramePtr in = av::refFrame(frame);
    av::FramePtr out = av::makeFrame();
    if (av_buffersrc_add_frame(src, in.get()) < 0 || av_buffersrc_add_frame(src, nullptr) < 0 ||
        av_buffersink_get_frame(sink, out.get()) < 0)
        return {};
    return out;
}

// Spread of luma: a black or flat frame scores near zero, a detailed one high.
double detailScore(const AVFrame* rgb) {
    double sum = 0, sumSq = 0;
    int n = 0;
    for (int y = 0; y < rgb->height; y += 4) {
        const uint8_t* row = rgb->data[0] + y * rgb->linesize[0];
        for (int x = 0; x < rgb->width; x += 4) {
            const double l = 0.299 * row[3 * x] + 0.587 * row[3 * x + 1] + 0.114 * row[3 * x + 2];
            sum += l;
            sumSq += l * l;
            ++n;
        }
    }
    if (n == 0)
        return 0;
    const double mean = sum / n;
    return sumSq / n - mean * mean;
}

// Decodes the first frame at or after `seconds`.
av::FramePtr frameAt(AVFormatContext* format, AVCodecContext* decoder, int streamIndex,
                     double seconds) {
    const AVStream* stream = format->streams[streamIndex];
    const int64_t target =
        av_rescale_q(int64_t(seconds * AV_TIME_BASE), AV_TIME_BASE_Q, stream->time_base) +
        (stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0);
    av_seek_frame(format, streamIndex, target, AVSEEK_FLAG_BACKWARD);
    avcodec_flush_buffers(decoder);
    av::PacketPtr packet = av::makePacket();
    av::FramePtr frame = av::makeFrame();
    av::FramePtr last;
    int packetsRead = 0;
    bool draining = false;
    while (packetsRead < 2000) {
        if (!draining) {
            const int rc = av_read_frame(format, packet.get());
            if (rc < 0) {
                draining = true;
                avcodec_send_packet(decoder, nullptr);
            } else {
                ++packetsRead;
                if (packet->stream_index == streamIndex)
                    avcodec_send_packet(decoder, packet.get());
                av_packet_unref(packet.get());
            }
        }
        for (;;) {
            const int rc = avcodec_receive_frame(decoder, frame.get());
            if (rc == AVERROR_EOF)
                return last;
            if (rc < 0)
                break;
            last = av::refFrame(frame.get());
            av_frame_unref(frame.get());
            if (last->best_effort_timestamp == AV_NOPTS_VALUE ||
                last->best_effort_timestamp >= target)
                return last;
        }
    }
    return last;
}

StatusOr<av::FramePtr> bestFrame(const QString& path, int maxHeight, double atFraction,
                                 const char* pixelFormat) {
    av::LogCapture capture(nullptr);
    StatusOr<MediaInfo> info = probeFile(path);
    if (!info.isOk())
        return info.status();
    Status usable = checkTranscodable(info.value());
    if (!usable.isOk())
        return usable;
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, path.toUtf8().constData(), nullptr, nullptr) < 0)
        return fail(path, QStringLiteral("cannot open"));
    av::InputFormatPtr format(raw);
    if (avformat_find_stream_info(format.get(), nullptr) < 0)
        return fail(path, QStringLiteral("cannot read stream information"));
    const int index = info->video.streamIndex;
    AVStream* stream = format->streams[index];
    const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!codec)
        return fail(path, QStringLiteral("no decoder for the video stream"));
    av::CodecContextPtr decoder(avcodec_alloc_context3(codec));
    avcodec_parameters_to_context(decoder.get(), stream->codecpar);
    decoder->thread_count = 2;
    if (avcodec_open2(decoder.get(), codec, nullptr) < 0)
        return fail(path, QStringLiteral("cannot decode the video stream"));

    const double duration = info->durationSeconds;
    av::FramePtr best;
    double bestScore = -1;
    // A few candidates around the requested point; the most detailed one wins, so a fade,
    // a black intro or a title card is not what represents the video.
    for (double f : {atFraction, atFraction + 0.15, atFraction - 0.1, atFraction + 0.3}) {
        const double seconds = duration > 0 ? std::clamp(f, 0.0, 0.95) * duration : 0;
        av::FramePtr frame = frameAt(format.get(), decoder.get(), index, seconds);
        if (!frame)
            continue;
        av::FramePtr rgb = convert(frame.get(), stream->time_base, info->video.rotationDegrees,
                                   maxHeight, "rgb24");
        if (!rgb)
            continue;
        const double score = detailScore(rgb.get());
        if (score > bestScore) {
            bestScore = score;
            best = std::strcmp(pixelFormat, "rgb24") == 0
                       ? std::move(rgb)
                       : convert(frame.get(), stream->time_base, info->video.rotationDegrees,
                                 maxHeight, pixelFormat);
        }
        if (duration <= 0)
            break;
    }
    if (!best)
        return fail(path, QStringLiteral("no video frame could be decoded"));
    return best;
}

} // namespace

StatusOr<RgbImage> extractThumbnail(const QString& path, int maxHeight, double atFraction) {
    StatusOr<av::FramePtr> frame = bestFrame(path, maxHeight, atFraction, "rgb24");
    if (!frame.isOk())
        return frame.status();
    const AVFrame* f = frame.value().get();
    RgbImage image;
    image.width = f->width;
    image.height = f->height;
    image.bytesPerLine = f->width * 3;
    image.rgb24.resize(qsizetype(image.bytesPerLine) * image.height);
    for (int y = 0; y < f->height; ++y)
        memcpy(image.rgb24.data() + y * image.bytesPerLine, f->data[0] + y * f->linesize[0],
               image.bytesPerLine);
    return image;
}

namespace {

// JPEG of an already upright frame (yuvj420p at most maxHeight tall).
StatusOr<QByteArray> encodeJpegFrame(AVFrame* f) {
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (!codec)
        return Status::error(Status::Code::Internal,
                             QStringLiteral("JPEG encoder is not available"));
    av::CodecContextPtr enc(avcodec_alloc_context3(codec));
    enc->width = f->width;
    enc->height = f->height;
    enc->pix_fmt = AV_PIX_FMT_YUVJ420P;
    enc->time_base = AVRational{1, 25};
    enc->flags |= AV_CODEC_FLAG_QSCALE;
    enc->global_quality = FF_QP2LAMBDA * 5; // visually clean, a third of q=2 size
    if (avcodec_open2(enc.get(), codec, nullptr) < 0)
        return Status::error(Status::Code::Internal,
                             QStringLiteral("cannot open the JPEG encoder"));
    f->pts = 0;
    f->quality = enc->global_quality;
    f->pict_type = AV_PICTURE_TYPE_NONE;
    av::PacketPtr packet = av::makePacket();
    if (avcodec_send_frame(enc.get(), f) < 0 || avcodec_send_frame(enc.get(), nullptr) < 0 ||
        avcodec_receive_packet(enc.get(), packet.get()) < 0)
        return Status::error(Status::Code::Internal, QStringLiteral("JPEG encoding failed"));
    return QByteArray(reinterpret_cast<const char*>(packet->data), packet->size);
}

} // namespace

StatusOr<QByteArray> extractJpeg(const QString& path, int maxHeight, double atFraction) {
    StatusOr<av::FramePtr> frame = bestFrame(path, maxHeight, atFraction, "yuvj420p");
    if (!frame.isOk())
        return frame.status();
    StatusOr<QByteArray> jpeg = encodeJpegFrame(frame.value().get());
    if (!jpeg.isOk())
        return Status::error(jpeg.status().code(),
                             QStringLiteral("%1: %2").arg(path, jpeg.status().message()));
    return jpeg;
}

StatusOr<QByteArray> bestFrameAsJpeg(const std::vector<const AVFrame*>& candidates,
                                     AVRational timeBase, int maxHeight) {
    const AVFrame* best = nullptr;
    double bestScore = -1;
    for (const AVFrame* frame : candidates) {
        // Score a small copy: detail survives downscaling and it costs almost nothing.
        av::FramePtr small = convert(frame, timeBase, 0, 120, "rgb24");
        const double score = small ? detailScore(small.get()) : -1;
        if (score > bestScore) {
            bestScore = score;
            best = frame;
        }
    }
    if (!best)
        return Status::error(Status::Code::Internal, QStringLiteral("no frame for a still image"));
    av::FramePtr still = convert(best, timeBase, 0, maxHeight, "yuvj420p");
    if (!still)
        return Status::error(Status::Code::Internal,
                             QStringLiteral("cannot scale the still image"));
    return encodeJpegFrame(still.get());
}

} // namespace hlsforge
