// Chunked encoding with S3 as the shared store, issue 16's end-to-end check: a 60 s source
// (320x180, H.264 with B-frames and a 3.6 s GOP that lines up with neither the 2 s segments nor
// the 10 s chunks, AAC) in 6 chunks, `plan s3://…/talk.mp4 --out s3://…/show` (TS and fMP4),
// each index a separate `encode` process (as AWS Batch / Kubernetes run them), `assemble`, all
// against s3rver behind tests/node/s3-harness.js, which re-verifies every SigV4 signature
// (header and presigned query) with AWS's npm reference signer. The result is read straight
// from s3rver (not through our client) and checked with independent readers:
//  - every segment starts with a keyframe; the segments start where a one-machine transcode of
//    the same ladder starts them (same count, same times); the video's timestamps step by one
//    frame everywhere, joins included, and ffprobe decodes the source's frame count;
//  - the audio: ffprobe's packets through the playlist each follow the one before (no gap or
//    overlap at a segment boundary); ffmpeg decodes as many samples as the source's within one
//    AAC frame, and the 437 Hz tone keeps one phase from start to end (a lost or doubled
//    stretch turns it);
//  - EXTINF sums to 60 s within one frame; BANDWIDTH within 10 % of the measured peak (video
//    + audio); `check` clean;
//  - GStreamer (playbin3, hlsdemux2) plays both ladders from the bucket to the end, every frame
//    and every audio buffer in order; hls.js in Chromium plays the fMP4 ladder through every
//    join at 16x without a hole in either SourceBuffer (TS only in GStreamer: a second
//    Chromium costs ~8 s of the test's budget).
// Faults: assembling early refuses and names the missing indices, an index run twice writes
// only its own objects, an unreadable source (at plan, and gone before an index runs) is named.
// The killed-and-re-run index is tst_cluster's (a local folder, where the kill can be timed).

#include "LadderCheck.h"
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
#include <future>
#include <tuple>

using namespace hlsforge;
using namespace hlsforge::test;

