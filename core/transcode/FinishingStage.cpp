#include "transcode/FinishingStage.h"

#include "playlist/IFrameIndex.h"
#include "playlist/MasterPlaylist.h"
#include "playlist/MediaPlaylist.h"
#include "probe/Thumbnail.h"
#include "subtitles/SubtitleRendition.h"
#include "util/FfmpegPtr.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace hlsforge {

namespace {

// Reads one rung back: its segments measured, its I-frame playlist written. *playlistVersion
// gets the media playlist's EXT-X-VERSION (the master's must be at least as high).
StatusOr<RenditionResult> measureRung(const ResolvedRendition& rung, const EncodedLadder& ladder,
                                      const TranscodeRequest& request, int* playlistVersion,
                                      QVector<MediaSegment>* segments) {
    const QString dir = ladder.directory + QLatin1Char('/') + rung.name;
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
    StatusOr<IFrameIndex> iframes =
        buildIFrameIndex(playlist.value(), dir, isFmp4(request.ladder.segmentFormat));
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
    r.frameRate = av_q2d(ladder.frameRate);
    r.codecs = ladder.codecs.value(rung.name);
    r.videoRange = rung.hdr ? ladder.hdrRange : QStringLiteral("SDR");
    r.bandwidth = measured->peakBitsPerSecond;
    r.averageBandwidth = measured->averageBitsPerSecond;
    r.segmentCount = playlist->segments.size();
    r.maxSegmentSeconds = measured->maxSegmentSeconds;
    r.totalSeconds = playlist->totalSeconds();
    r.totalBytes = measured->totalBytes;
    r.playlist = rung.name + QStringLiteral("/index.m3u8");
    r.iframePlaylist = rung.name + QStringLiteral("/iframes.m3u8");
    r.iframeBandwidth = iframes->peakBitsPerSecond;
    *playlistVersion = playlist->version;
    *segments = playlist->segments;
    return r;
}

// One rung's figures, overall and per segment of its media playlist: a frame belongs to the
// segment whose start (the sum of the EXTINF before it) it is at or after, within half a frame
// (segments start on keyframes, so frames and starts coincide but for rounding).
quality::RenditionQuality rungQuality(const ResolvedRendition& rung,
                                      const std::vector<quality::FrameQuality>& frames,
                                      const QVector<MediaSegment>& segments, AVRational frameRate) {
    quality::RenditionQuality q;
    q.name = rung.name;
    q.width = rung.width;
    q.height = rung.height;
    q.overall = quality::summarize(frames);
    std::vector<double> starts;
    for (const MediaSegment& segment : segments)
        starts.push_back(segment.startSeconds);
    const double halfFrameSeconds = frameRate.num > 0 ? 0.5 / av_q2d(frameRate) : 0.01;
    const std::vector<quality::QualitySummary> runs =
        quality::summarizeRuns(frames, starts, halfFrameSeconds);
    for (int i = 0; i < segments.size(); ++i)
        q.segments.append(quality::SegmentQuality{segments[i].startSeconds,
                                                  segments[i].durationSeconds, runs[i]});
    return q;
}

Status writeQualityReport(const QString& directory, TranscodeResult* result) {
    QSaveFile file(directory + QStringLiteral("/quality.json"));
    const QByteArray json =
        QJsonDocument(quality::qualityReportJson(result->quality)).toJson(QJsonDocument::Indented);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) < 0 || !file.commit())
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot write (%2)").arg(file.fileName(), file.errorString()));
    result->qualityReport = QStringLiteral("quality.json");
    return Status::ok();
}

void addToMaster(const RenditionResult& r, MasterPlaylist* master) {
    VariantStream variant;
    variant.uri = r.playlist;
    variant.bandwidth = r.bandwidth;
    variant.averageBandwidth = r.averageBandwidth;
    variant.codecs = r.codecs;
    variant.width = r.width;
    variant.height = r.height;
    variant.frameRate = r.frameRate;
    variant.videoRange = r.videoRange; // SDR BT.709, or the HLG/PQ an HDR rung keeps
    variant.score = variantScore(variant);
    master->variants.append(variant);

    IFrameStream iframe;
    iframe.uri = r.iframePlaylist;
    iframe.bandwidth = r.iframeBandwidth;
    iframe.codecs = r.codecs.section(QLatin1Char(','), 0, 0);
    iframe.width = r.width;
    iframe.height = r.height;
    master->iframeStreams.append(iframe);
}

