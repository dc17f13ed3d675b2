#include "transcode/InputStage.h"

#include "util/FfmpegError.h"

#include <QThread>

extern "C" {
#include <libavutil/channel_layout.h>
}

#include <algorithm>
#include <chrono>
#include <thread>

namespace hlsforge {

namespace {
using namespace std::chrono_literals;
} // namespace

InputStage::InputStage(av::InputFile& input, const TranscodeRequest& request,
                       const ColourPlan& colour, const std::atomic<bool>* cancel,
                       std::function<void()> tick, TranscodeResult* result)
    : m_input(input), m_request(request), m_colour(colour), m_cancel(cancel),
      m_tick(std::move(tick)), m_result(*result) {}

Status InputStage::open() {
    const QString& path = m_request.inputPath;
    if (m_input.format()->start_time != AV_NOPTS_VALUE)
        m_startTimeUs = m_input.format()->start_time;

    AVStream* videoStream = m_input.stream(m_result.source.video.streamIndex);
    const FrameRange& range = m_request.range;
    if ((range.active && range.firstFrame > 0) || m_request.audioOnly)
        m_prefix = av::DecodedPrefix(); // the chunk starts elsewhere (seek below), or no video
    Status s;
    if (m_prefix.isValid() && m_prefix.streamIndex == videoStream->index) {
        // The probe decoded the first frames already: go on with its decoder (on the stream of
        // the input as it is now: the rewind may have opened the file again).
        m_video = std::move(m_prefix.decoder);
        m_video.rebind(videoStream);
        m_videoPacketsToSkip = m_video.packetsSent();
        m_result.decodedVideoFrames = int64_t(m_prefix.frames.size());
    } else {
        // The scan's frames are decoded again.
        m_result.decodedVideoFrames = m_result.source.video.scannedFrames;
        m_prefix.frames.clear();
        s = m_video.open(videoStream, path, 0);
    }
    if (!s.isOk())
        return s;
    decideTiming(videoStream);
    if (range.active && range.firstFrame > 0) {
        s = seekBefore(videoStream, range.firstFrame);
        if (!s.isOk())
            return s;
    }
    // A chunk carries no audio: the chunked layout encodes the whole track once, apart.
    if (!m_audioTracksSet) {
        m_audioStreams.clear();
        if (m_result.source.hasAudio)
            m_audioStreams.push_back(m_result.source.audio.streamIndex);
    }
    if (range.active)
        m_audioStreams.clear();
    s = openAudioLanes();
    if (!s.isOk())
        return s;
    for (unsigned i = 0; i < m_input.format()->nb_streams; ++i) {
        AVStream* st = m_input.stream(int(i));
        const bool tapped = std::any_of(m_packetTaps.begin(), m_packetTaps.end(),
                                        [&](const auto& t) { return t.first == int(i); });
        const bool used =
            (st == m_video.stream() && !m_request.audioOnly) || laneOfStream(int(i)) >= 0 || tapped;
        st->discard = used ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
    }
    return Status::ok();
}

// One lane per audio track carried. A track that cannot be decoded is a warning: the ladder is
// made without it (without audio, when it was the only one).
Status InputStage::openAudioLanes() {
    m_lanes.clear();
    m_audioSinks.assign(m_audioStreams.size(), {});
    for (size_t i = 0; i < m_audioStreams.size(); ++i) {
        auto lane = std::make_unique<AudioLane>();
        const Status s =
            lane->open(m_input.stream(m_audioStreams[i]), m_request.inputPath,
                       m_request.ladder.audioKbps, m_startTimeUs, m_audioLengthSeconds);
        if (!s.isOk()) {
            m_result.warnings << s.message() + (m_audioStreams.size() == 1
                                                    ? QStringLiteral("; the ladder is made "
                                                                     "without audio")
                                                    : QStringLiteral("; the ladder is made "
                                                                     "without this track"));
            m_lanes.push_back(nullptr);
            continue;
        }
        const int index = int(i);
        lane->setSink([this, index](av::PacketPtr p) { return sendAudio(index, std::move(p)); });
        m_lanes.push_back(std::move(lane));
    }
    // Which track is the ladder's (muxed) audio, or, with several, the default rendition.
    for (size_t i = 0; i < m_audioStreams.size(); ++i)
        if (m_lanes[i] && m_audioStreams[i] == m_result.source.audio.streamIndex)
            m_result.conversions << describeAudioChoice(m_result.source.audio);
    if (m_audioStreams.size() > 1)
        m_result.conversions << QStringLiteral(
                                    "audio: %1 tracks, each resampled to 48 kHz stereo and "
                                    "encoded to AAC-LC as its own rendition")
                                    .arg(m_audioStreams.size());
    return Status::ok();
}

int InputStage::laneOfStream(int streamIndex) const {
    for (size_t i = 0; i < m_lanes.size(); ++i)
        if (m_lanes[i] && m_lanes[i]->streamIndex() == streamIndex)
            return int(i);
    return -1;
}

const AVCodecContext* InputStage::audioEncoder(int lane) const {
    return audioLaneOpen(lane) ? m_lanes[size_t(lane)]->encoder() : nullptr;
}

bool InputStage::audioLaneOpen(int lane) const {
    return lane >= 0 && size_t(lane) < m_lanes.size() && m_lanes[size_t(lane)] &&
           m_lanes[size_t(lane)]->isOpen();
}

void InputStage::setAudioSink(int lane, std::function<Status(AVPacket*)> sink) {
    if (lane >= 0 && size_t(lane) < m_audioSinks.size())
        m_audioSinks[size_t(lane)] = std::move(sink);
}

// One AAC packet of a lane: to its rendition's muxer, and (the rungs' lane) to every rung that
// muxes audio.
Status InputStage::sendAudio(int lane, av::PacketPtr packet) {
    if (m_audioSinks[size_t(lane)]) {
        av::PacketPtr copy = av::refPacket(packet.get());
        Status s = m_audioSinks[size_t(lane)](copy.get());
        if (!s.isOk())
            return s;
    }
    if (lane != m_rungLane || m_audioRungs.empty())
        return Status::ok();
    PipelineItem item;
    item.audio = std::move(packet);
    return deliver(item, m_audioRungs);
}

Status InputStage::run(std::vector<std::unique_ptr<RenditionEncoder>>* rungs) {
    m_rungs = rungs;
    for (auto& r : *rungs) {
        if (r->config().audioEncoder)
            m_audioRungs.push_back(r.get());
        (r->config().rung.hdr ? m_hdrRungs : m_sdrRungs).push_back(r.get());
    }
    Status s = decodeAll();
    if (s.isOk())
        s = endStreams();
    return s;
}

// Frame rate and deinterlacing, decided once per source (FrameTiming.h), and said in words.
void InputStage::decideTiming(const AVStream* videoStream) {
    const FrameRateChoice rate =
        chooseFrameRate(videoStream->avg_frame_rate, videoStream->r_frame_rate);
    m_sourceRate = rate.rate;
    m_deinterlace = planDeinterlace(m_result.source.video, m_sourceRate);
    m_frameRate = m_deinterlace.outputRate;
    // Listed first: the result reads in the order the frames are processed (scan and rate,
    // then colour, then audio), though colour is decided earlier.
    QStringList timing{m_deinterlace.apply ? m_deinterlace.conversion : rate.conversion};
    const VideoInfo& v = m_result.source.video;
    if (!m_deinterlace.apply && v.fieldOrder != QLatin1String("progressive") &&
        v.fieldOrder != QLatin1String("unknown") && v.detectedScan == QLatin1String("progressive"))
        timing << QStringLiteral(
            "flagged interlaced, but the picture is progressive: not deinterlaced");
    m_result.conversions = timing + m_result.conversions;
}

// A chunk decodes from the keyframe at or before a second ahead of its first frame (the
// deinterlacer and the rate filter settle on the frames before it); deliverVideoFrames drops
// the frames before the chunk by their absolute number.
Status InputStage::seekBefore(AVStream* videoStream, int64_t firstFrame) {
    constexpr double kLeadSeconds = 1.0;
    const double seconds =
        std::max(0.0, double(firstFrame) * av_q2d(av_inv_q(m_frameRate)) - kLeadSeconds);
    const int64_t target = av_rescale_q(int64_t(seconds * AV_TIME_BASE) + m_startTimeUs,
                                        AV_TIME_BASE_Q, videoStream->time_base);
    const int rc = m_input.seek(videoStream->index, target, AVSEEK_FLAG_BACKWARD);
    if (rc < 0)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: cannot seek to %2 s for this chunk (%3)")
                                 .arg(m_request.inputPath)
                                 .arg(seconds, 0, 'f', 3)
                                 .arg(av::errorString(rc)));
    avcodec_flush_buffers(m_video.context());
    m_videoPacketsToSkip = 0;
    // From the keyframe up to the lead second no frame is used: the frames nothing refers to
    // (non-reference B-frames) need not be decoded; the lead second itself is decoded whole. With a
    // long-GOP source (a keyframe every 8 s) this pre-roll was a third of a 12 s chunk's decode
    // (bench/cluster-vs-single.py).
    m_preRollEndPts = target;
    return Status::ok();
}

