#pragma once
// AudioLane: one audio track of a transcode, decoded, resampled to 48 kHz stereo and encoded to
// AAC-LC once. The input stage runs one lane per source track it carries (the ladder's main
// track when audio is muxed into the rungs; every track when each is its own rendition), and a
// sidecar audio file (--audio) gets a lane of its own fed from its own file. Each AAC packet goes
// to the lane's sink: the rungs' queues, an AudioRendition muxer, or both.

#include "av/Decoder.h"
#include "av/FilterGraph.h"
#include "util/FfmpegPtr.h"
#include "util/Status.h"

#include <functional>

namespace hlsforge {

class AudioLane {
public:
    // Gets every AAC packet (in the encoder's time base, 1/48000); may take the packet's data.
    using Sink = std::function<Status(av::PacketPtr packet)>;

    // `startTimeUs`: the input's start, subtracted from every timestamp (audio is aligned to
    // the video's timeline). `lengthSeconds` > 0: the track is cut to that length and, with
    // `pad`, padded with silence up to it (a sidecar file against the video's duration); 0: as
    // long as it is.
    Status open(AVStream* stream, const QString& path, int audioKbps, int64_t startTimeUs,
                double lengthSeconds = 0, bool pad = false);
    bool isOpen() const { return m_encoder != nullptr; }
    int streamIndex() const { return m_decoder.stream() ? m_decoder.stream()->index : -1; }
    const AVCodecContext* encoder() const { return m_encoder.get(); }
    void setSink(Sink sink) { m_sink = std::move(sink); }

    // One packet of the lane's stream; null: the end (decoder, filters and encoder drained).
    Status decode(AVPacket* packet);

private:
    Status handleDecoded(AVFrame* frame);
    Status drainGraph();
    Status encode(AVFrame* frame);

    av::Decoder m_decoder;
    av::FilterGraph m_graph;
    av::CodecContextPtr m_encoder;
    Sink m_sink;
    int64_t m_startTimeUs = 0;
    int64_t m_lastPts = AV_NOPTS_VALUE;
    av::FramePtr m_frame = av::makeFrame();
    av::FramePtr m_filtered = av::makeFrame();
};

} // namespace hlsforge
