// End to end from the window: a 2-second generated clip started with "Start all" reaches
// 100 % and leaves a ladder that ffprobe/ffmpeg (independent readers) can play; a cancel
// from the window leaves nothing in the output folder.

#include "CheckWindow.h"
#include "GuiResources.h"
#include "JobDetails.h"
#include "LadderEditor.h"
#include "MainWindow.h"
#include "NotificationBar.h"
#include "QueueController.h"
#include "QueueModel.h"
#include "TestMedia.h"

#include <QAction>
#include <QProgressBar>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace hlsforge;
using namespace hlsforge::gui;

namespace {

// Two small rungs and the fastest x264 preset keep the test quick.
Ladder smallLadder(const QString& x264Preset) {
    Ladder ladder;
    ladder.segmentSeconds = 1;
    ladder.x264Preset = x264Preset;
    ladder.audioKbps = 64;
    ladder.renditions = {{QStringLiteral("240p"), 240, 400, 0},
                         {QStringLiteral("144p"), 144, 150, 0}};
    return ladder;
}

QStringList entriesIncludingHidden(const QString& dir) {
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System |
                               QDir::NoDotAndDotDot);
}

} // namespace

class GuiTranscodeTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        initResources();
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("hlsforge-test"));
        QCoreApplication::setApplicationName(QStringLiteral("guiTranscodeTest"));
    }

    void transcodeFromWindowReachesHundredPercent() {
        QTemporaryDir dir;
        const QString clip = dir.filePath(QStringLiteral("clip.mp4"));
        QVERIFY(test::makeClip(clip, 2, QStringLiteral("testsrc2=size=426x240:rate=25")));
        const QString out = dir.filePath(QStringLiteral("out"));

        MainWindow window;
        window.setConfirmClose(false);
        window.setOutputRoot(out);
        window.ladderEditor()->setLadder(smallLadder(QStringLiteral("ultrafast")),
                                         QStringLiteral("test"));
        window.show();
        window.controller()->addPaths({clip});
        QueueModel* model = window.queueModel();
        QTRY_COMPARE(model->at(0).state, JobState::Ready);
        QCOMPARE(model->at(0).outputDir, out + QStringLiteral("/clip")); // shown before starting

        QSignalSpy finished(window.controller(), &QueueController::itemFinished);
        window.startAll(); // what the toolbar's "Start all" triggers
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
        const QueueItem& item = model->at(0);
        QVERIFY2(item.state == JobState::Done,
                 qPrintable(item.error + QLatin1Char(' ') + item.errorDetail));
        QCOMPARE(model
                     ->data(model->index(0, QueueModel::ProgressColumn),
                            QueueModel::ProgressFractionRole)
                     .toDouble(),
                 1.0);
        QCOMPARE(window.controller()->overallFraction(), 1.0);
        QCOMPARE(window.findChild<QProgressBar*>()->value(), 1000);

        // The automatic check ran on the finished ladder: nothing must-fix, the state untouched.
        const auto checkSummary = [model] { return model->at(0).checkSummary; };
        QTRY_VERIFY_WITH_TIMEOUT(
            !checkSummary().isEmpty() && checkSummary() != QStringLiteral("checking…"), 60000);
        QVERIFY2(checkSummary().startsWith(QStringLiteral("No findings")) ||
                     checkSummary().startsWith(QStringLiteral("0 must-fix")),
                 qPrintable(checkSummary()));
        QCOMPARE(model->at(0).state, JobState::Done);
        // Check ladder… shows the same report in a table.
        CheckWindow* check = window.showCheckWindow(out + QStringLiteral("/clip"));
        QSignalSpy checked(check, &CheckWindow::checked);
        QTRY_VERIFY_WITH_TIMEOUT(checked.count() == 1, 60000);
        QVERIFY2(check->report().passes(), qPrintable(check->statusText()));
        QCOMPARE(check->findingRows(), int(check->report().findings.size()));
        QVERIFY(check->statusText().contains(QStringLiteral("2 variant")));
        check->close();

        // The ladder on disk, read by ffprobe and decoded by ffmpeg.
        const QString master = out + QStringLiteral("/clip/master.m3u8");
        QVERIFY(QFileInfo::exists(master));
        QVERIFY(item.result);
        QCOMPARE(item.result->masterPlaylist, master);
        QCOMPARE(item.result->renditions.size(), 2);
        for (const RenditionResult& rendition : item.result->renditions) {
            QVERIFY(rendition.bandwidth > 0);
            QVERIFY(rendition.segmentCount >= 2);
            const QJsonObject probe = test::ffprobeJson(
                {QStringLiteral("-show_entries"),
                 QStringLiteral("stream=codec_type,width,height:format=duration")},
                out + QStringLiteral("/clip/") + rendition.playlist);
            const QJsonArray streams = probe.value(QStringLiteral("streams")).toArray();
            QVERIFY2(!streams.isEmpty(), qPrintable(rendition.playlist));
            QCOMPARE(streams.first().toObject().value(QStringLiteral("height")).toInt(),
                     rendition.height);
            const double seconds = probe.value(QStringLiteral("format"))
                                       .toObject()
                                       .value(QStringLiteral("duration"))
                                       .toString()
                                       .toDouble();
            QVERIFY2(qAbs(seconds - 2.0) < 0.3, qPrintable(QString::number(seconds)));
        }
        const test::ProcessResult decode =
            test::runProcess(QStringLiteral("ffmpeg"),
                             {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-i"),
                              master, QStringLiteral("-map"), QStringLiteral("0"),
                              QStringLiteral("-f"), QStringLiteral("null"), QStringLiteral("-")});
        QVERIFY2(decode.ok() && decode.err.trimmed().isEmpty(), decode.err.constData());

        // The details pane summarises the playlists.
        const QString details = jobDetailsHtml(item, model->ladderFor(item));
        QVERIFY(details.contains(QStringLiteral("BANDWIDTH")));
        QVERIFY(details.contains(QStringLiteral("240p")));

        // With the preview module built, Preview opens its window on the finished ladder.
        QAction* preview = nullptr;
        for (QAction* action : window.actions()) {
            if (action->text() == QStringLiteral("&Preview"))
                preview = action;
        }
        QVERIFY(preview);
        if (preview->isVisible()) {
            window.queueView()->selectRow(0);
            QVERIFY(preview->isEnabled());
            preview->trigger();
            QWidget* previewWindow = nullptr;
            for (QWidget* w : QApplication::topLevelWidgets()) {
                if (QByteArray(w->metaObject()->className()).endsWith("PreviewWindow"))
                    previewWindow = w;
            }
            QVERIFY(previewWindow);
            QTRY_VERIFY(previewWindow->isVisible());
            previewWindow->close();
        }

        // The queue went idle: the window says so and offers the folder (tray or not).
        QTRY_VERIFY(window.notificationBar()->isVisible());
        QVERIFY2(window.notificationBar()->text().contains(QStringLiteral("1 done")),
                 qPrintable(window.notificationBar()->text()));

        // Start on a finished file asks first; "no" changes nothing.
        QStringList asked;
        bool answer = false;
        window.setRerunConfirmation([&](const QStringList& names) {
            asked = names;
            return answer;
        });
        window.queueView()->selectRow(0);
        window.startSelected();
        QCOMPARE(asked, QStringList{QStringLiteral("clip.mp4")});
        QCOMPARE(model->at(0).state, JobState::Done);
        QCOMPARE(model->at(0).outputDir, out + QStringLiteral("/clip"));

        // "Encode again" never overwrites: the second run gets "clip (2)"…
        answer = true;
        window.startSelected();
        QVERIFY(isActive(model->at(0).state));
        QCOMPARE(model->at(0).outputDir, out + QStringLiteral("/clip (2)"));
        // …and while it runs, the finished ladder is still what Preview and Publish open.
        QCOMPARE(model->at(0).finishedOutputDir(), out + QStringLiteral("/clip"));
        // Cancelling the re-run brings the row back to the finished ladder, not "Cancelled".
        window.controller()->cancelAll();
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->activeCount() == 0, 30000);
        QVERIFY2(model->at(0).state == JobState::Done,
                 qPrintable(jobStateName(model->at(0).state) + QLatin1Char(' ') +
                            model->at(0).error + QLatin1Char(' ') + model->at(0).errorDetail));
        QCOMPARE(model->at(0).outputDir, out + QStringLiteral("/clip"));
        QVERIFY(model->at(0).result && model->at(0).result->status.isOk());
        QVERIFY(QFileInfo::exists(master));
        QVERIFY(!QFileInfo::exists(out + QStringLiteral("/clip (2)")));
        window.queueView()->clearSelection();
        window.queueView()->selectRow(0);
        for (QAction* action : window.actions()) {
            if (action->text() == QStringLiteral("P&ublish…") ||
                action->text() == QStringLiteral("&Preview"))
                QVERIFY2(action->isEnabled(), qPrintable(action->text()));
        }

        // After a restart the ladder opens from disk (File > Open ladder…, or a drop of the
        // folder) as a finished row that Publish and Preview work on.
        MainWindow again;
        again.setConfirmClose(false);
        again.setOutputRoot(dir.filePath(QStringLiteral("elsewhere")));
        again.show();
        again.openLadderFolder(out + QStringLiteral("/clip"));
        QCOMPARE(again.queueModel()->rowCount(), 1);
        const QueueItem& opened = again.queueModel()->at(0);
        QVERIFY(opened.openedLadder);
        QCOMPARE(opened.state, JobState::Done);
        QCOMPARE(opened.finishedOutputDir(), out + QStringLiteral("/clip"));
        QCOMPARE(opened.openedRungs, (QStringList{QStringLiteral("240p"), QStringLiteral("144p")}));
        QCOMPARE(opened.media.video.displayHeight, 240);
        QVERIFY2(qAbs(opened.media.durationSeconds - 2.0) < 0.3,
                 qPrintable(QString::number(opened.media.durationSeconds)));
        QCOMPARE(again.queueView()->currentIndex().row(), 0);
        QAction* publish = nullptr;
        QAction* start = nullptr;
        for (QAction* action : again.actions()) {
            if (action->text() == QStringLiteral("P&ublish…"))
                publish = action;
            if (action->text() == QStringLiteral("&Start"))
                start = action;
        }
        QVERIFY(publish && start);
        QVERIFY(!start->isEnabled()); // nothing to encode: there is no source
        if (publish->isVisible()) {
            QVERIFY(publish->isEnabled());
            publish->trigger();
            QWidget* publishWindow = nullptr;
            for (QWidget* w : QApplication::topLevelWidgets()) {
                if (QByteArray(w->metaObject()->className()).endsWith("PublishWindow") &&
                    w->windowTitle().contains(QStringLiteral("clip")))
                    publishWindow = w;
            }
            QVERIFY(publishWindow);
            publishWindow->close();
        }
        // Opening it twice does not add a second row; a folder without a ladder is refused.
        QVERIFY(again.controller()->openLadder(out + QStringLiteral("/clip")).isOk());
        QCOMPARE(again.queueModel()->rowCount(), 1);
        const Status refused = again.controller()->openLadder(dir.path());
        QVERIFY(!refused.isOk());
        QVERIFY2(refused.message().contains(QStringLiteral("master.m3u8")),
                 qPrintable(refused.message()));
    }

    void cancelFromWindowLeavesNoOutput() {
        QTemporaryDir dir;
        const QString clip = dir.filePath(QStringLiteral("long.mp4"));
        // Long and slow enough that the cancel arrives mid-encode on any machine.
        QVERIFY(test::makeClip(clip, 30, QStringLiteral("testsrc2=size=640x360:rate=30")));
        const QString out = dir.filePath(QStringLiteral("out"));

        MainWindow window;
        window.setConfirmClose(false);
        window.setOutputRoot(out);
        Ladder ladder = smallLadder(QStringLiteral("medium"));
        ladder.renditions.prepend({QStringLiteral("360p"), 360, 900, 0});
        window.ladderEditor()->setLadder(ladder, QStringLiteral("test"));
        window.show();
        window.controller()->addPaths({clip});
        QueueModel* model = window.queueModel();
        QTRY_COMPARE(model->at(0).state, JobState::Ready);

        QSignalSpy finished(window.controller(), &QueueController::itemFinished);
        window.queueView()->selectRow(0);
        window.startSelected();
        QTRY_VERIFY_WITH_TIMEOUT(model->at(0).progress.fraction > 0, 60000);
        QCOMPARE(model->at(0).state, JobState::Running);
        window.cancelSelected(); // what the toolbar's "Cancel" triggers
        QCOMPARE(model->at(0).state, JobState::Cancelling);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
        QCOMPARE(model->at(0).state, JobState::Cancelled);
        QVERIFY(model->at(0).error.isEmpty());
        // Nothing half-written: no ladder folder and no staging leftovers.
        const QStringList left = entriesIncludingHidden(out);
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QStringLiteral(", "))));
        QCOMPARE(model->at(0).outputDir, out + QStringLiteral("/long")); // free again for a retry
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(GuiTranscodeTest)
#include "guiTranscodeTest.moc"
