#include "suggest/LadderSuggest.h"

#include "ladder/Presets.h"

#include <QJsonArray>
#include <QMap>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <map>

namespace hlsforge::suggest {

namespace {

// Below this gain per doubling of the rate the hull has flattened out: on content that never
// reaches the target (noise), the top rung stops where more bits stop buying visible quality.
constexpr double kKneeDbPerDoubling = 0.5;
// The trials see a few seconds; the transcode's rate control sees the whole file. A little
// headroom on the top rung keeps the measured PSNR at or above the target, not just below it.
constexpr double kTopRungHeadroom = 1.1;
constexpr double kDefaultStepRatio = 1.75;
constexpr int kMaxRungs = 6;

double log2Kbps(double kbps) {
    return std::log2(std::max(kbps, 1.0));
}

QVector<TrialPoint> pointsOfHeight(const QVector<TrialPoint>& points, int height) {
    QVector<TrialPoint> out;
    for (const TrialPoint& p : points)
        if (p.height == height)
            out.append(p);
    std::sort(out.begin(), out.end(),
              [](const TrialPoint& a, const TrialPoint& b) { return a.targetKbps < b.targetKbps; });
    return out;
}

QVector<int> heightsOf(const QVector<TrialPoint>& points) {
    QVector<int> heights;
    for (const TrialPoint& p : points)
        if (!heights.contains(p.height))
            heights.append(p.height);
    std::sort(heights.begin(), heights.end(), std::greater<int>());
    return heights;
}

// Interpolates a curve sorted by rung rate in log rate; clamps outside it.
double interpolate(const QVector<TrialPoint>& curve, double kbps, bool* covered) {
    *covered = false;
    if (curve.isEmpty())
        return 0;
    if (kbps < curve.first().targetKbps * 0.999)
        return curve.first().psnr;
    if (kbps > curve.last().targetKbps * 1.001)
        return curve.last().psnr;
    *covered = true;
    for (int i = 1; i < curve.size(); ++i) {
        if (kbps <= curve[i].targetKbps) {
            const double x0 = log2Kbps(curve[i - 1].targetKbps), x1 = log2Kbps(curve[i].targetKbps);
            if (x1 - x0 < 1e-9)
                return std::max(curve[i - 1].psnr, curve[i].psnr);
            const double t = (log2Kbps(kbps) - x0) / (x1 - x0);
            return curve[i - 1].psnr + t * (curve[i].psnr - curve[i - 1].psnr);
        }
    }
    return curve.last().psnr;
}

int roundKbps(double kbps) {
    const int step = kbps < 1000 ? 10 : 50;
    return std::max(step, int(std::lround(kbps / step)) * step);
}

// The resolution that gives the best quality at `kbps` among heights <= maxHeight: the hull's
// choice there. A resolution whose trials do not reach down (or up) to `kbps` is only a
// fallback, so a switch point is decided by measured points, not by a clamped end.
int bestHeightAt(const QVector<TrialPoint>& points, const QVector<int>& heights, double kbps,
                 int maxHeight, double* psnr) {
    int best = 0, fallback = 0;
    double bestPsnr = -1, fallbackPsnr = -1;
    for (int h : heights) {
        if (h > maxHeight)
            continue;
        bool covered = false;
        const double q = qualityAt(points, h, kbps, &covered);
        if (covered && q > bestPsnr) {
            best = h;
            bestPsnr = q;
        }
        if (!covered && q > fallbackPsnr && kbps >= pointsOfHeight(points, h).first().targetKbps) {
            fallback = h; // above its highest trial: its best measured quality holds at least
            fallbackPsnr = q;
        }
    }
    if (best == 0 && fallback != 0) {
        best = fallback;
        bestPsnr = fallbackPsnr;
    }
    if (best == 0 && !heights.isEmpty()) { // below every curve: the smallest resolution
        best = heights.last();
        bool covered = false;
        bestPsnr = qualityAt(points, best, kbps, &covered);
    }
    *psnr = bestPsnr;
    return best;
}

QString dB(double v) {
    return std::isfinite(v) ? QString::number(v, 'f', 1) : QStringLiteral("inf");
}

} // namespace

std::vector<SampleWindow> pickSampleWindows(const std::vector<double>& bytesPerSecond,
                                            double durationSeconds, int count,
                                            double windowSeconds) {
    std::vector<SampleWindow> windows;
    if (count <= 0 || durationSeconds <= 0)
        return windows;
    windowSeconds = std::min(windowSeconds, durationSeconds);
    // A short source: its whole length split into `count` windows is as good as any choice.
    if (durationSeconds <= count * windowSeconds * 1.5) {
        const int n = std::max(1, std::min(count, int(durationSeconds / windowSeconds)));
        const double spacing = durationSeconds / n;
        for (int i = 0; i < n; ++i)
            windows.push_back({i * spacing + (spacing - windowSeconds) / 2, windowSeconds, 0});
        return windows;
    }
    // Candidates start on whole seconds; their complexity is the source's own video bytes in
    // the seconds they cover (the source encoder's verdict on how hard each second is).
    struct Candidate {
        double start;
        double complexity;
    };
    std::vector<Candidate> candidates;
    const int span = std::max(1, int(std::ceil(windowSeconds)));
    for (int s = 0; s + windowSeconds <= durationSeconds; ++s) {
        double sum = 0;
        int n = 0;
        for (int k = s; k < s + span && k < int(bytesPerSecond.size()); ++k, ++n)
            sum += bytesPerSecond[size_t(k)];
        candidates.push_back({double(s), n ? sum / n : 0});
    }
    std::stable_sort(
        candidates.begin(), candidates.end(),
        [](const Candidate& a, const Candidate& b) { return a.complexity < b.complexity; });
    // The busiest second always (where a fixed rate fails first, and a short busy scene
    // would slip between quantiles), the other windows at the quantiles (i + 0.5) / (count - 1)
    // of complexity: a stratified sample of how hard this file's seconds are, so calm and
    // busy parts are both in it and the mean over windows leans only slightly to the busy
    // side (a "busiest scenes" pick would overspend on a mostly calm file; evenly spaced
    // windows miss short busy scenes). Overlapping picks move to the nearest free candidate
    // in complexity order.
    const double gap = windowSeconds + 0.5;
    auto overlaps = [&](double start) {
        for (const SampleWindow& w : windows)
            if (std::abs(w.startSeconds - start) < gap)
                return true;
        return false;
    };
    const int n = int(candidates.size());
    for (int i = 0; i < count; ++i) {
        const int want =
            i == 0 || count == 1 ? n - 1 : std::min(n - 1, int((i - 0.5) / (count - 1) * n));
        for (int d = 0; d < n; ++d) {
            const int lo = want - d, hi = want + d;
            int pick = -1;
            if (lo >= 0 && !overlaps(candidates[size_t(lo)].start))
                pick = lo;
            else if (hi < n && !overlaps(candidates[size_t(hi)].start))
                pick = hi;
            if (pick >= 0) {
                // The window opens half a window before the chosen second: a scene cut at its
                // very first frame would be coded as the trial's forced keyframe, for free,
                // where in the ladder cuts fall inside GOPs (scenecut=0) as costly P-frames.
                const double start = std::clamp(candidates[size_t(pick)].start - windowSeconds / 2,
                                                0.0, durationSeconds - windowSeconds);
                windows.push_back({start, windowSeconds, candidates[size_t(pick)].complexity});
                break;
            }
        }
    }
    std::sort(windows.begin(), windows.end(), [](const SampleWindow& a, const SampleWindow& b) {
        return a.startSeconds < b.startSeconds;
    });
    return windows;
}

QVector<TrialPoint> markHull(QVector<TrialPoint>* points) {
    QVector<int> order(points->size());
    for (int i = 0; i < order.size(); ++i) {
        order[i] = i;
        (*points)[i].onHull = false;
    }
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        const TrialPoint &pa = (*points)[a], &pb = (*points)[b];
        return pa.kbps != pb.kbps ? pa.kbps < pb.kbps : pa.psnr > pb.psnr;
    });
    // Linear rate, as in rate-distortion theory: any point on a chord between two encodes is
    // reachable (by switching between them), so the hull's corners are the encodes worth
    // having. In log rate a chord between distant points overstates the middle whenever a
    // curve bends upwards in log rate, as a static source's does, and hides good encodes.
    auto x = [&](int i) { return (*points)[i].kbps; };
    auto y = [&](int i) { return (*points)[i].psnr; };
    std::vector<int> hull;
    for (int i : order) {
        if (!std::isfinite(y(i)))
            continue;
        if (!hull.empty() && x(i) - x(hull.back()) < 1e-6)
            continue; // same rate, lower quality
        // Upper hull: drop the last point while it lies on or below the line to the new one.
        while (hull.size() >= 2) {
            const int a = hull[hull.size() - 2], b = hull.back();
            const double cross = (x(b) - x(a)) * (y(i) - y(a)) - (y(b) - y(a)) * (x(i) - x(a));
            if (cross < 0)
                break;
            hull.pop_back();
        }
        hull.push_back(i);
    }
    // Only the rising part: past the best quality more bits buy nothing.
    size_t best = 0;
    for (size_t k = 0; k < hull.size(); ++k)
        if (y(hull[k]) > y(hull[best]))
            best = k;
    if (!hull.empty())
        hull.resize(best + 1);
    QVector<TrialPoint> out;
    for (int i : hull) {
        (*points)[i].onHull = true;
        out.append((*points)[i]);
    }
    return out;
}

