// The player page in a real browser: a 3-rung ladder made by `hlsforge-cli transcode`, the
// page written by writePlayerPage, served over HTTP on 127.0.0.1 (`hlsforge-cli serve`), and played
// in headless Chromium by tests/web/player-e2e.mjs (playwright-core). One row per way of loading
// the scripts.

#include "TestMedia.h"
#include "web/PlayerPage.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <cmath>

using namespace hlsforge;

namespace {

QString sourceDir() {
    return qEnvironmentVariable("HLSFORGE_SOURCE_DIR");
}
QString chromiumPath() {
    const QString fromEnv = qEnvironmentVariable("CHROMIUM");
    return fromEnv.isEmpty() ? QStringLiteral("/usr/bin/chromium") : fromEnv;
}

// A static file server on 127.0.0.1 with a free port, stopped when destroyed.
class TestServer {
public:
    ~TestServer() {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000))
                m_process.kill();
            m_process.waitForFinished(2000);
        }
    }

    // Returns the base URL ("http://127.0.0.1:PORT/") or an empty URL with `error` set.
    QUrl start(const QString& dir, QString* error) {
        m_process.start(test::cliPath(), {QStringLiteral("serve"), dir, QStringLiteral("--port"),
                                          QStringLiteral("0")});
        // It prints where it listens on its first line of stdout.
        static const QRegularExpression url(QStringLiteral("http://127\\.0\\.0\\.1:(\\d+)/"));
        QByteArray out;
        for (int waitedMs = 0; waitedMs < 10000; waitedMs += 100) {
            m_process.waitForReadyRead(100);
            out += m_process.readAllStandardOutput();
            const QRegularExpressionMatch m = url.match(QString::fromUtf8(out));
            if (m.hasMatch())
                return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m.captured(1)));
            if (m_process.state() == QProcess::NotRunning)
                break;
        }
        *error =
            QStringLiteral("server did not start: %1 %2")
                .arg(QString::fromUtf8(out), QString::fromUtf8(m_process.readAllStandardError()));
        return {};
    }

private:
    QProcess m_process;
};

} // namespace

class PlayerBrowserTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_ladderDir;
    QString m_multiCodecDir; // H.264, HEVC and AV1 rungs in one master
    const QString m_title = QStringLiteral("clip <&> \"test\"");
    const QString m_mp4Name = QStringLiteral("clip take 1.mp4");
    bool m_cliWrotePage = false;
    bool m_canPublish = false;
    QProcess m_harness;

    // Publishes the ladder folder with `hlsforge-cli publish` to s3rver behind the publish
    // tests' harness and returns the folder's URL on s3rver itself (path style, anonymous GET).
    QUrl publishToS3rver(QString* error) {
        const QString bucket = QStringLiteral("hlsforge-web");
        const QString accessKey = QStringLiteral("AKWEBTEST"); // made up for this run
        const QString secret = QStringLiteral("web-test-secret");
        m_harness.start(QStringLiteral("node"),
                        {sourceDir() + QStringLiteral("/tests/node/s3-harness.js"),
                         QStringLiteral("--bucket"), bucket, QStringLiteral("--access-key"),
                         accessKey, QStringLiteral("--secret"), secret, QStringLiteral("--dir"),
                         m_tmp.filePath(QStringLiteral("s3rver-data"))});
        for (int waitedMs = 0; !m_harness.canReadLine() && waitedMs < 30000; waitedMs += 200) {
            if (m_harness.state() == QProcess::NotRunning)
                break;
            m_harness.waitForReadyRead(200);
        }
        const QJsonObject ports = QJsonDocument::fromJson(m_harness.readLine()).object();
        const int proxyPort = ports.value(QStringLiteral("proxyPort")).toInt();
        const int s3Port = ports.value(QStringLiteral("s3Port")).toInt();
        if (proxyPort <= 0 || s3Port <= 0) {
            *error = QStringLiteral("s3-harness did not start: ") +
                     QString::fromUtf8(m_harness.readAllStandardError());
            return {};
        }
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), accessKey);
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), secret);
        cli.setProcessEnvironment(env);
        cli.start(test::cliPath(),
                  {QStringLiteral("publish"), m_ladderDir, QStringLiteral("--to"),
                   QStringLiteral("s3://%1/show/ladder").arg(bucket), QStringLiteral("--endpoint"),
                   QStringLiteral("http://127.0.0.1:%1").arg(proxyPort)});
        if (!cli.waitForFinished(120000) || cli.exitStatus() != QProcess::NormalExit ||
            cli.exitCode() != 0) {
            *error =
                QStringLiteral("publish failed: ") + QString::fromUtf8(cli.readAllStandardError());
            return {};
        }
        qInfo().noquote() << "published:"
                          << QString::fromUtf8(cli.readAllStandardOutput()).trimmed();
        return QUrl(QStringLiteral("http://127.0.0.1:%1/%2/show/ladder/").arg(s3Port).arg(bucket));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        if (qEnvironmentVariableIsSet("HLSFORGE_KEEP_TEST_DIR")) { // for looking at a failure
            m_tmp.setAutoRemove(false);
            qInfo() << "keeping" << m_tmp.path();
        }
        // Everything the browser test needs is installed by scripts/test.sh; say what is missing.
        QVERIFY2(QFileInfo(chromiumPath()).isExecutable(),
                 "no /usr/bin/chromium: run scripts/install-deps.sh (Debian package chromium)");
        QVERIFY2(QFileInfo::exists(sourceDir() +
                                   QStringLiteral("/tests/web/node_modules/playwright-core")),
                 "no playwright-core: run `npm ci` in tests/web (scripts/test.sh does)");

        const QString clip = m_tmp.filePath(QStringLiteral("clip.mp4"));
        QVERIFY(test::makeClip(clip, 30, QStringLiteral("testsrc2=size=640x360:rate=30")));
        const QString ladder = m_tmp.filePath(QStringLiteral("ladder.json"));
        QFile f(ladder);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"segmentSeconds": 2, "x264Preset": "ultrafast", "audioKbps": 64,
                    "renditions": [{"height": 360, "videoKbps": 800},
                                   {"height": 240, "videoKbps": 400},
                                   {"height": 144, "videoKbps": 150}]})");
        f.close();
        m_ladderDir = m_tmp.filePath(QStringLiteral("ladder"));
        const test::ProcessResult transcode = test::runProcess(
            test::cliPath(),
            {QStringLiteral("transcode"), clip, QStringLiteral("--out"), m_ladderDir,
             QStringLiteral("--ladder"), ladder, QStringLiteral("--progressive"),
             QStringLiteral("--progress"), QStringLiteral("none")});
        QVERIFY2(transcode.ok(), transcode.err.constData());

        // A multi-codec ladder with the transcoder's own page: the page offers the rungs this
        // browser decodes (Chromium on Linux: H.264 and AV1, not HEVC) and plays them.
        const QString multiLadder = m_tmp.filePath(QStringLiteral("multi.json"));
        QFile mf(multiLadder);
        QVERIFY(mf.open(QIODevice::WriteOnly));
        mf.write(R"({"segmentSeconds": 2, "segmentFormat": "fmp4", "x264Preset": "ultrafast",
                     "x265Preset": "ultrafast", "svtAv1Preset": 12, "audioKbps": 64,
                     "renditions": [{"height": 360, "videoKbps": 800},
                                    {"height": 360, "videoKbps": 500, "codec": "hevc"},
                                    {"height": 240, "videoKbps": 300, "codec": "av1"},
                                    {"height": 144, "videoKbps": 150}]})");
        mf.close();
        m_multiCodecDir = m_tmp.filePath(QStringLiteral("multi"));
        const test::ProcessResult multi =
            test::runProcess(test::cliPath(),
                             {QStringLiteral("transcode"), clip, QStringLiteral("--out"),
                              m_multiCodecDir, QStringLiteral("--ladder"), multiLadder,
                              QStringLiteral("--progress"), QStringLiteral("none")},
                             300000);
        QVERIFY2(multi.ok(), multi.err.constData());

        // The engine writes the poster (and, with --progressive, the MP4); make them here when
        // this build's engine does not, so the page's poster and download link are exercised.
        const QString poster = QDir(m_ladderDir).filePath(QStringLiteral("poster.jpg"));
        if (!QFileInfo::exists(poster))
            QVERIFY(test::ffmpeg({QStringLiteral("-ss"), QStringLiteral("3"), QStringLiteral("-i"),
                                  clip, QStringLiteral("-frames:v"), QStringLiteral("1"), poster}));
        const QString progressive = QDir(m_ladderDir).filePath(QStringLiteral("clip.mp4"));
        if (!QFileInfo::exists(progressive))
            QVERIFY(QFile::copy(clip, progressive));
        // A second name that needs percent-encoding in the page's link.
        QVERIFY(QFile::copy(progressive, QDir(m_ladderDir).filePath(m_mp4Name)));
        // The page the transcoder wrote itself (default: CDN scripts), kept under another name
        // because the rows below rewrite index.html.
        const QString cliPage = QDir(m_ladderDir).filePath(QStringLiteral("index.html"));
        m_cliWrotePage = QFileInfo::exists(cliPage);
        if (m_cliWrotePage)
            QVERIFY(QFile::rename(cliPage, QDir(m_ladderDir).filePath(QStringLiteral("cli.html"))));
        qInfo() << "transcoder wrote a player page:" << m_cliWrotePage;

        // Publishing to s3rver (tests/node/s3-harness.js) needs this build's publish command.
        const test::ProcessResult help =
            test::runProcess(test::cliPath(), {QStringLiteral("--help")});
        m_canPublish =
            help.out.contains("\n  publish ") &&
            QFileInfo::exists(sourceDir() + QStringLiteral("/tests/node/node_modules/s3rver"));
        qInfo() << "publish to s3rver:" << m_canPublish;
    }

    void cleanupTestCase() {
        if (m_harness.state() == QProcess::Running) {
            m_harness.closeWriteChannel(); // the harness exits when its stdin closes
            if (!m_harness.waitForFinished(5000))
                m_harness.kill();
            m_harness.waitForFinished(5000);
        }
    }

    void playsInChromium_data() {
        QTest::addColumn<QString>("scriptsName");
        QTest::addColumn<QString>("pageName"); // empty: written by this test
        QTest::newRow("cdn") << QStringLiteral("cdn") << QString();
        QTest::newRow("self-contained") << QStringLiteral("self-contained") << QString();
        if (m_cliWrotePage)
            QTest::newRow("transcoder's page")
                << QStringLiteral("cdn") << QStringLiteral("cli.html");
        QTest::newRow("multi-codec ladder") << QStringLiteral("cdn") << QStringLiteral("multi");
        if (m_canPublish)
            QTest::newRow("published to s3rver") << QStringLiteral("cdn") << QStringLiteral("s3");
    }

    void playsInChromium() {
        QFETCH(QString, scriptsName);
        QFETCH(QString, pageName);
        PlayerScripts scripts = PlayerScripts::Cdn;
        QVERIFY(parsePlayerScripts(scriptsName, &scripts));
        // The transcoder's page: titled after the input, linking its progressive MP4.
        QString title = QStringLiteral("clip");
        QString download = QStringLiteral("clip.mp4");
        const bool publish = pageName == QLatin1String("s3");
        QString ladderDir = m_ladderDir;
        QStringList expectHidden;
        if (pageName == QLatin1String("multi")) {
            ladderDir = m_multiCodecDir;
            pageName = QStringLiteral("index.html");
            download.clear();
            expectHidden << QStringLiteral("360p-hevc");
        }
        if (pageName.isEmpty() || publish) {
            pageName = QStringLiteral("index.html");
            title = m_title;
            download = m_mp4Name;
            PlayerPageOptions options;
            options.title = title;
            options.progressiveMp4 = download;
            options.scripts = scripts;
            const Status written = writePlayerPage(ladderDir, options);
            QVERIFY2(written.isOk(), qPrintable(written.message()));
        }
        if (scripts == PlayerScripts::Cdn) // no stale copy can stand in for the CDN
            QVERIFY(QDir(QDir(ladderDir).filePath(QStringLiteral("player"))).removeRecursively());

        TestServer server;
        QString error;
        QUrl base;
        if (publish) {
            base = publishToS3rver(&error);
            pageName = QStringLiteral("index.html");
        } else {
            base = server.start(ladderDir, &error);
        }
        QVERIFY2(base.isValid(), qPrintable(error));

        QStringList args = {sourceDir() + QStringLiteral("/tests/web/player-e2e.mjs"),
                            QStringLiteral("--url"),
                            base.resolved(QUrl(pageName)).toString(),
                            QStringLiteral("--mode"),
                            playerScriptsName(scripts),
                            QStringLiteral("--title"),
                            title};
        if (!download.isEmpty())
            args << QStringLiteral("--download") << download;
        if (!expectHidden.isEmpty())
            args << QStringLiteral("--expect-hidden") << expectHidden.join(QLatin1Char(','));
        if (QTest::currentDataTag() == QLatin1String("cdn")) // once is enough: it is the same page
            args << QStringLiteral("--check-tampered") << QStringLiteral("yes");
        if (scripts == PlayerScripts::Cdn)
            args << QStringLiteral("--videojs-package")
                 << qEnvironmentVariable("HLSFORGE_VIDEOJS_NPM_DIR");
        const test::ProcessResult node = test::runProcess(QStringLiteral("node"), args, 120000);
        qInfo().noquote() << QString::fromUtf8(node.out).trimmed();
        QVERIFY2(node.ok(),
                 qPrintable(QStringLiteral("player-e2e failed (exit %1)\n%2%3")
                                .arg(node.exitCode)
                                .arg(QString::fromUtf8(node.out), QString::fromUtf8(node.err))));
    }

    // Two audio renditions (eng, deu): Video.js's audio menu is shown with both NAMEs, and
    // choosing German makes the player fetch the German rendition's segments.
    void audioTrackMenu() {
        const QString source = m_tmp.filePath(QStringLiteral("two-audio.mp4"));
        QVERIFY(test::makeTwoLanguageClip(source, 12));
        const QString ladder = m_tmp.filePath(QStringLiteral("two-audio.json"));
        QFile f(ladder);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"segmentSeconds": 2, "x264Preset": "ultrafast", "thumbnails": false,
                    "renditions": [{"height": 180, "videoKbps": 400}]})");
        f.close();
        const QString dir = m_tmp.filePath(QStringLiteral("two-audio"));
        const test::ProcessResult made = test::runProcess(
            test::cliPath(),
            {QStringLiteral("transcode"), source, QStringLiteral("--out"), dir,
             QStringLiteral("--ladder"), ladder, QStringLiteral("--player-scripts"),
             QStringLiteral("self-contained"), QStringLiteral("--progress"), QStringLiteral("none"),
             QStringLiteral("--no-check")});
        QVERIFY2(made.ok(), made.err.constData());
        TestServer server;
        QString error;
        const QUrl base = server.start(dir, &error);
        QVERIFY2(base.isValid(), qPrintable(error));
        const test::ProcessResult node = test::runProcess(
            QStringLiteral("node"),
            {sourceDir() + QStringLiteral("/tests/web/audio-menu.mjs"), QStringLiteral("--url"),
             base.resolved(QUrl(QStringLiteral("index.html"))).toString(),
             QStringLiteral("--select"), QStringLiteral("German")},
            120000);
        qInfo().noquote() << QString::fromUtf8(node.out).trimmed();
        QVERIFY2(node.ok(), qPrintable(QString::fromUtf8(node.out + node.err)));
        const QJsonObject summary =
            QJsonDocument::fromJson(node.out.trimmed().split('\n').constLast()).object();
        QCOMPARE(summary.value(QStringLiteral("items")).toArray(),
                 QJsonArray({QStringLiteral("English"), QStringLiteral("German")}));
        bool german = false;
        for (const QJsonValue& p : summary.value(QStringLiteral("fetched")).toArray())
            german |= p.toString().contains(QLatin1String("/audio/de/"));
        QVERIFY(german);
    }

    // Seek-bar hover thumbnails on the transcoder's own page: the picture shown over the bar
    // is the source's frame at the hovered time (the cue's start), compared with ffmpeg's own
    // frame there — and clearly not the frame half the video away. The source (still colour
    // bars, so nothing but the time moves) turns through the whole hue circle over its 20 s,
    // so every time has its own picture.
    void thumbnailOnSeekBarHover() {
        const QString source = m_tmp.filePath(QStringLiteral("hue.mp4"));
        QVERIFY(test::ffmpeg({QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                              QStringLiteral("smptehdbars=s=320x180:r=25,hue=H=2*PI*t/20:s=1"),
                              QStringLiteral("-t"), QStringLiteral("20"),
                              QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), source}));
        const QString ladder = m_tmp.filePath(QStringLiteral("hue.json"));
        QFile f(ladder);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"segmentSeconds": 2, "x264Preset": "ultrafast",
                    "renditions": [{"height": 180, "videoKbps": 400}]})");
        f.close();
        const QString dir = m_tmp.filePath(QStringLiteral("hue"));
        const test::ProcessResult made = test::runProcess(
            test::cliPath(),
            {QStringLiteral("transcode"), source, QStringLiteral("--out"), dir,
             QStringLiteral("--ladder"), ladder, QStringLiteral("--player-scripts"),
             QStringLiteral("self-contained"), QStringLiteral("--progress"), QStringLiteral("none"),
             QStringLiteral("--no-check")});
        QVERIFY2(made.ok(), made.err.constData());
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/thumbs/thumbnails.vtt")));

        TestServer server;
        QString error;
        const QUrl base = server.start(dir, &error);
        QVERIFY2(base.isValid(), qPrintable(error));
        const QString shots = m_tmp.filePath(QStringLiteral("hover-shots"));
        QVERIFY(QDir().mkpath(shots));
        const test::ProcessResult node = test::runProcess(
            QStringLiteral("node"),
            {sourceDir() + QStringLiteral("/tests/web/thumbnail-hover.mjs"),
             QStringLiteral("--url"), base.resolved(QUrl(QStringLiteral("index.html"))).toString(),
             QStringLiteral("--shots"), shots},
            120000);
        qInfo().noquote() << QString::fromUtf8(node.out).trimmed();
        QVERIFY2(node.ok(), qPrintable(QString::fromUtf8(node.out + node.err)));
        const QJsonArray hovers =
            QJsonDocument::fromJson(node.out.trimmed().split('\n').constLast())
                .object()
                .value(QStringLiteral("hovers"))
                .toArray();
        QCOMPARE(hovers.size(), 3);

        // PSNR of the shown picture against the source's frame at `seconds`, scaled as a tile.
        const auto psnrAt = [&](const QString& picture, double seconds) {
            const test::ProcessResult r = test::runProcess(
                QStringLiteral("ffmpeg"),
                {QStringLiteral("-i"), picture, QStringLiteral("-ss"),
                 QString::number(seconds, 'f', 3), QStringLiteral("-i"), source,
                 QStringLiteral("-frames:v"), QStringLiteral("1"), QStringLiteral("-lavfi"),
                 QStringLiteral("[1:v][0:v]scale2ref=flags=bicubic[ref][shown];[shown][ref]psnr"),
                 QStringLiteral("-f"), QStringLiteral("null"), QStringLiteral("-")});
            const QRegularExpressionMatch m =
                QRegularExpression(QStringLiteral("average:([0-9.]+|inf)"))
                    .match(QString::fromUtf8(r.err));
            return m.hasMatch() ? m.captured(1).toDouble() : -1.0;
        };
        for (const QJsonValue& value : hovers) {
            const QJsonObject h = value.toObject();
            const double cueStart = h.value(QStringLiteral("cueStart")).toDouble();
            const double seconds = h.value(QStringLiteral("seconds")).toDouble();
            QVERIFY2(seconds >= cueStart && seconds < cueStart + 10.0,
                     qPrintable(QString::number(seconds)));
            const QString picture = h.value(QStringLiteral("file")).toString();
            const double same = psnrAt(picture, cueStart);
            const double other = psnrAt(picture, std::fmod(cueStart + 10.0, 20.0));
            qInfo() << "hover at" << seconds << "s: PSNR" << same << "dB against the frame at"
                    << cueStart << "s," << other << "dB half the video away";
            QVERIFY2(same > 22 && same > other + 5,
                     qPrintable(QStringLiteral("%1 dB vs %2 dB").arg(same).arg(other)));
        }
    }
};

QTEST_GUILESS_MAIN(PlayerBrowserTest)
#include "tst_player_browser.moc"
