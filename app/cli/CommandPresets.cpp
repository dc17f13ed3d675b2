// hlsforge-cli presets [--json]: the built-in ladders.

#include "CliCommand.h"
#include "CommandLine.h"

#include "ladder/Presets.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace hlsforge::cli {
namespace {

int runPresets(const QStringList& args) {
    QStringList names;
    for (const LadderPreset& p : ladderPresets())
        names << p.name;
    CommandLine cl(QStringLiteral("presets"), {QStringLiteral("[--json | --show NAME]")},
                   QStringLiteral("Lists the built-in ladders: each preset's rungs with height "
                                  "and video bitrate."));
    cl.addJsonOption(QStringLiteral("the presets as a JSON array (each a ladder JSON object "
                                    "with its name and description)"));
    const QCommandLineOption showOption = cl.addOption(
        QStringLiteral("show"), QStringLiteral("NAME"),
        QStringLiteral("print one preset (%1) as ladder JSON, a starting point for your own file")
            .arg(names.join(QStringLiteral(", "))),
        {}, CommandLine::oneOf(names, [](const QString& name) {
            return findLadderPreset(name) != nullptr;
        }));
    cl.setEpilogue(QStringLiteral("Exit status: 0, or 2 on bad usage.\n"));
    if (const std::optional<int> exitCode = cl.parse(args))
        return *exitCode;
    if (!cl.positional().isEmpty())
        return cl.usageError(
            QStringLiteral("unexpected argument \"%1\"").arg(cl.positional().first()));
    if (cl.isSet(showOption)) {
        const LadderPreset* preset = findLadderPreset(cl.value(showOption));
        printOut(QString::fromUtf8(
            QJsonDocument(preset->ladder.toJson()).toJson(QJsonDocument::Indented)));
        return kExitOk;
    }
    if (cl.json()) {
        QJsonArray list;
        for (const LadderPreset& p : ladderPresets()) {
            QJsonObject o = p.ladder.toJson();
            o[QStringLiteral("name")] = p.name;
            o[QStringLiteral("description")] = p.description;
            list.append(o);
        }
        printOut(QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Indented)));
        return kExitOk;
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
