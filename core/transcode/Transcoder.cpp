#include "transcode/Transcoder.h"

#include "transcode/AudioLane.h"
#include "transcode/AudioRendition.h"
#include "transcode/AudioTracks.h"

#include "transcode/FinishingStage.h"
#include "transcode/InputStage.h"
#include "transcode/RenditionEncoder.h"
#include "transcode/SubtitleStage.h"
#include "trickplay/ThumbnailSheets.h"
#include "util/FfmpegError.h"
#include "util/FfmpegLog.h"
#include "util/FileUtil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <algorithm>

#include <cmath>

namespace hlsforge {

namespace {

// TS with unmuxed audio: video-only rungs and audio renditions all start at this offset
// (what the ffmpeg program's TS muxer starts at), rather than each at its own shift.
constexpr double kUnmuxedTsOffsetSeconds = 1.4;

// One run: the plan and checks (here), then the stages — InputStage (decode once, normalise,
// fan out), a RenditionEncoder thread per rung, FinishingStage (measure, playlists, poster,
// finishing steps) — then the move into place.
class Pipeline {
public:
    Pipeline(const TranscodeRequest& request,
             const std::vector<std::shared_ptr<FinishingStep>>& steps,
             const ProgressCallback& onProgress, const std::atomic<bool>* cancel)
        : m_request(request), m_steps(steps), m_onProgress(onProgress), m_cancel(cancel),
          m_log(std::make_shared<av::LogCollector>()), m_capture(m_log) {}

    TranscodeResult run();

private:
    Status prepare();
    Status openRungs();
    Status openAudioRendition();
    Status planAudio();
    Status openAudioRenditions();
    Status encodeAudioFiles();
    Status encodeAudioFile(int track);
    double videoSeconds() const;
    Status finish();
    static int encoderThreads(const ResolvedRendition& rung,
                              const QVector<ResolvedRendition>& ladder);
    void takeQualityFrames();
    void tick(bool force = false);
    bool cancelled() const { return m_cancel && m_cancel->load(); }
    Status firstRenditionError() const;

    const TranscodeRequest& m_request;
    const std::vector<std::shared_ptr<FinishingStep>>& m_steps;
    const ProgressCallback& m_onProgress;
    const std::atomic<bool>* m_cancel;
    std::shared_ptr<av::LogCollector> m_log;
    av::LogCapture m_capture;

