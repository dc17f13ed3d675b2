// The preview window's Subtitles box, offscreen on the gst engine: it lists Off and every
// subtitle rendition by NAME and language, and choosing Français draws the French cue over the
// picture (the VideoView's text) while playback is inside it; Off clears it.

#include "PreviewWindow.h"
#include "TestMedia.h"
#include "VideoView.h"
#include "qoe/PlaybackSession.h"

#include <QApplication>
#include <QComboBox>
#include <QTemporaryDir>
#include <QtTest>

using hlsforge::gui::PreviewWindow;
using namespace hlsforge;

class TestPreviewSubtitles : public QObject {
    Q_OBJECT
private slots:
    void chooseFrench() {
        QTemporaryDir dir;
        QString error;
        const QString ladder = test::makeSubtitleLadder(dir.path(), &error);
        QVERIFY2(!ladder.isEmpty(), qPrintable(error));
        PreviewWindow window(ladder);
        window.setEngine(qoe::PlaybackEngine::Gst);
        window.show();
        QVERIFY2(window.isServing(), qPrintable(window.errorText()));
        const QStringList expected{QStringLiteral("Off"), QStringLiteral("Deutsch (de)"),
                                   QStringLiteral("English (forced) (en)"),
                                   QString::fromUtf8("Français (fr)")};
        QTRY_COMPARE_WITH_TIMEOUT(window.subtitleChoices(), expected, 15000);
        auto* box = window.findChild<QComboBox*>(QStringLiteral("subtitles"));
        QVERIFY(box && box->isEnabled());
        // The DEFAULT rendition plays first. The player names its selected streams after it
        // lists them, so on a busy machine the box may show the choice a moment later.
        QTRY_COMPARE_WITH_TIMEOUT(box->currentIndex(), 1, 15000);
        window.selectSubtitleChoice(3);
        const QString french = QString::fromUtf8(test::kFrenchCue1);
        QTRY_COMPARE_WITH_TIMEOUT(window.subtitleReadout(), french, 15000);
        QCOMPARE(window.videoView()->subtitleText(), french);
        const qint64 at = window.session()->positionMs();
        qInfo() << "French cue drawn at" << at << "ms (cue 2000-3500 ms)";
        QVERIFY2(at >= 1500 && at < 3500, qPrintable(QString::number(at)));
        QCOMPARE(box->currentIndex(), 3);
        window.selectSubtitleChoice(0);
        QTRY_COMPARE(window.subtitleReadout(), QString());
    }
};

int main(int argc, char** argv) {
    PreviewWindow::selectMediaBackend(); // before any Qt Multimedia object, as the app does
    QApplication app(argc, argv);
    TestPreviewSubtitles test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_previewsubtitles.moc"
