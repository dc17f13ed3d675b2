// hlsforge-cli's one command line (app/cli/CommandLine) for every command: --help lists every
// option with a description and the defaults; an unknown option, a missing value or a bad
// value is bad usage (exit 2, the option named, the usage, nothing done); the top level's
// help and unknown command; probe through the shared JobRunner (exit 0/1/130).

#include "TestMedia.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <unistd.h>

using namespace hlsforge::test;

class CliTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_clip;
    QString path(const QString& name) const { return m_dir.filePath(name); }
    static ProcessResult cli(const QStringList& args) { return runProcess(cliPath(), args, 60000); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_clip = path(QStringLiteral("clip.mp4"));
        QVERIFY(makeClip(m_clip, 1.0, QStringLiteral("testsrc2=size=320x180:rate=25")));
    }

    // Every option line of every command's help: "  --name [VALUE]  description", and the
    // defaults said where an option has one.
    void helpListsOptionsWithDefaults_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QStringList>("expected"); // lines of the help start with these
        QTest::newRow("transcode") << "transcode"
                                   << QStringList{
                                          "  --out DIR ",
                                          "  --ladder PRESET|FILE ",
                                          "  --segment-seconds N ",
                                          "  --segments FORMAT ",
                                          "  --codec CODEC ",
                                          "  --x264-preset NAME ",
                                          "  --x265-preset NAME ",
                                          "  --svt-av1-preset N ",
                                          "  --audio-kbps N ",
                                          "  --progressive ",
                                          "  --progressive-rung NAME ",
                                          "  --no-player ",
                                          "  --player-scripts MODE ",
                                          "  --jobs N ",
                                          "  --progress MODE ",
                                          "  --overwrite ",
                                          "  --json ",
                                          "  -h, --help ",
                                      };
        QTest::newRow("probe") << "probe" << QStringList{"  --progress MODE ", "  -h, --help "};
        QTest::newRow("presets") << "presets"
                                 << QStringList{"  --json ", "  --show NAME ", "  -h, --help "};
        QTest::newRow("serve") << "serve" << QStringList{"  --port N ",       "  --profile NAME ",
                                                         "  --kbps N ",       "  --trace FILE ",
                                                         "  --latency-ms N ", "  --list-profiles ",
                                                         "  -h, --help "};
        QTest::newRow("qoe") << "qoe"
                             << QStringList{
                                    "  --profile NAME ",     "  --kbps N ",  "  --trace FILE ",
                                    "  --duration S ",       "  --json ",    "  --engine E ",
                                    "  --buffer-seconds S ", "  -h, --help "};
        QTest::newRow("check") << "check"
                               << QStringList{"  --json ", "  --progress MODE ", "  -h, --help "};
        QTest::newRow("suggest") << "suggest"
                                 << QStringList{"  --max-height H ",        "  --rungs N ",
                                                "  --target-quality DB ",   "  --csv FILE ",
                                                "  --compare-preset NAME ", "  --json ",
                                                "  --progress MODE ",       "  -h, --help "};
        QTest::newRow("publish") << "publish"
                                 << QStringList{"  --to DEST ",
                                                "  --endpoint URL ",
                                                "  --region R ",
                                                "  --path-style ",
                                                "  --virtual-hosted ",
                                                "  --profile NAME ",
                                                "  --parallel N ",
                                                "  --public-read ",
                                                "  --part-size-mib N ",
                                                "  --attempts N ",
                                                "  --retry-base-ms N ",
                                                "  --public-base-url URL",
                                                "  --cache-segments VALUE ",
                                                "  --cache-playlists VALUE ",
                                                "  --progress MODE ",
                                                "  -h, --help "};
    }
    void helpListsOptionsWithDefaults() {
        QFETCH(QString, command);
        QFETCH(QStringList, expected);
        const ProcessResult help = cli({command, QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.err.isEmpty());
        const QString text = QString::fromUtf8(help.out);
        QVERIFY2(text.startsWith(QStringLiteral("Usage: hlsforge-cli ") + command),
                 qPrintable(text));
        const QStringList lines = text.split(QLatin1Char('\n'));
        for (const QString& start : expected) {
            const auto line = std::find_if(lines.begin(), lines.end(),
                                           [&](const QString& l) { return l.startsWith(start); });
            QVERIFY2(line != lines.end(), qPrintable(start + QStringLiteral(" in\n") + text));
            // A description on the same line, after the option's names.
            QVERIFY2(
                QRegularExpression(QStringLiteral("^  \\S.*\\S  +\\S")).match(*line).hasMatch(),
                qPrintable(*line));
        }
        // `help COMMAND` is the same text.
        const ProcessResult viaHelp = cli({QStringLiteral("help"), command});
        QCOMPARE(viaHelp.exitCode, 0);
        QCOMPARE(viaHelp.out, help.out);
    }

    void helpSaysTheDefaults_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("defaultText");
        QTest::newRow("transcode --ladder") << "transcode"
                                            << "--ladder"
                                            << "(default: web)";
        QTest::newRow("transcode --jobs") << "transcode"
                                          << "--jobs"
                                          << "(default: 1)";
        QTest::newRow("transcode --progress") << "transcode"
                                              << "--progress"
                                              << "(default: bar on a terminal, else none)";
        QTest::newRow("probe --progress") << "probe"
                                          << "--progress"
                                          << "(default: none)";
        QTest::newRow("publish --progress") << "publish"
                                            << "--progress"
                                            << "(default: bar on a terminal, else text)";
        QTest::newRow("publish --parallel") << "publish"
                                            << "--parallel"
                                            << "(default: 8)";
        QTest::newRow("publish --cache-playlists") << "publish"
                                                   << "--cache-playlists"
                                                   << "(default: \"max-age=60\")";
        QTest::newRow("serve --port") << "serve"
                                      << "--port"
                                      << "(default: any free port)";
    }
    void helpSaysTheDefaults() {
        QFETCH(QString, command);
        QFETCH(QString, option);
        QFETCH(QString, defaultText);
        const QString text = QString::fromUtf8(cli({command, QStringLiteral("--help")}).out);
        // The option's entry: its line and the wrapped lines under it.
        const qsizetype at = text.indexOf(QStringLiteral("\n  ") + option + QLatin1Char(' '));
        QVERIFY2(at >= 0, qPrintable(text));
        const qsizetype next = text.indexOf(QStringLiteral("\n  -"), at + 1);
        const QString entry = text.mid(at, next < 0 ? -1 : next - at).simplified();
        QVERIFY2(entry.contains(defaultText), qPrintable(entry));
    }

    void topLevel() {
        const ProcessResult help = cli({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        for (const char* command : {"transcode", "probe", "presets", "serve", "publish", "qoe"})
            QVERIFY2(help.out.contains(QByteArray("\n  ") + command + ' '), command);
        QVERIFY2(help.out.contains("130"), help.out.constData()); // the exit codes, once for all
        QCOMPARE(cli({QStringLiteral("help")}).out, help.out);
        const ProcessResult none = cli({});
        QCOMPARE(none.exitCode, 2);
        QVERIFY(none.err.contains("Usage: hlsforge-cli COMMAND"));
        QVERIFY(none.out.isEmpty());
    }

    // Bad usage, command by command: exit 2 before anything runs, stderr names the option (as
    // typed) and shows the usage, stdout stays empty, no output folder appears.
    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        const QString clip = QStringLiteral("CLIP");
        const QString out = QStringLiteral("OUT");
        QTest::newRow("transcode unknown option")
            << QStringList{"transcode", clip, "--out", out, "--frobnicate"} << "--frobnicate";
        QTest::newRow("transcode unknown single-dash option")
            << QStringList{"transcode", clip, "--out", out, "-q"} << "-q";
        QTest::newRow("transcode two unknown options")
            << QStringList{"transcode", clip, "--out", out, "--fast", "--good"} << "--fast, --good";
        QTest::newRow("transcode missing value")
            << QStringList{"transcode", clip, "--out"} << "--out";
        QTest::newRow("transcode missing value last")
            << QStringList{"transcode", clip, "--out", out, "--jobs"} << "--jobs";
        QTest::newRow("transcode bad number")
            << QStringList{"transcode", clip, "--out", out, "--jobs", "many"} << "--jobs";
        QTest::newRow("transcode number out of range")
            << QStringList{"transcode", clip, "--out", out, "--jobs", "65"} << "--jobs";
        QTest::newRow("transcode bad choice")
            << QStringList{"transcode", clip, "--out", out, "--segments", "mkv"} << "--segments";
        QTest::newRow("transcode bad progress")
            << QStringList{"transcode", clip, "--out", out, "--progress", "fancy"} << "--progress";
        QTest::newRow("transcode value to a flag")
            << QStringList{"transcode", clip, "--out", out, "--overwrite=yes"} << "--overwrite";
        QTest::newRow("transcode no input")
            << QStringList{"transcode", "--out", out} << "no input files";
        QTest::newRow("transcode no --out") << QStringList{"transcode", clip} << "--out";
        QTest::newRow("probe unknown option")
            << QStringList{"probe", clip, "--frobnicate"} << "--frobnicate";
        QTest::newRow("probe missing value")
            << QStringList{"probe", clip, "--progress"} << "--progress";
        QTest::newRow("probe no input") << QStringList{"probe"} << "no input files";
        QTest::newRow("presets unknown option")
            << QStringList{"presets", "--frobnicate"} << "--frobnicate";
        QTest::newRow("presets missing value") << QStringList{"presets", "--show"} << "--show";
        QTest::newRow("presets unknown preset")
            << QStringList{"presets", "--show", "nosuch"} << "--show takes ";
        QTest::newRow("publish unknown option")
            << QStringList{"publish", clip, "--to", out, "--frobnicate"} << "--frobnicate";
        QTest::newRow("publish missing value") << QStringList{"publish", clip, "--to"} << "--to";
        QTest::newRow("publish bad number")
            << QStringList{"publish", clip, "--to", out, "--parallel", "0"} << "--parallel";
        QTest::newRow("serve unknown option")
            << QStringList{"serve", clip, "--frobnicate"} << "--frobnicate";
        QTest::newRow("serve missing value") << QStringList{"serve", clip, "--port"} << "--port";
        QTest::newRow("qoe unknown option")
            << QStringList{"qoe", out, "--frobnicate"} << "--frobnicate";
        QTest::newRow("qoe missing value") << QStringList{"qoe", out, "--profile"} << "--profile";
        QTest::newRow("qoe bad engine") << QStringList{"qoe", out, "--engine", "vlc"} << "--engine";
        QTest::newRow("qoe bad duration")
            << QStringList{"qoe", out, "--duration", "0"} << "--duration";
        QTest::newRow("check unknown option")
            << QStringList{"check", out, "--frobnicate"} << "--frobnicate";
        QTest::newRow("check two ladders") << QStringList{"check", out, out} << "one ladder";
        QTest::newRow("top level unknown option") << QStringList{"--frobnicate"} << "--frobnicate";
        QTest::newRow("top level unknown command") << QStringList{"frobnicate"} << "frobnicate";
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        const QString out =
            path(QStringLiteral("usage-") + QString::fromLatin1(QTest::currentDataTag())
                                                .replace(QLatin1Char(' '), QLatin1Char('-')));
        args.replaceInStrings(QRegularExpression(QStringLiteral("^CLIP$")), m_clip);
        args.replaceInStrings(QRegularExpression(QStringLiteral("^OUT$")), out);
        const ProcessResult r = cli(args);
        QVERIFY2(r.exitCode == 2, r.err.constData());
        QVERIFY2(r.err.contains(named.toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains("Usage: hlsforge-cli"), r.err.constData());
        QVERIFY2(r.out.isEmpty(), r.out.constData());
        QVERIFY(!QFileInfo::exists(out));
    }

    // Exit 0 when every file was read (an audio-only file too: probe describes, it does not
    // judge), 1 when any was not, with the readable ones still printed in the order given.
    void probeExitStatus() {
        const QString audio = path(QStringLiteral("tone.m4a"));
        QVERIFY(ffmpeg({QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                        QStringLiteral("sine"), QStringLiteral("-t"), QStringLiteral("1"), audio}));
        const ProcessResult one = cli({QStringLiteral("probe"), audio});
        QVERIFY2(one.ok(), one.err.constData());
        const QJsonObject tone = QJsonDocument::fromJson(one.out).object();
        QVERIFY(tone.contains(QStringLiteral("audio")));
        QVERIFY(!tone.contains(QStringLiteral("video")));

        const QString missing = path(QStringLiteral("no such clip.mp4"));
        const ProcessResult some = cli({QStringLiteral("probe"), m_clip, missing, audio});
        QCOMPARE(some.exitCode, 1);
        QVERIFY2(some.err.startsWith("error: ") && some.err.contains("no such clip.mp4"),
                 some.err.constData());
        QCOMPARE(some.err.trimmed().count('\n'), 0);
        const QJsonArray read = QJsonDocument::fromJson(some.out).array();
        QCOMPARE(read.size(), 2);
        QCOMPARE(read.at(0).toObject().value(QStringLiteral("path")).toString(), m_clip);
        QCOMPARE(read.at(1).toObject().value(QStringLiteral("path")).toString(), audio);
    }

    // Ctrl-C during a long probe batch: exit 130 as for transcode, the files not reached are
    // not probed, the JSON lines end with the last job's result, and nothing says "error".
    void probeInterrupted() {
        const int copies = 1000;
        QStringList args{QStringLiteral("probe"), QStringLiteral("--progress"),
                         QStringLiteral("json")};
        for (int i = 0; i < copies; ++i)
            args << m_clip;
        QProcess probe;
        probe.start(cliPath(), args);
        QVERIFY(probe.waitForStarted());
        QByteArray err;
        QDeadlineTimer deadline(30000);
        while (!err.contains("\"event\":\"result\"") && !deadline.hasExpired() &&
               probe.state() == QProcess::Running) {
            probe.waitForReadyRead(100);
            err += probe.readAllStandardError();
        }
        QVERIFY2(probe.state() == QProcess::Running, err.constData());
        ::kill(pid_t(probe.processId()), SIGINT);
        QVERIFY(probe.waitForFinished(30000));
        err += probe.readAllStandardError();
        QCOMPARE(probe.exitStatus(), QProcess::NormalExit);
        QCOMPARE(probe.exitCode(), 130);
        QVERIFY2(!err.contains("error"), err.constData());
        int results = 0;
        QJsonObject last;
        for (const QByteArray& line : err.split('\n')) {
            if (line.isEmpty())
                continue;
            last = QJsonDocument::fromJson(line).object();
            QVERIFY2(!last.isEmpty(), line.constData());
            results += last.value(QStringLiteral("event")) == QLatin1String("result");
        }
        QCOMPARE(last.value(QStringLiteral("event")).toString(), QStringLiteral("result"));
        QVERIFY(results >= 1 && results < copies);
        // What was read before the interruption is printed; nothing else.
        const QJsonArray read = QJsonDocument::fromJson(probe.readAllStandardOutput()).array();
        QVERIFY(read.size() <= results);
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