// The poster: the most detailed of the candidate frames, at the top rung's size. A poster that
// cannot be made is a warning, not a failed ladder.
void writePoster(EncodedLadder& ladder, TranscodeResult* result) {
    if (ladder.rungs.isEmpty() || ladder.posterCandidates.empty())
        return;
    std::vector<const AVFrame*> candidates;
    for (const av::FramePtr& f : ladder.posterCandidates)
        candidates.push_back(f.get());
    StatusOr<QByteArray> jpeg =
        bestFrameAsJpeg(candidates, ladder.posterTimeBase, ladder.rungs.first().height);
    ladder.posterCandidates.clear();
    if (!jpeg.isOk()) {
        result->warnings << QStringLiteral("no poster image: %1").arg(jpeg.status().message());
        return;
    }
    QSaveFile poster(ladder.directory + QStringLiteral("/poster.jpg"));
    if (poster.open(QIODevice::WriteOnly) && poster.write(jpeg.value()) >= 0 && poster.commit())
        result->poster = QStringLiteral("poster.jpg");
}

// The first presentation timestamp of the video in a TS segment (90 kHz): what cue time 0 of
// the subtitles maps to (X-TIMESTAMP-MAP). Read rather than assumed: the ffmpeg program's TS
// starts at its 1.4 s mux delay (126000), our rungs (library API, no mux delay) at the shift
// libavformat gives them for the AAC priming (1920 = 1024 samples at 48 kHz).
qint64 firstVideoPtsTicks(const QString& segmentPath) {
    constexpr qint64 kTsDefaultStartTicks = 126000;
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, segmentPath.toUtf8().constData(), nullptr, nullptr) < 0)
        return kTsDefaultStartTicks;
    av::InputFormatPtr ctx(raw);
    if (avformat_find_stream_info(ctx.get(), nullptr) < 0)
        return kTsDefaultStartTicks;
    for (unsigned i = 0; i < ctx->nb_streams; ++i) {
        const AVStream* st = ctx->streams[i];
        if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && st->start_time != AV_NOPTS_VALUE)
            return av_rescale_q(st->start_time, st->time_base, AVRational{1, 90000});
    }
    return kTsDefaultStartTicks;
}

