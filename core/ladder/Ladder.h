#pragma once
// Ladder: the renditions to produce plus the settings they share. Loaded from and saved
// to the JSON that the GUI and the CLI share; validate() names the offending field.
//
// A rung's `height` is the short side of the picture: the height of landscape video and
// the width of portrait video, so "720p" of a phone clip is 720x1280, not 404x720.

#include "util/Status.h"

#include <QJsonObject>
#include <QString>
#include <QVector>

namespace hlsforge {

struct MediaInfo;

enum class SegmentFormat { Ts, Fmp4, TsByteRange, Fmp4ByteRange };

QString segmentFormatName(SegmentFormat format);
bool parseSegmentFormat(const QString& name, SegmentFormat* out);
inline bool isFmp4(SegmentFormat f) {
    return f == SegmentFormat::Fmp4 || f == SegmentFormat::Fmp4ByteRange;
}
inline bool isByteRange(SegmentFormat f) {
    return f == SegmentFormat::TsByteRange || f == SegmentFormat::Fmp4ByteRange;
}

// The video codec of a rung. H.264 plays everywhere; HEVC (libx265, fMP4 with the `hvc1`
// sample entry) takes about 40 % fewer bits on Apple devices; AV1 (libsvtav1, fMP4) plays in
// current browsers. One decode feeds rungs of every codec.
enum class VideoCodec { H264, Hevc, Av1 };
QString videoCodecName(VideoCodec codec);        // "h264", "hevc", "av1"
QString videoCodecDisplayName(VideoCodec codec); // "H.264", "HEVC", "AV1"
bool parseVideoCodec(const QString& name, VideoCodec* out);
QStringList videoCodecNames();

struct Rendition {
    QString name;      // empty: "<height>p", or "<height>p-hevc" / "<height>p-av1" (+ "-hdr")
    int height = 0;    // short side in pixels, even
    int videoKbps = 0; // target average video bitrate
    int maxKbps = 0;   // VBV max rate; 0: 110 % of videoKbps
    VideoCodec codec = VideoCodec::H264;
    // Keep an HDR source's HLG or PQ (10-bit BT.2020, HDR10 metadata where the source has
    // it; VIDEO-RANGE=HLG|PQ). HEVC or AV1 only; on an SDR source the rung is left out.
    bool hdr = false;

    int effectiveMaxKbps() const { return maxKbps > 0 ? maxKbps : videoKbps * 11 / 10; }
    QString effectiveName() const;
};

struct Ladder {
    double segmentSeconds = 6;
    SegmentFormat segmentFormat = SegmentFormat::Ts;
    QString x264Preset = QStringLiteral("veryfast");
    // Speed of the other encoders, used by rungs of that codec: x265's preset names are
    // x264's; SVT-AV1's presets run from 0 (slowest, best) to 13 (fastest).
    QString x265Preset = QStringLiteral("fast");
    int svtAv1Preset = 10;
    int audioKbps = 128;
    QVector<Rendition> renditions;

    // Progressive MP4 beside the ladder (DIR/<input name>.mp4), muxed from the same packets
    // as one rung: `progressiveRung` names it; empty picks the highest rung at or below 720p.
    bool progressive = false;
    QString progressiveRung;
    // The web player page (index.html) and where its scripts come from: "cdn" or "self-contained".
    bool playerPage = true;
    QString playerScripts = QStringLiteral("cdn");
    // HDR (HLG/PQ) to SDR: "auto" (HLG: fast, PQ: mobius), "fast", "mobius" or "hable"
    // (see transcode/ColourPipeline.h).
    QString toneMap = QStringLiteral("auto");
    // PSNR and SSIM of every rung against the source scaled to its size, overall and per
    // segment (core/quality), written to quality.json beside the master playlist.
    bool measureQuality = false;
    // Seek thumbnails (core/trickplay): 160 px tiles in JPEG sprite sheets under thumbs/, a
    // WebVTT thumbnails track and an image media playlist named in the master.
    bool thumbnails = true;
    // An audio-only variant (CODECS="mp4a.40.2", no RESOLUTION, listed last) playing the
    // default audio rendition: Apple recommends one for cellular.
    bool audioOnlyVariant = false;

    bool hasCodec(VideoCodec codec) const;
    bool hasHdrRungs() const;

    // Keyframe interval: the largest divisor of segmentSeconds not above 2 s (Apple 1.13),
    // so every segment boundary is also a keyframe.
    double gopSeconds() const;

    Status validate() const;
    QJsonObject toJson() const;
    static StatusOr<Ladder> fromJson(const QJsonObject& json);
    static StatusOr<Ladder> fromJsonBytes(const QByteArray& bytes, const QString& sourceName);
    static StatusOr<Ladder> load(const QString& path);
    Status save(const QString& path) const;
};

// One rung resolved against a source: concrete output size and rates.
struct ResolvedRendition {
    QString name;
    VideoCodec codec = VideoCodec::H264;
    bool hdr = false; // keeps the source's HLG/PQ (Rendition::hdr)
    int width = 0;
    int height = 0;
    int videoKbps = 0;
    int maxKbps = 0;
    int bufferKbits = 0;
};

// Drops rungs larger than the source (never upscales; at least one rung of each codec and
// dynamic range remains, shrunk to the source if need be) and computes even output sizes
// from the display aspect ratio. HDR rungs are kept here; the transcode drops them for an SDR
// source.
QVector<ResolvedRendition> resolveRenditions(const Ladder& ladder, int sourceDisplayWidth,
                                             int sourceDisplayHeight);

QStringList x264PresetNames();
QStringList toneMapNames();

} // namespace hlsforge
