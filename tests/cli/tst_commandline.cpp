// CommandLine (app/cli), the parser every hlsforge-cli command uses, in process: both value
// spellings, the checks and their messages, unknown and valueless options, --help winning,
// the progress default and aliases, repeatable options in typed order, and the help layout.

#include "CommandLine.h"

#include <QTemporaryFile>
#include <QTest>

#include <cstdio>
#include <unistd.h>

using namespace hlsforge::cli;

namespace {

// What `run` writes to stdout or stderr (fd 1 or 2), read back from a file.
template <typename Run> QString captured(int fd, Run run) {
    QTemporaryFile file;
    if (!file.open())
        return QStringLiteral("<no temporary file>");
    std::fflush(nullptr);
    const int saved = ::dup(fd);
    ::dup2(file.handle(), fd);
    run();
    std::fflush(nullptr);
    ::dup2(saved, fd);
    ::close(saved);
    file.seek(0);
    return QString::fromUtf8(file.readAll());
}

} // namespace

class CommandLineTest : public QObject {
    Q_OBJECT
private slots:
    void bothValueSpellingsAndPositionalsAnywhere() {
        CommandLine cl(QStringLiteral("demo"), {QStringLiteral("FILE...")});
        const QCommandLineOption out =
            cl.addOption(QStringLiteral("out"), QStringLiteral("DIR"), QStringLiteral("where"));
        const QCommandLineOption jobs =
            cl.addOption(QStringLiteral("jobs"), QStringLiteral("N"), QStringLiteral("how many"),
                         QStringLiteral("1"), CommandLine::wholeNumber(1, 64));
        const QCommandLineOption flag =
            cl.addFlag(QStringLiteral("overwrite"), QStringLiteral("x"));
        QCOMPARE(cl.parse({QStringLiteral("a.mp4"), QStringLiteral("--out"), QStringLiteral("d"),
                           QStringLiteral("b.mp4"), QStringLiteral("--jobs=3"),
                           QStringLiteral("--"), QStringLiteral("--c.mp4")}),
                 std::nullopt);
        QCOMPARE(cl.value(out), QStringLiteral("d"));
        QCOMPARE(cl.intValue(jobs, 1), 3);
        QVERIFY(!cl.isSet(flag));
        QCOMPARE(cl.positional(), (QStringList{QStringLiteral("a.mp4"), QStringLiteral("b.mp4"),
                                               QStringLiteral("--c.mp4")}));
    }

    void fallbacksWhenUnset() {
        CommandLine cl(QStringLiteral("demo"), {QString()});
        const QCommandLineOption n = cl.addOption(QStringLiteral("n"), QStringLiteral("N"), {}, {},
                                                  CommandLine::wholeNumber(0));
        const QCommandLineOption x =
            cl.addOption(QStringLiteral("x"), QStringLiteral("X"), {}, {}, CommandLine::number(0));
        QCOMPARE(cl.parse({}), std::nullopt);
        QCOMPARE(cl.intValue(n, 7), 7);
        QCOMPARE(cl.doubleValue(x, 2.5), 2.5);
    }

