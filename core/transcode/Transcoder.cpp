#include "transcode/Transcoder.h"

#include "playlist/IFrameIndex.h"
#include "playlist/MasterPlaylist.h"
#include "playlist/MediaPlaylist.h"
#include "probe/Thumbnail.h"
#ifdef HLSFORGE_HAVE_WEB
#include "web/PlayerPage.h"
#endif
#include "transcode/ColourPipeline.h"
#include "transcode/FilterGraph.h"
#include "transcode/FrameTiming.h"
#include "transcode/RenditionEncoder.h"
#include "util/FfmpegError.h"
#include "util/FfmpegLog.h"
#include "util/FfmpegPtr.h"
#include "util/FileUtil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QSaveFile>
#include <QThread>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include <chrono>
#include <cmath>

namespace hlsforge {

namespace {

using namespace std::chrono_literals;

constexpr int kAudioSampleRateHz = 48000;

int interruptCallback(void* opaque) {
    const auto* cancel = static_cast<const std::atomic<bool>*>(opaque);
    return cancel && cancel->load() ? 1 : 0;
}

std::string rotationFilter(int degrees) {
    switch (degrees) {
    case 90:
        return ",transpose=clock";
    case 180:
        return ",hflip,vflip";
    case 270:
        return ",transpose=cclock";
    default:
        return {};
    }
}

struct Decoder {
    av::CodecContextPtr context;
    AVStream* stream = nullptr;
    int64_t nextPts = AV_NOPTS_VALUE; // fills in missing timestamps
};

Status openDecoder(AVStream* stream, const QString& path, Decoder* out) {
    const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!codec)
        return Status::error(
            Status::Code::InvalidInput,
            QStringLiteral("%1: no decoder for %2")
                .arg(path, QString::fromUtf8(avcodec_get_name(stream->codecpar->codec_id))));
    out->context.reset(avcodec_alloc_context3(codec));
    avcodec_parameters_to_context(out->context.get(), stream->codecpar);
    out->context->pkt_timebase = stream->time_base;
    out->context->thread_count = 0;
    out->stream = stream;
    const int rc = avcodec_open2(out->context.get(), codec, nullptr);
    if (rc < 0)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: cannot decode %2 (%3)")
                                 .arg(path, QString::fromUtf8(codec->name), av::errorString(rc)));
    return Status::ok();
}

// Everything one run needs; the stages below are its member functions.
class Pipeline {
public:
    Pipeline(const TranscodeRequest& request, const ProgressCallback& onProgress,
             const std::atomic<bool>* cancel)
        : m_request(request), m_onProgress(onProgress), m_cancel(cancel),
          m_log(std::make_shared<av::LogCollector>()), m_capture(m_log) {}

    TranscodeResult run();

private:
    Status prepare();
    Status openInput();
    Status openAudio();
    void decideTiming(const AVStream* videoStream);
    Status decodeAll();
    Status decodeVideoPacket(AVPacket* packet);
    Status decodeAudioPacket(AVPacket* packet);
    Status handleDecodedVideo(AVFrame* frame);
    Status drainVideoGraph();
    Status deliverVideoFrames();
    void keepPosterCandidate(const AVFrame* frame);
    Status handleDecodedAudio(AVFrame* frame);
    Status drainAudioGraph();
    Status encodeAudio(AVFrame* frame);
    Status deliver(PipelineItem& prototype, bool video);
    Status finishStreams();
    Status writePlaylists();
    void tick(bool force = false);
    bool cancelled() const { return m_cancel && m_cancel->load(); }
    Status firstRenditionError() const;

    const TranscodeRequest& m_request;
    const ProgressCallback& m_onProgress;
    const std::atomic<bool>* m_cancel;
    std::shared_ptr<av::LogCollector> m_log;
    av::LogCapture m_capture;

    TranscodeResult m_result;
    QVector<ResolvedRendition> m_rungs;
    StagingDir m_staging;
    av::InputFormatPtr m_input;
    Decoder m_video;
    Decoder m_audio;
    int64_t m_startTimeUs = 0;
    AVRational m_frameRate{30, 1};  // of the ladder, after deinterlacing
    AVRational m_sourceRate{30, 1}; // of the decoded frames
    DeinterlacePlan m_deinterlace;
    ColourPlan m_colour; // decided once per source; applied once, before the fan-out
    FilterGraph m_videoGraph;
    FilterGraph m_audioGraph;
    av::CodecContextPtr m_audioEncoder;
    int64_t m_lastVideoPts = AV_NOPTS_VALUE;
    int64_t m_lastVideoDuration = 0;
    int64_t m_lastAudioPts = AV_NOPTS_VALUE;
    int64_t m_decodedVideoFrames = 0;
    int m_corruptPackets = 0;
    std::vector<std::unique_ptr<RenditionEncoder>> m_encoders;
    // Poster candidates: references to frames decoded anyway, taken at a few points of the
    // duration (a second decode of the source just for the poster cost seconds at 1080p).
    std::vector<av::FramePtr> m_posterCandidates;
    QHash<QString, QString> m_codecStrings; // rung name -> CODECS, with ",mp4a.40.2" when audio
    av::FramePtr m_frame = av::makeFrame();
    av::FramePtr m_filtered = av::makeFrame();
    av::PacketPtr m_packet = av::makePacket();
    QElapsedTimer m_clock;
    qint64 m_lastTickMs = -1000;
    TranscodeProgress m_progress;
};

