#include "transcode/VideoEncoder.h"

#include "playlist/CodecString.h"
#include "util/FfmpegError.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/opt.h>
}

namespace hlsforge {

namespace {
// SVT-AV1 prints its banner and settings to stderr itself (not through av_log), which would
// interleave with the CLI's progress and JSON lines. It reads SVT_LOG once, when an encoder
// first logs; set here during static initialisation, before any thread can read the
// environment, and only when the user has not chosen a level (1: errors only).
const bool kSvtLogQuietened = [] {
    if (qEnvironmentVariableIsSet("SVT_LOG"))
        return false;
    qputenv("SVT_LOG", "1");
    return true;
}();
} // namespace

const char* videoEncoderName(VideoCodec codec) {
    switch (codec) {
    case VideoCodec::H264:
        return "libx264";
    case VideoCodec::Hevc:
        return "libx265";
    case VideoCodec::Av1:
        return "libsvtav1";
    }
    return "";
}

StatusOr<OpenedVideoEncoder> openVideoEncoder(const VideoEncoderSettings& s) {
    const QString codecName = videoCodecDisplayName(s.codec);
    const AVCodec* codec = avcodec_find_encoder_by_name(videoEncoderName(s.codec));
    if (!codec)
        return Status::error(
            Status::Code::Internal,
            QStringLiteral("rendition %1: the %2 encoder (%3) is not available "
                           "in this FFmpeg build")
                .arg(s.rungName, codecName, QString::fromLatin1(videoEncoderName(s.codec))));
    OpenedVideoEncoder out;
    out.context.reset(avcodec_alloc_context3(codec));
    AVCodecContext* enc = out.context.get();
    enc->width = s.width;
    enc->height = s.height;
    enc->pix_fmt = AV_PIX_FMT_YUV420P;
    enc->sample_aspect_ratio = AVRational{1, 1};
    enc->time_base = s.timeBase;
    enc->framerate = s.frameRate;
    enc->bit_rate = int64_t(s.videoKbps) * 1000;
    enc->rc_max_rate = int64_t(s.maxKbps) * 1000;
    enc->rc_buffer_size = s.bufferKbits * 1000;
    enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER; // parameter sets in extradata: CODECS, hvcC
    enc->thread_count = s.threads;
    // The frames arrive as BT.709 limited range (ColourPipeline); say so in the VUI / colour
    // config, so players never have to guess from the picture size.
    enc->color_range = AVCOL_RANGE_MPEG;
    enc->color_primaries = AVCOL_PRI_BT709;
    enc->color_trc = AVCOL_TRC_BT709;
    enc->colorspace = AVCOL_SPC_BT709;

    switch (s.codec) {
    case VideoCodec::H264:
        // The encoder's own keyframe limit sits just above the forced interval, so it never
        // inserts one of its own, and scene cuts never add an IDR that would split one
        // rung's segment where the others don't.
        enc->gop_size = s.gopFrames + 1;
        av_opt_set(enc->priv_data, "preset", s.x264Preset.toUtf8().constData(), 0);
        av_opt_set(enc->priv_data, "x264-params", "scenecut=0:open-gop=0", 0);
        av_opt_set_int(enc->priv_data, "forced-idr", 1, 0);
        out.honoursForcedKeyframes = true;
        break;
    case VideoCodec::Hevc: {
        enc->gop_size = s.gopFrames + 1;
        av_opt_set(enc->priv_data, "preset", s.x265Preset.toUtf8().constData(), 0);
        av_opt_set_int(enc->priv_data, "forced-idr", 1, 0);
        // Closed GOPs and no scene-cut keyframes, as for H.264. x265 prints to stderr
        // itself (not through av_log), so only its errors.
        av_opt_set(enc->priv_data, "x265-params", "scenecut=0:open-gop=0:log-level=error", 0);
        out.honoursForcedKeyframes = true;
        out.mp4Tag = MKTAG('h', 'v', 'c', '1'); // parameter sets in the sample entry (Apple)
        break;
    }
    case VideoCodec::Av1: {
        enc->gop_size = s.gopFrames; // the wrapper's intra period is gop_size - 1
        av_opt_set_int(enc->priv_data, "preset", s.svtAv1Preset, 0);
        // irefresh-type=2: every keyframe is a key frame with a closed GOP (not a forward
        // keyframe); scd=0: no keyframes on scene changes.
        av_opt_set(enc->priv_data, "svtav1-params", "irefresh-type=2:scd=0", 0);
        out.honoursForcedKeyframes = false;
        break;
    }
    }
    const int rc = avcodec_open2(enc, codec, nullptr);
    if (rc < 0)
        return Status::error(Status::Code::Internal,
                             QStringLiteral("rendition %1: cannot open the %2 encoder (%3)")
                                 .arg(s.rungName, codecName, av::errorString(rc)),
                             av::errorString(rc));
    switch (s.codec) {
    case VideoCodec::H264:
        out.codecString = h264CodecString(enc->extradata, enc->extradata_size);
        break;
    case VideoCodec::Hevc:
        out.codecString = hevcCodecString(enc->extradata, enc->extradata_size);
        break;
    case VideoCodec::Av1:
        out.codecString = av1CodecString(enc->extradata, enc->extradata_size);
        break;
    }
    if (out.codecString.isEmpty())
        return Status::error(Status::Code::Internal,
                             QStringLiteral("rendition %1: the %2 encoder gave no parameter sets "
                                            "to build the CODECS attribute from")
                                 .arg(s.rungName, codecName));
    return out;
}

} // namespace hlsforge
