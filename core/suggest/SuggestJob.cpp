#include "suggest/SuggestJob.h"

#include "av/Decoder.h"
#include "av/FilterGraph.h"
#include "av/InputFile.h"
#include "probe/MediaProbe.h"
#include "quality/QualityMeter.h"
#include "transcode/VideoEncoder.h"
#include "util/FfmpegError.h"

#include <QElapsedTimer>
#include <QFileInfo>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <algorithm>
#include <climits>
#include <cmath>

namespace hlsforge::suggest {

namespace {

// Four windows of a second: enough to see calm and busy scenes of a typical title, small
// enough that the trials stay a fraction of the ladder's own encode (bench/suggest-cost.py).
constexpr int kWindowCount = 4;
constexpr double kWindowSeconds = 1.0;
// The ladder's heights; a source between two of them adds its own as the top.
constexpr int kStandardHeights[] = {2160, 1440, 1080, 720, 540, 360, 240};
// The bitrate grid, in bits per pixel per frame (1080p30: 0.016 = 1 Mb/s): a trial starts at
// kStartBpp and doubles up while quality is below the target and still rising, halves down
// while there is room to find where the next resolution takes over.
constexpr double kStartBpp = 0.016;
constexpr double kMaxBpp = 0.16; // 1080p30: 10 Mb/s, above Apple's 7.8 Mb/s top rung
constexpr double kMinBpp = 0.004;
constexpr int kMinTrialKbps = 40;
constexpr double kSaturatedDb = 0.3; // a doubling that buys less than this: stop going up
constexpr double kLowestUsefulPsnr = 30;
constexpr int kMaxTrialsPerHeight = 6;

struct Resolution {
    int ladderHeight = 0; // the short side, as a rung's height
    int width = 0;        // the picture
    int height = 0;
};

class Analysis {
public:
    Analysis(const QString& path, const SuggestOptions& options, const CancelToken& cancel,
             ProgressSink& progress)
        : m_path(path), m_name(QFileInfo(path).fileName()), m_options(options), m_cancel(cancel),
          m_progress(progress) {
        m_clock.start();
    }

    Status run(Suggestion* out);

private:
    Status open();
    Status scanPackets(std::vector<double>* bytesPerSecond);
    Status decodeWindows(const std::vector<SampleWindow>& windows);
    QVector<Resolution> resolutions() const;
    Status scaleTo(const Resolution& r);
    Status trial(const Resolution& r, int kbps, TrialPoint* point);
    Status searchHeight(const Resolution& r, QVector<TrialPoint>* points);
    void report(JobPhase phase, double fraction, const QString& text);
    Status cancelled() const { return Status::cancelled(); }

    const QString m_path;
    const QString m_name;
    const SuggestOptions& m_options;
    const CancelToken& m_cancel;
    ProgressSink& m_progress;
    QElapsedTimer m_clock;

    av::InputFile m_input;
    MediaInfo m_info;
    int m_sourceWidth = 0; // display size, upright, even
    int m_sourceHeight = 0;
    AVRational m_frameRate{30, 1};
    int m_gopFrames = 60;
    std::vector<av::FramePtr> m_frames; // the sampled source frames, pts 0..n-1
    std::vector<bool> m_windowStart;    // a keyframe here: each window starts a GOP
    int m_framesPerWindow = 0;
    std::vector<av::FramePtr> m_scaled; // m_frames at the current trial resolution
    Resolution m_scaledTo;
    int m_topTargetKbps = 0; // the lowest rate at which a trial reached the target
    int m_trialsDone = 0;
    int m_trialsExpected = 1;
};

void Analysis::report(JobPhase phase, double fraction, const QString& text) {
    JobProgress p;
    p.phase = phase;
    p.fraction = std::clamp(fraction, 0.0, 1.0);
    p.elapsedSeconds = m_clock.nsecsElapsed() / 1e9;
    if (p.fraction > 0.1)
        p.etaSeconds = p.elapsedSeconds * (1 - p.fraction) / p.fraction;
    p.text = text;
    m_progress.report(p);
}

Status Analysis::open() {
    Status s = m_input.open(m_path, m_cancel.flag());
    if (!s.isOk())
        return s;
    StatusOr<MediaInfo> info = probeInput(m_input);
    if (!info.isOk())
        return info.status();
    m_info = info.value();
    s = checkTranscodable(m_info);
    if (!s.isOk())
        return s;
    const VideoInfo& v = m_info.video;
    m_sourceWidth = v.displayWidth & ~1;
    m_sourceHeight = v.displayHeight & ~1;
    if (m_sourceWidth < 16 || m_sourceHeight < 16)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: the picture is too small to suggest a ladder "
                                            "for (%2x%3)")
                                 .arg(m_path)
                                 .arg(v.displayWidth)
                                 .arg(v.displayHeight));
    if (v.frameRateNum > 0 && v.frameRateDen > 0)
        m_frameRate = AVRational{v.frameRateNum, v.frameRateDen};
    else if (v.baseFrameRateNum > 0 && v.baseFrameRateDen > 0)
        m_frameRate = AVRational{v.baseFrameRateNum, v.baseFrameRateDen};
    if (!(m_info.durationSeconds > 0))
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: its duration is unknown, so no scenes can be "
                                            "sampled")
                                 .arg(m_path));
    m_gopFrames = std::max(1, int(std::lround(m_options.base.gopSeconds() * av_q2d(m_frameRate))));
    return Status::ok();
}