Status Pipeline::firstRenditionError() const {
    Status first;
    for (const auto& e : m_encoders) {
        const Status s = e->status();
        if (!s.isOk() && !s.isCancelled())
            return s;
        first.update(s);
    }
    return first;
}

void Pipeline::tick(bool force) {
    const qint64 nowMs = m_clock.elapsed();
    if (!force && nowMs - m_lastTickMs < 200)
        return;
    m_lastTickMs = nowMs;
    TranscodeProgress& p = m_progress;
    p.elapsedSeconds = nowMs / 1000.0;
    if (m_encoders.empty()) { // starting, or the rungs are done: nothing new to measure
        if (m_onProgress)
            m_onProgress(p);
        return;
    }
    double slowestSeconds = -1;
    qint64 slowestFrames = 0;
    for (const auto& e : m_encoders) {
        const double s = e->secondsEncoded.load();
        if (slowestSeconds < 0 || s < slowestSeconds) {
            slowestSeconds = s;
            slowestFrames = e->framesEncoded.load();
        }
    }
    p.durationSeconds = m_result.source.durationSeconds;
    p.mediaSecondsDone = std::max(0.0, slowestSeconds);
    p.framesDone = slowestFrames;
    if (p.elapsedSeconds > 0.2) {
        p.framesPerSecond = p.framesDone / p.elapsedSeconds;
        p.speed = p.mediaSecondsDone / p.elapsedSeconds;
    }
    if (p.durationSeconds > 0) {
        // The last 2 % are the playlists and the move into place.
        p.fraction = std::min(0.98, 0.98 * p.mediaSecondsDone / p.durationSeconds);
        if (p.speed > 0.01)
            p.etaSeconds = std::max(0.0, (p.durationSeconds - p.mediaSecondsDone) / p.speed);
    }
    if (m_onProgress)
        m_onProgress(p);
}

TranscodeResult Pipeline::run() {
    m_clock.start();
    m_result.inputPath = m_request.inputPath;
    m_result.outputDir = QDir(m_request.outputDir).absolutePath();
    m_progress.stage = QStringLiteral("starting");
    m_progress.durationSeconds = 0;
    tick(true);

    Status status = prepare();
    if (status.isOk()) {
        m_progress.stage = QStringLiteral("encoding");
        for (auto& e : m_encoders)
            e->start();
        status = decodeAll();
        if (status.isOk())
            status = finishStreams();
        if (!status.isOk() || cancelled()) {
            for (auto& e : m_encoders)
                e->queue().abort();
        }
        for (auto& e : m_encoders)
            e->join();
        if (cancelled())
            status = Status::cancelled();
        // A rung's own failure (disk full, encoder error) explains more than the symptom
        // the decode stage saw (a closed queue).
        const Status rungStatus = firstRenditionError();
        if (!rungStatus.isOk() && !rungStatus.isCancelled() && !status.isCancelled())
            status = rungStatus;
        else
            status.update(rungStatus);
    }
    if (status.isOk()) {
        m_progress.stage = QStringLiteral("finishing");
        tick(true);
        m_encoders.clear(); // frees muxers: every file is closed before we read it back
        status = writePlaylists();
    }
    if (status.isOk() && cancelled())
        status = Status::cancelled();
    if (status.isOk())
        status = m_staging.commit();
    if (status.isOk()) {
        m_result.masterPlaylist = m_result.outputDir + QStringLiteral("/master.m3u8");
        m_progress.stage = QStringLiteral("done");
        m_progress.fraction = 1.0;
        m_progress.etaSeconds = 0;
        tick(true);
    } else {
        m_encoders.clear();
        // Users know the folder they asked for, not our hidden staging folder.
        if (!m_staging.path().isEmpty() && status.message().contains(m_staging.path()))
            status = Status::error(
                status.code(),
                QString(status.message()).replace(m_staging.path(), m_result.outputDir),
                status.detail());
        m_staging.discard();
        m_result.renditions.clear();
        if (status.isCancelled())
            status = Status::cancelled(QStringLiteral("%1: cancelled").arg(m_request.inputPath));
    }
    m_result.status = status;
    m_result.elapsedSeconds = m_clock.elapsed() / 1000.0;
    m_result.warnings += m_log->warnings();
    return m_result;
}