// The audio renditions. Unmuxed, a variant plays one of its group beside its video, so the
// largest one's peak and average (measured, as a rung's) are added to the variant's (Apple 8.2:
// BANDWIDTH covers every rendition the variant may play) and its codec to CODECS. The
// audio-only variant, asked for, comes last and plays the default rendition.
Status addAudioRenditions(const EncodedLadder& ladder, const TranscodeRequest& request,
                          MasterPlaylist* master, TranscodeResult* result) {
    if (ladder.audio.isEmpty())
        return Status::ok();
    const QString group = QStringLiteral("audio");
    int largest = -1;
    int chosen = 0;
    QVector<AudioResult> measuredAll;
    for (int i = 0; i < ladder.audio.size(); ++i) {
        const EncodedLadder::Audio& a = ladder.audio[i];
        const QString path = ladder.directory + QLatin1Char('/') + a.playlist;
        StatusOr<MediaPlaylist> playlist = MediaPlaylist::load(path);
        if (!playlist.isOk())
            return playlist.status();
        StatusOr<BandwidthMeasurement> measured =
            measureBandwidth(playlist.value(), QFileInfo(path).absolutePath());
        if (!measured.isOk())
            return measured.status();
        AudioResult r;
        r.language = a.language;
        r.name = a.name;
        r.isDefault = a.isDefault;
        r.channels = a.channels;
        r.origin = a.origin;
        r.playlist = a.playlist;
        // The peak leaves out a last segment under 0.5 s, where an audio rendition often ends
        // in a sliver of a frame or two whose TS headers weigh more: never below the average.
        r.bandwidth = std::max(measured->peakBitsPerSecond, measured->averageBitsPerSecond);
        r.averageBandwidth = measured->averageBitsPerSecond;
        r.totalSeconds = playlist->totalSeconds();
        measuredAll << r;
        if (largest < 0 || r.bandwidth > measuredAll[largest].bandwidth)
            largest = i;
        if (a.isDefault)
            chosen = i;
        if (ladder.audioMuxed)
            continue;
        MediaRendition m;
        m.type = QStringLiteral("AUDIO");
        m.groupId = group;
        m.name = a.name;
        m.language = a.language;
        m.isDefault = a.isDefault;
        m.autoselect = true;
        m.channels = QString::number(a.channels);
        m.uri = a.playlist;
        master->media.append(m);
    }
    if (!ladder.audioMuxed) {
        for (VariantStream& v : master->variants) {
            v.audioGroup = group;
            v.bandwidth += measuredAll[largest].bandwidth;
            if (v.averageBandwidth > 0)
                v.averageBandwidth += measuredAll[largest].averageBandwidth;
            if (!v.codecs.contains(QLatin1String("mp4a")))
                v.codecs += QStringLiteral(",mp4a.40.2");
        }
    }
    if (request.ladder.audioOnlyVariant) {
        VariantStream v;
        v.uri = measuredAll[chosen].playlist;
        v.bandwidth = measuredAll[chosen].bandwidth;
        v.averageBandwidth = measuredAll[chosen].averageBandwidth;
        v.codecs = QStringLiteral("mp4a.40.2");
        if (!ladder.audioMuxed)
            v.audioGroup = group;
        master->variants.append(v);
        result->audioOnlyPlaylist = v.uri;
    }
    result->audio = measuredAll;
    return Status::ok();
}

// Every subtitle track as segmented WebVTT in subs/<language>[-n]/, and its EXT-X-MEDIA.
Status writeSubtitles(const EncodedLadder& ladder, const TranscodeRequest& request,
                      const QVector<MediaSegment>& videoSegments, MasterPlaylist* master,
                      TranscodeResult* result) {
    if (ladder.subtitles.isEmpty() || videoSegments.isEmpty())
        return Status::ok();
    subtitles::RenditionLayout layout;
    layout.videoSegments = videoSegments;
    layout.targetDurationSeconds = 0;
    for (const MediaSegment& seg : videoSegments)
        layout.targetDurationSeconds =
            std::max(layout.targetDurationSeconds, std::round(seg.durationSeconds));
    if (!isFmp4(request.ladder.segmentFormat))
        layout.mpegtsStartTicks =
            firstVideoPtsTicks(ladder.directory + QLatin1Char('/') + ladder.rungs.first().name +
                               QLatin1Char('/') + videoSegments.first().uri);
    QSet<QString> folders;
    for (const subtitles::Track& track : ladder.subtitles) {
        QString folder = track.language;
        for (int n = 2; folders.contains(folder); ++n)
            folder = QStringLiteral("%1-%2").arg(track.language).arg(n);
        folders.insert(folder);
        const QString relative = QStringLiteral("subs/%1/index.m3u8").arg(folder);
        Status s = subtitles::writeSubtitleRendition(
            track, layout, ladder.directory + QStringLiteral("/subs/") + folder);
        if (!s.isOk())
            return s;
        MediaRendition m;
        m.type = QStringLiteral("SUBTITLES");
        m.groupId = QStringLiteral("subs");
        m.name = track.name;
        m.language = track.language;
        m.isDefault = track.isDefault;
        m.autoselect = true;
        m.forced = track.forced;
        m.uri = relative;
        master->media.append(m);
        SubtitleResult r;
        r.language = track.language;
        r.name = track.name;
        r.isDefault = track.isDefault;
        r.forced = track.forced;
        r.origin = track.origin;
        r.playlist = relative;
        r.cueCount = track.cues.size();
        result->subtitles.append(r);
        if (track.cues.isEmpty())
            result->warnings
                << QStringLiteral("%1: no cues; its subtitle rendition is empty").arg(track.origin);
    }
    for (VariantStream& v : master->variants)
        v.subtitlesGroup = QStringLiteral("subs");
    return Status::ok();
}

