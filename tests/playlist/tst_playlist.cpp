// Playlist writer against literal text; parsers; codec strings; bandwidth measurement.

#include "playlist/CodecString.h"
#include "playlist/MasterPlaylist.h"
#include "playlist/MediaPlaylist.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge;

class PlaylistTest : public QObject {
    Q_OBJECT
private slots:
    void masterPlaylistText() {
        MasterPlaylist m;
        m.version = 4;
        m.variants.append({QStringLiteral("720p/index.m3u8"), 3300000, 3100000,
                           QStringLiteral("avc1.64001f,mp4a.40.2"), 1280, 720, 30,
                           QStringLiteral("SDR")});
        m.variants.append({QStringLiteral("360p/index.m3u8"), 800000, 700000,
                           QStringLiteral("avc1.64001e,mp4a.40.2"), 640, 360, 29.97,
                           QStringLiteral("SDR")});
        m.iframeStreams.append({QStringLiteral("720p/iframes.m3u8"), 150000,
                                QStringLiteral("avc1.64001f"), 1280, 720});
        const QByteArray expected =
            "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-INDEPENDENT-SEGMENTS\n"
            "\n#EXT-X-STREAM-INF:BANDWIDTH=3300000,AVERAGE-BANDWIDTH=3100000,CODECS=\"avc1.64001f,"
            "mp4a.40.2\",RESOLUTION=1280x720,FRAME-RATE=30.000,VIDEO-RANGE=SDR\n"
            "720p/index.m3u8\n"
            "\n#EXT-X-STREAM-INF:BANDWIDTH=800000,AVERAGE-BANDWIDTH=700000,CODECS=\"avc1.64001e,"
            "mp4a.40.2\",RESOLUTION=640x360,FRAME-RATE=29.970,VIDEO-RANGE=SDR\n"
            "360p/index.m3u8\n"
            "\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=150000,CODECS=\"avc1.64001f\",RESOLUTION="
            "1280x720,URI=\"720p/iframes.m3u8\"\n";
        QCOMPARE(m.toText(), expected);

        StatusOr<MasterPlaylist> parsed = MasterPlaylist::parse(expected, QStringLiteral("m"));
        QVERIFY(parsed.isOk());
        QCOMPARE(parsed->variants.size(), 2);
        QCOMPARE(parsed->variants[1].codecs, QStringLiteral("avc1.64001e,mp4a.40.2"));
        QCOMPARE(parsed->variants[1].height, 360);
        QCOMPARE(parsed->variants[0].bandwidth, 3300000);
        QCOMPARE(parsed->variants[1].videoRange, QStringLiteral("SDR"));
        QCOMPARE(parsed->iframeStreams.size(), 1);
        QCOMPARE(parsed->iframeStreams[0].uri, QStringLiteral("720p/iframes.m3u8"));
    }

    // Subtitle renditions (EXT-X-MEDIA before the variants that name the group) and the seek
    // thumbnails' image stream (Roku's EXT-X-IMAGE-STREAM-INF, after the I-frame streams).
    void masterWithSubtitlesAndImages() {
        MasterPlaylist m;
        VariantStream v;
        v.uri = QStringLiteral("360p/index.m3u8");
        v.bandwidth = 800000;
        v.subtitlesGroup = QStringLiteral("subs");
        m.variants.append(v);
        MediaRendition en;
        en.groupId = QStringLiteral("subs");
        en.name = QStringLiteral("English");
        en.language = QStringLiteral("en");
        en.isDefault = true;
        en.uri = QStringLiteral("subs/en/index.m3u8");
        MediaRendition fr = en;
        fr.name = QStringLiteral("Français (forced)");
        fr.language = QStringLiteral("fr");
        fr.isDefault = false;
        fr.forced = true;
        fr.uri = QStringLiteral("subs/fr/index.m3u8");
        m.media = {en, fr};
        m.imageStreams.append(
            {12000, 160, 90, QStringLiteral("jpeg"), QStringLiteral("thumbs/images.m3u8")});
        const QByteArray expected =
            "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-INDEPENDENT-SEGMENTS\n"
            "\n#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",LANGUAGE=\"en\","
            "DEFAULT=YES,AUTOSELECT=YES,FORCED=NO,URI=\"subs/en/index.m3u8\"\n"
            "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"Français (forced)\","
            "LANGUAGE=\"fr\",DEFAULT=NO,AUTOSELECT=YES,FORCED=YES,URI=\"subs/fr/index.m3u8\"\n"
            "\n#EXT-X-STREAM-INF:BANDWIDTH=800000,SUBTITLES=\"subs\"\n360p/index.m3u8\n"
            "\n#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=12000,RESOLUTION=160x90,CODECS=\"jpeg\","
            "URI=\"thumbs/images.m3u8\"\n";
        QCOMPARE(QString::fromUtf8(m.toText()), QString::fromUtf8(expected));

        StatusOr<MasterPlaylist> parsed = MasterPlaylist::parse(expected, QStringLiteral("m"));
        QVERIFY(parsed.isOk());
        QCOMPARE(parsed->media.size(), 2);
        QCOMPARE(parsed->media[1].name, QStringLiteral("Français (forced)"));
        QCOMPARE(parsed->media[1].language, QStringLiteral("fr"));
        QVERIFY(parsed->media[0].isDefault && !parsed->media[1].isDefault);
        QVERIFY(parsed->media[1].forced && parsed->media[1].autoselect);
        QCOMPARE(parsed->variants[0].subtitlesGroup, QStringLiteral("subs"));
        QCOMPARE(parsed->imageStreams.size(), 1);
        QCOMPARE(parsed->imageStreams[0].uri, QStringLiteral("thumbs/images.m3u8"));
        QCOMPARE(parsed->imageStreams[0].height, 90);
    }