Status Analysis::scanPackets(std::vector<double>* bytesPerSecond) {
    // Packets only, no decode: a 60 s 1080p file is read in well under a second.
    const int index = m_info.video.streamIndex;
    const AVStream* stream = m_input.stream(index);
    const double tb = av_q2d(stream->time_base);
    const int64_t start = stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;
    bytesPerSecond->assign(size_t(std::ceil(m_info.durationSeconds)) + 1, 0.0);
    av::PacketPtr packet = av::makePacket();
    int64_t count = 0;
    while (m_input.read(packet.get()) >= 0) {
        if (m_cancel.isCancelled())
            return cancelled();
        if (packet->stream_index == index) {
            const int64_t ts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
            if (ts != AV_NOPTS_VALUE) {
                const double seconds = (ts - start) * tb;
                const size_t k =
                    size_t(std::clamp(seconds, 0.0, double(bytesPerSecond->size() - 1)));
                (*bytesPerSecond)[k] += packet->size;
                if (++count % 200 == 0)
                    report(JobPhase::Probing, 0.05 * seconds / m_info.durationSeconds,
                           QStringLiteral("reading scenes"));
            }
        }
        av_packet_unref(packet.get());
    }
    return Status::ok();
}

Status Analysis::decodeWindows(const std::vector<SampleWindow>& windows) {
    const int index = m_info.video.streamIndex;
    AVStream* stream = m_input.stream(index);
    av::Decoder decoder;
    Status s = decoder.open(stream, m_path, 0);
    if (!s.isOk())
        return s;
    const double fps = av_q2d(m_frameRate);
    const qint64 frameBytes = qint64(m_sourceWidth) * m_sourceHeight * 3 / 2;
    m_framesPerWindow = std::max(2, int(std::lround(kWindowSeconds * fps)));
    m_framesPerWindow = std::max<qint64>(
        2, std::min<qint64>(m_framesPerWindow,
                            SuggestJob::kSampleBytesMax / (frameBytes * qint64(windows.size()))));

    // The source as every rung sees it: upright, display size, 8-bit 4:2:0 (the transcode's
    // normalisation minus deinterlacing and HDR tone mapping).
    std::string filters = av::rotationFilter(m_info.video.rotationDegrees);
    char scale[128];
    snprintf(scale, sizeof scale, "scale=%d:%d:flags=bicubic,format=yuv420p,setsar=1",
             m_sourceWidth, m_sourceHeight);
    av::appendFilter(&filters, scale);
    av::FilterGraph normalise;
    av::FramePtr frame = av::makeFrame();
    av::FramePtr out = av::makeFrame();
    const double tb = av_q2d(stream->time_base);
    const int64_t start = stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;

    for (size_t w = 0; w < windows.size(); ++w) {
        const SampleWindow& window = windows[w];
        const int64_t target = start + int64_t(window.startSeconds / tb);
        if (m_input.seek(index, target, AVSEEK_FLAG_BACKWARD) < 0 && w > 0)
            return Status::error(Status::Code::InvalidInput,
                                 QStringLiteral("%1: cannot seek to %2 s to sample a scene")
                                     .arg(m_path)
                                     .arg(window.startSeconds, 0, 'f', 1));
        decoder.flush();
        int budget = INT_MAX;
        int taken = 0;
        bool first = true;
        while (taken < m_framesPerWindow) {
            if (m_cancel.isCancelled())
                return cancelled();
            const int rc = decoder.nextFrame(m_input, frame.get(), &budget);
            if (rc == AVERROR_EOF)
                break;
            if (rc < 0)
                return Status::error(Status::Code::InvalidInput,
                                     QStringLiteral("%1: cannot decode the video (%2)")
                                         .arg(m_path, av::errorString(rc)));
            const int64_t ts = frame->best_effort_timestamp != AV_NOPTS_VALUE
                                   ? frame->best_effort_timestamp
                                   : frame->pts;
            if (ts != AV_NOPTS_VALUE && (ts - start) * tb < window.startSeconds - 0.5 / fps) {
                av_frame_unref(frame.get());
                continue; // before the window: the seek lands on the keyframe before it
            }
            if (!normalise.isReady()) {
                s = normalise.initVideo(frame.get(), stream->time_base, m_frameRate, filters, 0);
                if (!s.isOk())
                    return s;
            }
            s = normalise.push(frame.get());
            av_frame_unref(frame.get());
            if (!s.isOk())
                return s;
            s = normalise.pullEach(out.get(), [&](AVFrame* f) {
                if (taken >= m_framesPerWindow)
                    return Status::ok();
                av::FramePtr kept = av::makeFrame();
                av_frame_move_ref(kept.get(), f);
                kept->pts = int64_t(m_frames.size());
                kept->pict_type = AV_PICTURE_TYPE_NONE;
                m_windowStart.push_back(first);
                first = false;
                m_frames.push_back(std::move(kept));
                ++taken;
                return Status::ok();
            });
            if (!s.isOk())
                return s;
        }
        report(JobPhase::Probing, 0.05 + 0.05 * double(w + 1) / double(windows.size()),
               QStringLiteral("decoding scene %1 of %2").arg(w + 1).arg(windows.size()));
    }
    if (m_frames.size() < 2)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: no video frames could be decoded").arg(m_path));
    return Status::ok();
}

