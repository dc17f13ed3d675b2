// hlsforge-cli encode --plan FILE|URL [--index I | --all [--parallel N]] and
// hlsforge-cli assemble --plan FILE|URL (a plan in a folder or at s3://BUCKET/PREFIX/plan.json):
// the chunked encode's workers and its last step (docs/cluster.md). One index per process, as AWS
// Batch array jobs and Kubernetes Indexed Jobs run them: the index comes from --index, else from
// AWS_BATCH_JOB_ARRAY_INDEX or JOB_COMPLETION_INDEX. --all runs every index as a separate process
// of this program, N at a time: exactly what the engines do, on one machine.

#include "CliCommand.h"
#include "ClusterS3Options.h"
#include "CommandLine.h"
#include "JobRunner.h"

#include "cluster/ChunkJob.h"

#include <QCoreApplication>
#include <QProcess>

#include <optional>

namespace hlsforge::cli {
namespace {

// The plan --plan names, or nullopt with the exit status (usage error printed, or the plan's
// error on stderr).
std::optional<cluster::ClusterPlan> planOf(const CommandLine& cl, const QCommandLineOption& option,
                                           const cluster::S3Settings& s3, int* exitCode) {
    if (!cl.isSet(option)) {
        *exitCode = cl.usageError(QStringLiteral("--plan FILE|s3://... is required"));
        return std::nullopt;
    }
    StatusOr<cluster::ClusterPlan> plan = cluster::loadPlan(cl.value(option), s3);
    if (!plan.isOk()) {
        printErr(QStringLiteral("error: %1\n").arg(plan.status().message()));
        *exitCode = kExitFailed;
        return std::nullopt;
    }
    return plan.value();
}

int indexFromEnvironment(bool* found) {
    for (const char* name : {"AWS_BATCH_JOB_ARRAY_INDEX", "JOB_COMPLETION_INDEX"}) {
        bool ok = false;
        const int index = qEnvironmentVariable(name).toInt(&ok);
        if (ok) {
            *found = true;
            return index;
        }
    }
    *found = false;
    return -1;
}

// Every index as its own process, `parallel` at a time, the audio index first (one encode of
// the whole track, the longest-running index of a long film); the first failure is reported
// and the indices not yet started are not started.
int runAll(const QString& planPath, const cluster::ClusterPlan& plan, int parallel,
           const QStringList& s3Arguments) {
    QList<int> pending;
    if (plan.audioIndex() >= 0)
        pending.append(plan.audioIndex());
    for (int i = 0; i < plan.chunks.size(); ++i)
        pending.append(i);
    QList<QProcess*> running;
    int failures = 0;
    while (!pending.isEmpty() || !running.isEmpty()) {
        while (running.size() < parallel && !pending.isEmpty() && failures == 0) {
            const int index = pending.takeFirst();
            auto* process = new QProcess;
            process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            process->setProperty("index", index);
            process->start(QCoreApplication::applicationFilePath(),
                           QStringList{QStringLiteral("encode"), QStringLiteral("--plan"), planPath,
                                       QStringLiteral("--index"), QString::number(index),
                                       QStringLiteral("--progress"), QStringLiteral("none")} +
                               s3Arguments);
            running.append(process);
        }
        if (failures > 0)
            pending.clear();
        QProcess* done = running.first();
        done->waitForFinished(-1);
        running.removeFirst();
        const bool ok = done->exitStatus() == QProcess::NormalExit && done->exitCode() == 0;
        printErr(QStringLiteral("encode: index %1 %2\n")
                     .arg(done->property("index").toInt())
                     .arg(ok ? QStringLiteral("done") : QStringLiteral("FAILED")));
        failures += ok ? 0 : 1;
        delete done;
    }
    return failures == 0 ? kExitOk : kExitFailed;
}

int runEncode(const QStringList& args) {
    CommandLine cl(
        QStringLiteral("encode"),
        {QStringLiteral("--plan FILE|s3://BUCKET/PREFIX/plan.json [--index I]"),
         QStringLiteral("--plan FILE|s3://... --all [--parallel N]")},
        QStringLiteral(
            "Encodes one index of a chunked encode planned by `hlsforge-cli plan`: every rung of\n"
            "that chunk, its segments written under their final names beside the plan's other\n"
            "chunks, then chunks/chunk-I.json (the index is done when it exists). Running an\n"
            "index again replaces only its own files. Without --index the index comes from\n"
            "AWS_BATCH_JOB_ARRAY_INDEX or JOB_COMPLETION_INDEX (Kubernetes Indexed Job).\n"
            "With an s3:// output the index is encoded into a scratch folder, then its\n"
            "segments are uploaded to their final keys and its chunk-I.json last."));
    const QCommandLineOption planOption =
        cl.addOption(QStringLiteral("plan"), QStringLiteral("FILE|URL"),
                     QStringLiteral("the plan.json to follow (a path or s3://)"));
    const QCommandLineOption indexOption = cl.addOption(
        QStringLiteral("index"), QStringLiteral("I"), QStringLiteral("the index to encode"),
        QStringLiteral("from the environment"), CommandLine::wholeNumber(0));
    const QCommandLineOption allOption =
        cl.addFlag(QStringLiteral("all"),
                   QStringLiteral("every index (the audio one too), each as its own process"));
    const QCommandLineOption parallelOption =
        cl.addOption(QStringLiteral("parallel"), QStringLiteral("N"),
                     QStringLiteral("with --all: processes at once"), QStringLiteral("2"),
                     CommandLine::wholeNumber(1, 256));
    const ClusterS3Options s3Options = ClusterS3Options::add(cl);
    cl.addProgressOption(ProgressStyle::Bar, ProgressStyle::None);
    cl.setEpilogue(QStringLiteral("Exit status: 0 done, 1 failed (named on stderr), 2 bad usage, "
                                  "130 interrupted.\n"));
    if (const std::optional<int> exitCode = cl.parse(args))
        return *exitCode;
    int exitCode = kExitOk;
    const std::optional<cluster::S3Settings> s3 = s3Options.settings(cl, &exitCode);
    if (!s3)
        return exitCode;
    const std::optional<cluster::ClusterPlan> plan = planOf(cl, planOption, *s3, &exitCode);
    if (!plan)
        return exitCode;
    if (cl.isSet(allOption))
        return runAll(cl.value(planOption), *plan, cl.intValue(parallelOption, 2),
                      s3Options.arguments(cl));
    bool fromEnvironment = false;
    const int index = cl.isSet(indexOption) ? cl.intValue(indexOption, 0)
                                            : indexFromEnvironment(&fromEnvironment);
    if (!cl.isSet(indexOption) && !fromEnvironment)
        return cl.usageError(QStringLiteral(
            "give --index I (or set AWS_BATCH_JOB_ARRAY_INDEX / JOB_COMPLETION_INDEX), or --all"));

    JobRunner runner(cl.progressStyle());
    auto* job = new cluster::ChunkJob(*plan, index, *s3);
    runner.add(job);
    runner.onFinished = [](Job& j) {
        if (j.outcome() == JobOutcome::Failed)
            printErr(QStringLiteral("error: %1\n").arg(j.status().message()));
    };
    return runner.exec();
}

int runAssemble(const QStringList& args) {
    CommandLine cl(
        QStringLiteral("assemble"), {QStringLiteral("--plan FILE|s3://BUCKET/PREFIX/plan.json")},
        QStringLiteral(
            "Once every index is done: writes each rung's media playlist from the chunks, the\n"
            "I-frame playlists, the master playlist (BANDWIDTH measured, CODECS from the\n"
            "segments) and the web page, the master last. Idempotent. With an s3:// output the\n"
            "chunk records are listed first; the ladder is then read into a scratch folder,\n"
            "assembled there and what assembly wrote is uploaded, the master last."));
    const QCommandLineOption planOption =
        cl.addOption(QStringLiteral("plan"), QStringLiteral("FILE|URL"),
                     QStringLiteral("the plan.json followed (a path or s3://)"));
    const ClusterS3Options s3Options = ClusterS3Options::add(cl);
    cl.setEpilogue(QStringLiteral("Exit status: 0 assembled, 1 an index is not done (named) or "
                                  "writing failed, 2 bad usage.\n"));
    if (const std::optional<int> exitCode = cl.parse(args))
        return *exitCode;
    int exitCode = kExitOk;
    const std::optional<cluster::S3Settings> s3 = s3Options.settings(cl, &exitCode);
    if (!s3)
        return exitCode;
    const std::optional<cluster::ClusterPlan> plan = planOf(cl, planOption, *s3, &exitCode);
    if (!plan)
        return exitCode;
    QStringList warnings;
    const Status s = cluster::assembleLadder(*plan, &warnings, *s3);
    for (const QString& w : std::as_const(warnings))
        printErr(QStringLiteral("warning: %1\n").arg(w));
    if (!s.isOk()) {
        printErr(QStringLiteral("error: %1\n").arg(s.message()));
        return kExitFailed;
    }
    printErr(QStringLiteral("assembled: %1/master.m3u8\n").arg(plan->output));
    return kExitOk;
}

CliRegistration encodeRegistration{
    {QStringLiteral("encode"), QStringLiteral("encode --plan FILE|URL [--index I | --all]"),
     QStringLiteral("Encode one index of a chunked encode"), runEncode, 71}};
CliRegistration assembleRegistration{
    {QStringLiteral("assemble"), QStringLiteral("assemble --plan FILE|URL"),
     QStringLiteral("Join a chunked encode's indices into the ladder"), runAssemble, 72}};

} // namespace
} // namespace hlsforge::cli
