#include "cluster/ChunkJob.h"

#include "check/SegmentScan.h"
#include "job/TranscodeJob.h"
#include "playlist/MediaPlaylist.h"
#include "probe/Thumbnail.h"
#include "subtitles/Cue.h"
#include "transcode/FinishingStage.h"
#include "transcode/Transcoder.h"
#include "trickplay/ThumbnailSheets.h"
#include "web/PlayerPageStep.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTemporaryDir>

#include <cmath>
#include <memory>

namespace hlsforge::cluster {

namespace {

Status writeJsonFile(const QString& path, const QJsonObject& json) {
    QSaveFile file(path);
    if (!QDir().mkpath(QFileInfo(path).absolutePath()) || !file.open(QIODevice::WriteOnly) ||
        file.write(QJsonDocument(json).toJson(QJsonDocument::Indented)) < 0 || !file.commit())
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot write (%2)")
                                 .arg(QDir::toNativeSeparators(path), file.errorString()));
    return Status::ok();
}

// Replaces `to` with `from` (same file system: a rename).
Status moveFile(const QString& from, const QString& to) {
    QFile::remove(to);
    if (!QFile::rename(from, to))
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot move into place").arg(to));
    return Status::ok();
}

// What an earlier, interrupted run of an index (or of any index, for `index` < 0) left in the
// ladder's folder: its private folder and the engine's staging folders beside it.
void removeLeftovers(const QString& output, int index) {
    const QString name = index < 0 ? QStringLiteral("*") : QString::number(index);
    QDir dir(output);
    for (const QString& pattern : {QStringLiteral(".chunk-%1").arg(name),
                                   QStringLiteral("..chunk-%1.hlsforge-staging-*").arg(name)}) {
        for (const QString& left :
             dir.entryList({pattern}, QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot))
            QDir(dir.filePath(left)).removeRecursively();
    }
}

QString initName(int index) {
    return index == 0 ? QStringLiteral("init.mp4") : QStringLiteral("init-%1.mp4").arg(index);
}

} // namespace

ChunkJob::ChunkJob(ClusterPlan plan, int index, S3Settings s3, QObject* parent)
    : Job(parent), m_plan(std::move(plan)), m_index(index), m_s3(std::move(s3)) {}

ChunkJob::~ChunkJob() {
    waitForWorker();
}

QString ChunkJob::title() const {
    return QStringLiteral("%1 chunk %2/%3")
        .arg(QFileInfo(m_plan.source).fileName())
        .arg(m_index)
        .arg(m_plan.chunks.size());
}

QJsonObject ChunkJob::resultJson() const {
    QJsonObject o = Job::resultJson();
    o[QStringLiteral("index")] = m_index;
    o[QStringLiteral("record")] = recordPath(m_plan, m_index);
    return o;
}

QString ChunkJob::recordPath(const ClusterPlan& plan, int index) {
    return QDir(plan.output).filePath(QStringLiteral("chunks/chunk-%1.json").arg(index));
}

