#include "transcode/QualityTap.h"

#include "util/FfmpegError.h"

namespace hlsforge {

Status QualityTap::open(const AVCodecContext* encoder, const QString& rungName, int meterThreads) {
    m_rungName = rungName;
    m_timeBase = encoder->time_base;
    av::CodecParametersPtr parameters(avcodec_parameters_alloc());
    if (!parameters)
        return Status::error(Status::Code::Internal, QStringLiteral("out of memory"));
    avcodec_parameters_from_context(parameters.get(), encoder);
    // One thread: the rungs already run in parallel, and frame threads would only add delay
    // (more references held) for no gain on a busy machine.
    Status s = m_decoder.openParameters(
        parameters.get(), encoder->time_base,
        QStringLiteral("rendition %1 (quality measurement)").arg(rungName), 1);
    if (!s.isOk())
        return s;
    m_meter = std::make_unique<quality::QualityMeter>(meterThreads);
    return Status::ok();
}

Status QualityTap::addReference(const AVFrame* frame) {
    av::FramePtr ref = av::refFrame(frame);
    if (!ref)
        return Status::error(Status::Code::Internal, QStringLiteral("out of memory"));
    if (m_firstPts == AV_NOPTS_VALUE)
        m_firstPts = frame->pts;
    m_references.push_back(std::move(ref));
    return Status::ok();
}

Status QualityTap::addPacket(const AVPacket* packet) {
    const int rc = m_decoder.sendPacket(packet);
    if (rc < 0 && rc != AVERROR(EAGAIN))
        return Status::error(Status::Code::Internal,
                             QStringLiteral("rendition %1: cannot decode its own output for the "
                                            "quality measurement (%2)")
                                 .arg(m_rungName, av::errorString(rc)));
    return receiveFrames();
}

Status QualityTap::receiveFrames() {
    for (;;) {
        const int rc = m_decoder.receiveFrame(m_decoded.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return Status::ok();
        if (rc < 0)
            return Status::error(Status::Code::Internal,
                                 QStringLiteral("rendition %1: decoding its own output for the "
                                                "quality measurement failed (%2)")
                                     .arg(m_rungName, av::errorString(rc)));
        const int64_t pts =
            m_decoded->pts != AV_NOPTS_VALUE ? m_decoded->pts : m_decoded->best_effort_timestamp;
        // References older than this frame have no decoded twin (an encoder never drops
        // frames, so this stays 0; counted rather than trusted).
        while (!m_references.empty() && m_references.front()->pts < pts) {
            m_references.pop_front();
            ++m_unmatched;
        }
        Status s;
        if (!m_references.empty() && m_references.front()->pts == pts) {
            s = m_meter->add(m_references.front().get(), m_decoded.get(), m_timeBase);
            m_references.pop_front();
        }
        av_frame_unref(m_decoded.get());
        if (!s.isOk())
            return s;
    }
}

Status QualityTap::finish() {
    if (!isOpen())
        return Status::ok();
    m_decoder.sendPacket(nullptr);
    Status s = receiveFrames();
    if (!s.isOk())
        return s;
    m_unmatched += int64_t(m_references.size());
    m_references.clear();
    return m_meter->finish();
}

std::vector<quality::FrameQuality> QualityTap::takeFrames() {
    if (!m_meter)
        return {};
    std::vector<quality::FrameQuality> frames = m_meter->frames();
    const double origin = m_firstPts == AV_NOPTS_VALUE ? 0 : m_firstPts * av_q2d(m_timeBase);
    for (quality::FrameQuality& f : frames)
        f.seconds -= origin;
    return frames;
}

} // namespace hlsforge
