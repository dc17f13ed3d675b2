#pragma once
// FinishingStep: something written beside a finished ladder once its playlists, poster and
// master playlist are in the staging folder — the web player page (core/web/PlayerPageStep) is
// one. Whoever runs a transcode registers the steps it wants (Transcoder::addFinishingStep;
// TranscodeJob adds the page when the ladder asks for it); the engine knows none by name.

#include "transcode/TranscodeTypes.h"
#include "util/Status.h"

#include <QString>

namespace hlsforge {

struct FinishedLadder {
    QString directory; // where the ladder's files are now (the staging folder)
    const TranscodeRequest& request;
    TranscodeResult& result; // a step records what it wrote (playerPage) and its warnings
};

class FinishingStep {
public:
    virtual ~FinishingStep() = default;
    // Runs on the transcode's thread, in registration order. An error fails the transcode
    // (nothing is moved into place); its message should say which step failed.
    virtual Status finish(const FinishedLadder& ladder) = 0;
};

} // namespace hlsforge