Status ChunkJob::run(const CancelToken& cancel, ProgressSink& progress) {
    if (m_index < 0 || m_index >= m_plan.indexCount())
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("index %1 is not in the plan (0 to %2)")
                                 .arg(m_index)
                                 .arg(m_plan.indexCount() - 1));
    if (isByteRange(m_plan.ladder.segmentFormat))
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("ladder: segmentFormat: a chunked ladder needs "
                                            "segment files, not byte ranges of one file"));
    m_work = m_plan;
    StatusOr<QString> source = openableSource(m_plan.source, m_s3);
    if (!source.isOk())
        return source.status();
    m_work.source = source.value();
    // FFmpeg's messages name what it opened: the presigned URL becomes the s3:// address again.
    const auto named = [&](const Status& s) {
        if (s.isOk() || s.isCancelled() || m_work.source == m_plan.source)
            return s;
        QString message = s.message(), detail = s.detail();
        message.replace(m_work.source, m_plan.source);
        detail.replace(m_work.source, m_plan.source);
        return Status::error(s.code(), message, detail);
    };
    // The audio index reads the plan's subtitle files (with the source's own text tracks): in
    // the plan's folder, or fetched from s3:// into a scratch folder of their own.
    std::unique_ptr<QTemporaryDir> inputs;
    if (m_index == m_plan.audioIndex() && !m_plan.subtitleFiles.isEmpty()) {
        inputs = std::make_unique<QTemporaryDir>(
            QDir::temp().filePath(QStringLiteral("hlsforge-inputs-XXXXXX")));
        StatusOr<QVector<subtitles::SubtitleInput>> local =
            fetchPlanInputs(m_plan, inputs->path(), m_s3);
        if (!local.isOk())
            return local.status();
        m_work.subtitleFiles = local.value();
    }
    if (!isS3Uri(m_plan.output))
        return named(runHere(cancel, progress));

    // S3: encoded into a scratch folder, then uploaded. This index's record goes first, so
    // the index is not done while its objects are replaced; its segments go to their final
    // keys, and its record last.
    StatusOr<S3Place> place = resolveS3(m_plan.output, m_s3);
    if (!place.isOk())
        return place.status();
    const QString recordKey =
        place->target.keyFor(QStringLiteral("chunks/chunk-%1.json").arg(m_index));
    Status s = deleteObject(place.value(), recordKey);
    if (!s.isOk())
        return s;
    QTemporaryDir scratch(QDir::temp().filePath(QStringLiteral("hlsforge-chunk-XXXXXX")));
    if (!scratch.isValid())
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot make a scratch folder (%2)")
                                 .arg(QDir::tempPath(), scratch.errorString()));
    m_work.output = scratch.path();
    s = named(runHere(cancel, progress));
    if (!s.isOk())
        return s;
    JobProgress p;
    p.phase = JobPhase::Uploading;
    p.fraction = 0.99;
    progress.report(p);
    const QString record = QStringLiteral("chunks/chunk-%1.json").arg(m_index);
    QStringList files;
    QDirIterator it(scratch.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString rel = QDir(scratch.path()).relativeFilePath(it.next());
        if (rel != record)
            files.append(rel);
    }
    s = uploadFiles(place.value(), scratch.path(), files, {record}, *cancel.flag());
    if (!s.isOk())
        return s;
    p.phase = JobPhase::Done;
    p.fraction = 1;
    progress.report(p);
    return Status::ok();
}

// One index into m_work.output, a folder.
Status ChunkJob::runHere(const CancelToken& cancel, ProgressSink& progress) {
    // A retried index (killed, or run again) starts clean; its record goes until it is done.
    removeLeftovers(m_work.output, m_index);
    QFile::remove(recordPath(m_work, m_index));
    if (m_index == m_work.audioIndex())
        return runAudio(cancel, progress);
    const Chunk& chunk = m_work.chunks[m_index];
    TranscodeRequest request;
    request.inputPath = m_work.source;
    // A private folder per index: a killed run leaves nothing under the final names.
    request.outputDir = QDir(m_work.output).filePath(QStringLiteral(".chunk-%1").arg(m_index));
    request.ladder = m_work.ladder;
    request.ladder.playerPage = false;
    request.ladder.progressive = false;
    request.ladder.measureQuality = false;
    request.range.active = true;
    request.range.firstFrame = chunk.firstFrame;
    request.range.endFrame = chunk.endFrame;
    request.range.firstSegment = chunk.firstSegment;

    JobProgress p;
    p.phase = JobPhase::Encoding;
    const double chunkFrames =
        double((chunk.endFrame >= 0 ? chunk.endFrame : m_work.frameCount) - chunk.firstFrame);
    Transcoder transcoder(request);
    const TranscodeResult result = transcoder.run(
        [&](const TranscodeProgress& t) {
            JobProgress now = TranscodeJob::toJobProgress(t);
            now.fraction =
                chunkFrames > 0 ? std::min(0.99, double(t.framesDone) / chunkFrames) : now.fraction;
            now.framesTotal = qint64(chunkFrames);
            progress.report(now);
        },
        cancel.flag());
    if (!result.status.isOk()) {
        QDir(request.outputDir).removeRecursively();
        return result.status;
    }
    const Status moved = moveIntoPlace(request.outputDir);
    QDir(request.outputDir).removeRecursively();
    if (!moved.isOk())
        return moved;
    p.phase = JobPhase::Done;
    p.fraction = 1;
    progress.report(p);
    return Status::ok();
}

