// hlsforge-cli qoe DIR: what a viewer on a given network would get from a ladder. Plays it
// through the shaped preview server with the preview window's engine and recording
// (qoe::PlaybackSession), one session per profile (and per engine with several --engine), and
// reports start-up, stalls, switches, time per rung, average bitrate and whether playback
// reached the end.

#include "CliCommand.h"
#include "CommandLine.h"
#include "preview/NetworkOptions.h"

#include "preview/RenditionMap.h"
#include "preview/ShapedFileServer.h"
#include "preview/UpstreamOrigin.h"
#include "qoe/PlaybackSession.h"
#include "qoe/TimelinePainter.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTimer>

#include <limits>
#include <memory>

namespace hlsforge::cli {
namespace {

using preview::ShapingProfile;

// What the progress lines call the ladder: a folder's name, or the URL as given.
QString ladderLabel(const QString& dirOrUrl) {
    return preview::UpstreamOrigin::isUrl(dirOrUrl) ? dirOrUrl : QFileInfo(dirOrUrl).fileName();
}

QString perProfilePath(const QString& path, const QString& profile, bool several) {
    if (!several || path.isEmpty())
        return path;
    QString slug = profile.toLower();
    for (QChar& c : slug)
        if (!c.isLetterOrNumber())
            c = QLatin1Char('-');
    const QFileInfo info(path);
    const QString suffix = info.suffix().isEmpty() ? QString() : QLatin1Char('.') + info.suffix();
    const QString base = suffix.isEmpty() ? path : path.left(path.size() - suffix.size());
    return base + QLatin1Char('-') + slug + suffix;
}

bool writeFile(const QString& path, const QByteArray& data, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) < 0 || !file.commit()) {
        *error = QStringLiteral("%1: cannot write (%2)").arg(path, file.errorString());
        return false;
    }
    return true;
}

struct SessionOutcome {
    qoe::QoeReport report;
    QString playerError;
    bool interrupted = false;
};

SessionOutcome runSession(preview::ShapedFileServer& server, const ShapingProfile& profile,
                          qoe::PlaybackEngine engine, const qoe::PlayerOptions& options,
                          double durationCapSeconds, const QString& timelinePath,
                          const QString& chartPath, QString* fileError) {
    SessionOutcome outcome;
    qoe::PlaybackSession session(&server, engine, options);
    QEventLoop loop;
    QObject::connect(&session, &qoe::PlaybackSession::ended, &loop, [&loop] {
        // The server reports a request when it has finished; let the last ones arrive.
        QTimer::singleShot(300, &loop, &QEventLoop::quit);
    });
    QObject::connect(&session, &qoe::PlaybackSession::errorOccurred, &loop,
                     [&](const QString& text) {
                         outcome.playerError = text;
                         loop.quit();
                     });
    QTimer watch;
    QObject::connect(&watch, &QTimer::timeout, &loop, [&] {
        if (stopRequested()) {
            outcome.interrupted = true;
            loop.quit();
            return;
        }
        double cap = durationCapSeconds;
        if (cap <= 0) {
            const double media = session.recording().mediaSeconds;
            cap = media > 0 ? media * 3 + 60 : 180;
        }
        if (session.now() >= cap)
            loop.quit();
    });
    watch.start(100);
    session.setProfile(profile); // the trace's clock starts with the play request
    session.start(server.url(QStringLiteral("master.m3u8")));
    loop.exec();
    watch.stop();
    const double endedAt = session.now();
    session.stop();
    outcome.report = session.recording().report(endedAt);
    if (!timelinePath.isEmpty() &&
        !writeFile(timelinePath, session.recording().timelineCsv(), fileError))
        return outcome;
    if (!chartPath.isEmpty())
        qoe::TimelinePainter::savePng(
            session.recording(), endedAt, chartPath,
            QObject::tr("ABR timeline: %1 on %2 (%3)")
                .arg(ladderLabel(server.origin()), profile.name, qoe::engineName(engine)),
            fileError);
    return outcome;
}