namespace {

constexpr double kSeconds = 60;
constexpr double kFps = 25;
// No whole number of its periods fits in any stretch under 1 s at 48 kHz, so a lost or doubled
// stretch of audio always turns its phase.
constexpr double kToneHz = 437;
constexpr int kAacFrameSamples = 1024;

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

// One value of the first entry ffprobe lists under `section` ("streams", "packets").
QJsonValue firstEntry(const QStringList& args, const QString& path, const QString& section,
                      const QString& key) {
    return ffprobeJson(args, path).value(section).toArray().first().toObject().value(key);
}

QString frameCount(const QString& path) {
    return firstEntry({QStringLiteral("-count_frames"), QStringLiteral("-select_streams"),
                       QStringLiteral("v:0"), QStringLiteral("-show_entries"),
                       QStringLiteral("stream=nb_read_frames")},
                      path, QStringLiteral("streams"), QStringLiteral("nb_read_frames"))
        .toString();
}

// The first PTS of `stream` ("v:0", "a:0") through a playlist: ffprobe reads one packet.
double firstPts(const QString& playlist, const QString& stream) {
    return firstEntry({QStringLiteral("-select_streams"), stream, QStringLiteral("-read_intervals"),
                       QStringLiteral("%+#1"), QStringLiteral("-show_entries"),
                       QStringLiteral("packet=pts_time")},
                      playlist, QStringLiteral("packets"), QStringLiteral("pts_time"))
        .toVariant()
        .toDouble();
}

// The tone's phase in each 1024-sample block (Hann window, the absolute sample index as the
// time reference) and its amplitude: audio that runs on keeps one phase from the first block to
// the last; a lost or doubled stretch of N samples turns every later block by 2π·437·N/48000.
struct TonePhase {
    double radians = 0;
    double amplitude = 0;
};
QVector<TonePhase> tonePhases(const QVector<float>& pcm) {
    QVector<TonePhase> out;
    for (qsizetype start = 0; start + kAacFrameSamples <= pcm.size(); start += kAacFrameSamples) {
        double i = 0, q = 0, weights = 0;
        for (int k = 0; k < kAacFrameSamples; ++k) {
            const double w = 0.5 - 0.5 * std::cos(2 * M_PI * k / (kAacFrameSamples - 1));
            const double cycles = std::fmod(kToneHz * double(start + k) / 48000, 1.0);
            i += w * pcm[start + k] * std::cos(2 * M_PI * cycles);
            q += w * pcm[start + k] * std::sin(2 * M_PI * cycles);
            weights += w;
        }
        out.append({std::atan2(i, q), 2 * std::hypot(i, q) / weights});
    }
    return out;
}

// What breaks the tone's one phase from start to end, or "". A lost or doubled stretch turns
// every block after it; AAC itself now and then mangles a lone block (the source has one at
// 11.65 s, kept by both ladders), so lone blocks are let through, runs are not. The first and
// last two blocks (the encoder's start and end) are left out.
QString toneBreak(const QVector<float>& pcm) {
    const QVector<TonePhase> phases = tonePhases(pcm);
    if (phases.size() < 100)
        return QStringLiteral("audio: only %1 samples").arg(pcm.size());
    const TonePhase reference = phases[phases.size() / 2];
    int turnedBlocks = 0, run = 0;
    for (qsizetype i = 2; i < phases.size() - 2; ++i) {
        const double turned = std::remainder(phases[i].radians - reference.radians, 2 * M_PI);
        const bool off =
            std::abs(turned) > 0.05 ||
            std::abs(phases[i].amplitude - reference.amplitude) > 0.1 * reference.amplitude;
        turnedBlocks += off;
        run = off ? run + 1 : 0;
        if (run >= 3)
            return QStringLiteral("audio at %1 s: the tone turned by %2 rad, amplitude %3 (%4 "
                                  "elsewhere)")
                .arg(i * kAacFrameSamples / 48000.0)
                .arg(turned)
                .arg(phases[i].amplitude)
                .arg(reference.amplitude);
    }
    return turnedBlocks <= phases.size() / 100
               ? QString()
               : QStringLiteral("audio: %1 lone blocks off the tone").arg(turnedBlocks);
}

// GStreamer's playbin3 (hlsdemux2) plays `url` to the end as fast as it decodes, into two
// checksumsinks, which print a line per buffer as it arrives: its PTS and a hash (MD5 for the
// pictures, SHA-1 for the sound, so the two are told apart by the hash's length).
struct GstPlayed {
    bool ok = false;
    QVector<double> videoPts;
    QVector<double> audioPts;
    QString log;
};
GstPlayed gstreamerPlays(const QString& url) {
    const ProcessResult r =
        runProcess(QStringLiteral("gst-launch-1.0"),
                   {QStringLiteral("-q"), QStringLiteral("playbin3"), QStringLiteral("uri=") + url,
                    QStringLiteral("video-sink=checksumsink hash=md5 sync=false"),
                    QStringLiteral("audio-sink=checksumsink hash=sha1 sync=false")},
                   120000);
    GstPlayed played;
    played.ok = r.ok();
    static const QRegularExpression buffer(QStringLiteral("^(\\d+):(\\d+):([\\d.]+) ([0-9a-f]+)$"));
    for (const QByteArray& line : r.out.split('\n')) {
        const QRegularExpressionMatch m = buffer.match(QString::fromLatin1(line.trimmed()));
        if (!m.hasMatch())
            continue;
        const double pts =
            m.captured(1).toInt() * 3600 + m.captured(2).toInt() * 60 + m.captured(3).toDouble();
        (m.captured(4).size() == 32 ? played.videoPts : played.audioPts).append(pts);
    }
    played.log = QString::fromUtf8(r.err + r.out.right(2000));
    return played;
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
    QString m_source;
    QString m_sourceFrames;
    qsizetype m_sourceSamples = 0;

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
    bool upload(const QString& file, const QString& key) {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) &&
               http(m_nam, "PUT", s3Url(m_bucket + QLatin1Char('/') + key), f.readAll()).status ==
                   200;
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
    static QString show(bool fmp4) {
        return fmp4 ? QStringLiteral("show-fmp4") : QStringLiteral("show-ts");
    }
    // The assembled ladder as downloaded from s3rver, and the one-machine ladder.
    QString downloaded(bool fmp4) const { return m_tmp.filePath(show(fmp4) + "-downloaded"); }
    QString single(bool fmp4) const { return m_tmp.filePath(show(fmp4) + "-single"); }

    void checkVideo(bool fmp4, const QString& rung, QVector<int64_t>* startFrames);
    void checkAudio(bool fmp4);

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
        // The 60 s source meanwhile: x264 with 2 B-frames and a 90-frame GOP, as an editor
        // exports, so the chunk workers start decoding at keyframes away from their chunks.
        m_source = m_tmp.filePath(QStringLiteral("talk.mp4"));
        QVERIFY(makeClip(m_source, kSeconds,
                         QStringLiteral("testsrc2=s=320x180:r=25,noise=alls=8:allf=t"),
                         QStringLiteral("sine=f=%1:r=48000").arg(kToneHz),
                         {QStringLiteral("-g"), QStringLiteral("90"), QStringLiteral("-bf"),
                          QStringLiteral("2")}));
        m_sourceFrames = frameCount(m_source);
        QCOMPARE(m_sourceFrames, QStringLiteral("1500"));
        m_sourceSamples = decodeMono(m_source).size();
        QVERIFY2(std::abs(m_sourceSamples - 48000 * kSeconds) <= 2 * kAacFrameSamples,
                 qPrintable(QString::number(m_sourceSamples)));

        QElapsedTimer clock;
        clock.start();
        while (!m_harness.canReadLine() && clock.elapsed() < 30000 &&
               m_harness.state() == QProcess::Running)
            m_harness.waitForReadyRead(500);
        const QJsonObject ports = QJsonDocument::fromJson(m_harness.readLine()).object();
        m_proxyPort = ports.value(QStringLiteral("proxyPort")).toInt();
        m_s3Port = ports.value(QStringLiteral("s3Port")).toInt();
        QVERIFY2(m_proxyPort > 0 && m_s3Port > 0, m_harness.readAllStandardError().constData());
        QVERIFY(upload(m_source, QStringLiteral("media/talk.mp4")));
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
        const QString name = show(fmp4);
        Ladder ladder;
        ladder.segmentSeconds = 2;
        ladder.segmentFormat = fmp4 ? SegmentFormat::Fmp4 : SegmentFormat::Ts;
        ladder.x264Preset = QStringLiteral("ultrafast");
        ladder.playerPage = false;
        ladder.thumbnails = false;
        for (const auto& [rungName, height, kbps] :
             {std::tuple{"180p", 180, 400}, std::tuple{"90p", 90, 120}}) {
            Rendition r;
            r.name = QString::fromLatin1(rungName);
            r.height = height;
            r.videoKbps = kbps;
            ladder.renditions.append(r);
        }
        const QString ladderPath = m_tmp.filePath(name + QStringLiteral(".json"));
        QVERIFY(ladder.save(ladderPath).isOk());
        // The one-machine ladder meanwhile (a local folder: nothing of it goes to the bucket).
        const QStringList singleArgs = {QStringLiteral("transcode"),  m_source,
                                        QStringLiteral("--out"),      single(fmp4),
                                        QStringLiteral("--ladder"),   ladderPath,
                                        QStringLiteral("--progress"), QStringLiteral("none"),
                                        QStringLiteral("--no-check")};
        std::future<CliRun> singleRun =
            std::async(std::launch::async, [&] { return runCli(singleArgs); });

        // 60 s in 2 s segments, 10 s chunks: indices 0-5 the video, 6 the audio.
        CliRun r = cli({QStringLiteral("plan"), uri(QStringLiteral("media/talk.mp4")),
                        QStringLiteral("--ladder"), ladderPath, QStringLiteral("--out"), uri(name),
                        QStringLiteral("--chunk-seconds"), QStringLiteral("10")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("in 6 chunks, 7 indices"), r.err.constData());
        const QString plan = uri(name + QStringLiteral("/plan.json"));
        const QString record0 = name + QStringLiteral("/chunks/chunk-0.json");
        const auto encode = [&](int index) {
            return cli({QStringLiteral("encode"), QStringLiteral("--plan"), plan,
                        QStringLiteral("--index"), QString::number(index),
                        QStringLiteral("--progress"), QStringLiteral("none")});
        };
        // As a cluster runs them, the audio index (the whole track, the longest) beside the
        // video ones, which run out of order.
        std::future<CliRun> audioRun = std::async(std::launch::async, [&] { return encode(6); });
        for (int index : {5, 0, 1, 3}) {
            r = encode(index);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        r = audioRun.get();
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // Assembling now names the missing indices and writes no master.
        r = cli({QStringLiteral("assemble"), QStringLiteral("--plan"), plan});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("not every index is done; missing: 2, 4"), r.err.constData());
        QVERIFY(!keys(name + QLatin1Char('/')).contains(name + QStringLiteral("/master.m3u8")));

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
            QStringLiteral("^%1/(180p|90p)/(seg_0000[0-4]\\.(ts|m4s)|init\\.mp4)$").arg(name));
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
        r = encode(4);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = cli({QStringLiteral("assemble"), QStringLiteral("--plan"), plan});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains((name + QStringLiteral("/master.m3u8")).toUtf8()),
                 r.err.constData());
        QCOMPARE(control("stats")
                     .value(QStringLiteral("rejected"))
                     .toObject()
                     .value(QStringLiteral("signature"))
                     .toInt(),
                 0);

