// QoeRecording and TimelinePainter without a player: the QoE figures from a known record
// (seconds per rung, average bitrate, stalls, switches by name), the throughput readout over
// the last segments only, the CSV, and the chart's scale and size.

#include "qoe/QoeRecording.h"
#include "qoe/TimelinePainter.h"

#include <QFont>
#include <QGuiApplication>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge::qoe;

class TestQoeRecording : public QObject {
    Q_OBJECT
private slots:
    void rungNames_data();
    void rungNames();
    void rungLabelsByCodec();
    void reportFromRecord();
    void throughputDescribesTheLastSegments();
    void csvHasOneLinePerFetch();
    void niceScale();
    void chartIsReadable();
    void rungLabelsNeverOverlap_data();
    void rungLabelsNeverOverlap();

private:
    static QoeRecording sample();
};

void TestQoeRecording::rungNames_data() {
    QTest::addColumn<QString>("uri");
    QTest::addColumn<QString>("name");
    QTest::newRow("folder") << "720p/index.m3u8"
                            << "720p";
    QTest::newRow("nested") << "video/360p/index.m3u8"
                            << "360p";
    QTest::newRow("flat") << "stream_1.m3u8"
                          << "stream_1";
}

void TestQoeRecording::rungNames() {
    QFETCH(QString, uri);
    QFETCH(QString, name);
    QCOMPARE(rungNameFromUri(uri), name);
}

// The timeline names rungs by codec (and HDR range) only when the ladder mixes them.
void TestQoeRecording::rungLabelsByCodec() {
    QCOMPARE(videoCodecFromCodecs(QStringLiteral("avc1.64001f,mp4a.40.2")),
             QStringLiteral("H.264"));
    QCOMPARE(videoCodecFromCodecs(QStringLiteral("mp4a.40.2,hvc1.2.4.L93.B0")),
             QStringLiteral("HEVC"));
    QCOMPARE(videoCodecFromCodecs(QStringLiteral("av01.0.05M.10")), QStringLiteral("AV1"));
    QCOMPARE(videoCodecFromCodecs(QStringLiteral("mp4a.40.2")), QString());

    auto rung = [](const char* name, int w, int h, const char* codec, const char* range) {
        RungInfo r;
        r.name = QString::fromLatin1(name);
        r.width = w;
        r.height = h;
        r.codec = QString::fromLatin1(codec);
        r.videoRange = QString::fromLatin1(range);
        return r;
    };
    QVector<RungInfo> single = {rung("720p", 1280, 720, "H.264", "SDR"),
                                rung("360p", 640, 360, "H.264", "SDR")};
    labelRungs(&single);
    QCOMPARE(single[0].label, QStringLiteral("720p"));
    QVector<RungInfo> mixed = {
        rung("1080p-hdr", 1920, 1080, "HEVC", "PQ"), rung("720p-hevc", 1280, 720, "HEVC", "SDR"),
        rung("720p-hi", 1280, 720, "H.264", "SDR"), rung("720p", 1280, 720, "H.264", "SDR"),
        rung("portrait", 360, 640, "AV1", "SDR")};
    labelRungs(&mixed);
    QCOMPARE(mixed[0].label, QStringLiteral("1080p HEVC PQ"));
    QCOMPARE(mixed[1].label, QStringLiteral("720p HEVC"));
    // Two rungs of the same size and codec keep their names apart.
    QCOMPARE(mixed[2].label, QStringLiteral("720p-hi H.264"));
    QCOMPARE(mixed[3].label, QStringLiteral("720p H.264"));
    QCOMPARE(mixed[4].label, QStringLiteral("360p AV1")); // the short side
    QoeRecording r;
    r.rungs = mixed;
    QCOMPARE(r.rungLabel(1), QStringLiteral("720p HEVC"));
    QCOMPARE(r.rungLabel(7), QStringLiteral("rung 7"));
}

