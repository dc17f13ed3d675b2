#include "CommandLine.h"

#include "CliCommand.h"

#include <QHash>

#include <cmath>

namespace hlsforge::cli {

const char* const kExitStatusHelp =
    "Exit status: 0 done, 1 failed (the reason on stderr), 2 bad usage (nothing was done),\n"
    "130 interrupted by Ctrl-C or SIGTERM (work in progress is cancelled and removed).\n";

namespace {

constexpr int kHelpWidth = 100;      // columns of --help, wrapped at words
constexpr int kHelpNameColumns = 28; // "  --option VALUE" before the description

// `text` on one line, wrapped at words; continuation lines start at `indent`, the first
// word goes at `column` (where the caller's line already is).
QString wrapped(const QString& text, int indent, int column) {
    QString out;
    bool lineHasWord = false;
    for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (lineHasWord && column + 1 + word.size() > kHelpWidth) {
            out += QLatin1Char('\n') + QString(indent, QLatin1Char(' '));
            column = indent;
            lineHasWord = false;
        }
        if (lineHasWord) {
            out += QLatin1Char(' ');
            ++column;
        }
        out += word;
        column += word.size();
        lineHasWord = true;
    }
    return out;
}

QString numberText(double value) {
    return QString::number(value, 'g', 10);
}

QString longestName(const QCommandLineOption& option) {
    QString longest;
    for (const QString& name : option.names())
        if (name.size() > longest.size())
            longest = name;
    return longest;
}

} // namespace

CommandLine::Check CommandLine::wholeNumber(int minimum, int maximum) {
    const QString needs =
        maximum == std::numeric_limits<int>::max()
            ? QStringLiteral("needs a whole number of at least %1").arg(minimum)
            : QStringLiteral("needs a whole number from %1 to %2").arg(minimum).arg(maximum);
    return {[minimum, maximum](const QString& value) {
                bool ok = false;
                const int n = value.trimmed().toInt(&ok);
                return ok && n >= minimum && n <= maximum;
            },
            needs};
}

CommandLine::Check CommandLine::number(double minimum, double maximum, bool minimumExcluded) {
    QString needs = minimumExcluded
                        ? QStringLiteral("needs a number greater than %1").arg(numberText(minimum))
                        : QStringLiteral("needs a number of at least %1").arg(numberText(minimum));
    if (std::isfinite(maximum))
        needs += QStringLiteral(" and at most %1").arg(numberText(maximum));
    return {[minimum, maximum, minimumExcluded](const QString& value) {
                bool ok = false;
                const double n = value.trimmed().toDouble(&ok);
                return ok && std::isfinite(n) && (minimumExcluded ? n > minimum : n >= minimum) &&
                       n <= maximum;
            },
            needs};
}

CommandLine::Check CommandLine::oneOf(const QStringList& names,
                                      std::function<bool(const QString&)> accepts) {
    if (!accepts)
        accepts = [names](const QString& value) { return names.contains(value); };
    return {std::move(accepts), QStringLiteral("takes ") + names.join(QStringLiteral(", "))};
}

CommandLine::CommandLine(QString command, QStringList usageForms, QString about)
    : m_command(std::move(command)), m_usageForms(std::move(usageForms)), m_about(std::move(about)),
      m_help(QStringList{QStringLiteral("h"), QStringLiteral("help")}) {
    // "-out" reads as "--out", not as the letters o, u, t.
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.addOption(m_help);
}

void CommandLine::add(const QCommandLineOption& option, const QString& help,
                      const QString& defaultText, Check check) {
    m_parser.addOption(option);
    Entry entry;
    entry.option = option;
    entry.help = help;
    entry.defaultText = defaultText;
    entry.check = std::move(check);
    m_entries.append(entry);
}

void CommandLine::addSection(const QString& heading) {
    Entry entry;
    entry.heading = heading;
    m_entries.append(entry);
}