        r = singleRun.get();
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // Read back from s3rver directly.
        const QStringList objects = keys(name + QLatin1Char('/'));
        QVERIFY(objects.contains(name + QStringLiteral("/master.m3u8")));
        QVERIFY(objects.contains(name + QStringLiteral("/audio/index.m3u8")));
        // fMP4: one init segment per rung; those of chunks 1-5 were checked and removed.
        if (fmp4)
            QCOMPARE(objects.filter(QRegularExpression(QStringLiteral("/(180p|90p)/init"))),
                     (QStringList{name + QStringLiteral("/180p/init.mp4"),
                                  name + QStringLiteral("/90p/init.mp4")}));
        for (const QString& key : objects) {
            const HttpResult object = http(m_nam, "GET", s3Url(m_bucket + QLatin1Char('/') + key));
            QCOMPARE(object.status, 200);
            const QString path = downloaded(fmp4) + QLatin1Char('/') + key.mid(name.size() + 1);
            QDir().mkpath(QFileInfo(path).absolutePath());
            QFile out(path);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(object.body);
        }
        QVector<int64_t> top, bottom;
        checkVideo(fmp4, QStringLiteral("180p"), &top);
        if (QTest::currentTestFailed())
            return;
        checkVideo(fmp4, QStringLiteral("90p"), &bottom);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(top, bottom); // the rungs' boundaries aligned
        checkAudio(fmp4);
        if (QTest::currentTestFailed())
            return;
        r = runCli({QStringLiteral("check"), downloaded(fmp4), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.out.constData());
    }

