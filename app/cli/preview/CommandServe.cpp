// hlsforge-cli serve DIR: the preview server on 127.0.0.1, one JSON line per request.

#include "CliCommand.h"

#include "preview/RenditionMap.h"
#include "preview/ShapedFileServer.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTimer>

#include <atomic>
#include <csignal>

namespace hlsforge::cli {
namespace {

using preview::ShapingProfile;

QString usage() {
    return QStringLiteral(
        "Usage: hlsforge-cli serve DIR [--port N] [--profile NAME | --kbps N | --trace FILE]\n"
        "                          [--latency-ms N]\n"
        "       hlsforge-cli serve --list-profiles\n\n"
        "Serves DIR on http://127.0.0.1 (HTTP/1.1 with Range, CORS) through a shaped link and\n"
        "prints the URL of DIR/master.m3u8, then one JSON line per request on stdout.\n"
        "Ctrl-C or SIGTERM stops it.\n\n"
        "  --port N         listen port (default: any free port)\n"
        "  --profile NAME   a named network profile (see --list-profiles)\n"
        "  --kbps N         a constant rate in kb/s (0: unlimited)\n"
        "  --trace FILE     a rate trace, CSV lines \"seconds,kbps\"\n"
        "  --latency-ms N   added latency before every response (overrides the profile's)\n");
}

int runServe(const QStringList& args) {
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        printOut(usage());
        return 0;
    }
    if (args.contains(QStringLiteral("--list-profiles"))) {
        for (const ShapingProfile& p : ShapingProfile::builtIns())
            printOut(QStringLiteral("%1\t%2\n").arg(p.name, p.description));
        return 0;
    }
    QString dir;
    int port = 0;
    int latencyMs = -1;
    int rateOptions = 0;
    ShapingProfile profile = ShapingProfile::unlimited();
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        const bool hasValue = i + 1 < args.size();
        auto badValue = [&](const QString& what) {
            printErr(QStringLiteral("serve: %1 needs %2\n").arg(a, what));
            return 2;
        };
        if (a == QLatin1String("--port")) {
            bool ok = false;
            port = hasValue ? args[++i].toInt(&ok) : -1;
            if (!ok || port < 0 || port > 65535)
                return badValue(QStringLiteral("a port number 0-65535"));
        } else if (a == QLatin1String("--profile")) {
            if (!hasValue)
                return badValue(QStringLiteral("a profile name"));
            StatusOr<ShapingProfile> named = ShapingProfile::builtIn(args[++i]);
            if (!named.isOk()) {
                printErr(QStringLiteral("serve: %1\n").arg(named.status().message()));
                return 2;
            }
            profile = named.value();
            ++rateOptions;
        } else if (a == QLatin1String("--kbps")) {
            bool ok = false;
            const double kbps = hasValue ? args[++i].toDouble(&ok) : -1;
            if (!ok || kbps < 0)
                return badValue(QStringLiteral("a rate in kb/s >= 0"));
            profile = kbps > 0 ? ShapingProfile::constant(kbps) : ShapingProfile::unlimited();
            ++rateOptions;
        } else if (a == QLatin1String("--trace")) {
            if (!hasValue)
                return badValue(QStringLiteral("a CSV file"));
            StatusOr<ShapingProfile> trace = ShapingProfile::fromTraceFile(args[++i]);
            if (!trace.isOk()) {
                printErr(QStringLiteral("serve: %1\n").arg(trace.status().message()));
                return 2;
            }
            profile = trace.value();
            ++rateOptions;
        } else if (a == QLatin1String("--latency-ms")) {
            bool ok = false;
            latencyMs = hasValue ? args[++i].toInt(&ok) : -1;
            if (!ok || latencyMs < 0 || latencyMs > 60000)
                return badValue(QStringLiteral("a latency 0-60000 ms"));
        } else if (a.startsWith(QLatin1String("--"))) {
            printErr(QStringLiteral("serve: unknown option %1\n\n").arg(a) + usage());
            return 2;
        } else if (dir.isEmpty()) {
            dir = a;
        } else {
            printErr(QStringLiteral("serve: only one folder can be served\n"));
            return 2;
        }
    }
    if (dir.isEmpty()) {
        printErr(usage());
        return 2;
    }
    if (rateOptions > 1) {
        printErr(QStringLiteral("serve: use only one of --profile, --kbps, --trace\n"));
        return 2;
    }
    if (latencyMs >= 0)
        profile.latencyMs = latencyMs;

    preview::ShapedFileServer server(dir);
    server.setProfile(profile);
    const Status started = server.start(quint16(port));
    if (!started.isOk()) {
        printErr(QStringLiteral("serve: %1\n").arg(started.message()));
        return 1;
    }
    const QString entry =
        server.renditions().hasMaster() ? QStringLiteral("master.m3u8") : QString();
    printOut(server.url(entry).toString() + QLatin1Char('\n'));
    printErr(QStringLiteral("serving %1 with profile \"%2\"%3; Ctrl-C stops\n")
                 .arg(dir, profile.name,
                      profile.latencyMs > 0 ? QStringLiteral(" +%1 ms").arg(profile.latencyMs)
                                            : QString()));

    QObject::connect(
        &server, &preview::ShapedFileServer::requestFinished, &server,
        [](const preview::RequestEvent& event) {
            printOut(
                QString::fromUtf8(QJsonDocument(event.toJson()).toJson(QJsonDocument::Compact)) +
                QLatin1Char('\n'));
        });

    installStopSignals();
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [] {
        if (stopRequested())
            QCoreApplication::quit();
    });
    poll.start(100);
    QCoreApplication::exec();
    restoreStopSignals();
    server.stop();
    QCoreApplication::processEvents(); // print the events of requests that finished meanwhile
    printErr(QStringLiteral("stopped\n"));
    return 0;
}

CliRegistration registration{{QStringLiteral("serve"),
                              QStringLiteral("serve DIR [--port N] [--profile NAME | --kbps N | "
                                             "--trace FILE] [--latency-ms N]"),
                              QStringLiteral("Preview a ladder: serve DIR on 127.0.0.1 through a "
                                             "shaped link, one JSON line per request"),
                              runServe, 60}};

} // namespace
} // namespace hlsforge::cli