double qualityAt(const QVector<TrialPoint>& points, int height, double kbps, bool* covered) {
    return interpolate(pointsOfHeight(points, height), kbps, covered);
}

double spentKbpsAt(const QVector<TrialPoint>& points, int height, double kbps) {
    const QVector<TrialPoint> curve = pointsOfHeight(points, height);
    if (curve.isEmpty())
        return kbps;
    if (curve.size() == 1)
        return curve.first().kbps * kbps / std::max(1, curve.first().targetKbps);
    // Between trials: log-log; beyond them: the slope of the nearest two, kept within 0..1
    // (an encoder that undershoots at one rate does not start overshooting at a higher one).
    int i = 1;
    while (i < curve.size() - 1 && kbps > curve[i].targetKbps)
        ++i;
    const double x0 = log2Kbps(curve[i - 1].targetKbps), x1 = log2Kbps(curve[i].targetKbps);
    const double y0 = log2Kbps(curve[i - 1].kbps), y1 = log2Kbps(curve[i].kbps);
    double slope = x1 - x0 > 1e-9 ? (y1 - y0) / (x1 - x0) : 1.0;
    const double x = log2Kbps(kbps);
    if (x < x0 || x > x1)
        slope = std::clamp(slope, 0.0, 1.0);
    return std::exp2(y0 + slope * (x - x0));
}

