// hlsforge-cli probe FILE...: what a file holds, as JSON on stdout.

#include "CliCommand.h"

#include "probe/MediaProbe.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace hlsforge::cli {
namespace {

int runProbe(const QStringList& args) {
    if (args.isEmpty() || args.contains(QStringLiteral("--help"))) {
        printOut(
            QStringLiteral("Usage: hlsforge-cli probe FILE...\n\nPrints container, duration, "
                           "video and audio parameters as JSON (an array for several files).\n"));
        return args.isEmpty() ? 2 : 0;
    }
    int failures = 0;
    QJsonArray all;
    for (const QString& path : args) {
        StatusOr<MediaInfo> info = probeFile(path);
        if (!info.isOk()) {
            printErr(QStringLiteral("error: %1\n").arg(info.status().message()));
            ++failures;
            continue;
        }
        all.append(info->toJson());
    }
    if (args.size() == 1 && all.size() == 1)
        printOut(QString::fromUtf8(
            QJsonDocument(all.first().toObject()).toJson(QJsonDocument::Indented)));
    else if (!all.isEmpty())
        printOut(QString::fromUtf8(QJsonDocument(all).toJson(QJsonDocument::Indented)));
    return failures ? 1 : 0;
}

CliRegistration registration{{QStringLiteral("probe"), QStringLiteral("probe FILE..."),
                              QStringLiteral("Print what a media file holds, as JSON"), runProbe,
                              20}};

} // namespace
} // namespace hlsforge::cli
