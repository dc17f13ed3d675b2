// PreviewWindow offscreen: plays a ladder made by hlsforge-cli through its preview server
// (GStreamer backend, no sound card), changes the network profile while playing, locks to
// one rung, and exports the ABR timeline as CSV and PNG.

#include "AbrTimeline.h"
#include "PreviewWindow.h"
#include "TestMedia.h"
#include "VideoView.h"

#include "playlist/MediaPlaylist.h"
#include "preview/RenditionMap.h"
#include "preview/ShapedFileServer.h"
#include "qoe/PlaybackSession.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace hlsforge;
using hlsforge::gui::PreviewWindow;

class TestPreviewWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void playsAndReportsRungs();
    void noNativeVideoWindow();
    void readoutDescribesRecentSegments();
    void profileChangesWhilePlaying();
    void lockToOneRung();
    void openInBrowserServesThePage();
    void positionNeverPassesDuration();
    void viewerLineStaysOneLine();
    void exportsTimeline(); // last with the shared window: it closes it
    void folderWithoutMaster();
    void closesWithCtrlWAndEscape();
    void networkChangeMidPlayShowsASwitch();
    void mixedCodecsShowCodecAndRange();
    void audioBoxListsAndSwitchesTracks();

private:
    QTemporaryDir m_dir;
    QString m_ladder;
    std::unique_ptr<PreviewWindow> m_window;
};

void TestPreviewWindow::initTestCase() {
    QVERIFY(m_dir.isValid());
    QString error;
    m_ladder = test::makePlaybackLadder(m_dir.path(), 20, &error);
    QVERIFY2(!m_ladder.isEmpty(), qPrintable(error));

    m_window = std::make_unique<PreviewWindow>(m_ladder);
    m_window->resize(1100, 760);
    m_window->show();
    QVERIFY2(m_window->isServing(), qPrintable(m_window->errorText()));
    QCOMPARE(qgetenv("QT_MEDIA_BACKEND"), QByteArray("gstreamer"));
}

void TestPreviewWindow::playsAndReportsRungs() {
    QSignalSpy fetched(m_window.get(), &PreviewWindow::segmentFetched);
    QTRY_VERIFY_WITH_TIMEOUT(fetched.count() >= 2, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->positionMs() > 300, 20000);
    QVERIFY2(m_window->rungReadout().contains(QStringLiteral("BANDWIDTH")),
             qPrintable(m_window->rungReadout()));
    QVERIFY(m_window->throughputReadout().contains(QStringLiteral("measured")));
    QVERIFY(!m_window->positionReadout().startsWith(QStringLiteral("0:00 / 0:00")));
    QVERIFY(m_window->timeline()->segments().size() >= 2);
    // The viewer readout: start-up measured from the play request to the first frame.
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->recording().startupSeconds > 0, 20000);
    QVERIFY2(m_window->viewerReadout().contains(QStringLiteral("start-up")),
             qPrintable(m_window->viewerReadout()));
}

void TestPreviewWindow::noNativeVideoWindow() {
    // Popups over the window were drawn black under Xvfb once playback had started: the video
    // widget's native child window. The picture is now painted by a plain widget.
    QTRY_VERIFY_WITH_TIMEOUT(m_window->videoView()->framesShown() > 3, 20000);
    QVERIFY(!m_window->videoView()->currentImage().isNull());
    for (QWidget* w : m_window->findChildren<QWidget*>())
        QVERIFY2(!w->testAttribute(Qt::WA_NativeWindow),
                 qPrintable(QString::fromLatin1(w->metaObject()->className())));
    QVERIFY(!m_window->testAttribute(Qt::WA_NativeWindow) || m_window->isWindow());
}