// With a chunk: is this normalised frame one of the chunk's (frames before it are dropped,
// frames after it end the reading)?
bool InputStage::inRange(const AVFrame* frame) {
    const FrameRange& range = m_request.range;
    if (!range.active)
        return true;
    const int64_t number =
        av_rescale_q(frame->pts, m_videoGraph.outputTimeBase(), av_inv_q(m_frameRate));
    const bool past = range.endFrame >= 0 && number >= range.endFrame;
    m_rangeDone = m_rangeDone || past;
    return number >= range.firstFrame && !past;
}

Status InputStage::decodeAll() {
    for (av::FramePtr& frame : m_prefix.frames) {
        Status s = handleDecodedVideo(frame.get());
        frame.reset(); // one reference less as soon as it is on its way
        if (!s.isOk())
            return s;
    }
    m_prefix.frames.clear();
    for (;;) {
        if (cancelled())
            return Status::cancelled();
        m_tick();
        if (m_rangeDone)
            break; // the chunk's last frame is out
        const int rc = m_input.read(m_packet.get());
        if (rc == AVERROR_EOF)
            break;
        if (rc == AVERROR_EXIT)
            return Status::cancelled();
        if (rc < 0) {
            // A read error mid-file (truncated data): keep what was decoded, say so.
            m_result.warnings << QStringLiteral("%1: input ends early (%2); the ladder stops there")
                                     .arg(m_request.inputPath, av::errorString(rc));
            break;
        }
        Status s;
        if (m_packet->stream_index == m_video.stream()->index && m_request.audioOnly)
            ; // the probe's kept packets come back even from a discarded stream
        else if (m_packet->stream_index == m_video.stream()->index && m_videoPacketsToSkip > 0)
            --m_videoPacketsToSkip; // the prefix's decoder had it
        else if (m_packet->stream_index == m_video.stream()->index)
            s = decodeVideoPacket(m_packet.get());
        else if (const int lane = laneOfStream(m_packet->stream_index); lane >= 0)
            s = m_lanes[size_t(lane)]->decode(m_packet.get());
        else
            for (const auto& [index, tap] : m_packetTaps)
                if (index == m_packet->stream_index)
                    tap(m_packet.get());
        av_packet_unref(m_packet.get());
        if (!s.isOk())
            return s;
    }
    // Audio only: the video stream was never read (discarded), so there is nothing to flush.
    Status s = m_request.audioOnly ? Status::ok() : decodeVideoPacket(nullptr);
    if (!s.isOk())
        return s;
    for (auto& lane : m_lanes)
        if (lane && s.isOk())
            s = lane->decode(nullptr);
    return s;
}

