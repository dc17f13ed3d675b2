// `hlsforge-cli check` on ladders a user would check: ours (clean: no finding at all), one made
// by ffmpeg's hls muxer with its defaults (the findings Apple's validator would give it),
// copies of ours broken by hand one way each (a misaligned rung, a wrong CODECS level, a
// missing segment), a muxer cutting segments between keyframes (no IDR at their start), and
// the clean ladder over HTTP from a plain Node server standing in for a CDN.

#include "TestMedia.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge;

namespace {

struct Checked {
    int exitCode = -1;
    QJsonObject report;
    QByteArray err;
    QByteArray out;
};

Checked runCheck(const QString& ladder, const QStringList& extra = {}) {
    const test::ProcessResult r = test::runProcess(
        test::cliPath(),
        QStringList{QStringLiteral("check"), ladder, QStringLiteral("--json")} + extra, 120000);
    return {r.exitCode, QJsonDocument::fromJson(r.out).object(), r.err, r.out};
}

// Findings of one rule, as "severity where: message" lines (for failure messages too).
QStringList findings(const QJsonObject& report, const QString& rule) {
    QStringList out;
    for (const QJsonValue& v : report[QStringLiteral("findings")].toArray()) {
        const QJsonObject f = v.toObject();
        if (f[QStringLiteral("rule")].toString() == rule)
            out << QStringLiteral("%1 %2: %3")
                       .arg(f[QStringLiteral("severity")].toString(),
                            f[QStringLiteral("where")].toString(),
                            f[QStringLiteral("message")].toString());
    }
    return out;
}

QString allFindings(const Checked& c) {
    return QString::fromUtf8(c.out) + QString::fromUtf8(c.err);
}

bool copyTree(const QString& from, const QString& to) {
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        const QString dst = to + src.mid(from.size());
        QDir().mkpath(QFileInfo(dst).path());
        if (!QFile::copy(src, dst))
            return false;
    }
    return true;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

} // namespace

class TestCheck : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void ourLadderIsClean();
    void ffmpegDefaultsAreFound();
    void handBrokenLadders();
    void segmentsCutBetweenKeyframes();
    void overHttp();
    void unreadableMaster();

private:
    QTemporaryDir m_dir;
    QString m_source;
    QString m_ladder;
};

void TestCheck::initTestCase() {
    QVERIFY(m_dir.isValid());
    // 13 s: easy first half, noise after 6 s (x264's ABR then overshoots in the noisy
    // segments, which ffmpeg's BANDWIDTH — nominal bitrate + 10 % — does not cover).
    m_source = m_dir.filePath(QStringLiteral("source.mp4"));
    QVERIFY(test::ffmpeg(
        {QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
         QStringLiteral("testsrc2=size=640x360:rate=25,noise=alls=80:allf=t:"
                        "enable='gt(t,6)'"),
         QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
         QStringLiteral("sine=frequency=440:sample_rate=48000"), QStringLiteral("-t"),
         QStringLiteral("13"), QStringLiteral("-c:v"), QStringLiteral("libx264"),
         QStringLiteral("-preset"), QStringLiteral("ultrafast"), QStringLiteral("-pix_fmt"),
         QStringLiteral("yuv420p"), QStringLiteral("-c:a"), QStringLiteral("aac"), m_source}));
    const QString ladderJson = m_dir.filePath(QStringLiteral("ladder.json"));
    QVERIFY(writeAll(ladderJson, R"({"segmentSeconds": 6, "x264Preset": "ultrafast",
      "renditions": [{"name": "360p", "height": 360, "videoKbps": 1200},
                     {"name": "240p", "height": 240, "videoKbps": 500},
                     {"name": "144p", "height": 144, "videoKbps": 150}]})"));
    m_ladder = m_dir.filePath(QStringLiteral("ours"));
    const test::ProcessResult r = test::runProcess(
        test::cliPath(), {QStringLiteral("transcode"), m_source, QStringLiteral("--out"), m_ladder,
                          QStringLiteral("--ladder"), ladderJson, QStringLiteral("--progress"),
                          QStringLiteral("none")});
    QVERIFY2(r.ok(), r.err.constData());
    // The transcode checked its own ladder and said so (it never changes the exit status).
    QVERIFY2(r.err.contains("check: ") && r.err.contains("no findings"), r.err.constData());
}

