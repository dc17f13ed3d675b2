// hlsforge-cli suggest FILE: a ladder suggested for this title (core/suggest). The ladder JSON
// on stdout (what `transcode --ladder FILE` and the app's editor load), the human report —
// trials, hull, rungs, the saving against a preset — on stderr.

#include "CliCommand.h"
#include "CommandLine.h"
#include "JobRunner.h"

#include "ladder/Presets.h"
#include "suggest/HullChart.h"
#include "suggest/SuggestJob.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace hlsforge::cli {
namespace {

int runSuggest(const QStringList& args) {
    CommandLine cl(
        QStringLiteral("suggest"), {QStringLiteral("FILE [options]")},
        QStringLiteral(
            "Suggests a ladder for this title: samples a few calm and busy seconds of FILE,\n"
            "trial-encodes them at a grid of resolutions x bitrates with the ladder's H.264\n"
            "settings, measures PSNR against the source at its own size, builds the convex\n"
            "hull of quality vs bitrate and picks rungs on it: the top rung where quality\n"
            "reaches the target (no bits spent above it), then steps of about 1.5-2x down,\n"
            "switching resolution where a lower one wins. Never above the source's size.\n"
            "The ladder JSON goes to stdout; the report (trials, hull, rungs and the expected\n"
            "saving against a preset at equal quality) to stderr."));
    const QCommandLineOption maxHeight =
        cl.addOption(QStringLiteral("max-height"), QStringLiteral("H"),
                     QStringLiteral("no rung taller than H (the short side)"),
                     QStringLiteral("the source's"), CommandLine::wholeNumber(144, 4320));
    const QCommandLineOption rungs =
        cl.addOption(QStringLiteral("rungs"), QStringLiteral("N"),
                     QStringLiteral("exactly N rungs (ratio between them kept within 1.5-2x)"),
                     QStringLiteral("as many as steps of 1.75x down to 100 kb/s give, 2-6"),
                     CommandLine::wholeNumber(1, 12));
    const QCommandLineOption target =
        cl.addOption(QStringLiteral("target-quality"), QStringLiteral("DB"),
                     QStringLiteral("PSNR at the source's size where the top rung stops"),
                     QStringLiteral("45"), CommandLine::number(20, 70));
    const QCommandLineOption csv =
        cl.addOption(QStringLiteral("csv"), QStringLiteral("FILE"),
                     QStringLiteral("write every trial (resolution, kbps, psnr, on_hull) as CSV"));
    const QCommandLineOption png =
        cl.addOption(QStringLiteral("png"), QStringLiteral("FILE"),
                     QStringLiteral("draw the trials, the hull and the rungs as a PNG chart"));
    QStringList presetNames;
    for (const LadderPreset& p : ladderPresets())
        presetNames << p.name;
    const QCommandLineOption compare =
        cl.addOption(QStringLiteral("compare-preset"), QStringLiteral("NAME"),
                     QStringLiteral("the fixed ladder the saving is stated against"),
                     QStringLiteral("web"), CommandLine::oneOf(presetNames, [](const QString& v) {
                         return findLadderPreset(v) != nullptr;
                     }));
    cl.addJsonOption(QStringLiteral(
        "the whole suggestion as JSON on stdout instead of the ladder alone: {\"ladder\", "
        "\"rungs\", \"hull\", \"comparison\", \"windows\", \"warnings\", ...}"));
    cl.addProgressOption(ProgressStyle::Bar, ProgressStyle::None);
    cl.setEpilogue(QStringLiteral(
        "Exit status: 0 a ladder was suggested, 1 the file could not be analysed, 2 bad usage,\n"
        "130 interrupted.\n"));
    if (const std::optional<int> exitCode = cl.parse(args))
        return *exitCode;
    const QStringList positional = cl.positional();
    if (positional.size() != 1)
        return cl.usageError(QStringLiteral("give one video file"));

    suggest::SuggestOptions options;
    options.maxHeight = cl.intValue(maxHeight, 0);
    options.rungs = cl.intValue(rungs, 0);
    options.targetPsnr = cl.doubleValue(target, 45);
    if (cl.isSet(compare))
        options.comparePreset = findLadderPreset(cl.value(compare))->name;

    JobRunner runner(cl.progressStyle());
    auto* job = new suggest::SuggestJob(positional.first(), options);
    runner.add(job);
    runner.exec();
    if (runner.interrupted() || job->status().isCancelled())
        return kExitInterrupted;
    if (!job->status().isOk()) {
        printErr(QStringLiteral("suggest: %1\n").arg(job->status().message()));
        return kExitFailed;
    }
    const suggest::Suggestion suggestion = job->suggestion();
    if (cl.isSet(csv)) {
        QSaveFile file(cl.value(csv));
        if (!file.open(QIODevice::WriteOnly) || file.write(suggestion.hullCsv().toUtf8()) < 0 ||
            !file.commit()) {
            printErr(QStringLiteral("suggest: %1: cannot write (%2)\n")
                         .arg(cl.value(csv), file.errorString()));
            return kExitFailed;
        }
    }
    if (cl.isSet(png)) {
        const Status written = suggest::writeHullChartPng(suggestion, cl.value(png));
        if (!written.isOk()) {
            printErr(QStringLiteral("suggest: %1\n").arg(written.message()));
            return kExitFailed;
        }
    }
    printErr(suggestion.reportText());
    const QJsonObject json = cl.json() ? suggestion.toJson() : suggestion.ladder.toJson();
    printOut(QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented)));
    return kExitOk;
}

CliRegistration registration{
    {QStringLiteral("suggest"),
     QStringLiteral("suggest FILE [--max-height H] [--rungs N] [--target-quality DB] [--csv FILE] "
                    "[--png FILE] [--compare-preset NAME] [--json]"),
     QStringLiteral("Suggest a ladder for this title from trial encodes of sampled scenes"),
     runSuggest, 25}};

} // namespace
} // namespace hlsforge::cli
