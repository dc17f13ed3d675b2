// Subtitles from the window: the Subtitles… dialog lists a file's own text track, the sidecar
// beside it and the files the user adds (language from the name, else asked; a file with broken
// timing refused with its name and line), and a .fr.srt dropped onto a queued row reaches that
// row's job: the finished master has a French subtitle rendition (our reader), and ffmpeg, an
// independent reader, reads the French text back from the subtitle playlist. A subtitle file
// dropped beside the rows is never queued as a video; the notification bar says why.

#include "GuiResources.h"
#include "LadderEditor.h"
#include "MainWindow.h"
#include "NotificationBar.h"
#include "QueueController.h"
#include "QueueModel.h"
#include "SubtitlesDialog.h"
#include "TestMedia.h"
#include "playlist/MasterPlaylist.h"

#include <QAction>
#include <QMimeData>
#include <QSettings>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace hlsforge;
using namespace hlsforge::gui;

namespace {

bool writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The drag-enter / drop pair a file manager sends, at `pos` in the window's coordinates.
bool dropAt(QWidget* window, const QStringList& paths, const QPoint& pos) {
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& path : paths)
        urls << QUrl::fromLocalFile(path);
    mime.setUrls(urls);
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window, &drop);
    return drop.isAccepted();
}

Ladder smallLadder() {
    Ladder ladder;
    ladder.segmentSeconds = 1;
    ladder.x264Preset = QStringLiteral("ultrafast");
    ladder.audioKbps = 64;
    ladder.playerPage = false;
    ladder.renditions = {{QStringLiteral("144p"), 144, 150, 0}};
    return ladder;
}

} // namespace

class SubtitlesGuiTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_settingsDir;

