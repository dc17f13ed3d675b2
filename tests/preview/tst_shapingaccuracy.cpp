// Network shaping: the throughput a client measures stays within ±15 % of the profile's rate,
// for single and concurrent clients (the link is shared), across a step, and with latency.

#include "HttpTestClient.h"

#include "preview/ShapedFileServer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrent>

using namespace hlsforge::preview;
using hlsforge::test::httpRequest;
using hlsforge::test::HttpResponse;

namespace {
constexpr double kTolerance = 0.15;

QString describe(double measured, double target) {
    return QStringLiteral("measured %1 kb/s, target %2 kb/s (%3 %)")
        .arg(measured, 0, 'f', 1)
        .arg(target)
        .arg((measured / target - 1.0) * 100.0, 0, 'f', 1);
}
} // namespace

class TestShapingAccuracy : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void constantRate_data();
    void constantRate();
    void sharedLink();
    void stepDown();
    void profileChangeWhileServing();
    void latency();

private:
    QTemporaryDir m_root;
};

void TestShapingAccuracy::initTestCase() {
    QVERIFY(m_root.isValid());
    QFile f(m_root.path() + "/seg.ts");
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.write(QByteArray(8 * 1024 * 1024, 'x')) > 0);
    f.close();
    QFile small(m_root.path() + "/index.m3u8");
    QVERIFY(small.open(QIODevice::WriteOnly));
    small.write("#EXTM3U\n");
}

void TestShapingAccuracy::constantRate_data() {
    QTest::addColumn<double>("rateKbps");
    QTest::newRow("600 kb/s") << 600.0;
    QTest::newRow("2000 kb/s") << 2000.0;
    QTest::newRow("8000 kb/s") << 8000.0;
    QTest::newRow("30000 kb/s") << 30000.0;
}

void TestShapingAccuracy::constantRate() {
    QFETCH(double, rateKbps);
    ShapedFileServer server(m_root.path());
    server.setProfile(ShapingProfile::constant(rateKbps));
    QVERIFY(server.start().isOk());
    QSignalSpy spy(&server, &ShapedFileServer::requestFinished);
    // About 1.5 s of transfer at the target rate.
    const qint64 bytes = qint64(rateKbps * 1000 / 8 * 1.5);
    const HttpResponse r = httpRequest(server.port(), "GET", "/seg.ts",
                                       {{"Range", "bytes=0-" + QByteArray::number(bytes - 1)}});
    QVERIFY(r.ok);
    QCOMPARE(r.body.size(), bytes);
    const double measured = bytes * 8.0 / r.totalMs;
    QVERIFY2(qAbs(measured / rateKbps - 1.0) <= kTolerance,
             qPrintable(describe(measured, rateKbps)));
    qInfo().noquote() << "client:" << describe(measured, rateKbps);
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 3000);
    const RequestEvent ev = spy.first().first().value<RequestEvent>();
    QCOMPARE(ev.shapedRateKbps, rateKbps);
    QVERIFY2(qAbs(ev.throughputKbps / rateKbps - 1.0) <= kTolerance,
             qPrintable("server-side " + describe(ev.throughputKbps, rateKbps)));
}

void TestShapingAccuracy::sharedLink() {
    // Like a real access link: four clients share 4000 kb/s, about 1000 kb/s each.
    const double rateKbps = 4000;
    ShapedFileServer server(m_root.path());
    server.setProfile(ShapingProfile::constant(rateKbps));
    QVERIFY(server.start().isOk());
    const quint16 port = server.port();
    const qint64 bytesEach = qint64(rateKbps * 1000 / 8 * 1.5 / 4);
    QElapsedTimer clock;
    clock.start();
    QList<QFuture<HttpResponse>> clients;
    QThreadPool pool;
    pool.setMaxThreadCount(4);
    for (int i = 0; i < 4; ++i)
        clients.append(QtConcurrent::run(&pool, [port, bytesEach] {
            return httpRequest(port, "GET", "/seg.ts",
                               {{"Range", "bytes=0-" + QByteArray::number(bytesEach - 1)}});
        }));
    qint64 total = 0;
    for (QFuture<HttpResponse>& c : clients) {
        const HttpResponse r = c.result();
        QVERIFY(r.ok);
        total += r.body.size();
        const double each = bytesEach * 8.0 / r.totalMs;
        QVERIFY2(qAbs(each / (rateKbps / 4) - 1.0) <= 0.25,
                 qPrintable("one client: " + describe(each, rateKbps / 4)));
    }
    const double aggregate = total * 8.0 / (clock.nsecsElapsed() / 1e6);
    QVERIFY2(qAbs(aggregate / rateKbps - 1.0) <= kTolerance,
             qPrintable(describe(aggregate, rateKbps)));
    qInfo().noquote() << "aggregate of 4:" << describe(aggregate, rateKbps);
}