// The audio index: the whole track once, as the ladder's audio rendition (audio/).
Status ChunkJob::runAudio(const CancelToken& cancel, ProgressSink& progress) {
    TranscodeRequest request;
    request.inputPath = m_work.source;
    request.outputDir = QDir(m_work.output).filePath(QStringLiteral(".chunk-%1").arg(m_index));
    request.ladder = m_work.ladder;
    request.ladder.playerPage = false;
    request.ladder.progressive = false;
    request.ladder.measureQuality = false;
    request.audioOnly = true;
    request.subtitleFiles = m_work.subtitleFiles;
    JobProgress p;
    p.phase = JobPhase::Encoding;
    progress.report(p);
    Transcoder transcoder(request);
    const TranscodeResult result = transcoder.run({}, cancel.flag());
    if (!result.status.isOk()) {
        QDir(request.outputDir).removeRecursively();
        return result.status;
    }
    const QString from = QDir(request.outputDir).filePath(QStringLiteral("audio"));
    const QString to = QDir(m_work.output).filePath(QStringLiteral("audio"));
    if (!QDir().mkpath(to))
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot create the folder").arg(to));
    QJsonArray files;
    for (const QString& name : QDir(from).entryList(QDir::Files, QDir::Name)) {
        Status m = moveFile(QDir(from).filePath(name), QDir(to).filePath(name));
        if (!m.isOk())
            return m;
        files.append(name);
    }
    QJsonObject record{{QStringLiteral("index"), m_index}, {QStringLiteral("audio"), files}};
    // The subtitle tracks read in this one demux of the source, cues and all, for the assembly
    // (which cuts them on the video's segments); and what a user should hear about them.
    QFile tracks(QDir(request.outputDir).filePath(QStringLiteral("subtitles.json")));
    if (tracks.open(QIODevice::ReadOnly)) {
        const QJsonObject subtitles = QJsonDocument::fromJson(tracks.readAll()).object();
        record[QStringLiteral("subtitles")] = subtitles.value(QStringLiteral("tracks"));
        record[QStringLiteral("warnings")] = subtitles.value(QStringLiteral("warnings"));
    }
    QDir(request.outputDir).removeRecursively();
    Status s = writeJsonFile(recordPath(m_work, m_index), record);
    p.phase = JobPhase::Done;
    p.fraction = 1;
    progress.report(p);
    return s;
}

