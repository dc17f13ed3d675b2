// End to end: real GStreamer players fetch a ladder made by hlsforge-cli through the preview
// server. (1) gst-launch-1.0 playbin (hlsdemux) under a step-down link switches to a lower
// rung after the step, as the request log shows. (2) Qt Multimedia's GStreamer backend seeks
// through a byte-range ladder: the jump is served with Range requests and playback resumes
// at the new position. No sound card is needed (fake sinks / no audio output).

#include "TestMedia.h"

#include "playlist/MasterPlaylist.h"
#include "playlist/MediaPlaylist.h"
#include "preview/RenditionMap.h"
#include "preview/ShapedFileServer.h"

#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QMediaPlayer>
#include <QMutex>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QVideoSink>

using namespace hlsforge;
using namespace hlsforge::preview;

namespace {

constexpr double kClipSeconds = 30;

// A small 3-rung ladder that transcodes in seconds: 360p 1500, 240p 500, 144p 150 kb/s.
const char* kLadderJson = R"({"segmentSeconds": 2, "x264Preset": "ultrafast", "audioKbps": 64,
  "renditions": [{"name": "360p", "height": 360, "videoKbps": 1500},
                 {"name": "240p", "height": 240, "videoKbps": 500},
                 {"name": "144p", "height": 144, "videoKbps": 150}]})";

// Collects request events from the server's worker threads.
class EventLog : public QObject {
public:
    explicit EventLog(ShapedFileServer* server) {
        connect(
            server, &ShapedFileServer::requestFinished, this,
            [this](const RequestEvent& e) {
                QMutexLocker lock(&m_mutex);
                m_events.append(e);
            },
            Qt::DirectConnection);
    }
    QVector<RequestEvent> events() const {
        QMutexLocker lock(&m_mutex);
        return m_events;
    }
    QVector<RequestEvent> segments() const {
        QVector<RequestEvent> out;
        for (const RequestEvent& e : events())
            if (e.kind == QLatin1String("segment"))
                out.append(e);
        return out;
    }
    QString dump() const {
        QString text;
        for (const RequestEvent& e : events())
            text += QStringLiteral("  t=%1 %2 rung=%3 range=%4-%5 bytes=%6 %7 kb/s (link %8)\n")
                        .arg(e.startSeconds, 0, 'f', 2)
                        .arg(e.path)
                        .arg(e.variantIndex)
                        .arg(e.rangeFirst)
                        .arg(e.rangeLast)
                        .arg(e.bytesSent)
                        .arg(e.throughputKbps, 0, 'f', 0)
                        .arg(e.shapedRateKbps);
        return text;
    }

private:
    mutable QMutex m_mutex;
    QVector<RequestEvent> m_events;
};

} // namespace

class TestPreviewPlayback : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void abrSwitchesDownAfterStep();
    void seekThroughByteRangeLadder();

private:
    bool makeLadder(const QString& outDir, const QString& segments);
    QTemporaryDir m_dir;
    QString m_tsLadder;
    QString m_byteRangeLadder;
};

bool TestPreviewPlayback::makeLadder(const QString& outDir, const QString& segments) {
    const QString ladderPath = m_dir.filePath(QStringLiteral("ladder.json"));
    QFile ladder(ladderPath);
    if (!ladder.exists() && (!ladder.open(QIODevice::WriteOnly) || ladder.write(kLadderJson) < 0))
        return false;
    ladder.close();
    const test::ProcessResult r =
        test::runProcess(test::cliPath(),
                         {QStringLiteral("transcode"), m_dir.filePath(QStringLiteral("input.mp4")),
                          QStringLiteral("--out"), outDir, QStringLiteral("--ladder"), ladderPath,
                          QStringLiteral("--segments"), segments, QStringLiteral("--progress"),
                          QStringLiteral("none")},
                         180000);
    if (!r.ok())
        qWarning().noquote() << "hlsforge-cli transcode failed:" << r.exitCode << r.err;
    return r.ok() && QFile::exists(outDir + QStringLiteral("/master.m3u8"));
}

void TestPreviewPlayback::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("gst-launch-1.0")).isEmpty(),
             "gst-launch-1.0 missing (Debian package gstreamer1.0-tools)");
    QVERIFY(test::makeClip(m_dir.filePath(QStringLiteral("input.mp4")), kClipSeconds,
                           QStringLiteral("testsrc2=size=640x360:rate=25")));
    m_tsLadder = m_dir.filePath(QStringLiteral("ts"));
    m_byteRangeLadder = m_dir.filePath(QStringLiteral("byterange"));
    QVERIFY(makeLadder(m_tsLadder, QStringLiteral("ts")));
    QVERIFY(makeLadder(m_byteRangeLadder, QStringLiteral("ts-byterange")));
    const auto master = MasterPlaylist::load(m_tsLadder + QStringLiteral("/master.m3u8"));
    QVERIFY(master.isOk());
    QCOMPARE(master->variants.size(), 3);
}

