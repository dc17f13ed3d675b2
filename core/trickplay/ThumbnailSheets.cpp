#include "trickplay/ThumbnailSheets.h"

#include "probe/Thumbnail.h"
#include "util/FileUtil.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

extern "C" {
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>
#include <cstring>

namespace hlsforge::trickplay {

namespace {

Status writeFile(const QString& path, const QByteArray& bytes) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) < 0 || !file.commit())
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot write (%2)").arg(path, file.errorString()));
    return Status::ok();
}

QString vttTime(double seconds) {
    const qint64 ms = std::max<qint64>(0, std::llround(seconds * 1000));
    return QStringLiteral("%1:%2:%3.%4")
        .arg(ms / 3600000, 2, 10, QLatin1Char('0'))
        .arg(ms / 60000 % 60, 2, 10, QLatin1Char('0'))
        .arg(ms / 1000 % 60, 2, 10, QLatin1Char('0'))
        .arg(ms % 1000, 3, 10, QLatin1Char('0'));
}

} // namespace

double thumbnailIntervalSeconds(double durationSeconds) {
    constexpr double kMaxTiles = 200;
    return std::clamp(std::ceil(durationSeconds / kMaxTiles), 2.0, 10.0);
}

ThumbnailSheets::ThumbnailSheets(double durationSeconds)
    : m_intervalSeconds(thumbnailIntervalSeconds(durationSeconds)) {}

ThumbnailSheets::~ThumbnailSheets() {
    sws_freeContext(m_sws);
}

int ThumbnailSheets::dueTile(double seconds, double intervalSeconds) {
    return int(std::floor((seconds + 0.001) / intervalSeconds));
}

int ThumbnailSheets::tilesBefore(int64_t frame, AVRational frameRate, double intervalSeconds) {
    // The frame before the chunk made (or was past) the last tile of the chunks before; the
    // same double arithmetic as addFrame's (pts in 1/rate times its seconds).
    if (frame <= 0)
        return 0;
    return dueTile(double(frame - 1) * av_q2d(av_inv_q(frameRate)), intervalSeconds) + 1;
}

void ThumbnailSheets::addFrame(const AVFrame* frame, AVRational timeBase) {
    if (frame->pts == AV_NOPTS_VALUE || frame->width <= 0 || frame->height <= 0)
        return;
    const double seconds = frame->pts * av_q2d(timeBase);
    const int due = dueTile(seconds, m_intervalSeconds) - m_firstTile;
    if (due < int(m_tiles.size()))
        return;
    if (m_tileHeight == 0) {
        // Square pixels: the tile keeps the picture's display aspect ratio; even for 4:2:0.
        const double sar =
            frame->sample_aspect_ratio.num > 0 ? av_q2d(frame->sample_aspect_ratio) : 1.0;
        m_tileHeight = std::max(
            2, int(std::lround(kTileWidth * frame->height / (frame->width * sar) / 2)) * 2);
    }
    m_sws = sws_getCachedContext(m_sws, frame->width, frame->height, AVPixelFormat(frame->format),
                                 kTileWidth, m_tileHeight, AV_PIX_FMT_YUVJ420P, SWS_BICUBIC,
                                 nullptr, nullptr, nullptr);
    if (!m_sws)
        return;
    // The frame's own matrix and range in, JPEG's full-range BT.601 out (JFIF): swscale's
    // default (BT.601 both sides) showed a BT.709 frame's pure red as (230, 0, 0).
    sws_setColorspaceDetails(m_sws, sws_getCoefficients(frame->colorspace),
                             frame->color_range == AVCOL_RANGE_JPEG ? 1 : 0,
                             sws_getCoefficients(SWS_CS_ITU601), 1, 0, 1 << 16, 1 << 16);
    av::FramePtr tile = av::makeFrame();
    tile->width = kTileWidth;
    tile->height = m_tileHeight;
    tile->format = AV_PIX_FMT_YUVJ420P;
    if (av_frame_get_buffer(tile.get(), 0) < 0)
        return;
    if (sws_scale(m_sws, frame->data, frame->linesize, 0, frame->height, tile->data,
                  tile->linesize) <= 0)
        return;
    // A frame missing at a due time (it should not happen at a constant rate) is filled by the
    // next one, so tile i always stands for i * interval.
    while (int(m_tiles.size()) < due)
        m_tiles.push_back(av::refFrame(tile.get()));
    m_tiles.push_back(std::move(tile));
}

