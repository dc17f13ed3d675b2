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
//
// A chunked encode (core/cluster) makes the tiles chunk by chunk, on the same absolute grid:
// each chunk starts at the tile its first frame is due for (startAtTile, tilesBefore) and saves
// its tiles raw (saveTiles); the assembly loads every chunk's in order (loadTiles) and write()
// packs them into the very sheets a one-machine run makes.

#include "util/FfmpegPtr.h"
#include "util/Status.h"

#include <QJsonObject>
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
    // The tile a frame at `seconds` stands for when no later tile has been made: tile i shows
    // the first frame at or after i * interval (within a millisecond).
    static int dueTile(double seconds, double intervalSeconds);
    // The tiles made before frame number `frame` of a video at `frameRate` (constant rate,
    // frame 0 at 0 s): the first tile of a chunk that starts at that frame.
    static int tilesBefore(int64_t frame, AVRational frameRate, double intervalSeconds);
    // A chunk's tiles start at `firstTile` (the earlier ones are the earlier chunks'). Before
    // the first addFrame().
    void startAtTile(int firstTile) { m_firstTile = firstTile; }
    // A frame of the normalised video, pts in `timeBase` from 0. Cheap when no tile is due.
    void addFrame(const AVFrame* frame, AVRational timeBase);
    int tileCount() const { return int(m_tiles.size()); }

    // A chunk's tiles as raw yuvj420p planes, tile after tile, at `path` (nothing written when
    // it has none); returns what loadTiles needs: firstTile, tileCount, tileWidth, tileHeight,
    // intervalSeconds. Raw rather than JPEG, so the assembled sheets are encoded once, from the
    // same pixels as a one-machine run's (byte for byte the same sheets); 21.6 kB a 160x90 tile.
    StatusOr<QJsonObject> saveTiles(const QString& path) const;
    // The assembly: a chunk's saved tiles, appended. They must follow the tiles so far, at
    // this interval; else InvalidArgument naming `path`.
    Status loadTiles(const QString& path, const QJsonObject& saved);

    // Writes the sheets and both indexes into `ladderDirectory`/thumbs. `videoSeconds` is the
    // ladder's duration (its EXTINF sum), which the indexes cover exactly.
    StatusOr<SheetIndex> write(const QString& ladderDirectory, double videoSeconds);

private:
    double m_intervalSeconds;
    int m_firstTile = 0; // of m_tiles[0]: above 0 in a chunk after the first
    int m_tileHeight = 0;
    SwsContext* m_sws = nullptr;
    std::vector<av::FramePtr> m_tiles; // yuvj420p, kTileWidth x m_tileHeight; tile m_firstTile + i
};

} // namespace hlsforge::trickplay