    // GStreamer plays each ladder straight from the bucket (s3rver answers plain GETs), to the
    // end: every frame once, in order, and the audio buffers one after the other.
    void gstreamerPlaysFromTheBucket_data() { chunkedLadderThroughS3_data(); }
    void gstreamerPlaysFromTheBucket() {
        QFETCH(bool, fmp4);
        if (!QFileInfo::exists(downloaded(fmp4) + QStringLiteral("/master.m3u8")))
            QSKIP("no assembled ladder (chunkedLadderThroughS3 failed)");
        const GstPlayed played = gstreamerPlays(
            s3Url(m_bucket + QLatin1Char('/') + show(fmp4) + QStringLiteral("/master.m3u8"))
                .toString());
        QVERIFY2(played.ok, qPrintable(played.log));
        QCOMPARE(QString::number(played.videoPts.size()), m_sourceFrames);
        for (qsizetype i = 1; i < played.videoPts.size(); ++i)
            QVERIFY2(std::abs(played.videoPts[i] - played.videoPts[i - 1] - 1 / kFps) < 1e-3,
                     qPrintable(QStringLiteral("frame %1 at %2 s, the one before at %3 s")
                                    .arg(i)
                                    .arg(played.videoPts[i])
                                    .arg(played.videoPts[i - 1])));
        // The sound: one buffer after the other (1024 samples, 21.3 ms apart), to the end.
        QVERIFY(played.audioPts.size() > 2);
        const double step = played.audioPts[1] - played.audioPts[0];
        QVERIFY2(std::abs(step - double(kAacFrameSamples) / 48000) < 1e-4,
                 qPrintable(QString::number(step)));
        for (qsizetype i = 1; i < played.audioPts.size(); ++i)
            QVERIFY2(std::abs(played.audioPts[i] - played.audioPts[i - 1] - step) < 1e-4,
                     qPrintable(QStringLiteral("audio buffer %1 at %2 s, the one before at %3 s")
                                    .arg(i)
                                    .arg(played.audioPts[i])
                                    .arg(played.audioPts[i - 1])));
        const double soundSeconds = played.audioPts.size() * step;
        QVERIFY2(std::abs(soundSeconds - kSeconds) < 3 * step,
                 qPrintable(QString::number(soundSeconds)));
    }