StatusOr<QJsonObject> ThumbnailSheets::saveTiles(const QString& path) const {
    QJsonObject saved{{QStringLiteral("firstTile"), m_firstTile},
                      {QStringLiteral("tileCount"), int(m_tiles.size())},
                      {QStringLiteral("tileWidth"), kTileWidth},
                      {QStringLiteral("tileHeight"), m_tileHeight},
                      {QStringLiteral("intervalSeconds"), m_intervalSeconds}};
    if (m_tiles.empty())
        return saved;
    const int one = av_image_get_buffer_size(AV_PIX_FMT_YUVJ420P, kTileWidth, m_tileHeight, 1);
    QByteArray bytes(qsizetype(one) * qsizetype(m_tiles.size()), Qt::Uninitialized);
    for (size_t i = 0; i < m_tiles.size(); ++i)
        av_image_copy_to_buffer(reinterpret_cast<uint8_t*>(bytes.data()) + i * size_t(one), one,
                                m_tiles[i]->data, m_tiles[i]->linesize, AV_PIX_FMT_YUVJ420P,
                                kTileWidth, m_tileHeight, 1);
    Status s = writeFileAtomically(path, bytes);
    if (!s.isOk())
        return s;
    return saved;
}

Status ThumbnailSheets::loadTiles(const QString& path, const QJsonObject& saved) {
    const int first = saved.value(QStringLiteral("firstTile")).toInt(-1);
    const int count = saved.value(QStringLiteral("tileCount")).toInt(-1);
    const int width = saved.value(QStringLiteral("tileWidth")).toInt();
    const int height = saved.value(QStringLiteral("tileHeight")).toInt();
    const double interval = saved.value(QStringLiteral("intervalSeconds")).toDouble();
    const auto refused = [&](const QString& why) {
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("%1: %2").arg(path, why));
    };
    if (count == 0)
        return Status::ok();
    const int next = m_firstTile + int(m_tiles.size());
    if (first != next)
        return refused(QStringLiteral("its tiles start at tile %1, the tiles so far end at %2")
                           .arg(first)
                           .arg(next));
    if (std::abs(interval - m_intervalSeconds) > 1e-9)
        return refused(QStringLiteral("a tile every %1 s, the others every %2 s")
                           .arg(interval)
                           .arg(m_intervalSeconds));
    if (count < 0 || width != kTileWidth || height < 2 || height % 2 != 0 ||
        (m_tileHeight != 0 && height != m_tileHeight))
        return refused(QStringLiteral("tiles of %1x%2, expected %3x%4")
                           .arg(width)
                           .arg(height)
                           .arg(kTileWidth)
                           .arg(m_tileHeight));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return refused(QStringLiteral("cannot read (%1)").arg(file.errorString()));
    const QByteArray bytes = file.readAll();
    const int one = av_image_get_buffer_size(AV_PIX_FMT_YUVJ420P, width, height, 1);
    if (bytes.size() != qsizetype(one) * count)
        return refused(QStringLiteral("%1 bytes, %2 tiles need %3")
                           .arg(bytes.size())
                           .arg(count)
                           .arg(qsizetype(one) * count));
    m_tileHeight = height;
    for (int i = 0; i < count; ++i) {
        av::FramePtr tile = av::makeFrame();
        tile->width = width;
        tile->height = height;
        tile->format = AV_PIX_FMT_YUVJ420P;
        uint8_t* planes[4];
        int linesizes[4];
        if (av_frame_get_buffer(tile.get(), 0) < 0 ||
            av_image_fill_arrays(planes, linesizes,
                                 reinterpret_cast<const uint8_t*>(bytes.constData()) +
                                     size_t(i) * size_t(one),
                                 AV_PIX_FMT_YUVJ420P, width, height, 1) < 0)
            return Status::error(Status::Code::Internal, QStringLiteral("out of memory"));
        av_image_copy(tile->data, tile->linesize, const_cast<const uint8_t**>(planes), linesizes,
                      AV_PIX_FMT_YUVJ420P, width, height);
        m_tiles.push_back(std::move(tile));
    }
    return Status::ok();
}