double spentKbpsAtAnyHeight(const QVector<TrialPoint>& points, int height, double kbps) {
    const QVector<int> heights = heightsOf(points);
    if (heights.isEmpty() || heights.contains(height))
        return spentKbpsAt(points, height, kbps);
    int above = 0, below = 0;
    for (int h : heights) {
        if (h > height && (above == 0 || h < above))
            above = h;
        if (h < height && h > below)
            below = h;
    }
    if (above == 0 || below == 0)
        return spentKbpsAt(points, above ? above : below, kbps);
    const double t = double(height - below) / double(above - below);
    return spentKbpsAt(points, below, kbps) +
           t * (spentKbpsAt(points, above, kbps) - spentKbpsAt(points, below, kbps));
}

double qualityAtAnyHeight(const QVector<TrialPoint>& points, int height, double kbps) {
    const QVector<int> heights = heightsOf(points);
    if (heights.isEmpty())
        return 0;
    bool covered = false;
    if (heights.contains(height))
        return qualityAt(points, height, kbps, &covered);
    int above = 0, below = 0;
    for (int h : heights) {
        if (h > height && (above == 0 || h < above))
            above = h;
        if (h < height && h > below)
            below = h;
    }
    if (above == 0)
        return qualityAt(points, below, kbps, &covered);
    if (below == 0)
        return qualityAt(points, above, kbps, &covered);
    const double qa = qualityAt(points, above, kbps, &covered);
    const double qb = qualityAt(points, below, kbps, &covered);
    const double t = double(height - below) / double(above - below);
    return qb + t * (qa - qb);
}