    // Exit 2 and one line naming the option, then the usage, for every kind of bad usage.
    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown") << QStringList{"--frob"} << "unknown option --frob";
        QTest::newRow("unknown single dash") << QStringList{"-q"} << "unknown option -q";
        QTest::newRow("two unknown") << QStringList{"--a1", "--b2"} << "unknown options --a1, --b2";
        QTest::newRow("missing value") << QStringList{"--jobs"} << "--jobs needs a value (N)";
        QTest::newRow("value to a flag") << QStringList{"--overwrite=yes"} << "'--overwrite'";
        QTest::newRow("not a number") << QStringList{"--jobs", "many"}
                                      << "--jobs needs a whole number from 1 to 64 (not \"many\")";
        QTest::newRow("too big") << QStringList{"--jobs=65"} << "from 1 to 64 (not \"65\")";
        QTest::newRow("not a whole number") << QStringList{"--jobs", "1.5"} << "(not \"1.5\")";
        QTest::newRow("at least") << QStringList{"--port", "-1"}
                                  << "--port needs a whole number of at least 0";
        QTest::newRow("greater than")
            << QStringList{"--seconds", "0"}
            << "--seconds needs a number greater than 0 and at most 30 (not \"0\")";
        QTest::newRow("at most") << QStringList{"--seconds", "31"}
                                 << "greater than 0 and at most 30 (not \"31\")";
        QTest::newRow("not a choice")
            << QStringList{"--segments", "mkv"} << "--segments takes ts, fmp4 (not \"mkv\")";
        QTest::newRow("bad progress") << QStringList{"--progress", "fancy"}
                                      << "--progress takes bar, text, json, none (not \"fancy\")";
        QTest::newRow("every value checked")
            << QStringList{"--jobs", "2", "--jobs", "0"} << "(not \"0\")";
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        CommandLine cl(QStringLiteral("demo"), {QStringLiteral("FILE... [options]")});
        cl.addOption(QStringLiteral("jobs"), QStringLiteral("N"), {}, {},
                     CommandLine::wholeNumber(1, 64));
        cl.addOption(QStringLiteral("port"), QStringLiteral("N"), {}, {},
                     CommandLine::wholeNumber(0));
        cl.addOption(QStringLiteral("seconds"), QStringLiteral("S"), {}, {},
                     CommandLine::number(0, 30, true));
        cl.addOption(QStringLiteral("segments"), QStringLiteral("F"), {}, {},
                     CommandLine::oneOf({QStringLiteral("ts"), QStringLiteral("fmp4")}));
        cl.addFlag(QStringLiteral("overwrite"), {});
        cl.addProgressOption(ProgressStyle::Bar, ProgressStyle::None);
        std::optional<int> exitCode;
        QString err;
        const QString out =
            captured(1, [&] { err = captured(2, [&] { exitCode = cl.parse(args); }); });
        QVERIFY2(err.startsWith(QStringLiteral("hlsforge-cli demo: ")), qPrintable(err));
        QVERIFY2(err.contains(message), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("\nUsage: hlsforge-cli demo FILE... [options]\n")),
                 qPrintable(err));
        QCOMPARE(exitCode, std::optional<int>(kExitUsage));
        QVERIFY(out.isEmpty());
    }

    // --help wins over anything else on the line, prints on stdout and exits 0.
    void helpWins() {
        CommandLine cl(QStringLiteral("demo"), {QStringLiteral("FILE...")});
        cl.addOption(QStringLiteral("jobs"), QStringLiteral("N"), QStringLiteral("files at once"),
                     QStringLiteral("1"), CommandLine::wholeNumber(1, 64));
        std::optional<int> exitCode;
        QString err;
        const QString out = captured(1, [&] {
            err = captured(2, [&] {
                exitCode = cl.parse({QStringLiteral("--frob"), QStringLiteral("--jobs"),
                                     QStringLiteral("0"), QStringLiteral("-h")});
            });
        });
        QCOMPARE(exitCode, std::optional<int>(kExitOk));
        QVERIFY2(err.isEmpty(), qPrintable(err));
        QCOMPARE(out, cl.helpText());
    }

    void choicesMayAcceptMoreThanTheyShow() {
        CommandLine cl(QStringLiteral("demo"), {QString()});
        const QCommandLineOption codec =
            cl.addOption(QStringLiteral("codec"), QStringLiteral("C"), {}, {},
                         CommandLine::oneOf({QStringLiteral("h264")}, [](const QString& v) {
                             return v.compare(QStringLiteral("H264"), Qt::CaseInsensitive) == 0;
                         }));
        QCOMPARE(cl.parse({QStringLiteral("--codec"), QStringLiteral("H264")}), std::nullopt);
        QCOMPARE(cl.value(codec), QStringLiteral("H264"));
    }

    // The progress style: the default for a non-terminal (the test's stderr is not one), the
    // spellings and their older aliases.
    void progressStyle_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("style");
        QTest::newRow("unset") << QStringList{} << int(ProgressStyle::Text);
        QTest::newRow("bar") << QStringList{"--progress", "bar"} << int(ProgressStyle::Bar);
        QTest::newRow("lines = text")
            << QStringList{"--progress=lines"} << int(ProgressStyle::Text);
        QTest::newRow("jsonl = json")
            << QStringList{"--progress", "jsonl"} << int(ProgressStyle::Json);
        QTest::newRow("json-lines = json")
            << QStringList{"--progress", "json-lines"} << int(ProgressStyle::Json);
        QTest::newRow("quiet = none")
            << QStringList{"--progress", "quiet"} << int(ProgressStyle::None);
        QTest::newRow("last wins")
            << QStringList{"--progress", "none", "--progress", "bar"} << int(ProgressStyle::Bar);
    }
    void progressStyle() {
        QFETCH(QStringList, args);
        QFETCH(int, style);
        if (isatty(fileno(stderr)))
            QSKIP("stderr is a terminal: the default is the bar");
        CommandLine cl(QStringLiteral("demo"), {QString()});
        cl.addProgressOption(ProgressStyle::Bar, ProgressStyle::Text);
        QCOMPARE(cl.parse(args), std::nullopt);
        QCOMPARE(int(cl.progressStyle()), style);
    }

    // `--profile A --kbps 1 --profile B` is three things in that order.
    void repeatableOptionsInTypedOrder() {
        CommandLine cl(QStringLiteral("demo"), {QString()});
        const QCommandLineOption profile =
            cl.addOption(QStringLiteral("profile"), QStringLiteral("NAME"), {});
        const QCommandLineOption kbps = cl.addOption(QStringLiteral("kbps"), QStringLiteral("N"),
                                                     {}, {}, CommandLine::number(0));
        const QCommandLineOption json = cl.addFlag(QStringLiteral("other"), {});
        QCOMPARE(cl.parse({QStringLiteral("--profile"), QStringLiteral("3G"),
                           QStringLiteral("--other"), QStringLiteral("--kbps=500"),
                           QStringLiteral("--profile"), QStringLiteral("Wi-Fi")}),
                 std::nullopt);
        const QList<std::pair<QString, QString>> expected{
            {QStringLiteral("profile"), QStringLiteral("3G")},
            {QStringLiteral("kbps"), QStringLiteral("500")},
            {QStringLiteral("profile"), QStringLiteral("Wi-Fi")}};
        QCOMPARE(cl.valuesInOrder({profile, kbps}), expected);
        QCOMPARE(cl.values(profile), (QStringList{QStringLiteral("3G"), QStringLiteral("Wi-Fi")}));
        QVERIFY(cl.isSet(json));
    }

    // Usage lines, the about text wrapped, sections, one line per option with its default,
    // -h/--help last, then the epilogue; nothing wider than 100 columns.
    void helpLayout() {
        CommandLine cl(
            QStringLiteral("demo"), {QStringLiteral("FILE... --out DIR"), QStringLiteral("--list")},
            QStringLiteral("First paragraph, long enough to need wrapping: ") +
                QStringLiteral("word ").repeated(30) + QStringLiteral("\n\nSecond paragraph."));
        cl.addOption(QStringLiteral("out"), QStringLiteral("DIR"), QStringLiteral("output folder"));
        cl.addSection(QStringLiteral("More options:"));
        cl.addOption(QStringLiteral("multipart-threshold-mib"), QStringLiteral("N"),
                     QStringLiteral("multipart from this size"), QStringLiteral("8"));
        cl.addJsonOption(QStringLiteral("results as JSON"));
        cl.setEpilogue(QStringLiteral("Exit status: 0.\n"));
        const QString help = cl.helpText();
        QVERIFY2(help.startsWith(QStringLiteral("Usage: hlsforge-cli demo FILE... --out DIR\n"
                                                "       hlsforge-cli demo --list\n\nFirst")),
                 qPrintable(help));
        QVERIFY2(help.contains(QStringLiteral("\n\nSecond paragraph.\n\nOptions:\n"
                                              "  --out DIR                 output folder\n\n"
                                              "More options:\n"
                                              "  --multipart-threshold-mib N  multipart from this "
                                              "size (default: 8)\n"
                                              "  --json                    results as JSON\n"
                                              "  -h, --help                this help\n\n"
                                              "Exit status: 0.\n")),
                 qPrintable(help));
        for (const QString& line : help.split(QLatin1Char('\n')))
            QVERIFY2(line.size() <= 100, qPrintable(line));
        QCOMPARE(cl.usageText(),
                 QStringLiteral("Usage: hlsforge-cli demo FILE... --out DIR\n"
                                "       hlsforge-cli demo --list\n"
                                "Run `hlsforge-cli demo --help` for the options.\n"));
    }
};

QTEST_GUILESS_MAIN(CommandLineTest)
#include "tst_commandline.moc"
