// hlsforge-cli serve DIR: the preview server on 127.0.0.1, one JSON line per request.

#include "CliCommand.h"
#include "CommandLine.h"
#include "preview/NetworkOptions.h"

#include "preview/RenditionMap.h"
#include "preview/ShapedFileServer.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTimer>

namespace hlsforge::cli {
namespace {

using preview::ShapingProfile;

int runServe(const QStringList& args) {
    CommandLine cl(QStringLiteral("serve"),
                   {QStringLiteral("DIR [--port N] [--profile NAME | --kbps N | --trace FILE] "
                                   "[--latency-ms N]"),
                    QStringLiteral("--list-profiles")},
                   QStringLiteral("Serves DIR on http://127.0.0.1 (HTTP/1.1 with Range, CORS) "
                                  "through a shaped link and prints the URL of DIR/master.m3u8, "
                                  "then one JSON line per request on stdout. Ctrl-C or SIGTERM "
                                  "stops it."));
    const QCommandLineOption portOption =
        cl.addOption(QStringLiteral("port"), QStringLiteral("N"), QStringLiteral("listen port"),
                     QStringLiteral("any free port"), CommandLine::wholeNumber(0, 65535));
    const NetworkOptions network(cl, false);
    const QCommandLineOption latencyOption =
        cl.addOption(QStringLiteral("latency-ms"), QStringLiteral("N"),
                     QStringLiteral("added latency before every response, overrides the profile's"),
                     QStringLiteral("the profile's"), CommandLine::wholeNumber(0, 60000));
    const QCommandLineOption listOption = cl.addFlag(
        QStringLiteral("list-profiles"), QStringLiteral("print the named profiles and exit"));
    cl.setEpilogue(QStringLiteral("Exit status: 0 when stopped by Ctrl-C or SIGTERM, 1 when it "
                                  "cannot listen, 2 on bad usage.\n"));
    if (const std::optional<int> exitCode = cl.parse(args))
        return *exitCode;
    if (cl.isSet(listOption)) {
        for (const ShapingProfile& p : ShapingProfile::builtIns())
            printOut(QStringLiteral("%1\t%2\n").arg(p.name, p.description));
        return kExitOk;
    }
    const QStringList positional = cl.positional();
    if (positional.isEmpty())
        return cl.usageError(QStringLiteral("give the folder to serve"));
    if (positional.size() > 1)
        return cl.usageError(QStringLiteral("only one folder can be served"));
    const QString dir = positional.first();
    if (network.count(cl) > 1)
        return cl.usageError(QStringLiteral("use only one of --profile, --kbps, --trace"));
    const StatusOr<QVector<ShapingProfile>> chosen = network.profiles(cl);
    if (!chosen.isOk())
        return cl.usageError(chosen.status().message());
    ShapingProfile profile = chosen->isEmpty() ? ShapingProfile::unlimited() : chosen->constFirst();
    const int latencyMs = cl.intValue(latencyOption, -1);
    const int port = cl.intValue(portOption, 0);
    if (latencyMs >= 0)
        profile.latencyMs = latencyMs;

    preview::ShapedFileServer server(dir);
    server.setProfile(profile);
    const Status started = server.start(quint16(port));
    if (!started.isOk()) {
        printErr(QStringLiteral("serve: %1\n").arg(started.message()));
        return kExitFailed;
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
    return kExitOk;
}

CliRegistration registration{{QStringLiteral("serve"),
                              QStringLiteral("serve DIR [--port N] [--profile NAME | --kbps N | "
                                             "--trace FILE] [--latency-ms N]"),
                              QStringLiteral("Preview a ladder: serve DIR on 127.0.0.1 through a "
                                             "shaped link, one JSON line per request"),
                              runServe, 60}};

} // namespace
} // namespace hlsforge::cli