Status suggestRungs(const SuggestOptions& options, Suggestion* out) {
    out->targetPsnr = options.targetPsnr;
    out->lowQualityPsnr = options.lowQualityPsnr;
    const QVector<TrialPoint> hull = markHull(&out->points);
    if (hull.isEmpty())
        return Status::error(
            Status::Code::Internal,
            QStringLiteral("%1: no trial encode gave a usable measurement").arg(out->source));
    const QVector<int> heights = heightsOf(out->points);

    // Top rung: the lowest rate at which some resolution's own trials reach the target
    // (interpolated between two measured points of that resolution, so the prediction is
    // always backed by encodes at that size); on content that never does, where the hull
    // flattens (the knee), at most its highest trial.
    double topKbps = hull.last().targetKbps;
    bool reachesTarget = false;
    for (int h : heights) {
        const QVector<TrialPoint> curve = pointsOfHeight(out->points, h);
        for (int i = 0; i < curve.size(); ++i) {
            if (curve[i].psnr < options.targetPsnr)
                continue;
            double kbps = curve[i].targetKbps;
            if (i > 0) {
                const double x0 = log2Kbps(curve[i - 1].targetKbps),
                             x1 = log2Kbps(curve[i].targetKbps);
                const double t =
                    (options.targetPsnr - curve[i - 1].psnr) / (curve[i].psnr - curve[i - 1].psnr);
                kbps = std::exp2(x0 + std::clamp(t, 0.0, 1.0) * (x1 - x0));
            }
            if (!reachesTarget || kbps < topKbps)
                topKbps = kbps;
            reachesTarget = true;
            break;
        }
    }
    if (!reachesTarget) {
        int last = int(hull.size()) - 1;
        while (last > 0) {
            const double doublings = log2Kbps(hull[last].kbps) - log2Kbps(hull[last - 1].kbps);
            if (doublings <= 0 ||
                (hull[last].psnr - hull[last - 1].psnr) / doublings >= kKneeDbPerDoubling)
                break;
            --last;
        }
        topKbps = hull[last].targetKbps;
        out->warnings << QStringLiteral("the samples never reach %1 dB (trials up to %2 kb/s): "
                                        "the top rung is the highest trial, or lower where more "
                                        "bits buy under %3 dB per doubling")
                             .arg(dB(options.targetPsnr))
                             .arg(std::lround(hull.last().kbps))
                             .arg(kKneeDbPerDoubling);
    } else {
        topKbps *= kTopRungHeadroom;
    }

    // How many rungs and the ratio between them.
    const double floorKbps = std::max(1.0, options.minKbps);
    double ratio = kDefaultStepRatio;
    int count = 0;
    if (options.rungs > 0) {
        count = options.rungs;
        if (count > 1)
            ratio = std::clamp(std::pow(topKbps / floorKbps, 1.0 / (count - 1)), 1.5, 2.0);
    } else {
        count = 1 + int(std::floor(std::log(topKbps / floorKbps) / std::log(ratio)));
        count = std::clamp(count, 2, kMaxRungs); // more than one variant (Apple 9.9)
    }

    out->rungs.clear();
    int previousHeight = heights.first();
    double kbps = topKbps;
    for (int i = 0; i < count; ++i) {
        if (i > 0)
            kbps /= ratio;
        SuggestedRung r;
        r.videoKbps = roundKbps(kbps);
        r.height =
            bestHeightAt(out->points, heights, r.videoKbps, previousHeight, &r.predictedPsnr);
        r.expectedKbps = spentKbpsAt(out->points, r.height, r.videoKbps);
        for (const TrialPoint& p : out->points)
            if (p.height == r.height) {
                r.width = p.width;
                r.pictureHeight = p.pictureHeight > 0 ? p.pictureHeight : p.height;
            }
        // Never two rungs at the same rate (rounding at the bottom of a long ladder).
        if (!out->rungs.isEmpty() && r.videoKbps >= out->rungs.last().videoKbps)
            break;
        out->rungs.append(r);
        previousHeight = r.height;
    }

    Ladder ladder = options.base;
    ladder.renditions.clear();
    QSet<QString> names;
    for (const SuggestedRung& r : out->rungs) {
        Rendition rendition;
        QString name = QStringLiteral("%1p").arg(r.height);
        if (names.contains(name))
            name = QStringLiteral("%1p-%2k").arg(r.height).arg(r.videoKbps);
        names.insert(name);
        rendition.name = name;
        rendition.height = r.height;
        rendition.videoKbps = r.videoKbps;
        ladder.renditions.append(rendition);
    }
    Status valid = ladder.validate();
    if (!valid.isOk())
        return Status::error(Status::Code::Internal,
                             QStringLiteral("%1: the suggested ladder is not valid (%2)")
                                 .arg(out->source, valid.message()));
    out->ladder = ladder;

    // The preset on the same content, estimated from the same trials.
    PresetComparison& c = out->comparison;
    c = PresetComparison{};
    c.preset = options.comparePreset;
    if (!options.comparePreset.isEmpty()) {
        const LadderPreset* preset = findLadderPreset(options.comparePreset);
        if (!preset)
            return Status::error(
                Status::Code::InvalidArgument,
                QStringLiteral("no preset named \"%1\"").arg(options.comparePreset));
        const QVector<ResolvedRendition> resolved =
            resolveRenditions(preset->ladder, out->sourceWidth, out->sourceHeight);
        c.presetTopPsnr = -1;
        for (const ResolvedRendition& r : resolved) {
            if (r.codec != VideoCodec::H264 || r.hdr)
                continue; // the trials are H.264 SDR
            PresetRungEstimate e;
            e.name = r.name;
            e.width = r.width;
            e.height = std::min(r.width, r.height);
            e.pictureHeight = r.height;
            e.videoKbps = r.videoKbps;
            e.predictedPsnr = qualityAtAnyHeight(out->points, e.height, e.videoKbps);
            e.expectedKbps = spentKbpsAtAnyHeight(out->points, e.height, e.videoKbps);
            c.presetNominalKbps += e.videoKbps;
            c.presetKbps += e.expectedKbps;
            c.presetTopPsnr = std::max(c.presetTopPsnr, e.predictedPsnr);
            c.rungs.append(e);
        }
        for (const SuggestedRung& r : out->rungs) {
            c.suggestedNominalKbps += r.videoKbps;
            c.suggestedKbps += r.expectedKbps;
        }
        const double suggestedTop = out->rungs.isEmpty() ? 0 : out->rungs.first().predictedPsnr;
        // Above the target counts as equal: visually lossless is visually lossless.
        c.equalQuality = suggestedTop + 0.05 >= std::min(options.targetPsnr, c.presetTopPsnr);
        if (c.presetKbps > 0)
            c.savingPercent = 100.0 * (1.0 - c.suggestedKbps / c.presetKbps);
        c.presetTopBelowThreshold = !c.rungs.isEmpty() && c.presetTopPsnr < options.lowQualityPsnr;
        if (c.presetTopBelowThreshold) {
            const PresetRungEstimate& top =
                *std::max_element(c.rungs.begin(), c.rungs.end(),
                                  [](const PresetRungEstimate& a, const PresetRungEstimate& b) {
                                      return a.predictedPsnr < b.predictedPsnr;
                                  });
            out->warnings << QStringLiteral(
                                 "hard content: the %1 preset's top rung (%2p, %3 kb/s) reaches "
                                 "only %4 dB here, below %5 dB; the suggested top rung spends "
                                 "%6 kb/s for %7 dB")
                                 .arg(c.preset)
                                 .arg(top.height)
                                 .arg(top.videoKbps)
                                 .arg(dB(top.predictedPsnr), dB(options.lowQualityPsnr))
                                 .arg(out->rungs.first().videoKbps)
                                 .arg(dB(out->rungs.first().predictedPsnr));
        }
    }
    return Status::ok();
}