Status Pipeline::prepare() {
    StatusOr<MediaInfo> info = probeFile(m_request.inputPath);
    if (!info.isOk())
        return info.status();
    m_result.source = info.value();
    Status s = checkTranscodable(m_result.source);
    if (!s.isOk())
        return s;
    s = m_request.ladder.validate();
    if (!s.isOk())
        return Status::error(s.code(), QStringLiteral("ladder: %1").arg(s.message()));

    const VideoInfo& v = m_result.source.video;
    m_colour = planColour(v, m_request.ladder.toneMap);
    m_result.conversions << m_colour.conversions;
    m_result.warnings << m_colour.warnings;
    m_rungs = resolveRenditions(m_request.ladder, v.displayWidth, v.displayHeight);
    if (m_rungs.size() < m_request.ladder.renditions.size())
        m_result.warnings << QStringLiteral("%1 of %2 rungs are larger than the %3x%4 source and "
                                            "were left out (never upscaled)")
                                 .arg(m_request.ladder.renditions.size() - m_rungs.size())
                                 .arg(m_request.ladder.renditions.size())
                                 .arg(v.displayWidth)
                                 .arg(v.displayHeight);
    if (v.bitDepth > 8 || v.chromaSubsampling != QLatin1String("4:2:0"))
        m_result.warnings << QStringLiteral(
                                 "source is %1 (%2-bit %3); output is converted to 8-bit 4:2:0")
                                 .arg(v.pixelFormat)
                                 .arg(v.bitDepth)
                                 .arg(v.chromaSubsampling);
    if (v.variableFrameRate)
        m_result.warnings << QStringLiteral(
            "source has a variable frame rate; output is constant frame rate");
    if (v.rotationDegrees != 0)
        m_result.warnings << QStringLiteral("source is rotated %1 degrees; output is upright")
                                 .arg(v.rotationDegrees);

    if (m_request.outputDir.isEmpty())
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("no output folder given"));
    if (!m_request.replaceExisting && QFileInfo::exists(m_request.outputDir) &&
        !QDir(m_request.outputDir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: output folder already exists").arg(m_request.outputDir));
    s = checkReplaceable(m_request.outputDir);
    if (!s.isOk())
        return s;
    s = StagingDir::create(m_request.outputDir, &m_staging);
    if (!s.isOk())
        return s;

    // Refuse early rather than fail at 90 %: the ladder needs about its peak rates times
    // the duration (plus 10 % and a few MB of playlists and headers).
    double bytesNeeded = 4e6;
    for (const ResolvedRendition& r : m_rungs)
        bytesNeeded += (r.maxKbps + m_request.ladder.audioKbps) * 1000.0 / 8 *
                       m_result.source.durationSeconds * 1.1;
    const qint64 freeBytes = freeDiskBytes(m_staging.path());
    // HLSFORGE_NO_SPACE_CHECK lets the tests reach the write-error path behind this check.
    if (freeBytes >= 0 && freeBytes < bytesNeeded &&
        !qEnvironmentVariableIsSet("HLSFORGE_NO_SPACE_CHECK"))
        return Status::error(
            Status::Code::IoError,
            QStringLiteral(
                "%1: not enough free disk space (the ladder needs about %2 MB, %3 MB free)")
                .arg(m_result.outputDir)
                .arg(bytesNeeded / 1e6, 0, 'f', 0)
                .arg(freeBytes / 1e6, 0, 'f', 0));

    s = openInput();
    if (!s.isOk())
        return s;
    s = openAudio();
    if (!s.isOk())
        return s;

    int progressiveIndex = -1;
    if (m_request.ladder.progressive) {
        for (int i = 0; i < m_rungs.size(); ++i) {
            if (m_rungs[i].name == m_request.ladder.progressiveRung)
                progressiveIndex = i;
        }
        if (progressiveIndex < 0) {
            if (!m_request.ladder.progressiveRung.isEmpty())
                m_result.warnings
                    << QStringLiteral(
                           "progressive: rung %1 was left out for this source; using another")
                           .arg(m_request.ladder.progressiveRung);
            // The highest rung whose short side is at most 720 (rungs are sorted largest first).
            for (int i = 0; i < m_rungs.size() && progressiveIndex < 0; ++i) {
                if (std::min(m_rungs[i].width, m_rungs[i].height) <= 720)
                    progressiveIndex = i;
            }
            if (progressiveIndex < 0)
                progressiveIndex = m_rungs.size() - 1;
        }
        QString base = QFileInfo(m_request.inputPath).completeBaseName();
        if (base.isEmpty() || base == QLatin1String("master") || base == QLatin1String("index"))
            base = QStringLiteral("video");
        m_result.progressiveMp4 = base + QStringLiteral(".mp4");
        m_result.progressiveRung = m_rungs[progressiveIndex].name;
    }

    const int rungCount = m_rungs.size();
    for (const ResolvedRendition& rung : m_rungs) {
        RenditionConfig config;
        config.rung = rung;
        config.directory = m_staging.path() + QLatin1Char('/') + rung.name;
        config.segmentFormat = m_request.ladder.segmentFormat;
        config.segmentSeconds = m_request.ladder.segmentSeconds;
        config.gopSeconds = m_request.ladder.gopSeconds();
        config.x264Preset = m_request.ladder.x264Preset;
        config.x265Preset = m_request.ladder.x265Preset;
        config.svtAv1Preset = m_request.ladder.svtAv1Preset;
        // AV1's encoder keeps a fixed frame interval (VideoEncoder.h): with AV1 rungs in the
        // ladder, every rung counts frames, so all codecs' keyframes stay on the same frames
        // (at 30000/1001 a 2 s GOP is 60 frames, 2.002 s).
        const double gopFramesExact = config.gopSeconds * av_q2d(m_frameRate);
        config.keyframesByFrameCount =
            std::any_of(m_rungs.begin(), m_rungs.end(),
                        [](const ResolvedRendition& r) { return r.codec == VideoCodec::Av1; });
        config.gopFrames = config.keyframesByFrameCount
                               ? std::max(1, int(std::lround(gopFramesExact)))
                               : int(std::ceil(gopFramesExact));
        config.frameRate = m_frameRate;
        config.frameTimeBase = av_inv_q(m_frameRate);
        config.audioEncoder = m_audioEncoder.get();
        // Rungs already run in parallel; a few x264 threads each keep every core busy
        // without hundreds of threads fighting over two cores.
        const int cores = std::max(1, QThread::idealThreadCount());
        config.x264Threads = std::clamp(2 * cores / std::max(1, rungCount) + 1, 2, 16);
        if (&rung - m_rungs.constData() == progressiveIndex)
            config.progressivePath = m_staging.path() + QLatin1Char('/') + m_result.progressiveMp4;
        auto encoder = std::make_unique<RenditionEncoder>(config, m_cancel, m_log);
        s = encoder->open();
        if (!s.isOk())
            return s;
        m_codecStrings[rung.name] = encoder->codecString();
        m_encoders.push_back(std::move(encoder));
    }
    return Status::ok();
}

Status Pipeline::openInput() {
    const QString& path = m_request.inputPath;
    AVFormatContext* raw = avformat_alloc_context();
    raw->interrupt_callback.callback = interruptCallback;
    raw->interrupt_callback.opaque = const_cast<std::atomic<bool>*>(m_cancel);
    int rc = avformat_open_input(&raw, path.toUtf8().constData(), nullptr, nullptr);
    // A cancel that arrives while the input opens interrupts it (AVERROR_EXIT): cancelled,
    // not "cannot open".
    if (rc < 0 && cancelled())
        return Status::cancelled();
    if (rc < 0)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: cannot open (%2)").arg(path, av::errorString(rc)));
    m_input.reset(raw);
    rc = avformat_find_stream_info(m_input.get(), nullptr);
    if (rc < 0 && cancelled())
        return Status::cancelled();
    if (rc < 0)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: cannot read stream information (%2)")
                                 .arg(path, av::errorString(rc)));
    if (m_input->start_time != AV_NOPTS_VALUE)
        m_startTimeUs = m_input->start_time;

    AVStream* videoStream = m_input->streams[m_result.source.video.streamIndex];
    Status s = openDecoder(videoStream, path, &m_video);
    if (!s.isOk())
        return s;
    decideTiming(videoStream);
    if (m_result.source.hasAudio) {
        s = openDecoder(m_input->streams[m_result.source.audio.streamIndex], path, &m_audio);
        if (!s.isOk()) {
            m_result.warnings << s.message() + QStringLiteral("; the ladder is made without audio");
            m_audio = Decoder();
        } else {
            m_result.conversions << describeAudioChoice(m_result.source.audio);
        }
    }
    for (unsigned i = 0; i < m_input->nb_streams; ++i) {
        AVStream* st = m_input->streams[i];
        const bool used = st == m_video.stream || (m_audio.stream && st == m_audio.stream);
        st->discard = used ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
    }
    return Status::ok();
}

