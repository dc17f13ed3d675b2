// hlsforge-cli transcode FILE... --out DIR: the ladder engine from a terminal or a script.

#include "CliCommand.h"
#include "CommandLine.h"
#include "JobRunner.h"

#include "check/LadderCheck.h"
#include "job/TranscodeJob.h"
#include "ladder/Presets.h"
#include "subtitles/SubtitleSources.h"
#include "util/Format.h"
#include "util/OutputNaming.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace hlsforge::cli {
namespace {

struct Options {
    QStringList inputs;
    QString outDir;
    int jobs = 1;
    ProgressStyle progress = ProgressStyle::None;
    bool json = false;
    bool overwrite = false;
    bool check = true;                               // the automatic check of each finished ladder
    QVector<subtitles::SubtitleInput> subtitleFiles; // --subtitles, for every input
    QVector<AudioInput> audioFiles;                  // --audio, for every input
};

// The automatic check after a transcode (core/check): one line on stderr, the must-fix findings
// under it, and the report for --json. It reports; it never changes the exit status.
QJsonObject checkFinishedLadder(const QString& ladderDir, ProgressStyle style) {
    StatusOr<check::CheckReport> report = check::checkLadder(ladderDir);
    if (style == ProgressStyle::Json) { // stderr holds JSON lines only
        QJsonObject line{{QStringLiteral("event"), QStringLiteral("check")},
                         {QStringLiteral("ladder"), ladderDir}};
        if (report.isOk())
            line.insert(QStringLiteral("summary"),
                        report->toJson().value(QStringLiteral("summary")));
        else
            line.insert(QStringLiteral("error"), report.status().message());
        printErr(QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact)) +
                 QLatin1Char('\n'));
        return report.isOk() ? report->toJson()
                             : QJsonObject{{QStringLiteral("error"), report.status().message()}};
    }
    if (!report.isOk()) {
        printErr(QStringLiteral("check: %1\n").arg(report.status().message()));
        return {{QStringLiteral("error"), report.status().message()}};
    }
    const int must = report->count(check::Severity::Must);
    const int should = report->count(check::Severity::Should);
    if (must == 0 && should == 0) {
        printErr(QStringLiteral("check: %1: no findings\n").arg(ladderDir));
    } else {
        printErr(QStringLiteral("check: %1: %2 must-fix, %3 should-fix (hlsforge-cli check %1)\n")
                     .arg(ladderDir)
                     .arg(must)
                     .arg(should));
        for (const check::Finding& f : report->findings)
            if (f.severity == check::Severity::Must)
                printErr(QStringLiteral("  [%1 %2] %3: %4\n")
                             .arg(f.section, f.rule, f.where, f.message));
    }
    return report->toJson();
}

// With --quality: one line per rung, e.g. "  720p  1280x720  PSNR 41.27 dB  SSIM 0.9861".
void printQualitySummary(const TranscodeResult& r) {
    if (r.qualityReport.isEmpty())
        return;
    printOut(QStringLiteral("quality (against the source scaled to each rung; %1):\n")
                 .arg(QDir(r.outputDir).filePath(r.qualityReport)));
    for (const quality::RenditionQuality& q : r.quality) {
        const QString psnr = std::isfinite(q.overall.psnrAverage)
                                 ? QStringLiteral("%1 dB").arg(q.overall.psnrAverage, 0, 'f', 2)
                                 : QStringLiteral("inf (identical)");
        printOut(QStringLiteral("  %1  %2x%3  PSNR %4  SSIM %5  (%6 segments)\n")
                     .arg(q.name, -8)
                     .arg(q.width)
                     .arg(q.height)
                     .arg(psnr)
                     .arg(q.overall.ssimAll, 0, 'f', 4)
                     .arg(q.segments.size()));
    }
}

