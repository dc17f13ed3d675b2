#pragma once
// Decoder: a libavcodec decoder for one stream of an InputFile, opened the same way for probe,
// thumbnails and the transcode (packet time base set, so frames carry usable timestamps).
// It can also be fed packets directly (openParameters + send/receive): the quality meter
// decodes a rung's own encoded packets that way, without any file.

#include "av/InputFile.h"
#include "util/FfmpegPtr.h"
#include "util/Status.h"

#include <vector>

namespace hlsforge::av {

class Decoder {
public:
    // threads: 0 lets FFmpeg choose (the transcode), a small number keeps a quick look cheap.
    // Errors name the file and the codec ("clip.mkv: no decoder for vp6").
    Status open(AVStream* stream, const QString& path, int threads);
    // A decoder for packets from elsewhere (an encoder's output): `what` names them in errors.
    Status openParameters(const AVCodecParameters* parameters, AVRational packetTimeBase,
                          const QString& what, int threads);

    bool isOpen() const { return m_context != nullptr; }
    AVCodecContext* context() const { return m_context.get(); }
    AVStream* stream() const { return m_stream; }

    // The next frame of this stream, reading packets of `input` as needed (other streams' are
    // skipped, damaged ones too, as players do). At the end of the input, or once *packetBudget
    // packets have been read, the decoder is drained; then AVERROR_EOF.
    int nextFrame(InputFile& input, AVFrame* frame, int* packetBudget);
    // Fed directly (after openParameters): libavcodec's send/receive. A null packet drains.
    int sendPacket(const AVPacket* packet);
    int receiveFrame(AVFrame* frame);
    // For a seek: forgets buffered frames and any drain.
    void flush();
    // Packets of this stream sent to the decoder since open() or flush().
    int64_t packetsSent() const { return m_packetsSent; }
    // True once the input ended or the packet budget ran out: no more frames will come.
    bool draining() const { return m_draining; }
    // The same stream after its InputFile was opened again (InputFile::rewind() may do that):
    // the decoder goes on with packets read from the new open.
    void rebind(AVStream* stream) { m_stream = stream; }

private:
    CodecContextPtr m_context;
    AVStream* m_stream = nullptr;
    PacketPtr m_packet = makePacket();
    bool m_draining = false;
    int64_t m_packetsSent = 0;
};

// The first frames of a video stream as the probe's interlace scan decoded them, handed on
// with the decoder that made them (still open, mid-stream), so a transcode of the same open
// input goes on from there instead of decoding them a second time. After the input's rewind,
// the consumer skips the first `decoder.packetsSent()` packets of that stream.
struct DecodedPrefix {
    Decoder decoder; // its stream() may be gone after a rewind that reopened: use streamIndex
    int streamIndex = -1;
    std::vector<FramePtr> frames; // in output order, timestamps as decoded
    bool isValid() const { return decoder.isOpen(); }
};

} // namespace hlsforge::av