StatusOr<SheetIndex> ThumbnailSheets::write(const QString& ladderDirectory, double videoSeconds) {
    if (m_firstTile != 0)
        return Status::error(Status::Code::Internal,
                             QStringLiteral("a chunk's tiles are saved, not written as sheets"));
    // Tiles at or past the end (a rounding of the last frame) stand for nothing.
    while (!m_tiles.empty() && (m_tiles.size() - 1) * m_intervalSeconds >= videoSeconds - 0.001)
        m_tiles.pop_back();
    if (m_tiles.empty())
        return Status::error(Status::Code::Internal, QStringLiteral("no frames for thumbnails"));
    const QString dir = ladderDirectory + QStringLiteral("/thumbs");
    if (!QDir().mkpath(dir))
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot create folder").arg(dir));
    SheetIndex index;
    index.vtt = QStringLiteral("thumbs/thumbnails.vtt");
    index.imagePlaylist = QStringLiteral("thumbs/images.m3u8");
    index.tileWidth = kTileWidth;
    index.tileHeight = m_tileHeight;
    index.columns = kColumns;
    index.rows = kRows;
    index.tileCount = int(m_tiles.size());
    index.intervalSeconds = m_intervalSeconds;
    const int perSheet = kColumns * kRows;
    index.sheetCount = (index.tileCount + perSheet - 1) / perSheet;

    QByteArray vtt = "WEBVTT\n\n";
    const double sheetSeconds = perSheet * m_intervalSeconds;
    QByteArray images = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:" +
                        QByteArray::number(int(std::ceil(sheetSeconds))) +
                        "\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-IMAGES-ONLY\n";
    for (int sheet = 0; sheet < index.sheetCount; ++sheet) {
        av::FramePtr canvas = av::makeFrame();
        canvas->width = kTileWidth * kColumns;
        canvas->height = m_tileHeight * kRows;
        canvas->format = AV_PIX_FMT_YUVJ420P;
        if (av_frame_get_buffer(canvas.get(), 0) < 0)
            return Status::error(Status::Code::Internal, QStringLiteral("out of memory"));
        // Black where a last sheet has no tiles (full-range Y 0, chroma 128).
        for (int p = 0; p < 3; ++p)
            memset(canvas->data[p], p == 0 ? 0 : 128,
                   size_t(canvas->linesize[p]) * (p == 0 ? canvas->height : canvas->height / 2));
        const QString sheetName = QStringLiteral("sheet-%1.jpg").arg(sheet + 1);
        const int first = sheet * perSheet;
        const int last = std::min(index.tileCount, first + perSheet); // one past
        for (int i = first; i < last; ++i) {
            const AVFrame* tile = m_tiles[i].get();
            const int x = (i - first) % kColumns * kTileWidth;
            const int y = (i - first) / kColumns * m_tileHeight;
            for (int p = 0; p < 3; ++p) {
                const int shift = p == 0 ? 0 : 1;
                const int rows = tile->height >> shift;
                const int bytes = tile->width >> shift;
                for (int r = 0; r < rows; ++r)
                    memcpy(canvas->data[p] + size_t((y >> shift) + r) * canvas->linesize[p] +
                               (x >> shift),
                           tile->data[p] + size_t(r) * tile->linesize[p], bytes);
            }
            const double start = i * m_intervalSeconds;
            const double end = i + 1 == index.tileCount
                                   ? videoSeconds
                                   : std::min(videoSeconds, (i + 1) * m_intervalSeconds);
            vtt += (vttTime(start) + QStringLiteral(" --> ") + vttTime(end) + QLatin1Char('\n') +
                    QStringLiteral("%1#xywh=%2,%3,%4,%5\n\n")
                        .arg(sheetName)
                        .arg(x)
                        .arg(y)
                        .arg(kTileWidth)
                        .arg(m_tileHeight))
                       .toUtf8();
        }
        StatusOr<QByteArray> jpeg = encodeJpeg(canvas.get());
        if (!jpeg.isOk())
            return jpeg.status();
        Status s = writeFile(dir + QLatin1Char('/') + sheetName, jpeg.value());
        if (!s.isOk())
            return s;
        const double sheetStart = first * m_intervalSeconds;
        const double sheetEnd = last == index.tileCount
                                    ? videoSeconds
                                    : std::min(videoSeconds, last * m_intervalSeconds);
        const double extinf = sheetEnd - sheetStart;
        // The peak over full sheets; a short last sheet would overstate it.
        if (extinf > 0 && (last - first == perSheet || index.sheetCount == 1))
            index.peakBitsPerSecond =
                std::max(index.peakBitsPerSecond, qint64(std::ceil(jpeg->size() * 8 / extinf)));
        images += "#EXTINF:" + QByteArray::number(extinf, 'f', 6) + ",\n" +
                  "#EXT-X-TILES:RESOLUTION=" + QByteArray::number(kTileWidth) + "x" +
                  QByteArray::number(m_tileHeight) + ",LAYOUT=" + QByteArray::number(kColumns) +
                  "x" + QByteArray::number(kRows) +
                  ",DURATION=" + QByteArray::number(m_intervalSeconds, 'f', 3) + "\n" +
                  sheetName.toUtf8() + "\n";
    }
    if (index.peakBitsPerSecond == 0)
        index.peakBitsPerSecond = 1;
    images += "#EXT-X-ENDLIST\n";
    Status s = writeFile(dir + QStringLiteral("/thumbnails.vtt"), vtt);
    if (s.isOk())
        s = writeFile(dir + QStringLiteral("/images.m3u8"), images);
    if (!s.isOk())
        return s;
    m_tiles.clear();
    return index;
}

} // namespace hlsforge::trickplay