// One TranscodeJob per input, run by the shared JobRunner; the summary is this command's.
int runBatch(const Options& options, const Ladder& ladder) {
    JobRunner runner(options.progress, options.jobs);
    QSet<QString> used;
    for (const QString& input : options.inputs) {
        TranscodeRequest request;
        request.inputPath = input;
        request.ladder = ladder;
        // The app's naming rule (core/util/OutputNaming): an earlier ladder is replaced
        // only when asked for.
        request.replaceExisting = options.overwrite;
        request.subtitleFiles = options.subtitleFiles;
        request.audioFiles = options.audioFiles;
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
        QJsonObject result = r.toJson();
        if (r.status.isOk()) {
            if (!options.json)
                printOut(QStringLiteral("ok: %1 -> %2 (%3 renditions, %4 s)\n")
                             .arg(r.inputPath, r.masterPlaylist)
                             .arg(r.renditions.size())
                             .arg(r.elapsedSeconds, 0, 'f', 1));
            if (!options.json)
                printQualitySummary(r);
            if (options.check)
                result.insert(QStringLiteral("check"),
                              checkFinishedLadder(r.outputDir, options.progress));
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
        all.append(result);
    }
    if (options.json)
        printOut(QString::fromUtf8(QJsonDocument(all).toJson(QJsonDocument::Indented)));
    return exitCode;
}

int runTranscode(const QStringList& args) {
    CommandLine cl(
        QStringLiteral("transcode"), {QStringLiteral("FILE... --out DIR [options]")},
        QStringLiteral(
            "Turns each FILE into an adaptive HLS ladder. With one input the ladder lands in DIR "
            "(DIR/master.m3u8); with several, in DIR/<input name>/ (\"clip (2)\" when that is "
            "taken, as in the app). Nothing already there is replaced unless --overwrite is "
            "given; then an earlier ladder (never other files) is replaced once the new one is "
            "complete. The options below override the ladder's own settings."));
    // Values are checked for their type here; their ranges are the ladder's (Ladder::validate,
    // which names the field), as for a ladder JSON file.
    const QCommandLineOption outOption = cl.addOption(QStringLiteral("out"), QStringLiteral("DIR"),
                                                      QStringLiteral("output folder (required)"));
    const QCommandLineOption ladderOption = cl.addOption(
        QStringLiteral("ladder"), QStringLiteral("PRESET|FILE"),
        QStringLiteral("a built-in ladder (see `hlsforge-cli presets`) or a ladder JSON file"),
        QStringLiteral("web"));
    const QCommandLineOption segmentSecondsOption =
        cl.addOption(QStringLiteral("segment-seconds"), QStringLiteral("N"),
                     QStringLiteral("target segment duration"), QStringLiteral("the ladder's"),
                     CommandLine::number(0, std::numeric_limits<double>::infinity(), true));
    QStringList segmentNames; // the ladder's own names, in its order
    for (SegmentFormat f : {SegmentFormat::Ts, SegmentFormat::Fmp4, SegmentFormat::TsByteRange,
                            SegmentFormat::Fmp4ByteRange})
        segmentNames << segmentFormatName(f);
    const QCommandLineOption segmentsOption =
        cl.addOption(QStringLiteral("segments"), QStringLiteral("FORMAT"),
                     QStringLiteral("segment format: ") + segmentNames.join(QStringLiteral(" | ")),
                     QStringLiteral("the ladder's"), CommandLine::oneOf(segmentNames));
    const QCommandLineOption codecOption = cl.addOption(
        QStringLiteral("codec"), QStringLiteral("CODEC"),
        QStringLiteral("%1 for every rung; HEVC and AV1 need fMP4 (chosen when --segments is not "
                       "given)")
            .arg(videoCodecNames().join(QStringLiteral(" | "))),
        QStringLiteral("each rung's own"), CommandLine::oneOf(videoCodecNames()));
    const QCommandLineOption x264PresetOption =
        cl.addOption(QStringLiteral("x264-preset"), QStringLiteral("NAME"),
                     QStringLiteral("x264 speed/quality preset for H.264 rungs"),
                     QStringLiteral("the ladder's"), CommandLine::oneOf(x264PresetNames()));
    const QCommandLineOption x265PresetOption =
        cl.addOption(QStringLiteral("x265-preset"), QStringLiteral("NAME"),
                     QStringLiteral("x265 preset for HEVC rungs (x264's names)"),
                     QStringLiteral("the ladder's, else %1").arg(Ladder().x265Preset),
                     CommandLine::oneOf(x264PresetNames()));
    const QCommandLineOption svtAv1PresetOption =
        cl.addOption(QStringLiteral("svt-av1-preset"), QStringLiteral("N"),
                     QStringLiteral("SVT-AV1 preset for AV1 rungs, 0 slowest .. 13 fastest"),
                     QStringLiteral("the ladder's, else %1").arg(Ladder().svtAv1Preset),
                     CommandLine::wholeNumber(0));
    const QCommandLineOption audioKbpsOption = cl.addOption(
        QStringLiteral("audio-kbps"), QStringLiteral("N"), QStringLiteral("AAC bitrate in kb/s"),
        QStringLiteral("the ladder's"), CommandLine::wholeNumber(1));
    const QCommandLineOption progressiveOption =
        cl.addFlag(QStringLiteral("progressive"),
                   QStringLiteral("also write DIR/<input name>.mp4 (fast start) from the same "
                                  "packets as a rung of the ladder"));
    const QCommandLineOption progressiveRungOption =
        cl.addOption(QStringLiteral("progressive-rung"), QStringLiteral("NAME"),
                     QStringLiteral("the rung of that MP4 (e.g. 360p); implies --progressive"),
                     QStringLiteral("the ladder's, else the highest rung at or below 720p"));
    const QCommandLineOption qualityOption = cl.addFlag(
        QStringLiteral("quality"),
        QStringLiteral("measure PSNR and SSIM of every rung against the source scaled to its "
                       "size, overall and per segment (DIR/quality.json, a summary here); the "
                       "ladder's \"measureQuality\""));
    const QCommandLineOption subtitlesOption = cl.addOption(
        QStringLiteral("subtitles"), QStringLiteral("FILE[:LANG[:NAME]]"),
        QStringLiteral("a .srt or .vtt file as a subtitle rendition (repeatable); LANG an ISO 639 "
                       "code (en, fre, deu), else from the name (talk.fr.srt); sidecars "
                       "<input name>.<lang>.srt|.vtt and the input's own text tracks are added "
                       "without asking"));
    const QCommandLineOption audioOption = cl.addOption(
        QStringLiteral("audio"), QStringLiteral("FILE[:LANG[:NAME]]"),
        QStringLiteral("an audio file as another audio rendition (repeatable); LANG an ISO 639 "
                       "code (en, deu), else the file's own tag. With it, or with several audio "
                       "tracks in the input, every track is its own rendition (audio/<lang>/) "
                       "and the rungs are video-only"));
    const QCommandLineOption audioOnlyVariantOption = cl.addFlag(
        QStringLiteral("audio-only-variant"),
        QStringLiteral("add an audio-only variant (the default audio track) for cellular; the "
                       "ladder's \"audioOnlyVariant\""));
    const QCommandLineOption noThumbnailsOption = cl.addFlag(
        QStringLiteral("no-thumbnails"),
        QStringLiteral("no seek thumbnails (thumbs/); the ladder's \"thumbnails\": false"));
    const QCommandLineOption noPlayerOption =
        cl.addFlag(QStringLiteral("no-player"), QStringLiteral("no index.html web player page"));
    const QCommandLineOption playerScriptsOption = cl.addOption(
        QStringLiteral("player-scripts"), QStringLiteral("MODE"),
        QStringLiteral("cdn (pinned CDN with SRI) | self-contained (copied to DIR/player/)"),
        QStringLiteral("the ladder's, else cdn"),
        CommandLine::oneOf({QStringLiteral("cdn"), QStringLiteral("self-contained")}));
    const QCommandLineOption jobsOption = cl.addOption(
        QStringLiteral("jobs"), QStringLiteral("N"), QStringLiteral("files transcoded at once"),
        QStringLiteral("1"), CommandLine::wholeNumber(1, 64));
    cl.addProgressOption(ProgressStyle::Bar, ProgressStyle::None);
    const QCommandLineOption overwriteOption = cl.addFlag(
        QStringLiteral("overwrite"), QStringLiteral("replace earlier ladders at the output paths"));
    const QCommandLineOption noCheckOption = cl.addFlag(
        QStringLiteral("no-check"),
        QStringLiteral(
            "skip the automatic check of each finished ladder against Apple's HLS "
            "authoring rules (hlsforge-cli check; it reports, never fails a transcode)"));
    cl.addJsonOption(QStringLiteral("print the results as a JSON array on stdout"));
    cl.setEpilogue(QStringLiteral(
        "Exit status: 0 when every input succeeded, 1 when any failed, 2 on bad usage, 130 when\n"
        "interrupted (outputs in progress are removed).\n"));
    if (const std::optional<int> exitCode = cl.parse(args))
        return *exitCode;

    Options o;
    o.inputs = cl.positional();
    o.outDir = cl.value(outOption);
    o.jobs = cl.intValue(jobsOption, 1);
    o.progress = cl.progressStyle();
    o.json = cl.json();
    o.overwrite = cl.isSet(overwriteOption);
    o.check = !cl.isSet(noCheckOption);
    for (const QString& spec : cl.values(subtitlesOption)) {
        const subtitles::SubtitleInput in = subtitles::parseSubtitleSpec(spec);
        if (!QFileInfo(in.path).isFile())
            return cl.usageError(QStringLiteral("--subtitles %1: no such file").arg(in.path));
        o.subtitleFiles.append(in);
    }
    for (const QString& spec : cl.values(audioOption)) {
        const AudioInput in = parseAudioSpec(spec);
        if (!QFileInfo(in.path).isFile())
            return cl.usageError(QStringLiteral("--audio %1: no such file").arg(in.path));
        o.audioFiles.append(in);
    }
    if (o.inputs.isEmpty())
        return cl.usageError(QStringLiteral("no input files"));
    if (o.outDir.isEmpty())
        return cl.usageError(QStringLiteral("--out DIR is required"));
    // One input writes into DIR itself: a folder the user named is never renamed, so say how
    // to replace what is there instead of failing later with the bare fact.
    if (o.inputs.size() == 1 && !o.overwrite && QFileInfo(o.outDir).isDir() &&
        !QDir(o.outDir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
        printErr(QStringLiteral("error: %1: output folder already exists and is not empty "
                                "(--overwrite replaces an earlier ladder)\n")
                     .arg(QDir::toNativeSeparators(o.outDir)));
        return kExitFailed;
    }

    StatusOr<Ladder> ladder =
        loadLadderSpec(cl.isSet(ladderOption) ? cl.value(ladderOption) : QStringLiteral("web"));
    if (!ladder.isOk())
        return cl.usageError(ladder.status().message());
    Ladder l = ladder.value();
    l.segmentSeconds = cl.doubleValue(segmentSecondsOption, l.segmentSeconds);
    if (cl.isSet(segmentsOption))
        parseSegmentFormat(cl.value(segmentsOption), &l.segmentFormat); // checked by parse()
    if (cl.isSet(x264PresetOption))
        l.x264Preset = cl.value(x264PresetOption);
    if (cl.isSet(x265PresetOption))
        l.x265Preset = cl.value(x265PresetOption);
    l.svtAv1Preset = cl.intValue(svtAv1PresetOption, l.svtAv1Preset);
    if (cl.isSet(codecOption)) {
        VideoCodec codec = VideoCodec::H264;
        parseVideoCodec(cl.value(codecOption), &codec);
        for (Rendition& r : l.renditions)
            r.codec = codec;
        // HEVC and AV1 are carried in fMP4 only; a preset's TS becomes fMP4 (byte ranges
        // kept) unless --segments asked for TS, which validation then refuses by name.
        if (codec != VideoCodec::H264 && !cl.isSet(segmentsOption)) {
            if (l.segmentFormat == SegmentFormat::Ts)
                l.segmentFormat = SegmentFormat::Fmp4;
            else if (l.segmentFormat == SegmentFormat::TsByteRange)
                l.segmentFormat = SegmentFormat::Fmp4ByteRange;
        }
    }
    l.audioKbps = cl.intValue(audioKbpsOption, l.audioKbps);
    // --progressive alone keeps a rung the ladder file names ("progressive": "360p").
    if (cl.isSet(progressiveOption))
        l.progressive = true;
    if (cl.isSet(progressiveRungOption)) {
        l.progressive = true;
        l.progressiveRung = cl.value(progressiveRungOption);
    }
    // `--progressive RUNG` was the spelling before --progressive-rung: RUNG now reads as an
    // input. A missing "file" named like a rung gets the new spelling, not "file not found".
    if (cl.isSet(progressiveOption)) {
        for (const QString& input : std::as_const(o.inputs)) {
            const bool isRungName =
                std::any_of(l.renditions.begin(), l.renditions.end(),
                            [&](const Rendition& r) { return r.effectiveName() == input; });
            if (isRungName && !QFileInfo::exists(input))
                return cl.usageError(QStringLiteral("%1 is not a file; for the progressive MP4 "
                                                    "from rung %1 use --progressive-rung %1")
                                         .arg(input));
        }
    }
    if (cl.isSet(qualityOption))
        l.measureQuality = true;
    if (cl.isSet(noPlayerOption))
        l.playerPage = false;
    if (cl.isSet(noThumbnailsOption))
        l.thumbnails = false;
    if (cl.isSet(audioOnlyVariantOption))
        l.audioOnlyVariant = true;
    if (cl.isSet(playerScriptsOption))
        l.playerScripts = cl.value(playerScriptsOption);
    const Status valid = l.validate();
    if (!valid.isOk())
        return cl.usageError(QStringLiteral("ladder: ") + valid.message());
    return runBatch(o, l);
}

CliRegistration registration{
    {QStringLiteral("transcode"),
     QStringLiteral(
         "transcode FILE... --out DIR [--ladder PRESET|FILE.json] [--segments FORMAT] [--jobs N] "
         "[--progressive] [--progressive-rung NAME] [--quality] [--subtitles FILE[:LANG[:NAME]]] "
         "[--audio FILE[:LANG[:NAME]]] [--audio-only-variant] ..."),
     QStringLiteral("Make an adaptive HLS ladder from each input"), runTranscode, 10}};

} // namespace
} // namespace hlsforge::cli