QoeRecording TestQoeRecording::sample() {
    QoeRecording r;
    r.profileName = QStringLiteral("3G");
    r.rungs = {{QStringLiteral("360p"), 1600, 640, 360},
               {QStringLiteral("240p"), 560, 426, 240},
               {QStringLiteral("144p"), 200, 256, 144}};
    r.mediaSeconds = 8;
    r.startupSeconds = 0.8;
    // Four 2 s segments: two on 360p (the first on an unlimited link), then 240p; segment 2 is
    // fetched twice (360p abandoned for 240p), the later fetch is the one shown.
    auto seg = [](double t, double transfer, int rung, qint64 bytes, double link, double media) {
        SegmentRecord s;
        s.t = t;
        s.transferSeconds = transfer;
        s.rung = rung;
        s.bytes = bytes;
        s.linkKbps = link;
        s.mediaStart = media;
        s.mediaSeconds = 2;
        s.complete = true;
        s.path = QStringLiteral("seg%1.ts").arg(media);
        return s;
    };
    r.segments = {seg(0.1, 0.01, 0, 400000, 0, 0), seg(0.2, 2.0, 0, 400000, 1600, 2),
                  seg(2.5, 1.0, 1, 140000, 1600, 2), seg(3.6, 1.0, 1, 140000, 1600, 4),
                  seg(4.7, 1.0, 1, 140000, 1600, 6)};
    r.link = {{0, 0}, {0.15, 1600}, {10, 1600}}; // unlimited, then 3G
    r.switches = {{2.5, 0, 1, QStringLiteral("bandwidth")}};
    r.stalls = {{3.0, 1.5, false}};
    r.reachedEnd = true;
    r.furthestPositionSeconds = 8;
    return r;
}

void TestQoeRecording::reportFromRecord() {
    const QoeReport report = sample().report(10.5);
    QCOMPARE(report.profile, QStringLiteral("3G"));
    QCOMPARE(report.stallCount, 1);
    QCOMPARE(report.stallSeconds, 1.5);
    QVERIFY(report.reachedEnd);
    QCOMPARE(report.switches.size(), 1);
    QCOMPARE(report.switches[0].from, QStringLiteral("360p"));
    QCOMPARE(report.switches[0].to, QStringLiteral("240p"));
    QCOMPARE(report.switches[0].reason, QStringLiteral("bandwidth"));
    // Shown: 0-2 s on 360p, 2-8 s on 240p (the 360p fetch of 2-4 s was replaced).
    QCOMPARE(report.secondsPerRung.size(), 2);
    QCOMPARE(report.secondsPerRung[0], std::make_pair(QStringLiteral("360p"), 2.0));
    QCOMPARE(report.secondsPerRung[1], std::make_pair(QStringLiteral("240p"), 6.0));
    // (400000 + 3 * 140000) bytes * 8 / 8 s
    QCOMPARE(std::lround(report.averageKbps), 820L);
    const QJsonObject json = report.toJson();
    for (const char* key : {"profile", "startupSeconds", "stallCount", "stallSeconds", "reachedEnd",
                            "switches", "secondsPerRung"})
        QVERIFY2(json.contains(QLatin1String(key)), key);
    QCOMPARE(
        json[QStringLiteral("switches")].toArray()[0].toObject()[QStringLiteral("to")].toString(),
        QStringLiteral("240p"));
    QCOMPARE(json[QStringLiteral("secondsPerRung")].toObject()[QStringLiteral("240p")].toDouble(),
             6.0);
    QVERIFY2(report.summaryLine().contains(QStringLiteral("75 % on 240p")),
             qPrintable(report.summaryLine()));
    // Not reached the end: only what was shown counts.
    QoeRecording partial = sample();
    partial.reachedEnd = false;
    partial.furthestPositionSeconds = 3.0;
    const QoeReport early = partial.report(5);
    double shown = 0;
    for (const auto& rung : early.secondsPerRung)
        shown += rung.second;
    QCOMPARE(shown, 4.0);
    const QString table = QoeReport::comparisonTable({report, early});
    QVERIFY2(table.contains(QStringLiteral("% 240p")), qPrintable(table));
    QCOMPARE(table.trimmed().split(QLatin1Char('\n')).size(), 3);
}

void TestQoeRecording::throughputDescribesTheLastSegments() {
    QoeRecording r = sample();
    // The first fetch ran at 320 Mb/s on the unlimited loopback; the readout after the switch
    // to 3G must not average it in (issue 10: "measured 1929.02 Mb/s" on a 1.6 Mb/s link).
    const double recent = r.recentThroughputKbps(3);
    QCOMPARE(std::lround(recent), 1120L);           // 3 * 140000 B * 8 / 3 s
    QVERIFY(r.recentThroughputKbpsAt(1, 3) > 1000); // includes the unlimited one: earlier
    QCOMPARE(QoeRecording().recentThroughputKbps(), 0.0);
    // Since a network change: only transfers that started after it; none yet gives 0.
    QCOMPARE(std::lround(r.recentThroughputKbpsSince(2.0)), 1120L);
    QCOMPARE(std::lround(r.recentThroughputKbpsSince(3.0)), 1120L); // 2 transfers: 3.6, 4.7
    QCOMPARE(r.recentThroughputKbpsSince(5.0), 0.0);
}