QJsonObject Suggestion::toJson() const {
    QJsonArray windowsJson;
    for (const SampleWindow& w : windows)
        windowsJson.append(QJsonObject{{QStringLiteral("start"), w.startSeconds},
                                       {QStringLiteral("duration"), w.durationSeconds},
                                       {QStringLiteral("complexity"), w.complexity}});
    QJsonArray rungsJson;
    for (int i = 0; i < rungs.size(); ++i) {
        const SuggestedRung& r = rungs[i];
        rungsJson.append(
            QJsonObject{{QStringLiteral("name"),
                         i < ladder.renditions.size() ? ladder.renditions[i].name : QString()},
                        {QStringLiteral("width"), r.width},
                        {QStringLiteral("height"), r.height},
                        {QStringLiteral("videoKbps"), r.videoKbps},
                        {QStringLiteral("expectedKbps"), r.expectedKbps},
                        {QStringLiteral("predictedPsnr"), r.predictedPsnr}});
    }
    QJsonArray hullJson;
    for (const TrialPoint& p : points)
        hullJson.append(QJsonObject{{QStringLiteral("width"), p.width},
                                    {QStringLiteral("height"), p.height},
                                    {QStringLiteral("targetKbps"), p.targetKbps},
                                    {QStringLiteral("kbps"), p.kbps},
                                    {QStringLiteral("psnr"), p.psnr},
                                    {QStringLiteral("onHull"), p.onHull}});
    QJsonArray presetRungs;
    for (const PresetRungEstimate& e : comparison.rungs)
        presetRungs.append(QJsonObject{{QStringLiteral("name"), e.name},
                                       {QStringLiteral("width"), e.width},
                                       {QStringLiteral("height"), e.height},
                                       {QStringLiteral("videoKbps"), e.videoKbps},
                                       {QStringLiteral("expectedKbps"), e.expectedKbps},
                                       {QStringLiteral("predictedPsnr"), e.predictedPsnr}});
    return {
        {QStringLiteral("source"), source},
        {QStringLiteral("sourceWidth"), sourceWidth},
        {QStringLiteral("sourceHeight"), sourceHeight},
        {QStringLiteral("sourceSeconds"), sourceSeconds},
        {QStringLiteral("windows"), windowsJson},
        {QStringLiteral("sampledFrames"), sampledFrames},
        {QStringLiteral("targetPsnr"), targetPsnr},
        {QStringLiteral("ladder"), ladder.toJson()},
        {QStringLiteral("rungs"), rungsJson},
        {QStringLiteral("hull"), hullJson},
        {QStringLiteral("comparison"),
         QJsonObject{
             {QStringLiteral("preset"), comparison.preset},
             {QStringLiteral("rungs"), presetRungs},
             {QStringLiteral("presetKbps"), comparison.presetKbps},
             {QStringLiteral("suggestedKbps"), comparison.suggestedKbps},
             {QStringLiteral("presetNominalKbps"), comparison.presetNominalKbps},
             {QStringLiteral("suggestedNominalKbps"), comparison.suggestedNominalKbps},
             {QStringLiteral("savingPercent"), comparison.savingPercent},
             {QStringLiteral("equalQuality"), comparison.equalQuality},
             {QStringLiteral("presetTopPsnr"), comparison.presetTopPsnr},
             {QStringLiteral("presetTopBelowThreshold"), comparison.presetTopBelowThreshold}}},
        {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)},
        {QStringLiteral("analysisSeconds"), analysisSeconds},
    };
}