private slots:
    void initTestCase() {
        initResources();
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("hlsforge-test"));
        QCoreApplication::setApplicationName(QStringLiteral("subtitlesGuiTest"));
    }

    void dialogListsAndAddsTracks() {
        QTemporaryDir dir;
        const auto path = [&](const char* name) { return dir.filePath(QLatin1String(name)); };
        // talk.mp4 with its own English mov_text track; talk.de.srt beside it.
        QVERIFY(writeBytes(path("en.srt"), "1\n00:00:00,200 --> 00:00:01,000\nHello\n"));
        QVERIFY(test::ffmpeg(
            {QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
             QStringLiteral("testsrc2=size=160x90:rate=25:duration=1"), QStringLiteral("-i"),
             path("en.srt"), QStringLiteral("-map"), QStringLiteral("0:v"), QStringLiteral("-map"),
             QStringLiteral("1:s"), QStringLiteral("-c:v"), QStringLiteral("libx264"),
             QStringLiteral("-preset"), QStringLiteral("ultrafast"), QStringLiteral("-c:s"),
             QStringLiteral("mov_text"), QStringLiteral("-metadata:s:s:0"),
             QStringLiteral("language=eng"), path("talk.mp4")}));
        QVERIFY(writeBytes(path("talk.de.srt"), "1\n00:00:00,200 --> 00:00:00,800\nHallo\n"));
        QVERIFY(writeBytes(path("extra.srt"), "1\n00:00:00,100 --> 00:00:00,900\nHola\n"));
        QVERIFY(
            writeBytes(path("broken.fr.srt"),
                       "1\n00:00:00,100 --> 00:00:00,900\nUn\n\n2\n00:00:01 -> 00:00:02\nDeux\n"));

        MainWindow window;
        window.setConfirmClose(false);
        QStringList asked;
        window.setSubtitleLanguageQuestion([&](const QString& name) {
            asked << name;
            return QStringLiteral("es");
        });
        window.controller()->addPaths({path("talk.mp4")});
        QTRY_COMPARE(window.queueModel()->at(0).state, JobState::Ready);
        window.queueView()->selectRow(0);
        SubtitlesDialog* dialog = window.editSubtitlesForSelected();
        QVERIFY(dialog);
        QTableWidget* table = dialog->table();
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->item(0, SubtitlesDialog::OriginColumn)->text(),
                 QStringLiteral("In the file"));
        QCOMPARE(table->item(0, SubtitlesDialog::LanguageColumn)->text(), QStringLiteral("en"));
        QCOMPARE(table->item(1, SubtitlesDialog::TrackColumn)->text(),
                 QStringLiteral("talk.de.srt"));
        QCOMPARE(table->item(1, SubtitlesDialog::LanguageColumn)->text(), QStringLiteral("de"));

        // extra.srt names no language: asked (Spanish). broken.fr.srt: refused, file and line.
        QCOMPARE(dialog->addFiles({path("extra.srt"), path("broken.fr.srt")}), 1);
        QCOMPARE(asked, QStringList{QStringLiteral("extra.srt")});
        QVERIFY2(dialog->messageText().startsWith(QStringLiteral("broken.fr.srt, line 6")),
                 qPrintable(dialog->messageText()));
        QCOMPARE(table->rowCount(), 3);
        QCOMPARE(table->item(2, SubtitlesDialog::OriginColumn)->text(), QStringLiteral("Added"));
        QCOMPARE(table->item(2, SubtitlesDialog::LanguageColumn)->text(), QStringLiteral("es"));
        QCOMPARE(table->item(2, SubtitlesDialog::StatusColumn)->text(), QStringLiteral("1 cue(s)"));
        // Name and forced are edited in the table.
        table->item(2, SubtitlesDialog::NameColumn)->setText(QStringLiteral("Español (latino)"));
        table->item(2, SubtitlesDialog::ForcedColumn)->setCheckState(Qt::Checked);
        QCOMPARE(dialog->files().size(), 1);
        QCOMPARE(dialog->files()[0].name, QStringLiteral("Español (latino)"));
        QVERIFY(dialog->files()[0].forced);
        dialog->accept();
        const QueueItem& item = window.queueModel()->at(0);
        QCOMPARE(item.subtitleFiles.size(), 1);
        QCOMPARE(item.subtitleFiles[0].languageCode, QStringLiteral("es"));
        QVERIFY(item.log.last().contains(QStringLiteral("extra.srt (es, forced)")));
    }

    void dropOnRowGivesFrenchRendition() {
        QTemporaryDir dir;
        const QString clip = dir.filePath(QStringLiteral("clip.mp4"));
        QVERIFY(test::makeClip(clip, 2, QStringLiteral("testsrc2=size=320x180:rate=25")));
        // Not a sidecar (another stem): only the drop brings it. Windows-1252, as Windows tools
        // write it.
        const QString french = dir.filePath(QStringLiteral("dub.fr.srt"));
        QVERIFY(writeBytes(french, "1\r\n00:00:00,500 --> 00:00:01,500\r\nTr\xE8s bien, \xE7"
                                   "a marche\r\n"));
        const QString out = dir.filePath(QStringLiteral("out"));

        MainWindow window;
        window.setConfirmClose(false);
        window.setOutputRoot(out);
        window.ladderEditor()->setLadder(smallLadder(), QStringLiteral("test"));
        window.resize(1000, 600);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.controller()->addPaths({clip});
        QueueModel* model = window.queueModel();
        QTRY_COMPARE(model->at(0).state, JobState::Ready);
        QTableView* view = window.queueView();
        QTRY_VERIFY(view->isVisible());

        // Beside the rows: refused, and not queued as a video.
        const QPoint below =
            view->viewport()->mapTo(&window, QPoint(20, view->viewport()->height() - 5));
        QVERIFY(!view->indexAt(QPoint(20, view->viewport()->height() - 5)).isValid());
        dropAt(&window, {french}, below);
        QCOMPARE(model->rowCount(), 1);
        QVERIFY(model->at(0).subtitleFiles.isEmpty());
        QVERIFY2(window.scanNotificationBar()->text().contains(
                     QStringLiteral("dub.fr.srt not added: drop subtitle files onto the row")),
                 qPrintable(window.scanNotificationBar()->text()));

        // Onto the row: added to it, language from the name.
        const QPoint onRow = view->viewport()->mapTo(
            &window, view->visualRect(model->index(0, QueueModel::NameColumn)).center());
        QVERIFY(dropAt(&window, {french}, onRow));
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(model->at(0).subtitleFiles.size(), 1);
        QCOMPARE(model->at(0).subtitleFiles[0].languageCode, QStringLiteral("fr"));
        QVERIFY2(window.scanNotificationBar()->text() ==
                     QString::fromUtf8("Subtitles for clip.mp4: dub.fr.srt (Français)"),
                 qPrintable(window.scanNotificationBar()->text()));

        QSignalSpy finished(window.controller(), &QueueController::itemFinished);
        window.startAll();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
        const QueueItem& item = model->at(0);
        QVERIFY2(item.state == JobState::Done, qPrintable(item.error + ' ' + item.errorDetail));

        const QString ladder = out + QStringLiteral("/clip");
        StatusOr<MasterPlaylist> master =
            MasterPlaylist::load(ladder + QStringLiteral("/master.m3u8"));
        QVERIFY(master.isOk());
        QCOMPARE(master->media.size(), 1);
        const MediaRendition& fr = master->media[0];
        QCOMPARE(fr.type, QStringLiteral("SUBTITLES"));
        QCOMPARE(fr.language, QStringLiteral("fr"));
        QCOMPARE(fr.name, QString::fromUtf8("Français"));
        QVERIFY(fr.isDefault);
        QCOMPARE(master->variants.first().subtitlesGroup, fr.groupId);

        // ffmpeg's HLS demuxer and WebVTT decoder read the playlist back.
        const QString srt = dir.filePath(QStringLiteral("back.srt"));
        QVERIFY(test::ffmpeg({QStringLiteral("-i"), ladder + QLatin1Char('/') + fr.uri,
                              QStringLiteral("-c:s"), QStringLiteral("srt"), srt}));
        const QString back = QString::fromUtf8(readAll(srt));
        QVERIFY2(back.contains(QString::fromUtf8("Très bien, ça marche")), qPrintable(back));
        // At its time (split at the 1 s segment boundary, as WebVTT segments carry it).
        QVERIFY2(back.contains(QStringLiteral("00:00:00,500 --> ")) &&
                     back.contains(QStringLiteral(" --> 00:00:01,500")),
                 qPrintable(back));
    }
};

QTEST_MAIN(SubtitlesGuiTest)
#include "subtitlesGuiTest.moc"
