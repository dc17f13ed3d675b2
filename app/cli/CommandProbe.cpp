// hlsforge-cli probe FILE...: what a file holds, as JSON on stdout. Each file is a ProbeJob
// run by the shared JobRunner, so Ctrl-C, --progress and the exit status are transcode's.

#include "CliCommand.h"
#include "CommandLine.h"
#include "JobRunner.h"

#include "job/ProbeJob.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace hlsforge::cli {
namespace {

int runProbe(const QStringList& args) {
    CommandLine cl(QStringLiteral("probe"), {QStringLiteral("FILE... [options]")},
                   QStringLiteral("Prints container, duration, video and audio parameters as "
                                  "JSON on stdout: one object for one file, an array of the "
                                  "files that could be read for several (in the order given)."));
    // A probe takes a moment: no bar unless asked for, so stderr holds only errors.
    cl.addProgressOption(ProgressStyle::None, ProgressStyle::None);
    cl.setEpilogue(QStringLiteral("Exit status: 0 when every file was read, 1 when any could not "
                                  "be (one line on stderr\nnaming the file and the cause), 2 on "
                                  "bad usage, 130 when interrupted.\n"));
    if (const std::optional<int> exitCode = cl.parse(args))
        return *exitCode;
    const QStringList paths = cl.positional();
    if (paths.isEmpty())
        return cl.usageError(QStringLiteral("no input files"));

    JobRunner runner(cl.progressStyle());
    QList<const ProbeJob*> jobs; // in the order given; the runner owns them
    for (const QString& path : paths) {
        auto* job = new ProbeJob(path);
        job->setRequireVideo(false); // an audio-only file is worth describing too
        jobs.append(job);
        runner.add(job);
    }
    runner.onFinished = [](Job& job) {
        if (job.outcome() == JobOutcome::Failed)
            printErr(QStringLiteral("error: %1\n").arg(job.status().message()));
    };
    const int exitCode = runner.exec();

    QJsonArray all;
    for (const ProbeJob* job : std::as_const(jobs)) {
        if (!job->isFinished() || job->outcome() != JobOutcome::Succeeded)
            continue;
        all.append(job->media()->toJson());
    }
    if (paths.size() == 1 && all.size() == 1)
        printOut(QString::fromUtf8(
            QJsonDocument(all.first().toObject()).toJson(QJsonDocument::Indented)));
    else if (!all.isEmpty())
        printOut(QString::fromUtf8(QJsonDocument(all).toJson(QJsonDocument::Indented)));
    return exitCode;
}

CliRegistration registration{{QStringLiteral("probe"), QStringLiteral("probe FILE..."),
                              QStringLiteral("Print what a media file holds, as JSON"), runProbe,
                              20}};

} // namespace
} // namespace hlsforge::cli
