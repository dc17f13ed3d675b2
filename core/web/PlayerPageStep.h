#pragma once
// The player page as a finishing step of a transcode: index.html (and player/ when
// self-contained) written beside the ladder after its master playlist, titled with the input's
// name, with the poster and the progressive MP4 the transcode made. Added by the callers that
// want the page (TranscodeJob, when the ladder's playerPage is on).

#include "transcode/FinishingStep.h"

namespace hlsforge {

class PlayerPageStep final : public FinishingStep {
public:
    Status finish(const FinishedLadder& ladder) override;
};

} // namespace hlsforge
