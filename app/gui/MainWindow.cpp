#include "MainWindow.h"

#include "ClusterExportDialog.h"
#include "DesktopNotifier.h"
#include "JobDetails.h"
#include "LadderEditor.h"
#include "LadderModel.h"
#include "NotificationBar.h"
#include "OpenOrCopy.h"
#include "ProgressDelegate.h"
#include "QualityChart.h"
#include "QueueController.h"
#include "QueueModel.h"
#include "SubtitlesDialog.h"
#include "subtitles/Language.h"

#include "ladder/Presets.h"
#include "util/Version.h"

#include "CheckWindow.h"
#include "PreviewWindow.h"
#include "PublishWindow.h"
#include "SuggestWindow.h"
#include "util/LibraryVersions.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyledItemDelegate>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace hlsforge::gui {

namespace {

QIcon icon(const char* name) {
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name)));
}

QString defaultOutputRoot() {
    QString movies = QStandardPaths::writableLocation(QStandardPaths::MoviesLocation);
    if (movies.isEmpty())
        movies = QDir::homePath();
    return QDir(movies).filePath(QStringLiteral("HLS Forge"));
}

// Status-bar and log wording for a finished item.
QString finishedText(const QueueItem& item) {
    const QString name = QFileInfo(item.inputPath).fileName();
    switch (item.state) {
    case JobState::Done:
        return QObject::tr("%1 done → %2").arg(name, item.outputDir);
    case JobState::Cancelled:
        return QObject::tr("%1 cancelled; nothing was written").arg(name);
    default:
        return QObject::tr("%1 failed: %2").arg(name, item.error);
    }
}

// Wraps long status and error text onto a second line instead of cutting it: the row is tall
// enough for two lines, and the full text stays in the tooltip and the details pane.
// Rung lists read from the left ("web: 1080p, 720p, …"): cut at the end, not in the middle.
class ElideRightDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = Qt::ElideRight;
    }
};

class WrappingDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override {
        QStyledItemDelegate::initStyleOption(option, index);
        option->features |= QStyleOptionViewItem::WrapText;
        option->textElideMode = Qt::ElideRight;
    }
};

constexpr int kRowHeightPx = 50;
const QSize kThumbnailIconSize(72, 40);

} // namespace