QString Suggestion::reportText() const {
    QString t;
    t += QStringLiteral("%1: %2x%3, %4 s; %5 windows sampled (%6 frames), %7 trial encodes in "
                        "%8 s\n")
             .arg(source)
             .arg(sourceWidth)
             .arg(sourceHeight)
             .arg(sourceSeconds, 0, 'f', 1)
             .arg(windows.size())
             .arg(sampledFrames)
             .arg(points.size())
             .arg(analysisSeconds, 0, 'f', 1);
    t += QStringLiteral("\nTrials (PSNR at %1x%2; * on the hull):\n")
             .arg(sourceWidth)
             .arg(sourceHeight);
    QVector<TrialPoint> sorted = points;
    std::sort(sorted.begin(), sorted.end(), [](const TrialPoint& a, const TrialPoint& b) {
        return a.height != b.height ? a.height > b.height : a.kbps < b.kbps;
    });
    t += QStringLiteral("    size   rate kb/s  spent kb/s   PSNR\n");
    for (const TrialPoint& p : sorted)
        t += QStringLiteral("  %1 %2p %3 %4  %5 dB\n")
                 .arg(p.onHull ? QLatin1Char('*') : QLatin1Char(' '))
                 .arg(p.height, 5)
                 .arg(p.targetKbps, 10)
                 .arg(std::lround(p.kbps), 11)
                 .arg(dB(p.psnr), 5);
    t += QStringLiteral("\nSuggested ladder (target %1 dB):\n").arg(dB(targetPsnr));
    for (const SuggestedRung& r : rungs)
        t += QStringLiteral("  %1x%2 %3 kb/s (spends ~%4)  ~%5 dB\n")
                 .arg(r.width)
                 .arg(r.pictureHeight > 0 ? r.pictureHeight : r.height)
                 .arg(r.videoKbps, 6)
                 .arg(std::lround(r.expectedKbps))
                 .arg(dB(r.predictedPsnr));
    t += savingText() + QLatin1Char('\n');
    for (const QString& w : warnings)
        t += QStringLiteral("warning: %1\n").arg(w);
    return t;
}

