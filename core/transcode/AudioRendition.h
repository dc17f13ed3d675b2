#pragma once
// AudioRendition: one AAC audio track as a rendition of its own (an EXT-X-MEDIA:TYPE=AUDIO
// playlist and segments in one folder), fed the packets an AudioLane encodes once. Used for
// every audio track of a ladder with several (audio/<lang>/, the rungs video-only), for the
// audio-only variant, and by a chunked encode's audio index (core/cluster): its video chunks
// carry no audio, and chunked AAC would drift at every join (each chunk's encoder adds its own
// priming). Segments are cut every segmentSeconds, on the first AAC frame at or after each
// multiple, as the rungs' muxers cut on the first keyframe at or after it.

#include "ladder/Ladder.h"
#include "util/FfmpegPtr.h"
#include "util/Status.h"

#include <QString>

namespace hlsforge {

class AudioRendition {
public:
    // `directory` gets index.m3u8 and seg_NNNNN.ts|m4s (+ init.mp4), cut every segmentSeconds.
    // `tsOffsetSeconds` > 0 (TS only): timestamps moved by that much, as the video-only rungs'
    // (RenditionConfig::tsOffsetSeconds), instead of libavformat's shift by AAC's priming.
    AudioRendition(QString directory, SegmentFormat format, double segmentSeconds,
                   double tsOffsetSeconds = 0);
    Status open(const AVCodecContext* audioEncoder);
    Status write(AVPacket* packet); // in the encoder's time base; takes the packet's data
    Status finish();

private:
    QString m_directory;
    SegmentFormat m_format;
    double m_segmentSeconds;
    double m_tsOffsetSeconds;
    AVRational m_encoderTimeBase{1, 48000};
    av::OutputFormatPtr m_muxer;
    bool m_headerWritten = false;
};

} // namespace hlsforge
