// S3PublishTest: hlsforge-cli publish against a real S3 REST API (s3rver on loopback)
// behind tests/node/s3-harness.js, which re-verifies every SigV4 signature with AWS's npm
// reference signer and checks x-amz-content-sha256 and Content-MD5. Objects are then
// listed and downloaded straight from s3rver (not through our client) and compared with
// the local files: bytes, Content-Type, Cache-Control.

#include "PublishFixture.h"
#include "TestMedia.h"

#include "publish/PublishJob.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QXmlStreamReader>

using namespace hlsforge;
using namespace hlsforge::test;

namespace {

struct HttpResult {
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QByteArray cacheControl;
};

HttpResult httpRequest(QNetworkAccessManager& nam, const QByteArray& method, const QUrl& url,
                       const QByteArray& body = {}) {
    QNetworkRequest request(url);
    request.setTransferTimeout(30000);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply* reply = nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    HttpResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.contentType = reply->rawHeader("Content-Type");
    r.cacheControl = reply->rawHeader("Cache-Control");
    reply->deleteLater();
    return r;
}

QString randomHex(int bytes) {
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char& c : raw)
        c = static_cast<char>(QRandomGenerator::global()->bounded(256));
    return QString::fromLatin1(raw.toHex());
}

QString expectedContentType(const QString& rel) {
    const QString ext = QFileInfo(rel).suffix();
    static const QMap<QString, QString> types{
        {QStringLiteral("m3u8"), QStringLiteral("application/vnd.apple.mpegurl")},
        {QStringLiteral("ts"), QStringLiteral("video/mp2t")},
        {QStringLiteral("m4s"), QStringLiteral("video/iso.segment")},
        {QStringLiteral("mp4"), QStringLiteral("video/mp4")},
        {QStringLiteral("vtt"), QStringLiteral("text/vtt; charset=utf-8")},
        {QStringLiteral("m4a"), QStringLiteral("audio/mp4")},
        {QStringLiteral("html"), QStringLiteral("text/html; charset=utf-8")},
        {QStringLiteral("jpg"), QStringLiteral("image/jpeg")},
        {QStringLiteral("js"), QStringLiteral("application/javascript")},
        {QStringLiteral("css"), QStringLiteral("text/css")},
        {QStringLiteral("json"), QStringLiteral("application/json")},
        {QStringLiteral("png"), QStringLiteral("image/png")},
        {QStringLiteral("aac"), QStringLiteral("audio/aac")}};
    // Anything else a ladder may carry goes out as generic bytes.
    return types.value(ext, QStringLiteral("application/octet-stream"));
}

QString expectedCacheControl(const QString& rel) {
    const QString ext = QFileInfo(rel).suffix();
    if (ext == QLatin1String("ts") || ext == QLatin1String("m4s") || ext == QLatin1String("mp4") ||
        ext == QLatin1String("vtt") || ext == QLatin1String("aac"))
        return QStringLiteral("max-age=31536000, immutable");
    return QStringLiteral("max-age=60");
}

} // namespace

class S3PublishTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void publishLadder();
    void republishUploadsNothing();
    void faultsAreRetried();
    void wrongSecretFailsFast();
    void interruptedPublishResumes();
    void abandonedMultipartIsAborted();
    void staleUploadFromACrashIsAborted();
    void cancelIsPrompt();
    void lostCompleteAnswerIsRecovered();
    void publishTranscodedLadder();

private:
    QJsonObject control(const QByteArray& what, const QJsonObject& config = {});
    QJsonObject stats() { return control("stats"); }
    CliRun publish(const QString& prefix, const QStringList& extra = {},
                   const QString& secret = {});
    void verifyPublished(const QString& prefix) { verifyPublished(prefix, m_files); }
    void verifyPublished(const QString& prefix, const QMap<QString, QByteArray>& files);
    QUrl s3Url(const QByteArray& encodedPathAndQuery) const {
        return QUrl::fromEncoded("http://127.0.0.1:" + QByteArray::number(m_s3Port) +
                                 encodedPathAndQuery);
    }

    QTemporaryDir m_work;
    QString m_ladder;
    QMap<QString, QByteArray> m_files;
    QProcess m_harness;
    int m_proxyPort = 0;
    int m_s3Port = 0;
    QString m_accessKey;
    QString m_secret;
    QNetworkAccessManager m_nam;
    const QString m_bucket = QStringLiteral("hlsforge-test");
};

