// Seek thumbnails (core/trickplay) of ladders made by hlsforge-cli: every #xywh rectangle of
// thumbs/thumbnails.vtt lies inside its sheet (sizes read by ffprobe, which also decodes each
// sheet), the cues are contiguous and cover the whole video, the image playlist (Roku's spec)
// adds up to the video's duration and the master names it; "thumbnails": false writes none.

#include "TestMedia.h"

#include "playlist/MasterPlaylist.h"
#include "playlist/MediaPlaylist.h"
#include "subtitles/SubtitleFile.h"
#include "trickplay/ThumbnailSheets.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>

extern "C" {
#include <libavutil/frame.h>
}

using namespace hlsforge;
using namespace hlsforge::test;

namespace {
bool writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}
QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class ThumbnailsTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

    QJsonObject transcode(const QString& input, const QString& out, const QString& ladder,
                          const QStringList& extra = {}) {
        const ProcessResult r = runProcess(
            cliPath(), QStringList{QStringLiteral("transcode"), input, QStringLiteral("--out"), out,
                                   QStringLiteral("--ladder"), ladder, QStringLiteral("--json"),
                                   QStringLiteral("--no-check")} +
                           extra);
        if (!r.ok()) {
            qWarning() << r.err;
            return {};
        }
        return QJsonDocument::fromJson(r.out).array().first().toObject();
    }

