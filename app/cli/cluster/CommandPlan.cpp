// hlsforge-cli plan SOURCE --ladder L --out DIR [--chunk-seconds N]: the first step of a chunked
// encode (docs/cluster.md) — the source cut into chunks on the ladder's segment boundaries,
// written as DIR/plan.json.

#include "CliCommand.h"
#include "CommandLine.h"

#include "cluster/ClusterPlan.h"
#include "ladder/Presets.h"
#include "probe/MediaProbe.h"

#include <QDir>
#include <QJsonDocument>
#include <QSaveFile>

namespace hlsforge::cli {
namespace {

int runPlan(const QStringList& args) {
    CommandLine cl(
        QStringLiteral("plan"), {QStringLiteral("SOURCE --ladder PRESET|FILE --out DIR [options]")},
        QStringLiteral(
            "Plans a chunked encode: probes SOURCE, resolves the ladder against it and cuts it\n"
            "into chunks of whole segments, on the frames where a one-machine transcode of the\n"
            "same ladder starts its segments. Writes DIR/plan.json: the chunks (first segment,\n"
            "first frame), the resolved rungs, the keyframe rule and \"indices\" (one per chunk,\n"
            "then one for the audio track). Design and status: docs/cluster.md."));
    const QCommandLineOption ladderOption = cl.addOption(
        QStringLiteral("ladder"), QStringLiteral("PRESET|FILE"),
        QStringLiteral("a built-in ladder (see `hlsforge-cli presets`) or a ladder JSON file"),
        QStringLiteral("web"));
    const QCommandLineOption outOption =
        cl.addOption(QStringLiteral("out"), QStringLiteral("DIR"),
                     QStringLiteral("where the ladder will land; plan.json is written there"));
    const QCommandLineOption chunkOption = cl.addOption(
        QStringLiteral("chunk-seconds"), QStringLiteral("S"),
        QStringLiteral("about this long per chunk (a whole number of segments, at least one)"),
        QStringLiteral("60"), CommandLine::number(0, 86400, true));
    cl.addJsonOption(QStringLiteral("print the plan on stdout as well"));
    cl.setEpilogue(QStringLiteral("Exit status: 0 plan written, 1 the source or the ladder could "
                                  "not be used (named on\nstderr), 2 bad usage.\n"));
    if (const std::optional<int> exitCode = cl.parse(args))
        return *exitCode;
    if (cl.positional().size() != 1)
        return cl.usageError(QStringLiteral("give one source file"));
    const QString out = cl.value(outOption);
    if (out.isEmpty())
        return cl.usageError(QStringLiteral("--out DIR is required"));
    if (out.contains(QLatin1String("://")))
        return cl.usageError(
            QStringLiteral("--out takes a folder for now (s3:// outputs come with the chunk "
                           "encoder, docs/cluster.md)"));

    const StatusOr<Ladder> ladder =
        loadLadderSpec(cl.isSet(ladderOption) ? cl.value(ladderOption) : QStringLiteral("web"));
    if (!ladder.isOk()) {
        printErr(QStringLiteral("error: %1\n").arg(ladder.status().message()));
        return kExitFailed;
    }
    const QString source = cl.positional().constFirst();
    const StatusOr<MediaInfo> media = probeFile(source);
    if (!media.isOk()) {
        printErr(QStringLiteral("error: %1\n").arg(media.status().message()));
        return kExitFailed;
    }
    const StatusOr<cluster::ClusterPlan> plan = cluster::planChunks(
        media.value(), QDir(out).absolutePath(), ladder.value(), cl.doubleValue(chunkOption, 60));
    if (!plan.isOk()) {
        printErr(QStringLiteral("error: %1: %2\n").arg(source, plan.status().message()));
        return kExitFailed;
    }

    const QByteArray json = QJsonDocument(plan->toJson()).toJson(QJsonDocument::Indented);
    const QString path = QDir(out).filePath(QStringLiteral("plan.json"));
    QSaveFile file(path);
    if (!QDir().mkpath(out) || !file.open(QIODevice::WriteOnly) || file.write(json) < 0 ||
        !file.commit()) {
        printErr(QStringLiteral("error: %1: cannot write the plan (%2)\n")
                     .arg(QDir::toNativeSeparators(path), file.errorString()));
        return kExitFailed;
    }
    if (cl.json())
        printOut(QString::fromUtf8(json));
    printErr(QStringLiteral("plan: %1 -> %2: %3 segments of %4 s in %5 chunks, %6 indices\n")
                 .arg(source, QDir::toNativeSeparators(path))
                 .arg(plan->segmentCount)
                 .arg(plan->keyframes.segmentSeconds)
                 .arg(plan->chunks.size())
                 .arg(plan->indexCount()));
    return kExitOk;
}

CliRegistration registration{
    {QStringLiteral("plan"), QStringLiteral("plan SOURCE --ladder L --out DIR"),
     QStringLiteral("Plan a chunked encode (chunks on segment boundaries)"), runPlan, 70}};

} // namespace
} // namespace hlsforge::cli