    // hls.js (npm) in headless Chromium plays the fMP4 ladder at 16x through every chunk join
    // to the end: no fatal error, no seek over a hole, one buffered range per SourceBuffer.
    void hlsJsPlaysTheFmp4Ladder() {
        if (!QFileInfo(QStringLiteral("/usr/bin/chromium")).isExecutable())
            QSKIP("no /usr/bin/chromium (scripts/install-deps.sh installs it)");
        if (!QFileInfo::exists(downloaded(true) + QStringLiteral("/master.m3u8")))
            QSKIP("no assembled fMP4 ladder (chunkedLadderThroughS3 failed)");
        const HlsJsPlayback played = playWithHlsJs(downloaded(true), 59.5, 16);
        QVERIFY2(played.problem().isEmpty(), qPrintable(played.problem()));
        const QJsonObject& o = played.json;
        const QString& report = played.text;
        for (const QJsonValue& error : o.value(QStringLiteral("errors")).toArray())
            QVERIFY2(!error.toString().contains(QLatin1String("Hole")), qPrintable(report));
        const QJsonObject buffered = o.value(QStringLiteral("buffered")).toObject();
        for (const char* type : {"audio", "video"}) {
            const QJsonArray ranges = buffered.value(QLatin1String(type)).toArray();
            QVERIFY2(ranges.size() == 1,
                     qPrintable(QString::fromLatin1(type) + QLatin1Char(' ') + report));
            const QJsonArray range = ranges.first().toArray();
            QVERIFY2(range[0].toDouble() < 0.1 && range[1].toDouble() > kSeconds - 0.1,
                     qPrintable(report));
        }
    }

