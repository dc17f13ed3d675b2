// MainWindow's queue: a simulated drop (files, a folder, bad files) adds the right rows,
// probing happens in the background, output folders never collide with existing ones,
// an invalid ladder refuses to start, and settings survive a restart.

#include "GuiResources.h"
#include "LadderEditor.h"
#include "LadderModel.h"
#include "MainWindow.h"
#include "QueueController.h"
#include "QueueModel.h"
#include "TestMedia.h"

#include "ladder/Presets.h"

#include <QElapsedTimer>
#include <QMimeData>
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