void TestPreviewWindow::readoutDescribesRecentSegments() {
    // Fetch again on 3G after fetching on the unlimited loopback: the measured readout must
    // describe the new link within a few segments, not average the Gb/s of loopback in.
    m_window->setProfileByName(QStringLiteral("3G"));
    m_window->seekTo(0);
    auto shapedSegments = [&] {
        int n = 0;
        for (const auto& s : m_window->session()->recording().segments)
            n += s.linkKbps == 1600.0 ? 1 : 0;
        return n;
    };
    QTRY_VERIFY_WITH_TIMEOUT(shapedSegments() >= 4, 60000);
    const QString readout = m_window->throughputReadout();
    const QRegularExpressionMatch m =
        QRegularExpression(QStringLiteral("measured ([0-9.]+) (kb/s|Mb/s)")).match(readout);
    QVERIFY2(m.hasMatch(), qPrintable(readout));
    const double kbps =
        m.captured(1).toDouble() * (m.captured(2) == QLatin1String("Mb/s") ? 1000 : 1);
    QVERIFY2(kbps > 100 && kbps <= 1600 * 1.1, qPrintable(readout));
    QVERIFY2(readout.startsWith(QStringLiteral("link 1.60 Mb/s")), qPrintable(readout));
}

void TestPreviewWindow::profileChangesWhilePlaying() {
    QVERIFY(m_window->profileNames().contains(QStringLiteral("Step down")));
    m_window->setProfileByName(QStringLiteral("3G"));
    QCOMPARE(m_window->server().profile().name, QStringLiteral("3G"));
    QCOMPARE(m_window->server().currentRateKbps(), 1600.0);
    auto* combo = m_window->findChild<QComboBox*>(QStringLiteral("profile"));
    QVERIFY(combo);
    QCOMPARE(combo->currentData().toString(), QStringLiteral("3G"));
    // The combo box drives the same path, as a user would.
    combo->setCurrentIndex(combo->findData(QStringLiteral("Wi-Fi")));
    QCOMPARE(m_window->server().profile().name, QStringLiteral("Wi-Fi"));
    QTRY_VERIFY(m_window->throughputReadout().contains(QStringLiteral("30.0 Mb/s")));
    QVERIFY(m_window->session()->isPlaying());
}

void TestPreviewWindow::lockToOneRung() {
    const int lowest = m_window->server().renditions().variantCount() - 1;
    QSignalSpy served(&m_window->server(), &preview::ShapedFileServer::requestFinished);
    const double lockedAt = m_window->server().secondsSinceStart();
    m_window->lockToRung(lowest);
    QCOMPARE(m_window->lockedRung(), lowest);
    QVERIFY(m_window->session()->source().toString().endsWith(
        QStringLiteral("master.rung-%1.m3u8").arg(lowest)));
    // The old pipeline may finish fetches it had started while the new one loads; once the
    // locked rung's first segment arrives, every later segment comes from that rung.
    auto segmentsFromFirstLocked = [&] {
        QVector<int> rungs;
        for (const QList<QVariant>& args : served) {
            const auto e = args.at(0).value<preview::RequestEvent>();
            if (e.kind != QLatin1String("segment") || e.startSeconds < lockedAt)
                continue;
            if (!rungs.isEmpty() || e.variantIndex == lowest)
                rungs.append(e.variantIndex);
        }
        return rungs;
    };
    QTRY_VERIFY_WITH_TIMEOUT(segmentsFromFirstLocked().size() >= 3, 20000);
    for (int rung : segmentsFromFirstLocked())
        QCOMPARE(rung, lowest);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->timeline()->segments().last().rung == lowest, 5000);
    m_window->lockToRung(-1);
    QVERIFY(m_window->session()->source().toString().endsWith(QStringLiteral("/master.m3u8")));
}

void TestPreviewWindow::positionNeverPassesDuration() {
    // The walk saw "0:20 / 0:19": a position a few ms past the player's duration, each
    // truncated to whole seconds. Clamped and rounded alike, that cannot happen.
    QCOMPARE(PreviewWindow::positionText(20000, 19970), QStringLiteral("0:20 / 0:20"));
    QCOMPARE(PreviewWindow::positionText(19600, 19400), QStringLiteral("0:19 / 0:19"));
    QCOMPARE(PreviewWindow::positionText(-40, 19970), QStringLiteral("0:00 / 0:20"));
    QCOMPARE(PreviewWindow::positionText(7400, 19970), QStringLiteral("0:07 / 0:20"));
    // The duration is the ladder's: its media playlist's EXTINF sum (a 20 s clip).
    const preview::RenditionMap& map = m_window->server().renditions();
    const StatusOr<MediaPlaylist> media =
        MediaPlaylist::load(QDir(m_ladder).filePath(map.master().variants.first().uri));
    QVERIFY(media.isOk());
    QCOMPARE(m_window->durationMs(), qint64(std::llround(media->totalSeconds() * 1000)));
    QVERIFY2(m_window->positionReadout().endsWith(QStringLiteral(" / 0:20")),
             qPrintable(m_window->positionReadout()));
}

