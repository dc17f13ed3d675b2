// MainWindow's queue: a simulated drop (files, a folder, bad files) adds the right rows,
// probing happens in the background, output folders never collide with existing ones,
// an invalid ladder refuses to start, and settings survive a restart.

#include "GuiResources.h"
#include "LadderEditor.h"
#include "LadderModel.h"
#include "MainWindow.h"
#include "NotificationBar.h"
#include "OpenOrCopy.h"
#include "QueueController.h"
#include "QueueModel.h"
#include "TestMedia.h"

#include "ladder/Presets.h"

#include <QClipboard>
#include <QDialog>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace hlsforge;
using namespace hlsforge::gui;

namespace {

void writeFile(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

// Sends the drag-enter / drop pair a file manager would, with file URLs.
bool simulateDrop(QWidget* target, const QStringList& paths) {
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& path : paths)
        urls << QUrl::fromLocalFile(path);
    mime.setUrls(urls);
    const QPointF position(target->width() / 2.0, target->height() / 2.0);
    QDragEnterEvent enter(position.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton,
                          Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent drop(position, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    return drop.isAccepted();
}

const QueueItem* itemNamed(const QueueModel* model, const QString& fileName) {
    for (const QueueItem& item : model->items()) {
        if (QFileInfo(item.inputPath).fileName() == fileName)
            return &item;
    }
    return nullptr;
}

bool allProbed(const QueueModel* model) {
    for (const QueueItem& item : model->items()) {
        if (item.state == JobState::Probing)
            return false;
    }
    return true;
}

} // namespace

class QueueWindowTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        initResources();
        QVERIFY(m_settingsDir.isValid());
        // Never read or write the developer's own settings.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("hlsforge-test"));
        QCoreApplication::setApplicationName(QStringLiteral("queueWindowTest"));
        QVERIFY(m_media.isValid());
        const QString clip = m_media.filePath(QStringLiteral("clip.mp4"));
        QVERIFY(test::makeClip(clip, 1, QStringLiteral("testsrc2=size=320x240:rate=25")));
        m_clip = clip;
    }

    void dropAddsRows() {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("shoot"));
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(QFile::copy(m_clip, folder + QStringLiteral("/a.mp4")));
        QVERIFY(QDir().mkpath(folder + QStringLiteral("/day2")));
        QVERIFY(QFile::copy(m_clip, folder + QStringLiteral("/day2/b.MOV")));
        writeFile(folder + QStringLiteral("/broken.mkv"),
                  QByteArray(4096, 'x')); // a video name, not a video
        writeFile(folder + QStringLiteral("/notes.txt"), "not a video"); // ignored inside folders
        const QString single = dir.filePath(QStringLiteral("single.mp4"));
        QVERIFY(QFile::copy(m_clip, single));
        const QString badFile = dir.filePath(QStringLiteral("report.pdf"));
        writeFile(badFile, "%PDF-1.4 not a video");

        MainWindow window;
        window.setConfirmClose(false);
        window.setOutputRoot(dir.filePath(QStringLiteral("out")));
        window.show();
        QVERIFY(simulateDrop(&window, {folder, single, badFile}));
        QueueModel* model = window.queueModel();
        // Files dropped directly are rows at once; the folder is scanned in the background.
        QTRY_COMPARE(model->rowCount(), 5);
        QTRY_VERIFY_WITH_TIMEOUT(allProbed(model), 30000);

        for (const QString& name :
             {QStringLiteral("a.mp4"), QStringLiteral("b.MOV"), QStringLiteral("single.mp4")}) {
            const QueueItem* item = itemNamed(model, name);
            QVERIFY2(item, qPrintable(name));
            QCOMPARE(item->state, JobState::Ready);
            QCOMPARE(item->media.video.displayWidth, 320);
            QVERIFY(item->error.isEmpty());
            const int row = model->rowOf(item->id);
            QCOMPARE(model->data(model->index(row, QueueModel::DurationColumn), Qt::DisplayRole)
                         .toString(),
                     QStringLiteral("0:01"));
            QCOMPARE(model->data(model->index(row, QueueModel::ResolutionColumn), Qt::DisplayRole)
                         .toString(),
                     QStringLiteral("320×240"));
        }
        for (const QString& name : {QStringLiteral("broken.mkv"), QStringLiteral("report.pdf")}) {
            const QueueItem* item = itemNamed(model, name);
            QVERIFY2(item, qPrintable(name));
            QCOMPARE(item->state, JobState::Invalid);
            QVERIFY(!item->error.isEmpty());
            QVERIFY2(item->error.contains(name), qPrintable(item->error)); // names the file
            const int row = model->rowOf(item->id);
            const QString status =
                model->data(model->index(row, QueueModel::StatusColumn), Qt::DisplayRole)
                    .toString();
            QVERIFY(!status.isEmpty());
        }
        QVERIFY(!itemNamed(model, QStringLiteral("notes.txt")));
        // Thumbnails arrive in the background too.
        QTRY_VERIFY_WITH_TIMEOUT(!itemNamed(model, QStringLiteral("a.mp4"))->thumbnail.isNull(),
                                 30000);
        QTRY_COMPARE(window.controller()->pendingBackgroundTasks(), 0);