QVector<Resolution> Analysis::resolutions() const {
    const bool portrait = m_sourceHeight > m_sourceWidth;
    const int shortSide = std::min(m_sourceWidth, m_sourceHeight);
    const int cap = m_options.maxHeight > 0 ? std::min(shortSide, m_options.maxHeight) : shortSide;
    Ladder ladder;
    for (int h : kStandardHeights)
        if (h <= cap)
            ladder.renditions.append(Rendition{QString(), h, 1000, 0});
    // A source between standard heights (800p, 480p): its own size is the best top rung.
    if (ladder.renditions.isEmpty() ||
        (cap == shortSide && ladder.renditions.first().height != cap))
        ladder.renditions.prepend(Rendition{QString(), cap & ~1, 1000, 0});
    QVector<Resolution> out;
    // resolveRenditions: the same even sizes from the display aspect as the transcode's.
    for (const ResolvedRendition& r : resolveRenditions(ladder, m_sourceWidth, m_sourceHeight)) {
        Resolution res{portrait ? r.width : r.height, r.width, r.height};
        bool seen = false;
        for (const Resolution& o : out)
            seen = seen || o.ladderHeight == res.ladderHeight;
        if (!seen)
            out.append(res);
    }
    return out;
}

Status Analysis::scaleTo(const Resolution& r) {
    if (m_scaledTo.width == r.width && m_scaledTo.height == r.height)
        return Status::ok();
    m_scaled.clear();
    m_scaledTo = Resolution{};
    // As a rung scales (RenditionEncoder::handleFrame).
    char filters[128];
    snprintf(filters, sizeof filters, "scale=%d:%d:flags=bicubic,format=yuv420p,setsar=1", r.width,
             r.height);
    av::FilterGraph scaler;
    av::FramePtr out = av::makeFrame();
    for (const av::FramePtr& f : m_frames) {
        if (!scaler.isReady()) {
            Status s = scaler.initVideo(f.get(), AVRational{m_frameRate.den, m_frameRate.num},
                                        m_frameRate, filters, 0);
            if (!s.isOk())
                return s;
        }
        Status s = scaler.push(f.get());
        if (s.isOk())
            s = scaler.pullEach(out.get(), [&](AVFrame* scaled) {
                av::FramePtr kept = av::makeFrame();
                av_frame_move_ref(kept.get(), scaled);
                m_scaled.push_back(std::move(kept));
                return Status::ok();
            });
        if (!s.isOk())
            return s;
    }
    if (m_scaled.size() != m_frames.size())
        return Status::error(Status::Code::Internal,
                             QStringLiteral("%1: scaling the samples to %2x%3 lost frames")
                                 .arg(m_name)
                                 .arg(r.width)
                                 .arg(r.height));
    m_scaledTo = r;
    return Status::ok();
}

