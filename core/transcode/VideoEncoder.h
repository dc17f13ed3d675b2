#pragma once
// The video encoder of one rung, for each codec the ladder offers: libx264, libx265 (HEVC)
// and libsvtav1 (AV1), set up so that every rung of every codec cuts its GOPs on the same
// frames: closed GOPs, no scene-cut keyframes, rate control from the rung's kb/s and VBV.
//
// Keyframes: libx264 and libx265 turn a frame marked AV_PICTURE_TYPE_I into an IDR
// (forced-idr), so the caller decides where GOPs start. The FFmpeg 5.1 libsvtav1 wrapper
// ignores that mark; it gets a fixed interval of `gopFrames` with closed-GOP refresh and
// scene-change detection off, which lands exactly on every gopFrames-th frame — so a ladder
// with AV1 rungs forces the other codecs' keyframes by frame count too (RenditionConfig).
//
// SVT-AV1 rather than libaom: at the speed a desktop ladder needs, a 6 s 720p clip at
// 1500 kb/s on 2 cores took 5.4 s with SVT-AV1 preset 10 (PSNR 40.1 dB) and 43.9 s with
// libaom cpu-used 8, row-mt (41.2 dB): 8x the time for 1.1 dB. SVT's slower presets close
// that gap at a far lower cost than aom's.

#include "ladder/Ladder.h"
#include "probe/MediaProbe.h"
#include "util/FfmpegPtr.h"
#include "util/Status.h"

extern "C" {
#include <libavutil/rational.h>
}

namespace hlsforge {

struct VideoEncoderSettings {
    VideoCodec codec = VideoCodec::H264;
    QString rungName; // for messages
    int width = 0;
    int height = 0;
    AVRational timeBase{1, 30};
    AVRational frameRate{30, 1};
    int videoKbps = 0;
    int maxKbps = 0;
    int bufferKbits = 0;
    int gopFrames = 60; // the keyframe interval in frames (AV1), the upper bound (others)
    QString x264Preset = QStringLiteral("veryfast");
    QString x265Preset = QStringLiteral("fast");
    int svtAv1Preset = 10;
    int threads = 0; // 0: the encoder decides
    // HDR: "HLG" or "PQ" makes a 10-bit BT.2020 stream with that transfer in its VUI /
    // sequence header (HEVC Main 10, AV1 Main 10-bit), plus the HDR10 metadata the source has;
    // empty: 8-bit SDR BT.709.
    QString hdrRange;
    HdrStaticMetadata hdrMetadata;
};

// x265's `master-display` / `max-cll` parameters and SVT-AV1's `mastering-display` /
// `content-light` for the source's HDR10 metadata (empty strings where it has none): FFmpeg
// 5.1's wrappers pass no mastering or light level side data to the encoders.
QString x265HdrParams(const HdrStaticMetadata& metadata);
QString svtAv1HdrParams(const HdrStaticMetadata& metadata);

struct OpenedVideoEncoder {
    av::CodecContextPtr context;
    QString codecString;         // RFC 6381, from the encoder's own parameter sets
    bool honoursForcedKeyframes; // false: keyframes come every gopFrames frames
    uint32_t mp4Tag = 0;         // sample entry to write, e.g. 'hvc1'; 0: the muxer's default
};

// The encoder library each codec uses ("libx264", "libx265", "libsvtav1").
const char* videoEncoderName(VideoCodec codec);

StatusOr<OpenedVideoEncoder> openVideoEncoder(const VideoEncoderSettings& settings);

} // namespace hlsforge