// The chunk's segments to their final names in the ladder's rung folders, then its record.
Status ChunkJob::moveIntoPlace(const QString& staged) {
    const Chunk& chunk = m_work.chunks[m_index];
    const bool fmp4 = isFmp4(m_work.ladder.segmentFormat);
    QJsonArray rungs;
    for (const ResolvedRendition& rung : m_work.rungs) {
        const QString from = QDir(staged).filePath(rung.name);
        StatusOr<MediaPlaylist> playlist =
            MediaPlaylist::load(from + QStringLiteral("/index.m3u8"));
        if (!playlist.isOk())
            return playlist.status();
        if (playlist->segments.size() != chunk.segmentCount)
            return Status::error(Status::Code::Internal,
                                 QStringLiteral("chunk %1, rung %2: %3 segments made, the plan "
                                                "has %4")
                                     .arg(m_index)
                                     .arg(rung.name)
                                     .arg(playlist->segments.size())
                                     .arg(chunk.segmentCount));
        const QString to = QDir(m_work.output).filePath(rung.name);
        if (!QDir().mkpath(to))
            return Status::error(Status::Code::IoError,
                                 QStringLiteral("%1: cannot create the folder").arg(to));
        QJsonArray segments;
        for (const MediaSegment& s : playlist->segments) {
            const QString name = QFileInfo(s.uri).fileName();
            const qint64 bytes = QFileInfo(QDir(from).filePath(name)).size();
            Status m = moveFile(QDir(from).filePath(name), QDir(to).filePath(name));
            if (!m.isOk())
                return m;
            segments.append(QJsonObject{{QStringLiteral("uri"), name},
                                        {QStringLiteral("seconds"), s.durationSeconds},
                                        {QStringLiteral("bytes"), bytes}});
        }
        QJsonObject record{{QStringLiteral("name"), rung.name},
                           {QStringLiteral("segments"), segments}};
        if (fmp4) {
            Status m = moveFile(QDir(from).filePath(QStringLiteral("init.mp4")),
                                QDir(to).filePath(initName(m_index)));
            if (!m.isOk())
                return m;
            record[QStringLiteral("init")] = initName(m_index);
        }
        rungs.append(record);
    }
    QJsonObject record{{QStringLiteral("index"), m_index},
                       {QStringLiteral("firstSegment"), chunk.firstSegment},
                       {QStringLiteral("rungs"), rungs}};
    // The seek thumbnails' tiles of this chunk's frames, raw, beside its record: the assembly
    // packs every chunk's into the sheets (trickplay::ThumbnailSheets::loadTiles).
    QFile tiles(QDir(staged).filePath(QStringLiteral("thumbs/tiles.json")));
    if (tiles.open(QIODevice::ReadOnly)) {
        QJsonObject saved = QJsonDocument::fromJson(tiles.readAll()).object();
        if (saved.value(QStringLiteral("tileCount")).toInt() > 0) {
            const QString name = QStringLiteral("tiles-%1.yuv").arg(m_index);
            const QString to = QFileInfo(recordPath(m_work, m_index)).absolutePath();
            Status m = QDir().mkpath(to)
                           ? moveFile(QDir(staged).filePath(QStringLiteral("thumbs/tiles.yuv")),
                                      QDir(to).filePath(name))
                           : Status::error(Status::Code::IoError,
                                           QStringLiteral("%1: cannot create the folder").arg(to));
            if (!m.isOk())
                return m;
            saved[QStringLiteral("file")] = name;
        }
        record[QStringLiteral("thumbnails")] = saved;
    }
    return writeJsonFile(recordPath(m_work, m_index), record);
}

QList<int> missingIndices(const ClusterPlan& plan) {
    QList<int> missing;
    for (int i = 0; i < plan.indexCount(); ++i) {
        if (!QFileInfo::exists(ChunkJob::recordPath(plan, i)))
            missing.append(i);
    }
    return missing;
}

