#pragma once
// TranscodeJob: a Transcoder run on its own thread, for the GUI and the CLI.
// start() returns at once; progress() arrives about 5 times a second (queued to the
// job's thread affinity, usually the UI thread); finished() is emitted exactly once,
// with a Cancelled status when cancel() was called. cancel() never blocks.

#include "transcode/TranscodeTypes.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <thread>

namespace hlsforge {

class TranscodeJob : public QObject {
    Q_OBJECT
public:
    explicit TranscodeJob(TranscodeRequest request, QObject* parent = nullptr);
    ~TranscodeJob() override; // cancels and joins a running job

    const TranscodeRequest& request() const { return m_request; }
    bool isRunning() const { return m_running; }

public slots:
    void start();
    void cancel();

signals:
    void progress(const hlsforge::TranscodeProgress& progress);
    void finished(const hlsforge::TranscodeResult& result);

private:
    TranscodeRequest m_request;
    std::atomic<bool> m_cancel{false};
    bool m_running = false;
    std::thread m_thread;
};

} // namespace hlsforge