private slots:
    void intervalByDuration() {
        QCOMPARE(trickplay::thumbnailIntervalSeconds(10), 2.0);
        QCOMPARE(trickplay::thumbnailIntervalSeconds(400), 2.0);
        QCOMPARE(trickplay::thumbnailIntervalSeconds(600), 3.0);
        QCOMPARE(trickplay::thumbnailIntervalSeconds(7200), 10.0);
    }

    // A chunked encode (core/cluster): tiles made chunk by chunk, each chunk starting at the
    // tile its first frame is due for and saving its tiles raw, then loaded in order, give the
    // very sheets and indexes of one pass over the frames. 25 fps, 13 s, a tile every 2 s,
    // chunks cut at frames 100 (4 s, on a tile) and 237 (9.48 s, between tiles).
    void chunkedTilesMakeTheSameSheets() {
        const AVRational rate{25, 1};
        const int frames = 325;
        const auto frameAt = [](int n) {
            av::FramePtr f = av::makeFrame();
            f->width = 320;
            f->height = 180;
            f->format = AV_PIX_FMT_YUV420P;
            f->pts = n;
            if (av_frame_get_buffer(f.get(), 0) < 0)
                return av::FramePtr();
            // A picture of its own per frame: luma steps with the frame number.
            for (int y = 0; y < 180; ++y)
                memset(f->data[0] + y * f->linesize[0], (n * 3 + y) % 220 + 16, 320);
            for (int p = 1; p < 3; ++p)
                for (int y = 0; y < 90; ++y)
                    memset(f->data[p] + y * f->linesize[p], 128 + (p == 1 ? n % 50 : -(n % 50)),
                           160);
            return f;
        };
        const double seconds = frames / 25.0;
        trickplay::ThumbnailSheets whole(seconds);
        for (int n = 0; n < frames; ++n)
            whole.addFrame(frameAt(n).get(), av_inv_q(rate));
        QCOMPARE(whole.tileCount(), 7);
        QVERIFY(whole.write(path(QStringLiteral("tiles-whole")), seconds).isOk());

        const double interval = trickplay::thumbnailIntervalSeconds(seconds);
        QCOMPARE(trickplay::ThumbnailSheets::tilesBefore(0, rate, interval), 0);
        QCOMPARE(trickplay::ThumbnailSheets::tilesBefore(100, rate, interval), 2);
        QCOMPARE(trickplay::ThumbnailSheets::tilesBefore(101, rate, interval), 3);
        QCOMPARE(trickplay::ThumbnailSheets::tilesBefore(237, rate, interval), 5);
        trickplay::ThumbnailSheets assembled(seconds);
        const int cuts[] = {0, 100, 237, frames};
        for (int c = 0; c < 3; ++c) {
            trickplay::ThumbnailSheets chunk(seconds);
            chunk.startAtTile(trickplay::ThumbnailSheets::tilesBefore(cuts[c], rate, interval));
            for (int n = cuts[c]; n < cuts[c + 1]; ++n)
                chunk.addFrame(frameAt(n).get(), av_inv_q(rate));
            const QString raw = path(QStringLiteral("tiles-%1.yuv").arg(c));
            const StatusOr<QJsonObject> saved = chunk.saveTiles(raw);
            QVERIFY2(saved.isOk(), qPrintable(saved.status().message()));
            QCOMPARE(QFileInfo(raw).size(),
                     qint64(saved->value(QStringLiteral("tileCount")).toInt()) * 160 * 90 * 3 / 2);
            QVERIFY(assembled.loadTiles(raw, saved.value()).isOk());
            // Loaded out of order, a chunk's tiles are refused, naming the file.
            if (c == 1) {
                const Status again = assembled.loadTiles(raw, saved.value());
                QVERIFY(!again.isOk());
                QVERIFY2(again.message().contains(QLatin1String("tiles-1.yuv")),
                         qPrintable(again.message()));
            }
        }
        QCOMPARE(assembled.tileCount(), 7);
        QVERIFY(assembled.write(path(QStringLiteral("tiles-chunked")), seconds).isOk());
        for (const QString& name :
             {QStringLiteral("thumbs/sheet-1.jpg"), QStringLiteral("thumbs/thumbnails.vtt"),
              QStringLiteral("thumbs/images.m3u8")}) {
            const QByteArray one = readAll(path(QStringLiteral("tiles-whole/")) + name);
            QVERIFY(!one.isEmpty());
            QVERIFY2(one == readAll(path(QStringLiteral("tiles-chunked/")) + name),
                     qPrintable(name));
        }
    }

    void ladderThumbnails_data() {
        QTest::addColumn<QString>("video");
        QTest::addColumn<double>("seconds");
        QTest::addColumn<QString>("segments");
        QTest::addColumn<int>("tileHeight");
        // 57 s: 29 tiles, two sheets, the second partly filled; a portrait clip: taller tiles.
        QTest::newRow("16:9 ts 57s") << "testsrc2=size=640x360:rate=25" << 57.0 << "ts" << 90;
        QTest::newRow("portrait fmp4 9s")
            << "testsrc2=size=180x320:rate=30" << 9.0 << "fmp4" << 284;
    }
    void ladderThumbnails() {
        QFETCH(QString, video);
        QFETCH(double, seconds);
        QFETCH(QString, segments);
        QFETCH(int, tileHeight);
        const QString tag = QString::fromLatin1(QTest::currentDataTag())
                                .replace(QLatin1Char(' '), QLatin1Char('_'));
        const QString input = path(tag + QStringLiteral(".mp4"));
        QVERIFY(makeClip(input, seconds, video));
        const QString ladder = path(QStringLiteral("ladder.json"));
        QVERIFY(writeBytes(ladder, R"({"segmentSeconds": 4, "x264Preset": "ultrafast",
            "audioKbps": 64, "playerPage": false,
            "renditions": [{"height": 144, "videoKbps": 150}]})"));
        const QString out = path(tag);
        const QJsonObject result =
            transcode(input, out, ladder, {QStringLiteral("--segments"), segments});
        QCOMPARE(result[QStringLiteral("status")].toString(), QStringLiteral("ok"));
        const QJsonObject thumbs = result[QStringLiteral("thumbnails")].toObject();
        QCOMPARE(thumbs[QStringLiteral("tileWidth")].toInt(), 160);
        QCOMPARE(thumbs[QStringLiteral("tileHeight")].toInt(), tileHeight);

        StatusOr<MasterPlaylist> master =
            MasterPlaylist::load(out + QStringLiteral("/master.m3u8"));
        QVERIFY(master.isOk());
        QCOMPARE(master->imageStreams.size(), 1);
        QCOMPARE(master->imageStreams[0].uri, QStringLiteral("thumbs/images.m3u8"));
        QCOMPARE(master->imageStreams[0].codecs, QStringLiteral("jpeg"));
        QCOMPARE(master->imageStreams[0].width, 160);
        QCOMPARE(master->imageStreams[0].height, tileHeight);
        QVERIFY(master->imageStreams[0].bandwidth > 0);
        StatusOr<MediaPlaylist> videoPlaylist =
            MediaPlaylist::load(out + QLatin1Char('/') + master->variants.first().uri);
        QVERIFY(videoPlaylist.isOk());
        const double videoSeconds = videoPlaylist->totalSeconds();

        // Sheets: ffprobe decodes each and reads its size.
        QHash<QString, QSize> sheetSizes;
        const QStringList sheets =
            QDir(out + QStringLiteral("/thumbs"))
                .entryList({QStringLiteral("sheet-*.jpg")}, QDir::Files, QDir::Name);
        QVERIFY(!sheets.isEmpty());
        for (const QString& sheet : sheets) {
            const QString file = out + QStringLiteral("/thumbs/") + sheet;
            const QJsonObject probe = ffprobeJson({QStringLiteral("-show_streams")}, file);
            const QJsonObject st = probe[QStringLiteral("streams")].toArray().first().toObject();
            sheetSizes[sheet] =
                QSize(st[QStringLiteral("width")].toInt(), st[QStringLiteral("height")].toInt());
            QCOMPARE(st[QStringLiteral("codec_name")].toString(), QStringLiteral("mjpeg"));
            const ProcessResult decoded = runProcess(
                QStringLiteral("ffmpeg"),
                {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-i"), file,
                 QStringLiteral("-f"), QStringLiteral("null"), QStringLiteral("-")});
            QVERIFY2(decoded.ok() && decoded.err.isEmpty(), decoded.err.constData());
        }

        // The WebVTT thumbnails track.
        const QString vtt =
            QString::fromUtf8(readAll(out + QStringLiteral("/thumbs/thumbnails.vtt")));
        QVERIFY(vtt.startsWith(QStringLiteral("WEBVTT\n")));
        static const QRegularExpression cue(
            QStringLiteral(
                "^(\\S+) --> (\\S+)\\n(sheet-\\d+\\.jpg)#xywh=(\\d+),(\\d+),(\\d+),(\\d+)$"),
            QRegularExpression::MultilineOption);
        qint64 expectedStart = 0;
        int cues = 0;
        for (auto it = cue.globalMatch(vtt); it.hasNext();) {
            const auto m = it.next();
            const qint64 from = subtitles::parseCueTimestamp(m.captured(1));
            const qint64 to = subtitles::parseCueTimestamp(m.captured(2));
            QCOMPARE(from, expectedStart); // contiguous from 0
            QVERIFY(to > from);
            expectedStart = to;
            const QSize size = sheetSizes.value(m.captured(3));
            QVERIFY2(size.isValid(), qPrintable(m.captured(3)));
            const QRect rect(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt(),
                             m.captured(7).toInt());
            QVERIFY2(QRect(QPoint(0, 0), size).contains(rect), qPrintable(m.captured(0)));
            QCOMPARE(rect.height(), tileHeight);
            ++cues;
        }
        QCOMPARE(cues, thumbs[QStringLiteral("tileCount")].toInt());
        QCOMPARE(cues, int(std::ceil(videoSeconds / 2 - 0.001)));
        QCOMPARE(expectedStart, std::llround(videoSeconds * 1000)); // the whole video

        // The image playlist (Roku): images only, tiles, EXTINF adding up to the video.
        const QByteArray images = readAll(out + QStringLiteral("/thumbs/images.m3u8"));
        QVERIFY(images.contains("#EXT-X-IMAGES-ONLY\n"));
        QVERIFY(images.contains(
            QStringLiteral("#EXT-X-TILES:RESOLUTION=160x%1,LAYOUT=5x5,DURATION=2.000\n")
                .arg(tileHeight)
                .toUtf8()));
        StatusOr<MediaPlaylist> imagePlaylist =
            MediaPlaylist::load(out + QStringLiteral("/thumbs/images.m3u8"));
        QVERIFY2(imagePlaylist.isOk(), qPrintable(imagePlaylist.status().message()));
        QCOMPARE(imagePlaylist->segments.size(), sheets.size());
        QVERIFY(std::abs(imagePlaylist->totalSeconds() - videoSeconds) < 0.001);
    }

    void offWritesNone() {
        const QString input = path(QStringLiteral("off.mp4"));
        QVERIFY(makeClip(input, 3, QStringLiteral("testsrc2=size=320x240:rate=25")));
        const QString ladder = path(QStringLiteral("ladder-off.json"));
        QVERIFY(writeBytes(ladder, R"({"segmentSeconds": 2, "x264Preset": "ultrafast",
            "playerPage": false, "thumbnails": false,
            "renditions": [{"height": 144, "videoKbps": 150}]})"));
        const QString out = path(QStringLiteral("off"));
        const QJsonObject result = transcode(input, out, ladder);
        QCOMPARE(result[QStringLiteral("status")].toString(), QStringLiteral("ok"));
        QVERIFY(!result.contains(QStringLiteral("thumbnails")));
        QVERIFY(!QFileInfo::exists(out + QStringLiteral("/thumbs")));
        QVERIFY(!readAll(out + QStringLiteral("/master.m3u8")).contains("IMAGE-STREAM-INF"));
    }
};

QTEST_GUILESS_MAIN(ThumbnailsTest)
#include "tst_thumbnails.moc"
