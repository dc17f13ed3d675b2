// hlsforge-cli qoe DIR: what a viewer on a given network would get from a ladder. Plays it
// through the shaped preview server with the preview window's engine and recording
// (qoe::PlaybackSession), one session per profile (and per engine with several --engine), and
// reports start-up, stalls, switches, time per rung, average bitrate and whether playback
// reached the end.

#include "CliCommand.h"

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

#include <memory>

namespace hlsforge::cli {
namespace {

using preview::ShapingProfile;

QString usage() {
    return QStringLiteral(
        "Usage: hlsforge-cli qoe DIR|URL [--profile NAME]... [--kbps N]... [--trace FILE]...\n"
        "                        [--duration S] [--json] [--timeline OUT.csv] [--chart OUT.png]\n"
        "                        [--log OUT.jsonl] [--engine gst|qt]... [--buffer-seconds S]\n\n"
        "Plays the ladder in DIR (a folder holding master.m3u8, or that master.m3u8) or at URL\n"
        "(http(s):// address of a master playlist on a web server: proxied, each file fetched\n"
        "once from there and then served shaped from a private cache) through the\n"
        "shaped preview server with the preview window's player, one session per network\n"
        "profile, and reports what a viewer would get: start-up delay\n"
        "(play request to first frame), stalls, every rung switch, seconds per rung, average\n"
        "delivered bitrate and whether playback reached the end. Several profiles give a\n"
        "comparison table. Times are seconds since the play request, the shaping trace's clock.\n"
        "Runs without a display. Exit status 0 whenever a report was produced.\n\n"
        "  --profile NAME   a named network profile (hlsforge-cli serve --list-profiles);\n"
        "                   repeat for several sessions. Default: Unlimited\n"
        "  --kbps N         a constant link of N kb/s (repeatable)\n"
        "  --trace FILE     a rate trace, CSV lines \"seconds,kbps\" (repeatable)\n"
        "  --duration S     stop each session after S seconds of playback (default: the end\n"
        "                   of the clip, at most 3x its length + 60 s)\n"
        "  --json           print a JSON array, one object per profile\n"
        "  --timeline F     the segment timeline as CSV (one file per profile: F, or F with\n"
        "                   -PROFILE before the extension when there are several)\n"
        "  --chart F        the ABR timeline as a PNG (same naming)\n"
        "  --log F          the server's request log, one JSON line per request\n"
        "  --engine E       the player: gst (default; GStreamer playbin3, whose hlsdemux2\n"
        "                   abandons a late segment like web players) or qt (Qt Multimedia,\n"
        "                   classic hlsdemux). Repeat to compare: every profile on each engine.\n"
        "                   Default: HLSFORGE_PLAYER_ENGINE, else gst\n"
        "  --buffer-seconds S  how far ahead the gst engine buffers (default 30, as Video.js\n"
        "                   and hls.js)\n");
}

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
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        printOut(usage());
        return 0;
    }
    QString dir;
    QVector<ShapingProfile> profiles;
    double durationSeconds = 0;
    bool json = false;
    QString timelinePath, chartPath, logPath;
    QVector<qoe::PlaybackEngine> engines;
    qoe::PlayerOptions options;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        const bool hasValue = i + 1 < args.size();
        auto badValue = [&](const QString& what) {
            printErr(QStringLiteral("qoe: %1 needs %2\n").arg(a, what));
            return 2;
        };
        if (a == QLatin1String("--profile")) {
            if (!hasValue)
                return badValue(QStringLiteral("a profile name"));
            StatusOr<ShapingProfile> named = ShapingProfile::builtIn(args[++i]);
            if (!named.isOk()) {
                printErr(QStringLiteral("qoe: %1\n").arg(named.status().message()));
                return 2;
            }
            profiles.append(named.value());
        } else if (a == QLatin1String("--kbps")) {
            bool ok = false;
            const double kbps = hasValue ? args[++i].toDouble(&ok) : -1;
            if (!ok || kbps < 0)
                return badValue(QStringLiteral("a rate in kb/s >= 0"));
            ShapingProfile p =
                kbps > 0 ? ShapingProfile::constant(kbps) : ShapingProfile::unlimited();
            if (kbps > 0)
                p.name = QStringLiteral("%1 kb/s").arg(kbps);
            profiles.append(p);
        } else if (a == QLatin1String("--trace")) {
            if (!hasValue)
                return badValue(QStringLiteral("a CSV file"));
            StatusOr<ShapingProfile> trace = ShapingProfile::fromTraceFile(args[++i]);
            if (!trace.isOk()) {
                printErr(QStringLiteral("qoe: %1\n").arg(trace.status().message()));
                return 2;
            }
            profiles.append(trace.value());
        } else if (a == QLatin1String("--duration")) {
            bool ok = false;
            durationSeconds = hasValue ? args[++i].toDouble(&ok) : -1;
            if (!ok || durationSeconds <= 0)
                return badValue(QStringLiteral("a number of seconds > 0"));
        } else if (a == QLatin1String("--engine")) {
            qoe::PlaybackEngine engine;
            if (!hasValue || !qoe::parseEngine(args[++i], &engine))
                return badValue(QStringLiteral("gst or qt"));
            if (!engines.contains(engine))
                engines.append(engine);
        } else if (a == QLatin1String("--buffer-seconds")) {
            bool ok = false;
            options.bufferAheadSeconds = hasValue ? args[++i].toDouble(&ok) : -1;
            if (!ok || options.bufferAheadSeconds < 1)
                return badValue(QStringLiteral("a number of seconds >= 1"));
        } else if (a == QLatin1String("--json")) {
            json = true;
        } else if (a == QLatin1String("--timeline") || a == QLatin1String("--chart") ||
                   a == QLatin1String("--log")) {
            if (!hasValue)
                return badValue(QStringLiteral("a file name"));
            (a == QLatin1String("--timeline") ? timelinePath
             : a == QLatin1String("--chart")  ? chartPath
                                              : logPath) = args[++i];
        } else if (a.startsWith(QLatin1String("--"))) {
            printErr(QStringLiteral("qoe: unknown option %1\n\n").arg(a) + usage());
            return 2;
        } else if (dir.isEmpty()) {
            dir = a;
        } else {
            printErr(QStringLiteral("qoe: only one ladder at a time\n"));
            return 2;
        }
    }
    if (dir.isEmpty()) {
        printErr(usage());
        return 2;
    }
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
