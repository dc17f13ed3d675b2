#pragma once
// What one media segment holds, read from its packet headers (libavformat demuxing, no
// decoding): where its video starts and ends on the media timeline, whether it opens with an
// IDR, and — when asked — the stream facts a master playlist declares (CODECS, RESOLUTION,
// VIDEO-RANGE). For fMP4 the init segment's bytes go first.

#include "util/Status.h"

#include <QByteArray>
#include <QString>

namespace hlsforge::check {

struct SegmentScan {
    QString videoCodec; // "h264", "hevc", "av1", … (FFmpeg's name); empty: no video
    QString container;  // "mpegts", "mov,mp4,…"
    bool hasAudio = false;
    int videoPackets = 0;
    int keyframes = 0;
    double videoStartSeconds = -1;   // lowest video PTS
    double videoEndSeconds = -1;     // highest video PTS + its duration
    double frameSeconds = 0;         // one frame's duration, from the packets
    bool startsWithKeyframe = false; // the first video packet is flagged a keyframe…
    bool startsWithIdr = false; // …and is an IDR (H.264 NAL 5, HEVC IDR_W_RADL/N_LP; AV1 key)

    // With streamFacts only (costs a look at the first frames):
    QString videoCodecString; // "avc1.64001f", "hvc1.2.4.L120.90", "av01.0.08M.10"
    QString audioCodecString; // "mp4a.40.2"
    int width = 0;
    int height = 0;
    QString videoRange; // "SDR", "PQ", "HLG"
};

// `bytes`: the segment (with the init segment first for fMP4). `name` is for messages.
StatusOr<SegmentScan> scanSegment(const QByteArray& bytes, const QString& name, bool streamFacts);

} // namespace hlsforge::check
