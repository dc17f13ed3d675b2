// The preview must play through a switch (issue 10): play a ladder to the end on Unlimited,
// switch the network to 3G, press Play once, and it must play to the end by itself; the same
// after a profile change mid-play and after a seek back to 0. Offscreen, real playback, no
// sound card, on the engine HLSFORGE_PLAYER_ENGINE names (default gst: our playbin3 pipeline,
// whose demuxer must be hlsdemux2; ctest also runs the replay on qt, Qt Multimedia). Before the
// fix the second run stopped at 0:02-0:04 with the button back on "Play" and nothing more
// fetched.

#include "PreviewWindow.h"
#include "TestMedia.h"

#include "preview/ShapedFileServer.h"
#include "qoe/PlaybackSession.h"

#include <QApplication>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge;
using hlsforge::gui::PreviewWindow;

namespace {
constexpr double kClipSeconds = 12;
// Generous: the machine running the tests may be loaded (2 shared cores).
constexpr int kPlayThroughTimeoutMs = 120000;
} // namespace

class TestPreviewFreeze : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void replayAfterDownswitchPlaysToTheEnd();
    void profileChangeMidPlayPlaysToTheEnd();
    void seekBackToZeroPlaysToTheEnd();

private:
    // Waits for the end of media and checks that playback never stopped on its way there:
    // every stop of the player must be the end of the clip.
    void playsToTheEnd(const char* what);
    void pressPlay();
    QTemporaryDir m_dir;
    QString m_ladder;
    std::unique_ptr<PreviewWindow> m_window;
};

void TestPreviewFreeze::initTestCase() {
    QVERIFY(m_dir.isValid());
    QString error;
    m_ladder = test::makePlaybackLadder(m_dir.path(), kClipSeconds, &error);
    QVERIFY2(!m_ladder.isEmpty(), qPrintable(error));
}

void TestPreviewFreeze::init() {
    m_window = std::make_unique<PreviewWindow>(m_ladder);
    m_window->resize(1100, 760);
    m_window->show();
    QVERIFY2(m_window->isServing(), qPrintable(m_window->errorText()));
}

void TestPreviewFreeze::cleanup() {
    m_window.reset();
}

void TestPreviewFreeze::pressPlay() {
    auto* button = m_window->findChild<QPushButton*>(QStringLiteral("playPause"));
    QVERIFY(button);
    QCOMPARE(button->text(), QStringLiteral("Play"));
    button->click();
    // Play leaves the end of media (or the test would see the old end at once).
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->session()->isAtEnd(), 20000);
}

void TestPreviewFreeze::playsToTheEnd(const char* what) {
    qoe::PlaybackSession* session = m_window->session();
    QSignalSpy states(session, &qoe::PlaybackSession::playingChanged);
    qint64 furthestMs = 0;
    const QMetaObject::Connection tracking =
        connect(session, &qoe::PlaybackSession::positionChanged, this,
                [&furthestMs](qint64 ms) { furthestMs = std::max(furthestMs, ms); });
    QTRY_VERIFY2_WITH_TIMEOUT(
        session->isAtEnd(),
        qPrintable(QStringLiteral("%1 (%2): not at the end, position %3 ms, "
                                  "playing %4")
                       .arg(QLatin1String(what), qoe::engineName(session->engine()))
                       .arg(session->positionMs())
                       .arg(session->isPlaying())),
        kPlayThroughTimeoutMs);
    disconnect(tracking);
    // The freeze: the player left the playing state (button back on "Play") long before the end.
    int stops = 0;
    for (const QList<QVariant>& args : states)
        stops += !args.at(0).toBool();
    QCOMPARE(stops, 1); // the end of media, nothing before
    QVERIFY2(session->durationMs() > (kClipSeconds - 1) * 1000, what);
    // A real end: the picture got to the last seconds of the clip (an early EOS would not).
    QVERIFY2(furthestMs > session->durationMs() - 2500,
             qPrintable(QStringLiteral("%1: ended at %2 of %3 ms")
                            .arg(QLatin1String(what))
                            .arg(furthestMs)
                            .arg(session->durationMs())));
    auto* button = m_window->findChild<QPushButton*>(QStringLiteral("playPause"));
    QCOMPARE(button->text(), QStringLiteral("Play"));
    if (session->engine() == qoe::PlaybackEngine::Gst) {
        // Our own pipeline, so the adaptive demuxer is hlsdemux2 and never the classic one.
        const QStringList elements = session->backend()->pipelineElements();
        QVERIFY2(elements.contains(QStringLiteral("hlsdemux2")), qPrintable(elements.join(' ')));
        QVERIFY2(!elements.contains(QStringLiteral("hlsdemux")), qPrintable(elements.join(' ')));
    }
}

void TestPreviewFreeze::replayAfterDownswitchPlaysToTheEnd() {
    // First run on Unlimited, to the end, as the window starts it.
    playsToTheEnd("first run on Unlimited");
    // The user picks 3G and presses Play once.
    m_window->setProfileByName(QStringLiteral("3G"));
    QSignalSpy fetched(m_window.get(), &PreviewWindow::segmentFetched);
    pressPlay();
    playsToTheEnd("replay on 3G");
    // The replay fetched the clip again, through the 1600 kb/s link.
    QVERIFY2(fetched.count() >= int(kClipSeconds / 2),
             qPrintable(QString::number(fetched.count())));
}

void TestPreviewFreeze::profileChangeMidPlayPlaysToTheEnd() {
    qoe::PlaybackSession* session = m_window->session();
    QTRY_VERIFY_WITH_TIMEOUT(session->positionMs() > 1000, 60000);
    m_window->setProfileByName(QStringLiteral("3G"));
    playsToTheEnd("3G chosen mid-play");
    m_window->setProfileByName(QStringLiteral("Step down"));
    pressPlay();
    QTRY_VERIFY_WITH_TIMEOUT(session->positionMs() > 1000, 60000);
    m_window->setProfileByName(QStringLiteral("Unlimited"));
    QTest::qWait(300);
    m_window->setProfileByName(QStringLiteral("3G"));
    playsToTheEnd("profile changed twice mid-play");
}

void TestPreviewFreeze::seekBackToZeroPlaysToTheEnd() {
    qoe::PlaybackSession* session = m_window->session();
    QTRY_VERIFY_WITH_TIMEOUT(session->positionMs() > 4000, 60000);
    m_window->setProfileByName(QStringLiteral("3G"));
    m_window->seekTo(0);
    QTRY_VERIFY_WITH_TIMEOUT(session->positionMs() < 3000, 20000);
    playsToTheEnd("seek back to 0 on 3G");
}

int main(int argc, char** argv) {
    PreviewWindow::selectMediaBackend(); // before any Qt Multimedia object, as the app does
    QApplication app(argc, argv);
    TestPreviewFreeze test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_previewfreeze.moc"