QCommandLineOption CommandLine::addFlag(const QString& name, const QString& help) {
    const QCommandLineOption option(name);
    add(option, help, {}, {});
    return option;
}

QCommandLineOption CommandLine::addOption(const QString& name, const QString& valueName,
                                          const QString& help, const QString& defaultText,
                                          Check check) {
    const QCommandLineOption option(name, {}, valueName);
    add(option, help, defaultText, std::move(check));
    return option;
}

void CommandLine::addProgressOption(ProgressStyle onATerminal, ProgressStyle otherwise) {
    static const QStringList names{QStringLiteral("bar"), QStringLiteral("text"),
                                   QStringLiteral("json"), QStringLiteral("none")};
    // In ProgressStyle's order.
    static_assert(int(ProgressStyle::Bar) == 0 && int(ProgressStyle::None) == 3);
    auto name = [](ProgressStyle style) { return names.at(int(style)); };
    m_progressOnATerminal = onATerminal;
    m_progressOtherwise = otherwise;
    const QString defaultText =
        onATerminal == otherwise
            ? name(onATerminal)
            : QStringLiteral("%1 on a terminal, else %2").arg(name(onATerminal), name(otherwise));
    m_progress = addOption(
        QStringLiteral("progress"), QStringLiteral("MODE"),
        QStringLiteral("progress on stderr: bar | text (a line a second) | json (JSON lines) | "
                       "none"),
        defaultText,
        oneOf(names, [](const QString& value) { return parseProgressStyle(value).has_value(); }));
}

void CommandLine::addJsonOption(const QString& help) {
    m_json = addFlag(QStringLiteral("json"), help);
}

void CommandLine::setEpilogue(const QString& text) {
    m_epilogue = text;
}

std::optional<int> CommandLine::parse(const QStringList& args) {
    const bool parsed = m_parser.parse(QStringList{QStringLiteral("hlsforge-cli")} + args);
    // --help wins over anything else on the line, as it always has.
    if (m_parser.isSet(m_help)) {
        printOut(helpText());
        return kExitOk;
    }
    if (!parsed)
        return usageError(optionError(args));
    for (const Entry& entry : std::as_const(m_entries)) {
        if (!entry.check.accepts)
            continue;
        for (const QString& value : m_parser.values(entry.option))
            if (!entry.check.accepts(value))
                return usageError(QStringLiteral("--%1 %2 (not \"%3\")")
                                      .arg(longestName(entry.option), entry.check.needs, value));
    }
    if (m_progress) {
        m_progressStyle = m_parser.isSet(*m_progress)
                              ? *parseProgressStyle(m_parser.value(*m_progress))
                              : defaultProgressStyle(m_progressOnATerminal, m_progressOtherwise);
    }
    return std::nullopt;
}

QString CommandLine::optionError(const QStringList& args) const {
    const QStringList unknown = m_parser.unknownOptionNames();
    if (!unknown.isEmpty()) {
        QStringList typed;
        for (const QString& name : unknown) {
            // As the user typed it: "-frob" is read as a long option too.
            const QString singleDash = QLatin1Char('-') + name;
            typed << (args.contains(singleDash) ? singleDash : QLatin1Char('-') + singleDash);
        }
        return (typed.size() == 1 ? QStringLiteral("unknown option ")
                                  : QStringLiteral("unknown options ")) +
               typed.join(QStringLiteral(", "));
    }
    // The other error QCommandLineParser finds is a value missing after the last option (or
    // given to a flag, "--overwrite=yes", which its own text says well enough).
    if (!args.isEmpty()) {
        const QString& last = args.constLast();
        for (const Entry& entry : m_entries) {
            if (!entry.heading.isEmpty() || entry.option.valueName().isEmpty())
                continue;
            for (const QString& name : entry.option.names())
                if (last == QLatin1String("--") + name || last == QLatin1Char('-') + name)
                    return QStringLiteral("--%1 needs a value (%2)")
                        .arg(longestName(entry.option), entry.option.valueName());
        }
    }
    return m_parser.errorText();
}

