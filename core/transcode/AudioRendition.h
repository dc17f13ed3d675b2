#pragma once
// AudioRendition: the ladder's AAC audio as a rendition of its own (an EXT-X-MEDIA:TYPE=AUDIO
// playlist and segments in one folder), fed the packets the input stage encodes once. Used by
// a chunked encode's audio index (core/cluster): its video chunks carry no audio, and
// chunked AAC would drift at every join (each chunk's encoder adds its own priming).

#include "ladder/Ladder.h"
#include "util/FfmpegPtr.h"
#include "util/Status.h"

#include <QString>

namespace hlsforge {

class AudioRendition {
public:
    // `directory` gets index.m3u8 and seg_NNNNN.ts|m4s (+ init.mp4), cut every segmentSeconds.
    AudioRendition(QString directory, SegmentFormat format, double segmentSeconds);
    Status open(const AVCodecContext* audioEncoder);
    Status write(AVPacket* packet); // in the encoder's time base; takes the packet's data
    Status finish();

private:
    QString m_directory;
    SegmentFormat m_format;
    double m_segmentSeconds;
    AVRational m_encoderTimeBase{1, 48000};
    av::OutputFormatPtr m_muxer;
    bool m_headerWritten = false;
};

} // namespace hlsforge