        // Dropping the same file again does not add a second row.
        QVERIFY(simulateDrop(&window, {single}));
        QCOMPARE(model->rowCount(), 5);
        // A drop without local files is refused.
        QVERIFY(!simulateDrop(&window, {}));
    }

    // Probing and thumbnails run on the pool: the UI thread keeps serving events while
    // 200 dropped files are read. A synchronous probe of 200 files would stall it for seconds.
    void twoHundredFilesNeverFreeze() {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("many"));
        QVERIFY(QDir().mkpath(folder));
        const int fileCount = 200;
        for (int i = 0; i < fileCount; ++i)
            QVERIFY(QFile::link(
                m_clip, folder + QStringLiteral("/take-%1.mp4").arg(i, 3, 10, QLatin1Char('0'))));

        MainWindow window;
        window.setConfirmClose(false);
        window.setOutputRoot(dir.filePath(QStringLiteral("out")));
        window.show();
        QElapsedTimer sinceTick;
        qint64 longestStallMs = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, this,
                [&] { longestStallMs = std::max(longestStallMs, sinceTick.restart()); });
        ticker.start(10);
        sinceTick.start();
        QVERIFY(simulateDrop(&window, {folder}));
        QueueModel* model = window.queueModel();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), fileCount, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(allProbed(model), 120000);
        QTRY_COMPARE_WITH_TIMEOUT(window.controller()->pendingBackgroundTasks(), 0, 120000);
        ticker.stop();
        for (const QueueItem& item : model->items())
            QCOMPARE(item.state, JobState::Ready);
        // Output folders are planned for every row, all distinct.
        QSet<QString> outputs;
        for (const QueueItem& item : model->items())
            outputs.insert(item.outputDir);
        QCOMPARE(outputs.size(), fileCount);
        qInfo("longest UI stall while probing %d files: %lld ms", fileCount, longestStallMs);
        QVERIFY2(longestStallMs < test::timingBudgetMs(750),
                 qPrintable(QString::number(longestStallMs)));
    }

    void outputFoldersNeverCollide() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(out + QStringLiteral("/clip")));                 // an earlier run
        writeFile(out + QStringLiteral("/clip (2)/master.m3u8"), "#EXTM3U\n"); // and another
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("other"))));
        const QString second = dir.filePath(QStringLiteral("other/clip.mov"));
        QVERIFY(QFile::copy(m_clip, second));

        MainWindow window;
        window.setConfirmClose(false);
        window.setOutputRoot(out);
        window.controller()->addPaths({m_clip, second});
        QueueModel* model = window.queueModel();
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->at(0).outputDir, out + QStringLiteral("/clip (3)"));
        QCOMPARE(model->at(1).outputDir, out + QStringLiteral("/clip (4)"));
        QCOMPARE(model->data(model->index(0, QueueModel::OutputColumn), Qt::DisplayRole).toString(),
                 QStringLiteral("clip (3)/"));
        // A new output folder re-plans every row that has not started.
        const QString elsewhere = dir.filePath(QStringLiteral("elsewhere"));
        window.setOutputRoot(elsewhere);
        QCOMPARE(model->at(0).outputDir, elsewhere + QStringLiteral("/clip"));
        QCOMPARE(model->at(1).outputDir, elsewhere + QStringLiteral("/clip (2)"));
        window.controller()->remove({model->idAt(0)});
        QCOMPARE(model->at(0).outputDir, elsewhere + QStringLiteral("/clip"));
        QTRY_VERIFY_WITH_TIMEOUT(allProbed(model), 30000);
    }

    void invalidLadderRefusesToStart() {
        QTemporaryDir dir;
        MainWindow window;
        window.setConfirmClose(false);
        window.setOutputRoot(dir.filePath(QStringLiteral("out")));
        window.controller()->addPaths({m_clip});
        QueueModel* model = window.queueModel();
        QTRY_COMPARE(model->at(0).state, JobState::Ready);

        LadderModel* ladder = window.ladderEditor()->model();
        QVERIFY(ladder->setData(ladder->index(0, LadderModel::HeightColumn), 241, Qt::EditRole));
        const Status refused = window.controller()->startAll();
        QVERIFY(!refused.isOk());
        QVERIFY2(refused.message().contains(QStringLiteral("must be even")),
                 qPrintable(refused.message()));
        QCOMPARE(model->at(0).state, JobState::Ready); // nothing was queued
        QCOMPARE(window.controller()->activeCount(), 0);
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("out"))));

        // The same refusal for a file's own ladder.
        QVERIFY(ladder->setData(ladder->index(0, LadderModel::HeightColumn), 240, Qt::EditRole));
        Ladder broken = window.ladderEditor()->ladder();
        broken.segmentSeconds = 90;
        window.controller()->setLadderOverride(model->idAt(0), broken);
        const Status refusedOverride = window.controller()->start({model->idAt(0)});
        QVERIFY(!refusedOverride.isOk());
        QVERIFY2(refusedOverride.message().contains(QStringLiteral("its own ladder")),
                 qPrintable(refusedOverride.message()));
        QCOMPARE(model->at(0).state, JobState::Ready);
    }

    // Delete removes what has focus: queue rows in the queue, a rung in the ladder table.
    void deleteKeyActsWhereFocusIs() {
        QTemporaryDir dir;
        MainWindow window;
        window.setConfirmClose(false);
        window.setOutputRoot(dir.filePath(QStringLiteral("out")));
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.controller()->addPaths({m_clip});
        QueueModel* model = window.queueModel();
        QTRY_COMPARE(model->at(0).state, JobState::Ready);
        const int rungs = window.ladderEditor()->model()->rowCount();

        QTableView* rungTable = window.ladderEditor()->rungTable();
        window.queueView()->selectRow(0);
        rungTable->setFocus();
        rungTable->setCurrentIndex(rungTable->model()->index(0, 0));
        QTest::keyClick(rungTable, Qt::Key_Delete);
        QCOMPARE(window.ladderEditor()->model()->rowCount(), rungs - 1);
        QCOMPARE(model->rowCount(), 1);

        window.queueView()->setFocus();
        QTest::keyClick(window.queueView(), Qt::Key_Delete);
        QCOMPARE(model->rowCount(), 0);
        QCOMPARE(window.ladderEditor()->model()->rowCount(), rungs - 1);
    }

    // The empty queue is a drop area with a hint; the table replaces it once a file is in,
    // and comes back when the queue is empty again. A drop on the drop area itself works.
    void emptyQueueIsADropArea() {
        QTemporaryDir dir;
        MainWindow window;
        window.setConfirmClose(false);
        window.setOutputRoot(dir.filePath(QStringLiteral("out")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.dropArea()->isVisible());
        QVERIFY(!window.queueView()->isVisible());
        auto* hint = window.dropArea()->findChild<QLabel*>(QStringLiteral("dropHint"));
        QVERIFY(hint);
        QVERIFY2(hint->text().contains(QStringLiteral("Drop video files")),
                 qPrintable(hint->text()));
        QVERIFY(simulateDrop(window.dropArea(), {m_clip}));
        QCOMPARE(window.queueModel()->rowCount(), 1);
        QTRY_VERIFY(window.queueView()->isVisible());
        QVERIFY(!window.dropArea()->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(allProbed(window.queueModel()), 30000);
        window.controller()->remove({window.queueModel()->idAt(0)});
        QTRY_VERIFY(window.dropArea()->isVisible());
    }

    // What AVCHD cameras, old tools and phones write is taken; anything else in the folder
    // is either probed (an unknown name holding video is taken) or reported with a reason.
    void folderScanTakesEveryVideoAndSaysWhatItSkipped() {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("card"));
        QVERIFY(QDir().mkpath(folder + QStringLiteral("/PRIVATE/AVCHD/BDMV/STREAM")));
        // Real files in those containers, made the way the devices write them.
        QVERIFY(
            test::ffmpeg({QStringLiteral("-i"), m_clip, QStringLiteral("-c"),
                          QStringLiteral("copy"), QStringLiteral("-f"), QStringLiteral("mpegts"),
                          folder + QStringLiteral("/PRIVATE/AVCHD/BDMV/STREAM/00001.MTS")}));
        QVERIFY(test::ffmpeg({QStringLiteral("-i"), m_clip, QStringLiteral("-c:v"),
                              QStringLiteral("mpeg4"), QStringLiteral("-c:a"),
                              QStringLiteral("mp3"), folder + QStringLiteral("/old.avi")}));
        QVERIFY(test::ffmpeg({QStringLiteral("-i"), m_clip, QStringLiteral("-c:v"),
                              QStringLiteral("mpeg2video"), QStringLiteral("-c:a"),
                              QStringLiteral("mp2"), QStringLiteral("-f"), QStringLiteral("vob"),
                              folder + QStringLiteral("/dvd.mpg")}));
        QVERIFY(QFile::copy(m_clip, folder + QStringLiteral("/export.video"))); // unknown name
        writeFile(folder + QStringLiteral("/notes.txt"), "shot list");
        writeFile(folder + QStringLiteral("/cover.jpg"), "\xff\xd8\xff not really");
        writeFile(folder + QStringLiteral("/mystery.bin"), QByteArray(2048, '\x01'));
        // A finished ladder inside the folder: ours, not an input; its segments are not rows.
        writeFile(folder + QStringLiteral("/done/master.m3u8"),
                  "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=500000,RESOLUTION=320x240\n"
                  "240p/index.m3u8\n");
        QVERIFY(QDir().mkpath(folder + QStringLiteral("/done/240p")));
        QVERIFY(QFile::copy(m_clip, folder + QStringLiteral("/done/240p/seg_000.ts")));

        MainWindow window;
        window.setConfirmClose(false);
        window.setOutputRoot(dir.filePath(QStringLiteral("out")));
        window.show();
        QSignalSpy skippedSpy(window.controller(), &QueueController::filesSkipped);
        QVERIFY(simulateDrop(&window, {folder}));
        QueueModel* model = window.queueModel();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 4, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(allProbed(model), 30000);
        for (const QString& name : {QStringLiteral("00001.MTS"), QStringLiteral("old.avi"),
                                    QStringLiteral("dvd.mpg"), QStringLiteral("export.video")}) {
            const QueueItem* item = itemNamed(model, name);
            QVERIFY2(item, qPrintable(name));
            QVERIFY2(item->state == JobState::Ready,
                     qPrintable(name + QLatin1Char(' ') + item->error));
        }
        QCOMPARE(skippedSpy.count(), 1);
        const auto skipped = skippedSpy.at(0).at(1).value<QList<QueueController::SkippedFile>>();
        QHash<QString, QString> reasons;
        for (const QueueController::SkippedFile& file : skipped)
            reasons.insert(QFileInfo(file.path).fileName(), file.reason);
        QCOMPARE(reasons.size(), 4);
        QVERIFY2(reasons.value(QStringLiteral("notes.txt")).contains(QStringLiteral("not a video")),
                 qPrintable(reasons.value(QStringLiteral("notes.txt"))));
        QVERIFY2(reasons.value(QStringLiteral("cover.jpg")).contains(QStringLiteral("picture")),
                 qPrintable(reasons.value(QStringLiteral("cover.jpg"))));
        QVERIFY2(reasons.value(QStringLiteral("mystery.bin")).contains(QStringLiteral("FFmpeg")),
                 qPrintable(reasons.value(QStringLiteral("mystery.bin"))));
        QVERIFY2(reasons.value(QStringLiteral("done")).contains(QStringLiteral("ladder")),
                 qPrintable(reasons.value(QStringLiteral("done"))));
        // The window says it where it stays until dismissed.
        QVERIFY(window.scanNotificationBar()->isVisible());
        const QString text = window.scanNotificationBar()->text();
        QVERIFY2(text.contains(QStringLiteral("Skipped 4 files")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("cover.jpg")), qPrintable(text));
    }

    // The first window fits 1280×760 with every column readable, and a 1.5× scaled screen.
    // The walk at 1.5x: Output read "cit…lk/" beside a wide Status column. The column is as
    // wide as the folder names it shows (up to a fifth of the queue).
    void outputColumnShowsTheFolderName() {
        QTemporaryDir dir;
        const QString named = dir.filePath(QStringLiteral("city-walk-at-dusk.mp4"));
        QVERIFY(QFile::copy(m_clip, named));
        MainWindow window;
        window.setConfirmClose(false);
        window.setOutputRoot(dir.filePath(QStringLiteral("out")));
        window.resize(1280, 760);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.controller()->addPaths({named});
        QTRY_VERIFY_WITH_TIMEOUT(allProbed(window.queueModel()), 30000);
        QTableView* view = window.queueView();
        QHeaderView* header = view->horizontalHeader();
        const QString shown =
            window.queueModel()
                ->data(window.queueModel()->index(0, QueueModel::OutputColumn), Qt::DisplayRole)
                .toString();
        QCOMPARE(shown, QStringLiteral("city-walk-at-dusk/"));
        QTRY_VERIFY2(header->sectionSize(QueueModel::OutputColumn) >=
                         view->fontMetrics().horizontalAdvance(shown) + 8,
                     qPrintable(QString::number(header->sectionSize(QueueModel::OutputColumn))));
        QVERIFY(header->length() <= view->viewport()->width());
    }

    void windowFitsTheScreen() {
        QCOMPARE(MainWindow::defaultSize(QRect(0, 0, 1280, 800)), QSize(1264, 760));
        // 1280×760 at 1.5× is 853×506 logical pixels: the window must fit inside.
        const QSize scaled = MainWindow::defaultSize(QRect(0, 0, 853, 506));
        QVERIFY(scaled.width() <= 853 && scaled.height() <= 506);
        MainWindow small;
        small.setConfirmClose(false);
        QVERIFY2(small.minimumSizeHint().width() <= 853 && small.minimumSizeHint().height() <= 506,
                 qPrintable(QStringLiteral("%1x%2")
                                .arg(small.minimumSizeHint().width())
                                .arg(small.minimumSizeHint().height())));

        QTemporaryDir dir;
        MainWindow window;
        window.setConfirmClose(false);
        window.setOutputRoot(dir.filePath(QStringLiteral("out")));
        window.resize(1280, 760);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.controller()->addPaths({m_clip});
        QTRY_VERIFY_WITH_TIMEOUT(allProbed(window.queueModel()), 30000);
        QTableView* view = window.queueView();
        QTRY_VERIFY(view->isVisible());
        QHeaderView* header = view->horizontalHeader();
        // No horizontal scrolling, and the Ladder and Name columns keep readable widths.
        auto widths = [header] {
            QStringList list;
            for (int i = 0; i < header->count(); ++i)
                list << QString::number(header->isSectionHidden(i) ? 0 : header->sectionSize(i));
            return list.join(QLatin1Char(' '));
        };
        QTRY_VERIFY2(header->length() <= view->viewport()->width(),
                     qPrintable(QStringLiteral("%1 > %2: %3")
                                    .arg(header->length())
                                    .arg(view->viewport()->width())
                                    .arg(widths())));
        QVERIFY2(header->sectionSize(QueueModel::LadderColumn) >= 100,
                 qPrintable(QString::number(header->sectionSize(QueueModel::LadderColumn))));
        QVERIFY(header->sectionSize(QueueModel::NameColumn) >= 100);
        // A narrow queue (1280×760 at 1.5×) keeps the name readable and never scrolls
        // sideways: the least needed columns step aside until there is room again.
        window.resize(853, 506);
        QTRY_VERIFY2(header->length() <= view->viewport()->width(),
                     qPrintable(QStringLiteral("%1 > %2: %3")
                                    .arg(header->length())
                                    .arg(view->viewport()->width())
                                    .arg(widths())));
        QVERIFY(header->sectionSize(QueueModel::NameColumn) >= 90);
        QVERIFY(header->isSectionHidden(QueueModel::OutputColumn));
        QVERIFY(!header->isSectionHidden(QueueModel::StatusColumn));
        window.resize(1280, 760);
        QTRY_VERIFY(!header->isSectionHidden(QueueModel::OutputColumn));
        // Borders can be dragged, and what the user sets stays.
        QCOMPARE(header->sectionResizeMode(QueueModel::LadderColumn), QHeaderView::Interactive);
        header->resizeSection(QueueModel::LadderColumn, 260);
        window.resize(1200, 700);
        QTRY_COMPARE(header->sectionSize(QueueModel::LadderColumn), 260);
        // The web preset's four rungs are all visible in the rung table.
        QTableView* rungs = window.ladderEditor()->rungTable();
        QCOMPARE(rungs->model()->rowCount(), 4);
        QVERIFY2(rungs->viewport()->height() >= 4 * rungs->rowHeight(0),
                 qPrintable(QString::number(rungs->viewport()->height())));
    }

    // Status bar: cancelled files are counted, and overall progress counts done files whole
    // (two of three done and the third at 20 % is 73 %, not 20 %).
    void statusBarCountsEveryState() {
        QTemporaryDir dir;
        const QString second = dir.filePath(QStringLiteral("second.mp4"));
        const QString third = dir.filePath(QStringLiteral("third.mp4"));
        const QString fourth = dir.filePath(QStringLiteral("fourth.mp4"));
        for (const QString& copy : {second, third, fourth})
            QVERIFY(QFile::copy(m_clip, copy));
        MainWindow window;
        window.setConfirmClose(false);
        window.setOutputRoot(dir.filePath(QStringLiteral("out")));
        window.controller()->addPaths({m_clip, second, third, fourth});
        QueueModel* model = window.queueModel();
        QTRY_VERIFY_WITH_TIMEOUT(allProbed(model), 30000);
        QTRY_COMPARE(window.controller()->pendingBackgroundTasks(), 0);
        model->update(model->idAt(0), [](QueueItem& item) { item.state = JobState::Done; });
        model->update(model->idAt(1), [](QueueItem& item) { item.state = JobState::Done; });
        model->update(model->idAt(2), [](QueueItem& item) {
            item.state = JobState::Running;
            item.progress.fraction = 0.2;
        });
        model->update(model->idAt(3), [](QueueItem& item) { item.state = JobState::Cancelled; });
        QVERIFY(qAbs(window.controller()->overallFraction() - 2.2 / 3) < 1e-9);
        emit window.controller()->activityChanged();
        auto* counts = window.findChild<QLabel*>(QStringLiteral("statusCounts"));
        QVERIFY(counts);
        QVERIFY2(counts->text().contains(QStringLiteral("1 cancelled")),
                 qPrintable(counts->text()));
        QVERIFY2(counts->text().contains(QStringLiteral("2 done")), qPrintable(counts->text()));
        QCOMPARE(window.findChild<QProgressBar*>(QStringLiteral("overallProgress"))->value(), 733);
        // Back to a state the destructor can clean up (no job behind "Running").
        model->update(model->idAt(2), [](QueueItem& item) { item.state = JobState::Ready; });
    }

    // When no program can open the output folder, its path is shown with a Copy button.
    void revealFallsBackToCopy() {
        QTemporaryDir dir;
        MainWindow window;
        window.setConfirmClose(false);
        const QString out = dir.filePath(QStringLiteral("out"));
        window.setOutputRoot(out);
        window.show();
        QUrl asked;
        setUrlOpener([&](const QUrl& url, std::function<void(bool, QString)> done) {
            asked = url;
            done(false, QStringLiteral("No program could open it (test)."));
        });
        window.revealSelectedOutput();
        setUrlOpener(nullptr);
        QCOMPARE(asked, QUrl::fromLocalFile(out));
        QDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<QDialog*>(QStringLiteral("openOrCopyDialog"))));
        auto* address = dialog->findChild<QLineEdit*>(QStringLiteral("address"));
        QVERIFY(address);
        QCOMPARE(address->text(), QDir::toNativeSeparators(out));
        auto* copy = dialog->findChild<QPushButton*>(QStringLiteral("copy"));
        QVERIFY(copy);
        copy->click();
        QCOMPARE(QApplication::clipboard()->text(), QDir::toNativeSeparators(out));
        dialog->close();
    }

    void settingsPersist() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("persisted"));
        {
            MainWindow window;
            window.setOutputRoot(out);
            window.ladderEditor()->applyPreset(QStringLiteral("mobile"));
            window.ladderEditor()->model()->setAudioKbps(64);
            window.findChild<QSpinBox*>(QStringLiteral("concurrency"))->setValue(3);
            window.saveSettings();
        }
        MainWindow restored;
        restored.restoreSettings();
        QCOMPARE(restored.controller()->outputRoot(), out);
        QCOMPARE(restored.controller()->concurrency(), 3);
        QCOMPARE(restored.ladderEditor()->ladder().audioKbps, 64);
        QCOMPARE(restored.ladderEditor()->ladder().renditions.size(),
                 findLadderPreset(QStringLiteral("mobile"))->ladder.renditions.size());
        QCOMPARE(restored.ladderEditor()->ladderName(), QStringLiteral("custom"));
    }

private:
    QTemporaryDir m_settingsDir;
    QTemporaryDir m_media;
    QString m_clip;
};

QTEST_MAIN(QueueWindowTest)
#include "queueWindowTest.moc"