void TestShapingAccuracy::stepDown() {
    // 4000 kb/s for the first second of the profile, then 1000 kb/s. The expected duration is
    // computed from when the request reached the server on the profile's clock, so a slow
    // start of the client does not count against the shaper.
    const double stepSeconds = 1.0;
    const double highKbps = 4000;
    const double lowKbps = 1000;
    ShapedFileServer server(m_root.path());
    QVERIFY(server.start().isOk());
    QSignalSpy spy(&server, &ShapedFileServer::requestFinished);
    server.setProfile(ShapingProfile::steps(QStringLiteral("test step"),
                                            {{0, highKbps}, {stepSeconds, lowKbps}}, 0));
    const double appliedAt = server.secondsSinceStart() - server.secondsSinceProfileApplied();
    const qint64 bytes = 750000;
    const HttpResponse r = httpRequest(server.port(), "GET", "/seg.ts",
                                       {{"Range", "bytes=0-" + QByteArray::number(bytes - 1)}});
    QVERIFY(r.ok);
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 3000);
    const RequestEvent ev = spy.first().first().value<RequestEvent>();
    const double startInProfile = ev.startSeconds - appliedAt;
    QVERIFY(startInProfile >= 0);
    const double highBytes =
        std::min(double(bytes), std::max(0.0, stepSeconds - startInProfile) * highKbps * 1000 / 8);
    const double expectedMs =
        (highBytes * 8 / highKbps + (double(bytes) - highBytes) * 8 / lowKbps);
    QVERIFY2(expectedMs > 2000, qPrintable(QString::number(expectedMs))); // the step happened
    QVERIFY2(
        qAbs(ev.durationMs / expectedMs - 1.0) <= kTolerance,
        qPrintable(QStringLiteral("took %1 ms, expected %2 (request began %3 s into the profile)")
                       .arg(ev.durationMs)
                       .arg(expectedMs)
                       .arg(startInProfile)));
    QCOMPARE(server.currentRateKbps(), lowKbps);
}

void TestShapingAccuracy::profileChangeWhileServing() {
    ShapedFileServer server(m_root.path());
    server.setProfile(ShapingProfile::constant(400));
    QVERIFY(server.start().isOk());
    const quint16 port = server.port();
    // 400 KB: at 400 kb/s this would take 8 s; switched to 8000 kb/s after 0.5 s it takes ~0.9 s.
    QFuture<HttpResponse> download = QtConcurrent::run([port] {
        return httpRequest(port, "GET", "/seg.ts", {{"Range", "bytes=0-399999"}});
    });
    QTest::qWait(500);
    server.setProfile(ShapingProfile::constant(8000));
    const HttpResponse r = download.result();
    QVERIFY(r.ok);
    QCOMPARE(r.body.size(), 400000);
    QVERIFY2(r.totalMs < 1600, qPrintable(QString::number(r.totalMs)));
}

void TestShapingAccuracy::latency() {
    ShapedFileServer server(m_root.path());
    ShapingProfile profile = ShapingProfile::unlimited();
    profile.latencyMs = 250;
    server.setProfile(profile);
    QVERIFY(server.start().isOk());
    for (int i = 0; i < 3; ++i) {
        const HttpResponse r = httpRequest(server.port(), "GET", "/index.m3u8");
        QCOMPARE(r.status, 200);
        QVERIFY2(r.firstByteMs >= 245 && r.firstByteMs < 400,
                 qPrintable(QString::number(r.firstByteMs)));
    }
}

QTEST_GUILESS_MAIN(TestShapingAccuracy)
#include "tst_shapingaccuracy.moc"