Status InputStage::decodeVideoPacket(AVPacket* packet) {
    AVCodecContext* dec = m_video.context();
    if (m_preRollEndPts != AV_NOPTS_VALUE && packet) {
        // The decoder reads skip_frame per packet (frame threads copy it from this context).
        // A packet without a PTS is decoded: it may be one to show.
        const bool preRoll = packet->pts != AV_NOPTS_VALUE && packet->pts < m_preRollEndPts;
        dec->skip_frame = preRoll ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
        if (!preRoll && packet->pts != AV_NOPTS_VALUE && packet->pts >= m_preRollEndPts)
            m_preRollEndPts =
                AV_NOPTS_VALUE; // every frame from here on (a late B-frame costs little)
    }
    int rc = avcodec_send_packet(dec, packet);
    if (rc < 0 && rc != AVERROR_EOF) {
        if (rc == AVERROR_INVALIDDATA) {
            ++m_corruptPackets;
            return Status::ok(); // skip a damaged packet, as players do
        }
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: video decoding failed (%2)")
                                 .arg(m_request.inputPath, av::errorString(rc)));
    }
    for (;;) {
        rc = avcodec_receive_frame(dec, m_frame.get());
        if (rc == AVERROR(EAGAIN))
            return Status::ok();
        if (rc == AVERROR_EOF)
            return packet ? Status::ok() : drainVideoGraph();
        if (rc < 0) {
            ++m_corruptPackets;
            return Status::ok();
        }
        ++m_result.decodedVideoFrames;
        Status s = handleDecodedVideo(m_frame.get());
        av_frame_unref(m_frame.get());
        if (!s.isOk())
            return s;
    }
}