QSize MainWindow::defaultSize(const QRect& availableGeometry) {
    // Leave room for the window frame the window manager adds around the client area.
    const QSize room = availableGeometry.size() - QSize(16, 40);
    return QSize(std::min(1280, room.width()), std::min(760, room.height()));
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_model(new QueueModel(this)),
      m_controller(new QueueController(m_model, this)) {
    setWindowTitle(tr("HLS Forge"));
    setWindowIcon(QIcon(QStringLiteral(":/hlsforge.svg")));
    setAcceptDrops(true);
    setObjectName(QStringLiteral("MainWindow"));

    m_queueView = new QTableView(this);
    m_queueView->setObjectName(QStringLiteral("queueView"));
    m_queueView->setModel(m_model);
    m_queueView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_queueView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_queueView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_queueView->setAlternatingRowColors(true);
    m_queueView->setShowGrid(false);
    m_queueView->setWordWrap(false);
    m_queueView->setTextElideMode(Qt::ElideMiddle); // "My Vlog – d…(final).mp4" keeps the end
    m_queueView->setIconSize(kThumbnailIconSize);
    m_queueView->verticalHeader()->hide();
    m_queueView->verticalHeader()->setDefaultSectionSize(kRowHeightPx);
    m_queueView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_queueView->setItemDelegateForColumn(QueueModel::ProgressColumn,
                                          new ProgressDelegate(m_queueView));
    m_queueView->setItemDelegateForColumn(QueueModel::StatusColumn,
                                          new WrappingDelegate(m_queueView));
    m_queueView->setItemDelegateForColumn(QueueModel::LadderColumn,
                                          new ElideRightDelegate(m_queueView));
    m_queueView->setToolTip(
        tr("Drop video files or folders here; drop .srt/.vtt files onto a row to add subtitles"));
    QHeaderView* header = m_queueView->horizontalHeader();
    // Every border can be dragged; fitColumns() shares the width until the user does.
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(false);
    header->setMinimumSectionSize(36);
    header->hideSection(QueueModel::SpeedColumn); // the progress bar shows the speed
    connect(header, &QHeaderView::sectionResized, this, [this] {
        if (!m_fittingColumns)
            m_userSizedColumns = true;
    });
    m_queueView->viewport()->installEventFilter(this);

    // The empty queue is a drop area with one line of help; the table replaces it once a
    // file is added. Drops land on the window either way.
    m_dropArea = new QFrame(this);
    m_dropArea->setObjectName(QStringLiteral("dropArea"));
    static_cast<QFrame*>(m_dropArea)->setFrameShape(QFrame::StyledPanel);
    auto* dropLayout = new QVBoxLayout(m_dropArea);
    dropLayout->addStretch(1);
    auto* dropIcon = new QLabel(m_dropArea);
    dropIcon->setPixmap(icon("add-folder").pixmap(QSize(64, 64)));
    dropIcon->setAlignment(Qt::AlignCenter);
    auto* dropHint =
        new QLabel(tr("Drop video files or folders here, or a finished ladder folder to preview or "
                      "publish it"),
                   m_dropArea);
    dropHint->setObjectName(QStringLiteral("dropHint"));
    dropHint->setAlignment(Qt::AlignCenter);
    dropHint->setWordWrap(true);
    QFont hintFont = dropHint->font();
    hintFont.setPointSizeF(hintFont.pointSizeF() * 1.2);
    dropHint->setFont(hintFont);
    auto* dropButtons = new QHBoxLayout;
    auto* dropAddFiles = new QPushButton(icon("add-files"), tr("Add files…"), m_dropArea);
    auto* dropOpenLadder = new QPushButton(icon("open"), tr("Open ladder…"), m_dropArea);
    dropButtons->addStretch(1);
    dropButtons->addWidget(dropAddFiles);
    dropButtons->addWidget(dropOpenLadder);
    dropButtons->addStretch(1);
    dropLayout->addWidget(dropIcon);
    dropLayout->addWidget(dropHint);
    dropLayout->addSpacing(8);
    dropLayout->addLayout(dropButtons);
    dropLayout->addStretch(1);
    connect(dropAddFiles, &QPushButton::clicked, this, &MainWindow::addFilesWithDialog);
    connect(dropOpenLadder, &QPushButton::clicked, this, &MainWindow::openLadderWithDialog);

    // The drop area hands drops to the window, whichever widget the cursor is over.
    m_dropArea->setAcceptDrops(true);
    m_dropArea->installEventFilter(this);
    m_queueStack = new QStackedWidget(this);
    m_queueStack->addWidget(m_dropArea);
    m_queueStack->addWidget(m_queueView);
    m_notification = new NotificationBar(this);
    m_desktopNotifier = new DesktopNotifier(this);
    m_notification->setObjectName(QStringLiteral("batchNotification"));
    // Scans get their own bar: a batch finishing must not hide which files were left out.
    m_scanNotification = new NotificationBar(this);
    m_scanNotification->setObjectName(QStringLiteral("scanNotification"));
    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(2);
    centralLayout->addWidget(m_notification);
    centralLayout->addWidget(m_scanNotification);
    centralLayout->addWidget(m_queueStack, 1);
    setCentralWidget(central);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_outputTextWidth = 0;
        noteOutputWidths(0, m_model->rowCount() - 1);
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateEmptyState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &MainWindow::updateEmptyState);
    // An output folder named later (or renamed to "clip (2)") may need more room. Only the
    // changed rows are measured: progress updates every row several times a second.
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                if (topLeft.column() <= QueueModel::OutputColumn &&
                    bottomRight.column() >= QueueModel::OutputColumn &&
                    noteOutputWidths(topLeft.row(), bottomRight.row()))
                    fitColumns();
            });
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) {
                if (noteOutputWidths(first, last))
                    fitColumns();
            });

    createActions();
    createDocks();
    createMenusAndToolBars();

    m_statusCounts = new QLabel(this);
    m_statusCounts->setObjectName(QStringLiteral("statusCounts"));
    m_overallProgress = new QProgressBar(this);
    m_overallProgress->setObjectName(QStringLiteral("overallProgress"));
    m_overallProgress->setRange(0, 1000);
    m_overallProgress->setMaximumWidth(240);
    m_overallProgress->setFormat(tr("%p % overall"));
    m_overallProgress->setToolTip(
        tr("Progress of the files started since the queue was last idle"));
    statusBar()->addPermanentWidget(m_statusCounts);
    statusBar()->addPermanentWidget(m_overallProgress);

    connect(m_controller, &QueueController::activityChanged, this, &MainWindow::updateStatusBar);
    connect(m_controller, &QueueController::activityChanged, this, &MainWindow::updateActions);
    connect(m_controller, &QueueController::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_controller, &QueueController::itemFinished, this, &MainWindow::onItemFinished);
    connect(m_controller, &QueueController::batchFinished, this, &MainWindow::onBatchFinished);
    connect(m_controller, &QueueController::filesSkipped, this,
            [this](const QStringList& folders, const QList<QueueController::SkippedFile>& skipped) {
                QStringList shortList, longList;
                for (const QueueController::SkippedFile& file : skipped) {
                    const QString line =
                        tr("%1 (%2)").arg(QFileInfo(file.path).fileName(), file.reason);
                    if (shortList.size() < 3)
                        shortList << line;
                    longList << tr("%1: %2").arg(QDir::toNativeSeparators(file.path), file.reason);
                }
                const QString where = QDir(folders.value(0)).dirName();
                QString text =
                    (skipped.size() == 1
                         ? tr("Skipped 1 file in %1: ").arg(where)
                         : tr("Skipped %1 files in %2: ").arg(skipped.size()).arg(where)) +
                    shortList.join(QStringLiteral(", "));
                if (skipped.size() > shortList.size())
                    text += tr(", and %1 more").arg(skipped.size() - shortList.size());
                const QString details = longList.join(QLatin1Char('\n'));
                m_scanNotification->showMessage(
                    text, tr("Details…"),
                    [this, details] {
                        QMessageBox box(QMessageBox::Information, tr("Files left out"),
                                        tr("These files were not added to the queue:"),
                                        QMessageBox::Ok, this);
                        box.setDetailedText(details);
                        box.setInformativeText(details.section(QLatin1Char('\n'), 0, 9));
                        box.exec();
                    },
                    details);
            });
    connect(m_model, &QueueModel::itemChanged, this, [this](quint64 id) {
        if (id == m_detailsId)
            updateDetails(false);
    });
    connect(m_queueView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        updateDetails(true);
        // Show the ladder's sizes for the file the user is looking at.
        const QueueItem* item = m_model->find(currentId());
        if (item && item->probed)
            m_ladderEditor->setReferenceSize(
                QSize(item->media.video.displayWidth, item->media.video.displayHeight),
                QFileInfo(item->inputPath).fileName());
        else
            m_ladderEditor->setReferenceSize({}, {});
    });
    connect(m_queueView, &QTableView::doubleClicked, this, [this] { showSelectedLog(); });
    connect(m_queueView, &QTableView::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu menu(this);
        menu.addActions({m_start, m_cancel, m_retry, m_remove});
        menu.addSeparator();
        menu.addActions({m_reveal, m_showLog, m_preview, m_publish, m_check});
        menu.addSeparator();
        menu.addAction(m_subtitles);
        menu.addActions({m_override, m_clearOverride});
        menu.exec(m_queueView->viewport()->mapToGlobal(pos));
    });
    connect(m_ladderEditor, &LadderEditor::ladderChanged, this, [this] {
        m_controller->setGlobalLadder(m_ladderEditor->ladder(), m_ladderEditor->ladderName());
        updateDetails(true);
    });
    m_controller->setGlobalLadder(m_ladderEditor->ladder(), m_ladderEditor->ladderName());

    setOutputRoot(defaultOutputRoot());
    const QScreen* screen = QGuiApplication::primaryScreen();
    const QSize initial =
        defaultSize(screen ? screen->availableGeometry() : QRect(0, 0, 1280, 800));
    resize(initial);
    // The details pane gets a fifth of the height: the queue is what people look at.
    if (auto* detailsDock = findChild<QDockWidget*>(QStringLiteral("detailsDock")))
        resizeDocks({detailsDock}, {std::clamp(initial.height() / 5, 90, 170)}, Qt::Vertical);
    updateActions();
    updateStatusBar();
    updateEmptyState();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
    auto make = [this](const char* iconName, const QString& text, const QKeySequence& key,
                       const QString& tip, auto slot) {
        auto* action = new QAction(icon(iconName), text, this);
        if (!key.isEmpty())
            action->setShortcut(key);
        // Tooltips name the shortcut, so keyboard users can discover it.
        action->setToolTip(key.isEmpty() ? tip
                                         : QStringLiteral("%1 (%2)").arg(
                                               tip, key.toString(QKeySequence::NativeText)));
        action->setStatusTip(tip);
        connect(action, &QAction::triggered, this, slot);
        addAction(action); // shortcuts work even when the toolbar is hidden
        return action;
    };
    m_addFiles = make("add-files", tr("Add &files…"), QKeySequence::Open,
                      tr("Add video files to the queue"), &MainWindow::addFilesWithDialog);
    m_addFolder = make("add-folder", tr("Add f&older…"), QKeySequence(tr("Ctrl+Shift+O")),
                       tr("Add every video file in a folder and its subfolders"),
                       &MainWindow::addFolderWithDialog);
    m_chooseOutput = make(
        "folder-open", tr("Choose &output folder…"), QKeySequence(tr("Ctrl+Shift+D")),
        tr("Where the ladders land: one subfolder per input file"), &MainWindow::chooseOutputRoot);
    m_start = make("start", tr("&Start"), QKeySequence(tr("Ctrl+Return")),
                   tr("Encode the selected files"), &MainWindow::startSelected);
    m_cancel = make("cancel", tr("&Cancel"), QKeySequence(tr("Ctrl+Backspace")),
                    tr("Stop the selected jobs; a cancelled job leaves nothing behind"),
                    &MainWindow::cancelSelected);
    m_retry = make("retry", tr("&Retry"), QKeySequence(tr("Ctrl+R")),
                   tr("Run failed or cancelled jobs again; probe unusable files again"),
                   &MainWindow::retrySelected);
    m_remove = make("remove", tr("Re&move"), QKeySequence::Delete,
                    tr("Remove the selected files from the queue (their outputs stay on disk)"),
                    &MainWindow::removeSelected);
    // Delete acts on the queue only, not while the ladder table has focus.
    removeAction(m_remove);
    m_queueView->addAction(m_remove);
    m_remove->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_startAll = make("start-all", tr("Start &all"), QKeySequence(tr("Ctrl+Shift+Return")),
                      tr("Encode every file that is ready"), &MainWindow::startAll);
    m_cancelAll = make("cancel-all", tr("Cancel a&ll"), QKeySequence(tr("Ctrl+Shift+Backspace")),
                       tr("Stop every queued and running job"), &MainWindow::cancelAll);
    m_reveal = make("folder-open", tr("Re&veal output folder"), QKeySequence(tr("Ctrl+E")),
                    tr("Open the selected file's output folder in the file manager"),
                    &MainWindow::revealSelectedOutput);
    m_showLog = make("log", tr("Show &log and details"), QKeySequence(tr("Ctrl+L")),
                     tr("Probe facts, warnings, playlists and the log of the selected file"),
                     &MainWindow::showSelectedLog);
    m_preview = make("preview", tr("&Preview"), QKeySequence(tr("Ctrl+P")),
                     tr("Play the finished ladder"), &MainWindow::openPreview);
    m_publish = make("publish", tr("P&ublish…"), QKeySequence(tr("Ctrl+U")),
                     tr("Upload the finished ladder to S3 or copy it to a folder"),
                     &MainWindow::openPublish);
    m_check = make("log", tr("Chec&k ladder…"), QKeySequence(tr("Ctrl+K")),
                   tr("Check the finished ladder against Apple's HLS authoring rules"),
                   &MainWindow::openCheck);
    m_checkAny = make("open", tr("Check a ladder or &URL…"), QKeySequence(tr("Ctrl+Shift+H")),
                      tr("Check any HLS ladder — a folder or an https:// address — against "
                         "Apple's authoring rules"),
                      &MainWindow::openCheckAny);
    m_subtitles = make("log", tr("Su&btitles…"), QKeySequence(tr("Ctrl+Shift+T")),
                       tr("The subtitle tracks of the selected file's ladder: its own, the "
                          "files beside it, and subtitle files you add (.srt, .vtt)"),
                       &MainWindow::editSubtitlesForSelected);
    m_override = make("rung-duplicate", tr("Give the selection its own &ladder"), {},
                      tr("Freeze the editor's current ladder for the selected files only"),
                      &MainWindow::overrideLadderForSelected);
    m_clearOverride = make("retry", tr("Use the editor's ladder &again"), {},
                           tr("Drop the selected files' own ladder"),
                           &MainWindow::clearLadderOverrideForSelected);
    m_about = make("about", tr("&About HLS Forge"), {}, tr("Versions of HLS Forge, Qt and FFmpeg"),
                   &MainWindow::showAbout);
    m_help = make("log", tr("HLS Forge &help"), QKeySequence::HelpContents,
                  tr("How to use HLS Forge"), &MainWindow::showHelp);
    m_openLadder = make("open", tr("Open &ladder…"), QKeySequence(tr("Ctrl+Shift+K")),
                        tr("Open a finished ladder folder (with master.m3u8) to preview or "
                           "publish it"),
                        &MainWindow::openLadderWithDialog);
    m_quit =
        make("quit", tr("&Quit"), QKeySequence::Quit, tr("Close HLS Forge"), &MainWindow::close);
    m_quit->setMenuRole(QAction::QuitRole);
}