    TranscodeResult m_result;
    QVector<ResolvedRendition> m_rungs;
    StagingDir m_staging;
    av::InputFile m_input;
    av::DecodedPrefix m_decodedPrefix; // the probe's first frames, for the input stage
    ColourPlan m_colour;               // decided once per source; applied once, in the input stage
    std::unique_ptr<InputStage> m_inputStage;
    std::unique_ptr<SubtitleStage> m_subtitleStage;           // taps the input stage's demux
    std::unique_ptr<trickplay::ThumbnailSheets> m_thumbnails; // taps its frames; null: off
    std::vector<std::unique_ptr<RenditionEncoder>> m_encoders;
    std::unique_ptr<AudioRendition> m_audioRendition; // with the request's audioOnly
    // The ladder's audio tracks (AudioTracks.h), each its own rendition when unmuxed (several
    // tracks or a sidecar file); the one muxed track gets one too for the audio-only variant.
    QVector<AudioTrackPlan> m_audioTracks;
    bool m_audioUnmuxed = false;
    int m_rungAudioLane = 0;       // the lane the rungs (or, unmuxed, the progressive MP4) carry
    std::vector<int> m_trackLanes; // per track: its input stage lane, -1 for a sidecar file
    std::vector<std::unique_ptr<AudioRendition>> m_audioRenditions; // per track; null: none
    QHash<QString, QString> m_codecStrings; // rung name -> CODECS, with ",mp4a.40.2" when audio
    QStringList m_subtitleWarnings; // what the subtitle stage said (the audio index records it)
    QHash<QString, std::vector<quality::FrameQuality>> m_qualityFrames; // rung name -> frames
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
        status = encodeAudioFiles();
        for (auto& e : m_encoders)
            e->start();
        if (status.isOk())
            status = m_inputStage->run(&m_encoders);
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
        if (m_request.ladder.measureQuality)
            takeQualityFrames();
        m_encoders.clear(); // frees muxers: every file is closed before we read it back
        status = finish();
    }
    if (status.isOk() && cancelled())
        status = Status::cancelled();
    if (status.isOk())
        status = m_staging.commit();
    if (status.isOk()) {
        if (!m_request.range.active)
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
        m_result.quality.clear();
        m_result.qualityReport.clear();
        if (status.isCancelled())
            status = Status::cancelled(QStringLiteral("%1: cancelled").arg(m_request.inputPath));
    }
    m_result.status = status;
    m_result.elapsedSeconds = m_clock.elapsed() / 1000.0;
    m_result.warnings += m_log->warnings();
    return m_result;
}

// The plan, before anything is decoded: probe (the input is opened here, once), the checks,
// colour and rungs decided, the staging folder and the free space, then the stages opened.
Status Pipeline::prepare() {
    // Opened once: probed here, then decoded from its first packet by the input stage.
    Status s = m_input.open(m_request.inputPath, m_cancel);
    if (!s.isOk())
        return s;
    // The scan's frames and decoder go on into the input stage: the first frames are decoded
    // once, not once for the probe and again for the transcode.
    StatusOr<MediaInfo> info = probeInput(m_input, &m_decodedPrefix);
    if (cancelled()) // the scan's reads were interrupted: its facts are incomplete
        return Status::cancelled();
    if (!info.isOk())
        return info.status();
    m_result.source = info.value();
    s = checkTranscodable(m_result.source);
    if (!s.isOk())
        return s;
    s = m_request.ladder.validate();
    if (!s.isOk())
        return Status::error(s.code(), QStringLiteral("ladder: %1").arg(s.message()));

    // Sidecar audio files are checked before anything is written (nothing half-written).
    s = planAudio();
    if (!s.isOk())
        return s;

    const VideoInfo& v = m_result.source.video;
    m_colour = planColour(v, m_request.ladder.toneMap);
    m_rungs = resolveRenditions(m_request.ladder, v.displayWidth, v.displayHeight);
    if (m_rungs.size() < m_request.ladder.renditions.size())
        m_result.warnings << QStringLiteral("%1 of %2 rungs are larger than the %3x%4 source and "
                                            "were left out (never upscaled)")
                                 .arg(m_request.ladder.renditions.size() - m_rungs.size())
                                 .arg(m_request.ladder.renditions.size())
                                 .arg(v.displayWidth)
                                 .arg(v.displayHeight);
    // HDR rungs keep the source's HLG/PQ; an SDR source has none to keep, so they are left
    // out as upscaled rungs are (validation made sure SDR rungs remain).
    const auto hdrCount =
        std::count_if(m_rungs.begin(), m_rungs.end(), [](const auto& r) { return r.hdr; });
    if (hdrCount > 0 && m_colour.hdrFormat == QLatin1String("SDR")) {
        m_rungs.erase(std::remove_if(m_rungs.begin(), m_rungs.end(),
                                     [](const ResolvedRendition& r) { return r.hdr; }),
                      m_rungs.end());
        m_result.warnings << QStringLiteral("%1 HDR rungs were left out: the source is SDR "
                                            "(transfer %2), there is no HDR to keep")
                                 .arg(hdrCount)
                                 .arg(v.colorTransfer);
    } else if (hdrCount > 0) {
        addHdrKeep(v, &m_colour);
    }
    m_result.conversions << m_colour.conversions;
    m_result.warnings << m_colour.warnings;
    if (v.bitDepth > 8 || v.chromaSubsampling != QLatin1String("4:2:0"))
        m_result.warnings << QStringLiteral("source is %1 (%2-bit %3); %4")
                                 .arg(v.pixelFormat)
                                 .arg(v.bitDepth)
                                 .arg(v.chromaSubsampling)
                                 .arg(m_colour.hdrFilter.empty()
                                          ? QStringLiteral("output is converted to 8-bit 4:2:0")
                                          : QStringLiteral("SDR rungs are converted to 8-bit "
                                                           "4:2:0, HDR rungs to 10-bit 4:2:0"));
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

    m_inputStage = std::make_unique<InputStage>(
        m_input, m_request, m_colour, m_cancel, [this] { tick(); }, &m_result);
    m_inputStage->continueFrom(std::move(m_decodedPrefix));
    m_subtitleStage = std::make_unique<SubtitleStage>(m_request, &m_result);
    // A chunk or the audio alone writes no master: a chunk keeps the thumbnail tiles of its
    // frames and the audio index (one demux of the whole source) the subtitle tracks, saved for
    // the assembly, which writes them as a one-machine run does (core/cluster).
    const bool wholeLadder = !m_request.range.active && !m_request.audioOnly;
    const qsizetype warned = m_result.warnings.size();
    if (!m_request.range.active)
        m_subtitleStage->open(m_input, m_inputStage.get());
    m_subtitleWarnings = m_result.warnings.mid(warned);
    if (m_request.ladder.thumbnails && !m_request.audioOnly) {
        m_thumbnails =
            std::make_unique<trickplay::ThumbnailSheets>(m_result.source.durationSeconds);
        m_inputStage->setFrameTap([this](const AVFrame* frame) {
            m_thumbnails->addFrame(frame, m_inputStage->videoTimeBase());
        });
    }
    if (wholeLadder) {
        std::vector<int> streams;
        for (const AudioTrackPlan& t : m_audioTracks)
            if (t.streamIndex >= 0) {
                m_trackLanes.push_back(int(streams.size()));
                streams.push_back(t.streamIndex);
            } else {
                m_trackLanes.push_back(-1);
            }
        m_inputStage->setAudioTracks(streams);
        // Unmuxed renditions end no later than the video (a muxed track stays as it was).
        if (m_audioUnmuxed)
            m_inputStage->setAudioLengthSeconds(videoSeconds());
    }
    s = m_inputStage->open();
    if (!s.isOk())
        return s;
    if (m_thumbnails && m_request.range.active) // on the one-machine run's grid of tiles
        m_thumbnails->startAtTile(trickplay::ThumbnailSheets::tilesBefore(
            m_request.range.firstFrame, m_inputStage->frameRate(),
            m_thumbnails->intervalSeconds()));
    if (m_request.audioOnly)
        return openAudioRendition();
    if (wholeLadder) {
        // A source track that could not be decoded is left out (the input stage warned).
        for (int i = m_audioTracks.size() - 1; i >= 0; --i)
            if (m_trackLanes[size_t(i)] >= 0 &&
                !m_inputStage->audioLaneOpen(m_trackLanes[size_t(i)])) {
                m_audioTracks.remove(i);
                m_trackLanes.erase(m_trackLanes.begin() + i);
            }
        if (!m_audioTracks.isEmpty() &&
            std::none_of(m_audioTracks.begin(), m_audioTracks.end(),
                         [](const AudioTrackPlan& t) { return t.isDefault; }))
            m_audioTracks.first().isDefault = true;
        s = openAudioRenditions();
        if (!s.isOk())
            return s;
    }
    return openRungs();
}

// The ladder's audio tracks and the layout: one track (of the source, no sidecar file) stays
// muxed into every rung as before; several, or a sidecar file, are each a rendition of their
// own and the rungs are video-only (docs/engine.md, "Audio renditions").
Status Pipeline::planAudio() {
    if (m_request.range.active || m_request.audioOnly)
        return Status::ok(); // a chunk has no audio; the audio index is the main track alone
    StatusOr<QVector<AudioTrackPlan>> tracks =
        planAudioTracks(m_input.format(), m_request.audioFiles, &m_result.warnings);
    if (!tracks.isOk())
        return tracks.status();
    m_audioTracks = tracks.value();
    m_audioUnmuxed = m_audioTracks.size() > 1 || !m_request.audioFiles.isEmpty();
    m_result.audioLayout = m_audioTracks.isEmpty() ? QString()
                                                   : (m_audioUnmuxed ? QStringLiteral("renditions")
                                                                     : QStringLiteral("muxed"));
    for (const AudioTrackPlan& t : m_audioTracks)
        if (t.sourceChannels > 2)
            m_result.conversions << QStringLiteral("audio %1: %2 channels downmixed to stereo")
                                        .arg(t.origin)
                                        .arg(t.sourceChannels);
    return Status::ok();
}

// A muxer per audio rendition: every track when unmuxed; the one muxed track again when the
// audio-only variant is asked for. TS renditions and video-only rungs share one timestamp
// offset (RenditionConfig::tsOffsetSeconds), so they stay in sync.
Status Pipeline::openAudioRenditions() {
    m_audioRenditions.clear();
    const bool wanted = m_audioUnmuxed || m_request.ladder.audioOnlyVariant;
    for (int i = 0; i < m_audioTracks.size(); ++i) {
        if (!wanted) {
            m_audioRenditions.push_back(nullptr);
            continue;
        }
        auto rendition = std::make_unique<AudioRendition>(
            m_staging.path() + QLatin1Char('/') + m_audioTracks[i].folder,
            m_request.ladder.segmentFormat, m_request.ladder.segmentSeconds,
            m_audioUnmuxed ? kUnmuxedTsOffsetSeconds : 0);
        const int lane = m_trackLanes[size_t(i)];
        if (lane >= 0) {
            Status s = rendition->open(m_inputStage->audioEncoder(lane));
            if (!s.isOk())
                return s;
            AudioRendition* r = rendition.get();
            m_inputStage->setAudioSink(lane, [r](AVPacket* packet) { return r->write(packet); });
        }
        m_audioRenditions.push_back(std::move(rendition));
    }
    // Muxed: lane 0 (the one track) goes to every rung. Unmuxed: the default track's lane goes
    // to the progressive MP4's rung only (openRungs).
    int rungLane = m_audioUnmuxed ? -1 : 0;
    if (m_audioUnmuxed) {
        for (int i = 0; i < m_audioTracks.size(); ++i)
            if (m_trackLanes[size_t(i)] >= 0 && (rungLane < 0 || m_audioTracks[i].isDefault))
                rungLane = m_trackLanes[size_t(i)];
    }
    m_inputStage->setRungAudioLane(rungLane);
    m_rungAudioLane = rungLane;
    return Status::ok();
}

// Sidecar audio files (--audio), each read, encoded and muxed on its own before the source's
// decode: AAC is quick (tens of times real time), and a damaged file fails before the video
// is spent on.
Status Pipeline::encodeAudioFiles() {
    for (int i = 0; i < m_audioTracks.size(); ++i) {
        if (m_audioTracks[i].streamIndex >= 0 || !m_audioRenditions[size_t(i)])
            continue;
        Status s = encodeAudioFile(i);
        if (!s.isOk())
            return s;
    }
    return Status::ok();
}

// The video's own length (its stream's duration; the container's can be longer by the
// source's audio): what a sidecar audio file is cut or padded to.
double Pipeline::videoSeconds() const {
    const AVStream* video = m_input.stream(m_result.source.video.streamIndex);
    if (video->duration > 0 && video->duration != AV_NOPTS_VALUE)
        return double(video->duration) * av_q2d(video->time_base);
    return m_result.source.durationSeconds;
}

Status Pipeline::encodeAudioFile(int track) {
    const AudioTrackPlan& t = m_audioTracks[track];
    av::InputFile file;
    Status s = file.open(t.filePath, m_cancel);
    if (!s.isOk())
        return s;
    for (unsigned i = 0; i < file.format()->nb_streams; ++i)
        file.stream(int(i))->discard =
            int(i) == t.fileStreamIndex ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
    const int64_t startUs =
        file.format()->start_time != AV_NOPTS_VALUE ? file.format()->start_time : 0;
    AudioLane lane;
    // As long as the video: a longer commentary is cut, a shorter one padded with silence.
    s = lane.open(file.stream(t.fileStreamIndex), t.filePath, m_request.ladder.audioKbps, startUs,
                  videoSeconds(), true);
    if (!s.isOk())
        return s;
    AudioRendition* rendition = m_audioRenditions[size_t(track)].get();
    s = rendition->open(lane.encoder());
    if (!s.isOk())
        return s;
    lane.setSink([rendition](av::PacketPtr packet) { return rendition->write(packet.get()); });
    av::PacketPtr packet = av::makePacket();
    for (;;) {
        if (cancelled())
            return Status::cancelled();
        tick();
        const int rc = file.read(packet.get());
        if (rc == AVERROR_EOF)
            break;
        if (rc < 0) {
            m_result.warnings
                << QStringLiteral("%1: input ends early (%2)").arg(t.filePath, av::errorString(rc));
            break;
        }
        if (packet->stream_index == t.fileStreamIndex)
            s = lane.decode(packet.get());
        av_packet_unref(packet.get());
        if (!s.isOk())
            return s;
    }
    return lane.decode(nullptr);
}

// The audio track alone, as one rendition (a chunked encode's audio index): every AAC packet
// the input stage encodes goes straight to its muxer, on the input stage's thread.
Status Pipeline::openAudioRendition() {
    if (!m_inputStage->hasAudio())
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: no audio track").arg(m_request.inputPath));
    // TS: the offset the chunks' video-only rungs start at (openRungs), so the sound keeps
    // its place against the picture; libavformat's own shift would put AAC's priming frame,
    // not the first sample, at the first picture's time (21 ms late).
    m_audioRendition = std::make_unique<AudioRendition>(
        m_staging.path() + QStringLiteral("/audio"), m_request.ladder.segmentFormat,
        m_request.ladder.segmentSeconds, kUnmuxedTsOffsetSeconds);
    Status s = m_audioRendition->open(m_inputStage->audioEncoder());
    if (!s.isOk())
        return s;
    m_inputStage->setAudioSink(
        [this](AVPacket* packet) { return m_audioRendition->write(packet); });
    return Status::ok();
}

// One RenditionEncoder per rung, opened (encoder, muxer, playlist header) before any decoding,
// so an unwritable folder or a refused encoder setting fails at once.
Status Pipeline::openRungs() {
    int progressiveIndex = -1;
    if (m_request.ladder.progressive && !m_request.range.active) {
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

    const AVRational frameRate = m_inputStage->frameRate();
    const bool wholeLadder = !m_request.range.active;
    const AVCodecContext* audioEncoder =
        m_rungAudioLane >= 0 ? m_inputStage->audioEncoder(m_rungAudioLane) : nullptr;
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
        if (rung.hdr) {
            config.hdrRange = m_colour.hdrFormat;
            config.hdrMetadata = m_result.source.video.hdrMetadata;
        }
        // AV1's encoder keeps a fixed frame interval (VideoEncoder.h): with AV1 rungs in the
        // ladder, every rung counts frames, so all codecs' keyframes stay on the same frames
        // (at 30000/1001 a 2 s GOP is 60 frames, 2.002 s).
        const double gopFramesExact = config.gopSeconds * av_q2d(frameRate);
        config.keyframesByFrameCount =
            std::any_of(m_rungs.begin(), m_rungs.end(),
                        [](const ResolvedRendition& r) { return r.codec == VideoCodec::Av1; });
        config.gopFrames = config.keyframesByFrameCount
                               ? std::max(1, int(std::lround(gopFramesExact)))
                               : int(std::ceil(gopFramesExact));
        config.frameRate = frameRate;
        config.frameTimeBase = av_inv_q(frameRate);
        config.chunk = m_request.range.active;
        config.firstFrame = m_request.range.firstFrame;
        config.firstSegment = m_request.range.firstSegment;
        const bool progressiveRung = &rung - m_rungs.constData() == progressiveIndex;
        // Unmuxed: the rungs are video-only; the progressive MP4 still has the default audio.
        config.audioEncoder =
            !m_audioUnmuxed || !wholeLadder || progressiveRung ? audioEncoder : nullptr;
        config.audioInHls = !m_audioUnmuxed;
        // A chunk's rungs are video-only too (the audio is the plan's last index).
        config.tsOffsetSeconds =
            m_audioUnmuxed || m_request.range.active ? kUnmuxedTsOffsetSeconds : 0;
        config.measureQuality = m_request.ladder.measureQuality;
        // x265 sizes its own frame threads and thread pool from the core count, as in one
        // ffmpeg process; the share-based count (frame threads) cost HEVC ladders 5 % more
        // CPU than ffmpeg's (bench/codecs-vs-ffmpeg.py, 30 s 1080p: 304.8 vs 289.7 CPU-s).
        config.encoderThreads = rung.codec == VideoCodec::Hevc ? 0 : encoderThreads(rung, m_rungs);
        if (&rung - m_rungs.constData() == progressiveIndex)
            config.progressivePath = m_staging.path() + QLatin1Char('/') + m_result.progressiveMp4;
        auto encoder = std::make_unique<RenditionEncoder>(config, m_cancel, m_log);
        const Status s = encoder->open();
        if (!s.isOk())
            return s;
        m_codecStrings[rung.name] = encoder->codecString();
        if (config.audioEncoder && config.audioInHls)
            m_codecStrings[rung.name] += QStringLiteral(",mp4a.40.2");
        m_encoders.push_back(std::move(encoder));
    }
    return Status::ok();
}

// Encoder threads for one rung. The rungs already run in parallel, so each gets the cores in
// proportion to its share of the ladder's pixels (its share of the encoding work), with some
// headroom for frame threads waiting on each other: the 1080p rung of a 4-rung ladder gets
// about half of them, a 360p rung one thread. Every extra frame thread costs the encoder
// work (x264 syncs rows between frames in flight) and the OS switches, and on a small
// machine the equal split (2 x264 threads for each of 4 rungs on 2 cores) was where our CPU
// time went above one ffmpeg process's (bench/profile-ladder.py).
int Pipeline::encoderThreads(const ResolvedRendition& rung,
                             const QVector<ResolvedRendition>& ladder) {
    double totalPixels = 0;
    for (const ResolvedRendition& r : ladder)
        totalPixels += double(r.width) * r.height;
    const double share = totalPixels > 0 ? double(rung.width) * rung.height / totalPixels : 1;
    const int cores = std::max(1, QThread::idealThreadCount());
    constexpr double kThreadsPerCoreShare = 1.5;
    return std::clamp(int(std::lround(share * cores * kThreadsPerCoreShare)), 1, 16);
}

// Each rung's per-frame figures, kept for the finishing stage (which knows the segments).
void Pipeline::takeQualityFrames() {
    for (const auto& e : m_encoders) {
        const QString& name = e->config().rung.name;
        m_qualityFrames[name] = e->takeQualityFrames();
        if (e->unmatchedQualityFrames() > 0)
            m_result.warnings << QStringLiteral("rendition %1: %2 frames could not be paired with "
                                                "their decoded output and are not measured")
                                     .arg(name)
                                     .arg(e->unmatchedQualityFrames());
    }
}

Status Pipeline::finish() {
    // A chunk's segments and its rungs' own playlists are all it leaves: the master, poster
    // and steps are written once, by the assembly of every chunk (core/cluster).
    if (m_audioRendition) {
        // The audio index: its subtitle tracks and what was said about them (a file or track
        // left out), for the assembly to write and say.
        Status s = m_audioRendition->finish();
        const qsizetype warned = m_result.warnings.size();
        const QVector<subtitles::Track> tracks = m_subtitleStage->takeTracks();
        m_subtitleWarnings += m_result.warnings.mid(warned);
        if (s.isOk() && (!tracks.isEmpty() || !m_subtitleWarnings.isEmpty()))
            s = writeFileAtomically(
                m_staging.path() + QStringLiteral("/subtitles.json"),
                QJsonDocument(
                    QJsonObject{{QStringLiteral("tracks"), subtitles::tracksToJson(tracks)},
                                {QStringLiteral("warnings"),
                                 QJsonArray::fromStringList(m_subtitleWarnings)}})
                    .toJson(QJsonDocument::Compact));
        return s;
    }
    if (m_request.range.active && m_thumbnails) {
        StatusOr<QJsonObject> tiles =
            m_thumbnails->saveTiles(m_staging.path() + QStringLiteral("/thumbs/tiles.yuv"));
        if (!tiles.isOk())
            return tiles.status();
        return writeFileAtomically(m_staging.path() + QStringLiteral("/thumbs/tiles.json"),
                                   QJsonDocument(tiles.value()).toJson(QJsonDocument::Compact));
    }
    if (m_request.range.active)
        return Status::ok();
    for (auto& r : m_audioRenditions) {
        if (!r)
            continue;
        Status s = r->finish();
        if (!s.isOk())
            return s;
    }
    EncodedLadder ladder;
    ladder.directory = m_staging.path();
    ladder.rungs = m_rungs;
    ladder.codecs = m_codecStrings;
    ladder.hdrRange = m_colour.hdrFormat;
    ladder.frameRate = m_inputStage->frameRate();
    ladder.posterCandidates = m_inputStage->takePosterCandidates();
    ladder.posterTimeBase = m_inputStage->videoTimeBase();
    ladder.qualityFrames = std::move(m_qualityFrames);
    ladder.subtitles = m_subtitleStage->takeTracks();
    ladder.thumbnails = m_thumbnails.get();
    for (int i = 0; i < m_audioTracks.size(); ++i) {
        if (!m_audioRenditions[size_t(i)])
            continue;
        const AudioTrackPlan& t = m_audioTracks[i];
        ladder.audio.append(EncodedLadder::Audio{t.folder + QStringLiteral("/index.m3u8"),
                                                 t.language, t.name, t.isDefault, t.channels,
                                                 t.origin});
    }
    ladder.audioMuxed = !m_audioUnmuxed;
    return finishLadder(ladder, m_request, m_steps, &m_result);
}

} // namespace

Transcoder::Transcoder(TranscodeRequest request) : m_request(std::move(request)) {}

void Transcoder::addFinishingStep(std::shared_ptr<FinishingStep> step) {
    m_steps.push_back(std::move(step));
}

TranscodeResult Transcoder::run(const ProgressCallback& onProgress,
                                const std::atomic<bool>* cancelFlag) {
    Pipeline pipeline(m_request, m_steps, onProgress, cancelFlag);
    return pipeline.run();
}

} // namespace hlsforge