namespace {

// One rung's media playlist from the chunk records, in order.
Status writeRungPlaylist(const ClusterPlan& plan, const ResolvedRendition& rung,
                         const QVector<QJsonObject>& records, QString* firstSegmentPath) {
    const bool fmp4 = isFmp4(plan.ladder.segmentFormat);
    QByteArray body;
    double longest = 0;
    for (const QJsonObject& record : records) {
        for (const QJsonValue& value : record.value(QStringLiteral("rungs")).toArray()) {
            const QJsonObject r = value.toObject();
            if (r.value(QStringLiteral("name")).toString() != rung.name)
                continue;
            for (const QJsonValue& s : r.value(QStringLiteral("segments")).toArray()) {
                const QJsonObject segment = s.toObject();
                const double seconds = segment.value(QStringLiteral("seconds")).toDouble();
                longest = std::max(longest, seconds);
                body += "#EXTINF:" + QByteArray::number(seconds, 'f', 6) + ",\n" +
                        segment.value(QStringLiteral("uri")).toString().toUtf8() + '\n';
                if (firstSegmentPath->isEmpty())
                    *firstSegmentPath =
                        QDir(plan.output)
                            .filePath(rung.name + QLatin1Char('/') +
                                      segment.value(QStringLiteral("uri")).toString());
            }
        }
    }
    // The header the HLS muxer writes for a one-machine ladder; chunk 0's init segment for
    // all (every chunk's encoder has the same settings, so the same parameter sets).
    QByteArray text = "#EXTM3U\n#EXT-X-VERSION:" + QByteArray(fmp4 ? "7" : "3") +
                      "\n#EXT-X-TARGETDURATION:" + QByteArray::number(int(std::lround(longest))) +
                      "\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
                      "#EXT-X-INDEPENDENT-SEGMENTS\n";
    if (fmp4)
        text += "#EXT-X-MAP:URI=\"init.mp4\"\n";
    text += body + "#EXT-X-ENDLIST\n";
    QSaveFile file(QDir(plan.output).filePath(rung.name + QStringLiteral("/index.m3u8")));
    if (!file.open(QIODevice::WriteOnly) || file.write(text) < 0 || !file.commit())
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot write (%2)").arg(file.fileName(), file.errorString()));
    return Status::ok();
}

// Every chunk wrote its own init segment; the playlist names chunk 0's for all, which holds
// as every chunk's encoder has the same settings. Checked by the CODECS each chunk's init +
// first segment give (profile, level, tier, bit depth), then the others are removed.
Status dropLaterInitSegments(const ClusterPlan& plan, const ResolvedRendition& rung,
                             const QVector<QJsonObject>& records, const QString& codecs) {
    const QDir dir(QDir(plan.output).filePath(rung.name));
    for (const QJsonObject& record : records) {
        for (const QJsonValue& value : record.value(QStringLiteral("rungs")).toArray()) {
            const QJsonObject r = value.toObject();
            const QString init = r.value(QStringLiteral("init")).toString();
            if (r.value(QStringLiteral("name")).toString() != rung.name || init.isEmpty() ||
                init == QLatin1String("init.mp4"))
                continue;
            QFile a(dir.filePath(init));
            const QString first = r.value(QStringLiteral("segments"))
                                      .toArray()
                                      .first()
                                      .toObject()
                                      .value(QStringLiteral("uri"))
                                      .toString();
            QFile b(dir.filePath(first));
            if (!a.exists() && !QFileInfo::exists(dir.filePath(QStringLiteral("init.mp4"))))
                return Status::error(Status::Code::IoError,
                                     QStringLiteral("%1: missing").arg(a.fileName()));
            if (!a.exists())
                continue; // checked and removed by an earlier assembly
            if (!a.open(QIODevice::ReadOnly) || !b.open(QIODevice::ReadOnly))
                return Status::error(Status::Code::IoError,
                                     QStringLiteral("%1: cannot read").arg(a.fileName()));
            StatusOr<check::SegmentScan> scan =
                check::scanSegment(a.readAll() + b.readAll(), b.fileName(), true);
            if (!scan.isOk())
                return scan.status();
            if (scan->videoCodecString != codecs)
                return Status::error(
                    Status::Code::Internal,
                    QStringLiteral("chunk %1, rung %2: its stream is %3, chunk 0's "
                                   "is %4; the chunks cannot share one init "
                                   "segment")
                        .arg(record.value(QStringLiteral("index")).toInt())
                        .arg(rung.name, scan->videoCodecString, codecs));
            a.close();
            QFile::remove(a.fileName());
        }
    }
    return Status::ok();
}

// Every chunk's thumbnail tiles, in order; null (and a warning) when they do not join up, or
// when the chunks made none (a plan from before chunks made them).
std::unique_ptr<trickplay::ThumbnailSheets> loadThumbnailTiles(const ClusterPlan& plan,
                                                               const QVector<QJsonObject>& records,
                                                               QStringList* warnings) {
    auto sheets = std::make_unique<trickplay::ThumbnailSheets>(plan.durationSeconds);
    const QString folder = QFileInfo(ChunkJob::recordPath(plan, 0)).absolutePath();
    for (const QJsonObject& record : records) {
        const QJsonObject saved = record.value(QStringLiteral("thumbnails")).toObject();
        if (saved.value(QStringLiteral("tileCount")).toInt() <= 0)
            continue;
        const Status s = sheets->loadTiles(
            QDir(folder).filePath(saved.value(QStringLiteral("file")).toString()), saved);
        if (!s.isOk()) {
            if (warnings)
                *warnings << QStringLiteral("no seek thumbnails: %1").arg(s.message());
            return nullptr;
        }
    }
    if (sheets->tileCount() == 0)
        return nullptr;
    return sheets;
}

// Assembly in the plan's output folder.
// The poster, as a one-machine run picks it (the most detailed of a few frames around a
// quarter of the way in, at the top rung's size), read from the source: no index decodes those
// frames for it. `source` is what FFmpeg can open (a presigned URL for s3://). A poster that
// cannot be made is a warning, as on one machine.
void writePosterFromSource(const ClusterPlan& plan, const QString& source,
                           TranscodeResult* result) {
    if (plan.rungs.isEmpty())
        return;
    StatusOr<QByteArray> jpeg = extractJpeg(source, plan.rungs.first().height);
    if (!jpeg.isOk()) {
        QString why = jpeg.status().message();
        result->warnings
            << QStringLiteral("no poster image: %1").arg(why.replace(source, plan.source));
        return;
    }
    QSaveFile poster(QDir(plan.output).filePath(QStringLiteral("poster.jpg")));
    if (poster.open(QIODevice::WriteOnly) && poster.write(jpeg.value()) >= 0 && poster.commit())
        result->poster = QStringLiteral("poster.jpg");
    else
        result->warnings << QStringLiteral("no poster image: %1: %2")
                                .arg(poster.fileName(), poster.errorString());
}

Status assembleHere(const ClusterPlan& plan, QStringList* warnings, const QString& posterSource) {
    const QList<int> missing = missingIndices(plan);
    if (!missing.isEmpty()) {
        QStringList names;
        for (int i : missing)
            names << QString::number(i);
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("%1: not every index is done; missing: %2")
                                 .arg(plan.output, names.join(QStringLiteral(", "))));
    }
    removeLeftovers(plan.output, -1);
    QVector<QJsonObject> records;
    for (int i = 0; i < plan.chunks.size(); ++i) {
        QFile file(ChunkJob::recordPath(plan, i));
        if (!file.open(QIODevice::ReadOnly))
            return Status::error(Status::Code::IoError,
                                 QStringLiteral("%1: cannot read").arg(file.fileName()));
        records.append(QJsonDocument::fromJson(file.readAll()).object());
    }
    QJsonObject audioRecord;
    if (plan.audioIndex() >= 0) {
        QFile file(ChunkJob::recordPath(plan, plan.audioIndex()));
        if (!file.open(QIODevice::ReadOnly))
            return Status::error(Status::Code::IoError,
                                 QStringLiteral("%1: cannot read").arg(file.fileName()));
        audioRecord = QJsonDocument::fromJson(file.readAll()).object();
    }
    const bool fmp4 = isFmp4(plan.ladder.segmentFormat);
    EncodedLadder ladder;
    ladder.directory = plan.output;
    ladder.rungs = plan.rungs;
    ladder.frameRate = plan.keyframes.frameRate;
    for (const ResolvedRendition& rung : plan.rungs) {
        QString firstSegment;
        Status s = writeRungPlaylist(plan, rung, records, &firstSegment);
        if (!s.isOk())
            return s;
        // CODECS (and VIDEO-RANGE) from the stream itself, as the engine takes them from its
        // encoders: the init segment and first segment read together.
        QByteArray bytes;
        for (const QString& path :
             fmp4 ? QStringList{QDir(plan.output).filePath(rung.name + QStringLiteral("/init.mp4")),
                                firstSegment}
                  : QStringList{firstSegment}) {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                return Status::error(Status::Code::IoError,
                                     QStringLiteral("%1: cannot read").arg(path));
            bytes += f.readAll();
        }
        StatusOr<check::SegmentScan> scan = check::scanSegment(bytes, firstSegment, true);
        if (!scan.isOk())
            return scan.status();
        ladder.codecs[rung.name] = scan->videoCodecString;
        if (fmp4) {
            Status same = dropLaterInitSegments(plan, rung, records, scan->videoCodecString);
            if (!same.isOk())
                return same;
        }
        if (rung.hdr)
            ladder.hdrRange = scan->videoRange;
    }
    TranscodeRequest request;
    request.inputPath = plan.source;
    request.outputDir = plan.output;
    request.ladder = plan.ladder;
    request.ladder.measureQuality = false;
    if (plan.hasAudio) {
        EncodedLadder::Audio audio;
        audio.playlist = QStringLiteral("audio/index.m3u8");
        audio.language = plan.audioLanguage;
        audio.name = QStringLiteral("Main");
        audio.isDefault = true;
        audio.origin = QStringLiteral("the source's main audio track");
        ladder.audio.append(audio);
    }
    // The audio index's subtitle tracks and the chunks' thumbnail tiles, written by the
    // finishing stage as a one-machine run writes them.
    for (const QJsonValue& w : audioRecord.value(QStringLiteral("warnings")).toArray())
        if (warnings)
            *warnings << w.toString();
    StatusOr<QVector<subtitles::Track>> tracks =
        subtitles::tracksFromJson(audioRecord.value(QStringLiteral("subtitles")).toArray(),
                                  ChunkJob::recordPath(plan, plan.audioIndex()));
    if (!tracks.isOk())
        return tracks.status();
    ladder.subtitles = tracks.value();
    std::unique_ptr<trickplay::ThumbnailSheets> thumbnails;
    if (plan.ladder.thumbnails)
        thumbnails = loadThumbnailTiles(plan, records, warnings);
    ladder.thumbnails = thumbnails.get();
    std::vector<std::shared_ptr<FinishingStep>> steps;
    if (plan.ladder.playerPage)
        steps.push_back(std::make_shared<PlayerPageStep>());
    TranscodeResult result;
    writePosterFromSource(plan, posterSource, &result);
    const Status finished = finishLadder(ladder, request, steps, &result);
    if (warnings)
        *warnings << result.warnings;
    return finished;
}

} // namespace