void TestCheck::ourLadderIsClean() {
    const Checked c = runCheck(m_ladder);
    QCOMPARE(c.exitCode, 0);
    const QJsonObject summary = c.report[QStringLiteral("summary")].toObject();
    QVERIFY2(c.report[QStringLiteral("findings")].toArray().isEmpty(), qPrintable(allFindings(c)));
    QCOMPARE(summary[QStringLiteral("variants")].toInt(), 3);
    QCOMPARE(summary[QStringLiteral("segmentsChecked")].toInt(), 9); // 3 rungs x 3 segments
    QVERIFY(std::abs(summary[QStringLiteral("mediaSeconds")].toDouble() - 13) < 0.1);
    QVERIFY(summary[QStringLiteral("passes")].toBool());
    // The readable report says so too.
    const test::ProcessResult text =
        test::runProcess(test::cliPath(), {QStringLiteral("check"), m_ladder});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("no findings"), text.out.constData());
}

void TestCheck::ffmpegDefaultsAreFound() {
    // Two variants with ffmpeg's hls muxer and its defaults (2 s segments, BANDWIDTH from the
    // nominal bitrates, no AVERAGE-BANDWIDTH, FRAME-RATE, I-frame playlists or
    // INDEPENDENT-SEGMENTS).
    const QString out = m_dir.filePath(QStringLiteral("ffmpeg-hls"));
    QVERIFY(QDir().mkpath(out));
    QVERIFY(test::ffmpeg({QStringLiteral("-i"),
                          m_source,
                          QStringLiteral("-map"),
                          QStringLiteral("0:v"),
                          QStringLiteral("-map"),
                          QStringLiteral("0:a"),
                          QStringLiteral("-map"),
                          QStringLiteral("0:v"),
                          QStringLiteral("-map"),
                          QStringLiteral("0:a"),
                          QStringLiteral("-c:v"),
                          QStringLiteral("libx264"),
                          QStringLiteral("-preset"),
                          QStringLiteral("ultrafast"),
                          QStringLiteral("-b:v:0"),
                          QStringLiteral("800k"),
                          QStringLiteral("-s:v:1"),
                          QStringLiteral("320x180"),
                          QStringLiteral("-b:v:1"),
                          QStringLiteral("300k"),
                          QStringLiteral("-c:a"),
                          QStringLiteral("aac"),
                          QStringLiteral("-b:a"),
                          QStringLiteral("96k"),
                          QStringLiteral("-f"),
                          QStringLiteral("hls"),
                          QStringLiteral("-hls_playlist_type"),
                          QStringLiteral("vod"),
                          QStringLiteral("-var_stream_map"),
                          QStringLiteral("v:0,a:0 v:1,a:1"),
                          QStringLiteral("-master_pl_name"),
                          QStringLiteral("master.m3u8"),
                          out + QStringLiteral("/%v/index.m3u8")}));
    const Checked c = runCheck(out);
    QCOMPARE(c.exitCode, 1);
    const QString context = allFindings(c);
    QVERIFY2(findings(c.report, QStringLiteral("average-bandwidth")).size() == 2,
             qPrintable(context));
    QVERIFY2(findings(c.report, QStringLiteral("frame-rate")).size() == 2, qPrintable(context));
    QVERIFY2(findings(c.report, QStringLiteral("iframe-playlists")).size() == 1,
             qPrintable(context));
    QVERIFY2(findings(c.report, QStringLiteral("independent-segments")).size() == 1,
             qPrintable(context));
    const QStringList bandwidth = findings(c.report, QStringLiteral("bandwidth"));
    QVERIFY2(!bandwidth.isEmpty() &&
                 bandwidth.first().contains(QStringLiteral("below the measured peak")),
             qPrintable(context));
    QVERIFY2(!findings(c.report, QStringLiteral("target-duration-6s")).isEmpty(),
             qPrintable(context));
    // What ffmpeg does get right is not reported: CODECS, RESOLUTION, IDRs, alignment.
    for (const char* rule :
         {"codecs", "resolution", "idr-at-segment-start", "segments-aligned", "uri-resolves"})
        QVERIFY2(findings(c.report, QLatin1String(rule)).isEmpty(), qPrintable(rule + context));
}

