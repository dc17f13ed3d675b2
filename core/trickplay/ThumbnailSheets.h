#pragma once
// ThumbnailSheets: seek thumbnails from frames decoded anyway. addFrame() is given every
// normalised (upright, constant rate) frame of the transcode; when a frame is due (one every
// intervalSeconds(), from the first frame) it is scaled to a 160 px wide tile with swscale and
// kept (a 160x90 tile is 21 kB; at most ~200 of them). write() packs the tiles into 5x5 JPEG
// sprite sheets in `thumbs/` and indexes them two ways:
//   thumbs/thumbnails.vtt  WebVTT, one cue per tile: "sheet-1.jpg#xywh=160,0,160,90"
//   thumbs/images.m3u8     Roku's image media playlist: EXT-X-IMAGES-ONLY, one EXTINF per
//                          sheet with EXT-X-TILES:RESOLUTION=160x90,LAYOUT=5x5,DURATION=<interval>
// Both cover the whole video: the last tile lasts to its end, the EXTINF add up to it.

#include "util/FfmpegPtr.h"
#include "util/Status.h"

#include <QString>

#include <vector>

struct SwsContext;

namespace hlsforge::trickplay {

struct SheetIndex {
    QString vtt;           // relative to the ladder folder: "thumbs/thumbnails.vtt"
    QString imagePlaylist; // "thumbs/images.m3u8"
    int tileWidth = 0;
    int tileHeight = 0;
    int columns = 5;
    int rows = 5;
    int tileCount = 0;
    int sheetCount = 0;
    double intervalSeconds = 0;
    qint64 peakBitsPerSecond = 0; // of the sheets over their EXTINF (BANDWIDTH in the master)
};

// One tile every 2 s for short videos, longer intervals for long ones so there are at most
// about 200 tiles (8 sheets), never more than 10 s apart.
double thumbnailIntervalSeconds(double durationSeconds);

class ThumbnailSheets {
public:
    static constexpr int kTileWidth = 160;
    static constexpr int kColumns = 5;
    static constexpr int kRows = 5;

    explicit ThumbnailSheets(double durationSeconds);
    ~ThumbnailSheets();
    ThumbnailSheets(const ThumbnailSheets&) = delete;
    ThumbnailSheets& operator=(const ThumbnailSheets&) = delete;

    double intervalSeconds() const { return m_intervalSeconds; }
    // A frame of the normalised video, pts in `timeBase` from 0. Cheap when no tile is due.
    void addFrame(const AVFrame* frame, AVRational timeBase);
    int tileCount() const { return int(m_tiles.size()); }

    // Writes the sheets and both indexes into `ladderDirectory`/thumbs. `videoSeconds` is the
    // ladder's duration (its EXTINF sum), which the indexes cover exactly.
    StatusOr<SheetIndex> write(const QString& ladderDirectory, double videoSeconds);

private:
    double m_intervalSeconds;
    int m_tileHeight = 0;
    SwsContext* m_sws = nullptr;
    std::vector<av::FramePtr> m_tiles; // yuvj420p, kTileWidth x m_tileHeight; tile i at i*interval
};

} // namespace hlsforge::trickplay