Status InputStage::handleDecodedVideo(AVFrame* frame) {
    const AVRational tb = m_video.stream()->time_base;
    int64_t pts = frame->best_effort_timestamp;
    if (pts == AV_NOPTS_VALUE)
        pts = m_lastVideoPts == AV_NOPTS_VALUE
                  ? 0
                  : m_lastVideoPts + std::max<int64_t>(1, m_lastVideoDuration);
    pts -= av_rescale_q(m_startTimeUs, AV_TIME_BASE_Q, tb);
    if (m_lastVideoPts != AV_NOPTS_VALUE && pts <= m_lastVideoPts)
        return Status::ok(); // duplicate or out-of-order timestamp: drop, as ffmpeg's vsync does
    m_lastVideoDuration =
        frame->pkt_duration > 0 ? frame->pkt_duration : av_rescale_q(1, av_inv_q(m_sourceRate), tb);
    m_lastVideoPts = pts;
    frame->pts = pts;
    if (!m_videoGraph.isReady()) {
        // Normalise once for every rung: progressive (deinterlaced once, not per rung),
        // constant frame rate (keyframes by timestamp need it, and Apple's spec wants it) and
        // upright orientation.
        char fps[64];
        snprintf(fps, sizeof fps, "fps=fps=%d/%d", m_frameRate.num, m_frameRate.den);
        const std::string rotation = av::rotationFilter(m_result.source.video.rotationDegrees);
        std::string filters;
        if (m_deinterlace.apply)
            av::appendFilter(&filters, m_deinterlace.filter);
        av::appendFilter(&filters, fps);
        if (hasHdrStream()) {
            // Two normalised streams from one graph, so both have the very same frames (the
            // rungs' keyframes stay aligned): deinterlace, constant rate and rotation once,
            // then the SDR colour chain (sink 0) and the HDR keep chain (sink 1).
            av::appendFilter(&filters, rotation);
            filters = "[in]" + filters + ",split=2[sdr][hdr];[sdr]" +
                      (m_colour.filter.empty() ? std::string("null") : m_colour.filter) +
                      "[out0];[hdr]" + m_colour.hdrFilter + "[out1]";
        } else {
            // Order: deinterlace (on the source's fields), constant rate, colour, rotation
            // (turned after the colour chain, on 8-bit samples).
            av::appendFilter(&filters, m_colour.filter);
            av::appendFilter(&filters, rotation);
        }
        // A tone map is the one costly step here (the float chain: ~35 ms a 1080p frame on
        // one core); slice threads keep it from holding back the rungs, as ffmpeg's do.
        const int threads = m_colour.filter.empty() ? 1 : std::min(8, QThread::idealThreadCount());
        Status s = m_videoGraph.initVideo(frame, tb, m_sourceRate, filters, std::max(1, threads),
                                          hasHdrStream() ? 2 : 1);
        if (!s.isOk())
            return s;
    }
    Status s = m_videoGraph.push(frame);
    if (!s.isOk())
        return s;
    return deliverVideoFrames();
}