// Frame rate and deinterlacing, decided once per source (FrameTiming.h), and said in words.
void Pipeline::decideTiming(const AVStream* videoStream) {
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

Status Pipeline::openAudio() {
    if (!m_audio.context)
        return Status::ok();
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (!codec)
        return Status::error(Status::Code::Internal,
                             QStringLiteral("AAC encoder is not available"));
    m_audioEncoder.reset(avcodec_alloc_context3(codec));
    AVCodecContext* enc = m_audioEncoder.get();
    enc->sample_rate = kAudioSampleRateHz;
    enc->sample_fmt = AV_SAMPLE_FMT_FLTP;
    av_channel_layout_default(&enc->ch_layout, 2);
    enc->bit_rate = int64_t(m_request.ladder.audioKbps) * 1000;
    enc->time_base = AVRational{1, kAudioSampleRateHz};
    enc->profile = FF_PROFILE_AAC_LOW;
    enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    int rc = avcodec_open2(enc, codec, nullptr);
    if (rc < 0)
        return Status::error(
            Status::Code::Internal,
            QStringLiteral("cannot open the AAC encoder (%1)").arg(av::errorString(rc)));
    // Mono is duplicated, 5.1 downmixed, 44.1 kHz resampled: players expect 48 kHz stereo.
    // first_pts=0: audio that starts after the video is preceded by silence and audio before
    // it is cut, so every segment starts its audio with its video (lip sync in each rung).
    const std::string filters = "aresample=" + std::to_string(kAudioSampleRateHz) +
                                ":async=1000:first_pts=0,aformat=sample_fmts=fltp:sample_rates=" +
                                std::to_string(kAudioSampleRateHz) + ":channel_layouts=stereo";
    return m_audioGraph.initAudio(m_audio.context.get(), m_audio.stream->time_base, filters,
                                  enc->frame_size);
}

Status Pipeline::decodeAll() {
    for (;;) {
        if (cancelled())
            return Status::cancelled();
        tick();
        const int rc = av_read_frame(m_input.get(), m_packet.get());
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
        if (m_packet->stream_index == m_video.stream->index)
            s = decodeVideoPacket(m_packet.get());
        else if (m_audio.stream && m_packet->stream_index == m_audio.stream->index)
            s = decodeAudioPacket(m_packet.get());
        av_packet_unref(m_packet.get());
        if (!s.isOk())
            return s;
    }
    Status s = decodeVideoPacket(nullptr);
    if (!s.isOk())
        return s;
    if (m_audio.context)
        s = decodeAudioPacket(nullptr);
    return s;
}

Status Pipeline::decodeVideoPacket(AVPacket* packet) {
    AVCodecContext* dec = m_video.context.get();
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
        Status s = handleDecodedVideo(m_frame.get());
        av_frame_unref(m_frame.get());
        if (!s.isOk())
            return s;
    }
}

