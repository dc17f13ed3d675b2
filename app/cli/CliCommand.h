#pragma once
// A subcommand of hlsforge-cli. Each lives in its own Command<Name>.cpp and registers
// itself with a static CliRegistration, so adding a command touches no other file.
//
//   static int runProbe(const QStringList& args);
//   static CliRegistration reg{{"probe", "probe FILE", "Print what a file holds as JSON",
//   runProbe}};

#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>

namespace hlsforge::cli {

struct CliCommand {
    QString name;
    QString usage;   // one line, e.g. "probe FILE"
    QString summary; // one line for `hlsforge-cli --help`
    // Receives the arguments after the command name; returns the process exit status.
    // Runs inside a QCoreApplication; may call QCoreApplication::exec().
    std::function<int(const QStringList& args)> run;
    int order = 100; // position in --help
};

QVector<CliCommand>& cliCommands();

struct CliRegistration {
    explicit CliRegistration(CliCommand command) { cliCommands().append(std::move(command)); }
};

// Ctrl-C / SIGTERM for long-running commands. A signal handler may only set a flag, so a
// command installs the handlers, polls stopRequested() from its event loop (a QTimer) and
// cancels its job cleanly; restoreStopSignals() puts the default handlers back.
void installStopSignals();
bool stopRequested();
void restoreStopSignals();

// stderr/stdout helpers that flush at once (progress lines interleave with errors).
void printOut(const QString& text);
void printErr(const QString& text);

} // namespace hlsforge::cli