void TestPreviewWindow::viewerLineStaysOneLine() {
    // Narrow, as a small screen at 1.5x gives it: the viewer line is elided, never wrapped.
    const QSize before = m_window->size();
    m_window->resize(640, 600);
    auto* label = m_window->findChild<QLabel*>(QStringLiteral("viewerReadout"));
    QVERIFY(label);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->viewerReadout().contains(QStringLiteral("switch")), 10000);
    QTest::qWait(600); // a few ticks at the new width
    const QFontMetrics fm(label->font());
    QVERIFY2(label->height() < 2 * fm.lineSpacing(), qPrintable(QString::number(label->height())));
    QVERIFY2(fm.horizontalAdvance(label->text()) <= label->width(),
             qPrintable(label->text() + QStringLiteral(" in %1 px").arg(label->width())));
    QVERIFY(m_window->viewerReadout().contains(QStringLiteral("switch"))); // the full text
    m_window->resize(before);
}

void TestPreviewWindow::exportsTimeline() {
    const QString csvPath = m_dir.filePath(QStringLiteral("timeline.csv"));
    const QString pngPath = m_dir.filePath(QStringLiteral("timeline.png"));
    QString error;
    QVERIFY2(m_window->exportCsv(csvPath, &error), qPrintable(error));
    QVERIFY2(m_window->exportPng(pngPath, &error), qPrintable(error));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
    QCOMPARE(lines.first(), QByteArray("seconds,shaped_kbps,rung,rung_name,rung_bandwidth_kbps,"
                                       "bytes,transfer_seconds,measured_kbps,recent_kbps,switch,"
                                       "path"));
    QCOMPARE(lines.size() - 1, m_window->timeline()->segments().size());
    QVERIFY(lines.size() > 4);
    QVERIFY(lines.last().contains(".ts\""));
    // The lock to the lowest rung was a switch, and it is marked.
    QVERIFY(m_window->timeline()->switchCount() >= 1);
    const QImage png(pngPath);
    QVERIFY(!png.isNull());
    QCOMPARE(png.size(), QSize(1200, 480)); // readable whatever the window's size
    // The QoE report, as `hlsforge-cli qoe --json` prints it.
    const QString reportPath = m_dir.filePath(QStringLiteral("qoe.json"));
    QVERIFY2(m_window->exportReport(reportPath, &error), qPrintable(error));
    QFile reportFile(reportPath);
    QVERIFY(reportFile.open(QIODevice::ReadOnly));
    const QJsonArray reports = QJsonDocument::fromJson(reportFile.readAll()).array();
    QCOMPARE(reports.size(), 1);
    const QJsonObject report = reports[0].toObject();
    QVERIFY(report[QStringLiteral("startupSeconds")].toDouble() > 0);
    QVERIFY(!report[QStringLiteral("switches")].toArray().isEmpty()); // the lock was a switch
    QVERIFY(report.contains(QStringLiteral("secondsPerRung")));
    QVERIFY(!m_window->exportCsv(QStringLiteral("/nonexistent/dir/t.csv"), &error));
    QVERIFY(error.contains(QStringLiteral("/nonexistent/dir/t.csv")));
    if (qEnvironmentVariableIsSet("HLSFORGE_PREVIEW_SCREENSHOT")) // for looking at it by eye
        m_window->grab().save(qEnvironmentVariable("HLSFORGE_PREVIEW_SCREENSHOT"));
    QElapsedTimer closing;
    closing.start();
    m_window.reset(); // stops player and server
    // The player goes first, so the server need not wait out idle keep-alive connections.
    QVERIFY2(closing.elapsed() < test::timingBudgetMs(800),
             qPrintable(QString::number(closing.elapsed())));
}

