#pragma once
// PublishJob: puts a finished ladder folder into a folder or an S3-compatible bucket, as a
// Job (core/job/Job.h: start / non-blocking cancel / progress snapshot / one finished()).
//
//   PublishJob job(options);
//   connect(&job, &Job::finished, ...);   // exactly once; job.result() has the URLs
//   job.start();                          // returns at once; work runs on its own threads
//   job.publishProgress();                // thread-safe snapshot with the file counts
//   job.cancel();                         // non-blocking; the result is then Cancelled
//
// Files go in phases: segments and init segments, then media playlists, then index.html and
// poster.jpg, then the master playlist, each phase finished before the next begins. Files
// already at the destination with the same size and MD5 are skipped, which makes a re-run
// after a cancel, a crash or a failure upload only what is missing.

#include "job/Job.h"
#include "publish/ContentPolicy.h"
#include "publish/PublishPlan.h"
#include "publish/S3Client.h"
#include "publish/SigV4Signer.h"
#include "util/Status.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>

namespace hlsforge::publish {

struct PublishOptions {
    enum class Destination { Folder, S3 };

    QString sourceDir;
    Destination destination = Destination::Folder;
    QString folderPath;         // Destination::Folder
    S3Target s3;                // Destination::S3
    AwsCredentials credentials; // Destination::S3, resolved by the caller
    ContentPolicy contentPolicy;
    bool publicRead = false;  // x-amz-acl: public-read
    int parallelRequests = 8; // files and parts in flight at once
    qint64 multipartThresholdBytes = 8 * 1024 * 1024;
    qint64 partSizeBytes = 8 * 1024 * 1024; // raised when a file would need > 10,000 parts
    RetryPolicy retry;
    QString publicBaseUrl; // e.g. "https://cdn.example.com/videos"; empty: derived
};

struct PublishProgress {
    qint64 bytesDone = 0; // uploaded or found already in place
    qint64 bytesTotal = 0;
    qint64 bytesTransferred = 0; // actually sent this run
    int filesDone = 0;           // uploaded or skipped
    int filesSkipped = 0;
    int filesTotal = 0;
    int retries = 0;
    double bytesPerSecond = 0; // transfer rate of this run
    double etaSeconds = -1;    // -1: unknown yet
    int phase = 0;             // 0 segments, 1 media playlists, 2 master
    bool finished = false;     // the job has emitted finished()
};

struct PublishResult {
    Status status;
    QString playbackUrl; // the master playlist (or the only playlist)
    QString pageUrl;     // index.html, if the ladder has one
    int filesUploaded = 0;
    int filesSkipped = 0;
    qint64 bytesTransferred = 0;
    double seconds = 0;
};

// Shared state between the job and its engines (internal, but plain data).
struct PublishState {
    explicit PublishState(const std::atomic_bool& cancelFlag) : cancel(cancelFlag) {}
    const std::atomic_bool& cancel; // the job's CancelToken: engines only read it
    std::atomic<qint64> bytesDone{0};
    std::atomic<qint64> bytesTotal{0};
    std::atomic<qint64> bytesTransferred{0};
    std::atomic<int> filesDone{0};
    std::atomic<int> filesSkipped{0};
    std::atomic<int> filesTotal{0};
    std::atomic<int> retries{0};
    std::atomic<int> phase{0};
    // When run() began, in steady-clock nanoseconds (0: not yet). Written on the worker and
    // read by progress() on the caller's thread, so an atomic rather than a QElapsedTimer.
    std::atomic<qint64> startedAtNs{0};
    double secondsSinceStart() const;
};

class PublishJob final : public Job {
    Q_OBJECT
public:
    explicit PublishJob(PublishOptions options, QObject* parent = nullptr);
    ~PublishJob() override; // cancels and waits for the worker

    // Built from the engines' atomic counters, so it is fresh however often it is read.
    JobProgress progress() const override;
    PublishProgress publishProgress() const; // the same moment with file counts and retries
    PublishResult result() const;            // valid once finished

    QString title() const override;
    QJsonObject resultJson() const override;
    QJsonObject progressDetailJson() const override;

protected:
    Status run(const CancelToken& cancel, ProgressSink& progress) override;

private:
    PublishResult publish(); // the whole publish, on the worker thread

    PublishOptions m_options;
    PublishState m_state;
    mutable std::mutex m_resultMutex; // m_result is written on the worker, read by result()
    PublishResult m_result;
};

// The engines (PublishFolder.cpp, PublishS3.cpp), called by run() on its thread.
Status publishToFolder(const PublishPlan& plan, const PublishOptions& options, PublishState& state,
                       PublishResult& result);
Status publishToS3(const PublishPlan& plan, const PublishOptions& options, PublishState& state,
                   PublishResult& result);

// URL of `relativePath` at the destination (public base URL first, else the S3 or file URL).
QString publicUrlFor(const PublishOptions& options, const QString& relativePath);

} // namespace hlsforge::publish

Q_DECLARE_METATYPE(hlsforge::publish::PublishResult)
