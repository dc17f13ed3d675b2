#pragma once
// InputStage: the first stage of a transcode, on the calling thread. It decodes the already
// open input once and normalises the video once for every rung, in this order: deinterlace
// (bwdif, on the source's fields), constant frame rate, colour (ColourPipeline), rotation
// upright. A ladder with HDR rungs on an HDR source gets two normalised streams from the same
// graph, split after deinterlace, rate and rotation: the SDR one (tone-mapped, 8-bit) for the
// SDR rungs and the HDR one (HLG/PQ kept, 10-bit) for the HDR rungs. Audio is resampled to 48 kHz
// stereo and encoded to AAC-LC once. Every frame and audio packet is then handed by reference to
// each rung's bounded queue (RenditionEncoder): a full queue makes this stage wait, which keeps
// memory flat.
//
// A few normalised frames are kept as poster candidates for the finishing stage, so the
// poster needs no second decode.

#include "av/Decoder.h"
#include "av/FilterGraph.h"
#include "av/InputFile.h"
#include "transcode/AudioLane.h"
#include "transcode/ColourPipeline.h"
#include "transcode/FrameTiming.h"
#include "transcode/RenditionEncoder.h"
#include "transcode/TranscodeTypes.h"

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace hlsforge {

class InputStage {
public:
    // `result` holds the probed source; the stage adds its warnings and conversions to it.
    // `tick` is called while the stage waits for the rungs (progress, about every 100 ms).
    InputStage(av::InputFile& input, const TranscodeRequest& request, const ColourPlan& colour,
               const std::atomic<bool>* cancel, std::function<void()> tick,
               TranscodeResult* result);

    // The probe's scanned frames and their decoder (av::DecodedPrefix): the stage goes on from
    // them instead of decoding the first frames again. Before open(); optional.
    void continueFrom(av::DecodedPrefix prefix) { m_prefix = std::move(prefix); }
    // Packets of another stream of the input (a subtitle track) handed to `tap` as the one
    // demux reads them: that stream is read, not discarded. Before open().
    using PacketTap = std::function<void(const AVPacket*)>;
    void addPacketTap(int streamIndex, PacketTap tap) {
        m_packetTaps.push_back({streamIndex, std::move(tap)});
    }
    // Every normalised SDR frame (upright, constant rate; pts in videoTimeBase()) shown to
    // `tap` before it goes to the rungs: the seek thumbnails are made from these, not from a
    // second decode. The tap must not keep the frame without its own reference.
    using FrameTap = std::function<void(const AVFrame*)>;
    void setFrameTap(FrameTap tap) { m_frameTap = std::move(tap); }
    // The source's audio tracks to carry, by stream index, one AudioLane each (lane i is
    // streamIndices[i]). Before open(); by default the probe's main track (the default-flagged
    // one, else the first), as lane 0.
    void setAudioTracks(std::vector<int> streamIndices) {
        m_audioStreams = std::move(streamIndices);
        m_audioTracksSet = true;
    }
    // > 0: every lane cut to this many seconds (unmuxed renditions
    // end with the video). Before open().
    void setAudioLengthSeconds(double seconds) { m_audioLengthSeconds = seconds; }
    // Opens the decoders and the AAC encoders and decides the output frame rate; before the
    // rungs are opened, which need both.
    Status open();
    AVRational frameRate() const { return m_frameRate; } // of the ladder, after deinterlacing
    // Lane 0's encoder (the muxed audio of the rungs); null: none.
    const AVCodecContext* audioEncoder() const { return audioEncoder(0); }
    const AVCodecContext* audioEncoder(int lane) const;
    int audioLaneCount() const { return int(m_lanes.size()); }
    // A lane whose track could not be decoded is left out (a warning says so).
    bool audioLaneOpen(int lane) const;

    // Every AAC packet of `lane` also goes to `sink` (an AudioRendition), on this thread.
    void setAudioSink(int lane, std::function<Status(AVPacket*)> sink);
    // Lane 0 to `sink` only (a chunked encode's audio index: no rungs).
    void setAudioSink(std::function<Status(AVPacket*)> sink) { setAudioSink(0, std::move(sink)); }
    // The lane whose packets go to the rungs that have an audio encoder (RenditionConfig);
    // -1: none. Default 0.
    void setRungAudioLane(int lane) { m_rungLane = lane; }
    bool hasAudio() const { return audioLaneOpen(0); }
    // Decodes to the end, feeds every rung and ends their streams; returns once every rung
    // has drained its encoder, or on the first error or cancel.
    Status run(std::vector<std::unique_ptr<RenditionEncoder>>* rungs);

    // Upright frames of the normalised video at a few points of the duration.
    std::vector<av::FramePtr> takePosterCandidates() { return std::move(m_posterCandidates); }
    AVRational videoTimeBase() const { return m_videoGraph.outputTimeBase(); }

private:
    void decideTiming(const AVStream* videoStream);
    Status seekBefore(AVStream* videoStream, int64_t firstFrame);
    bool inRange(const AVFrame* frame);
    Status openAudioLanes();
    int laneOfStream(int streamIndex) const;
    Status decodeAll();
    Status decodeVideoPacket(AVPacket* packet);
    Status handleDecodedVideo(AVFrame* frame);
    Status drainVideoGraph();
    Status deliverVideoFrames();
    void keepPosterCandidate(const AVFrame* frame);
    Status sendAudio(int lane, av::PacketPtr packet);
    Status deliver(PipelineItem& prototype, const std::vector<RenditionEncoder*>& targets);
    bool hasHdrStream() const { return !m_colour.hdrFilter.empty(); }
    Status endStreams();
    bool cancelled() const { return m_cancel && m_cancel->load(); }
    std::vector<std::unique_ptr<RenditionEncoder>>& rungs() { return *m_rungs; }

    av::InputFile& m_input;
    const TranscodeRequest& m_request;
    const ColourPlan& m_colour; // decided once per source; applied once, before the fan-out
    const std::atomic<bool>* m_cancel;
    std::function<void()> m_tick;
    TranscodeResult& m_result;
    std::vector<std::unique_ptr<RenditionEncoder>>* m_rungs = nullptr;
    std::vector<RenditionEncoder*> m_audioRungs; // the rungs with an audio encoder
    std::vector<RenditionEncoder*> m_sdrRungs;   // the SDR stream's rungs
    std::vector<RenditionEncoder*> m_hdrRungs;   // the HDR stream's rungs (hdr: true)

    std::vector<std::pair<int, PacketTap>> m_packetTaps;
    FrameTap m_frameTap;
    av::Decoder m_video;
    av::DecodedPrefix m_prefix;       // frames to hand on before the first packet is read
    int64_t m_videoPacketsToSkip = 0; // read again after the rewind, decoded already
    std::vector<int> m_audioStreams;
    bool m_audioTracksSet = false;
    std::vector<std::unique_ptr<AudioLane>> m_lanes; // null where the track could not be opened
    std::vector<std::function<Status(AVPacket*)>> m_audioSinks; // per lane; may be empty
    int m_rungLane = 0;
    double m_audioLengthSeconds = 0;
    int64_t m_startTimeUs = 0;
    AVRational m_frameRate{30, 1};  // of the ladder, after deinterlacing
    AVRational m_sourceRate{30, 1}; // of the decoded frames
    DeinterlacePlan m_deinterlace;
    av::FilterGraph m_videoGraph;
    int64_t m_lastVideoPts = AV_NOPTS_VALUE;
    int64_t m_lastVideoDuration = 0;
    int m_corruptPackets = 0;
    bool m_rangeDone = false; // a chunk's frames are all delivered
    // A chunk's pre-roll: video packets with a PTS (stream time base) before this are only
    // decoded when later frames refer to them. AV_NOPTS_VALUE: no pre-roll (left behind).
    int64_t m_preRollEndPts = AV_NOPTS_VALUE;
    // References to frames decoded anyway (a second decode of the source just for the poster
    // cost seconds at 1080p).
    std::vector<av::FramePtr> m_posterCandidates;
    av::FramePtr m_frame = av::makeFrame();
    av::FramePtr m_filtered = av::makeFrame();
    av::PacketPtr m_packet = av::makePacket();
};

} // namespace hlsforge
