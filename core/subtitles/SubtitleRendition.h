#pragma once
// SubtitleRendition: one track written as segmented WebVTT beside the ladder: one .vtt per
// VIDEO segment, on the video segments' own boundaries (read from a rung's media playlist, so
// the subtitle playlist's EXTINF are the video's and add up to the same duration), and the
// subtitle media playlist. A cue that spans a boundary is written in each segment it touches,
// clipped to that segment. With MPEG-TS video every segment carries X-TIMESTAMP-MAP, mapping
// cue time 0 to the video's first presentation timestamp in the TS (90 kHz).

#include "playlist/MediaPlaylist.h"
#include "subtitles/Cue.h"
#include "util/Status.h"

namespace hlsforge::subtitles {

struct RenditionLayout {
    QVector<MediaSegment> videoSegments; // start and duration of every video segment
    double targetDurationSeconds = 6;    // the video playlist's EXT-X-TARGETDURATION
    qint64 mpegtsStartTicks = -1;        // the TS video's first PTS; -1: no timestamp map (fMP4)
};

// "00:01:02.500"
QString vttTimestamp(qint64 ms);
// & < > escaped, as WebVTT cue text requires.
QString escapeCueText(const QString& text);

// The WebVTT text of segment `index` (cues clipped to [start, end) of that segment).
QByteArray segmentText(const Track& track, const RenditionLayout& layout, int index);

// Writes `directory`/index.m3u8 and `directory`/seg_<n>.vtt (the directory is created).
Status writeSubtitleRendition(const Track& track, const RenditionLayout& layout,
                              const QString& directory);

} // namespace hlsforge::subtitles