void TestCheck::handBrokenLadders() {
    const QString broken = m_dir.filePath(QStringLiteral("broken"));
    QVERIFY(copyTree(m_ladder, broken));
    // 1. A misaligned rung: 240p's playlist loses its first segment.
    QByteArray p240 = readAll(broken + QStringLiteral("/240p/index.m3u8"));
    const int firstExtinf = p240.indexOf("#EXTINF");
    const int afterUri = p240.indexOf('\n', p240.indexOf('\n', firstExtinf) + 1) + 1;
    QVERIFY(firstExtinf > 0 && afterUri > firstExtinf);
    p240.remove(firstExtinf, afterUri - firstExtinf);
    QVERIFY(writeAll(broken + QStringLiteral("/240p/index.m3u8"), p240));
    // 2. A wrong CODECS level on 360p (level 1.1 declared instead of the stream's).
    QByteArray master = readAll(broken + QStringLiteral("/master.m3u8"));
    static const QRegularExpression avc(QStringLiteral("avc1\\.([0-9a-f]{4})([0-9a-f]{2})"));
    const QRegularExpressionMatch m = avc.match(QString::fromUtf8(master));
    QVERIFY(m.hasMatch());
    const QString realCodec = m.captured(0);
    const QString wrongCodec = QStringLiteral("avc1.%1%2").arg(m.captured(1), QStringLiteral("0b"));
    QVERIFY(realCodec != wrongCodec);
    master.replace(realCodec.toUtf8(),
                   wrongCodec.toUtf8()); // every rung: same profile, level differs
    QVERIFY(writeAll(broken + QStringLiteral("/master.m3u8"), master));
    // 3. A missing segment of 144p.
    const QStringList segments144 =
        QDir(broken + QStringLiteral("/144p"))
            .entryList({QStringLiteral("*.ts"), QStringLiteral("*.m4s")}, QDir::Files, QDir::Name);
    QVERIFY(segments144.size() >= 2);
    QVERIFY(QFile::remove(broken + QStringLiteral("/144p/") + segments144[1]));

    const Checked c = runCheck(broken);
    QCOMPARE(c.exitCode, 1);
    const QString context = allFindings(c);
    const QStringList aligned = findings(c.report, QStringLiteral("segments-aligned"));
    QVERIFY2(aligned.size() == 1 &&
                 aligned.first().startsWith(QStringLiteral("must 240p/index.m3u8")),
             qPrintable(context));
    const QStringList codecs = findings(c.report, QStringLiteral("codecs"));
    QVERIFY2(!codecs.isEmpty() && codecs.first().contains(wrongCodec) &&
                 codecs.first().contains(realCodec),
             qPrintable(context));
    const QStringList missing = findings(c.report, QStringLiteral("uri-resolves"));
    QVERIFY2(missing.size() == 1 &&
                 missing.first().contains(QStringLiteral("144p/") + segments144[1]),
             qPrintable(context));
    // The untouched rules stay quiet.
    QVERIFY2(findings(c.report, QStringLiteral("idr-at-segment-start")).isEmpty(),
             qPrintable(context));
}