void MainWindow::createDocks() {
    m_ladderEditor = new LadderEditor(this);
    auto* ladderDock = new QDockWidget(tr("Ladder"), this);
    ladderDock->setObjectName(QStringLiteral("ladderDock"));
    // Scrolls rather than forcing its height on the window: on a small or scaled screen the
    // window still fits.
    auto* ladderScroll = new QScrollArea(ladderDock);
    ladderScroll->setObjectName(QStringLiteral("ladderScroll"));
    ladderScroll->setWidget(m_ladderEditor);
    ladderScroll->setWidgetResizable(true);
    ladderScroll->setFrameShape(QFrame::NoFrame);
    ladderScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    const auto fitLadderDock = [this, ladderScroll] {
        ladderScroll->setMinimumWidth(
            std::max(m_ladderEditor->minimumSizeHint().width(), m_ladderEditor->minimumWidth()) +
            ladderScroll->verticalScrollBar()->sizeHint().width());
    };
    fitLadderDock();
    connect(m_ladderEditor, &LadderEditor::minimumWidthChanged, this, fitLadderDock);
    ladderDock->setWidget(ladderScroll);
    // The ladder takes the full height on the right; the details pane sits under the queue.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, ladderDock);

    m_details = new QTextBrowser(this);
    m_details->setObjectName(QStringLiteral("details"));
    m_details->setOpenLinks(false);
    m_details->setPlaceholderText(
        tr("Select a file to see what the probe found, its ladder, warnings and log."));
    m_qualityChart = new QualityChart(this);
    auto* detailsSplit = new QSplitter(Qt::Vertical, this);
    detailsSplit->addWidget(m_details);
    detailsSplit->addWidget(m_qualityChart);
    detailsSplit->setStretchFactor(0, 1);
    auto* detailsDock = new QDockWidget(tr("Details and log"), this);
    detailsDock->setObjectName(QStringLiteral("detailsDock"));
    detailsDock->setWidget(detailsSplit);
    addDockWidget(Qt::BottomDockWidgetArea, detailsDock);

    m_loadLadder = new QAction(icon("open"), tr("&Load ladder…"), this);
    m_loadLadder->setShortcut(QKeySequence(tr("Ctrl+Shift+L")));
    connect(m_loadLadder, &QAction::triggered, m_ladderEditor, &LadderEditor::loadWithDialog);
    m_saveLadder = new QAction(icon("save"), tr("&Save ladder…"), this);
    m_saveLadder->setShortcut(QKeySequence(tr("Ctrl+Shift+S")));
    connect(m_saveLadder, &QAction::triggered, m_ladderEditor, &LadderEditor::saveWithDialog);
    m_suggestLadder = new QAction(icon("open"), tr("Su&ggest ladder…"), this);
    m_suggestLadder->setObjectName(QStringLiteral("suggestLadder"));
    m_suggestLadder->setToolTip(
        tr("Trial-encode a few scenes of the selected file and suggest rungs for this title"));
    connect(m_suggestLadder, &QAction::triggered, this, [this] {
        // The selected file, else the first queued one (a creator who dropped one file and
        // went to the Ladder menu should not have to browse for it again).
        const QueueItem* item = m_model->find(currentId());
        if (!item || !isStartable(*item))
            for (const QueueItem& queued : m_model->items())
                if (isStartable(queued)) {
                    item = &queued;
                    break;
                }
        showSuggestWindow(item && isStartable(*item) ? item->inputPath : QString());
    });
    addActions({m_loadLadder, m_saveLadder, m_suggestLadder});
    m_exportCluster = new QAction(tr("E&xport cluster job…"), this);
    m_exportCluster->setObjectName(QStringLiteral("exportClusterJob"));
    m_exportCluster->setToolTip(
        tr("Plan the selected file with this ladder as a chunked encode and "
           "write the job files for Kubernetes or AWS Batch"));
    connect(m_exportCluster, &QAction::triggered, this, [this] {
        const QueueItem* item = m_model->find(currentId());
        const QString source =
            item ? item->inputPath
                 : QFileDialog::getOpenFileName(this, tr("Video to encode on a cluster"));
        if (source.isEmpty())
            return;
        auto* dialog = new ClusterExportDialog(source, m_ladderEditor->ladder(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
}

void MainWindow::createMenusAndToolBars() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addActions({m_addFiles, m_addFolder, m_openLadder, m_checkAny, m_exportCluster});
    file->addSeparator();
    file->addAction(m_chooseOutput);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu* queue = menuBar()->addMenu(tr("&Queue"));
    queue->addActions({m_start, m_cancel, m_retry, m_remove});
    queue->addSeparator();
    queue->addActions({m_startAll, m_cancelAll});
    queue->addSeparator();
    queue->addActions({m_reveal, m_showLog, m_preview, m_publish, m_check});
    queue->addSeparator();
    queue->addAction(m_subtitles);
    queue->addSeparator();
    queue->addActions({m_override, m_clearOverride});

    QMenu* ladder = menuBar()->addMenu(tr("&Ladder"));
    ladder->addActions({m_loadLadder, m_saveLadder, m_suggestLadder});
    QMenu* presets = ladder->addMenu(tr("&Presets"));
    for (const LadderPreset& preset : ladderPresets()) {
        QAction* action = presets->addAction(preset.name);
        action->setToolTip(preset.description);
        connect(action, &QAction::triggered, this,
                [this, name = preset.name] { m_ladderEditor->choosePreset(name); });
    }

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addActions({m_help, m_about});

    QToolBar* tools = addToolBar(tr("Queue"));
    tools->setObjectName(QStringLiteral("queueToolBar"));
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tools->addActions({m_addFiles, m_addFolder});
    tools->addSeparator();
    tools->addActions({m_startAll, m_cancelAll});
    tools->addSeparator();
    tools->addActions({m_start, m_cancel, m_retry, m_remove});
    tools->addSeparator();
    tools->addActions({m_reveal, m_preview});

    addToolBarBreak(); // the output folder's path needs room of its own
    QToolBar* output = addToolBar(tr("Output"));
    output->setObjectName(QStringLiteral("outputToolBar"));
    m_outputButton = new QToolButton(this);
    m_outputButton->setDefaultAction(m_chooseOutput);
    m_outputButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto* outputLabel = new QLabel(tr(" Output: "), this);
    output->addWidget(outputLabel);
    output->addWidget(m_outputButton);
    output->addSeparator();
    m_concurrency = new QSpinBox(this);
    m_concurrency->setObjectName(QStringLiteral("concurrency"));
    m_concurrency->setRange(1, 8);
    m_concurrency->setValue(1);
    m_concurrency->setToolTip(
        tr("How many files encode at the same time. Each job already uses every core; "
           "more than one helps mostly with short clips."));
    auto* concurrencyLabel = new QLabel(tr(" At &once: "), this);
    concurrencyLabel->setBuddy(m_concurrency);
    output->addWidget(concurrencyLabel);
    output->addWidget(m_concurrency);
    connect(m_concurrency, &QSpinBox::valueChanged, m_controller, &QueueController::setConcurrency);
}

void MainWindow::setOutputRoot(const QString& folder) {
    m_controller->setOutputRoot(folder);
    const QString shown = QDir::toNativeSeparators(m_controller->outputRoot());
    m_outputButton->setText(
        QFontMetrics(m_outputButton->font()).elidedText(shown, Qt::ElideMiddle, 360));
    m_outputButton->setToolTip(
        tr("Each input's ladder lands in %1/<file name>/; click to choose another folder")
            .arg(shown));
    updateDetails(true);
}

void MainWindow::setConcurrency(int jobs) {
    m_concurrency->setValue(jobs);
}

void MainWindow::setAutoStart(bool autoStart) {
    m_autoStart = autoStart;
    m_controller->setAutoStart(autoStart);
}

void MainWindow::restoreSettings() {
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    const QString output = settings.value(QStringLiteral("output/folder")).toString();
    if (!output.isEmpty())
        setOutputRoot(output);
    m_concurrency->setValue(settings.value(QStringLiteral("queue/concurrency"), 1).toInt());
    const QByteArray ladderJson = settings.value(QStringLiteral("ladder/json")).toByteArray();
    const QString ladderName = settings.value(QStringLiteral("ladder/name")).toString();
    if (!ladderJson.isEmpty()) {
        // A stored ladder that no longer parses (older version, hand-edited) is ignored.
        StatusOr<Ladder> ladder = Ladder::fromJsonBytes(ladderJson, QStringLiteral("settings"));
        if (ladder.isOk())
            m_ladderEditor->setLadder(ladder.value(), ladderName);
    }
}

void MainWindow::saveSettings() const {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("output/folder"), m_controller->outputRoot());
    settings.setValue(QStringLiteral("queue/concurrency"), m_concurrency->value());
    // Saved even when invalid-free only: a broken ladder would be dropped on restore anyway.
    if (m_ladderEditor->validation().isOk()) {
        settings.setValue(
            QStringLiteral("ladder/json"),
            QJsonDocument(m_ladderEditor->ladder().toJson()).toJson(QJsonDocument::Compact));
        settings.setValue(QStringLiteral("ladder/name"), m_ladderEditor->ladderName());
    }
}

int MainWindow::addDroppedData(const QMimeData* mime) {
    if (!mime || !mime->hasUrls())
        return 0;
    QStringList paths, subtitleFiles;
    for (const QUrl& url : mime->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString path = url.toLocalFile();
        // A subtitle file belongs to a video row, never a row of its own.
        if (subtitles::isSubtitleFileName(path) && QFileInfo(path).isFile())
            subtitleFiles << path;
        else
            paths << path;
    }
    if (!subtitleFiles.isEmpty())
        dropSubtitleFiles(subtitleFiles, m_dropViewportPos);
    m_controller->addPaths(paths);
    return int(paths.size() + subtitleFiles.size());
}

QString MainWindow::askSubtitleLanguage(const QString& fileName) {
    if (m_askSubtitleLanguage)
        return m_askSubtitleLanguage(fileName);
    bool ok = false;
    const QString code = QInputDialog::getText(
        this, tr("Subtitle language"),
        tr("%1 does not name its language. Language code (en, fr, de, pt-BR…):").arg(fileName),
        QLineEdit::Normal, {}, &ok);
    return ok ? code.trimmed() : QString();
}

void MainWindow::dropSubtitleFiles(const QStringList& paths, const QPoint& viewportPos) {
    QStringList names;
    for (const QString& path : paths)
        names << QFileInfo(path).fileName();
    const QModelIndex index = m_queueView->isVisible() && viewportPos.x() >= 0
                                  ? m_queueView->indexAt(viewportPos)
                                  : QModelIndex();
    const QueueItem* item = index.isValid() ? &m_model->at(index.row()) : nullptr;
    if (!item || item->openedLadder) {
        m_scanNotification->showMessage(
            item ? tr("%1 not added: %2 is a finished ladder; subtitles are added to a video "
                      "before it is encoded")
                       .arg(names.join(QStringLiteral(", ")), QFileInfo(item->inputPath).fileName())
                 : tr("%1 not added: drop subtitle files onto the row of the video they belong "
                      "to (or use Subtitles… on it)")
                       .arg(names.join(QStringLiteral(", "))));
        return;
    }
    const quint64 id = item->id;
    const QString videoName = QFileInfo(item->inputPath).fileName();
    QVector<subtitles::SubtitleInput> files = item->subtitleFiles;
    QStringList added, problems;
    for (const QString& path : paths) {
        const bool known =
            std::any_of(files.begin(), files.end(), [&](const subtitles::SubtitleInput& f) {
                return QFileInfo(f.path) == QFileInfo(path);
            });
        if (known)
            continue;
        subtitles::SubtitleInput input;
        QString problem;
        if (SubtitlesDialog::prepareFile(
                path, [this](const QString& name) { return askSubtitleLanguage(name); }, &input,
                &problem)) {
            files.append(input);
            added << QStringLiteral("%1 (%2)").arg(
                QFileInfo(path).fileName(),
                subtitles::languageDisplayName(
                    subtitles::toBcp47(input.languageCode, QString()).bcp47));
        } else if (!problem.isEmpty()) {
            problems << problem;
        }
    }
    m_controller->setSubtitleFiles(id, files);
    QString text;
    if (!added.isEmpty())
        text = tr("Subtitles for %1: %2").arg(videoName, added.join(QStringLiteral(", ")));
    if (!problems.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral(". ")) +
                tr("Not added: %1").arg(problems.join(QStringLiteral("; ")));
    if (text.isEmpty())
        text = tr("No subtitles added to %1").arg(videoName);
    m_scanNotification->showMessage(text);
    if (!problems.isEmpty())
        m_model->update(id, [&](QueueItem& it) {
            for (const QString& p : problems)
                it.addLog(tr("Subtitle file not added: %1").arg(p));
        });
}

SubtitlesDialog* MainWindow::editSubtitlesForSelected() {
    const QueueItem* item = m_model->find(currentId());
    if (!item || item->openedLadder)
        return nullptr;
    const quint64 id = item->id;
    auto* dialog = new SubtitlesDialog(
        item->inputPath, item->subtitleFiles,
        [this](const QString& name) { return askSubtitleLanguage(name); }, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, id, dialog] { m_controller->setSubtitleFiles(id, dialog->files()); });
    dialog->open();
    return dialog;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) {
        for (const QUrl& url : event->mimeData()->urls()) {
            if (url.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
        }
    }
    event->ignore();
}

void MainWindow::dropEvent(QDropEvent* event) {
    // Where on the queue it landed, for subtitle files dropped onto a row.
    m_dropViewportPos = m_queueView->isVisible()
                            ? m_queueView->viewport()->mapFrom(this, event->position().toPoint())
                            : QPoint(-1, -1);
    const int accepted = addDroppedData(event->mimeData());
    m_dropViewportPos = QPoint(-1, -1);
    if (accepted > 0)
        event->acceptProposedAction();
    else
        event->ignore();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    const int active = m_controller->activeCount();
    if (active > 0 && m_confirmClose) {
        const auto answer =
            QMessageBox::question(this, tr("Quit HLS Forge?"),
                                  tr("%n file(s) are still queued or encoding. Quit and cancel "
                                     "them? Cancelled jobs leave nothing "
                                     "half-written.",
                                     nullptr, active),
                                  QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    m_controller->cancelAll();
    saveSettings();
    event->accept();
}

void MainWindow::addFilesWithDialog() {
    QStringList patterns;
    for (const QString& ext : QueueController::videoExtensions())
        patterns << QStringLiteral("*.") + ext << QStringLiteral("*.") + ext.toUpper();
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Add video files"), QString(),
        tr("Videos (%1);;All files (*)").arg(patterns.join(QLatin1Char(' '))));
    m_controller->addPaths(files);
}

void MainWindow::addFolderWithDialog() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add a folder of videos"));
    if (!folder.isEmpty())
        m_controller->addPaths({folder});
}

void MainWindow::chooseOutputRoot() {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Output folder"), m_controller->outputRoot());
    if (!folder.isEmpty()) {
        setOutputRoot(folder);
        saveSettings();
    }
}

QList<quint64> MainWindow::selectedIds() const {
    QList<quint64> ids;
    for (const QModelIndex& index : m_queueView->selectionModel()->selectedRows())
        ids << m_model->idAt(index.row());
    return ids;
}

quint64 MainWindow::currentId() const {
    const QList<quint64> ids = selectedIds();
    if (ids.size() == 1)
        return ids.first();
    const QModelIndex current = m_queueView->currentIndex();
    return current.isValid() && ids.contains(m_model->idAt(current.row()))
               ? m_model->idAt(current.row())
               : 0;
}

void MainWindow::reportStart(const Status& status) {
    if (status.isOk())
        return;
    // Same words as the ladder editor's validation line, which stays visible.
    const QString text =
        status.code() == Status::Code::InvalidArgument && !m_ladderEditor->validation().isOk()
            ? tr("Nothing was started. %1").arg(m_ladderEditor->validationMessage())
            : tr("Nothing was started. %1").arg(status.message());
    statusBar()->showMessage(text, 10000);
    QMessageBox::warning(this, tr("Cannot start"), text);
}

void MainWindow::startSelected() {
    QList<quint64> ids = selectedIds();
    // A finished file encoded again goes into a new folder next to the first; ask before
    // spending the time, and keep the earlier ladder reachable (the controller does).
    QStringList finished;
    for (quint64 id : std::as_const(ids)) {
        const QueueItem* item = m_model->find(id);
        if (item && item->state == JobState::Done && !item->openedLadder)
            finished << QFileInfo(item->inputPath).fileName();
    }
    if (!finished.isEmpty()) {
        bool again = false;
        if (m_confirmRerun) {
            again = m_confirmRerun(finished);
        } else {
            QMessageBox box(QMessageBox::Question, tr("Encode again?"),
                            tr("%1 already has a finished ladder.", nullptr, int(finished.size()))
                                .arg(finished.join(QStringLiteral(", "))),
                            QMessageBox::NoButton, this);
            box.setInformativeText(
                tr("Encoding again writes a new folder next to the first one. The finished "
                   "ladder stays, and stays in the queue if the new run is cancelled."));
            QPushButton* encode = box.addButton(tr("Encode again"), QMessageBox::AcceptRole);
            box.addButton(QMessageBox::Cancel);
            box.setDefaultButton(QMessageBox::Cancel);
            box.exec();
            again = box.clickedButton() == encode;
        }
        if (!again) {
            ids.erase(std::remove_if(ids.begin(), ids.end(),
                                     [this](quint64 id) {
                                         const QueueItem* item = m_model->find(id);
                                         return item && item->state == JobState::Done;
                                     }),
                      ids.end());
            if (ids.isEmpty())
                return;
        }
    }
    reportStart(m_controller->start(ids));
}
void MainWindow::cancelSelected() {
    m_controller->cancel(selectedIds());
}
void MainWindow::retrySelected() {
    reportStart(m_controller->start(selectedIds()));
}
void MainWindow::startAll() {
    reportStart(m_controller->startAll());
}
void MainWindow::cancelAll() {
    m_controller->cancelAll();
}

void MainWindow::removeSelected() {
    const QList<quint64> ids = selectedIds();
    int running = 0;
    for (quint64 id : ids) {
        const QueueItem* item = m_model->find(id);
        running += item && isActive(item->state) && item->state != JobState::Queued ? 1 : 0;
    }
    if (running > 0 && m_confirmClose &&
        QMessageBox::question(this, tr("Remove running jobs?"),
                              tr("%n selected file(s) are encoding. Cancel and remove them?",
                                 nullptr, running)) != QMessageBox::Yes)
        return;
    m_controller->remove(ids);
}

QString MainWindow::selectedFinishedOutput() const {
    const QueueItem* item = m_model->find(currentId());
    return item ? item->finishedOutputDir() : QString();
}

void MainWindow::revealSelectedOutput() {
    QString folder = selectedFinishedOutput();
    if (folder.isEmpty()) {
        const QueueItem* item = m_model->find(currentId());
        folder = item ? item->outputDir : QString();
    }
    if (folder.isEmpty() || !QFileInfo::exists(folder))
        folder = m_controller->outputRoot(); // not written yet: show where it will land
    QDir().mkpath(folder);
    openOrCopy(this, QUrl::fromLocalFile(folder), tr("the output folder"));
}

void MainWindow::showSelectedLog() {
    if (auto* dock = findChild<QDockWidget*>(QStringLiteral("detailsDock"))) {
        dock->show();
        dock->raise();
    }
    updateDetails(true);
    m_details->setFocus();
}

void MainWindow::openPreview() {
    const QString folder = selectedFinishedOutput();
    if (folder.isEmpty())
        return;
    auto* window = new PreviewWindow(folder, this);
    window->setWindowFlag(Qt::Window); // its own top-level window, owned by ours
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
}

void MainWindow::openPublish() {
    const QString folder = selectedFinishedOutput();
    if (folder.isEmpty())
        return;
    auto* window = new PublishWindow(folder, this);
    window->setWindowFlag(Qt::Window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
}

void MainWindow::openCheck() {
    const QString folder = selectedFinishedOutput();
    if (!folder.isEmpty())
        showCheckWindow(folder);
}

void MainWindow::openCheckAny() {
    showCheckWindow({});
}

CheckWindow* MainWindow::showCheckWindow(const QString& ladder) {
    auto* window = new CheckWindow(ladder, this);
    window->setWindowFlag(Qt::Window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
    return window;
}

SuggestWindow* MainWindow::showSuggestWindow(const QString& source) {
    auto* window = new SuggestWindow(source, m_ladderEditor->ladder(), this);
    window->setWindowFlag(Qt::Window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    connect(window, &SuggestWindow::useLadder, this, [this](const Ladder& ladder) {
        m_ladderEditor->setLadder(ladder, QStringLiteral("custom"));
    });
    window->show();
    return window;
}

void MainWindow::overrideLadderForSelected() {
    if (!m_ladderEditor->validation().isOk()) {
        QMessageBox::warning(this, tr("Ladder not valid"), m_ladderEditor->validationMessage());
        return;
    }
    for (quint64 id : selectedIds())
        m_controller->setLadderOverride(id, m_ladderEditor->ladder());
}

void MainWindow::clearLadderOverrideForSelected() {
    for (quint64 id : selectedIds())
        m_controller->setLadderOverride(id, std::nullopt);
}

void MainWindow::showAbout() {
    const QString ffmpeg = ffmpegLibraryVersions().toHtmlEscaped();
    QMessageBox::about(
        this, tr("About HLS Forge"),
        tr("<h3>HLS Forge %1</h3>"
           "<p>Adaptive HLS ladders from video files: drop videos in, choose a ladder, get "
           "streams ready to publish.</p>"
           "<p>Qt %2 (built with %3)<br>FFmpeg: %4</p>")
            .arg(QStringLiteral(HLSFORGE_VERSION), QString::fromLatin1(qVersion()),
                 QStringLiteral(QT_VERSION_STR), ffmpeg));
}

void MainWindow::showHelp() {
    // The user guide ships inside the app (docs/gui.md as a resource): it works offline and
    // matches the installed version.
    auto* dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("helpDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("HLS Forge help"));
    auto* layout = new QVBoxLayout(dialog);
    auto* text = new QTextBrowser(dialog);
    text->setObjectName(QStringLiteral("helpText"));
    text->setOpenLinks(false);
    QFile guide(QStringLiteral(":/docs/gui.md"));
    QString markdown = guide.open(QIODevice::ReadOnly)
                           ? QString::fromUtf8(guide.readAll())
                           : tr("# HLS Forge\n\nThe user guide is missing from this build.");
    // The screenshot is not bundled; its line would show as a broken picture.
    markdown.remove(QRegularExpression(QStringLiteral("!\\[[^\\]]*\\]\\([^)]*\\)\\n?")));
    text->setMarkdown(markdown);
    connect(text, &QTextBrowser::anchorClicked, dialog,
            [dialog](const QUrl& url) { openOrCopy(dialog, url, tr("the link")); });
    layout->addWidget(text);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    layout->addWidget(buttons);
    const QSize room = size();
    dialog->resize(std::min(760, room.width()), std::min(640, room.height()));
    dialog->show();
}

void MainWindow::openLadderWithDialog() {
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Open a finished ladder (the folder holding master.m3u8)"),
        m_controller->outputRoot());
    if (!folder.isEmpty())
        openLadderFolder(folder);
}

void MainWindow::openLadderFolder(const QString& folder) {
    const Status opened = m_controller->openLadder(folder);
    if (!opened.isOk()) {
        QMessageBox::warning(this, tr("Open ladder"), opened.message());
        return;
    }
    // Select it, so Preview and Publish apply to it at once.
    const QString dir = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    for (const QueueItem& item : m_model->items()) {
        if (item.openedLadder && item.outputDir == dir)
            m_queueView->selectRow(m_model->rowOf(item.id));
    }
}

void MainWindow::updateEmptyState() {
    m_queueStack->setCurrentWidget(m_model->rowCount() == 0 ? m_dropArea : m_queueView);
    fitColumns();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_queueView->viewport() && event->type() == QEvent::Resize)
        fitColumns();
    if (watched == m_dropArea) {
        if (event->type() == QEvent::DragEnter) {
            dragEnterEvent(static_cast<QDragEnterEvent*>(event));
            return true;
        }
        if (event->type() == QEvent::Drop) {
            dropEvent(static_cast<QDropEvent*>(event));
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

bool MainWindow::noteOutputWidths(int first, int last) {
    const QFontMetrics fm(m_queueView->font());
    int widest = 0;
    for (int row = std::max(0, first); row <= last && row < m_model->rowCount(); ++row)
        widest = std::max(
            widest,
            fm.horizontalAdvance(
                m_model->index(row, QueueModel::OutputColumn).data(Qt::DisplayRole).toString()));
    if (widest <= m_outputTextWidth)
        return false;
    m_outputTextWidth = widest;
    return true;
}

void MainWindow::fitColumns() {
    if (m_userSizedColumns)
        return;
    const QFontMetrics fm(m_queueView->font());
    const QFontMetrics headerFm(m_queueView->horizontalHeader()->font());
    auto textWidth = [&](const QString& sample, int column) {
        const QString title =
            m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
        return std::max(fm.horizontalAdvance(sample), headerFm.horizontalAdvance(title)) + 14;
    };
    struct Fixed {
        int column;
        int width;
    };
    const int available = m_queueView->viewport()->width();
    // Output folders are named after the files ("city-walk/", "interview (2)/"): as wide as
    // the longest one shown, up to a fifth of the queue, so a 1.5x scale does not squeeze
    // them into "city-w…".
    int outputWidth = std::max(textWidth(QStringLiteral("clip (2)/"), QueueModel::OutputColumn),
                               m_outputTextWidth + 14);
    outputWidth = std::min(outputWidth, std::max(available / 5, 40));
    const QList<Fixed> fixed = {
        {QueueModel::ThumbnailColumn, kThumbnailIconSize.width() + 8},
        {QueueModel::DurationColumn,
         textWidth(QStringLiteral("0:00:00"), QueueModel::DurationColumn)},
        {QueueModel::ResolutionColumn,
         textWidth(QStringLiteral("1920×1080"), QueueModel::ResolutionColumn)},
        {QueueModel::OutputColumn, outputWidth},
        // Status text wraps onto a second line; room for one word and the state icon.
        {QueueModel::StatusColumn,
         textWidth(QStringLiteral("Cancelling…"), QueueModel::StatusColumn) + 24},
        {QueueModel::ProgressColumn,
         textWidth(QStringLiteral("100 % · 1.0×"), QueueModel::ProgressColumn)},
        {QueueModel::EtaColumn, textWidth(QStringLiteral("took 0:00"), QueueModel::EtaColumn)}};
    const int ladderMin = fm.horizontalAdvance(QStringLiteral("web: 1080p…")) + 14;
    const int nameMin = fm.horizontalAdvance(QStringLiteral("interview.mov")) + 14;
    // On a narrow queue (a small or scaled screen) the least needed columns step aside rather
    // than pushing the file name off screen; they come back when there is room.
    const QList<int> dropOrder = {QueueModel::OutputColumn, QueueModel::ResolutionColumn,
                                  QueueModel::EtaColumn, QueueModel::DurationColumn,
                                  QueueModel::ThumbnailColumn};
    QSet<int> dropped;
    auto fixedTotal = [&] {
        int total = 0;
        for (const Fixed& f : fixed)
            total += dropped.contains(f.column) ? 0 : f.width;
        return total;
    };
    for (int column : dropOrder) {
        if (fixedTotal() + nameMin + ladderMin <= available)
            break;
        dropped.insert(column);
    }
    // What is left goes to Name and Ladder (2/5 each) and Status (1/5): status and error
    // text wrap onto a second line, so a wider Status shows an error whole.
    const int flexible = std::max(0, available - fixedTotal());
    const int ladderWidth = std::max(ladderMin, flexible * 2 / 5);
    const int nameWidth = std::max(nameMin, flexible - ladderWidth - flexible / 5);
    const int statusExtra = std::max(0, flexible - ladderWidth - nameWidth);
    m_fittingColumns = true;
    QHeaderView* header = m_queueView->horizontalHeader();
    for (const Fixed& f : fixed) {
        header->setSectionHidden(f.column, dropped.contains(f.column));
        if (!dropped.contains(f.column))
            header->resizeSection(f.column, f.width);
    }
    header->resizeSection(QueueModel::NameColumn, nameWidth);
    header->resizeSection(QueueModel::LadderColumn, ladderWidth);
    header->resizeSection(QueueModel::StatusColumn,
                          header->sectionSize(QueueModel::StatusColumn) + statusExtra);
    m_fittingColumns = false;
}

void MainWindow::onBatchFinished(int done, int failed, int cancelled) {
    QStringList parts;
    if (done)
        parts << tr("%n done", nullptr, done);
    if (failed)
        parts << tr("%n failed", nullptr, failed);
    if (cancelled)
        parts << tr("%n cancelled", nullptr, cancelled);
    const QString text = tr("Queue finished: %1.").arg(parts.join(QStringLiteral(", ")));
    // The folder to open: the one finished ladder, or the output folder holding several.
    const QString folder =
        done == 1 && !m_lastBatchFolder.isEmpty() ? m_lastBatchFolder : m_controller->outputRoot();
    m_lastBatchFolder = folder;
    m_notification->showMessage(text, tr("Open folder"), [this, folder] {
        openOrCopy(this, QUrl::fromLocalFile(folder), tr("the output folder"));
    });
    // A desktop notification too, for whoever is in another window meanwhile: through the
    // desktop's notification service, else the system tray where there is one.
    const QString body = tr("In %1").arg(QDir::toNativeSeparators(folder));
    const bool notified = m_desktopNotifier->notify(text, body, tr("Open folder"), [this] {
        openOrCopy(this, QUrl::fromLocalFile(m_lastBatchFolder), tr("the output folder"));
    });
    if (!notified && QSystemTrayIcon::isSystemTrayAvailable() &&
        QSystemTrayIcon::supportsMessages()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(windowIcon(), this);
            connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
                openOrCopy(this, QUrl::fromLocalFile(m_lastBatchFolder), tr("the output folder"));
            });
        }
        m_tray->show();
        m_tray->showMessage(tr("HLS Forge"),
                            text + QLatin1Char(' ') + tr("Click to open the folder."),
                            QSystemTrayIcon::Information, 10000);
    }
}

void MainWindow::onItemFinished(quint64 id) {
    if (const QueueItem* item = m_model->find(id)) {
        statusBar()->showMessage(finishedText(*item), 10000);
        if (item->state == JobState::Done)
            m_lastBatchFolder = item->outputDir;
    }
    updateActions();
}

void MainWindow::updateActions() {
    bool anyStartable = false, anyCancellable = false, anyRetryable = false, anyDone = false;
    const QList<quint64> ids = selectedIds();
    for (quint64 id : ids) {
        const QueueItem* item = m_model->find(id);
        if (!item)
            continue;
        anyStartable |= !item->openedLadder &&
                        (item->state == JobState::Ready || item->state == JobState::Done);
        anyCancellable |= item->state == JobState::Queued || item->state == JobState::Running;
        anyRetryable |= item->state == JobState::Failed || item->state == JobState::Cancelled ||
                        item->state == JobState::Invalid;
        anyDone |= !item->finishedOutputDir().isEmpty();
    }
    m_start->setEnabled(anyStartable);
    m_cancel->setEnabled(anyCancellable);
    m_retry->setEnabled(anyRetryable);
    m_remove->setEnabled(!ids.isEmpty());
    m_reveal->setEnabled(ids.size() == 1);
    m_showLog->setEnabled(ids.size() == 1);
    m_preview->setEnabled(ids.size() == 1 && anyDone);
    m_publish->setEnabled(ids.size() == 1 && anyDone);
    m_check->setEnabled(ids.size() == 1 && anyDone);
    const QueueItem* current = ids.size() == 1 ? m_model->find(ids.first()) : nullptr;
    m_subtitles->setEnabled(current && !current->openedLadder && !isActive(current->state));
    m_override->setEnabled(!ids.isEmpty());
    m_clearOverride->setEnabled(!ids.isEmpty());
    bool anyReady = false, anyActive = false;
    for (const QueueItem& item : m_model->items()) {
        anyReady |= item.state == JobState::Ready || item.state == JobState::Failed ||
                    item.state == JobState::Cancelled;
        anyActive |= isActive(item.state);
    }
    m_startAll->setEnabled(anyReady);
    m_cancelAll->setEnabled(anyActive);
}

void MainWindow::updateStatusBar() {
    int probing = 0, ready = 0, queued = 0, running = 0, done = 0, failed = 0, cancelled = 0;
    for (const QueueItem& item : m_model->items()) {
        switch (item.state) {
        case JobState::Probing:
            ++probing;
            break;
        case JobState::Ready:
            ++ready;
            break;
        case JobState::Queued:
            ++queued;
            break;
        case JobState::Running:
        case JobState::Cancelling:
            ++running;
            break;
        case JobState::Done:
            ++done;
            break;
        case JobState::Invalid:
        case JobState::Failed:
            ++failed;
            break;
        case JobState::Cancelled:
            ++cancelled;
            break;
        }
    }
    QStringList parts;
    const int files = int(m_model->items().size());
    parts << (files == 1 ? tr("1 file") : tr("%1 files").arg(files));
    if (probing)
        parts << tr("%1 probing").arg(probing);
    if (running)
        parts << tr("%1 encoding").arg(running);
    if (queued)
        parts << tr("%1 queued").arg(queued);
    if (done)
        parts << tr("%1 done").arg(done);
    if (failed)
        parts << tr("%1 failed").arg(failed);
    if (cancelled)
        parts << tr("%1 cancelled").arg(cancelled);
    if (ready)
        parts << tr("%1 ready").arg(ready);
    m_statusCounts->setText(parts.join(QStringLiteral(" · ")) + QStringLiteral("  "));
    m_overallProgress->setValue(int(m_controller->overallFraction() * 1000));
    // Nothing asked to encode yet: an empty "0 % overall" bar would say nothing.
    bool anyEncoded = false;
    for (const QueueItem& item : m_model->items())
        anyEncoded |= !item.openedLadder && (item.state == JobState::Done || isActive(item.state));
    m_overallProgress->setVisible(anyEncoded);
}

void MainWindow::updateDetails(bool force) {
    const quint64 id = currentId();
    const QueueItem* item = m_model->find(id);
    if (!item) {
        m_detailsId = 0;
        m_details->clear();
        m_qualityChart->setQuality({});
        return;
    }
    // Progress ticks do not change this pane; rebuilding it would reset its scroll position.
    if (!force && id == m_detailsId && item->log.size() == m_detailsLogLines &&
        int(item->state) == m_detailsState)
        return;
    m_detailsId = id;
    m_detailsLogLines = int(item->log.size());
    m_detailsState = int(item->state);
    const int scroll = m_details->verticalScrollBar() ? m_details->verticalScrollBar()->value() : 0;
    m_details->setHtml(jobDetailsHtml(*item, m_model->ladderFor(*item)));
    // The figures of this run, or of a finished ladder opened from disk (its quality.json).
    QVector<quality::RenditionQuality> measured;
    if (item->result && item->result->status.isOk())
        measured = item->result->quality;
    else if (item->openedLadder)
        if (auto report =
                quality::loadQualityReport(item->outputDir + QStringLiteral("/quality.json"));
            report.isOk())
            measured = report.value();
    m_qualityChart->setQuality(measured);
    if (!force)
        m_details->verticalScrollBar()->setValue(scroll);
}

} // namespace hlsforge::gui
