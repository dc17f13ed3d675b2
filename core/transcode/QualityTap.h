#pragma once
// QualityTap: one rung's quality measurement inside the transcode (ladder "measureQuality").
//
// The reference is the frame the rung's encoder is given: the normalised source scaled to the
// rung's size (scale=W:H:flags=bicubic,format=yuv420p), exactly what the figures are
// measured against; the tap keeps a reference to each (no pixel copy) until its encoded
// version comes back. The distorted picture is the rung's own output: its encoded packets,
// decoded here on the rung's thread as they leave the encoder. The source is never decoded
// again. Pairs are matched by pts (the decoder returns frames in presentation order, the
// references were kept in that order), so at most the encoder's and decoder's delays' worth
// of references are held. The pairs go to a quality::QualityMeter.

#include "av/Decoder.h"
#include "quality/QualityMeter.h"
#include "util/FfmpegPtr.h"
#include "util/Status.h"

#include <deque>
#include <vector>

namespace hlsforge {

class QualityTap {
public:
    // encoder: the rung's opened encoder (its parameters and time base). meterThreads:
    // libavfilter's threads for psnr/ssim.
    Status open(const AVCodecContext* encoder, const QString& rungName, int meterThreads);
    bool isOpen() const { return m_decoder.isOpen(); }

    // The frame about to be sent to the encoder (pts in the encoder's time base).
    Status addReference(const AVFrame* frame);
    // A packet the encoder produced (still in the encoder's time base).
    Status addPacket(const AVPacket* packet);
    // After the encoder's last packet: drains the decoder and the meter.
    Status finish();

    // Complete after finish(): one record per frame, seconds counted from the rung's first
    // frame (where its first segment starts).
    std::vector<quality::FrameQuality> takeFrames();
    // References that never met their decoded frame (0 when all went well).
    int64_t unmatchedFrames() const { return m_unmatched; }

private:
    Status receiveFrames();

    QString m_rungName;
    AVRational m_timeBase{1, 30};
    av::Decoder m_decoder;
    std::unique_ptr<quality::QualityMeter> m_meter;
    std::deque<av::FramePtr> m_references;
    av::FramePtr m_decoded = av::makeFrame();
    int64_t m_unmatched = 0;
    int64_t m_firstPts = AV_NOPTS_VALUE;
};

} // namespace hlsforge