void InputStage::keepPosterCandidate(const AVFrame* frame) {
    static constexpr double kFractions[] = {0.1, 0.25, 0.4, 0.55};
    const size_t taken = m_posterCandidates.size();
    const double duration = m_result.source.durationSeconds;
    if (taken >= std::size(kFractions))
        return;
    const double seconds = frame->pts * av_q2d(m_videoGraph.outputTimeBase());
    if (duration <= 0 || seconds >= kFractions[taken] * duration)
        m_posterCandidates.push_back(av::refFrame(frame));
}

// Hands every frame the normalising graph has ready to the rungs: the SDR stream to the SDR
// rungs (and the poster), the HDR stream, when there is one, to the HDR rungs.
Status InputStage::deliverVideoFrames() {
    Status s = m_videoGraph.pullEach(m_filtered.get(), [this](AVFrame* frame) {
        if (!inRange(frame)) {
            av_frame_unref(frame);
            return Status::ok();
        }
        PipelineItem item;
        item.frame.reset(av_frame_alloc());
        av_frame_move_ref(item.frame.get(), frame);
        keepPosterCandidate(item.frame.get());
        if (m_frameTap)
            m_frameTap(item.frame.get());
        return deliver(item, m_sdrRungs);
    });
    if (!s.isOk() || !hasHdrStream())
        return s;
    return m_videoGraph.pullEach(
        m_filtered.get(),
        [this](AVFrame* frame) {
            if (!inRange(frame)) {
                av_frame_unref(frame);
                return Status::ok();
            }
            PipelineItem item;
            item.frame.reset(av_frame_alloc());
            av_frame_move_ref(item.frame.get(), frame);
            return deliver(item, m_hdrRungs);
        },
        1);
}

Status InputStage::drainVideoGraph() {
    if (!m_videoGraph.isReady())
        return Status::error(
            Status::Code::InvalidInput,
            QStringLiteral("%1: no decodable video frames").arg(m_request.inputPath));
    Status s = m_videoGraph.close(m_lastVideoPts + m_lastVideoDuration);
    if (!s.isOk())
        return s;
    return deliverVideoFrames();
}

// Hands one item to each of `targets`. Frames are shared by reference (no pixel copies); a
// full queue makes us wait, which is what keeps memory flat. While waiting we keep reporting
// progress and watching for cancel.
Status InputStage::deliver(PipelineItem& prototype, const std::vector<RenditionEncoder*>& targets) {
    for (size_t i = 0; i < targets.size(); ++i) {
        PipelineItem item;
        const bool last = i + 1 == targets.size();
        if (last) {
            item = std::move(prototype);
        } else if (prototype.frame) {
            item.frame = av::refFrame(prototype.frame.get());
        } else {
            item.audio = av::refPacket(prototype.audio.get());
        }
        for (;;) {
            if (cancelled())
                return Status::cancelled();
            bool closed = false;
            if (targets[i]->queue().pushFor(item, 100ms, &closed))
                break;
            if (closed) {
                const Status s = targets[i]->status();
                return s.isOk() ? Status::error(Status::Code::Internal,
                                                QStringLiteral("encoder stopped"))
                                : s;
            }
            m_tick();
        }
    }
    return Status::ok();
}

Status InputStage::endStreams() {
    if (m_corruptPackets > 0)
        m_result.warnings << QStringLiteral("%1: %2 damaged video packets were skipped")
                                 .arg(m_request.inputPath)
                                 .arg(m_corruptPackets);
    for (auto& e : rungs()) {
        PipelineItem end;
        end.endOfStream = true;
        for (;;) {
            if (cancelled())
                return Status::cancelled();
            bool closed = false;
            if (e->queue().pushFor(end, 100ms, &closed))
                break;
            if (closed)
                return e->status();
            m_tick();
        }
    }
    // Keep reporting (and honouring cancel) while the rungs drain their encoders.
    for (;;) {
        bool allDone = true;
        for (auto& e : rungs())
            allDone = allDone && e->finished.load();
        if (allDone)
            break;
        if (cancelled())
            return Status::cancelled();
        std::this_thread::sleep_for(50ms);
        m_tick();
    }
    return Status::ok();
}

} // namespace hlsforge