void TestPreviewPlayback::abrSwitchesDownAfterStep() {
    ShapedFileServer server(m_tsLadder);
    const double stepSeconds = 4;
    const double lowKbps = 500; // below the two upper rungs' BANDWIDTH
    server.setProfile(ShapingProfile::steps(QStringLiteral("test step down"),
                                            {{0, 8000}, {stepSeconds, lowKbps}}));
    EventLog log(&server);
    QVERIFY(server.start().isOk());
    const QVector<VariantStream> variants = server.renditions().master().variants;
    QVERIFY(variants[0].bandwidth > lowKbps * 1000 && variants[1].bandwidth > lowKbps * 0.8 * 1000);

    // fakesink does not sync to the clock: the player fetches as fast as the link and its
    // buffers allow, so the test takes as long as the shaped downloads, not the clip.
    QProcess gst;
    gst.setProcessChannelMode(QProcess::MergedChannels);
    gst.start(QStringLiteral("gst-launch-1.0"),
              {QStringLiteral("-q"), QStringLiteral("playbin"),
               QStringLiteral("uri=") + server.url(QStringLiteral("master.m3u8")).toString(),
               QStringLiteral("video-sink=fakesink"), QStringLiteral("audio-sink=fakesink")});
    QVERIFY(gst.waitForStarted(10000));
    const bool finished = gst.waitForFinished(90000);
    if (!finished) {
        gst.kill();
        gst.waitForFinished(5000);
    }
    server.stop();
    const QString context = QStringLiteral("gst output:\n%1\nrequests:\n%2")
                                .arg(QString::fromLocal8Bit(gst.readAll()), log.dump());
    QVERIFY2(finished && gst.exitStatus() == QProcess::NormalExit && gst.exitCode() == 0,
             qPrintable(context));

    const QVector<RequestEvent> segments = log.segments();
    QVERIFY2(!segments.isEmpty(), qPrintable(context));
    // Before the step the player climbs to (or starts on) the top rung...
    int rungBeforeStep = -1;
    for (const RequestEvent& e : segments) {
        if (e.startSeconds < stepSeconds && e.complete)
            rungBeforeStep = e.variantIndex;
    }
    QVERIFY2(rungBeforeStep == 0, qPrintable(context));
    // ...and after it, fetches segments of a rung with a lower BANDWIDTH.
    bool switchedDown = false;
    for (const RequestEvent& e : segments) {
        if (e.startSeconds > stepSeconds && e.variantIndex > rungBeforeStep &&
            e.variantBandwidth < variants[rungBeforeStep].bandwidth)
            switchedDown = true;
    }
    QVERIFY2(switchedDown, qPrintable(context));
    // Played to the end: the last segment of some rung was fetched.
    const auto media = MediaPlaylist::load(m_tsLadder + QLatin1Char('/') + variants[2].uri);
    QVERIFY(media.isOk());
    const QString lastName = media->segments.last().uri.section(QLatin1Char('/'), -1);
    QVERIFY2(segments.last().path.endsWith(lastName), qPrintable(context));
    qInfo().noquote() << "request log:\n" + log.dump();
}

void TestPreviewPlayback::seekThroughByteRangeLadder() {
    ShapedFileServer server(m_byteRangeLadder);
    EventLog log(&server);
    QVERIFY(server.start().isOk());
    const QVector<VariantStream> variants = server.renditions().master().variants;
    // Byte-range playlists: every segment of a rung is a range of one file.
    QHash<qint64, double> segmentStartByOffset; // over all rungs
    for (const VariantStream& v : variants) {
        const auto media = MediaPlaylist::load(m_byteRangeLadder + QLatin1Char('/') + v.uri);
        QVERIFY(media.isOk());
        QVERIFY(media->segments.size() > 5);
        QVERIFY(media->segments[3].byteRangeLength > 0);
        QCOMPARE(media->segments[3].uri, media->segments[0].uri);
        for (const MediaSegment& s : media->segments)
            segmentStartByOffset.insert(s.byteRangeOffset, s.startSeconds);
    }

    QMediaPlayer player; // no QAudioOutput: no sound card needed
    QVideoSink sink;
    player.setVideoSink(&sink);
    QString errorText;
    connect(&player, &QMediaPlayer::errorOccurred, this,
            [&](QMediaPlayer::Error, const QString& text) { errorText = text; });
    player.setSource(server.url(QStringLiteral("master.m3u8")));
    player.play();
    QTRY_VERIFY2_WITH_TIMEOUT(player.position() > 500 || !errorText.isEmpty(),
                              qPrintable(log.dump()), 20000);
    QVERIFY2(errorText.isEmpty(), qPrintable(errorText));
    QVERIFY(player.isSeekable());

    const qint64 seekMs = 20000;
    const double requestsBeforeSeek = log.events().size();
    player.setPosition(seekMs);
    QTRY_VERIFY2_WITH_TIMEOUT(
        player.position() >= seekMs + 1000 || !errorText.isEmpty(),
        qPrintable(QStringLiteral("position %1\n").arg(player.position()) + log.dump()), 20000);
    QVERIFY2(errorText.isEmpty(), qPrintable(errorText));
    player.stop();
    server.stop();

    // The seek was served by Range requests for the segments around the new position.
    bool rangedFetchAtTarget = false;
    const QVector<RequestEvent> events = log.events();
    for (int i = int(requestsBeforeSeek); i < events.size(); ++i) {
        const RequestEvent& e = events[i];
        if (e.status == 206 && e.rangeFirst > 0 && segmentStartByOffset.contains(e.rangeFirst) &&
            qAbs(segmentStartByOffset.value(e.rangeFirst) - seekMs / 1000.0) <= 4.0)
            rangedFetchAtTarget = true;
    }
    QVERIFY2(rangedFetchAtTarget, qPrintable(log.dump()));
}

int main(int argc, char** argv) {
    // Qt 6.4's FFmpeg backend fetches every variant and needs an audio device; the GStreamer
    // backend uses hlsdemux (adaptive) and plays without one.
    if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "gstreamer");
    QGuiApplication app(argc, argv);
    TestPreviewPlayback test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_previewplayback.moc"