Status Pipeline::handleDecodedVideo(AVFrame* frame) {
    const AVRational tb = m_video.stream->time_base;
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
    ++m_decodedVideoFrames;
    if (!m_videoGraph.isReady()) {
        // Normalise once for every rung: progressive (deinterlaced once, not per rung),
        // constant frame rate (keyframes by timestamp need it, and Apple's spec wants it) and
        // upright orientation.
        char fps[64];
        snprintf(fps, sizeof fps, "fps=fps=%d/%d", m_frameRate.num, m_frameRate.den);
        // Order: deinterlace (on the source's fields), constant rate, colour, rotation.
        std::string filters;
        if (m_deinterlace.apply)
            filters = m_deinterlace.filter + ",";
        filters += fps;
        if (!m_colour.filter.empty())
            filters += "," + m_colour.filter;
        filters += rotationFilter(m_result.source.video.rotationDegrees);
        // A tone map is the one costly step here (the float chain: ~35 ms a 1080p frame on
        // one core); slice threads keep it from holding back the rungs, as ffmpeg's do.
        const int threads = m_colour.filter.empty() ? 1 : std::min(8, QThread::idealThreadCount());
        Status s = m_videoGraph.initVideo(frame, tb, m_sourceRate, filters, std::max(1, threads));
        if (!s.isOk())
            return s;
    }
    Status s = m_videoGraph.push(frame);
    if (!s.isOk())
        return s;
    return deliverVideoFrames();
}

void Pipeline::keepPosterCandidate(const AVFrame* frame) {
    static constexpr double kFractions[] = {0.1, 0.25, 0.4, 0.55};
    const size_t taken = m_posterCandidates.size();
    const double duration = m_result.source.durationSeconds;
    if (taken >= std::size(kFractions))
        return;
    const double seconds = frame->pts * av_q2d(m_videoGraph.outputTimeBase());
    if (duration <= 0 || seconds >= kFractions[taken] * duration)
        m_posterCandidates.push_back(av::refFrame(frame));
}

