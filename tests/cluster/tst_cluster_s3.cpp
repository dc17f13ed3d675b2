// Chunked encoding with S3 as the shared store: `plan s3://…/talk.mp4 --out s3://…/show` (TS and
// fMP4), each index a separate `encode` process (as AWS Batch / Kubernetes run them), `assemble`,
// all against s3rver behind tests/node/s3-harness.js, which re-verifies every SigV4 signature
// (header and presigned query) with AWS's npm reference signer. The result is then read straight
// from s3rver (not through our client) and compared with a one-machine transcode of the same
// ladder: the same segment starts, every frame once, `check` clean.

#include "PublishFixture.h"
#include "TestMedia.h"

#include "ladder/Ladder.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <cmath>
#include <tuple>

using namespace hlsforge;
using namespace hlsforge::test;

namespace {

struct HttpResult {
    int status = 0;
    QByteArray body;
};

HttpResult http(QNetworkAccessManager& nam, const QByteArray& method, const QUrl& url,
                const QByteArray& body = {}) {
    QNetworkRequest request(url);
    request.setTransferTimeout(30000);
    QNetworkReply* reply = nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    HttpResult r{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                 reply->readAll()};
    delete reply;
    return r;
}

// The first frame of each segment, read by ffprobe from the segments themselves (an fMP4
// segment with its init segment in front).
QVector<int64_t> segmentStartFrames(const QString& rungDir, double fps, bool fmp4) {
    QVector<int64_t> starts;
    double first = -1;
    for (const QString& name :
         QDir(rungDir).entryList({fmp4 ? QStringLiteral("seg_*.m4s") : QStringLiteral("seg_*.ts")},
                                 QDir::Files, QDir::Name)) {
        QString path = QDir(rungDir).filePath(name);
        if (fmp4) {
            QFile init(QDir(rungDir).filePath(QStringLiteral("init.mp4"))), seg(path),
                joined(path + QStringLiteral(".mp4"));
            if (!init.open(QIODevice::ReadOnly) || !seg.open(QIODevice::ReadOnly) ||
                !joined.open(QIODevice::WriteOnly))
                return {};
            joined.write(init.readAll() + seg.readAll());
            path = joined.fileName();
        }
        double minPts = 1e18;
        for (const QJsonValue& p : ffprobeVideoPackets(path))
            minPts = std::min(minPts,
                              p.toObject().value(QStringLiteral("pts_time")).toString().toDouble());
        if (first < 0)
            first = minPts;
        starts.append(std::llround((minPts - first) * fps));
    }
    return starts;
}

} // namespace

