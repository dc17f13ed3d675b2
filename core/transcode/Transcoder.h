#pragma once
// Transcoder: one source in, one HLS ladder out, with FFmpeg's libraries in-process.
//
// The stages (docs/engine.md): the input is opened once and probed; InputStage, on the
// calling thread, decodes it once and normalises the video once (deinterlace, constant frame
// rate, colour, upright) and encodes the audio to AAC-LC once; each rung's RenditionEncoder
// thread scales, encodes and muxes with libavformat's HLS muxer; stages are joined by bounded
// queues, so memory stays flat whatever the length. Keyframes are placed identically in every
// rung, so segment boundaries align. FinishingStage then measures the rungs and writes the
// I-frame and master playlists and the poster, and runs the finishing steps the caller added.
//
// A chunked encode's parts (core/cluster) leave what the assembly needs instead of a master:
// a chunk (request.range) its segments and, with thumbnails, thumbs/tiles.yuv + tiles.json
// (trickplay::ThumbnailSheets::saveTiles); the audio index (request.audioOnly) audio/ and, when
// the source or request.subtitleFiles has subtitles, subtitles.json ({"tracks", "warnings"}).
//
// Output is staged beside the destination and moved into place only on success.
// run() blocks; cancel by setting *cancelFlag (checked per packet/frame; effect < 1 s).

#include "transcode/FinishingStep.h"
#include "transcode/TranscodeTypes.h"

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace hlsforge {

using ProgressCallback = std::function<void(const TranscodeProgress&)>;

class Transcoder {
public:
    explicit Transcoder(TranscodeRequest request);
    // Runs after the master playlist is written, in the order added (the web page is one).
    void addFinishingStep(std::shared_ptr<FinishingStep> step);
    // Progress is reported from the calling thread, about 5 times a second.
    TranscodeResult run(const ProgressCallback& onProgress, const std::atomic<bool>* cancelFlag);

private:
    TranscodeRequest m_request;
    std::vector<std::shared_ptr<FinishingStep>> m_steps;
};

} // namespace hlsforge