// Hands every frame the normalising graph has ready to the rungs.
Status Pipeline::deliverVideoFrames() {
    for (;;) {
        bool got = false, eof = false;
        Status s = m_videoGraph.pull(m_filtered.get(), &got, &eof);
        if (!s.isOk() || !got)
            return s;
        PipelineItem item;
        item.frame.reset(av_frame_alloc());
        av_frame_move_ref(item.frame.get(), m_filtered.get());
        keepPosterCandidate(item.frame.get());
        s = deliver(item, true);
        if (!s.isOk())
            return s;
    }
}

Status Pipeline::drainVideoGraph() {
    if (!m_videoGraph.isReady())
        return Status::error(
            Status::Code::InvalidInput,
            QStringLiteral("%1: no decodable video frames").arg(m_request.inputPath));
    Status s = m_videoGraph.close(m_lastVideoPts + m_lastVideoDuration);
    if (!s.isOk())
        return s;
    return deliverVideoFrames();
}

Status Pipeline::decodeAudioPacket(AVPacket* packet) {
    AVCodecContext* dec = m_audio.context.get();
    int rc = avcodec_send_packet(dec, packet);
    if (rc < 0 && rc != AVERROR_EOF)
        return Status::ok(); // a damaged audio packet is skipped; the gap is filled by aresample
    for (;;) {
        rc = avcodec_receive_frame(dec, m_frame.get());
        if (rc == AVERROR(EAGAIN))
            return Status::ok();
        if (rc == AVERROR_EOF)
            return packet ? Status::ok() : drainAudioGraph();
        if (rc < 0)
            return Status::ok();
        Status s = handleDecodedAudio(m_frame.get());
        av_frame_unref(m_frame.get());
        if (!s.isOk())
            return s;
    }
}

Status Pipeline::handleDecodedAudio(AVFrame* frame) {
    const AVRational tb = m_audio.stream->time_base;
    int64_t pts = frame->best_effort_timestamp;
    if (pts != AV_NOPTS_VALUE)
        frame->pts = pts - av_rescale_q(m_startTimeUs, AV_TIME_BASE_Q, tb);
    m_lastAudioPts = frame->pts;
    Status s = m_audioGraph.push(frame);
    if (!s.isOk())
        return s;
    for (;;) {
        bool got = false, eof = false;
        s = m_audioGraph.pull(m_filtered.get(), &got, &eof);
        if (!s.isOk() || !got)
            return s;
        s = encodeAudio(m_filtered.get());
        av_frame_unref(m_filtered.get());
        if (!s.isOk())
            return s;
    }
}

Status Pipeline::drainAudioGraph() {
    Status s = m_audioGraph.close(m_lastAudioPts == AV_NOPTS_VALUE ? 0 : m_lastAudioPts + 1);
    if (!s.isOk())
        return s;
    for (;;) {
        bool got = false, eof = false;
        s = m_audioGraph.pull(m_filtered.get(), &got, &eof);
        if (!s.isOk())
            return s;
        if (!got)
            break;
        s = encodeAudio(m_filtered.get());
        av_frame_unref(m_filtered.get());
        if (!s.isOk())
            return s;
    }
    return encodeAudio(nullptr);
}

Status Pipeline::encodeAudio(AVFrame* frame) {
    AVCodecContext* enc = m_audioEncoder.get();
    int rc = avcodec_send_frame(enc, frame);
    if (rc < 0 && rc != AVERROR_EOF)
        return Status::error(Status::Code::Internal,
                             QStringLiteral("AAC encoding failed (%1)").arg(av::errorString(rc)));
    for (;;) {
        PipelineItem item;
        item.audio = av::makePacket();
        rc = avcodec_receive_packet(enc, item.audio.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return Status::ok();
        if (rc < 0)
            return Status::error(
                Status::Code::Internal,
                QStringLiteral("AAC encoding failed (%1)").arg(av::errorString(rc)));
        Status s = deliver(item, false);
        if (!s.isOk())
            return s;
    }
}

// Hands one item to every rung. Frames are shared by reference (no pixel copies); a full
// queue makes us wait, which is what keeps memory flat. While waiting we keep reporting
// progress and watching for cancel.
Status Pipeline::deliver(PipelineItem& prototype, bool video) {
    for (size_t i = 0; i < m_encoders.size(); ++i) {
        PipelineItem item;
        const bool last = i + 1 == m_encoders.size();
        if (last) {
            item = std::move(prototype);
        } else if (video) {
            item.frame = av::refFrame(prototype.frame.get());
        } else {
            item.audio = av::refPacket(prototype.audio.get());
        }
        for (;;) {
            if (cancelled())
                return Status::cancelled();
            bool closed = false;
            if (m_encoders[i]->queue().pushFor(item, 100ms, &closed))
                break;
            if (closed) {
                const Status s = m_encoders[i]->status();
                return s.isOk() ? Status::error(Status::Code::Internal,
                                                QStringLiteral("encoder stopped"))
                                : s;
            }
            tick();
        }
    }
    return Status::ok();
}

Status Pipeline::finishStreams() {
    if (m_corruptPackets > 0)
        m_result.warnings << QStringLiteral("%1: %2 damaged video packets were skipped")
                                 .arg(m_request.inputPath)
                                 .arg(m_corruptPackets);
    for (auto& e : m_encoders) {
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
            tick();
        }
    }
    // Keep reporting (and honouring cancel) while the rungs drain their encoders.
    for (;;) {
        bool allDone = true;
        for (auto& e : m_encoders)
            allDone = allDone && e->finished.load();
        if (allDone)
            break;
        if (cancelled())
            return Status::cancelled();
        std::this_thread::sleep_for(50ms);
        tick();
    }
    return Status::ok();
}