QString Suggestion::savingText() const {
    const PresetComparison& c = comparison;
    if (c.preset.isEmpty() || c.rungs.isEmpty())
        return {};
    QString t = QStringLiteral("\nAgainst the %1 preset on this content:\n").arg(c.preset);
    for (const PresetRungEstimate& e : c.rungs)
        t += QStringLiteral("  %1x%2 %3 kb/s (spends ~%4)  ~%5 dB\n")
                 .arg(e.width)
                 .arg(e.pictureHeight > 0 ? e.pictureHeight : e.height)
                 .arg(e.videoKbps, 6)
                 .arg(std::lround(e.expectedKbps))
                 .arg(dB(e.predictedPsnr));
    const QString top =
        QStringLiteral("top rung ~%1 dB vs ~%2 dB")
            .arg(dB(rungs.isEmpty() ? 0 : rungs.first().predictedPsnr), dB(c.presetTopPsnr));
    if (c.savingPercent >= 0)
        t += QStringLiteral("Expected saving: %1 % of the video bits (~%2 vs ~%3 kb/s spent, "
                            "summed over the rungs; %4%5)")
                 .arg(c.savingPercent, 0, 'f', 0)
                 .arg(std::lround(c.suggestedKbps))
                 .arg(std::lround(c.presetKbps))
                 .arg(top, c.equalQuality ? QStringLiteral(", equal quality") : QString());
    else
        t += QStringLiteral("The suggestion spends %1 % more video bits (~%2 vs ~%3 kb/s, summed "
                            "over the rungs; %4)")
                 .arg(-c.savingPercent, 0, 'f', 0)
                 .arg(std::lround(c.suggestedKbps))
                 .arg(std::lround(c.presetKbps))
                 .arg(top);
    return t;
}

QString Suggestion::hullCsv() const {
    QString csv = QStringLiteral("resolution,width,height,target_kbps,kbps,psnr,on_hull\n");
    QVector<TrialPoint> sorted = points;
    std::sort(sorted.begin(), sorted.end(), [](const TrialPoint& a, const TrialPoint& b) {
        return a.height != b.height ? a.height > b.height : a.kbps < b.kbps;
    });
    for (const TrialPoint& p : sorted)
        csv += QStringLiteral("%1x%2,%1,%2,%3,%4,%5,%6\n")
                   .arg(p.width)
                   .arg(p.pictureHeight > 0 ? p.pictureHeight : p.height)
                   .arg(p.targetKbps)
                   .arg(p.kbps, 0, 'f', 1)
                   .arg(p.psnr, 0, 'f', 3)
                   .arg(p.onHull ? 1 : 0);
    return csv;
}

} // namespace hlsforge::suggest
