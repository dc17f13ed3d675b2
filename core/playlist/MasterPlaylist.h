#pragma once
// The master (multivariant) playlist: written by our code from measured values, and
// parsed back (for the preview player's rung mapping, the publisher and the tests).

#include "util/Status.h"

#include <QString>
#include <QVector>

namespace hlsforge {

struct VariantStream {
    QString uri; // relative media playlist, e.g. "720p/index.m3u8"
    qint64 bandwidth = 0;
    qint64 averageBandwidth = 0;
    QString codecs;
    int width = 0;
    int height = 0;
    double frameRate = 0;
    QString videoRange;          // "SDR", "PQ" or "HLG"; empty: not written
    double score = 0;            // SCORE; 0: not written
    QString subtitlesGroup = {}; // SUBTITLES="subs"; empty: not written
    QString audioGroup = {};     // AUDIO="audio": its audio is that group's; empty: muxed in
};

// An EXT-X-MEDIA rendition (subtitles here; the same tag carries alternate audio).
struct MediaRendition {
    QString type = QStringLiteral("SUBTITLES"); // TYPE
    QString groupId;                            // GROUP-ID
    QString name;                               // NAME, unique in its group
    QString language;                           // LANGUAGE (BCP 47); empty: not written
    bool isDefault = false;                     // DEFAULT
    bool autoselect = true;                     // AUTOSELECT
    bool forced = false;                        // FORCED (SUBTITLES only)
    QString channels;                           // CHANNELS (AUDIO only), e.g. "2"
    QString uri;                                // URI of its media playlist
};

// An image media playlist (Roku's HLS image spec: seek thumbnails as tiled JPEG sheets).
struct ImageStream {
    qint64 bandwidth = 0;
    int width = 0; // of one tile
    int height = 0;
    QString codecs = QStringLiteral("jpeg");
    QString uri;
};

// The SCORE we give a variant, so that players that read it (hls.js, AVPlayer) prefer, among
// the variants a device can play and its bandwidth allows, the better picture: the short side
// in pixels first (1080p > 720p), then at the same size AV1 (+0.2) > HEVC (+0.1) > H.264, and
// HDR (+0.05) > SDR. E.g. 1080p HEVC HDR: 1080.15; 720p H.264: 720.
double variantScore(const VariantStream& variant);

struct IFrameStream {
    QString uri;
    qint64 bandwidth = 0;
    QString codecs;
    int width = 0;
    int height = 0;
};

struct MasterPlaylist {
    int version = 4;
    bool independentSegments = true;
    QVector<VariantStream> variants; // highest first
    QVector<IFrameStream> iframeStreams;
    QVector<MediaRendition> media;     // written before the variants that name their groups
    QVector<ImageStream> imageStreams; // EXT-X-IMAGE-STREAM-INF, after the I-frame streams

    QByteArray toText() const;
    Status write(const QString& path) const;
    static StatusOr<MasterPlaylist> parse(const QByteArray& text, const QString& sourceName);
    static StatusOr<MasterPlaylist> load(const QString& path);
};

} // namespace hlsforge
