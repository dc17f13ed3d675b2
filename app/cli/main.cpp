// hlsforge-cli: the headless front end. Dispatches to the registered subcommands.

#include "CliCommand.h"
#include "CommandLine.h"
#include "JobRunner.h"

#include "util/LibraryVersions.h"
#include "util/Version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QGuiApplication>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <memory>

using namespace hlsforge::cli;

static QString helpText() {
    auto commands = cliCommands();
    std::stable_sort(commands.begin(), commands.end(),
                     [](const CliCommand& a, const CliCommand& b) { return a.order < b.order; });
    QString text = QStringLiteral("hlsforge-cli %1 - adaptive HLS ladders from video files\n\n"
                                  "Usage: hlsforge-cli COMMAND [ARGS...]\n\nCommands:\n")
                       .arg(QStringLiteral(HLSFORGE_VERSION));
    for (const CliCommand& c : commands)
        text += QStringLiteral("  %1\n      %2\n").arg(c.usage, c.summary);
    text += QStringLiteral(
        "\nOptions:\n  -h, --help  this help\n  --version   version and library versions\n\n"
        "Run `hlsforge-cli COMMAND --help` (or `hlsforge-cli help COMMAND`) for a command's "
        "options.\n"
        "Every command: progress and errors on stderr, results on stdout; options take a value\n"
        "or none (--name VALUE or --name=VALUE); an unknown option or a missing value is bad\n"
        "usage.\n");
    return text + QLatin1String(kExitStatusHelp);
}

static const CliCommand* findCommand(const QString& name) {
    for (const CliCommand& c : cliCommands())
        if (c.name == name)
            return &c;
    return nullptr;
}

int main(int argc, char** argv) {
    // `qoe` plays video into a QVideoSink and draws charts with fonts, `suggest --png` draws
    // its chart: that needs a QGuiApplication, offscreen unless told otherwise so it runs
    // without a display, and Qt Multimedia's GStreamer backend, chosen before any player exists.
    bool needsGui = argc > 1 && qstrcmp(argv[1], "qoe") == 0;
    if (argc > 1 && qstrcmp(argv[1], "suggest") == 0)
        for (int i = 2; i < argc; ++i)
            needsGui =
                needsGui || qstrcmp(argv[i], "--png") == 0 || qstrncmp(argv[i], "--png=", 6) == 0;
    if (needsGui) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND"))
            qputenv("QT_MEDIA_BACKEND", "gstreamer");
        if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
            // Headless machines (CI, ssh) have none; Qt then falls back to /tmp/runtime-USER
            // with a warning on stderr on every run. Make the same private folder, quietly.
            const QByteArray dir = QFile::encodeName(QDir::tempPath()) + "/runtime-hlsforge-" +
                                   QByteArray::number(::getuid());
            if (::mkdir(dir.constData(), 0700) == 0 || errno == EEXIST)
                qputenv("XDG_RUNTIME_DIR", dir);
        }
    }
    std::unique_ptr<QCoreApplication> application =
        needsGui ? std::make_unique<QGuiApplication>(argc, argv)
                 : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication& app = *application;
    QCoreApplication::setApplicationName(QStringLiteral("hlsforge-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HLSFORGE_VERSION));
    // The options before the command are hlsforge-cli's own; everything from the command
    // name on is the command's (its own CommandLine parses it).
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption helpOption(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    const QCommandLineOption versionOption(QStringLiteral("version"));
    parser.addOptions({helpOption, versionOption});
    const bool parsed = parser.parse(app.arguments());
    auto usageError = [](const QString& message) {
        printErr(QStringLiteral("hlsforge-cli: %1\nUsage: hlsforge-cli COMMAND [ARGS...]\n"
                                "Run `hlsforge-cli --help` for the commands.\n")
                     .arg(message));
        return kExitUsage;
    };
    if (!parsed && !parser.isSet(helpOption)) {
        const QStringList unknown = parser.unknownOptionNames();
        return usageError(
            unknown.isEmpty()
                ? parser.errorText()
                : QStringLiteral("unknown option %1").arg(QStringLiteral("--") + unknown.first()));
    }
    QStringList args = parser.positionalArguments();
    if (parser.isSet(helpOption) ||
        (!args.isEmpty() && args.first() == QLatin1String("help") && args.size() == 1)) {
        printOut(helpText());
        return kExitOk;
    }
    if (parser.isSet(versionOption)) {
        printOut(QStringLiteral("hlsforge-cli %1 (Qt %2, %3)\n")
                     .arg(QStringLiteral(HLSFORGE_VERSION), QString::fromLatin1(qVersion()),
                          hlsforge::ffmpegLibraryVersions()));
        return kExitOk;
    }
    if (args.isEmpty()) {
        printErr(helpText());
        return kExitUsage;
    }
    // `help COMMAND` is `COMMAND --help`.
    if (args.first() == QLatin1String("help"))
        args = QStringList{args.at(1), QStringLiteral("--help")};
    const QString name = args.takeFirst();
    if (const CliCommand* command = findCommand(name))
        return command->run(args);
    return usageError(QStringLiteral("unknown command \"%1\"").arg(name));
}