Status Analysis::trial(const Resolution& r, int kbps, TrialPoint* point) {
    Status s = scaleTo(r);
    if (!s.isOk())
        return s;
    const AVRational timeBase{m_frameRate.den, m_frameRate.num};
    // The ladder's own encoder set-up (keyframes, VBV at 110 % with a 2x buffer, preset).
    VideoEncoderSettings settings;
    settings.codec = VideoCodec::H264;
    settings.rungName = QStringLiteral("%1p trial").arg(r.ladderHeight);
    settings.width = r.width;
    settings.height = r.height;
    settings.timeBase = timeBase;
    settings.frameRate = m_frameRate;
    Rendition rung{QString(), r.ladderHeight, kbps, 0};
    settings.videoKbps = kbps;
    settings.maxKbps = rung.effectiveMaxKbps();
    settings.bufferKbits = settings.maxKbps * 2;
    settings.gopFrames = m_gopFrames;
    settings.x264Preset = m_options.base.x264Preset;
    settings.threads = 0;
    StatusOr<OpenedVideoEncoder> opened = openVideoEncoder(settings);
    if (!opened.isOk())
        return opened.status();
    AVCodecContext* encoder = opened->context.get();

    av::CodecParametersPtr parameters(avcodec_parameters_alloc());
    avcodec_parameters_from_context(parameters.get(), encoder);
    av::Decoder decoder;
    s = decoder.openParameters(parameters.get(), timeBase, settings.rungName, 0);
    if (!s.isOk())
        return s;
    const bool upscale = r.width != m_sourceWidth || r.height != m_sourceHeight;
    char filters[96];
    snprintf(filters, sizeof filters, "scale=%d:%d:flags=bicubic", m_sourceWidth, m_sourceHeight);
    av::FilterGraph upscaler;
    quality::QualityMeter meter(0, /*withSsim=*/false);
    av::PacketPtr packet = av::makePacket();
    av::FramePtr decoded = av::makeFrame();
    av::FramePtr up = av::makeFrame();
    qint64 keyBytes = 0, otherBytes = 0;

    auto measure = [&](AVFrame* distorted) -> Status {
        const int64_t pts =
            distorted->pts != AV_NOPTS_VALUE ? distorted->pts : distorted->best_effort_timestamp;
        if (pts < 0 || pts >= int64_t(m_frames.size()))
            return Status::ok();
        distorted->pts = pts;
        return meter.add(m_frames[size_t(pts)].get(), distorted, timeBase);
    };
    auto receiveDecoded = [&]() -> Status {
        for (;;) {
            const int rc = decoder.receiveFrame(decoded.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
                return Status::ok();
            if (rc < 0)
                return Status::error(Status::Code::Internal,
                                     QStringLiteral("%1: decoding a trial failed (%2)")
                                         .arg(settings.rungName, av::errorString(rc)));
            Status st;
            if (!upscale) {
                st = measure(decoded.get());
            } else {
                if (!upscaler.isReady())
                    st = upscaler.initVideo(decoded.get(), timeBase, m_frameRate, filters, 0);
                if (st.isOk())
                    st = upscaler.push(decoded.get());
                if (st.isOk())
                    st = upscaler.pullEach(up.get(), measure);
            }
            av_frame_unref(decoded.get());
            if (!st.isOk())
                return st;
        }
    };
    auto receivePackets = [&]() -> Status {
        for (;;) {
            const int rc = avcodec_receive_packet(encoder, packet.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
                return Status::ok();
            if (rc < 0)
                return Status::error(Status::Code::Internal,
                                     QStringLiteral("%1: encoding failed (%2)")
                                         .arg(settings.rungName, av::errorString(rc)));
            (packet->flags & AV_PKT_FLAG_KEY ? keyBytes : otherBytes) += packet->size;
            decoder.sendPacket(packet.get());
            av_packet_unref(packet.get());
            Status st = receiveDecoded();
            if (!st.isOk())
                return st;
        }
    };

    for (size_t i = 0; i < m_scaled.size(); ++i) {
        if (m_cancel.isCancelled())
            return cancelled();
        av::FramePtr f = av::refFrame(m_scaled[i].get());
        f->pts = int64_t(i);
        // Each window starts a GOP, as a segment does in the ladder (forced IDR).
        f->pict_type = m_windowStart[i] ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
        const int rc = avcodec_send_frame(encoder, f.get());
        if (rc < 0)
            return Status::error(Status::Code::Internal,
                                 QStringLiteral("%1: encoding failed (%2)")
                                     .arg(settings.rungName, av::errorString(rc)));
        s = receivePackets();
        if (!s.isOk())
            return s;
    }
    avcodec_send_frame(encoder, nullptr);
    s = receivePackets();
    if (s.isOk()) {
        decoder.sendPacket(nullptr);
        s = receiveDecoded();
    }
    if (s.isOk())
        s = meter.finish();
    if (!s.isOk())
        return s;
    const quality::QualitySummary summary = meter.summary();
    if (summary.frames < int(m_frames.size()) / 2)
        return Status::error(Status::Code::Internal,
                             QStringLiteral("%1: only %2 of %3 frames came back from the trial")
                                 .arg(settings.rungName)
                                 .arg(summary.frames)
                                 .arg(m_frames.size()));
    // The windows are shorter than the ladder's GOP, so each holds a whole keyframe where the
    // ladder has one per GOP: keyframe bytes are counted at the ladder's rate of keyframes,
    // so the figure is what the ladder would spend for this quality (not what the short
    // trial did; on a static slide the keyframes are most of the bits).
    const double keyShare =
        std::min(1.0, double(m_framesPerWindow) / double(std::max(1, m_gopFrames)));
    const double seconds = double(m_frames.size()) / av_q2d(m_frameRate);
    point->width = r.width;
    point->height = r.ladderHeight;
    point->pictureHeight = r.height;
    point->targetKbps = kbps;
    point->kbps = (keyBytes * keyShare + otherBytes) * 8.0 / seconds / 1000.0;
    point->psnr = std::min(summary.psnrAverage, 100.0); // identical pictures: a finite ceiling
    ++m_trialsDone;
    report(JobPhase::Encoding, 0.1 + 0.9 * std::min(0.98, double(m_trialsDone) / m_trialsExpected),
           QStringLiteral("trial %1p at %2 kb/s: %3 dB")
               .arg(r.ladderHeight)
               .arg(kbps)
               .arg(point->psnr, 0, 'f', 1));
    return Status::ok();
}

Status Analysis::searchHeight(const Resolution& r, QVector<TrialPoint>* points) {
    const double pixelsPerSecond = double(r.width) * r.height * av_q2d(m_frameRate);
    auto kbpsFor = [&](double bpp) { return int(std::lround(bpp * pixelsPerSecond / 1000.0)); };
    // A higher resolution already measured that beats this one at `kbps` by a clear margin:
    // going further up at this size cannot reach the hull.
    auto beatenAbove = [&](double kbps, double psnr) {
        for (const TrialPoint& p : *points) {
            if (p.height <= r.ladderHeight)
                continue;
            bool covered = false;
            const double q = qualityAt(*points, p.height, kbps, &covered);
            if (covered && q > psnr + 0.5)
                return true;
        }
        return false;
    };
    QVector<TrialPoint> mine;
    auto run = [&](double bpp) -> Status {
        TrialPoint p;
        Status s = trial(r, std::max(kMinTrialKbps, kbpsFor(bpp)), &p);
        if (s.isOk()) {
            mine.append(p);
            points->append(p);
        }
        return s;
    };
    double bpp = kStartBpp;
    Status s = run(bpp);
    if (!s.isOk())
        return s;
    // Up: until the target is passed, the curve flattens or a larger size wins.
    while (mine.size() < kMaxTrialsPerHeight && bpp < kMaxBpp * 0.999) {
        const TrialPoint& last = mine.last();
        if (last.psnr >= m_options.targetPsnr + 0.5 || beatenAbove(last.targetKbps, last.psnr))
            break;
        // No rung goes above the rate where a larger size already reached the target.
        const double next = std::min(bpp * 2, kMaxBpp); // the last step may be shorter
        if (m_topTargetKbps > 0 && kbpsFor(next) > m_topTargetKbps * 1.25)
            break;
        if (mine.size() >= 2 && last.psnr - mine[mine.size() - 2].psnr < kSaturatedDb)
            break;
        bpp = next;
        if ((s = run(bpp)), !s.isOk())
            return s;
    }
    // Down: to where the next resolution may take over, further while still above the target
    // (the top rung is where the target is crossed).
    double low = kStartBpp;
    while (mine.size() < kMaxTrialsPerHeight && kbpsFor(low / 2) >= kMinTrialKbps) {
        const TrialPoint& lowest = *std::min_element(
            mine.begin(), mine.end(),
            [](const TrialPoint& a, const TrialPoint& b) { return a.kbps < b.kbps; });
        const bool aboveTarget = lowest.psnr >= m_options.targetPsnr;
        if (!aboveTarget && (low / 2 < kMinBpp * 0.999 || lowest.psnr < kLowestUsefulPsnr))
            break;
        low /= 2;
        if ((s = run(low)), !s.isOk())
            return s;
    }
    for (const TrialPoint& p : mine)
        if (p.psnr >= m_options.targetPsnr &&
            (m_topTargetKbps == 0 || p.targetKbps < m_topTargetKbps))
            m_topTargetKbps = p.targetKbps;
    return Status::ok();
}

Status Analysis::run(Suggestion* out) {
    report(JobPhase::Probing, 0, QStringLiteral("opening"));
    Status s = open();
    if (!s.isOk())
        return s;
    std::vector<double> bytesPerSecond;
    if ((s = scanPackets(&bytesPerSecond)), !s.isOk())
        return s;
    out->windows =
        pickSampleWindows(bytesPerSecond, m_info.durationSeconds, kWindowCount, kWindowSeconds);
    if ((s = decodeWindows(out->windows)), !s.isOk())
        return s;
    out->source = m_name;
    out->sourceWidth = m_sourceWidth;
    out->sourceHeight = m_sourceHeight;
    out->sourceSeconds = m_info.durationSeconds;
    out->frameRate = av_q2d(m_frameRate);
    out->sampledFrames = int(m_frames.size());

    const QVector<Resolution> grid = resolutions();
    m_trialsExpected = int(grid.size()) * 4;
    for (const Resolution& r : grid) {
        if ((s = searchHeight(r, &out->points)), !s.isOk())
            return s;
    }
    m_scaled.clear();
    m_frames.clear();
    s = suggestRungs(m_options, out);
    out->analysisSeconds = m_clock.nsecsElapsed() / 1e9;
    return s;
}

} // namespace

SuggestJob::SuggestJob(QString path, SuggestOptions options, QObject* parent)
    : Job(parent), m_path(std::move(path)), m_options(std::move(options)) {}

SuggestJob::~SuggestJob() {
    waitForWorker();
}

Suggestion SuggestJob::suggestion() const {
    const std::lock_guard lock(m_resultMutex);
    return m_suggestion;
}

QString SuggestJob::title() const {
    return QFileInfo(m_path).fileName();
}

QJsonObject SuggestJob::resultJson() const {
    QJsonObject o = Job::resultJson();
    if (status().isOk()) {
        const QJsonObject json = suggestion().toJson();
        for (auto it = json.begin(); it != json.end(); ++it)
            o.insert(it.key(), it.value());
    }
    return o;
}

Status SuggestJob::run(const CancelToken& cancel, ProgressSink& progress) {
    Suggestion result;
    Analysis analysis(m_path, m_options, cancel, progress);
    Status s = analysis.run(&result);
    if (!s.isOk())
        return s;
    JobProgress done;
    done.phase = JobPhase::Done;
    done.fraction = 1;
    progress.report(done);
    const std::lock_guard lock(m_resultMutex);
    m_suggestion = std::move(result);
    return Status::ok();
}

} // namespace hlsforge::suggest
