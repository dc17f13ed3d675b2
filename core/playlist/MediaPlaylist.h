#pragma once
// Reading media playlists (what libavformat's HLS muxer wrote, or any VOD playlist) and
// measuring them: BANDWIDTH and AVERAGE-BANDWIDTH are computed from the real segment bytes.

#include "util/Status.h"

#include <QString>
#include <QVector>

namespace hlsforge {

struct MediaSegment {
    QString uri; // as written in the playlist (relative)
    double durationSeconds = 0;
    qint64 byteRangeLength = -1; // -1: whole file
    qint64 byteRangeOffset = 0;
    double startSeconds = 0; // sum of the EXTINF before it
};

struct MediaPlaylist {
    int version = 0;
    double targetDurationSeconds = 0;
    QString playlistType; // "VOD", "EVENT" or empty
    bool endList = false;
    bool independentSegments = false;
    bool iframesOnly = false;
    QString mapUri; // EXT-X-MAP URI (fMP4 init segment)
    qint64 mapByteRangeLength = -1;
    qint64 mapByteRangeOffset = 0;
    QVector<MediaSegment> segments;

    double totalSeconds() const;
    static StatusOr<MediaPlaylist> parse(const QByteArray& text, const QString& sourceName);
    static StatusOr<MediaPlaylist> load(const QString& path);
};

struct BandwidthMeasurement {
    qint64 peakBitsPerSecond = 0;    // max over segments of bytes*8/EXTINF
    qint64 averageBitsPerSecond = 0; // all segment bytes*8 / total EXTINF
    qint64 totalBytes = 0;
    double maxSegmentSeconds = 0;
};

// Reads segment sizes from disk (files next to the playlist). A last segment shorter than
// 0.5 s is left out of the peak (Apple authoring spec), unless it is the only one.
StatusOr<BandwidthMeasurement> measureBandwidth(const MediaPlaylist& playlist,
                                                const QString& playlistDir);

} // namespace hlsforge