// The seek thumbnails (thumbs/) and their EXT-X-IMAGE-STREAM-INF. Thumbnails that cannot be
// made are a warning, not a failed ladder.
void writeThumbnails(const EncodedLadder& ladder, double videoSeconds, MasterPlaylist* master,
                     TranscodeResult* result) {
    if (!ladder.thumbnails)
        return;
    StatusOr<trickplay::SheetIndex> index =
        ladder.thumbnails->write(ladder.directory, videoSeconds);
    if (!index.isOk()) {
        result->warnings << QStringLiteral("no seek thumbnails: %1").arg(index.status().message());
        return;
    }
    ImageStream image;
    image.bandwidth = index->peakBitsPerSecond;
    image.width = index->tileWidth;
    image.height = index->tileHeight;
    image.uri = index->imagePlaylist;
    master->imageStreams.append(image);
    ThumbnailsResult& t = result->thumbnails;
    t.vtt = index->vtt;
    t.imagePlaylist = index->imagePlaylist;
    t.tileWidth = index->tileWidth;
    t.tileHeight = index->tileHeight;
    t.tileCount = index->tileCount;
    t.sheetCount = index->sheetCount;
    t.intervalSeconds = index->intervalSeconds;
}

} // namespace

Status finishLadder(EncodedLadder& ladder, const TranscodeRequest& request,
                    const std::vector<std::shared_ptr<FinishingStep>>& steps,
                    TranscodeResult* result) {
    MasterPlaylist master;
    master.version = 4;
    const double target = request.ladder.segmentSeconds;
    QVector<MediaSegment> firstRungSegments; // the boundaries subtitles are cut on
    for (const ResolvedRendition& rung : ladder.rungs) {
        int version = 0;
        QVector<MediaSegment> segments;
        StatusOr<RenditionResult> r = measureRung(rung, ladder, request, &version, &segments);
        if (!r.isOk())
            return r.status();
        if (request.ladder.measureQuality)
            result->quality.append(rungQuality(rung, ladder.qualityFrames.value(rung.name),
                                               segments, ladder.frameRate));
        if (r->maxSegmentSeconds > target + 0.5)
            result->warnings << QStringLiteral(
                                    "rendition %1: a segment lasts %2 s, more than %3 s + 0.5 s")
                                    .arg(rung.name)
                                    .arg(r->maxSegmentSeconds, 0, 'f', 3)
                                    .arg(target);
        result->renditions.append(r.value());
        if (firstRungSegments.isEmpty())
            firstRungSegments = segments;
        master.version = std::max(master.version, version);
        addToMaster(r.value(), &master);
    }
    if (request.ladder.measureQuality) {
        Status s = writeQualityReport(ladder.directory, result);
        if (!s.isOk())
            return s;
    }
    writePoster(ladder, result);
    Status added = addAudioRenditions(ladder, request, &master, result);
    if (!added.isOk())
        return added;
    Status s = writeSubtitles(ladder, request, firstRungSegments, &master, result);
    if (!s.isOk())
        return s;
    if (!result->renditions.isEmpty())
        writeThumbnails(ladder, result->renditions.first().totalSeconds, &master, result);
    // The master playlist is the last playlist written: it names only what exists.
    Status written = master.write(ladder.directory + QStringLiteral("/master.m3u8"));
    if (!written.isOk())
        return written;
    // Then what the caller asked for beside the ladder (the player page reads master.m3u8).
    const FinishedLadder finished{ladder.directory, request, *result};
    for (const std::shared_ptr<FinishingStep>& step : steps) {
        Status s = step->finish(finished);
        if (!s.isOk())
            return s;
    }
    return Status::ok();
}

} // namespace hlsforge