    void mediaPlaylistWithByteRanges() {
        const QByteArray text =
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n"
            "#EXT-X-MAP:URI=\"stream.m4s\",BYTERANGE=\"1333@0\"\n"
            "#EXTINF:6.000000,\n#EXT-X-BYTERANGE:669504@1333\nstream.m4s\n"
            "#EXTINF:2.5,\n#EXT-X-BYTERANGE:1000\nstream.m4s\n#EXT-X-ENDLIST\n";
        StatusOr<MediaPlaylist> p = MediaPlaylist::parse(text, QStringLiteral("p"));
        QVERIFY2(p.isOk(), qPrintable(p.status().message()));
        QCOMPARE(p->version, 7);
        QCOMPARE(p->mapUri, QStringLiteral("stream.m4s"));
        QCOMPARE(p->mapByteRangeLength, 1333);
        QCOMPARE(p->segments.size(), 2);
        QCOMPARE(p->segments[1].byteRangeOffset, 1333 + 669504);
        QCOMPARE(p->segments[1].startSeconds, 6.0);
        QCOMPARE(p->totalSeconds(), 8.5);
        QVERIFY(p->endList);
    }

    void rejectsGarbage() {
        QVERIFY(!MediaPlaylist::parse("hello", QStringLiteral("x")).isOk());
        QVERIFY(!MediaPlaylist::parse("#EXTM3U\nseg.ts\n", QStringLiteral("x")).isOk());
        QVERIFY(!MasterPlaylist::parse("#EXTM3U\n", QStringLiteral("x")).isOk());
    }

    void codecStrings() {
        const uint8_t avcc[] = {1, 0x64, 0x00, 0x28, 0xff};
        QCOMPARE(h264CodecString(avcc, sizeof avcc), QStringLiteral("avc1.640028"));
        const uint8_t annexB[] = {0, 0, 0, 1, 0x67, 0x4d, 0x40, 0x1f, 0xaa, 0, 0, 1, 0x68, 0x11};
        QCOMPARE(h264CodecString(annexB, sizeof annexB), QStringLiteral("avc1.4d401f"));
        QCOMPARE(h264CodecString(nullptr, 0), QString());
    }

    void bandwidthIsMeasuredFromSegmentBytes() {
        QTemporaryDir dir;
        auto write = [&](const QString& name, int bytes) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(bytes, 'x'));
        };
        write(QStringLiteral("a.ts"), 600000); // 800 kb/s over 6 s
        write(QStringLiteral("b.ts"), 900000); // 1200 kb/s over 6 s
        write(QStringLiteral("c.ts"), 100000); // 0.4 s: left out of the peak
        const QByteArray text = "#EXTM3U\n#EXTINF:6,\na.ts\n#EXTINF:6,\nb.ts\n#EXTINF:0.4,\nc.ts\n";
        StatusOr<MediaPlaylist> p = MediaPlaylist::parse(text, QStringLiteral("p"));
        QVERIFY(p.isOk());
        StatusOr<BandwidthMeasurement> m = measureBandwidth(p.value(), dir.path());
        QVERIFY(m.isOk());
        QCOMPARE(m->peakBitsPerSecond, 1200000);
        QCOMPARE(m->totalBytes, 1600000);
        QCOMPARE(m->averageBitsPerSecond, qint64(std::ceil(1600000 * 8 / 12.4)));
    }
};

QTEST_GUILESS_MAIN(PlaylistTest)
#include "tst_playlist.moc"