void TestQoeRecording::csvHasOneLinePerFetch() {
    const QList<QByteArray> lines = sample().timelineCsv().trimmed().split('\n');
    QCOMPARE(lines.size(), 6);
    QCOMPARE(lines[0], QByteArray("seconds,shaped_kbps,rung,rung_name,rung_bandwidth_kbps,bytes,"
                                  "transfer_seconds,measured_kbps,recent_kbps,switch,path"));
    QCOMPARE(lines[3],
             QByteArray("3.500,1600,1,240p,560.0,140000,1.0000,1120.0,2498.3,1,\"seg2.ts\""));
}

void TestQoeRecording::niceScale() {
    double step = 0;
    QCOMPARE(TimelinePainter::niceCeiling(1760, &step), 2000.0);
    QCOMPARE(step, 500.0);
    QCOMPARE(TimelinePainter::niceCeiling(13.2, &step, 8), 14.0);
    QCOMPARE(step, 2.0);
}

void TestQoeRecording::chartIsReadable() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("chart.png"));
    QString error;
    QVERIFY2(TimelinePainter::savePng(sample(), 10.5, path, QStringLiteral("test"), &error),
             qPrintable(error));
    const QImage image(path);
    QCOMPARE(image.size(), QSize(1200, 480));
    // The series are drawn in their own colours inside the plot (below the title and legend,
    // which take the top ~55 px at this size): the rung line, the link and the measured dots.
    auto has = [&](const QColor& colour) {
        for (int y = 80; y < image.height() - 60; ++y)
            for (int x = 90; x < image.width() - 90; ++x) {
                const QColor c = image.pixelColor(x, y);
                if (std::abs(c.red() - colour.red()) + std::abs(c.green() - colour.green()) +
                        std::abs(c.blue() - colour.blue()) <
                    30)
                    return true;
            }
        return false;
    };
    QVERIFY(has(TimelinePainter::kRungColour));
    QVERIFY(has(TimelinePainter::kLinkColour));
    QVERIFY(has(TimelinePainter::kMeasuredColour));
    QVERIFY(!TimelinePainter::savePng(sample(), 10, QStringLiteral("/nonexistent/x.png"), QString(),
                                      &error));
    QVERIFY(error.contains(QStringLiteral("/nonexistent/x.png")));
}

void TestQoeRecording::rungLabelsNeverOverlap_data() {
    QTest::addColumn<QSize>("size");
    QTest::addColumn<QVector<double>>("kbps");
    // Rungs 50 kb/s apart on a 7 Mb/s scale sit within a pixel or two of each other.
    QTest::newRow("close rungs, PNG size")
        << QSize(1200, 480) << QVector<double>{1000, 1050, 1100, 1200, 6500};
    QTest::newRow("close rungs, small window")
        << QSize(640, 260) << QVector<double>{145, 365, 730, 1100, 2000, 3000, 4500, 6000, 7800};
    QTest::newRow("close at the bottom")
        << QSize(900, 360) << QVector<double>{10, 20, 30, 40, 5000};
    QTest::newRow("close at the top") << QSize(900, 360) << QVector<double>{500, 4900, 4950, 5000};
}

void TestQoeRecording::rungLabelsNeverOverlap() {
    QFETCH(QSize, size);
    QFETCH(QVector<double>, kbps);
    QoeRecording r;
    for (int i = 0; i < kbps.size(); ++i)
        r.rungs.append({QStringLiteral("rung%1").arg(i), kbps[i], 1280, 720});
    QFont font;
    font.setPixelSize(std::max(12, size.height() / 32)); // as render() sets it
    const QRectF area(QPointF(0, 0), QSizeF(size));
    const QVector<QRectF> labels = TimelinePainter::rungLabelRects(area, r, 30, font);
    QCOMPARE(labels.size(), kbps.size());
    for (int i = 0; i < labels.size(); ++i) {
        QVERIFY2(area.contains(labels[i]), qPrintable(QStringLiteral("label %1").arg(i)));
        for (int j = i + 1; j < labels.size(); ++j)
            QVERIFY2(!labels[i].intersects(labels[j]),
                     qPrintable(QStringLiteral("labels %1 (%2 kb/s) and %3 (%4 kb/s) overlap")
                                    .arg(i)
                                    .arg(kbps[i])
                                    .arg(j)
                                    .arg(kbps[j])));
    }
    // Still in the rungs' order: a higher BANDWIDTH is never labelled below a lower one.
    for (int i = 0; i + 1 < labels.size(); ++i)
        QVERIFY(labels[i].center().y() > labels[i + 1].center().y());
}

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv); // fonts for the chart
    TestQoeRecording test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_qoerecording.moc"
