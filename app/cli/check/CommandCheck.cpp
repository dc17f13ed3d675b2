// hlsforge-cli check DIR|URL [--json]: any VOD HLS ladder against Apple's authoring rules
// (core/check). The report on stdout (text, or JSON with --json), progress on stderr.

#include "CliCommand.h"
#include "CommandLine.h"
#include "JobRunner.h"

#include "check/CheckJob.h"

#include <QJsonDocument>

namespace hlsforge::cli {
namespace {

int runCheck(const QStringList& args) {
    CommandLine cl(
        QStringLiteral("check"), {QStringLiteral("DIR|MASTER.m3u8|URL [options]")},
        QStringLiteral(
            "Checks a VOD HLS ladder — a folder holding master.m3u8, a master playlist file, or\n"
            "the http(s) URL of one; made by HLS Forge or any other tool — against the rules of\n"
            "Apple's HLS Authoring Specification that can be verified from the files: IDR at\n"
            "every segment start, segments aligned across variants, target duration and EXTINF,\n"
            "BANDWIDTH and AVERAGE-BANDWIDTH against the measured peak and average, CODECS,\n"
            "RESOLUTION, FRAME-RATE and VIDEO-RANGE against the streams,\n"
            "EXT-X-INDEPENDENT-SEGMENTS, I-frame playlists, EXT-X-VERSION, audio/subtitle groups\n"
            "and that every URI resolves. Reads packet headers, never decodes. Every rule with\n"
            "its section: docs/check.md."));
    cl.addJsonOption(QStringLiteral(
        "the report as JSON: {\"findings\": [{\"rule\", \"section\", \"severity\": "
        "\"must\"|\"should\", \"where\", \"message\"}], \"summary\"}"));
    cl.addProgressOption(ProgressStyle::None, ProgressStyle::None);
    cl.setEpilogue(QStringLiteral(
        "Exit status: 0 no must-fix finding, 1 must-fix findings (missing segments included),\n"
        "2 the master playlist could not be read (or bad usage), 130 interrupted.\n"));
    if (const std::optional<int> exitCode = cl.parse(args))
        return *exitCode;
    const QStringList positional = cl.positional();
    if (positional.size() != 1)
        return cl.usageError(
            QStringLiteral("give one ladder (a folder, a master playlist or a URL)"));

    JobRunner runner(cl.progressStyle());
    auto* job = new check::CheckJob(positional.first());
    runner.add(job);
    runner.exec();
    if (runner.interrupted() || job->status().isCancelled())
        return kExitInterrupted;
    if (!job->status().isOk()) {
        printErr(QStringLiteral("check: %1\n").arg(job->status().message()));
        return kExitUsage; // the master itself could not be read
    }
    const check::CheckReport report = job->report();
    if (cl.json())
        printOut(QString::fromUtf8(QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented)));
    else
        printOut(report.toText());
    return report.passes() ? kExitOk : kExitFailed;
}

CliRegistration registration{
    {QStringLiteral("check"), QStringLiteral("check DIR|URL [--json]"),
     QStringLiteral("Check any HLS ladder against Apple's authoring rules"), runCheck, 55}};

} // namespace
} // namespace hlsforge::cli
