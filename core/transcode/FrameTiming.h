#pragma once
// Frame-rate and deinterlace decisions for the output, as pure functions of the source's
// probed facts: unit-testable without media, and the one home of these policies.

#include "probe/MediaProbe.h"

#include <QString>
#include <QStringList>

extern "C" {
#include <libavutil/rational.h>
}

namespace hlsforge {

// The engine's output frame-rate cap: higher source rates are halved until they fit.
constexpr double kMaxFrameRate = 60.0;

struct FrameRateChoice {
    AVRational rate{30, 1}; // the ladder's constant output rate
    QString conversion;     // in words: "frame rate 30000/1001 kept", "... snapped to 30"
};

// The source's own rate as the engine understands it. A constant-rate source keeps its exact
// rational rate (24000/1001 stays 24000/1001; a rational a hair off a broadcast rate, as an
// MP4 with an odd timescale may report, is the broadcast rate). A variable-rate source runs
// at the NEAREST standard rate to its base rate. Unknown rates become 30.
AVRational sourceFrameRate(AVRational averageRate, AVRational baseRate);

// sourceFrameRate, capped at maxFps by halving, with the words for the job's result.
FrameRateChoice chooseFrameRate(AVRational averageRate, AVRational baseRate,
                                double maxFps = kMaxFrameRate);

struct DeinterlacePlan {
    bool apply = false;
    std::string filter; // e.g. "bwdif=mode=send_field:parity=tff:deint=all"
    AVRational outputRate{30, 1};
    QString conversion; // "deinterlaced 1080i25 → 50p (bwdif, one frame per field)"
};

// One output frame per field (25i → 50p, 29.97i → 59.94p) when that fits under maxFps,
// else one frame per frame. Sources that are not interlaced get apply=false and the source
// rate unchanged.
DeinterlacePlan planDeinterlace(const VideoInfo& video, AVRational sourceRate,
                                double maxFps = kMaxFrameRate);

// Which audio track the ladder carries (when there are several) and how its start is
// aligned with the video's, in words for the job's result.
QStringList describeAudioChoice(const AudioInfo& audio);

// "30000/1001" or "25"; and "29.970"-style decimals, as FRAME-RATE writes them.
QString rateText(AVRational rate);
QString rateDecimal(AVRational rate);

} // namespace hlsforge
