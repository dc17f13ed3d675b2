#pragma once
// LadderSuggest: the pure logic of a ladder suggested per title (issue 15, part 2). Given trial
// encodes of sampled scenes (resolution x bitrate -> PSNR against the source at the source's
// size), it builds the convex hull of quality vs bitrate across resolutions and picks rungs on
// it; it also estimates what a fixed preset would give on the same content, from the same
// trials, so the saving is stated at equal quality. No FFmpeg here: SuggestJob measures the
// trials, this decides.
//
// The hull is the upper concave envelope of (kb/s, PSNR) over every resolution's trials
// (Netflix's per-title encoding, 2015); between trials of one resolution quality is
// interpolated in log rate, where x264's curves are close to straight lines.

#include "ladder/Ladder.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <vector>

namespace hlsforge::suggest {

// A stretch of the source to sample: chosen by complexity (pickSampleWindows).
struct SampleWindow {
    double startSeconds = 0;
    double durationSeconds = 0;
    double complexity = 0; // the source's video bytes per second around it
};

// Picks `count` windows of `windowSeconds` from the source's video bytes per second (one
// entry per whole second). See the .cpp for why quantiles of complexity.
std::vector<SampleWindow> pickSampleWindows(const std::vector<double>& bytesPerSecond,
                                            double durationSeconds, int count,
                                            double windowSeconds);

// One trial encode of the sampled frames.
struct TrialPoint {
    int width = 0;         // the picture's
    int height = 0;        // the ladder's height: the short side
    int pictureHeight = 0; // the picture's (portrait: the long side); 0: height
    // The rung rate asked of the encoder, with the VBV a rung of that rate gets (110 %, 2x
    // buffer): what a ladder's videoKbps would say. Rungs are chosen on this axis, since x264
    // undershoots a target it has no use for (a static slide at "1 Mb/s" spends 300 kb/s) and
    // the VBV that comes with a low target is what limits quality at scene cuts.
    int targetKbps = 0;
    // Measured, as the ladder would spend it: video bits per second of the samples with their
    // keyframes counted at the ladder's GOP (SuggestJob), in kb/s. The hull's rate axis.
    double kbps = 0;
    double psnr = 0; // dB, average PSNR against the source at the source's size (bicubic up)
    bool onHull = false;
};

struct SuggestOptions {
    int maxHeight = 0;      // 0: the source's height
    int rungs = 0;          // 0: as many as the steps give (2..6)
    double targetPsnr = 45; // dB: the top rung stops here (visually lossless)
    QString comparePreset = QStringLiteral("web");
    double lowQualityPsnr = 38; // dB: a preset top rung below this is flagged
    double minKbps = 100;       // no rung below (unless --rungs asks for more)
    Ladder base;                // the shared settings the suggested ladder keeps
};

struct SuggestedRung {
    int width = 0;            // the picture's
    int height = 0;           // the rung's (short side)
    int pictureHeight = 0;    // the picture's
    int videoKbps = 0;        // the rung's rate (the encoder's target)
    double expectedKbps = 0;  // what it is expected to spend (<= videoKbps on easy content)
    double predictedPsnr = 0; // dB at the source's size
};

struct PresetRungEstimate {
    QString name;
    int width = 0;
    int height = 0;
    int pictureHeight = 0;
    int videoKbps = 0;
    double expectedKbps = 0;
    double predictedPsnr = 0;
};

struct PresetComparison {
    QString preset;
    QVector<PresetRungEstimate> rungs;
    // Expected spend, summed over the rungs (the preset resolved against the source).
    double presetKbps = 0;
    double suggestedKbps = 0;
    double presetNominalKbps = 0; // the rungs' videoKbps, summed
    double suggestedNominalKbps = 0;
    // 1 - suggested / preset in percent: positive = the suggestion spends fewer bits. Only "at
    // equal quality" when equalQuality; otherwise the suggestion buys quality the preset lacks.
    double savingPercent = 0;
    bool equalQuality = false; // both top rungs reach min(target, preset top)
    double presetTopPsnr = 0;
    bool presetTopBelowThreshold = false;
};

struct Suggestion {
    QString source; // file name
    int sourceWidth = 0;
    int sourceHeight = 0;
    double sourceSeconds = 0;
    double frameRate = 0;
    std::vector<SampleWindow> windows;
    int sampledFrames = 0;
    QVector<TrialPoint> points; // every trial; onHull marks the hull
    QVector<SuggestedRung> rungs;
    Ladder ladder; // the suggestion as a ladder the transcode and the editor load
    PresetComparison comparison;
    double targetPsnr = 45;
    double lowQualityPsnr = 38;
    QStringList warnings;
    double analysisSeconds = 0; // wall time of the analysis

    QJsonObject toJson() const; // {"ladder", "rungs", "hull", "comparison", "warnings", ...}
    QString reportText() const; // the human report (the CLI's stderr)
    QString hullCsv() const;    // resolution,width,height,target_kbps,kbps,psnr,on_hull
    QString savingText() const; // the comparison with the preset, a few lines
};

// Marks the points on the upper concave hull (kb/s, PSNR); returns them in rate order.
QVector<TrialPoint> markHull(QVector<TrialPoint>* points);

// PSNR of `height` at rung rate `kbps` (targetKbps), interpolated in log rate on that resolution's
// own trials (nothing extrapolated: *covered false outside its measured range, value of the nearest
// end).
double qualityAt(const QVector<TrialPoint>& points, int height, double kbps, bool* covered);
// What a rung of `height` at rate `kbps` is expected to spend, from the same trials.
double spentKbpsAt(const QVector<TrialPoint>& points, int height, double kbps);
double spentKbpsAtAnyHeight(const QVector<TrialPoint>& points, int height, double kbps);
// The same for a height without trials of its own (a preset's 480p): between the curves of the
// nearest heights above and below, weighted by height.
double qualityAtAnyHeight(const QVector<TrialPoint>& points, int height, double kbps);

// Rungs on the hull of `points` (resolutions already capped at maxHeight by the caller).
// Fills rungs, ladder, comparison and warnings of `out` (points must be set).
Status suggestRungs(const SuggestOptions& options, Suggestion* out);

} // namespace hlsforge::suggest
