#pragma once
// Transcoder: one source in, one HLS ladder out, with FFmpeg's libraries in-process.
//
// Pipeline: the calling thread demuxes and decodes once (video normalised to constant
// frame rate and rotated upright; audio resampled and encoded to AAC-LC once); each rung
// has its own thread that scales, encodes with libx264 and muxes with libavformat's HLS
// muxer. Stages are joined by bounded queues, so memory stays flat whatever the length.
// Keyframes are forced by timestamp, identically in every rung, so segment boundaries align.
//
// Output is staged beside the destination and moved into place only on success.
// run() blocks; cancel by setting *cancelFlag (checked per packet/frame; effect < 1 s).

#include "transcode/TranscodeTypes.h"

#include <atomic>
#include <functional>

namespace hlsforge {

using ProgressCallback = std::function<void(const TranscodeProgress&)>;

class Transcoder {
public:
    explicit Transcoder(TranscodeRequest request);
    // Progress is reported from the calling thread, about 5 times a second.
    TranscodeResult run(const ProgressCallback& onProgress, const std::atomic<bool>* cancelFlag);

private:
    TranscodeRequest m_request;
};

} // namespace hlsforge