int CommandLine::intValue(const QCommandLineOption& option, int fallback) const {
    bool ok = false;
    const int value = m_parser.value(option).trimmed().toInt(&ok);
    return m_parser.isSet(option) && ok ? value : fallback;
}

double CommandLine::doubleValue(const QCommandLineOption& option, double fallback) const {
    bool ok = false;
    const double value = m_parser.value(option).trimmed().toDouble(&ok);
    return m_parser.isSet(option) && ok ? value : fallback;
}

QList<std::pair<QString, QString>>
CommandLine::valuesInOrder(const QList<QCommandLineOption>& options) const {
    // optionNames() lists every option as typed, repeats included, in order; values() lists
    // one option's values in order: the n-th mention of an option is its n-th value.
    QList<std::pair<QString, QString>> ordered;
    QHash<QString, int> seen;
    for (const QString& typed : m_parser.optionNames()) {
        for (const QCommandLineOption& option : options) {
            if (!option.names().contains(typed))
                continue;
            const QString name = longestName(option);
            const QStringList all = m_parser.values(option);
            const int index = seen[name]++;
            if (index < all.size())
                ordered.append({name, all.at(index)});
        }
    }
    return ordered;
}

QString CommandLine::usageText() const {
    QString text;
    for (int i = 0; i < m_usageForms.size(); ++i)
        text += (i == 0 ? QStringLiteral("Usage: ") : QStringLiteral("       ")) +
                QStringLiteral("hlsforge-cli %1 %2\n").arg(m_command, m_usageForms.at(i));
    return text + QStringLiteral("Run `hlsforge-cli %1 --help` for the options.\n").arg(m_command);
}

int CommandLine::usageError(const QString& message) const {
    printErr(QStringLiteral("hlsforge-cli %1: %2\n").arg(m_command, message) + usageText());
    return kExitUsage;
}

QString CommandLine::helpText() const {
    QString text;
    for (int i = 0; i < m_usageForms.size(); ++i)
        text += (i == 0 ? QStringLiteral("Usage: ") : QStringLiteral("       ")) +
                QStringLiteral("hlsforge-cli %1 %2\n").arg(m_command, m_usageForms.at(i));
    if (!m_about.isEmpty()) {
        // Paragraphs apart by a blank line; the line breaks within one are the wrapper's.
        for (const QString& paragraph : m_about.split(QStringLiteral("\n\n")))
            text += QLatin1Char('\n') +
                    wrapped(QString(paragraph).replace(QLatin1Char('\n'), QLatin1Char(' ')), 0, 0) +
                    QLatin1Char('\n');
    }
    auto optionLine = [](const QString& names, const QString& help) {
        QString line = QStringLiteral("  ") + names;
        if (line.size() + 2 > kHelpNameColumns)
            line += QStringLiteral("  ");
        else
            line = line.leftJustified(kHelpNameColumns);
        return line + wrapped(help, kHelpNameColumns, line.size()) + QLatin1Char('\n');
    };
    if (m_entries.isEmpty() || m_entries.first().heading.isEmpty())
        text += QStringLiteral("\nOptions:\n");
    for (const Entry& entry : m_entries) {
        if (!entry.heading.isEmpty()) {
            text += QLatin1Char('\n') + entry.heading + QLatin1Char('\n');
            continue;
        }
        QString names = QStringLiteral("--") + longestName(entry.option);
        if (!entry.option.valueName().isEmpty())
            names += QLatin1Char(' ') + entry.option.valueName();
        QString help = entry.help;
        if (!entry.defaultText.isEmpty())
            help += QStringLiteral(" (default: %1)").arg(entry.defaultText);
        text += optionLine(names, help);
    }
    text += optionLine(QStringLiteral("-h, --help"), QStringLiteral("this help"));
    if (!m_epilogue.isEmpty())
        text += QLatin1Char('\n') + m_epilogue;
    return text;
}

} // namespace hlsforge::cli
