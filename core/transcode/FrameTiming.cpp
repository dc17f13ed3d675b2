#include "transcode/FrameTiming.h"

#include <cmath>

namespace hlsforge {

namespace {

constexpr AVRational kStandardRates[] = {
    {12, 1}, {15, 1}, {24000, 1001}, {24, 1}, {25, 1},  {30000, 1001},  {30, 1},
    {48, 1}, {50, 1}, {60000, 1001}, {60, 1}, {100, 1}, {120000, 1001}, {120, 1}};

bool usable(AVRational r) {
    return r.num > 0 && r.den > 0 && av_q2d(r) >= 1 && av_q2d(r) <= 240;
}

double relativeDifference(AVRational a, AVRational b) {
    return std::fabs(av_q2d(a) - av_q2d(b)) / av_q2d(b);
}

// The standard rate nearest to `rate` (by relative difference) when it lies within
// `tolerance`, else `rate` itself. Nearest, not first: 29.97 is 0.1 % from 30 as well.
AVRational snap(AVRational rate, double tolerance) {
    AVRational best = rate;
    double bestDifference = tolerance;
    for (const AVRational& s : kStandardRates) {
        const double d = relativeDifference(rate, s);
        if (d <= bestDifference) {
            best = s;
            bestDifference = d;
        }
    }
    return best;
}

AVRational reduced(AVRational r) {
    av_reduce(&r.num, &r.den, r.num, r.den, 1 << 30);
    return r;
}

// "25", "29.97", "59.94": the short form in names like 1080i25 or 59.94p.
QString shortRate(AVRational r) {
    QString text = QString::number(av_q2d(r), 'f', 2);
    while (text.endsWith(QLatin1Char('0')))
        text.chop(1);
    if (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}

} // namespace

QString rateText(AVRational rate) {
    rate = reduced(rate);
    if (rate.den == 1)
        return QString::number(rate.num);
    return QStringLiteral("%1/%2").arg(rate.num).arg(rate.den);
}

QString rateDecimal(AVRational rate) {
    return QString::number(av_q2d(rate), 'f', 3);
}

AVRational sourceFrameRate(AVRational averageRate, AVRational baseRate) {
    const bool haveAverage = usable(averageRate);
    const bool haveBase = usable(baseRate);
    // Constant rate: the base rate is the exact one (the average is total frames over total
    // duration, which an edit list or a short last frame puts a hair off). A rational within
    // 0.1 % of a broadcast rate is that rate: 2997/100 is 30000/1001 meant.
    if (haveAverage && haveBase && relativeDifference(averageRate, baseRate) <= 0.01)
        return reduced(snap(baseRate, 0.001));
    // Field-coded interlaced streams (H.264 PAFF in MPEG-TS) report the field rate as their
    // base rate: twice the frame rate, yet every frame lasts the same.
    if (haveAverage && haveBase &&
        relativeDifference(av_mul_q(averageRate, AVRational{2, 1}), baseRate) <= 0.01)
        return reduced(snap(av_mul_q(baseRate, AVRational{1, 2}), 0.001));
    if (!haveAverage && !haveBase)
        return AVRational{30, 1};
    if (!haveAverage || !haveBase)
        return reduced(snap(haveBase ? baseRate : averageRate, 0.001));
    // Variable rate (the average is off the base rate): run at the standard rate nearest to
    // the base rate, so motion stays as smooth as the source's fastest passages; slow
    // passages get repeated frames. Phone clips report e.g. 29.87 or 30.02.
    return reduced(snap(baseRate, 0.05));
}

FrameRateChoice chooseFrameRate(AVRational averageRate, AVRational baseRate, double maxFps) {
    FrameRateChoice choice;
    const AVRational source = sourceFrameRate(averageRate, baseRate);
    AVRational rate = source;
    while (av_q2d(rate) > maxFps + 0.01)
        rate = reduced(av_mul_q(rate, AVRational{1, 2}));
    choice.rate = rate;
    const bool variable =
        usable(averageRate) && usable(baseRate) &&
        relativeDifference(averageRate, baseRate) > 0.01 &&
        relativeDifference(av_mul_q(averageRate, AVRational{2, 1}), baseRate) > 0.01;
    if (variable)
        choice.conversion =
            QStringLiteral("variable frame rate (average %1 fps) made constant at %2 (%3 fps)")
                .arg(av_q2d(averageRate), 0, 'f', 3)
                .arg(rateText(rate), rateDecimal(rate));
    else if (av_cmp_q(rate, source) != 0)
        choice.conversion =
            QStringLiteral("frame rate %1 (%2 fps) halved to %3 (%4 fps): the "
                           "engine's cap is %5 fps")
                .arg(rateText(source), rateDecimal(source), rateText(rate), rateDecimal(rate))
                .arg(maxFps);
    else
        choice.conversion =
            QStringLiteral("frame rate %1 (%2 fps) kept").arg(rateText(rate), rateDecimal(rate));
    return choice;
}

DeinterlacePlan planDeinterlace(const VideoInfo& video, AVRational sourceRate, double maxFps) {
    DeinterlacePlan plan;
    plan.outputRate = sourceRate;
    if (!video.interlaced)
        return plan;
    plan.apply = true;
    const bool tff = video.interlacedFieldOrder != QLatin1String("bff");
    const AVRational fieldRate = reduced(av_mul_q(sourceRate, AVRational{2, 1}));
    // One frame per field keeps the motion of the camera (50 distinct instants a second for
    // 25i); one frame per frame would halve it and judder. Only above the cap does a frame
    // per frame remain.
    const bool perField = av_q2d(fieldRate) <= maxFps + 0.01;
    plan.outputRate = perField ? fieldRate : sourceRate;
    // bwdif (w3fdif's motion-adaptive successor in libavfilter) at "deint=all": the parity is
    // given, because a source whose flag is missing has frames that say progressive.
    plan.filter = std::string("bwdif=mode=") + (perField ? "send_field" : "send_frame") +
                  ":parity=" + (tff ? "tff" : "bff") + ":deint=all";
    const int height = video.codedHeight;
    QString flagNote;
    if (video.fieldOrder != QLatin1String("tff") && video.fieldOrder != QLatin1String("bff"))
        flagNote = QStringLiteral(", detected from the picture (the stream is not flagged)");
    plan.conversion =
        QStringLiteral("deinterlaced %1i%2 → %3p (bwdif, %4, %5%6)")
            .arg(height)
            .arg(shortRate(sourceRate))
            .arg(shortRate(plan.outputRate))
            .arg(perField ? QStringLiteral("one frame per field")
                          : QStringLiteral("one frame per frame"))
            .arg(tff ? QStringLiteral("top field first") : QStringLiteral("bottom field first"))
            .arg(flagNote);
    return plan;
}

QStringList describeAudioChoice(const AudioInfo& audio) {
    QStringList lines;
    if (audio.trackCount > 1) {
        QString which =
            QStringLiteral("audio: track %1 of %2").arg(audio.trackNumber).arg(audio.trackCount);
        if (!audio.language.isEmpty())
            which += QStringLiteral(" (%1)").arg(audio.language);
        which += audio.defaultTrack ? QStringLiteral(", the default-flagged one, is the ladder's "
                                                     "audio")
                                    : QStringLiteral(", the first (none is flagged default), is "
                                                     "the ladder's audio");
        lines << which;
    }
    // One AAC frame (1024 samples at 48 kHz) is about 21 ms; anything later is a real offset.
    if (audio.startSeconds > 0.025)
        lines << QStringLiteral("audio starts %1 s after the video: silence fills the gap, so "
                                "every segment stays in sync")
                     .arg(audio.startSeconds, 0, 'f', 3);
    return lines;
}

} // namespace hlsforge
