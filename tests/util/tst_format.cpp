// The formatters and the content-type table shared by the CLI, the GUI, the preview server,
// the publisher and the player page.

#include "util/ContentTypes.h"
#include "util/Format.h"

#include <QSet>
#include <QTest>

#include <limits>

using namespace hlsforge;

class TestFormat : public QObject {
    Q_OBJECT
private slots:
    void duration_data() {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0.0 << "0:00";
        QTest::newRow("rounds") << 6.6 << "0:07";
        QTest::newRow("minutes") << 723.0 << "12:03";
        QTest::newRow("hours") << 3723.0 << "1:02:03";
        QTest::newRow("negative: unknown") << -1.0 << "";
        QTest::newRow("nan: unknown") << std::numeric_limits<double>::quiet_NaN() << "";
        QTest::newRow("inf: unknown") << std::numeric_limits<double>::infinity() << "";
    }
    void duration() {
        QFETCH(double, seconds);
        QFETCH(QString, text);
        QCOMPARE(formatDuration(seconds), text);
    }
    void durationUnknownText() {
        QCOMPARE(formatDuration(-1, QStringLiteral("--:--")), QStringLiteral("--:--"));
        QCOMPARE(formatDuration(59.4, QStringLiteral("--:--")), QStringLiteral("0:59"));
    }

    void bytes_data() {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("bytes") << qint64(812) << "812 B";
        QTest::newRow("kilobytes") << qint64(812000) << "812 KB";
        QTest::newRow("one decimal") << qint64(1400000000) << "1.4 GB";
        QTest::newRow("no decimal from 100") << qint64(120000000) << "120 MB";
        QTest::newRow("carry, not 1000 KB") << qint64(999700) << "1.0 MB";
        QTest::newRow("negative") << qint64(-1) << "";
    }
    void bytes() {
        QFETCH(qint64, bytes);
        QFETCH(QString, text);
        QCOMPARE(formatBytes(bytes), text);
    }

    void rates() {
        QCOMPARE(formatBitsPerSecond(640000), QStringLiteral("640 kb/s"));
        QCOMPARE(formatBitsPerSecond(1200000), QStringLiteral("1.20 Mb/s"));
        QCOMPARE(formatBitsPerSecond(0), QStringLiteral("?"));
        // Three significant digits, whatever the size (the walk saw "2419.61 Mb/s").
        QCOMPARE(formatKbps(2419610), QStringLiteral("2.42 Gb/s"));
        QCOMPARE(formatKbps(24196.1), QStringLiteral("24.2 Mb/s"));
        QCOMPARE(formatKbps(241961), QStringLiteral("242 Mb/s"));
        QCOMPARE(formatKbps(30000), QStringLiteral("30.0 Mb/s"));
        QCOMPARE(formatKbps(1600), QStringLiteral("1.60 Mb/s"));
        QCOMPARE(formatKbps(145.4), QStringLiteral("145 kb/s"));
        QCOMPARE(formatKbps(999.7), QStringLiteral("1.00 Mb/s"));
        QCOMPARE(formatKbps(999996), QStringLiteral("1.00 Gb/s"));
        QCOMPARE(formatKbps(-1), QStringLiteral("?"));
        QCOMPARE(formatBytesPerSecond(3.4e6), QStringLiteral("3.4 MB/s"));
        QCOMPARE(formatBytesPerSecond(-1), QStringLiteral("?"));
    }

    void contentTypes_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("type");
        QTest::newRow("master") << "master.m3u8" << QByteArray("application/vnd.apple.mpegurl");
        QTest::newRow("upper case")
            << "720p/INDEX.M3U8" << QByteArray("application/vnd.apple.mpegurl");
        QTest::newRow("ts") << "720p/seg_00001.ts" << QByteArray("video/mp2t");
        QTest::newRow("fmp4 segment") << "720p/seg_00001.m4s" << QByteArray("video/iso.segment");
        QTest::newRow("init") << "720p/init.mp4" << QByteArray("video/mp4");
        QTest::newRow("audio rendition") << "audio/seg.m4a" << QByteArray("audio/mp4");
        QTest::newRow("subtitles") << "subs/en.vtt" << QByteArray("text/vtt; charset=utf-8");
        QTest::newRow("page") << "index.html" << QByteArray("text/html; charset=utf-8");
        QTest::newRow("poster") << "poster.jpg" << QByteArray("image/jpeg");
        QTest::newRow("png") << "thumbs/1.png" << QByteArray("image/png");
        QTest::newRow("json") << "result.json" << QByteArray("application/json");
        QTest::newRow("dot in a folder only")
            << "v1.0/README" << QByteArray("application/octet-stream");
        QTest::newRow("unknown") << "blob.xyz" << QByteArray("application/octet-stream");
        QTest::newRow("no extension") << "LICENSE" << QByteArray("application/octet-stream");
    }
    void contentTypes() {
        QFETCH(QString, path);
        QFETCH(QByteArray, type);
        QCOMPARE(contentTypeForPath(path), type);
    }
    void contentTypeTableIsConsistent() {
        QSet<QString> seen;
        for (const ContentTypeEntry& e : contentTypeTable()) {
            const QString ext = QString::fromLatin1(e.extension);
            QVERIFY2(ext == ext.toLower() && !ext.startsWith(QLatin1Char('.')), e.extension);
            QVERIFY2(!seen.contains(ext), e.extension); // one answer per extension
            seen.insert(ext);
        }
    }
};

QTEST_APPLESS_MAIN(TestFormat)
#include "tst_format.moc"