    // A source that cannot be read is named (its s3:// address, never the presigned URL), the
    // exit status is 1 and nothing is written: at `plan`, and when it is gone before an index
    // runs (moved or deleted after planning).
    void unreadableSource() {
        CliRun r = cli({QStringLiteral("plan"), uri(QStringLiteral("media/missing.mp4")),
                        QStringLiteral("--out"), uri(QStringLiteral("nothing"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(uri(QStringLiteral("media/missing.mp4")).toUtf8() +
                                ": cannot read the source: no such object"),
                 r.err.constData());
        QVERIFY2(!r.err.contains("X-Amz-Signature"), r.err.constData());
        QCOMPARE(keys(QStringLiteral("nothing/")), QStringList());

        QVERIFY(upload(m_source, QStringLiteral("media/gone.mp4")));
        r = cli({QStringLiteral("plan"), uri(QStringLiteral("media/gone.mp4")),
                 QStringLiteral("--ladder"), QStringLiteral("web"), QStringLiteral("--out"),
                 uri(QStringLiteral("gone"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(http(m_nam, "DELETE", s3Url(m_bucket + QStringLiteral("/media/gone.mp4"))).status,
                 204);
        r = cli({QStringLiteral("encode"), QStringLiteral("--plan"),
                 uri(QStringLiteral("gone/plan.json")), QStringLiteral("--index"),
                 QStringLiteral("0"), QStringLiteral("--progress"), QStringLiteral("none")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(uri(QStringLiteral("media/gone.mp4")).toUtf8() +
                                ": cannot read the source: no such object"),
                 r.err.constData());
        QVERIFY2(!r.err.contains("X-Amz-Signature"), r.err.constData());
        QCOMPARE(keys(QStringLiteral("gone/")), QStringList{QStringLiteral("gone/plan.json")});
    }
};

// One rung of the assembled ladder against the source and the one-machine ladder.
void ClusterS3Test::checkVideo(bool fmp4, const QString& rung, QVector<int64_t>* startFrames) {
    const QString playlist = downloaded(fmp4) + QLatin1Char('/') + rung + "/index.m3u8";
    const ProbedRung many = probeRung(playlist);
    const ProbedRung one = probeRung(single(fmp4) + QLatin1Char('/') + rung + "/index.m3u8");
    QCOMPARE(many.segments.size(), 30);
    for (int i = 0; i < many.segments.size(); ++i)
        QVERIFY2(
            many.segments[i].startsWithKeyframe,
            qPrintable(
                QStringLiteral("%1 segment %2 does not start with a keyframe").arg(rung).arg(i)));
    *startFrames = many.startFrames(kFps);
    QCOMPARE(*startFrames, one.startFrames(kFps));
    // Every frame once: one step of 1/25 s between neighbours, at the joins too, and ffprobe
    // decodes the source's frame count through the playlist.
    QCOMPARE(QString::number(many.ptsSeconds.size()), m_sourceFrames);
    for (qsizetype i = 1; i < many.ptsSeconds.size(); ++i)
        QVERIFY2(std::abs(many.ptsSeconds[i] - many.ptsSeconds[i - 1] - 1 / kFps) < 1e-3,
                 qPrintable(QStringLiteral("%1: frame %2 at %3 s, the one before at %4 s")
                                .arg(rung)
                                .arg(i)
                                .arg(many.ptsSeconds[i])
                                .arg(many.ptsSeconds[i - 1])));
    QCOMPARE(frameCount(playlist), m_sourceFrames);
    QVERIFY2(std::abs(many.media.total() - kSeconds) <= 1 / kFps,
             qPrintable(QStringLiteral("%1: EXTINF sum %2 s").arg(rung).arg(many.media.total())));
    // BANDWIDTH: the rung's measured peak and the audio rendition's, within 10 %.
    for (const CheckedVariant& v : readMaster(downloaded(fmp4) + "/master.m3u8")) {
        if (v.uri != rung + "/index.m3u8")
            continue;
        const double measured =
            peakBitsPerSecond(playlist) + peakBitsPerSecond(downloaded(fmp4) + "/audio/index.m3u8");
        const double declared = v.attrs.value(QStringLiteral("BANDWIDTH")).toDouble();
        qInfo("%s: BANDWIDTH %.0f, measured peak %.0f (%+.1f %%)", qPrintable(rung), declared,
              measured, 100 * (declared - measured) / measured);
        QVERIFY(std::abs(declared - measured) <= 0.10 * measured);
        return;
    }
    QFAIL(qPrintable(rung + ": not in the master playlist"));
}

// The audio rendition as a player gets it, through its playlist, against the one-machine
// ladder's audio (muxed into its rungs: the same encoder, the same container).
void ClusterS3Test::checkAudio(bool fmp4) {
    const QString playlist = downloaded(fmp4) + "/audio/index.m3u8";
    const QString oneMachine = single(fmp4) + "/90p/index.m3u8";
    // Lip sync: the sound starts against the first picture where it does on one machine.
    const double lead =
        firstPts(downloaded(fmp4) + "/90p/index.m3u8", "v:0") - firstPts(playlist, "a:0");
    const double singleLead = firstPts(oneMachine, "v:0") - firstPts(oneMachine, "a:0");
    QVERIFY2(std::abs(lead - singleLead) < 1e-3,
             qPrintable(QStringLiteral("the audio's first packet is %1 ms before the first "
                                       "picture; one machine: %2 ms")
                            .arg(lead * 1000)
                            .arg(singleLead * 1000)));
    // Every packet starts one AAC frame after the one before, across segment boundaries too.
    const QJsonObject probe =
        ffprobeJson({QStringLiteral("-select_streams"), QStringLiteral("a:0"),
                     QStringLiteral("-show_entries"), QStringLiteral("packet=pts,duration")},
                    playlist);
    const QJsonArray packets = probe.value(QStringLiteral("packets")).toArray();
    QVERIFY(packets.size() > 1000);
    const qint64 step = packets[1].toObject().value(QStringLiteral("duration")).toInteger();
    QVERIFY(step > 0);
    for (qsizetype i = 1; i < packets.size(); ++i) {
        const qint64 at = packets[i].toObject().value(QStringLiteral("pts")).toInteger();
        const qint64 expected =
            packets[i - 1].toObject().value(QStringLiteral("pts")).toInteger() + step;
        QVERIFY2(
            std::abs(at - expected) <= 1,
            qPrintable(
                QStringLiteral("audio packet %1 at %2, expected %3").arg(i).arg(at).arg(expected)));
    }
    // Decoded: as many samples as the one-machine ladder's within one AAC frame, and the
    // source's 60 s within two (the priming frame a TS segment carries, the last frame's end).
    const QVector<float> pcm = decodeMono(playlist);
    const qsizetype singleSamples = decodeMono(oneMachine).size();
    qInfo("audio: %lld samples decoded, one machine %lld, the source %lld", qint64(pcm.size()),
          qint64(singleSamples), qint64(m_sourceSamples));
    QVERIFY(std::abs(pcm.size() - singleSamples) <= kAacFrameSamples);
    QVERIFY(std::abs(pcm.size() - m_sourceSamples) <= 2 * kAacFrameSamples);
    QString broken = toneBreak(pcm);
    QVERIFY2(broken.isEmpty(), qPrintable(broken));
    // And the reader sees a break: the same audio with one AAC frame lost at the first join,
    // or one played twice at the last.
    QVector<float> cut = pcm, doubled = pcm;
    cut.remove(10 * 48000, kAacFrameSamples);
    doubled.insert(50 * 48000, kAacFrameSamples, 0);
    std::copy(pcm.cbegin() + 50 * 48000 - kAacFrameSamples, pcm.cbegin() + 50 * 48000,
              doubled.begin() + 50 * 48000);
    broken = toneBreak(cut);
    QVERIFY2(broken.contains(QLatin1String("audio at ")), qPrintable(broken));
    broken = toneBreak(doubled);
    QVERIFY2(broken.contains(QLatin1String("audio at ")), qPrintable(broken));
}

QTEST_GUILESS_MAIN(ClusterS3Test)
#include "tst_cluster_s3.moc"
