#pragma once
// QueueController: what happens to queue items. Expands dropped folders on a background
// thread pool, probes files and extracts thumbnails with ProbeJobs (two at a time, so 200
// dropped files never freeze the window), plans output folders, and runs up to
// `concurrency` TranscodeJobs at once. Every job is driven through the Job contract.
// Widgets call it; it changes QueueModel; nothing here touches a widget.

#include "QueueModel.h"

#include "util/Status.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

namespace hlsforge {
class Job;
}

namespace hlsforge::gui {

class QueueController : public QObject {
    Q_OBJECT
public:
    explicit QueueController(QueueModel* model, QObject* parent = nullptr);
    ~QueueController() override; // cancels running jobs and waits for them

    QueueModel* model() const { return m_model; }

    // Files become rows whatever they are (a bad file gets a row with its error); folders
    // are searched recursively for video files. Returns at once; rows appear as scanned.
    // A folder holding master.m3u8 is a finished ladder and opens as one (openLadder).
    void addPaths(const QStringList& paths);
    // Extensions taken from folder scans without a second look (lower case, no dot). Other
    // files in a scanned folder are probed, and kept when FFmpeg finds a video stream.
    static QStringList videoExtensions();

    // Adds a finished ladder (a folder with master.m3u8) as a Done row, so Preview and
    // Publish work on it after a restart. Refused with a message naming the folder.
    Status openLadder(const QString& folder);
    static bool isLadderFolder(const QString& folder);

    void setOutputRoot(const QString& folder);
    const QString& outputRoot() const { return m_outputRoot; }
    void setConcurrency(int jobs);
    int concurrency() const { return m_concurrency; }
    // The ladder for items without their own; `name` is shown in the Ladder column.
    void setGlobalLadder(const Ladder& ladder, const QString& name);
    void setLadderOverride(quint64 id, const std::optional<Ladder>& ladder);
    // The subtitle files added to an item (replacing the earlier list); logged on the row.
    void setSubtitleFiles(quint64 id, const QVector<subtitles::SubtitleInput>& files);
    // Queue each file as soon as its probe succeeds (the `--start` command-line option).
    void setAutoStart(bool autoStart) { m_autoStart = autoStart; }

    // Start (or retry) items; refused with a message when their ladder is invalid or
    // there is no output folder. Invalid items are probed again (the file may be fixed).
    Status start(const QList<quint64>& ids);
    Status startAll();
    void cancel(const QList<quint64>& ids);
    void cancelAll();
    void remove(const QList<quint64>& ids);

    int runningCount() const;
    int activeCount() const; // queued + running + cancelling
    int pendingBackgroundTasks() const { return m_pendingTasks; }
    // 0..1 over the files asked to encode: done ones whole, running ones by their fraction.
    double overallFraction() const;

    struct SkippedFile {
        QString path;
        QString reason; // plain words: "a picture", "not a video file (…)"
    };

signals:
    void itemFinished(quint64 id, JobState state);
    // A folder scan left these files out; the window says which and why.
    void filesSkipped(const QStringList& folders,
                      const QList<hlsforge::gui::QueueController::SkippedFile>& skipped);
    // Every started job has finished (the queue went idle): done, failed and cancelled counts.
    void batchFinished(int done, int failed, int cancelled);
    void activityChanged();            // counts or overall progress changed: refresh the status bar
    void message(const QString& text); // for the status bar

private:
    void addFile(const QString& path);
    void probe(quint64 id, const QString& path);
    void startProbes();
    void onProbed(quint64 id, const StatusOr<MediaInfo>& info);
    void onThumbnail(quint64 id, const QImage& image);
    void onProgress(quint64 id, const TranscodeProgress& progress);
    void onFinished(quint64 id, const TranscodeResult& result);
    void startCheck(quint64 id, const QString& ladderDir); // the automatic check after a transcode
    void schedule();
    void startJob(quint64 id);
    void replanOutputs();
    // A cancelled re-run of a finished file: back to Done with the earlier ladder.
    bool restoreEarlierResult(QueueItem& item);
    QSet<QString> reservedOutputs(quint64 exceptId) const;
    void runInBackground(std::function<void()> task, int priority);

    QueueModel* m_model;
    QThreadPool m_pool; // folder scans; jobs run on their own threads
    int m_pendingTasks = 0;
    QString m_outputRoot;
    int m_concurrency = 1;
    bool m_autoStart = false;
    QHash<quint64, QPointer<Job>> m_jobs;        // running transcodes by queue item
    QHash<quint64, QPointer<Job>> m_probes;      // running ProbeJobs by queue item
    QSet<quint64> m_probesShown;                 // running probes whose facts are in the row
    QList<QPair<quint64, QString>> m_probeQueue; // files waiting for a probe slot
    QSet<quint64> m_batch;                       // items started since the queue was last idle
    QHash<quint64, JobState> m_batchOutcomes;    // how each of them ended
};

} // namespace hlsforge::gui