void TestCheck::segmentsCutBetweenKeyframes() {
    // ffmpeg's muxer with split_by_time cuts at the segment length even between keyframes
    // (GOP 250 frames = 10 s): segments after the first start without an IDR.
    const QString out = m_dir.filePath(QStringLiteral("split"));
    QVERIFY(QDir().mkpath(out));
    QVERIFY(
        test::ffmpeg({QStringLiteral("-i"), m_source, QStringLiteral("-map"), QStringLiteral("0:v"),
                      QStringLiteral("-map"), QStringLiteral("0:v"), QStringLiteral("-c:v"),
                      QStringLiteral("libx264"), QStringLiteral("-preset"),
                      QStringLiteral("ultrafast"), QStringLiteral("-g"), QStringLiteral("250"),
                      QStringLiteral("-sc_threshold"), QStringLiteral("0"),
                      // without bitrates ffmpeg leaves the variants out of its master
                      QStringLiteral("-b:v:0"), QStringLiteral("800k"), QStringLiteral("-b:v:1"),
                      QStringLiteral("300k"), QStringLiteral("-s:v:1"), QStringLiteral("320x180"),
                      QStringLiteral("-f"), QStringLiteral("hls"), QStringLiteral("-hls_time"),
                      QStringLiteral("4"), QStringLiteral("-hls_flags"),
                      QStringLiteral("split_by_time"), QStringLiteral("-hls_playlist_type"),
                      QStringLiteral("vod"), QStringLiteral("-var_stream_map"),
                      QStringLiteral("v:0 v:1"), QStringLiteral("-master_pl_name"),
                      QStringLiteral("master.m3u8"), out + QStringLiteral("/%v/index.m3u8")}));
    const Checked c = runCheck(out);
    QCOMPARE(c.exitCode, 1);
    const QStringList idr = findings(c.report, QStringLiteral("idr-at-segment-start"));
    QVERIFY2(idr.size() == 2, qPrintable(allFindings(c))); // one per variant
    QVERIFY2(idr.first().startsWith(QStringLiteral("must 0/index1.ts")) &&
                 idr.first().contains(QStringLiteral("not a keyframe")),
             qPrintable(allFindings(c)));
    QVERIFY2(!findings(c.report, QStringLiteral("idr-interval")).isEmpty(),
             qPrintable(allFindings(c)));
}

void TestCheck::overHttp() {
    QProcess origin;
    const int port = test::startOriginServer(&origin, m_dir.path());
    QVERIFY(port > 0);
    const QString base = QStringLiteral("http://127.0.0.1:%1/").arg(port);
    Checked c = runCheck(base + QStringLiteral("ours/master.m3u8"));
    QCOMPARE(c.exitCode, 0);
    QVERIFY2(c.report[QStringLiteral("findings")].toArray().isEmpty(), qPrintable(allFindings(c)));
    QCOMPARE(
        c.report[QStringLiteral("summary")].toObject()[QStringLiteral("segmentsChecked")].toInt(),
        9);
    // The broken copy over HTTP: the missing segment is a 404, named by its URL.
    c = runCheck(base + QStringLiteral("broken/master.m3u8"));
    QCOMPARE(c.exitCode, 1);
    const QStringList missing = findings(c.report, QStringLiteral("uri-resolves"));
    QVERIFY2(missing.size() == 1 && missing.first().contains(base + QStringLiteral("broken/144p/")),
             qPrintable(allFindings(c)));
    origin.kill();
    origin.waitForFinished();
    // The origin gone: the master cannot be read, exit 2, the URL named.
    c = runCheck(base + QStringLiteral("ours/master.m3u8"));
    QCOMPARE(c.exitCode, 2);
    QVERIFY2(c.err.contains(QStringLiteral("127.0.0.1:%1").arg(port).toUtf8()), c.err.constData());
}

void TestCheck::unreadableMaster() {
    Checked c = runCheck(m_dir.filePath(QStringLiteral("nosuch")));
    QCOMPARE(c.exitCode, 2);
    QVERIFY2(c.err.contains("nosuch"), c.err.constData());
    // A media playlist given as the master: said so.
    c = runCheck(m_ladder + QStringLiteral("/360p/index.m3u8"));
    QCOMPARE(c.exitCode, 2);
    QVERIFY2(c.err.contains("not a master"), c.err.constData());
    c = runCheck(m_source);
    QCOMPARE(c.exitCode, 2);
    QVERIFY2(c.err.contains("not an HLS playlist"), c.err.constData());
}

QTEST_GUILESS_MAIN(TestCheck)
#include "tst_check.moc"
