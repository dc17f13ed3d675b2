#include "transcode/VideoEncoder.h"

#include "playlist/CodecString.h"
#include "util/FfmpegError.h"

#include <QStringList>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/opt.h>
}

#include <cmath>

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

QString x265HdrParams(const HdrStaticMetadata& m) {
    QStringList params;
    if (m.hasMasteringDisplay) {
        // SMPTE ST 2086 as x265 takes it: chromaticities in 1/50000, luminance in 1/10000
        // cd/m², green, blue, red, white point, then max and min luminance.
        auto xy = [](const double* c) {
            return QStringLiteral("(%1,%2)")
                .arg(std::lround(c[0] * 50000))
                .arg(std::lround(c[1] * 50000));
        };
        params << QStringLiteral("master-display=G%1B%2R%3WP%4L(%5,%6)")
                      .arg(xy(m.primariesXy[1]), xy(m.primariesXy[2]), xy(m.primariesXy[0]),
                           xy(m.whitePointXy))
                      .arg(std::llround(m.maxLuminanceNits * 10000))
                      .arg(std::llround(m.minLuminanceNits * 10000));
    }
    if (m.hasLightLevel)
        params << QStringLiteral("max-cll=%1,%2").arg(m.maxCll).arg(m.maxFall);
    return params.join(QLatin1Char(':'));
}

QString svtAv1HdrParams(const HdrStaticMetadata& m) {
    QStringList params;
    if (m.hasMasteringDisplay) {
        // SVT-AV1 takes the same order with plain numbers (x, y and cd/m²).
        auto xy = [](const double* c) {
            return QStringLiteral("(%1,%2)").arg(c[0], 0, 'f', 4).arg(c[1], 0, 'f', 4);
        };
        params << QStringLiteral("mastering-display=G%1B%2R%3WP%4L(%5,%6)")
                      .arg(xy(m.primariesXy[1]), xy(m.primariesXy[2]), xy(m.primariesXy[0]),
                           xy(m.whitePointXy))
                      .arg(m.maxLuminanceNits, 0, 'f', 4)
                      .arg(m.minLuminanceNits, 0, 'f', 4);
    }
    if (m.hasLightLevel)
        params << QStringLiteral("content-light=%1,%2").arg(m.maxCll).arg(m.maxFall);
    return params.join(QLatin1Char(':'));
}

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
    // The frames arrive as BT.709 limited range (ColourPipeline), or for HDR rungs as 10-bit
    // BT.2020 HLG/PQ limited range; say so in the VUI / colour config, so players never have
    // to guess from the picture size (the checker's VIDEO-RANGE rule reads the transfer).
    const bool hdr = !s.hdrRange.isEmpty();
    enc->color_range = AVCOL_RANGE_MPEG;
    if (hdr) {
        enc->pix_fmt = AV_PIX_FMT_YUV420P10;
        enc->color_primaries = AVCOL_PRI_BT2020;
        enc->color_trc =
            s.hdrRange == QLatin1String("HLG") ? AVCOL_TRC_ARIB_STD_B67 : AVCOL_TRC_SMPTE2084;
        enc->colorspace = AVCOL_SPC_BT2020_NCL;
    } else {
        enc->color_primaries = AVCOL_PRI_BT709;
        enc->color_trc = AVCOL_TRC_BT709;
        enc->colorspace = AVCOL_SPC_BT709;
    }

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
        QString params = QStringLiteral("scenecut=0:open-gop=0:log-level=error");
        // HDR10 metadata as SEI in the stream headers (the hvcC of the init segment); the
        // wrapper sets Main 10 and the VUI from the pixel format and colour fields.
        const QString hdr10 = hdr ? x265HdrParams(s.hdrMetadata) : QString();
        if (!hdr10.isEmpty())
            params += QLatin1Char(':') + hdr10;
        av_opt_set(enc->priv_data, "x265-params", params.toUtf8().constData(), 0);
        out.honoursForcedKeyframes = true;
        out.mp4Tag = MKTAG('h', 'v', 'c', '1'); // parameter sets in the sample entry (Apple)
        break;
    }
    case VideoCodec::Av1: {
        enc->gop_size = s.gopFrames; // the wrapper's intra period is gop_size - 1
        av_opt_set_int(enc->priv_data, "preset", s.svtAv1Preset, 0);
        // irefresh-type=2: every keyframe is a key frame with a closed GOP (not a forward
        // keyframe); scd=0: no keyframes on scene changes.
        QString params = QStringLiteral("irefresh-type=2:scd=0");
        // HDR10 metadata as metadata OBUs; the wrapper sets 10-bit and the colour config.
        const QString hdr10 = hdr ? svtAv1HdrParams(s.hdrMetadata) : QString();
        if (!hdr10.isEmpty())
            params += QLatin1Char(':') + hdr10;
        av_opt_set(enc->priv_data, "svtav1-params", params.toUtf8().constData(), 0);
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
