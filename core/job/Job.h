#pragma once
// Job: the one contract for long work (transcode, publish, probe, and whatever comes next),
// after KDE's KJob and HandBrake's state snapshot.
//
//   SomeJob job(...);
//   connect(&job, &Job::finished, ...);  // exactly once per start(), on the job's thread
//   job.start();                         // returns at once; run() goes on a worker thread
//   job.progress();                      // a copied snapshot, from any thread, at any time
//   job.cancel();                        // non-blocking, idempotent, from any thread
//
// finished(Status) carries Ok, Cancelled (its own outcome, never a failure) or the error.
// A job cancelled before start() still finishes, as Cancelled, when started, without
// running; a job never started never finishes. progressChanged() is a hint (coalesced,
// queued to the job's thread): readers who poll on a timer need not listen to it.
// Subclasses implement run() and keep their typed result readable after finished(); their
// destructor must call waitForWorker() first, so run() never outlives the members it uses.

#include "util/Status.h"

#include <QJsonObject>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <mutex>
#include <thread>

namespace hlsforge {

enum class JobPhase { Queued, Probing, Encoding, Finishing, Uploading, Verifying, Done };
QString jobPhaseName(JobPhase phase); // "queued", "probing", ... (stable: JSON and logs)

enum class JobOutcome { Succeeded, Failed, Cancelled };
JobOutcome outcomeOf(const Status& status);
QString jobOutcomeName(JobOutcome outcome); // "succeeded", "failed", "cancelled"

enum class RateUnit { None, FramesPerSecond, BytesPerSecond };

// One copy of where a job is, as the UI and the CLI show it.
struct JobProgress {
    JobPhase phase = JobPhase::Queued;
    double fraction = 0; // 0..1 of the whole job
    double rate = 0;     // in rateUnit; 0 while unknown
    RateUnit rateUnit = RateUnit::None;
    double etaSeconds = -1; // -1 while unknown
    double elapsedSeconds = 0;
    qint64 framesDone = 0;
    qint64 framesTotal = 0; // 0 when not known
    qint64 bytesDone = 0;
    qint64 bytesTotal = 0;
    QString text; // a short human detail, e.g. "1.8x real time" or "12/40 files"

    QJsonObject toJson() const; // the shared fields of a `progress` JSON line
};

// The cancel flag run() checks (per packet, frame or request). Set only by Job::cancel().
class CancelToken {
public:
    bool isCancelled() const { return m_cancelled.load(std::memory_order_acquire); }
    // For engines that take a raw flag (Transcoder::run).
    const std::atomic<bool>* flag() const { return &m_cancelled; }

private:
    friend class Job;
    std::atomic<bool> m_cancelled{false};
};

class Job;

// Where run() reports progress; thread-safe, cheap enough to call per frame.
class ProgressSink {
public:
    void report(const JobProgress& progress);

private:
    friend class Job;
    explicit ProgressSink(Job& job) : m_job(job) {}
    Job& m_job;
};

class Job : public QObject {
    Q_OBJECT
public:
    explicit Job(QObject* parent = nullptr);
    ~Job() override; // cancels and joins a running worker (see waitForWorker)

    // A snapshot, safe from any thread. The default is the last report of run(); a job
    // whose engines keep their own atomic counters may build it from those instead.
    virtual JobProgress progress() const;

    // A name for progress lines and logs, e.g. the input file's name.
    virtual QString title() const { return objectName(); }
    // What the CLI prints as the `result` JSON line (without "event"); default: the status.
    virtual QJsonObject resultJson() const;
    // Job-specific fields added to each `progress` JSON line (e.g. fps, filesSkipped).
    virtual QJsonObject progressDetailJson() const { return {}; }

    bool isStarted() const { return m_started.load(); }
    bool isRunning() const { return isStarted() && !isFinished(); }
    bool isFinished() const { return m_finished.load(); } // finished() was emitted
    bool isCancelRequested() const { return m_cancel.isCancelled(); }
    // Valid once finished() has been emitted.
    Status status() const;
    JobOutcome outcome() const { return outcomeOf(status()); }

public slots:
    void start();  // once; later calls do nothing
    void cancel(); // non-blocking; the job then finishes with a Cancelled status

signals:
    void progressChanged();
    void finished(const hlsforge::Status& status);

protected:
    // The work, on the job's worker thread. Returns Ok, Cancelled (when it stopped for
    // `cancel`) or the error. Must check `cancel` often: it is the only way to stop it.
    virtual Status run(const CancelToken& cancel, ProgressSink& progress) = 0;
    // Cancels and blocks until run() has returned. Subclass destructors call it first.
    void waitForWorker();
    // For members that hand the flag to engines at construction (PublishState).
    const CancelToken& cancelToken() const { return m_cancel; }

private:
    friend class ProgressSink;
    void storeProgress(const JobProgress& progress);
    // Queued from the worker by name: Qt allocates the call event itself, so no functor
    // of ours crosses threads (TSan cannot see Qt's own locking around its event queue).
    Q_INVOKABLE void notifyProgress();  // on the owner thread
    Q_INVOKABLE void deliverFinished(); // on the owner thread

    CancelToken m_cancel;
    std::atomic<bool> m_started{false};
    std::atomic<bool> m_finished{false};
    std::atomic<bool> m_notifyPending{false};
    bool m_finishedEmitted = false; // owner thread only; asserts "exactly once"
    mutable std::mutex m_mutex;     // guards m_progress and m_status
    JobProgress m_progress;
    Status m_status;
    std::thread m_worker;
};

} // namespace hlsforge

Q_DECLARE_METATYPE(hlsforge::Status)
Q_DECLARE_METATYPE(hlsforge::JobProgress)
