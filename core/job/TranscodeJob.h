#pragma once
// TranscodeJob: a Transcoder run as a Job (see Job.h for start / cancel / progress /
// finished). progress() is the shared snapshot (frames and frames/s, fraction, ETA);
// transcodeProgress() adds what only a transcode has (speed, media seconds, stage).
// result() is the full TranscodeResult once finished() has been emitted. When the ladder asks
// for the web player page, the job adds it as a finishing step (web/PlayerPageStep.h).

#include "job/Job.h"
#include "transcode/TranscodeTypes.h"

namespace hlsforge {

class TranscodeJob final : public Job {
    Q_OBJECT
public:
    explicit TranscodeJob(TranscodeRequest request, QObject* parent = nullptr);
    ~TranscodeJob() override; // cancels and joins a running job

    const TranscodeRequest& request() const { return m_request; }
    TranscodeProgress transcodeProgress() const; // thread-safe snapshot
    TranscodeResult result() const;              // valid once finished

    QString title() const override;
    QJsonObject resultJson() const override;
    QJsonObject progressDetailJson() const override;

    // The shared snapshot of a transcode's own progress report.
    static JobProgress toJobProgress(const TranscodeProgress& progress);

protected:
    Status run(const CancelToken& cancel, ProgressSink& progress) override;

private:
    TranscodeRequest m_request;
    mutable std::mutex m_detailMutex; // guards m_detail and m_result (written by run())
    TranscodeProgress m_detail;
    TranscodeResult m_result;
};

} // namespace hlsforge
