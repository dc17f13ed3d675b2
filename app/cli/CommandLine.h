#pragma once
// CommandLine: how every hlsforge-cli command reads its arguments, so they all keep one set
// of rules (QCommandLineParser underneath):
//   - an option takes a value or none, never an optional one; `--name VALUE` and
//     `--name=VALUE` both work; `--` ends the options;
//   - `--help` / `-h` prints the command's help on stdout (usage, what it does, every option
//     with a one-line description and its default, the exit status) and exits 0;
//   - an unknown option, a missing value or a value its check refuses prints
//     "hlsforge-cli COMMAND: MESSAGE" naming the option, then the usage, on stderr, and the
//     command exits 2 (kExitUsage) before anything runs;
//   - `--progress MODE` (JobRunner's styles) and `--json` are declared here once.
//
//   CommandLine cl(QStringLiteral("probe"), {QStringLiteral("FILE...")}, about);
//   const QCommandLineOption jobs =
//       cl.addOption(QStringLiteral("jobs"), QStringLiteral("N"), QStringLiteral("files at once"),
//                    QStringLiteral("1"), CommandLine::wholeNumber(1, 64));
//   cl.addProgressOption(ProgressStyle::Bar, ProgressStyle::None);
//   if (const std::optional<int> exit = cl.parse(args))
//       return *exit;                       // --help, or a usage error already printed
//   if (cl.positional().isEmpty())
//       return cl.usageError(QStringLiteral("no input files")); // exit 2, with the usage
//   JobRunner runner(cl.progressStyle(), cl.intValue(jobs, 1));

#include "JobRunner.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <limits>
#include <optional>
#include <utility>

namespace hlsforge::cli {

// The exit status every command documents (main's --help lists it once for all).
extern const char* const kExitStatusHelp;

class CommandLine {
public:
    // A value test run by parse(): `accepts` the value, else the message is
    // "--NAME `needs` (not "VALUE")", e.g. "--jobs needs a whole number from 1 to 64".
    struct Check {
        std::function<bool(const QString& value)> accepts;
        QString needs;
    };
    static Check wholeNumber(int minimum, int maximum = std::numeric_limits<int>::max());
    // A number >= minimum (> minimum when `minimumExcluded`) and <= maximum.
    static Check number(double minimum, double maximum = std::numeric_limits<double>::infinity(),
                        bool minimumExcluded = false);
    // One of `names` ("takes a, b, c"); `accepts` may allow more spellings than it shows.
    static Check oneOf(const QStringList& names,
                       std::function<bool(const QString&)> accepts = nullptr);

    // `command` as typed ("transcode"); `usageForms` one per way to call it, without
    // "hlsforge-cli COMMAND" ("FILE... --out DIR [options]"); `about` the paragraph(s) under
    // the usage in --help.
    CommandLine(QString command, QStringList usageForms, QString about = {});

    // A heading in --help ("S3 options:") for the options added after it.
    void addSection(const QString& heading);
    // An option without a value.
    QCommandLineOption addFlag(const QString& name, const QString& help);
    // An option with a value: `valueName` ("DIR", "N") in the help; `defaultText` what applies
    // when it is not given (shown as "(default: ...)"; empty: none shown); `check` run by
    // parse() on every value given.
    QCommandLineOption addOption(const QString& name, const QString& valueName, const QString& help,
                                 const QString& defaultText = {}, Check check = {});
    // `--progress MODE` (bar | text | json | none, and the older spellings); unset, the style is
    // `onATerminal` when stderr is a terminal, else `otherwise`.
    void addProgressOption(ProgressStyle onATerminal, ProgressStyle otherwise);
    // `--json`: the command's results as JSON on stdout.
    void addJsonOption(const QString& help);
    // Text after the options in --help (notes, then the exit status); ends with a newline.
    void setEpilogue(const QString& text);

    // Parses the arguments after the command name. nullopt: go on. Otherwise the exit status
    // to return at once: 0 after --help was printed, 2 after a usage error was printed.
    std::optional<int> parse(const QStringList& args);

    // After parse().
    bool isSet(const QCommandLineOption& option) const { return m_parser.isSet(option); }
    QString value(const QCommandLineOption& option) const { return m_parser.value(option); }
    QStringList values(const QCommandLineOption& option) const { return m_parser.values(option); }
    // Checked values (wholeNumber / number); `fallback` when the option is not given.
    int intValue(const QCommandLineOption& option, int fallback) const;
    double doubleValue(const QCommandLineOption& option, double fallback) const;
    // The values of several repeatable options in the order typed, as (name, value): for
    // commands where `--a X --b Y --a Z` means three things in that order.
    QList<std::pair<QString, QString>>
    valuesInOrder(const QList<QCommandLineOption>& options) const;
    QStringList positional() const { return m_parser.positionalArguments(); }
    ProgressStyle progressStyle() const { return m_progressStyle; }
    bool json() const { return m_json && m_parser.isSet(*m_json); }

    // Prints "hlsforge-cli COMMAND: MESSAGE" and the usage on stderr; returns kExitUsage.
    int usageError(const QString& message) const;
    QString helpText() const;
    QString usageText() const; // the "Usage:" lines and where to find more

private:
    // One line of the help, in order: an option, or a section heading (`option` unused then).
    struct Entry {
        QString heading;
        QCommandLineOption option{QStringLiteral("heading")};
        QString help;
        QString defaultText;
        Check check;
    };
    QString optionError(const QStringList& args) const;
    void add(const QCommandLineOption& option, const QString& help, const QString& defaultText,
             Check check);

    QString m_command;
    QStringList m_usageForms;
    QString m_about;
    QString m_epilogue;
    QList<Entry> m_entries;
    QCommandLineParser m_parser;
    QCommandLineOption m_help;
    std::optional<QCommandLineOption> m_progress;
    std::optional<QCommandLineOption> m_json;
    ProgressStyle m_progressOnATerminal = ProgressStyle::Bar;
    ProgressStyle m_progressOtherwise = ProgressStyle::None;
    ProgressStyle m_progressStyle = ProgressStyle::None;
};

} // namespace hlsforge::cli
