#pragma once
// SuggestJob: a ladder suggested for one source (issue 15, part 2) as a Job (core/job/Job.h).
//
// The analysis opens the source once (core/av), reads its video packets without decoding to
// see how hard each second is, decodes only a few short windows chosen from that (calm and
// busy ones: LadderSuggest's pickSampleWindows), and trial-encodes those frames at a grid of
// resolutions x bitrates with the ladder's own H.264 encoder set-up (transcode/VideoEncoder).
// Each trial is decoded, scaled back up to the source's size with bicubic and measured against
// the source frames with quality::QualityMeter (PSNR). LadderSuggest turns the trials into
// the hull and the rungs. Memory: only the sampled frames (at most kSampleBytesMax) and one
// resolution's scaled copies are held, however long the source.

#include "job/Job.h"
#include "suggest/LadderSuggest.h"

#include <mutex>

namespace hlsforge::suggest {

class SuggestJob final : public Job {
    Q_OBJECT
public:
    SuggestJob(QString path, SuggestOptions options, QObject* parent = nullptr);
    ~SuggestJob() override;

    const QString& path() const { return m_path; }
    // Valid once finished() with Ok.
    Suggestion suggestion() const;
    QString title() const override;
    QJsonObject resultJson() const override; // status + the suggestion's JSON

    // Sampled frames are capped at this many bytes (a 1080p 4:2:0 frame is 3.1 MB).
    static constexpr qint64 kSampleBytesMax = qint64(400) << 20;

protected:
    Status run(const CancelToken& cancel, ProgressSink& progress) override;

private:
    const QString m_path;
    const SuggestOptions m_options;
    mutable std::mutex m_resultMutex;
    Suggestion m_suggestion;
};

} // namespace hlsforge::suggest
