// hlsforge-cli transcode FILE... --out DIR: the ladder engine from a terminal or a script.

#include "CliCommand.h"
#include "JobRunner.h"

#include "job/TranscodeJob.h"
#include "ladder/Presets.h"
#include "util/Format.h"
#include "util/OutputNaming.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <optional>

namespace hlsforge::cli {
namespace {

const char* kUsage =
    "Usage: hlsforge-cli transcode FILE... --out DIR [options]\n\n"
    "Turns each FILE into an adaptive HLS ladder. With one input the ladder lands in DIR\n"
    "(DIR/master.m3u8); with several, in DIR/<input name>/ (\"clip (2)\" when that is taken,\n"
    "as in the app). Nothing already there is replaced unless --overwrite is given; then an\n"
    "earlier ladder (never other files) is replaced once the new one is complete.\n\n"
    "Options:\n"
    "  --out DIR                 output folder (required)\n"
    "  --ladder PRESET|FILE      a built-in ladder (see `presets`) or a ladder JSON file [web]\n"
    "  --segment-seconds N       target segment duration, overrides the ladder\n"
    "  --segments FORMAT         ts | fmp4 | ts-byterange | fmp4-byterange, overrides the ladder\n"
    "  --codec CODEC             h264 | hevc | av1 for every rung, overrides the ladder; HEVC\n"
    "                            and AV1 need fMP4 (chosen when --segments is not given)\n"
    "  --x264-preset NAME        x264 speed/quality preset, overrides the ladder\n"
    "  --x265-preset NAME        x265 preset for HEVC rungs (x264's names) [fast]\n"
    "  --svt-av1-preset N        SVT-AV1 preset for AV1 rungs, 0 slowest .. 13 fastest [10]\n"
    "  --audio-kbps N            AAC bitrate, overrides the ladder\n"
    "  --progressive [RUNG]      also write DIR/<input name>.mp4 (fast start) from the same\n"
    "                            packets as RUNG (default: the highest rung at or below 720p)\n"
    "  --no-player               no index.html web player page\n"
    "  --player-scripts MODE     cdn (default: pinned CDN with SRI) | self-contained\n"
    "  --jobs N                  files transcoded at once [1]\n"
    "%1"
    "  --overwrite               replace earlier ladders at the output paths\n"
    "  --json                    print the results as JSON on stdout\n"
    "Exit status: 0 when every input succeeded, 1 when any failed, 2 on bad usage, 130 when\n"
    "interrupted (outputs in progress are removed).\n";

struct Options {
    QStringList inputs;
    QString outDir;
    QString ladderSpec = QStringLiteral("web");
    double segmentSeconds = 0;
    QString segments;
    QString x264Preset;
    QString x265Preset;
    QString codec;
    int svtAv1Preset = -1;
    int audioKbps = 0;
    int jobs = 1;
    bool progressive = false;
    QString progressiveRung;
    bool noPlayer = false;
    QString playerScripts;
    std::optional<ProgressStyle> progress; // unset: bar on a terminal, else none
    bool json = false;
    bool overwrite = false;
};

int usageError(const QString& message) {
    printErr(QStringLiteral("error: %1\n(see hlsforge-cli transcode --help)\n").arg(message));
    return 2;
}

// One TranscodeJob per input, run by the shared JobRunner; the summary is this command's.
int runBatch(const Options& options, const Ladder& ladder) {
    ProgressStyle style =
        options.progress ? *options.progress : defaultProgressStyle(ProgressStyle::None);
    JobRunner runner(style, options.jobs);
    QSet<QString> used;
    for (const QString& input : options.inputs) {
        TranscodeRequest request;
        request.inputPath = input;
        request.ladder = ladder;
        // The app's naming rule (core/util/OutputNaming): an earlier ladder is replaced
        // only when asked for.
        request.replaceExisting = options.overwrite;
        if (options.inputs.size() == 1) {
            request.outputDir = options.outDir;
        } else {
            request.outputDir =
                uniqueOutputDir(options.outDir, input, used,
                                options.overwrite ? ExistingOutput::Replace : ExistingOutput::Keep);
            used.insert(request.outputDir);
        }
        runner.add(new TranscodeJob(request));
    }
    const int exitCode = runner.exec();

    QJsonArray all;
    for (const Job* job : runner.finishedJobs()) {
        const TranscodeResult r = static_cast<const TranscodeJob*>(job)->result();
        all.append(r.toJson());
        if (r.status.isOk()) {
            if (!options.json)
                printOut(QStringLiteral("ok: %1 -> %2 (%3 renditions, %4 s)\n")
                             .arg(r.inputPath, r.masterPlaylist)
                             .arg(r.renditions.size())
                             .arg(r.elapsedSeconds, 0, 'f', 1));
            for (const QString& w : r.warnings)
                printErr(
                    QStringLiteral("warning: %1: %2\n").arg(QFileInfo(r.inputPath).fileName(), w));
        } else if (r.status.isCancelled()) {
            // Cancelled is not failed: the user asked for it and nothing was written.
            printErr(QStringLiteral("cancelled: %1 (nothing was written)\n")
                         .arg(QFileInfo(r.inputPath).fileName()));
        } else {
            printErr(QStringLiteral("error: %1\n").arg(r.status.message()));
        }
    }
    if (options.json)
        printOut(QString::fromUtf8(QJsonDocument(all).toJson(QJsonDocument::Indented)));
    return exitCode;
}

int runTranscode(const QStringList& args) {
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        printOut(QString::fromUtf8(kUsage).arg(QLatin1String(kProgressOptionHelp)));
        return 0;
    }
    Options o;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        auto value = [&](QString* out) {
            if (i + 1 >= args.size())
                return false;
            *out = args[++i];
            return true;
        };
        QString v;
        if (a == QLatin1String("--out")) {
            if (!value(&o.outDir))
                return usageError(QStringLiteral("--out needs a folder"));
        } else if (a == QLatin1String("--ladder")) {
            if (!value(&o.ladderSpec))
                return usageError(QStringLiteral("--ladder needs a preset name or a JSON file"));
        } else if (a == QLatin1String("--segment-seconds")) {
            bool ok = false;
            if (!value(&v) || (o.segmentSeconds = v.toDouble(&ok), !ok))
                return usageError(QStringLiteral("--segment-seconds needs a number"));
        } else if (a == QLatin1String("--segments")) {
            if (!value(&o.segments))
                return usageError(
                    QStringLiteral("--segments needs ts, fmp4, ts-byterange or fmp4-byterange"));
        } else if (a == QLatin1String("--x264-preset")) {
            if (!value(&o.x264Preset))
                return usageError(QStringLiteral("--x264-preset needs a name"));
        } else if (a == QLatin1String("--x265-preset")) {
            if (!value(&o.x265Preset))
                return usageError(QStringLiteral("--x265-preset needs a name"));
        } else if (a == QLatin1String("--svt-av1-preset")) {
            bool ok = false;
            if (!value(&v) || (o.svtAv1Preset = v.toInt(&ok), !ok))
                return usageError(QStringLiteral("--svt-av1-preset needs a whole number"));
        } else if (a == QLatin1String("--codec")) {
            VideoCodec parsed;
            if (!value(&o.codec) || !parseVideoCodec(o.codec, &parsed))
                return usageError(QStringLiteral("--codec takes %1")
                                      .arg(videoCodecNames().join(QStringLiteral(", "))));
        } else if (a == QLatin1String("--audio-kbps")) {
            bool ok = false;
            if (!value(&v) || (o.audioKbps = v.toInt(&ok), !ok))
                return usageError(QStringLiteral("--audio-kbps needs a whole number"));
        } else if (a == QLatin1String("--jobs")) {
            bool ok = false;
            if (!value(&v) || (o.jobs = v.toInt(&ok), !ok) || o.jobs < 1 || o.jobs > 64)
                return usageError(QStringLiteral("--jobs needs a number from 1 to 64"));
        } else if (a == QLatin1String("--progress")) {
            if (!value(&v) || !(o.progress = parseProgressStyle(v)))
                return usageError(QStringLiteral("--progress takes bar, text, json or none"));
        } else if (a == QLatin1String("--progressive")) {
            o.progressive = true;
            // The rung name is optional: take the next word unless it is an option or a file.
            if (i + 1 < args.size() && !args[i + 1].startsWith(QLatin1String("--")) &&
                !QFileInfo::exists(args[i + 1]))
                o.progressiveRung = args[++i];
        } else if (a == QLatin1String("--no-player")) {
            o.noPlayer = true;
        } else if (a == QLatin1String("--player-scripts")) {
            if (!value(&o.playerScripts))
                return usageError(QStringLiteral("--player-scripts takes cdn or self-contained"));
        } else if (a == QLatin1String("--json")) {
            o.json = true;
        } else if (a == QLatin1String("--overwrite")) {
            o.overwrite = true;
        } else if (a.startsWith(QLatin1String("--"))) {
            return usageError(QStringLiteral("unknown option %1").arg(a));
        } else {
            o.inputs << a;
        }
    }
    if (o.inputs.isEmpty())
        return usageError(QStringLiteral("no input files"));
    if (o.outDir.isEmpty())
        return usageError(QStringLiteral("--out DIR is required"));
    // One input writes into DIR itself: a folder the user named is never renamed, so say how
    // to replace what is there instead of failing later with the bare fact.
    if (o.inputs.size() == 1 && !o.overwrite && QFileInfo(o.outDir).isDir() &&
        !QDir(o.outDir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
        printErr(QStringLiteral("error: %1: output folder already exists and is not empty "
                                "(--overwrite replaces an earlier ladder)\n")
                     .arg(QDir::toNativeSeparators(o.outDir)));
        return 1;
    }

    StatusOr<Ladder> ladder = loadLadderSpec(o.ladderSpec);
    if (!ladder.isOk()) {
        printErr(QStringLiteral("error: %1\n").arg(ladder.status().message()));
        return 2;
    }
    Ladder l = ladder.value();
    if (o.segmentSeconds > 0)
        l.segmentSeconds = o.segmentSeconds;
    if (!o.segments.isEmpty() && !parseSegmentFormat(o.segments, &l.segmentFormat))
        return usageError(
            QStringLiteral("--segments: must be ts, fmp4, ts-byterange or fmp4-byterange"));
    if (!o.x264Preset.isEmpty())
        l.x264Preset = o.x264Preset;
    if (!o.x265Preset.isEmpty())
        l.x265Preset = o.x265Preset;
    if (o.svtAv1Preset >= 0)
        l.svtAv1Preset = o.svtAv1Preset;
    if (!o.codec.isEmpty()) {
        VideoCodec codec = VideoCodec::H264;
        parseVideoCodec(o.codec, &codec);
        for (Rendition& r : l.renditions)
            r.codec = codec;
        // HEVC and AV1 are carried in fMP4 only; a preset's TS becomes fMP4 (byte ranges
        // kept) unless --segments asked for TS, which validation then refuses by name.
        if (codec != VideoCodec::H264 && o.segments.isEmpty()) {
            if (l.segmentFormat == SegmentFormat::Ts)
                l.segmentFormat = SegmentFormat::Fmp4;
            else if (l.segmentFormat == SegmentFormat::TsByteRange)
                l.segmentFormat = SegmentFormat::Fmp4ByteRange;
        }
    }
    if (o.audioKbps > 0)
        l.audioKbps = o.audioKbps;
    if (o.progressive) {
        l.progressive = true;
        l.progressiveRung = o.progressiveRung;
    }
    if (o.noPlayer)
        l.playerPage = false;
    if (!o.playerScripts.isEmpty())
        l.playerScripts = o.playerScripts;
    Status valid = l.validate();
    if (!valid.isOk()) {
        printErr(QStringLiteral("error: ladder: %1\n").arg(valid.message()));
        return 2;
    }
    return runBatch(o, l);
}

CliRegistration registration{
    {QStringLiteral("transcode"),
     QStringLiteral(
         "transcode FILE... --out DIR [--ladder PRESET|FILE.json] [--segments FORMAT] [--jobs N]"),
     QStringLiteral("Make an adaptive HLS ladder from each input"), runTranscode, 10}};

} // namespace
} // namespace hlsforge::cli
