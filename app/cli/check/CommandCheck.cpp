// hlsforge-cli check DIR|URL [--json]: any VOD HLS ladder against Apple's authoring rules
// (core/check). The report on stdout (text, or JSON with --json), progress on stderr.

#include "CliCommand.h"
#include "JobRunner.h"

#include "check/CheckJob.h"

#include <QCommandLineParser>
#include <QJsonDocument>

namespace hlsforge::cli {
namespace {

const char* kUsage =
    "Usage: hlsforge-cli check DIR|URL [--json] [--progress bar|text|json|none]\n"
    "\n"
    "Checks a VOD HLS ladder — a folder holding master.m3u8, a master playlist file, or the\n"
    "http(s) URL of one; made by HLS Forge or any other tool — against the rules of Apple's\n"
    "HLS Authoring Specification that can be verified from the files: IDR at every segment\n"
    "start, segments aligned across variants, target duration and EXTINF, BANDWIDTH and\n"
    "AVERAGE-BANDWIDTH against the measured peak and average, CODECS, RESOLUTION,\n"
    "FRAME-RATE and VIDEO-RANGE against the streams, EXT-X-INDEPENDENT-SEGMENTS, I-frame\n"
    "playlists, EXT-X-VERSION, audio/subtitle groups and that every URI resolves.\n"
    "Reads packet headers, never decodes. Every rule with its section: docs/check.md.\n"
    "\n"
    "  --json        print the report as JSON: {\"findings\": [{\"rule\", \"section\",\n"
    "                \"severity\": \"must\"|\"should\", \"where\", \"message\"}], \"summary\"}\n"
    "%1"
    "\n"
    "Exit status: 0 no must-fix finding, 1 must-fix findings (including missing segments),\n"
    "2 the master playlist could not be read (or a usage error), 130 interrupted.\n";

QString usageText() {
    return QString::fromLatin1(kUsage).arg(QLatin1String(kProgressOptionHelp));
}

int runCheck(const QStringList& args) {
    if (args.isEmpty() || args.contains(QStringLiteral("--help"))) {
        printOut(usageText());
        return args.isEmpty() ? kExitUsage : kExitOk;
    }
    QCommandLineParser parser;
    const QCommandLineOption jsonOption(QStringLiteral("json"));
    const QCommandLineOption progressOption = progressCommandLineOption();
    parser.addOptions({jsonOption, progressOption});
    if (!parser.parse(QStringList{QStringLiteral("check")} + args)) {
        printErr(QStringLiteral("hlsforge-cli check: %1\n%2").arg(parser.errorText(), usageText()));
        return kExitUsage;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        printErr(QStringLiteral("hlsforge-cli check: give one ladder (a folder, master "
                                "playlist or URL)\n%1")
                     .arg(usageText()));
        return kExitUsage;
    }
    QString error;
    const std::optional<ProgressStyle> style =
        progressStyleFrom(parser, progressOption, ProgressStyle::None, &error);
    if (!style) {
        printErr(QStringLiteral("hlsforge-cli check: %1\n").arg(error));
        return kExitUsage;
    }
    const bool json = parser.isSet(jsonOption);
    JobRunner runner(*style);
    auto* job = new check::CheckJob(positional.first());
    runner.add(job);
    const int runnerExit = runner.exec();
    if (runner.interrupted() || job->status().isCancelled())
        return kExitInterrupted;
    if (!job->status().isOk()) {
        printErr(QStringLiteral("check: %1\n").arg(job->status().message()));
        return kExitUsage; // the master itself could not be read
    }
    const check::CheckReport report = job->report();
    if (json)
        printOut(QString::fromUtf8(QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented)));
    else
        printOut(report.toText());
    Q_UNUSED(runnerExit);
    return report.passes() ? kExitOk : kExitFailed;
}

CliRegistration registration{
    {QStringLiteral("check"), QStringLiteral("check DIR|URL [--json]"),
     QStringLiteral("Check any HLS ladder against Apple's authoring rules"), runCheck, 55}};

} // namespace
} // namespace hlsforge::cli