class ClusterS3Test : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QProcess m_harness;
    int m_proxyPort = 0;
    int m_s3Port = 0;
    QNetworkAccessManager m_nam;
    const QString m_bucket = QStringLiteral("hlsforge-cluster");
    const QString m_key = QStringLiteral("AKTESTCLUSTER01");
    const QString m_secret = QStringLiteral("cluster-test-secret-made-up-for-this-run");

    QUrl s3Url(const QString& pathAndQuery) const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/%2").arg(m_s3Port).arg(pathAndQuery));
    }
    QJsonObject control(const QByteArray& what) {
        const HttpResult r = http(m_nam, what == "stats" ? "GET" : "POST",
                                  QUrl(QStringLiteral("http://127.0.0.1:%1/__hlsforge/%2")
                                           .arg(m_proxyPort)
                                           .arg(QString::fromLatin1(what))));
        return QJsonDocument::fromJson(r.body).object();
    }
    // Object keys under `prefix`, listed by s3rver itself.
    QStringList keys(const QString& prefix) {
        const HttpResult list =
            http(m_nam, "GET",
                 s3Url(m_bucket + QStringLiteral("?list-type=2&max-keys=1000&prefix=") + prefix));
        QStringList out;
        QXmlStreamReader xml(list.body);
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement &&
                xml.name() == QLatin1String("Key"))
                out.append(xml.readElementText());
        }
        out.sort();
        return out;
    }
    // The keys in the environment, or (withKeys false) only what `extraEnv` gives.
    CliRun cli(const QStringList& args, const QMap<QString, QString>& extraEnv = {},
               bool withKeys = true) {
        QProcessEnvironment env;
        if (withKeys) {
            env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_key);
            env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_secret);
        }
        env.insert(QStringLiteral("AWS_ENDPOINT_URL"),
                   QStringLiteral("http://127.0.0.1:%1").arg(m_proxyPort));
        for (auto it = extraEnv.cbegin(); it != extraEnv.cend(); ++it)
            env.insert(it.key(), it.value());
        return runCli(args, env, 120000);
    }
    QString uri(const QString& path) const {
        return QStringLiteral("s3://%1/%2").arg(m_bucket, path);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        const QString script = qEnvironmentVariable("HLSFORGE_SOURCE_DIR") +
                               QStringLiteral("/tests/node/s3-harness.js");
        QVERIFY2(QDir(QFileInfo(script).absolutePath() + QStringLiteral("/node_modules/s3rver"))
                     .exists(),
                 "run `npm install` in tests/node (scripts/test.sh does)");
        m_harness.start(QStringLiteral("node"),
                        {script, QStringLiteral("--bucket"), m_bucket,
                         QStringLiteral("--access-key"), m_key, QStringLiteral("--secret"),
                         m_secret, QStringLiteral("--dir"), m_tmp.filePath(QStringLiteral("s3"))});
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

    void cleanupTestCase() {
        if (m_harness.state() == QProcess::Running) {
            m_harness.closeWriteChannel(); // the harness exits when its stdin closes
            if (!m_harness.waitForFinished(5000)) {
                m_harness.kill();
                m_harness.waitForFinished(5000);
            }
        }
    }

    void chunkedLadderThroughS3_data() {
        QTest::addColumn<bool>("fmp4");
        QTest::newRow("ts") << false;
        QTest::newRow("fmp4") << true;
    }

    void chunkedLadderThroughS3() {
        QFETCH(bool, fmp4);
        const QString show = fmp4 ? QStringLiteral("show-fmp4") : QStringLiteral("show-ts");
        // 12 s, 2 s segments, 4 s chunks: indices 0-2 the video, 3 the audio.
        const QString source = m_tmp.filePath(QStringLiteral("talk.mp4"));
        if (!QFileInfo::exists(source))
            QVERIFY(ffmpeg({QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                            QStringLiteral("testsrc2=s=320x180:r=25,noise=alls=8:allf=t"),
                            QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                            QStringLiteral("sine=f=440:r=48000"), QStringLiteral("-t"),
                            QStringLiteral("12"), QStringLiteral("-c:v"), QStringLiteral("libx264"),
                            QStringLiteral("-preset"), QStringLiteral("ultrafast"),
                            QStringLiteral("-g"), QStringLiteral("250"), QStringLiteral("-c:a"),
                            QStringLiteral("aac"), source}));
        QFile sourceFile(source);
        QVERIFY(sourceFile.open(QIODevice::ReadOnly));
        QCOMPARE(http(m_nam, "PUT", s3Url(m_bucket + QStringLiteral("/media/talk.mp4")),
                      sourceFile.readAll())
                     .status,
                 200);

        Ladder ladder;
        ladder.segmentSeconds = 2;
        ladder.segmentFormat = fmp4 ? SegmentFormat::Fmp4 : SegmentFormat::Ts;
        ladder.x264Preset = QStringLiteral("ultrafast");
        ladder.playerPage = false;
        for (const auto& [name, height, kbps] :
             {std::tuple{"180p", 180, 400}, std::tuple{"90p", 90, 120}}) {
            Rendition r;
            r.name = QString::fromLatin1(name);
            r.height = height;
            r.videoKbps = kbps;
            ladder.renditions.append(r);
        }
        const QString ladderPath = m_tmp.filePath(show + QStringLiteral(".json"));
        QVERIFY(ladder.save(ladderPath).isOk());
        const QString single = m_tmp.filePath(show + QStringLiteral("-single"));
        CliRun r = runCli({QStringLiteral("transcode"), source, QStringLiteral("--out"), single,
                           QStringLiteral("--ladder"), ladderPath, QStringLiteral("--progress"),
                           QStringLiteral("none"), QStringLiteral("--no-check")});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        r = cli({QStringLiteral("plan"), uri(QStringLiteral("media/talk.mp4")),
                 QStringLiteral("--ladder"), ladderPath, QStringLiteral("--out"), uri(show),
                 QStringLiteral("--chunk-seconds"), QStringLiteral("4")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("in 3 chunks, 4 indices"), r.err.constData());
        const QString plan = uri(show + QStringLiteral("/plan.json"));
        const QString record0 = show + QStringLiteral("/chunks/chunk-0.json");
        const auto encode = [&](int index) {
            return cli({QStringLiteral("encode"), QStringLiteral("--plan"), plan,
                        QStringLiteral("--index"), QString::number(index),
                        QStringLiteral("--progress"), QStringLiteral("none")});
        };
        for (int index : {3, 0, 1}) {
            r = encode(index);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        // Assembling now names the one missing index and writes no master.
        r = cli({QStringLiteral("assemble"), QStringLiteral("--plan"), plan});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("missing: 2"), r.err.constData());
        QVERIFY(!keys(show + QLatin1Char('/')).contains(show + QStringLiteral("/master.m3u8")));

        // Index 0 again: its record is withdrawn first and written last, and nothing but its
        // own objects is written.
        control("reset");
        r = encode(0);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject stats = control("stats");
        QCOMPARE(stats.value(QStringLiteral("deleteKeys")).toArray(), QJsonArray{record0});
        const QJsonArray written = stats.value(QStringLiteral("putKeys")).toArray();
        QVERIFY(!written.isEmpty());
        QCOMPARE(written.last().toString(), record0);
        const QRegularExpression ownSegment(
            QStringLiteral("^%1/(180p|90p)/(seg_0000[01]\\.(ts|m4s)|init\\.mp4)$").arg(show));
        for (const QJsonValue& key : written)
            QVERIFY2(ownSegment.match(key.toString()).hasMatch() || key.toString() == record0,
                     qPrintable(key.toString()));
        QVERIFY2(stats.value(QStringLiteral("presignedReads")).toInt() > 0,
                 "the source was not read through a presigned URL");

        // Index 2 as AWS Batch gives it: the index from AWS_BATCH_JOB_ARRAY_INDEX, the keys
        // from the job role's container credentials endpoint (none in the environment).
        const QString endpoint =
            QStringLiteral("http://127.0.0.1:%1/__hlsforge/credentials").arg(m_proxyPort);
        r = cli({QStringLiteral("encode"), QStringLiteral("--plan"), plan,
                 QStringLiteral("--progress"), QStringLiteral("none")},
                {{QStringLiteral("AWS_BATCH_JOB_ARRAY_INDEX"), QStringLiteral("2")},
                 {QStringLiteral("AWS_CONTAINER_CREDENTIALS_FULL_URI"), endpoint},
                 {QStringLiteral("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
                  QStringLiteral("test-container-token")}},
                false);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(control("stats").value(QStringLiteral("credentialReads")).toInt() >= 1);
        r = cli({QStringLiteral("assemble"), QStringLiteral("--plan"), plan});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains((show + QStringLiteral("/master.m3u8")).toUtf8()),
                 r.err.constData());
        QCOMPARE(control("stats")
                     .value(QStringLiteral("rejected"))
                     .toObject()
                     .value(QStringLiteral("signature"))
                     .toInt(),
                 0);

        // Read back from s3rver directly.
        const QString chunked = m_tmp.filePath(show + QStringLiteral("-downloaded"));
        const QStringList objects = keys(show + QLatin1Char('/'));
        QVERIFY(objects.contains(show + QStringLiteral("/master.m3u8")));
        QVERIFY(objects.contains(show + QStringLiteral("/audio/index.m3u8")));
        // fMP4: one init segment per rung; those of chunks 1 and 2 were checked and removed.
        if (fmp4)
            QCOMPARE(objects.filter(QRegularExpression(QStringLiteral("/(180p|90p)/init"))),
                     (QStringList{show + QStringLiteral("/180p/init.mp4"),
                                  show + QStringLiteral("/90p/init.mp4")}));
        for (const QString& key : objects) {
            const HttpResult object = http(m_nam, "GET", s3Url(m_bucket + QLatin1Char('/') + key));
            QCOMPARE(object.status, 200);
            const QString path = chunked + QLatin1Char('/') + key.mid(show.size() + 1);
            QDir().mkpath(QFileInfo(path).absolutePath());
            QFile out(path);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(object.body);
        }
        for (const QString& rung : {QStringLiteral("180p"), QStringLiteral("90p")}) {
            const QVector<int64_t> many =
                segmentStartFrames(chunked + QLatin1Char('/') + rung, 25, fmp4);
            QCOMPARE(many.size(), 6);
            QCOMPARE(many, segmentStartFrames(single + QLatin1Char('/') + rung, 25, fmp4));
            const QJsonObject counted =
                ffprobeJson({QStringLiteral("-count_frames"), QStringLiteral("-select_streams"),
                             QStringLiteral("v"), QStringLiteral("-show_entries"),
                             QStringLiteral("stream=nb_read_frames")},
                            chunked + QLatin1Char('/') + rung + QStringLiteral("/index.m3u8"));
            QCOMPARE(counted.value(QStringLiteral("streams"))
                         .toArray()
                         .first()
                         .toObject()
                         .value(QStringLiteral("nb_read_frames"))
                         .toString(),
                     QStringLiteral("300"));
        }
        r = runCli({QStringLiteral("check"), chunked, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.out.constData());
    }

    // A source that cannot be read is named (its s3:// address, never the presigned URL), the
    // exit status is 1 and nothing is written.
    void unreadableSource() {
        const CliRun r = cli({QStringLiteral("plan"), uri(QStringLiteral("media/missing.mp4")),
                              QStringLiteral("--out"), uri(QStringLiteral("nothing"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(uri(QStringLiteral("media/missing.mp4")).toUtf8() +
                                ": cannot read the source: no such object"),
                 r.err.constData());
        QVERIFY2(!r.err.contains("X-Amz-Signature"), r.err.constData());
        QCOMPARE(keys(QStringLiteral("nothing/")), QStringList());
    }
};

QTEST_GUILESS_MAIN(ClusterS3Test)
#include "tst_cluster_s3.moc"
