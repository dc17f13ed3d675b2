// hlsforge-cli transcode FILE... --out DIR: the ladder engine from a terminal or a script.

#include "CliCommand.h"

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
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <unistd.h>

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
    "  --progress MODE           bar (default on a terminal) | json (JSON lines) | none\n"
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
    QString progress;
    bool json = false;
    bool overwrite = false;
};

int usageError(const QString& message) {
    printErr(QStringLiteral("error: %1\n(see hlsforge-cli transcode --help)\n").arg(message));
    return 2;
}

class BatchRunner : public QObject {
public:
    BatchRunner(const Options& options, const Ladder& ladder) : m_options(options) {
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
                request.outputDir = uniqueOutputDir(options.outDir, input, used,
                                                    options.overwrite ? ExistingOutput::Replace
                                                                      : ExistingOutput::Keep);
                used.insert(request.outputDir);
            }
            m_pending.append(request);
        }
        m_mode = options.progress;
        if (m_mode.isEmpty())
            m_mode = isatty(fileno(stderr)) ? QStringLiteral("bar") : QStringLiteral("none");
    }

    int run() {
        installStopSignals();
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, this, [this] {
            if (stopRequested() && !m_interrupted) {
                m_interrupted = true;
                m_pending.clear();
                for (TranscodeJob* job : m_running)
                    job->cancel();
                if (m_running.isEmpty())
                    QCoreApplication::exit(0);
            }
        });
        poll.start(100);
        QTimer::singleShot(0, this, [this] { startMore(); });
        QCoreApplication::exec();
        restoreStopSignals();
        if (m_mode == QLatin1String("bar"))
            printErr(QStringLiteral("\r\033[K"));
        int failures = 0;
        QJsonArray all;
        for (const TranscodeResult& r : m_results) {
            all.append(r.toJson());
            if (r.status.isOk()) {
                if (!m_options.json)
                    printOut(QStringLiteral("ok: %1 -> %2 (%3 renditions, %4 s)\n")
                                 .arg(r.inputPath, r.masterPlaylist)
                                 .arg(r.renditions.size())
                                 .arg(r.elapsedSeconds, 0, 'f', 1));
                for (const QString& w : r.warnings)
                    printErr(QStringLiteral("warning: %1: %2\n")
                                 .arg(QFileInfo(r.inputPath).fileName(), w));
            } else if (r.status.isCancelled()) {
                // Cancelled is not failed: the user asked for it and nothing was written.
                printErr(QStringLiteral("cancelled: %1 (nothing was written)\n")
                             .arg(QFileInfo(r.inputPath).fileName()));
            } else {
                ++failures;
                printErr(QStringLiteral("error: %1\n").arg(r.status.message()));
            }
        }
        if (m_options.json)
            printOut(QString::fromUtf8(QJsonDocument(all).toJson(QJsonDocument::Indented)));
        if (m_interrupted)
            return 130;
        return failures ? 1 : 0;
    }

private:
    void startMore() {
        while (m_running.size() < m_options.jobs && !m_pending.isEmpty()) {
            auto* job = new TranscodeJob(m_pending.takeFirst(), this);
            m_running.append(job);
            connect(job, &TranscodeJob::progress, this, [this, job](const TranscodeProgress& p) {
                m_progress[job] = p;
                report(job, p);
            });
            connect(job, &TranscodeJob::finished, this, [this, job](const TranscodeResult& r) {
                m_results.append(r);
                m_running.removeOne(job);
                m_progress.remove(job);
                if (m_mode == QLatin1String("json")) {
                    QJsonObject o = r.toJson();
                    o[QStringLiteral("event")] = QStringLiteral("result");
                    printErr(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)) +
                             QLatin1Char('\n'));
                } else if (m_mode == QLatin1String("bar")) {
                    const QString outcome = r.status.isOk()          ? QStringLiteral("done     ")
                                            : r.status.isCancelled() ? QStringLiteral("cancelled")
                                                                     : QStringLiteral("FAILED   ");
                    printErr(QStringLiteral("\r\033[K%1 %2\n")
                                 .arg(outcome, QFileInfo(r.inputPath).fileName()));
                }
                job->deleteLater();
                startMore();
                if (m_running.isEmpty() && m_pending.isEmpty())
                    QCoreApplication::exit(0);
            });
            job->start();
        }
    }

    void report(TranscodeJob* job, const TranscodeProgress& p) {
        if (m_mode == QLatin1String("json")) {
            QJsonObject o;
            o[QStringLiteral("event")] = QStringLiteral("progress");
            o[QStringLiteral("input")] = job->request().inputPath;
            o[QStringLiteral("stage")] = p.stage;
            o[QStringLiteral("fraction")] = p.fraction;
            o[QStringLiteral("fps")] = p.framesPerSecond;
            o[QStringLiteral("speed")] = p.speed;
            o[QStringLiteral("etaSeconds")] = p.etaSeconds;
            o[QStringLiteral("mediaSeconds")] = p.mediaSecondsDone;
            o[QStringLiteral("durationSeconds")] = p.durationSeconds;
            o[QStringLiteral("elapsedSeconds")] = p.elapsedSeconds;
            printErr(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)) +
                     QLatin1Char('\n'));
        } else if (m_mode == QLatin1String("bar")) {
            const int width = 30;
            const int filled = int(p.fraction * width);
            const QString bar =
                QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('-'));
            const int done = m_results.size();
            const int total = m_options.inputs.size();
            printErr(QStringLiteral("\r\033[K[%1/%2] %3 [%4] %5% %6 fps %7x ETA %8")
                         .arg(done + 1)
                         .arg(total)
                         .arg(QFileInfo(job->request().inputPath).fileName().left(24))
                         .arg(bar)
                         .arg(int(p.fraction * 100), 3)
                         .arg(p.framesPerSecond, 0, 'f', 0)
                         .arg(p.speed, 0, 'f', 2)
                         .arg(formatDuration(p.etaSeconds, QStringLiteral("--:--"))));
        }
    }

    Options m_options;
    QString m_mode;
    QList<TranscodeRequest> m_pending;
    QList<TranscodeJob*> m_running;
    QHash<TranscodeJob*, TranscodeProgress> m_progress;
    QList<TranscodeResult> m_results;
    bool m_interrupted = false;
};

int runTranscode(const QStringList& args) {
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        printOut(QString::fromUtf8(kUsage));
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
            if (!value(&o.progress) || !QStringList{"bar", "json", "none"}.contains(o.progress))
                return usageError(QStringLiteral("--progress takes bar, json or none"));
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
    BatchRunner runner(o, l);
    return runner.run();
}

CliRegistration registration{
    {QStringLiteral("transcode"),
     QStringLiteral(
         "transcode FILE... --out DIR [--ladder PRESET|FILE.json] [--segments FORMAT] [--jobs N]"),
     QStringLiteral("Make an adaptive HLS ladder from each input"), runTranscode, 10}};

} // namespace
} // namespace hlsforge::cli
