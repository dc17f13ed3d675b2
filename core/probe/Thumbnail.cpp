#include "probe/Thumbnail.h"

#include "av/Decoder.h"
#include "av/FilterGraph.h"
#include "av/InputFile.h"
#include "probe/MediaProbe.h"
#include "util/FfmpegLog.h"

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
    std::string filters;
    // HDR (HLG/PQ) to SDR BT.709 first, or the still looks washed out: the same direct
    // conversion as the ladder's "fast" tone map (transcode/ColourPipeline.h).
    if (frame->color_trc == AVCOL_TRC_ARIB_STD_B67 || frame->color_trc == AVCOL_TRC_SMPTE2084) {
        filters = "zscale=";
        if (frame->colorspace == AVCOL_SPC_UNSPECIFIED)
            filters += "min=bt2020nc:";
        if (frame->color_primaries == AVCOL_PRI_UNSPECIFIED)
            filters += "pin=bt2020:";
        filters += "t=bt709:m=bt709:p=bt709:r=limited:npl=203";
    }
    av::appendFilter(&filters, av::rotationFilter(rotationDegrees));
    // Square pixels first, then fit the height (never upscale). A JPEG (yuvj420p) is
    // full-range BT.601 by definition (JFIF), whatever the video's matrix: without the matrix
    // change a BT.709 frame's pure red showed as (231, 0, 1) in posters and thumbnails.
    const bool jpeg = std::strcmp(pixelFormat, "yuvj420p") == 0;
    av::appendFilter(&filters, "scale=iw*sar:ih,setsar=1,scale=-2:'min(" +
                                   std::to_string(maxHeight) + ",ih)':flags=bicubic" +
                                   (jpeg ? ":out_color_matrix=bt601:out_range=full" : "") +
                                   ",format=" + pixelFormat);
    av::FilterGraph graph;
    av::FramePtr out = av::makeFrame();
    bool got = false, eof = false;
    if (!graph.initVideo(frame, tb, AVRational{0, 1}, filters, 0).isOk() ||
        !graph.push(frame).isOk() || !graph.push(nullptr).isOk() ||
        !graph.pull(out.get(), &got, &eof).isOk() || !got)
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
av::FramePtr frameAt(av::InputFile& input, av::Decoder& decoder, double seconds) {
    const AVStream* stream = decoder.stream();
    const int64_t target =
        av_rescale_q(int64_t(seconds * AV_TIME_BASE), AV_TIME_BASE_Q, stream->time_base) +
        (stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0);
    input.seek(stream->index, target, AVSEEK_FLAG_BACKWARD);
    decoder.flush();
    av::FramePtr frame = av::makeFrame();
    av::FramePtr last;
    int packetBudget = 2000;
    while (decoder.nextFrame(input, frame.get(), &packetBudget) >= 0) {
        last = av::refFrame(frame.get());
        av_frame_unref(frame.get());
        if (last->best_effort_timestamp == AV_NOPTS_VALUE || last->best_effort_timestamp >= target)
            return last;
    }
    return last;
}

StatusOr<av::FramePtr> bestFrame(av::InputFile& input, const MediaInfo& info, int maxHeight,
                                 double atFraction, const char* pixelFormat) {
    av::LogCapture capture(nullptr);
    const QString& path = input.path();
    Status s = checkTranscodable(info);
    if (!s.isOk())
        return s;
    AVStream* stream = input.stream(info.video.streamIndex);
    av::Decoder decoder;
    s = decoder.open(stream, path, 2);
    if (!s.isOk())
        return s;

    const double duration = info.durationSeconds;
    av::FramePtr best;
    double bestScore = -1;
    // A few candidates around the requested point; the most detailed one wins, so a fade,
    // a black intro or a title card is not what represents the video.
    for (double f : {atFraction, atFraction + 0.15, atFraction - 0.1, atFraction + 0.3}) {
        const double seconds = duration > 0 ? std::clamp(f, 0.0, 0.95) * duration : 0;
        av::FramePtr frame = frameAt(input, decoder, seconds);
        if (!frame)
            continue;
        av::FramePtr rgb =
            convert(frame.get(), stream->time_base, info.video.rotationDegrees, maxHeight, "rgb24");
        if (!rgb)
            continue;
        const double score = detailScore(rgb.get());
        if (score > bestScore) {
            bestScore = score;
            best = std::strcmp(pixelFormat, "rgb24") == 0
                       ? std::move(rgb)
                       : convert(frame.get(), stream->time_base, info.video.rotationDegrees,
                                 maxHeight, pixelFormat);
        }
        if (duration <= 0)
            break;
    }
    if (!best)
        return fail(path, QStringLiteral("no video frame could be decoded"));
    return best;
}

// Opens and probes `path`; the frames are then read from that same open input.
StatusOr<av::FramePtr> bestFrame(const QString& path, int maxHeight, double atFraction,
                                 const char* pixelFormat) {
    av::InputFile input;
    const Status opened = input.open(path);
    if (!opened.isOk())
        return opened;
    StatusOr<MediaInfo> info = probeInput(input);
    if (!info.isOk())
        return info.status();
    return bestFrame(input, info.value(), maxHeight, atFraction, pixelFormat);
}

RgbImage toRgbImage(const AVFrame* f) {
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

} // namespace

StatusOr<RgbImage> extractThumbnail(const QString& path, int maxHeight, double atFraction) {
    StatusOr<av::FramePtr> frame = bestFrame(path, maxHeight, atFraction, "rgb24");
    if (!frame.isOk())
        return frame.status();
    return toRgbImage(frame.value().get());
}

StatusOr<RgbImage> extractThumbnail(av::InputFile& input, const MediaInfo& info, int maxHeight,
                                    double atFraction) {
    StatusOr<av::FramePtr> frame = bestFrame(input, info, maxHeight, atFraction, "rgb24");
    if (!frame.isOk())
        return frame.status();
    return toRgbImage(frame.value().get());
}

StatusOr<QByteArray> encodeJpeg(AVFrame* f) {
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

StatusOr<QByteArray> extractJpeg(const QString& path, int maxHeight, double atFraction) {
    StatusOr<av::FramePtr> frame = bestFrame(path, maxHeight, atFraction, "yuvj420p");
    if (!frame.isOk())
        return frame.status();
    StatusOr<QByteArray> jpeg = encodeJpeg(frame.value().get());
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
    return encodeJpeg(still.get());
}

} // namespace hlsforge
