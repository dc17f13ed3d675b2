// Streaming, not downloading: the progressive MP4 is read through our preview server by real
// clients that seek to the middle (ffmpeg -ss, and a <video> element in headless Chromium),
// and the server's request log shows Range requests adding up to a small part of the file.

#include "TestMedia.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge::test;

namespace {

struct Mp4Requests {
    qint64 bodyBytes = 0;
    int requests = 0;
    qint64 furthestRangeFirst = -1;
};

// Sums the server's JSON request lines for `name`.
Mp4Requests requestsFor(const QList<QByteArray>& lines, const QString& name) {
    Mp4Requests r;
    for (const QByteArray& line : lines) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(QStringLiteral("path")).toString() != name)
            continue;
        ++r.requests;
        r.bodyBytes += o.value(QStringLiteral("bytes")).toInteger(); // sent, not promised
        if (o.contains(QStringLiteral("rangeFirst")))
            r.furthestRangeFirst =
                std::max(r.furthestRangeFirst, o.value(QStringLiteral("rangeFirst")).toInteger());
    }
    return r;
}

} // namespace

class ProgressiveStreamingTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_out;
    qint64 m_size = 0;
    QProcess m_server;
    QString m_base; // http://127.0.0.1:PORT/
    QList<QByteArray> m_lines;

    // Server lines so far (the process keeps running).
    void readServer() {
        m_server.waitForReadyRead(200);
        while (m_server.canReadLine()) {
            const QByteArray line = m_server.readLine().trimmed();
            if (line.startsWith('{'))
                m_lines.append(line);
        }
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const QString input = m_dir.filePath(QStringLiteral("talk.mp4"));
        QVERIFY(makeClip(input, 40,
                         QStringLiteral("testsrc2=size=640x360:rate=30,noise=alls=8:allf=t")));
        const QString ladder = m_dir.filePath(QStringLiteral("ladder.json"));
        QFile f(ladder);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"x264Preset": "ultrafast", "progressive": "360p", "playerPage": false,
                   "renditions": [{"height": 360, "videoKbps": 1500}, {"height": 180, "videoKbps": 300}]})");
        f.close();
        m_out = m_dir.filePath(QStringLiteral("out"));
        const ProcessResult made =
            runProcess(cliPath(), {QStringLiteral("transcode"), input, QStringLiteral("--out"),
                                   m_out, QStringLiteral("--ladder"), ladder,
                                   QStringLiteral("--progress"), QStringLiteral("none")});
        QVERIFY2(made.ok(), made.err.constData());
        m_size = QFileInfo(m_out + QStringLiteral("/talk.mp4")).size();
        QVERIFY(m_size > 4'000'000);
        QFile page(m_out + QStringLiteral("/video.html"));
        QVERIFY(page.open(QIODevice::WriteOnly));
        page.write("<!doctype html><html><body><video src=\"talk.mp4\" preload=\"metadata\" "
                   "muted></video></body></html>\n");
        page.close();

        // A 16 Mb/s link: a client that downloaded the file instead of seeking would show it.
        m_server.start(cliPath(), {QStringLiteral("serve"), m_out, QStringLiteral("--kbps"),
                                   QStringLiteral("16000")});
        QVERIFY(m_server.waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(m_server.canReadLine(), 10000);
        const QString first = QString::fromUtf8(m_server.readLine()).trimmed();
        QVERIFY2(first.startsWith(QLatin1String("http://127.0.0.1:")), qPrintable(first));
        m_base = first.left(first.indexOf(QLatin1Char('/'), 7) + 1);
    }

    void ffmpegSeeksToTheMiddleWithRangeRequests() {
        const int before = m_lines.size();
        const ProcessResult seek = runProcess(
            QStringLiteral("ffmpeg"),
            {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-ss"),
             QStringLiteral("20"), QStringLiteral("-i"), m_base + QStringLiteral("talk.mp4"),
             QStringLiteral("-frames:v"), QStringLiteral("1"), QStringLiteral("-f"),
             QStringLiteral("null"), QStringLiteral("-")},
            60000);
        QVERIFY2(seek.ok(), seek.err.constData());
        QTest::qWait(500);
        readServer();
        const Mp4Requests r = requestsFor(m_lines.mid(before), QStringLiteral("talk.mp4"));
        qInfo() << "ffmpeg -ss 20:" << r.requests << "requests," << r.bodyBytes << "of" << m_size
                << "bytes";
        QVERIFY(r.requests >= 2);                        // the start (moov), then the middle
        QVERIFY(r.furthestRangeFirst > m_size * 4 / 10); // a Range request near 50 %
        QVERIFY(r.bodyBytes < m_size / 4);
    }

    void browserVideoElementSeeksToTheMiddle() {
        if (!QFileInfo(QStringLiteral("/usr/bin/chromium")).isExecutable())
            QSKIP("no /usr/bin/chromium (scripts/install-deps.sh installs it)");
        const QString script =
            qEnvironmentVariable("HLSFORGE_SOURCE_DIR") + QStringLiteral("/tests/web/mp4-seek.mjs");
        const int before = m_lines.size();
        const ProcessResult browser = runProcess(
            QStringLiteral("node"), {script, m_base + QStringLiteral("video.html")}, 120000);
        qInfo().noquote() << browser.out.trimmed();
        QVERIFY2(browser.ok(), (browser.out + browser.err).constData());
        QTest::qWait(500);
        readServer();
        const Mp4Requests r = requestsFor(m_lines.mid(before), QStringLiteral("talk.mp4"));
        qInfo() << "<video> at 50 %:" << r.requests << "requests," << r.bodyBytes << "of" << m_size
                << "bytes";
        QVERIFY(r.furthestRangeFirst > m_size * 4 / 10);
        QVERIFY(r.bodyBytes < m_size / 2);
    }

    void cleanupTestCase() {
        m_server.terminate();
        m_server.waitForFinished(5000);
    }
};

QTEST_GUILESS_MAIN(ProgressiveStreamingTest)
#include "tst_progressive_streaming.moc"
