#pragma once
// I-frame playlists (EXT-X-I-FRAMES-ONLY) for trick play, built by scanning the segments
// the muxer wrote: in MPEG-TS every keyframe (with the PAT/PMT the muxer puts before it),
// in fMP4 the first sample of each fragment (with its moof).

#include "playlist/MediaPlaylist.h"

namespace hlsforge {

struct IFrameEntry {
    QString uri;
    qint64 offset = 0;
    qint64 length = 0;
    double startSeconds = 0;
    double durationSeconds = 0;
};

struct IFrameIndex {
    QVector<IFrameEntry> entries;
    qint64 peakBitsPerSecond = 0;

    // Text of the I-frame media playlist (version 4, or 6 with an EXT-X-MAP for fMP4).
    QByteArray toPlaylistText(const MediaPlaylist& source) const;
};

StatusOr<IFrameIndex> buildIFrameIndex(const MediaPlaylist& playlist, const QString& playlistDir,
                                       bool fmp4);

} // namespace hlsforge
