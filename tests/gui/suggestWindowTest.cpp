// The "Suggest ladder…" window: draws the trials, the hull and the rungs it is given, says the
// saving, hands the ladder to the editor on "Use this ladder"; runs a real SuggestJob on a
// small generated clip with progress, and cancels one; a file that is not video says so.

#include "SuggestWindow.h"
#include "GuiResources.h"
#include "LadderEditor.h"
#include "TestMedia.h"

#include "suggest/LadderSuggest.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace hlsforge;
using namespace hlsforge::gui;

namespace {

suggest::TrialPoint point(int height, double kbps, double psnr) {
    suggest::TrialPoint p;
    p.height = height;
    p.width = height * 16 / 9;
    p.targetKbps = int(kbps);
    p.kbps = kbps * 0.9;
    p.psnr = psnr;
    return p;
}

suggest::Suggestion madeUp() {
    suggest::Suggestion s;
    s.source = QStringLiteral("talk.mp4");
    s.sourceWidth = 1920;
    s.sourceHeight = 1080;
    s.points = {point(1080, 500, 38),  point(1080, 1000, 42), point(1080, 2000, 45.5),
                point(720, 300, 35.5), point(720, 600, 38.5), point(720, 1200, 40.5),
                point(360, 150, 33),   point(360, 300, 35)};
    suggest::SuggestOptions options;
    if (!suggest::suggestRungs(options, &s).isOk())
        qFatal("made-up trials give no suggestion");
    return s;
}

} // namespace

class SuggestWindowTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() {
        initResources();
        QVERIFY(m_dir.isValid());
    }

    void showsTrialsHullRungsAndUsesTheLadder() {
        SuggestWindow window;
        window.show();
        const suggest::Suggestion s = madeUp();
        window.showSuggestion(s);
        QCOMPARE(window.rungRows(), s.rungs.size());
        QCOMPARE(window.trialPointCount(), s.points.size());
        int onHull = 0;
        for (const suggest::TrialPoint& p : s.points)
            onHull += p.onHull;
        QVERIFY(onHull >= 2);
        QCOMPARE(window.hullPointCount(), onHull);
        QVERIFY2(window.savingText().contains(QStringLiteral("web")),
                 qPrintable(window.savingText()));

        LadderEditor editor;
        connect(&window, &SuggestWindow::useLadder, &editor,
                [&editor](const Ladder& l) { editor.setLadder(l, QStringLiteral("custom")); });
        auto* use = window.findChild<QPushButton*>(QStringLiteral("suggestUse"));
        QVERIFY(use && use->isEnabled());
        use->click();
        QCOMPARE(editor.ladder().renditions.size(), s.ladder.renditions.size());
        for (int i = 0; i < s.ladder.renditions.size(); ++i) {
            QCOMPARE(editor.ladder().renditions[i].height, s.rungs[i].height);
            QCOMPARE(editor.ladder().renditions[i].videoKbps, s.rungs[i].videoKbps);
        }
        QVERIFY(editor.validation().isOk());
    }

    void runsAJobAndCancelsOne() {
        const QString clip = m_dir.filePath(QStringLiteral("clip.mp4"));
        QVERIFY(test::makeClip(clip, 2, QStringLiteral("testsrc2=s=320x240:r=30"), QString()));
        SuggestWindow window;
        window.show();
        QSignalSpy finished(&window, &SuggestWindow::finished);
        window.suggestFor(clip);
        QVERIFY(window.isRunning());
        QVERIFY(finished.wait(90000));
        QVERIFY2(window.hasSuggestion(), qPrintable(window.statusText()));
        QVERIFY(window.rungRows() >= 1);
        QVERIFY(window.trialPointCount() >= 3);
        for (const suggest::SuggestedRung& r : window.suggestion().rungs)
            QVERIFY(r.height <= 240);

        SuggestWindow second;
        QSignalSpy secondFinished(&second, &SuggestWindow::finished);
        second.suggestFor(clip);
        second.cancel();
        QVERIFY(secondFinished.wait(30000));
        QVERIFY(!second.hasSuggestion());
        QCOMPARE(second.statusText(), QStringLiteral("Cancelled."));
    }

    void notAVideoSaysSo() {
        const QString text = m_dir.filePath(QStringLiteral("notes.mp4"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not video\n");
        f.close();
        SuggestWindow window;
        QSignalSpy finished(&window, &SuggestWindow::finished);
        window.suggestFor(text);
        QVERIFY(finished.wait(30000));
        QVERIFY(!window.hasSuggestion());
        QVERIFY2(window.statusText().contains(QStringLiteral("notes.mp4")),
                 qPrintable(window.statusText()));
    }
};

QTEST_MAIN(SuggestWindowTest)
#include "suggestWindowTest.moc"