Status Pipeline::writePlaylists() {
    MasterPlaylist master;
    master.version = 4;
    const bool fmp4 = isFmp4(m_request.ladder.segmentFormat);
    const double target = m_request.ladder.segmentSeconds;
    for (const ResolvedRendition& rung : m_rungs) {
        const QString dir = m_staging.path() + QLatin1Char('/') + rung.name;
        StatusOr<MediaPlaylist> playlist = MediaPlaylist::load(dir + QStringLiteral("/index.m3u8"));
        if (!playlist.isOk())
            return playlist.status();
        if (playlist->segments.isEmpty())
            return Status::error(
                Status::Code::Internal,
                QStringLiteral("rendition %1: no segments were written").arg(rung.name));
        StatusOr<BandwidthMeasurement> measured = measureBandwidth(playlist.value(), dir);
        if (!measured.isOk())
            return measured.status();
        StatusOr<IFrameIndex> iframes = buildIFrameIndex(playlist.value(), dir, fmp4);
        if (!iframes.isOk())
            return iframes.status();
        QSaveFile iframeFile(dir + QStringLiteral("/iframes.m3u8"));
        if (!iframeFile.open(QIODevice::WriteOnly) ||
            iframeFile.write(iframes->toPlaylistText(playlist.value())) < 0 || !iframeFile.commit())
            return Status::error(Status::Code::IoError,
                                 QStringLiteral("%1: cannot write I-frame playlist (%2)")
                                     .arg(iframeFile.fileName(), iframeFile.errorString()));

        RenditionResult r;
        r.name = rung.name;
        r.width = rung.width;
        r.height = rung.height;
        r.videoKbps = rung.videoKbps;
        r.frameRate = av_q2d(m_frameRate);
        r.codecs = m_codecStrings.value(rung.name);
        if (m_audioEncoder)
            r.codecs += QStringLiteral(",mp4a.40.2");
        r.bandwidth = measured->peakBitsPerSecond;
        r.averageBandwidth = measured->averageBitsPerSecond;
        r.segmentCount = playlist->segments.size();
        r.maxSegmentSeconds = measured->maxSegmentSeconds;
        r.totalSeconds = playlist->totalSeconds();
        r.totalBytes = measured->totalBytes;
        r.playlist = rung.name + QStringLiteral("/index.m3u8");
        r.iframePlaylist = rung.name + QStringLiteral("/iframes.m3u8");
        r.iframeBandwidth = iframes->peakBitsPerSecond;
        if (r.maxSegmentSeconds > target + 0.5)
            m_result.warnings << QStringLiteral(
                                     "rendition %1: a segment lasts %2 s, more than %3 s + 0.5 s")
                                     .arg(rung.name)
                                     .arg(r.maxSegmentSeconds, 0, 'f', 3)
                                     .arg(target);
        m_result.renditions.append(r);
        master.version = std::max(master.version, playlist->version);

        VariantStream variant;
        variant.uri = r.playlist;
        variant.bandwidth = r.bandwidth;
        variant.averageBandwidth = r.averageBandwidth;
        variant.codecs = r.codecs;
        variant.width = r.width;
        variant.height = r.height;
        variant.frameRate = r.frameRate;
        variant.videoRange = QStringLiteral("SDR"); // every rung is SDR BT.709 (ColourPipeline)
        variant.score = variantScore(variant);
        master.variants.append(variant);

        IFrameStream iframe;
        iframe.uri = r.iframePlaylist;
        iframe.bandwidth = r.iframeBandwidth;
        iframe.codecs = r.codecs.section(QLatin1Char(','), 0, 0);
        iframe.width = r.width;
        iframe.height = r.height;
        master.iframeStreams.append(iframe);
    }
    // The poster: the most detailed of the candidate frames, at the top rung's size.
    if (!m_rungs.isEmpty() && !m_posterCandidates.empty()) {
        std::vector<const AVFrame*> candidates;
        for (const av::FramePtr& f : m_posterCandidates)
            candidates.push_back(f.get());
        StatusOr<QByteArray> jpeg =
            bestFrameAsJpeg(candidates, m_videoGraph.outputTimeBase(), m_rungs.first().height);
        m_posterCandidates.clear();
        if (jpeg.isOk()) {
            QSaveFile poster(m_staging.path() + QStringLiteral("/poster.jpg"));
            if (poster.open(QIODevice::WriteOnly) && poster.write(jpeg.value()) >= 0 &&
                poster.commit())
                m_result.poster = QStringLiteral("poster.jpg");
        } else {
            m_result.warnings << QStringLiteral("no poster image: %1").arg(jpeg.status().message());
        }
    }
    // The master playlist is the last file written: it names only what exists.
    Status written = master.write(m_staging.path() + QStringLiteral("/master.m3u8"));
    if (!written.isOk())
        return written;
#ifdef HLSFORGE_HAVE_WEB
    if (m_request.ladder.playerPage) {
        // The page reads the rungs from master.m3u8, so it comes after it.
        PlayerPageOptions page;
        page.title = QFileInfo(m_request.inputPath).completeBaseName();
        page.poster = m_result.poster;
        page.progressiveMp4 = m_result.progressiveMp4;
        parsePlayerScripts(m_request.ladder.playerScripts, &page.scripts);
        Status pageStatus = writePlayerPage(m_staging.path(), page);
        if (!pageStatus.isOk())
            return Status::error(pageStatus.code(),
                                 QStringLiteral("player page: %1").arg(pageStatus.message()),
                                 pageStatus.detail());
        m_result.playerPage = QStringLiteral("index.html");
    }
#endif
    return Status::ok();
}

} // namespace

