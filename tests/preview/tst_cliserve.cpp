// hlsforge-cli serve: prints the URL, then one JSON line per request; SIGTERM stops it
// cleanly; --list-profiles; usage errors.

#include "HttpTestClient.h"
#include "TestMedia.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <csignal>

using hlsforge::test::httpRequest;

class TestCliServe : public QObject {
    Q_OBJECT
private slots:
    void servesAndLogsJson();
    void listProfiles();
    void usageErrors_data();
    void usageErrors();
};

void TestCliServe::servesAndLogsJson() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("lo")));
    QFile master(dir.filePath(QStringLiteral("master.m3u8")));
    QVERIFY(master.open(QIODevice::WriteOnly));
    master.write("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=500000,RESOLUTION=640x360\nlo/index.m3u8\n");
    master.close();
    QFile media(dir.filePath(QStringLiteral("lo/index.m3u8")));
    QVERIFY(media.open(QIODevice::WriteOnly));
    media.write("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg.ts\n#EXT-X-ENDLIST\n");
    media.close();
    QFile segment(dir.filePath(QStringLiteral("lo/seg.ts")));
    QVERIFY(segment.open(QIODevice::WriteOnly));
    segment.write(QByteArray(5000, 'x'));
    segment.close();

    QProcess serve;
    serve.start(hlsforge::test::cliPath(),
                {QStringLiteral("serve"), dir.path(), QStringLiteral("--profile"),
                 QStringLiteral("Wi-Fi"), QStringLiteral("--latency-ms"), QStringLiteral("0")});
    QVERIFY(serve.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(serve.canReadLine(), 5000);
    const QUrl url(QString::fromUtf8(serve.readLine()).trimmed());
    QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(url.path(), QStringLiteral("/master.m3u8"));
    const quint16 port = quint16(url.port());

    const auto r = httpRequest(port, "GET", "/lo/seg.ts", {{"Range", "bytes=100-199"}});
    QCOMPARE(r.status, 206);
    QCOMPARE(r.body.size(), 100);
    QTRY_VERIFY_WITH_TIMEOUT(serve.canReadLine(), 5000);
    const QJsonObject event = QJsonDocument::fromJson(serve.readLine()).object();
    QCOMPARE(event.value(QStringLiteral("path")).toString(), QStringLiteral("lo/seg.ts"));
    QCOMPARE(event.value(QStringLiteral("status")).toInt(), 206);
    QCOMPARE(event.value(QStringLiteral("rendition")).toInt(), 0);
    QCOMPARE(event.value(QStringLiteral("bandwidth")).toInt(), 500000);
    QCOMPARE(event.value(QStringLiteral("rangeFirst")).toInt(), 100);
    QCOMPARE(event.value(QStringLiteral("bytes")).toInt(), 100);
    QCOMPARE(event.value(QStringLiteral("shapedKbps")).toDouble(), 30000.0);
    QVERIFY(event.contains(QStringLiteral("durationMs")));
    QVERIFY(event.contains(QStringLiteral("throughputKbps")));

    ::kill(pid_t(serve.processId()), SIGTERM);
    QVERIFY(serve.waitForFinished(5000));
    QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
    QCOMPARE(serve.exitCode(), 0);
    QCOMPARE(httpRequest(port, "GET", "/master.m3u8", {}, 1000).status, 0); // nobody listens
}

void TestCliServe::listProfiles() {
    const auto r = hlsforge::test::runProcess(
        hlsforge::test::cliPath(), {QStringLiteral("serve"), QStringLiteral("--list-profiles")},
        10000);
    QVERIFY(r.ok());
    for (const char* name : {"Unlimited", "3G", "4G", "Wi-Fi", "Step down", "Sawtooth"})
        QVERIFY2(r.out.contains(QByteArray(name) + '\t'), name);
}

void TestCliServe::usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("no folder") << QStringList{} << QByteArray("Usage:");
    QTest::newRow("two rate options")
        << QStringList{"/tmp", "--kbps", "100", "--profile", "3G"} << QByteArray("only one of");
    QTest::newRow("unknown profile")
        << QStringList{"/tmp", "--profile", "5G"} << QByteArray("Step down");
    QTest::newRow("bad port") << QStringList{"/tmp", "--port", "70000"} << QByteArray("--port");
    QTest::newRow("bad kbps") << QStringList{"/tmp", "--kbps", "fast"} << QByteArray("--kbps");
    QTest::newRow("missing trace")
        << QStringList{"/tmp", "--trace", "/nonexistent.csv"} << QByteArray("/nonexistent.csv");
    QTest::newRow("unknown option")
        << QStringList{"/tmp", "--frobnicate"} << QByteArray("--frobnicate");
    QTest::newRow("missing value")
        << QStringList{"/tmp", "--latency-ms"} << QByteArray("--latency-ms needs a value");
    QTest::newRow("two folders") << QStringList{"/tmp", "/var"} << QByteArray("only one folder");
}

void TestCliServe::usageErrors() {
    QFETCH(QStringList, args);
    QFETCH(QByteArray, message);
    const auto r = hlsforge::test::runProcess(hlsforge::test::cliPath(),
                                              QStringList{QStringLiteral("serve")} + args, 10000);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), r.err.constData());
}

QTEST_GUILESS_MAIN(TestCliServe)
#include "tst_cliserve.moc"