int runQoe(const QStringList& args) {
    CommandLine cl(
        QStringLiteral("qoe"), {QStringLiteral("DIR|URL [options]")},
        QStringLiteral(
            "Plays the ladder in DIR (a folder holding master.m3u8, or that master.m3u8) or at "
            "URL\n"
            "(the http(s) address of a master playlist on a web server: proxied, each file\n"
            "fetched once from there and then served shaped from a private cache) through the\n"
            "shaped preview server with the preview window's player, one session per network\n"
            "profile, and reports what a viewer would get: start-up delay (play request to\n"
            "first frame), stalls, every rung switch, seconds per rung, average delivered\n"
            "bitrate and whether playback reached the end. Several profiles give a comparison\n"
            "table. Times are seconds since the play request, the shaping trace's clock. Runs\n"
            "without a display."));
    const NetworkOptions network(cl, true);
    const QCommandLineOption durationOption =
        cl.addOption(QStringLiteral("duration"), QStringLiteral("S"),
                     QStringLiteral("stop each session after S seconds of playback"),
                     QStringLiteral("the end of the clip, at most 3x its length + 60 s"),
                     CommandLine::number(0, std::numeric_limits<double>::infinity(), true));
    cl.addJsonOption(QStringLiteral("print a JSON array, one object per profile"));
    const QCommandLineOption timelineOption = cl.addOption(
        QStringLiteral("timeline"), QStringLiteral("FILE"),
        QStringLiteral("the segment timeline as CSV (with several profiles: -PROFILE before the "
                       "extension)"));
    const QCommandLineOption chartOption =
        cl.addOption(QStringLiteral("chart"), QStringLiteral("FILE"),
                     QStringLiteral("the ABR timeline as a PNG (same naming)"));
    const QCommandLineOption logOption =
        cl.addOption(QStringLiteral("log"), QStringLiteral("FILE"),
                     QStringLiteral("the server's request log, one JSON line per request"));
    const QCommandLineOption engineOption = cl.addOption(
        QStringLiteral("engine"), QStringLiteral("E"),
        QStringLiteral("the player: gst (GStreamer playbin3, whose hlsdemux2 abandons a late "
                       "segment like web players) or qt (Qt Multimedia, classic hlsdemux); "
                       "repeat to compare: every profile on each engine"),
        QStringLiteral("HLSFORGE_PLAYER_ENGINE, else gst"),
        CommandLine::oneOf({QStringLiteral("gst"), QStringLiteral("qt")}, [](const QString& v) {
            qoe::PlaybackEngine engine;
            return qoe::parseEngine(v, &engine);
        }));
    const QCommandLineOption bufferOption =
        cl.addOption(QStringLiteral("buffer-seconds"), QStringLiteral("S"),
                     QStringLiteral("how far ahead the gst engine buffers"),
                     QStringLiteral("30, as Video.js and hls.js"), CommandLine::number(1));
    cl.setEpilogue(QStringLiteral(
        "Exit status: 0 whenever a report was produced (whatever the QoE), 1 when it could not\n"
        "run (no master.m3u8, no player, the origin unreachable, a file not writable), 2 on bad\n"
        "usage or a ladder that cannot be proxied, 130 when interrupted.\n"));
    if (const std::optional<int> exitCode = cl.parse(args))
        return *exitCode;
    const QStringList positional = cl.positional();
    if (positional.isEmpty())
        return cl.usageError(QStringLiteral("give the ladder's folder, master.m3u8 or URL"));
    if (positional.size() > 1)
        return cl.usageError(QStringLiteral("only one ladder at a time"));
    QString dir = positional.first();

    // Profiles in the order typed, whichever option named them.
    StatusOr<QVector<ShapingProfile>> chosen = network.profiles(cl);
    if (!chosen.isOk())
        return cl.usageError(chosen.status().message());
    QVector<ShapingProfile> profiles = std::move(chosen.value());
    const double durationSeconds = cl.doubleValue(durationOption, 0);
    const bool json = cl.json();
    const QString timelinePath = cl.value(timelineOption);
    const QString chartPath = cl.value(chartOption);
    const QString logPath = cl.value(logOption);
    QVector<qoe::PlaybackEngine> engines;
    for (const QString& name : cl.values(engineOption)) {
        qoe::PlaybackEngine engine;
        if (qoe::parseEngine(name, &engine) && !engines.contains(engine))
            engines.append(engine);
    }
    qoe::PlayerOptions options;
    options.bufferAheadSeconds = cl.doubleValue(bufferOption, 0);
    const bool remote = preview::UpstreamOrigin::isUrl(dir);
    if (!remote && QFileInfo(dir).isFile()) {
        if (QFileInfo(dir).fileName() != QLatin1String("master.m3u8")) {
            printErr(
                QStringLiteral("qoe: %1: give the ladder's folder or its master.m3u8\n").arg(dir));
            return 2;
        }
        dir = QFileInfo(dir).absolutePath();
    }
    if (!remote && !QFileInfo(dir).isDir()) {
        printErr(QStringLiteral("qoe: %1: no such folder\n").arg(dir));
        return 2;
    }
    if (profiles.isEmpty())
        profiles.append(ShapingProfile::unlimited());
    if (engines.isEmpty())
        engines.append(qoe::defaultEngine());

    preview::ShapedFileServer server(dir);
    const Status started = server.start();
    if (!started.isOk()) {
        // A URL whose ladder cannot be fetched or proxied is bad input, like a missing folder.
        printErr(QStringLiteral("qoe: %1\n").arg(started.message()));
        return remote && started.code() != Status::Code::NetworkError ? 2 : 1;
    }
    if (!server.renditions().hasMaster()) {
        printErr(QStringLiteral("qoe: %1: holds no master.m3u8\n").arg(dir));
        return 1;
    }

    std::unique_ptr<QFile> log;
    QString currentProfile;
    QString currentEngine;
    if (!logPath.isEmpty()) {
        log = std::make_unique<QFile>(logPath);
        if (!log->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            printErr(
                QStringLiteral("qoe: %1: cannot write (%2)\n").arg(logPath, log->errorString()));
            return 1;
        }
        QObject::connect(&server, &preview::ShapedFileServer::requestFinished, &server,
                         [&](const preview::RequestEvent& event) {
                             QJsonObject o = event.toJson();
                             o.insert(QStringLiteral("profile"), currentProfile);
                             o.insert(QStringLiteral("engine"), currentEngine);
                             log->write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
                         });
    }

    installStopSignals();
    // Every profile on each engine, engines in the order given; files get -PROFILE and, with
    // several engines, -ENGINE before the extension.
    struct Run {
        ShapingProfile profile;
        qoe::PlaybackEngine engine;
    };
    QVector<Run> runs;
    for (const ShapingProfile& profile : profiles)
        for (const qoe::PlaybackEngine engine : engines)
            runs.append({profile, engine});
    const bool severalEngines = engines.size() > 1;
    const bool several = runs.size() > 1;
    QVector<qoe::QoeReport> reports;
    QJsonArray array;
    int status = 0;
    for (const Run& run : runs) {
        const ShapingProfile& profile = run.profile;
        const QString engine = qoe::engineName(run.engine);
        const QString fileTag =
            severalEngines ? profile.name + QLatin1Char(' ') + engine : profile.name;
        currentProfile = profile.name;
        currentEngine = engine;
        printErr(QStringLiteral("qoe: playing %1 on %2 (%3)…\n")
                     .arg(ladderLabel(dir), profile.name, engine));
        QString fileError;
        SessionOutcome outcome =
            runSession(server, profile, run.engine, options, durationSeconds,
                       perProfilePath(timelinePath, fileTag, several),
                       perProfilePath(chartPath, fileTag, several), &fileError);
        if (!outcome.playerError.isEmpty() && outcome.report.startupSeconds < 0 &&
            outcome.report.secondsPerRung.isEmpty()) {
            // Nothing played at all: the player itself could not run.
            printErr(QStringLiteral("qoe: %1: the %2 player failed: %3\n")
                         .arg(dir, engine, outcome.playerError));
            status = 1;
            break;
        }
        if (!fileError.isEmpty()) {
            printErr(QStringLiteral("qoe: %1\n").arg(fileError));
            status = 1;
        }
        QJsonObject o = outcome.report.toJson();
        o.insert(QStringLiteral("engine"), engine);
        if (!outcome.playerError.isEmpty())
            o.insert(QStringLiteral("playerError"), outcome.playerError);
        if (outcome.interrupted)
            o.insert(QStringLiteral("interrupted"), true);
        array.append(o);
        if (severalEngines) // the table's first column tells the rows apart
            outcome.report.profile += QStringLiteral(" (%1)").arg(engine);
        reports.append(outcome.report);
        if (!json) {
            QString text = outcome.report.summaryLine() + QLatin1Char('\n');
            for (const qoe::QoeReport::Switch& s : outcome.report.switches)
                text += QStringLiteral("  %1 s  %2 -> %3 (%4)\n")
                            .arg(s.t, 6, 'f', 2)
                            .arg(s.from, s.to, s.reason);
            if (!outcome.playerError.isEmpty())
                text += QStringLiteral("  player error: %1\n").arg(outcome.playerError);
            printOut(text);
        }
        if (outcome.interrupted)
            break;
    }
    restoreStopSignals();
    server.stop();
    QCoreApplication::processEvents(); // the log lines of the last requests
    if (log)
        log->close();
    if (json)
        printOut(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)));
    else if (reports.size() > 1)
        printOut(QLatin1Char('\n') + qoe::QoeReport::comparisonTable(reports));
    return reports.isEmpty() ? 1 : status;
}

CliRegistration registration{
    {QStringLiteral("qoe"),
     QStringLiteral(
         "qoe DIR|URL [--profile NAME]... [--kbps N] [--trace FILE] [--duration S] [--json] "
         "[--timeline OUT.csv] [--chart OUT.png] [--engine gst|qt]..."),
     QStringLiteral("What a viewer would get: play a ladder through the shaped preview server "
                    "and report start-up, stalls, switches and time per rung"),
     runQoe, 65}};

} // namespace
} // namespace hlsforge::cli
