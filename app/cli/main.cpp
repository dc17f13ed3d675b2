// hlsforge-cli: the headless front end. Dispatches to the registered subcommands.

#include "CliCommand.h"

#include "util/LibraryVersions.h"
#include "util/Version.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <memory>

namespace hlsforge::cli {

QVector<CliCommand>& cliCommands() {
    static QVector<CliCommand> commands;
    return commands;
}

namespace {
volatile std::sig_atomic_t g_stopRequested = 0;
extern "C" void onStopSignal(int) {
    g_stopRequested = 1;
}
} // namespace

void installStopSignals() {
    g_stopRequested = 0;
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
}

bool stopRequested() {
    return g_stopRequested != 0;
}

void restoreStopSignals() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

void printOut(const QString& text) {
    std::fputs(text.toUtf8().constData(), stdout);
    std::fflush(stdout);
}

void printErr(const QString& text) {
    std::fputs(text.toUtf8().constData(), stderr);
    std::fflush(stderr);
}

} // namespace hlsforge::cli

using namespace hlsforge::cli;

static void printHelp() {
    auto commands = cliCommands();
    std::stable_sort(commands.begin(), commands.end(),
                     [](const CliCommand& a, const CliCommand& b) { return a.order < b.order; });
    QString text = QStringLiteral("hlsforge-cli %1 - adaptive HLS ladders from video files\n\n"
                                  "Usage: hlsforge-cli COMMAND [ARGS...]\n\nCommands:\n")
                       .arg(QStringLiteral(HLSFORGE_VERSION));
    for (const CliCommand& c : commands)
        text += QStringLiteral("  %1\n      %2\n").arg(c.usage, c.summary);
    text +=
        QStringLiteral("\nOptions:\n  --help      this help\n  --version   version and library "
                       "versions\n\nRun `hlsforge-cli COMMAND --help` for a command's options.\n");
    printOut(text);
}

int main(int argc, char** argv) {
    // `qoe` plays video into a QVideoSink and draws charts with fonts: that needs a
    // QGuiApplication, offscreen unless told otherwise so it runs without a display, and
    // Qt Multimedia's GStreamer backend, chosen before any player exists.
    const bool needsGui = argc > 1 && qstrcmp(argv[1], "qoe") == 0;
    if (needsGui) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND"))
            qputenv("QT_MEDIA_BACKEND", "gstreamer");
    }
    std::unique_ptr<QCoreApplication> application =
        needsGui ? std::make_unique<QGuiApplication>(argc, argv)
                 : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication& app = *application;
    QCoreApplication::setApplicationName(QStringLiteral("hlsforge-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HLSFORGE_VERSION));
    QStringList args = app.arguments();
    args.removeFirst();
    if (args.isEmpty() || args.first() == QLatin1String("--help") ||
        args.first() == QLatin1String("-h") || args.first() == QLatin1String("help")) {
        printHelp();
        return args.isEmpty() ? 2 : 0;
    }
    if (args.first() == QLatin1String("--version")) {
        printOut(QStringLiteral("hlsforge-cli %1 (Qt %2, %3)\n")
                     .arg(QStringLiteral(HLSFORGE_VERSION), QString::fromLatin1(qVersion()),
                          hlsforge::ffmpegLibraryVersions()));
        return 0;
    }
    const QString name = args.takeFirst();
    for (const CliCommand& c : cliCommands()) {
        if (c.name == name)
            return c.run(args);
    }
    printErr(QStringLiteral("hlsforge-cli: unknown command \"%1\"; see hlsforge-cli --help\n")
                 .arg(name));
    return 2;
}
