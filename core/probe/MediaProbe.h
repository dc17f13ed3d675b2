#pragma once
// Probe: what a source file holds, read with libavformat without decoding the whole file.
// Errors come back as a Status whose message names the file and the cause.

#include "util/Status.h"

#include <QJsonObject>
#include <QString>

struct AVMasteringDisplayMetadata;
struct AVContentLightMetadata;

namespace hlsforge {

namespace av {
class InputFile;
struct DecodedPrefix;
} // namespace av

// HDR10 static metadata: the mastering display (SMPTE ST 2086) and the content light level
// (CTA-861.3), from the container or, where only the bitstream carries them (x265's SEI), the
// first decoded frames. HDR rungs hand them on to their encoder.
struct HdrStaticMetadata {
    bool hasMasteringDisplay = false;
    double primariesXy[3][2] = {}; // red, green, blue: CIE 1931 x, y
    double whitePointXy[2] = {};
    double minLuminanceNits = 0;
    double maxLuminanceNits = 0;
    bool hasLightLevel = false;
    int maxCll = 0;  // brightest pixel, cd/m²
    int maxFall = 0; // brightest frame average, cd/m²
};

struct VideoInfo {
    QString codec;      // e.g. "h264"
    QString profile;    // e.g. "High"
    int codedWidth = 0; // as stored
    int codedHeight = 0;
    int displayWidth = 0; // after sample aspect ratio and rotation
    int displayHeight = 0;
    double displayAspect = 0; // displayWidth / displayHeight, after rotation
    double frameRate = 0;     // average frames per second
    double maxFrameRate = 0;  // r_frame_rate: the base rate the stream may run at
    bool variableFrameRate = false;
    int rotationDegrees = 0; // clockwise rotation a player applies: 0, 90, 180, 270
    QString pixelFormat;     // e.g. "yuv420p10le"
    int bitDepth = 8;
    QString chromaSubsampling; // "4:2:0", "4:2:2", "4:4:4"
    qint64 bitRate = 0;        // bits per second, 0 when unknown
    int streamIndex = -1;

    // Colour (MediaProbe.cpp, describeColour): FFmpeg's names, "unknown" when untagged.
    QString colorPrimaries = QStringLiteral("unknown"); // "bt709", "bt2020", "smpte170m"...
    QString colorTransfer = QStringLiteral("unknown");  // "bt709", "arib-std-b67", "smpte2084"...
    QString colorMatrix = QStringLiteral("unknown");    // "bt709", "bt2020nc", "bt470bg"...
    QString colorRange = QStringLiteral("unknown");     // "tv" (limited), "pc" (full)
    QString hdrFormat = QStringLiteral("SDR"); // "HLG", "PQ", "Dolby Vision profile 8.4 (HLG)"
    int dolbyVisionProfile = 0;                // 0: not Dolby Vision
    int dolbyVisionLevel = 0;
    int dolbyVisionCompatibility = 0; // base layer: 1 HDR10, 2 SDR, 4 HLG, 6 BT.2100 PQ
    double peakLuminanceNits = 0;     // MaxCLL, else mastering display peak; 0: not signalled
    HdrStaticMetadata hdrMetadata;
    // Timing (ProbeTiming.cpp): exact rates and interlacing.
    int frameRateNum = 0; // avg_frame_rate as an exact, reduced rational; 0/0 when unknown
    int frameRateDen = 0;
    int baseFrameRateNum = 0; // r_frame_rate, likewise
    int baseFrameRateDen = 0;
    QString fieldOrder =
        QStringLiteral("unknown"); // flagged: "progressive", "tff", "bff", "unknown"
    QString detectedScan;  // idet on the first frames: "tff", "bff", "progressive", "undetermined"
    int scannedFrames = 0; // frames idet saw, and how it classified them
    int detectedTffFrames = 0;
    int detectedBffFrames = 0;
    int detectedProgressiveFrames = 0;
    int strictTffFrames = 0; // idet with intl_thres=1.5: decides for unflagged sources
    int strictBffFrames = 0;
    int strictProgressiveFrames = 0;
    bool interlaced = false;      // the verdict from flag and picture: deinterlace this source
    QString interlacedFieldOrder; // "tff" or "bff" when interlaced
};

struct AudioInfo {
    QString codec;
    int channels = 0;
    QString channelLayout;
    int sampleRateHz = 0;
    qint64 bitRate = 0;
    int streamIndex = -1;
    // The main audio of several (ProbeTiming.cpp): the default-flagged track, else the first.
    int trackCount = 0;  // audio tracks in the file
    int trackNumber = 0; // 1-based among the audio tracks
    bool defaultTrack = false;
    QString language;        // "eng", empty when untagged
    double startSeconds = 0; // first audio timestamp relative to the file's start
};

struct MediaInfo {
    QString path;
    QString container; // in words: "MP4", "QuickTime", "Matroska", "MPEG-TS"...
    QString demuxer;   // FFmpeg's name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    double durationSeconds = 0;
    qint64 bitRate = 0; // overall bits per second
    qint64 sizeBytes = 0;
    bool hasVideo = false;
    bool hasAudio = false;
    VideoInfo video;
    AudioInfo audio;

    QJsonObject toJson() const;
};

// Opens `path`, reads stream parameters and returns them; never decodes the whole file.
StatusOr<MediaInfo> probeFile(const QString& path);

// The same for an input already open (the transcode opens its input once). Reads the first
// frames for the interlace scan and rewinds: the next read is the input's first packet again.
// `keep`: see scanVideoTiming (the transcode goes on from the scanned frames).
StatusOr<MediaInfo> probeInput(av::InputFile& input, av::DecodedPrefix* keep = nullptr);

// The same checks the transcoder applies before starting: a video stream must exist.
Status checkTranscodable(const MediaInfo& info);

// Takes HDR10 static metadata from side data (a stream's or a decoded frame's; either may be
// null) into `v` where it has none yet, and the peak luminance from it.
void takeHdrMetadata(const AVMasteringDisplayMetadata* mastering,
                     const AVContentLightMetadata* light, VideoInfo* v);

} // namespace hlsforge
