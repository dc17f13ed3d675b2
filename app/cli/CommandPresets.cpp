// hlsforge-cli presets [--json]: the built-in ladders.

#include "CliCommand.h"

#include "ladder/Presets.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace hlsforge::cli {
namespace {

int runPresets(const QStringList& args) {
    if (args.contains(QStringLiteral("--help"))) {
        printOut(QStringLiteral("Usage: hlsforge-cli presets [--json | --show NAME]\n\n"
                                "Lists the built-in ladders. --show prints one as ladder JSON, a "
                                "starting point for your own file.\n"));
        return 0;
    }
    const int showAt = args.indexOf(QStringLiteral("--show"));
    if (showAt >= 0) {
        const LadderPreset* preset =
            showAt + 1 < args.size() ? findLadderPreset(args[showAt + 1]) : nullptr;
        if (!preset) {
            printErr(
                QStringLiteral("error: --show needs a preset name; see hlsforge-cli presets\n"));
            return 2;
        }
        printOut(QString::fromUtf8(
            QJsonDocument(preset->ladder.toJson()).toJson(QJsonDocument::Indented)));
        return 0;
    }
    if (args.contains(QStringLiteral("--json"))) {
        QJsonArray list;
        for (const LadderPreset& p : ladderPresets()) {
            QJsonObject o = p.ladder.toJson();
            o[QStringLiteral("name")] = p.name;
            o[QStringLiteral("description")] = p.description;
            list.append(o);
        }
        printOut(QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Indented)));
        return 0;
    }
    QString text;
    for (const LadderPreset& p : ladderPresets()) {
        text += QStringLiteral("%1  %2\n").arg(p.name, -8).arg(p.description);
        for (const Rendition& r : p.ladder.renditions)
            text += QStringLiteral("          %1  %2p  %3 kb/s\n")
                        .arg(r.effectiveName(), -9)
                        .arg(r.height, 4)
                        .arg(r.videoKbps, 5);
    }
    printOut(text);
    return 0;
}

CliRegistration registration{{QStringLiteral("presets"),
                              QStringLiteral("presets [--json | --show NAME]"),
                              QStringLiteral("List the built-in ladders"), runPresets, 30}};

} // namespace
} // namespace hlsforge::cli
