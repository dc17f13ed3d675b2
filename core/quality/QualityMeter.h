#pragma once
// QualityMeter: PSNR and SSIM of distorted pictures against their references, computed by
// libavfilter's own `psnr` and `ssim` filters in one two-input graph (distorted first, as
// FFmpeg's `main` input, the reference second), so every figure is FFmpeg's by construction.
// Feed it pairs of frames (frame references, no pixel copies); it keeps one small record per
// frame, and sums any run of them the way the filters print their totals at the end.
//
// Independent of the transcode: the ladder's per-rung measurement (transcode/RenditionEncoder)
// and trial encodes alike feed it whatever pairs they have.

#include "util/FfmpegPtr.h"
#include "util/Status.h"

#include <QJsonObject>
#include <QString>
#include <QVector>

#include <memory>
#include <vector>

namespace hlsforge::av {
class FilterGraph;
}

namespace hlsforge::quality {

// One frame's figures, as the filters set them in the frame's metadata
// (lavfi.psnr.mse.y/u/v, lavfi.psnr.mse_avg, lavfi.ssim.Y/U/V/All).
struct FrameQuality {
    double seconds = 0;   // the frame's time, in seconds of the caller's time base
    float mseAverage = 0; // the planes' MSE weighted by their sizes (psnr's mse_avg)
    float mse[3] = {};    // Y, U, V
    float ssim[3] = {};   // Y, U, V
    float ssimAll = 0;    // the planes' SSIM weighted by their sizes
    uint16_t peak = 255;  // the largest sample value: 255 for 8-bit
};

// Figures over a run of frames, summed as FFmpeg's filters do for the line they print at the
// end ("PSNR y:… u:… v:… average:…", "SSIM Y:… U:… V:… All:…"): PSNR from the MSE averaged over
// the frames (not the average of per-frame PSNRs), SSIM as the mean of per-frame SSIMs.
struct QualitySummary {
    int frames = 0;
    double psnrAverage = 0; // dB; +infinity when every frame was identical
    double psnrY = 0;
    double psnrU = 0;
    double psnrV = 0;
    double ssimAll = 0;
    double ssimY = 0;
    double ssimU = 0;
    double ssimV = 0;

    // {"average", "y", "u", "v"} for PSNR, {"all", "y", "u", "v"} for SSIM. JSON has no
    // infinity: an infinite PSNR (identical pictures) is written as null.
    QJsonObject psnrJson() const;
    QJsonObject ssimJson() const;
};

QualitySummary summarize(const FrameQuality* first, const FrameQuality* last);
inline QualitySummary summarize(const std::vector<FrameQuality>& frames) {
    return summarize(frames.data(), frames.data() + frames.size());
}

// Splits frames (in time order) into runs that start at the given times (ascending, the first
// usually 0): frame f belongs to the last start s with f.seconds >= s - toleranceSeconds.
// Frames before the first start count in the first run. One summary per start (frames = 0
// for a run without frames).
std::vector<QualitySummary> summarizeRuns(const std::vector<FrameQuality>& frames,
                                          const std::vector<double>& startSeconds,
                                          double toleranceSeconds);

class QualityMeter {
public:
    // threads: libavfilter's slice threads for psnr/ssim (0: as many as cores). Callers that
    // already run several meters in parallel (one per rung) keep it small. withSsim false:
    // PSNR only (SSIM figures stay 0), for callers that need many measurements fast (the
    // ladder suggestion's trial encodes: ssim costs several times what psnr does).
    explicit QualityMeter(int threads = 1, bool withSsim = true);
    ~QualityMeter();
    QualityMeter(const QualityMeter&) = delete;
    QualityMeter& operator=(const QualityMeter&) = delete;

    // One pair: `distorted` is the picture as encoded and decoded, `reference` the picture
    // the encoder was given. Same size and pixel format (any the filters take; the ladder's is
    // yuv420p) and the same pts, in `timeBase` (fixed by the first call). The frames are
    // referenced, not copied, and not changed.
    Status add(const AVFrame* reference, const AVFrame* distorted, AVRational timeBase);
    // Ends the input: every pair added so far has its figures afterwards. Nothing may be added
    // after it.
    Status finish();

    // In time order; complete after finish() (the filters may hold a frame back until then).
    const std::vector<FrameQuality>& frames() const { return m_frames; }
    QualitySummary summary() const { return summarize(m_frames); }

private:
    Status pullResults();

    int m_threads;
    bool m_withSsim = true;
    std::unique_ptr<av::FilterGraph> m_graph;
    av::FramePtr m_result = av::makeFrame();
    AVRational m_timeBase{0, 1};
    uint16_t m_peak = 255;
    int64_t m_lastPts = AV_NOPTS_VALUE;
    bool m_finished = false;
    std::vector<FrameQuality> m_frames;
};

// One rung's figures in a ladder: overall and per segment of its media playlist.
struct SegmentQuality {
    double startSeconds = 0;
    double durationSeconds = 0;
    QualitySummary quality;
};

struct RenditionQuality {
    QString name;
    int width = 0;
    int height = 0;
    QualitySummary overall;
    QVector<SegmentQuality> segments;

    // {"name", "width", "height", "frames", "psnr": {...}, "ssim": {...},
    //  "segments": [{"start", "duration", "frames", "psnr", "ssim"}, ...]} where a segment's
    // "psnr" is its PSNR average (dB) and "ssim" its SSIM All.
    QJsonObject toJson() const;
    static StatusOr<RenditionQuality> fromJson(const QJsonObject& json);
};

// quality.json: {"renditions": [RenditionQuality, ...]}
QJsonObject qualityReportJson(const QVector<RenditionQuality>& renditions);
StatusOr<QVector<RenditionQuality>> loadQualityReport(const QString& path);

} // namespace hlsforge::quality
