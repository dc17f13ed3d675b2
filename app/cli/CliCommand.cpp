// The pieces of CliCommand.h every command shares: the registry, Ctrl-C/SIGTERM and output.

#include "CliCommand.h"

#include <csignal>
#include <cstdio>

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
