// hlsforge-cli plan SOURCE --ladder L --out DIR|s3://B/P [--chunk-seconds N]: the first step of a
// chunked encode (docs/cluster.md) — the source (a file or s3://) cut into chunks on the ladder's
// segment boundaries, written as plan.json at the output.

#include "CliCommand.h"
#include "ClusterS3Options.h"
#include "CommandLine.h"

#include "cluster/ClusterPlan.h"
#include "cluster/ClusterStore.h"
#include "ladder/Presets.h"
#include "probe/MediaProbe.h"
#include "subtitles/SubtitleFile.h"
#include "subtitles/SubtitleSources.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

namespace hlsforge::cli {
namespace {

int runPlan(const QStringList& args) {
    CommandLine cl(
        QStringLiteral("plan"),
        {QStringLiteral("SOURCE|s3://BUCKET/KEY --ladder PRESET|FILE --out DIR|s3://BUCKET/PREFIX "
                        "[options]")},
        QStringLiteral(
            "Plans a chunked encode: probes SOURCE, resolves the ladder against it and cuts it\n"
            "into chunks of whole segments, on the frames where a one-machine transcode of the\n"
            "same ladder starts its segments. Writes DIR/plan.json: the chunks (first segment,\n"
            "first frame), the resolved rungs, the keyframe rule and \"indices\" (one per chunk,\n"
            "then one for the audio track). Design and status: docs/cluster.md.\n"
            "An s3:// source is read through a presigned URL (FFmpeg seeks with Range\n"
            "requests); an s3:// output gets plan.json, the chunks and the ladder."));
    const QCommandLineOption ladderOption = cl.addOption(
        QStringLiteral("ladder"), QStringLiteral("PRESET|FILE"),
        QStringLiteral("a built-in ladder (see `hlsforge-cli presets`) or a ladder JSON file"),
        QStringLiteral("web"));
    const QCommandLineOption outOption = cl.addOption(
        QStringLiteral("out"), QStringLiteral("DIR|URL"),
        QStringLiteral("where the ladder will land (a folder or s3://); plan.json goes there"));
    const QCommandLineOption chunkOption = cl.addOption(
        QStringLiteral("chunk-seconds"), QStringLiteral("S"),
        QStringLiteral("about this long per chunk (a whole number of segments, at least one)"),
        QStringLiteral("60"), CommandLine::number(0, 86400, true));
    const QCommandLineOption subtitlesOption = cl.addOption(
        QStringLiteral("subtitles"), QStringLiteral("FILE[:LANG[:NAME]]"),
        QStringLiteral("a .srt or .vtt file as a subtitle rendition (repeatable), as transcode "
                       "takes it; stored beside plan.json (inputs/) for the workers. The source's "
                       "own text tracks are carried without asking"));
    const QCommandLineOption noThumbnailsOption = cl.addFlag(
        QStringLiteral("no-thumbnails"),
        QStringLiteral("no seek thumbnails (thumbs/); the ladder's \"thumbnails\": false"));
    cl.addJsonOption(QStringLiteral("print the plan on stdout as well"));
    const ClusterS3Options s3Options = ClusterS3Options::add(cl);
    cl.setEpilogue(QStringLiteral("Exit status: 0 plan written, 1 the source or the ladder could "
                                  "not be used (named on\nstderr), 2 bad usage.\n"));
    if (const std::optional<int> exitCode = cl.parse(args))
        return *exitCode;
    if (cl.positional().size() != 1)
        return cl.usageError(QStringLiteral("give one source (a file or s3://BUCKET/KEY)"));
    const QString out = cl.value(outOption);
    if (out.isEmpty())
        return cl.usageError(QStringLiteral("--out DIR|s3://BUCKET/PREFIX is required"));
    if (out.contains(QLatin1String("://")) && !cluster::isS3Uri(out))
        return cl.usageError(QStringLiteral("--out takes a folder or s3://BUCKET/PREFIX"));
    QVector<subtitles::SubtitleInput> subtitleFiles;
    for (const QString& spec : cl.values(subtitlesOption)) {
        const subtitles::SubtitleInput in = subtitles::parseSubtitleSpec(spec);
        if (!QFileInfo(in.path).isFile())
            return cl.usageError(QStringLiteral("--subtitles %1: no such file").arg(in.path));
        // Read now, where the user is: a broken file is named with its line before any worker
        // starts (transcode warns and leaves it out; here nobody would read that warning).
        const StatusOr<QVector<subtitles::Cue>> cues = subtitles::readSubtitleFile(in.path);
        if (!cues.isOk()) {
            printErr(QStringLiteral("error: %1\n").arg(cues.status().message()));
            return kExitFailed;
        }
        subtitleFiles.append(in);
    }
    int exitCode = kExitOk;
    const std::optional<cluster::S3Settings> s3 = s3Options.settings(cl, &exitCode);
    if (!s3)
        return exitCode;

    StatusOr<Ladder> ladder =
        loadLadderSpec(cl.isSet(ladderOption) ? cl.value(ladderOption) : QStringLiteral("web"));
    if (!ladder.isOk()) {
        printErr(QStringLiteral("error: %1\n").arg(ladder.status().message()));
        return kExitFailed;
    }
    if (cl.isSet(noThumbnailsOption))
        ladder.value().thumbnails = false;
    QString source = cl.positional().constFirst();
    if (!cluster::isS3Uri(source))
        source = QFileInfo(source).absoluteFilePath(); // the workers may start elsewhere
    // An s3:// source is read through a presigned URL (checked first, named in errors).
    const StatusOr<QString> openable = cluster::openableSource(source, *s3);
    if (!openable.isOk()) {
        printErr(QStringLiteral("error: %1\n").arg(openable.status().message()));
        return kExitFailed;
    }
    StatusOr<MediaInfo> media = probeFile(openable.value());
    if (!media.isOk()) {
        QString message = media.status().message();
        printErr(QStringLiteral("error: %1\n").arg(message.replace(openable.value(), source)));
        return kExitFailed;
    }
    media.value().path = source;
    QString output = out;
    if (cluster::isS3Uri(out)) {
        while (output.endsWith(QLatin1Char('/')))
            output.chop(1);
    } else {
        output = QDir(out).absolutePath();
    }
    StatusOr<cluster::ClusterPlan> plan =
        cluster::planChunks(media.value(), output, ladder.value(), cl.doubleValue(chunkOption, 60));
    if (!plan.isOk()) {
        printErr(QStringLiteral("error: %1: %2\n").arg(source, plan.status().message()));
        return kExitFailed;
    }

    if (!subtitleFiles.isEmpty() && !plan->hasAudio) {
        // The audio index is the one worker that reads the whole source (and the subtitles
        // with it); a silent source has none.
        printErr(QStringLiteral("error: %1: no audio track; a chunked encode reads subtitles in "
                                "its audio index, so --subtitles needs a source with audio "
                                "(transcode it on one machine instead)\n")
                     .arg(source));
        return kExitFailed;
    }
    // The subtitle files first, plan.json (what the workers start from) last.
    Status saved = cluster::storePlanInputs(&plan.value(), subtitleFiles, *s3);
    if (saved.isOk())
        saved = cluster::savePlan(plan.value(), *s3);
    const QByteArray json = QJsonDocument(plan->toJson()).toJson(QJsonDocument::Indented);
    if (!saved.isOk()) {
        printErr(QStringLiteral("error: %1\n").arg(saved.message()));
        return kExitFailed;
    }
    const QString path =
        cluster::isS3Uri(output)
            ? output + QStringLiteral("/plan.json")
            : QDir::toNativeSeparators(QDir(output).filePath(QStringLiteral("plan.json")));
    if (cl.json())
        printOut(QString::fromUtf8(json));
    printErr(QStringLiteral("plan: %1 -> %2: %3 segments of %4 s in %5 chunks, %6 indices\n")
                 .arg(source, path)
                 .arg(plan->segmentCount)
                 .arg(plan->keyframes.segmentSeconds)
                 .arg(plan->chunks.size())
                 .arg(plan->indexCount()));
    return kExitOk;
}

CliRegistration registration{
    {QStringLiteral("plan"), QStringLiteral("plan SOURCE --ladder L --out DIR|s3://B/P"),
     QStringLiteral("Plan a chunked encode (chunks on segment boundaries)"), runPlan, 70}};

} // namespace
} // namespace hlsforge::cli