void TestPreviewWindow::openInBrowserServesThePage() {
    // The transcoder wrote index.html; the button opens it through the same server.
    auto* button = m_window->findChild<QPushButton*>(QStringLiteral("openInBrowser"));
    QVERIFY(button);
    QVERIFY(button->isEnabled());
    QNetworkAccessManager network;
    std::unique_ptr<QNetworkReply> reply(
        network.get(QNetworkRequest(m_window->server().url(QStringLiteral("index.html")))));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 15000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(reply->header(QNetworkRequest::ContentTypeHeader)
                .toString()
                .startsWith(QStringLiteral("text/html")));
    QVERIFY(reply->readAll().contains("master.m3u8"));
}

void TestPreviewWindow::folderWithoutMaster() {
    QTemporaryDir empty;
    PreviewWindow window(empty.path());
    QVERIFY(!window.isServing());
    QVERIFY(window.errorText().contains(QStringLiteral("master.m3u8")));
}

void TestPreviewWindow::closesWithCtrlWAndEscape() {
    for (const QKeySequence& keys :
         {QKeySequence(QKeySequence::Close), QKeySequence(Qt::Key_Escape)}) {
        PreviewWindow window(m_ladder);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keySequence(&window, keys);
        QTRY_VERIFY2(!window.isVisible(), qPrintable(keys.toString()));
    }
}

// The reason the preview exists: pick a slower network while watching and see the player switch
// down before the clip ends. With the 30 s buffer web players keep, the 20 s clip would be
// fetched whole on Unlimited and nothing would switch; the window's default fetches 10 s ahead.
void TestPreviewWindow::networkChangeMidPlayShowsASwitch() {
    PreviewWindow window(m_ladder);
    window.resize(1100, 760);
    window.show();
    auto* buffer = window.findChild<QComboBox*>(QStringLiteral("buffer"));
    QVERIFY(buffer);
    QCOMPARE(buffer->currentData().toInt(), 10);
    QCOMPARE(window.session()->playerOptions().bufferAheadSeconds, 10.0);
    qoe::PlaybackSession* session = window.session();
    QTRY_VERIFY_WITH_TIMEOUT(session->positionMs() > 1500, 30000);
    const auto& switches = session->recording().switches;
    const int topRung =
        session->recording().segments.isEmpty() ? -1 : session->recording().segments.last().rung;
    QCOMPARE(topRung, 0); // Unlimited: the top rung
    const double changedAt = session->now();
    window.setProfileByName(QStringLiteral("3G"));
    const auto switchedDown = [&] {
        for (const qoe::SwitchRecord& s : switches)
            if (s.t > changedAt && s.toRung > s.fromRung && s.reason == QLatin1String("bandwidth"))
                return true;
        return false;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(switchedDown(), "no switch down after choosing 3G", 30000);
    QVERIFY(!session->isAtEnd()); // seen while the clip still plays

    // The buffer box drives the same options (and is a GStreamer playbin3 setting only).
    buffer->setCurrentIndex(buffer->findData(30));
    QCOMPARE(session->playerOptions().bufferAheadSeconds, 30.0);
    window.setEngine(qoe::PlaybackEngine::Qt);
    QVERIFY(!buffer->isEnabled());
}

// A ladder of H.264 and HEVC rungs: the readout names the codec and range of the rung being
// fetched (from the master's CODECS and VIDEO-RANGE) and the timeline labels rungs by codec.
void TestPreviewWindow::mixedCodecsShowCodecAndRange() {
    const QString dir = m_dir.filePath(QStringLiteral("mixed"));
    QVERIFY(QDir().mkpath(dir));
    const QString input = dir + QStringLiteral("/input.mp4");
    QVERIFY(test::makeClip(input, 4, QStringLiteral("testsrc2=size=426x240:rate=25")));
    const QString ladderJson = dir + QStringLiteral("/ladder.json");
    QFile ladder(ladderJson);
    QVERIFY(ladder.open(QIODevice::WriteOnly));
    ladder.write(R"({"segmentSeconds": 2, "segmentFormat": "fmp4", "x264Preset": "ultrafast",
      "x265Preset": "ultrafast", "audioKbps": 64, "playerPage": false,
      "renditions": [{"height": 240, "videoKbps": 500},
                     {"height": 240, "videoKbps": 300, "codec": "hevc"}]})");
    ladder.close();
    const QString out = dir + QStringLiteral("/ladder");
    const test::ProcessResult made = test::runProcess(
        test::cliPath(), {QStringLiteral("transcode"), input, QStringLiteral("--out"), out,
                          QStringLiteral("--ladder"), ladderJson, QStringLiteral("--progress"),
                          QStringLiteral("none"), QStringLiteral("--no-check")});
    QVERIFY2(made.ok(), made.err.constData());

    PreviewWindow window(out);
    window.resize(1100, 760);
    window.show();
    QVERIFY2(window.isServing(), qPrintable(window.errorText()));
    const qoe::QoeRecording& r = window.session()->recording();
    QCOMPARE(r.rungs.size(), 2);
    const int hevc = r.rungs[0].codec == QLatin1String("HEVC") ? 0 : 1;
    QCOMPARE(r.rungLabel(hevc), QStringLiteral("240p HEVC"));
    QCOMPARE(r.rungLabel(1 - hevc), QStringLiteral("240p H.264"));
    QSignalSpy fetched(&window, &PreviewWindow::segmentFetched);
    window.lockToRung(hevc);
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(fetched.begin(), fetched.end(),
                    [hevc](const QList<QVariant>& args) { return args.at(0).toInt() == hevc; }),
        20000);
    QTRY_VERIFY2_WITH_TIMEOUT(window.rungReadout().contains(QStringLiteral("HEVC SDR")),
                              qPrintable(window.rungReadout()), 10000);
}