QJsonObject TranscodeResult::toJson() const {
    QJsonObject root;
    root[QStringLiteral("input")] = inputPath;
    root[QStringLiteral("status")] = status.codeName();
    if (!status.isOk())
        root[QStringLiteral("error")] = status.message();
    root[QStringLiteral("outputDir")] = outputDir;
    if (!masterPlaylist.isEmpty())
        root[QStringLiteral("masterPlaylist")] = masterPlaylist;
    if (!progressiveMp4.isEmpty() && status.isOk()) {
        root[QStringLiteral("progressiveMp4")] = progressiveMp4;
        root[QStringLiteral("progressiveRung")] = progressiveRung;
    }
    if (!poster.isEmpty())
        root[QStringLiteral("poster")] = poster;
    if (!playerPage.isEmpty())
        root[QStringLiteral("playerPage")] = playerPage;
    root[QStringLiteral("elapsedSeconds")] = elapsedSeconds;
    root[QStringLiteral("sourceDurationSeconds")] = source.durationSeconds;
    QJsonArray rungs;
    for (const RenditionResult& r : renditions) {
        QJsonObject o;
        o[QStringLiteral("name")] = r.name;
        o[QStringLiteral("width")] = r.width;
        o[QStringLiteral("height")] = r.height;
        o[QStringLiteral("videoKbps")] = r.videoKbps;
        o[QStringLiteral("frameRate")] = r.frameRate;
        o[QStringLiteral("codecs")] = r.codecs;
        o[QStringLiteral("bandwidth")] = double(r.bandwidth);
        o[QStringLiteral("averageBandwidth")] = double(r.averageBandwidth);
        o[QStringLiteral("segmentCount")] = r.segmentCount;
        o[QStringLiteral("maxSegmentSeconds")] = r.maxSegmentSeconds;
        o[QStringLiteral("totalSeconds")] = r.totalSeconds;
        o[QStringLiteral("totalBytes")] = double(r.totalBytes);
        o[QStringLiteral("playlist")] = r.playlist;
        o[QStringLiteral("iframePlaylist")] = r.iframePlaylist;
        rungs.append(o);
    }
    root[QStringLiteral("renditions")] = rungs;
    QJsonArray w;
    for (const QString& s : warnings)
        w.append(s);
    root[QStringLiteral("warnings")] = w;
    root[QStringLiteral("conversions")] = QJsonArray::fromStringList(conversions);
    return root;
}

Transcoder::Transcoder(TranscodeRequest request) : m_request(std::move(request)) {}

TranscodeResult Transcoder::run(const ProgressCallback& onProgress,
                                const std::atomic<bool>* cancelFlag) {
    Pipeline pipeline(m_request, onProgress, cancelFlag);
    return pipeline.run();
}

} // namespace hlsforge
