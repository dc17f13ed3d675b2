#include "MainWindow.h"

#include "JobDetails.h"
#include "LadderEditor.h"
#include "LadderModel.h"
#include "ProgressDelegate.h"
#include "QueueController.h"
#include "QueueModel.h"

#include "ladder/Presets.h"
#include "util/Version.h"

#include "PreviewWindow.h"
#include "PublishWindow.h"
#include "util/LibraryVersions.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>

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

} // namespace

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
    m_queueView->setIconSize(QSize(86, 48));
    m_queueView->verticalHeader()->hide();
    m_queueView->verticalHeader()->setDefaultSectionSize(56);
    m_queueView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_queueView->setItemDelegateForColumn(QueueModel::ProgressColumn,
                                          new ProgressDelegate(m_queueView));
    m_queueView->setToolTip(tr("Drop video files or folders here"));
    QHeaderView* header = m_queueView->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QueueModel::LadderColumn, QHeaderView::Stretch);
    const QList<QPair<int, int>> widths = {
        {QueueModel::ThumbnailColumn, 92}, {QueueModel::NameColumn, 130},
        {QueueModel::DurationColumn, 62},  {QueueModel::ResolutionColumn, 84},
        {QueueModel::OutputColumn, 100},   {QueueModel::StatusColumn, 150},
        {QueueModel::ProgressColumn, 120}, {QueueModel::SpeedColumn, 56},
        {QueueModel::EtaColumn, 56}};
    for (const auto& [column, width] : widths)
        header->resizeSection(column, width);
    setCentralWidget(m_queueView);

    createActions();
    createDocks();
    createMenusAndToolBars();

    m_statusCounts = new QLabel(this);
    m_overallProgress = new QProgressBar(this);
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
        menu.addActions({m_reveal, m_showLog, m_preview, m_publish});
        menu.addSeparator();
        menu.addActions({m_override, m_clearOverride});
        menu.exec(m_queueView->viewport()->mapToGlobal(pos));
    });
    connect(m_ladderEditor, &LadderEditor::ladderChanged, this, [this] {
        m_controller->setGlobalLadder(m_ladderEditor->ladder(), m_ladderEditor->ladderName());
        updateDetails(true);
    });
    m_controller->setGlobalLadder(m_ladderEditor->ladder(), m_ladderEditor->ladderName());

    setOutputRoot(defaultOutputRoot());
    resize(1280, 760);
    updateActions();
    updateStatusBar();
    statusBar()->showMessage(
        tr("Drop video files or folders onto the window, or use File > Add files… (Ctrl+O)"));
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
                     tr("Upload the finished ladder"), &MainWindow::openPublish);
    m_override = make("rung-duplicate", tr("Give the selection its own &ladder"), {},
                      tr("Freeze the editor's current ladder for the selected files only"),
                      &MainWindow::overrideLadderForSelected);
    m_clearOverride = make("retry", tr("Use the editor's ladder &again"), {},
                           tr("Drop the selected files' own ladder"),
                           &MainWindow::clearLadderOverrideForSelected);
    m_about = make("about", tr("&About HLS Forge"), QKeySequence(tr("F1")),
                   tr("Versions of HLS Forge, Qt and FFmpeg"), &MainWindow::showAbout);
    m_quit =
        make("quit", tr("&Quit"), QKeySequence::Quit, tr("Close HLS Forge"), &MainWindow::close);
    m_quit->setMenuRole(QAction::QuitRole);
}

void MainWindow::createDocks() {
    m_ladderEditor = new LadderEditor(this);
    auto* ladderDock = new QDockWidget(tr("Ladder"), this);
    ladderDock->setObjectName(QStringLiteral("ladderDock"));
    ladderDock->setWidget(m_ladderEditor);
    addDockWidget(Qt::RightDockWidgetArea, ladderDock);

    m_details = new QTextBrowser(this);
    m_details->setObjectName(QStringLiteral("details"));
    m_details->setOpenLinks(false);
    m_details->setPlaceholderText(
        tr("Select a file to see what the probe found, its ladder, warnings and log."));
    auto* detailsDock = new QDockWidget(tr("Details and log"), this);
    detailsDock->setObjectName(QStringLiteral("detailsDock"));
    detailsDock->setWidget(m_details);
    addDockWidget(Qt::BottomDockWidgetArea, detailsDock);

    m_loadLadder = new QAction(icon("open"), tr("&Load ladder…"), this);
    m_loadLadder->setShortcut(QKeySequence(tr("Ctrl+Shift+L")));
    connect(m_loadLadder, &QAction::triggered, m_ladderEditor, &LadderEditor::loadWithDialog);
    m_saveLadder = new QAction(icon("save"), tr("&Save ladder…"), this);
    m_saveLadder->setShortcut(QKeySequence(tr("Ctrl+Shift+S")));
    connect(m_saveLadder, &QAction::triggered, m_ladderEditor, &LadderEditor::saveWithDialog);
    addActions({m_loadLadder, m_saveLadder});
}