// Two audio renditions (issue 14): the Audio box appears (hidden for the one muxed track of the
// shared ladder), lists them by NAME and language, and switches the player to German.
void TestPreviewWindow::audioBoxListsAndSwitchesTracks() {
    const QString source = m_dir.filePath(QStringLiteral("two-audio.mp4"));
    QVERIFY(test::makeTwoLanguageClip(source, 10));
    const QString ladder = m_dir.filePath(QStringLiteral("two-audio"));
    const test::ProcessResult made = test::runProcess(
        test::cliPath(),
        {QStringLiteral("transcode"), source, QStringLiteral("--out"), ladder,
         QStringLiteral("--ladder"), QStringLiteral("mobile"), QStringLiteral("--segment-seconds"),
         QStringLiteral("2"), QStringLiteral("--x264-preset"), QStringLiteral("ultrafast"),
         QStringLiteral("--no-check"), QStringLiteral("--no-player"),
         QStringLiteral("--no-thumbnails")});
    QVERIFY2(made.ok(), made.err.constData());
    if (m_window) { // one muxed track: at most that one listed, and no box
        QVERIFY(m_window->audioTrackLabels().size() < 2);
        QVERIFY(m_window->findChild<QComboBox*>(QStringLiteral("audioTrack"))->isHidden());
    }
    PreviewWindow window(ladder);
    window.show();
    QVERIFY2(window.isServing(), qPrintable(window.errorText()));
    auto* box = window.findChild<QComboBox*>(QStringLiteral("audioTrack"));
    QVERIFY(box);
    QTRY_COMPARE_WITH_TIMEOUT(window.audioTrackLabels().size(), 2, 20000);
    QCOMPARE(window.audioTrackLabels(),
             QStringList({QStringLiteral("English (en)"), QStringLiteral("German (de)")}));
    QVERIFY(box->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->positionMs() > 500, 20000);
    window.selectAudioTrack(1);
    QTRY_COMPARE_WITH_TIMEOUT(window.currentAudioTrack(), 1, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(box->currentIndex(), 1, 5000);
}

int main(int argc, char** argv) {
    PreviewWindow::selectMediaBackend(); // before any Qt Multimedia object, as the app does
    QApplication app(argc, argv);
    TestPreviewWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_previewwindow.moc"