void S3PublishTest::initTestCase() {
    QVERIFY(m_work.isValid());
    m_ladder = m_work.filePath(QStringLiteral("ladder"));
    QVERIFY(makePublishFixture(m_ladder));
    m_files = readTree(m_ladder);
    QVERIFY(m_files.size() >= 14); // 2 × (4 segments + playlist) + master + 4 extras

    const QString script =
        qEnvironmentVariable("HLSFORGE_SOURCE_DIR") + QStringLiteral("/tests/node/s3-harness.js");
    QVERIFY2(QFile::exists(script), qPrintable(script));
    QVERIFY2(
        QDir(QFileInfo(script).absolutePath() + QStringLiteral("/node_modules/s3rver")).exists(),
        "run `npm install` in tests/node (scripts/test.sh does)");
    // Fake credentials made up for this run: nothing real can leak.
    m_accessKey = QStringLiteral("AKTEST") + randomHex(7).toUpper();
    m_secret = randomHex(20);
    m_harness.setProgram(QStringLiteral("node"));
    m_harness.setArguments({script, QStringLiteral("--bucket"), m_bucket,
                            QStringLiteral("--access-key"), m_accessKey, QStringLiteral("--secret"),
                            m_secret, QStringLiteral("--dir"),
                            m_work.filePath(QStringLiteral("s3rver-data"))});
    m_harness.setProcessChannelMode(QProcess::SeparateChannels);
    m_harness.start();
    QVERIFY(m_harness.waitForStarted(10000));
    QElapsedTimer clock;
    clock.start();
    while (!m_harness.canReadLine() && clock.elapsed() < 30000 &&
           m_harness.state() == QProcess::Running)
        m_harness.waitForReadyRead(500);
    const QJsonObject ports = QJsonDocument::fromJson(m_harness.readLine()).object();
    m_proxyPort = ports.value(QStringLiteral("proxyPort")).toInt();
    m_s3Port = ports.value(QStringLiteral("s3Port")).toInt();
    QVERIFY2(m_proxyPort > 0 && m_s3Port > 0, m_harness.readAllStandardError().constData());
}

void S3PublishTest::cleanupTestCase() {
    if (m_harness.state() == QProcess::Running) {
        m_harness.closeWriteChannel(); // the harness exits when its stdin closes
        if (!m_harness.waitForFinished(5000)) {
            m_harness.kill();
            m_harness.waitForFinished(5000);
        }
    }
}

QJsonObject S3PublishTest::control(const QByteArray& what, const QJsonObject& config) {
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/__hlsforge/%2")
                       .arg(m_proxyPort)
                       .arg(QString::fromLatin1(what)));
    const HttpResult r = what == "stats"
                             ? httpRequest(m_nam, "GET", url)
                             : httpRequest(m_nam, "POST", url, QJsonDocument(config).toJson());
    return QJsonDocument::fromJson(r.body).object();
}

CliRun S3PublishTest::publish(const QString& prefix, const QStringList& extra,
                              const QString& secret) {
    QProcessEnvironment env;
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_accessKey);
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), secret.isEmpty() ? m_secret : secret);
    QStringList args{QStringLiteral("publish"),
                     m_ladder,
                     QStringLiteral("--to"),
                     QStringLiteral("s3://%1/%2").arg(m_bucket, prefix),
                     QStringLiteral("--endpoint"),
                     QStringLiteral("http://127.0.0.1:%1").arg(m_proxyPort),
                     QStringLiteral("--part-size-mib"),
                     QStringLiteral("5"),
                     QStringLiteral("--retry-base-ms"),
                     QStringLiteral("20"),
                     QStringLiteral("--progress"),
                     QStringLiteral("json")};
    return runCli(args + extra, env, 120000);
}

void S3PublishTest::verifyPublished(const QString& prefix, const QMap<QString, QByteArray>& files) {
    const HttpResult list =
        httpRequest(m_nam, "GET",
                    s3Url("/" + m_bucket.toUtf8() + "?list-type=2&max-keys=1000&prefix=" +
                          QUrl::toPercentEncoding(prefix + "/")));
    QCOMPARE(list.status, 200);
    QStringList keys;
    QXmlStreamReader xml(list.body);
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("Key"))
            keys.append(xml.readElementText());
    }
    QStringList expectedKeys;
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        expectedKeys.append(prefix + QLatin1Char('/') + it.key());
    keys.sort();
    expectedKeys.sort();
    QCOMPARE(keys, expectedKeys);
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const QByteArray path =
            "/" + m_bucket.toUtf8() + "/" + QUrl::toPercentEncoding(prefix + "/" + it.key(), "/");
        const HttpResult object = httpRequest(m_nam, "GET", s3Url(path));
        QCOMPARE(object.status, 200);
        QVERIFY2(object.body == it.value(), qPrintable(it.key()));
        QCOMPARE(QString::fromUtf8(object.contentType), expectedContentType(it.key()));
        QCOMPARE(QString::fromUtf8(object.cacheControl), expectedCacheControl(it.key()));
    }
}