void MainWindow::createMenusAndToolBars() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addActions({m_addFiles, m_addFolder});
    file->addSeparator();
    file->addAction(m_chooseOutput);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu* queue = menuBar()->addMenu(tr("&Queue"));
    queue->addActions({m_start, m_cancel, m_retry, m_remove});
    queue->addSeparator();
    queue->addActions({m_startAll, m_cancelAll});
    queue->addSeparator();
    queue->addActions({m_reveal, m_showLog, m_preview, m_publish});
    queue->addSeparator();
    queue->addActions({m_override, m_clearOverride});

    QMenu* ladder = menuBar()->addMenu(tr("&Ladder"));
    ladder->addActions({m_loadLadder, m_saveLadder});
    QMenu* presets = ladder->addMenu(tr("&Presets"));
    for (const LadderPreset& preset : ladderPresets()) {
        QAction* action = presets->addAction(preset.name);
        action->setToolTip(preset.description);
        connect(action, &QAction::triggered, this,
                [this, name = preset.name] { m_ladderEditor->applyPreset(name); });
    }

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_about);

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
    QStringList paths;
    for (const QUrl& url : mime->urls()) {
        if (url.isLocalFile())
            paths << url.toLocalFile();
    }
    m_controller->addPaths(paths);
    return int(paths.size());
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
    if (addDroppedData(event->mimeData()) > 0)
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
    reportStart(m_controller->start(selectedIds()));
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

void MainWindow::revealSelectedOutput() {
    const QueueItem* item = m_model->find(currentId());
    QString folder = item ? item->outputDir : QString();
    if (folder.isEmpty() || !QFileInfo::exists(folder))
        folder = m_controller->outputRoot(); // not written yet: show where it will land
    QDir().mkpath(folder);
    QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
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
    const QueueItem* item = m_model->find(currentId());
    if (!item || item->state != JobState::Done)
        return;
    auto* window = new PreviewWindow(item->outputDir, this);
    window->setWindowFlag(Qt::Window); // its own top-level window, owned by ours
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
}

void MainWindow::openPublish() {
    const QueueItem* item = m_model->find(currentId());
    if (!item || item->state != JobState::Done)
        return;
    auto* window = new PublishWindow(item->outputDir, this);
    window->setWindowFlag(Qt::Window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
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

void MainWindow::onItemFinished(quint64 id) {
    if (const QueueItem* item = m_model->find(id))
        statusBar()->showMessage(finishedText(*item), 10000);
    updateActions();
}

void MainWindow::updateActions() {
    bool anyStartable = false, anyCancellable = false, anyRetryable = false, anyDone = false;
    const QList<quint64> ids = selectedIds();
    for (quint64 id : ids) {
        const QueueItem* item = m_model->find(id);
        if (!item)
            continue;
        anyStartable |= item->state == JobState::Ready || item->state == JobState::Done;
        anyCancellable |= item->state == JobState::Queued || item->state == JobState::Running;
        anyRetryable |= item->state == JobState::Failed || item->state == JobState::Cancelled ||
                        item->state == JobState::Invalid;
        anyDone |= item->state == JobState::Done;
    }
    m_start->setEnabled(anyStartable);
    m_cancel->setEnabled(anyCancellable);
    m_retry->setEnabled(anyRetryable);
    m_remove->setEnabled(!ids.isEmpty());
    m_reveal->setEnabled(ids.size() == 1);
    m_showLog->setEnabled(ids.size() == 1);
    m_preview->setEnabled(ids.size() == 1 && anyDone);
    m_publish->setEnabled(ids.size() == 1 && anyDone);
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
    int probing = 0, ready = 0, queued = 0, running = 0, done = 0, failed = 0;
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
            ++ready;
            break;
        }
    }
    QStringList parts;
    parts << tr("%n file(s)", nullptr, int(m_model->items().size()));
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
    m_statusCounts->setText(parts.join(QStringLiteral(" · ")) + QStringLiteral("  "));
    m_overallProgress->setValue(int(m_controller->overallFraction() * 1000));
}

void MainWindow::updateDetails(bool force) {
    const quint64 id = currentId();
    const QueueItem* item = m_model->find(id);
    if (!item) {
        m_detailsId = 0;
        m_details->clear();
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
    if (!force)
        m_details->verticalScrollBar()->setValue(scroll);
}

} // namespace hlsforge::gui