Status assembleLadder(const ClusterPlan& plan, QStringList* warnings, const S3Settings& s3) {
    // The source for the poster: read through a presigned URL when it is on S3.
    StatusOr<QString> source = openableSource(plan.source, s3);
    const QString posterSource = source.isOk() ? source.value() : plan.source;
    if (!isS3Uri(plan.output))
        return assembleHere(plan, warnings, posterSource);
    StatusOr<S3Place> place = resolveS3(plan.output, s3);
    if (!place.isOk())
        return place.status();
    // The records first: nothing is read while an index is not done.
    StatusOr<QHash<QString, qint64>> records =
        listObjects(place.value(), place->target.keyFor(QStringLiteral("chunks/")));
    if (!records.isOk())
        return records.status();
    QStringList missing;
    for (int i = 0; i < plan.indexCount(); ++i) {
        if (!records->contains(place->target.keyFor(QStringLiteral("chunks/chunk-%1.json").arg(i))))
            missing << QString::number(i);
    }
    if (!missing.isEmpty())
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("%1: not every index is done; missing: %2")
                                 .arg(plan.output, missing.join(QStringLiteral(", "))));
    QTemporaryDir scratch(QDir::temp().filePath(QStringLiteral("hlsforge-assemble-XXXXXX")));
    if (!scratch.isValid())
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot make a scratch folder (%2)")
                                 .arg(QDir::tempPath(), scratch.errorString()));
    const std::atomic_bool notCancelled{false};
    StatusOr<QStringList> read =
        downloadAll(place.value(), scratch.path(), {QStringLiteral("plan.json")}, notCancelled);
    if (!read.isOk())
        return read.status();
    ClusterPlan here = plan;
    here.output = scratch.path();
    Status s = assembleHere(here, warnings, posterSource);
    if (!s.isOk()) {
        QString message = s.message();
        return Status::error(s.code(), message.replace(scratch.path(), plan.output), s.detail());
    }
    // Everything back: publish's engine skips what is there with the same MD5 (the segments),
    // so what goes up is what assembly wrote, the media playlists before the master.
    QStringList files;
    QDirIterator it(scratch.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(QDir(scratch.path()).relativeFilePath(it.next()));
    s = uploadFiles(place.value(), scratch.path(), files, {}, notCancelled);
    if (!s.isOk())
        return s;
    // What assembly removed (the chunks' own init segments, once checked): gone from S3 too.
    for (const QString& rel : read.value()) {
        if (!files.contains(rel)) {
            s = deleteObject(place.value(), place->target.keyFor(rel));
            if (!s.isOk())
                return s;
        }
    }
    return Status::ok();
}

} // namespace hlsforge::cluster