void S3PublishTest::publishLadder() {
    control("reset");
    const CliRun run =
        publish(QStringLiteral("show"), {QStringLiteral("--parallel"), QStringLiteral("4")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QString base =
        QStringLiteral("http://127.0.0.1:%1/%2/show/").arg(m_proxyPort).arg(m_bucket);
    QVERIFY2(run.out.contains(("playback: " + base + "master.m3u8\n").toUtf8()),
             run.out.constData());
    QVERIFY2(run.out.contains(("page: " + base + "index.html\n").toUtf8()), run.out.constData());

    // JSON lines on stderr, the last one the result.
    const QList<QByteArray> lines = run.err.trimmed().split('\n');
    const QJsonObject result = QJsonDocument::fromJson(lines.last()).object();
    QCOMPARE(result.value(QStringLiteral("event")).toString(), QStringLiteral("result"));
    QCOMPARE(result.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(result.value(QStringLiteral("filesUploaded")).toInt(), m_files.size());
    QCOMPARE(result.value(QStringLiteral("bytesDone")).toInteger(),
             result.value(QStringLiteral("bytesTotal")).toInteger());

    verifyPublished(QStringLiteral("show"));

    const QJsonObject s = stats();
    QCOMPARE(
        s.value(QStringLiteral("rejected")).toObject(),
        QJsonObject({{"signature", 0}, {"sha256", 0}, {"md5", 0}, {"denied", 0}, {"other", 0}}));
    QCOMPARE(s.value(QStringLiteral("completes")).toInt(), 1); // the 20 MiB file, in 5 MiB parts
    QCOMPARE(s.value(QStringLiteral("partPuts")).toInt(), 5);
    QCOMPARE(s.value(QStringLiteral("openUploads")).toInt(), 0);

    // Order: every segment before any media playlist, the master and its page last.
    const QJsonArray order = s.value(QStringLiteral("putKeys")).toArray();
    QCOMPARE(order.size(), m_files.size());
    int lastSegment = -1, firstMedia = 1 << 30, lastMedia = -1, firstFinal = 1 << 30;
    for (int i = 0; i < order.size(); ++i) {
        const QString key = order[i].toString();
        if (key.endsWith(QLatin1String("master.m3u8")) ||
            key.endsWith(QLatin1String("index.html")) || key.endsWith(QLatin1String("poster.jpg")))
            firstFinal = std::min(firstFinal, i);
        else if (key.endsWith(QLatin1String(".m3u8")))
            firstMedia = std::min(firstMedia, i), lastMedia = std::max(lastMedia, i);
        else
            lastSegment = std::max(lastSegment, i);
    }
    QVERIFY(lastSegment < firstMedia);
    QVERIFY(lastMedia < firstFinal);
    QCOMPARE(firstFinal, order.size() - 3);
    QVERIFY(order.last().toString().endsWith(QLatin1String("/master.m3u8")));
}

void S3PublishTest::republishUploadsNothing() {
    control("reset");
    const CliRun run = publish(QStringLiteral("show"));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject s = stats();
    QCOMPARE(s.value(QStringLiteral("puts")).toInt(), 0);
    QCOMPARE(s.value(QStringLiteral("creates")).toInt(), 0);
    const QJsonObject result =
        QJsonDocument::fromJson(run.err.trimmed().split('\n').last()).object();
    QCOMPARE(result.value(QStringLiteral("filesSkipped")).toInt(), m_files.size());
}

void S3PublishTest::faultsAreRetried() {
    control("reset");
    // PUT ordinals: throttling, server errors and connections dropped mid-body, on parts and
    // on whole objects alike.
    control("config", {{"faults", QJsonObject{{"1", "slowdown"},
                                              {"2", "500"},
                                              {"3", "drop"},
                                              {"6", "503"},
                                              {"9", "drop"},
                                              {"10", "slowdown"},
                                              {"14", "drop"}}}});
    const CliRun run =
        publish(QStringLiteral("faults"), {QStringLiteral("--parallel"), QStringLiteral("3"),
                                           // More than the default 5 attempts: a retried request
                                           // draws a new ordinal and could, by bad luck, meet
                                           // several faults in a row; this test is about recovery.
                                           QStringLiteral("--attempts"), QStringLiteral("10")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject s = stats();
    QCOMPARE(s.value(QStringLiteral("faultsInjected")).toInt(), 7);
    QCOMPARE(s.value(QStringLiteral("openUploads")).toInt(), 0);
    const QJsonObject result =
        QJsonDocument::fromJson(run.err.trimmed().split('\n').last()).object();
    // Answers with an HTTP status are always ours to retry; a dropped connection may be
    // re-sent by Qt itself once (it does so for a kept-alive connection closed under it).
    QVERIFY2(result.value(QStringLiteral("retries")).toInt() >= 4, run.err.constData());
    verifyPublished(QStringLiteral("faults"));
    control("reset");
}

void S3PublishTest::wrongSecretFailsFast() {
    control("reset");
    const QString wrong = randomHex(20);
    QElapsedTimer clock;
    clock.start();
    const CliRun run = publish(QStringLiteral("wrong"), {}, wrong);
    QCOMPARE(run.exitCode, 1);
    QVERIFY(clock.elapsed() < timingBudgetMs(20000));
    QVERIFY2(run.err.contains("SignatureDoesNotMatch"), run.err.constData());
    QVERIFY2(run.err.contains("secret access key does not match"), run.err.constData());
    QVERIFY(!run.err.contains(wrong.toUtf8()) && !run.out.contains(wrong.toUtf8()));
    QVERIFY(!run.err.contains(m_secret.toUtf8()));
    QCOMPARE(stats().value(QStringLiteral("requests")).toInt(), 1); // refused once, not retried
}

void S3PublishTest::interruptedPublishResumes() {
    control("reset");
    control("config", {{"denyWritesAfter", 6}});
    const CliRun first =
        publish(QStringLiteral("resume"), {QStringLiteral("--parallel"), QStringLiteral("2")});
    QCOMPARE(first.exitCode, 1);
    QVERIFY2(first.err.contains("AccessDenied"), first.err.constData());
    const QJsonObject s1 = stats();
    const int written = s1.value(QStringLiteral("writesOk")).toInt();
    QVERIFY(written >= 6 && written < m_files.size());
    QCOMPARE(s1.value(QStringLiteral("openUploads")).toInt(), 0);
    QSet<QString> firstKeys;
    for (const QJsonValue& k : s1.value(QStringLiteral("putKeys")).toArray())
        firstKeys.insert(k.toString());
    QVERIFY(!firstKeys.contains(QStringLiteral("resume/master.m3u8")));

    control("reset");
    const CliRun second = publish(QStringLiteral("resume"));
    QVERIFY2(second.exitCode == 0, second.err.constData());
    const QJsonObject s2 = stats();
    QCOMPARE(s2.value(QStringLiteral("writesOk")).toInt(), m_files.size() - written);
    for (const QJsonValue& k : s2.value(QStringLiteral("putKeys")).toArray())
        QVERIFY2(!firstKeys.contains(k.toString()),
                 qPrintable(k.toString() + QStringLiteral(" uploaded twice")));
    verifyPublished(QStringLiteral("resume"));
}

void S3PublishTest::abandonedMultipartIsAborted() {
    control("reset");
    control("config", {{"denyPartsAfter", 2}});
    const CliRun run =
        publish(QStringLiteral("abort"), {QStringLiteral("--parallel"), QStringLiteral("1")});
    QCOMPARE(run.exitCode, 1);
    const QJsonObject s = stats();
    QCOMPARE(s.value(QStringLiteral("creates")).toInt(), 1);
    QCOMPARE(s.value(QStringLiteral("aborts")).toInt(), 1);
    QCOMPARE(s.value(QStringLiteral("openUploads")).toInt(), 0);
    control("reset");
}

void S3PublishTest::staleUploadFromACrashIsAborted() {
    control("reset");
    // What a killed publish leaves behind: a multipart upload that was never completed.
    {
        publish::S3Target target;
        target.bucket = m_bucket;
        target.endpoint = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_proxyPort));
        publish::S3Client client(target, {m_accessKey, m_secret, {}}, {}, nullptr);
        auto created = client.call(
            {"POST", QStringLiteral("stale/download/source.mp4"), {{"uploads", {}}}, {}, {}},
            QStringLiteral("create"));
        QVERIFY2(created.isOk(), qPrintable(created.status().message()));
    }
    QCOMPARE(stats().value(QStringLiteral("openUploads")).toInt(), 1);
    const CliRun run = publish(QStringLiteral("stale"));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject s = stats();
    QCOMPARE(s.value(QStringLiteral("aborts")).toInt(), 1);
    QCOMPARE(s.value(QStringLiteral("openUploads")).toInt(), 0);
}

void S3PublishTest::cancelIsPrompt() {
    control("reset");
    // The first PUT is throttled and the backoff is long: cancel must not wait it out.
    control("config", {{"faults", QJsonObject{{"1", "slowdown"}}}});
    publish::PublishOptions options;
    options.sourceDir = m_ladder;
    options.destination = publish::PublishOptions::Destination::S3;
    options.s3.bucket = m_bucket;
    options.s3.prefix = QStringLiteral("cancel");
    options.s3.endpoint = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_proxyPort));
    options.credentials = {m_accessKey, m_secret, {}};
    options.parallelRequests = 1;
    options.retry.baseDelayMs = 20000;
    options.retry.maxDelayMs = 20000;
    publish::PublishJob job(options);
    QSignalSpy finished(&job, &Job::finished);
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(stats().value(QStringLiteral("faultsInjected")).toInt() == 1, 15000);
    QElapsedTimer clock;
    clock.start();
    job.cancel();
    QVERIFY(finished.wait(5000));
    QVERIFY(clock.elapsed() < timingBudgetMs(3000)); // the backoff it interrupted is 10–20 s
    const auto result = job.result();
    QCOMPARE(finished.first().first().value<Status>().code(), Status::Code::Cancelled);
    QVERIFY(result.status.isCancelled());
    QVERIFY(job.publishProgress().finished);
    QCOMPARE(stats().value(QStringLiteral("openUploads")).toInt(), 0);
    control("reset");
}

void S3PublishTest::lostCompleteAnswerIsRecovered() {
    control("reset");
    // S3 completed the multipart upload but the answer never arrived: the retry then gets
    // NoSuchUpload, and the object itself must show that the publish succeeded.
    control("config", {{"dropCompleteAnswers", 1}});
    const CliRun run = publish(QStringLiteral("lost"));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject s = stats();
    QCOMPARE(s.value(QStringLiteral("faultsInjected")).toInt(), 1);
    QCOMPARE(s.value(QStringLiteral("completes")).toInt(), 1);
    verifyPublished(QStringLiteral("lost"));
    control("reset");
}

// The ladder as the app makes it (fMP4 segments, init segments, I-frame playlists, poster),
// when this build has the transcode command.
void S3PublishTest::publishTranscodedLadder() {
    const CliRun help = runCli({QStringLiteral("transcode"), QStringLiteral("--help")});
    if (help.exitCode != 0)
        QSKIP("hlsforge-cli has no transcode command in this build (core/transcode skipped)");
    const QString clip = m_work.filePath(QStringLiteral("clip.mp4"));
    QVERIFY(makeClip(clip, 6, QStringLiteral("testsrc2=size=854x480:rate=25")));
    const QString ladder = m_work.filePath(QStringLiteral("transcoded"));
    const CliRun transcode =
        runCli({QStringLiteral("transcode"), clip, QStringLiteral("--out"), ladder,
                QStringLiteral("--ladder"), QStringLiteral("mobile"), QStringLiteral("--segments"),
                QStringLiteral("fmp4"), QStringLiteral("--x264-preset"),
                QStringLiteral("ultrafast"), QStringLiteral("--progress"), QStringLiteral("none")},
               {}, 180000);
    QVERIFY2(transcode.exitCode == 0, transcode.err.constData());
    const QMap<QString, QByteArray> files = readTree(ladder);
    QVERIFY(files.contains(QStringLiteral("master.m3u8")));
    control("reset");
    QProcessEnvironment env;
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_accessKey);
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_secret);
    const CliRun run =
        runCli({QStringLiteral("publish"), ladder, QStringLiteral("--to"),
                QStringLiteral("s3://%1/transcoded").arg(m_bucket), QStringLiteral("--endpoint"),
                QStringLiteral("http://127.0.0.1:%1").arg(m_proxyPort)},
               env);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    verifyPublished(QStringLiteral("transcoded"), files);
    const QJsonArray order = stats().value(QStringLiteral("putKeys")).toArray();
    QCOMPARE(order.size(), files.size());
    QCOMPARE(order.last().toString(), QStringLiteral("transcoded/master.m3u8"));
}

QTEST_GUILESS_MAIN(S3PublishTest)
#include "S3PublishTest.moc"
