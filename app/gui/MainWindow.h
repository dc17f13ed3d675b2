#pragma once
// MainWindow: the queue, the ladder editor and the details pane, wired to QueueController.
// Widgets only: decisions about files and jobs live in the controller and the core.

#include "util/Status.h"

#include <QMainWindow>

#include <functional>

class QAction;
class QLabel;
class QMimeData;
class QProgressBar;
class QSpinBox;
class QStackedWidget;
class QSystemTrayIcon;
class DesktopNotifier;
class QTableView;
class QTextBrowser;
class QToolButton;

namespace hlsforge::gui {

class CheckWindow;
class SubtitlesDialog;
class SuggestWindow;

class LadderEditor;
class NotificationBar;
class QueueController;
class QueueModel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    QueueModel* queueModel() const { return m_model; }
    QueueController* controller() const { return m_controller; }
    LadderEditor* ladderEditor() const { return m_ladderEditor; }
    QTableView* queueView() const { return m_queueView; }
    NotificationBar* notificationBar() const { return m_notification; }         // batches
    NotificationBar* scanNotificationBar() const { return m_scanNotification; } // skipped files
    // The empty queue's drop area, shown instead of the table while the queue is empty.
    QWidget* dropArea() const { return m_dropArea; }
    // The first window's size: 1280×760 or less, always inside the screen's available area.
    static QSize defaultSize(const QRect& availableGeometry);

    // Accepts what a drop or the command line hands over; returns the number of local paths.
    int addDroppedData(const QMimeData* mime);
    void setOutputRoot(const QString& folder);
    void setConcurrency(int jobs); // through the toolbar's spin box, so both agree
    // Start every file as soon as it is probed (for `--start` and scripted screenshots).
    void setAutoStart(bool autoStart);
    // Closing with running jobs asks first; tests and scripted runs turn the question off.
    void setConfirmClose(bool confirm) { m_confirmClose = confirm; }
    // Start on a finished file asks before encoding it again; tests answer through this.
    // Returns true to go ahead. Null: a message box asks.
    void setRerunConfirmation(std::function<bool(const QStringList& names)> ask) {
        m_confirmRerun = std::move(ask);
    }
    // How a subtitle file's language is asked when its name carries none ("talk.srt"): returns
    // the code ("fr") or empty to leave the file out. Null: an input dialog asks. For tests.
    void setSubtitleLanguageQuestion(std::function<QString(const QString& fileName)> ask) {
        m_askSubtitleLanguage = std::move(ask);
    }
    // Adds a finished ladder folder (holding master.m3u8) as a Done row and selects it;
    // a folder that is not a ladder gets a message box naming it.
    void openLadderFolder(const QString& folder);

    void restoreSettings();
    void saveSettings() const;

public slots:
    void addFilesWithDialog();
    void addFolderWithDialog();
    void openLadderWithDialog();
    void chooseOutputRoot();
    void startSelected();
    void cancelSelected();
    void retrySelected();
    void removeSelected();
    void startAll();
    void cancelAll();
    void revealSelectedOutput();
    void showSelectedLog();
    void openPreview();
    void openPublish();
    void openCheck();    // the selected finished ladder
    void openCheckAny(); // a window to type a folder or URL into
    // Opens a check window (checking `ladder` at once unless it is empty); for tests too.
    CheckWindow* showCheckWindow(const QString& ladder);
    // "Suggest ladder…": for the current queue item's source (or one the user picks); its
    // "Use this ladder" loads the suggestion into the ladder editor.
    SuggestWindow* showSuggestWindow(const QString& source);
    void overrideLadderForSelected();
    // "Subtitles…": the subtitle tracks the current file's ladder will have; files added there
    // reach its job. Returns the (non-modal) dialog, or null when no video row is current.
    SubtitlesDialog* editSubtitlesForSelected();
    void clearLadderOverrideForSelected();
    void showAbout();
    void showHelp();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void createActions();
    void createMenusAndToolBars();
    void createDocks();
    QList<quint64> selectedIds() const;
    quint64 currentId() const;
    void updateActions();
    void updateStatusBar();
    void updateDetails(bool force);
    void reportStart(const Status& status);
    void onItemFinished(quint64 id);
    void onBatchFinished(int done, int failed, int cancelled);
    void updateEmptyState();
    void fitColumns();
    // Widest Output text among rows first..last; true (and remembered) when it grew.
    bool noteOutputWidths(int first, int last);
    QString selectedFinishedOutput() const;
    // Subtitle files (.srt/.vtt) of a drop: added to the video row under `viewportPos`, or
    // refused with the reason on the notification bar. Never queued as videos.
    void dropSubtitleFiles(const QStringList& paths, const QPoint& viewportPos);
    QString askSubtitleLanguage(const QString& fileName);

    QueueModel* m_model;
    QueueController* m_controller;
    QTableView* m_queueView;
    LadderEditor* m_ladderEditor;
    QTextBrowser* m_details;
    class QualityChart* m_qualityChart; // under the details, when the ladder was measured
    QLabel* m_statusCounts;
    QProgressBar* m_overallProgress;
    QToolButton* m_outputButton;
    QSpinBox* m_concurrency;
    QStackedWidget* m_queueStack = nullptr;
    QWidget* m_dropArea = nullptr;
    NotificationBar* m_notification = nullptr;
    NotificationBar* m_scanNotification = nullptr;
    QSystemTrayIcon* m_tray = nullptr;
    DesktopNotifier* m_desktopNotifier = nullptr;
    QString m_lastBatchFolder;
    int m_outputTextWidth = 0;       // widest output folder name shown, in pixels
    bool m_userSizedColumns = false; // once the user drags a border, the widths are theirs
    bool m_fittingColumns = false;
    std::function<bool(const QStringList&)> m_confirmRerun;
    std::function<QString(const QString&)> m_askSubtitleLanguage;
    QPoint m_dropViewportPos{-1, -1}; // where the drop being handled landed on the queue
    bool m_confirmClose = true;
    bool m_autoStart = false;
    quint64 m_detailsId = 0;
    int m_detailsLogLines = -1;
    int m_detailsState = -1;

    QAction* m_addFiles = nullptr;
    QAction* m_addFolder = nullptr;
    QAction* m_chooseOutput = nullptr;
    QAction* m_start = nullptr;
    QAction* m_cancel = nullptr;
    QAction* m_retry = nullptr;
    QAction* m_remove = nullptr;
    QAction* m_startAll = nullptr;
    QAction* m_cancelAll = nullptr;
    QAction* m_reveal = nullptr;
    QAction* m_showLog = nullptr;
    QAction* m_preview = nullptr;
    QAction* m_publish = nullptr;
    QAction* m_check = nullptr;    // the selected finished ladder
    QAction* m_checkAny = nullptr; // any folder or URL
    QAction* m_subtitles = nullptr;
    QAction* m_override = nullptr;
    QAction* m_clearOverride = nullptr;
    QAction* m_loadLadder = nullptr;
    QAction* m_saveLadder = nullptr;
    QAction* m_suggestLadder = nullptr;
    QAction* m_exportCluster = nullptr;
    QAction* m_about = nullptr;
    QAction* m_help = nullptr;
    QAction* m_openLadder = nullptr;
    QAction* m_quit = nullptr;
};

} // namespace hlsforge::gui
