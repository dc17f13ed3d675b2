// hlsforge-cli as a user runs it: exit codes, messages naming the file and the cause,
// batches where one file is bad, JSON output.

#include "LadderCheck.h"
#include "TestMedia.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/mount.h>
#include <unistd.h>

using namespace hlsforge::test;

class TranscodeCliTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_good;
    QString m_ladder;
    QString path(const QString& name) const { return m_dir.filePath(name); }
    ProcessResult cli(const QStringList& args) { return runProcess(cliPath(), args); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_good = path(QStringLiteral("good clip.mp4"));
        QVERIFY(makeClip(m_good, 2.5, QStringLiteral("testsrc2=size=320x180:rate=30")));
        m_ladder = path(QStringLiteral("ladder.json"));
        QFile f(m_ladder);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"segmentSeconds": 2, "x264Preset": "ultrafast", "audioKbps": 64,
                   "renditions": [{"height": 180, "videoKbps": 300}, {"height": 144, "videoKbps": 150}]})");
    }

    void versionAndHelp() {
        const ProcessResult v = cli({QStringLiteral("--version")});
        QVERIFY(v.ok());
        QVERIFY(v.out.startsWith("hlsforge-cli "));
        QVERIFY(v.out.contains("libavformat"));
        const ProcessResult h = cli({QStringLiteral("--help")});
        QVERIFY(h.ok());
        for (const char* command : {"transcode", "probe", "presets"})
            QVERIFY2(h.out.contains(command), command);
        QCOMPARE(cli({QStringLiteral("frobnicate")}).exitCode, 2);
        QCOMPARE(cli({QStringLiteral("transcode"), m_good}).exitCode, 2); // no --out
        QCOMPARE(
            cli({QStringLiteral("transcode"), m_good, QStringLiteral("--out"),
                 path(QStringLiteral("x")), QStringLiteral("--segments"), QStringLiteral("mkv")})
                .exitCode,
            2);
    }

    // Ctrl+C mid-encode, with the bar and with JSON lines through the shared runner
    // (app/cli/JobRunner; `jsonl` is an accepted spelling of `json`): exit 130, "cancelled" —
    // never "FAILED" or "error:" — and nothing left. In JSON every line parses and the job's
    // last line is its result with outcome "cancelled".
    void interruptIsCancelledNotFailed_data() {
        QTest::addColumn<QString>("progress");
        QTest::addColumn<QByteArray>("encoding"); // on stderr once it is encoding
        QTest::newRow("bar") << "bar" << QByteArray("%");
        QTest::newRow("json lines") << "jsonl" << QByteArray("\"phase\":\"encoding\"");
    }
    void interruptIsCancelledNotFailed() {
        QFETCH(QString, progress);
        QFETCH(QByteArray, encoding);
        const QString longClip = path(QStringLiteral("long.mp4"));
        if (!QFileInfo::exists(longClip))
            QVERIFY(makeClip(longClip, 30, QStringLiteral("testsrc2=size=640x360:rate=30")));
        const QString out = path(QStringLiteral("interrupted-") + progress);
        QProcess cliProcess;
        cliProcess.setProgram(cliPath());
        cliProcess.setArguments({QStringLiteral("transcode"), longClip, QStringLiteral("--out"),
                                 out, QStringLiteral("--progress"), progress});
        cliProcess.start();
        QVERIFY(cliProcess.waitForStarted());
        QByteArray err;
        QDeadlineTimer deadline(60000);
        while (!err.contains(encoding) && !deadline.hasExpired() &&
               cliProcess.state() == QProcess::Running) {
            cliProcess.waitForReadyRead(200);
            err += cliProcess.readAllStandardError();
        }
        QVERIFY2(cliProcess.state() == QProcess::Running, err.constData());
        ::kill(pid_t(cliProcess.processId()), SIGINT);
        QVERIFY(cliProcess.waitForFinished(30000));
        err += cliProcess.readAllStandardError();
        QCOMPARE(cliProcess.exitCode(), 130);
        QVERIFY2(err.contains("cancelled"), err.constData());
        QVERIFY2(!err.contains("FAILED"), err.constData());
        QVERIFY2(!err.contains("error:"), err.constData());
        QVERIFY(!QFileInfo::exists(out + QStringLiteral("/master.m3u8")));
        if (progress == QLatin1String("bar"))
            return;
        QJsonObject last;
        int progressLines = 0;
        for (const QByteArray& line : err.split('\n')) {
            if (!line.startsWith('{'))
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            QVERIFY2(!o.isEmpty(), line.constData());
            if (o.value(QStringLiteral("event")) == QLatin1String("progress")) {
                ++progressLines;
                QVERIFY(o.contains(QStringLiteral("fraction")));
                QVERIFY(o.contains(QStringLiteral("etaSeconds")));
                QCOMPARE(o.value(QStringLiteral("job")).toString(), QStringLiteral("long.mp4"));
            }
            last = o;
        }
        QVERIFY(progressLines > 0);
        QCOMPARE(last.value(QStringLiteral("event")).toString(), QStringLiteral("result"));
        QCOMPARE(last.value(QStringLiteral("outcome")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(last.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
    }

    // --progressive: DIR/<input name>.mp4 from the highest rung at or below 720p (180p here);
    // --progressive-rung NAME: from that rung, --progressive implied. ffprobe reads its height.
    // The old `--progressive RUNG` would read RUNG as an input: refused with the new spelling.
    void progressiveMp4FromTheNamedRung_data() {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<int>("heightPx");
        QTest::addColumn<QByteArray>("message"); // on stderr
        QTest::newRow("default rung")
            << QStringList{QStringLiteral("--progressive")} << 0 << 180 << QByteArray();
        QTest::newRow("named rung")
            << QStringList{QStringLiteral("--progressive-rung"), QStringLiteral("144p")} << 0 << 144
            << QByteArray();
        QTest::newRow("both flags")
            << QStringList{QStringLiteral("--progressive"), QStringLiteral("--progressive-rung"),
                           QStringLiteral("144p")}
            << 0 << 144 << QByteArray();
        // A ladder file naming its rung keeps it with --progressive alone.
        QTest::newRow("ladder file's rung")
            << QStringList{QStringLiteral("--ladder"), QStringLiteral("LADDER_144P"),
                           QStringLiteral("--progressive")}
            << 0 << 144 << QByteArray();
        QTest::newRow("no such rung")
            << QStringList{QStringLiteral("--progressive-rung"), QStringLiteral("999p")} << 2 << 0
            << QByteArray("no rendition is named \"999p\"");
        QTest::newRow("old spelling")
            << QStringList{QStringLiteral("--progressive"), QStringLiteral("144p")} << 2 << 0
            << QByteArray("--progressive-rung 144p");
    }
    void progressiveMp4FromTheNamedRung() {
        QFETCH(QStringList, flags);
        QFETCH(int, exitCode);
        QFETCH(int, heightPx);
        QFETCH(QByteArray, message);
        const QString out =
            path(QStringLiteral("progressive-") + QString::fromLatin1(QTest::currentDataTag()));
        const QString ladder144p = path(QStringLiteral("ladder-progressive-144p.json"));
        QFile f(ladder144p);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"segmentSeconds": 2, "x264Preset": "ultrafast", "audioKbps": 64,
                   "progressive": "144p",
                   "renditions": [{"height": 180, "videoKbps": 300}, {"height": 144, "videoKbps": 150}]})");
        f.close();
        flags.replaceInStrings(QStringLiteral("LADDER_144P"), ladder144p);
        const ProcessResult r =
            cli(QStringList{QStringLiteral("transcode"), m_good, QStringLiteral("--out"), out,
                            QStringLiteral("--ladder"), m_ladder, QStringLiteral("--no-player"),
                            QStringLiteral("--progress"), QStringLiteral("none")} +
                flags);
        QVERIFY2(r.exitCode == exitCode, r.err.constData());
        QVERIFY2(r.err.contains(message), r.err.constData());
        const QString mp4 = out + QStringLiteral("/good clip.mp4");
        if (exitCode != 0) {
            QVERIFY(!QFileInfo::exists(out));
            return;
        }
        const ProcessResult probe =
            runProcess(QStringLiteral("ffprobe"),
                       {QStringLiteral("-v"), QStringLiteral("error"),
                        QStringLiteral("-select_streams"), QStringLiteral("v:0"),
                        QStringLiteral("-show_entries"), QStringLiteral("stream=height"),
                        QStringLiteral("-of"), QStringLiteral("csv=p=0"), mp4});
        QVERIFY2(probe.ok(), probe.err.constData());
        QCOMPARE(probe.out.trimmed().toInt(), heightPx);
    }

    // One --progress spelling for every long command, the older ones as aliases.
    void progressSpellings_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("spelling");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("expected"); // in stderr
        QTest::addColumn<QByteArray>("absent");
        QTest::newRow("transcode text")
            << "transcode"
            << "text" << 0 << QByteArray("good clip.mp4: 100% done") << QByteArray("\"event\"");
        QTest::newRow("transcode lines = text")
            << "transcode"
            << "lines" << 0 << QByteArray("good clip.mp4: 100% done") << QByteArray("\"event\"");
        QTest::newRow("transcode json-lines = json")
            << "transcode"
            << "json-lines" << 0 << QByteArray("\"event\":\"result\"") << QByteArray("FAILED");
        QTest::newRow("transcode quiet = none") << "transcode"
                                                << "quiet" << 0 << QByteArray() << QByteArray("%");
        QTest::newRow("transcode bar")
            << "transcode"
            << "bar" << 0 << QByteArray("done      good clip.mp4") << QByteArray("FAILED");
        QTest::newRow("transcode unknown")
            << "transcode"
            << "fancy" << 2 << QByteArray("--progress") << QByteArray();
        QTest::newRow("publish bar")
            << "publish"
            << "bar" << 0 << QByteArray("done      ") << QByteArray("FAILED");
        QTest::newRow("publish text")
            << "publish"
            << "text" << 0 << QByteArray(": 100% done") << QByteArray("\"event\"");
        QTest::newRow("publish none")
            << "publish"
            << "none" << 0 << QByteArray("publish: done") << QByteArray("%");
        QTest::newRow("publish unknown")
            << "publish"
            << "fancy" << 2 << QByteArray("--progress") << QByteArray();
    }
    void progressSpellings() {
        QFETCH(QString, command);
        QFETCH(QString, spelling);
        QFETCH(int, exitCode);
        QFETCH(QByteArray, expected);
        QFETCH(QByteArray, absent);
        static int run = 0;
        const QString out = path(QStringLiteral("spelling-%1").arg(++run));
        ProcessResult r;
        if (command == QLatin1String("transcode")) {
            r = cli({QStringLiteral("transcode"), m_good, QStringLiteral("--out"), out,
                     QStringLiteral("--ladder"), m_ladder, QStringLiteral("--progress"), spelling});
        } else {
            const QString ladder = path(QStringLiteral("spelling-ladder"));
            if (!QFileInfo::exists(ladder + QStringLiteral("/master.m3u8")))
                QVERIFY(cli({QStringLiteral("transcode"), m_good, QStringLiteral("--out"), ladder,
                             QStringLiteral("--ladder"), m_ladder, QStringLiteral("--progress"),
                             QStringLiteral("none")})
                            .ok());
            r = cli({QStringLiteral("publish"), ladder, QStringLiteral("--to"), out,
                     QStringLiteral("--progress"), spelling});
        }
        QVERIFY2(r.exitCode == exitCode, r.err.constData());
        if (!expected.isEmpty())
            QVERIFY2(r.err.contains(expected), r.err.constData());
        if (!absent.isEmpty())
            QVERIFY2(!r.err.contains(absent), r.err.constData());
    }

    // Exit 1 through the runner for publish too, with the result as the last JSON line.
    void publishFailureIsExitOne() {
        const ProcessResult r =
            cli({QStringLiteral("publish"), path(QStringLiteral("no-such-ladder")),
                 QStringLiteral("--to"), path(QStringLiteral("published-nothing")),
                 QStringLiteral("--progress"), QStringLiteral("json")});
        QCOMPARE(r.exitCode, 1);
        const QJsonObject last =
            QJsonDocument::fromJson(r.err.trimmed().split('\n').last()).object();
        QCOMPARE(last.value(QStringLiteral("event")).toString(), QStringLiteral("result"));
        QCOMPARE(last.value(QStringLiteral("outcome")).toString(), QStringLiteral("failed"));
    }

    void presetsAreListed() {
        const ProcessResult r = cli({QStringLiteral("presets"), QStringLiteral("--json")});
        QVERIFY(r.ok());
        const QJsonArray presets = QJsonDocument::fromJson(r.out).array();
        QStringList names;
        for (const auto& p : presets)
            names << p.toObject().value(QStringLiteral("name")).toString();
        QVERIFY(names.contains(QStringLiteral("apple")));
        QVERIFY(names.contains(QStringLiteral("web")));
        QVERIFY(names.contains(QStringLiteral("mobile")));
    }

    void probePrintsJson() {
        const ProcessResult r = cli({QStringLiteral("probe"), m_good});
        QVERIFY2(r.ok(), r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const QJsonObject video = o.value(QStringLiteral("video")).toObject();
        QCOMPARE(video.value(QStringLiteral("codec")).toString(), QStringLiteral("h264"));
        QCOMPARE(video.value(QStringLiteral("displayWidth")).toInt(), 320);
        QCOMPARE(video.value(QStringLiteral("frameRate")).toDouble(), 30.0);
        QCOMPARE(video.value(QStringLiteral("bitDepth")).toInt(), 8);
        // A friendly container name, FFmpeg's demuxer name beside it.
        QCOMPARE(o.value(QStringLiteral("container")).toString(), QStringLiteral("MP4"));
        QCOMPARE(o.value(QStringLiteral("demuxer")).toString(),
                 QStringLiteral("mov,mp4,m4a,3gp,3g2,mj2"));
        QCOMPARE(video.value(QStringLiteral("hdrFormat")).toString(), QStringLiteral("SDR"));
        QCOMPARE(
            o.value(QStringLiteral("audio")).toObject().value(QStringLiteral("channels")).toInt(),
            1);
        QVERIFY(std::fabs(o.value(QStringLiteral("durationSeconds")).toDouble() - 2.5) < 0.1);
    }

    void badInputs_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("cause");
        QTest::newRow("missing") << "missing"
                                 << "file not found";
        // Not media at all vs a real MP4 cut short: two different causes, told apart.
        QTest::newRow("text named mp4") << "text"
                                        << "not a video file";
        QTest::newRow("truncated mp4") << "truncated"
                                       << "truncated: the file was cut short";
        QTest::newRow("audio only") << "audio"
                                    << "no video stream";
        QTest::newRow("folder") << "folder"
                                << "is a folder";
    }
    void badInputs() {
        QFETCH(QString, kind);
        QFETCH(QString, cause);
        QString input = path(QStringLiteral("bad-%1.mp4").arg(kind));
        if (kind == QLatin1String("text")) {
            QFile f(input);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("Dear diary, today I renamed a text file.\n");
        } else if (kind == QLatin1String("truncated")) {
            // A recording cut off before the index (moov) at the end was written.
            const QString whole = path(QStringLiteral("whole.mp4"));
            QVERIFY(makeClip(whole, 3, QStringLiteral("testsrc2=size=320x180:rate=30")));
            QFile in(whole);
            QVERIFY(in.open(QIODevice::ReadOnly));
            QFile out(input);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(in.read(in.size() * 2 / 3));
        } else if (kind == QLatin1String("audio")) {
            input = path(QStringLiteral("bad-audio.m4a"));
            QVERIFY(
                ffmpeg({QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                        QStringLiteral("sine"), QStringLiteral("-t"), QStringLiteral("1"), input}));
        } else if (kind == QLatin1String("folder")) {
            QDir().mkpath(input);
        }
        const QString out = path(QStringLiteral("out-bad-") + kind);
        const ProcessResult r = cli({QStringLiteral("transcode"), input, QStringLiteral("--out"),
                                     out, QStringLiteral("--ladder"), m_ladder,
                                     QStringLiteral("--progress"), QStringLiteral("none")});
        QCOMPARE(r.exitCode, 1);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(QFileInfo(input).fileName()) && err.contains(cause), qPrintable(err));
        // One line, no crash, nothing left behind.
        QCOMPARE(err.trimmed().count(QLatin1Char('\n')), 0);
        QVERIFY(!QFileInfo::exists(out));
    }

    void batchWithABadFileStillProducesTheGoodOnes() {
        const QString bad = path(QStringLiteral("broken.mp4"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(5000, '\x42'));
        f.close();
        const QString out = path(QStringLiteral("batch"));
        const ProcessResult r =
            cli({QStringLiteral("transcode"), m_good, bad, QStringLiteral("--out"), out,
                 QStringLiteral("--ladder"), m_ladder, QStringLiteral("--jobs"),
                 QStringLiteral("2"), QStringLiteral("--progress"), QStringLiteral("json")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("broken.mp4"), r.err.constData());
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/good clip/master.m3u8")));
        QVERIFY(!QFileInfo::exists(out + QStringLiteral("/broken")));
        // JSON progress lines: every line parses; each job's result comes right after its
        // final progress (however quick the job), and the good one's final progress is whole.
        int progressLines = 0, resultLines = 0;
        QJsonObject previous;
        for (const QByteArray& line : r.err.split('\n')) {
            if (!line.startsWith('{'))
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            QVERIFY2(!o.isEmpty(), line.constData());
            progressLines += o.value(QStringLiteral("event")) == QLatin1String("progress");
            if (o.value(QStringLiteral("event")) == QLatin1String("result")) {
                ++resultLines;
                QCOMPARE(previous.value(QStringLiteral("event")).toString(),
                         QStringLiteral("progress"));
                QCOMPARE(previous.value(QStringLiteral("job")), o.value(QStringLiteral("job")));
                if (o.value(QStringLiteral("outcome")) == QLatin1String("succeeded"))
                    QCOMPARE(previous.value(QStringLiteral("fraction")).toDouble(), 1.0);
            }
            previous = o;
        }
        QVERIFY(progressLines >= 2);
        QCOMPARE(resultLines, 2);
        // The good ladder plays in an independent reader.
        const ProcessResult play =
            runProcess(QStringLiteral("ffmpeg"),
                       {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-i"),
                        out + QStringLiteral("/good clip/master.m3u8"), QStringLiteral("-f"),
                        QStringLiteral("null"), QStringLiteral("-")});
        QVERIFY2(play.ok() && play.err.isEmpty(), play.err.constData());
    }

    void singleInputLandsInOutDirAndFlagsOverrideTheLadder() {
        const QString out = path(QStringLiteral("single"));
        const ProcessResult r =
            cli({QStringLiteral("transcode"), m_good, QStringLiteral("--out"), out,
                 QStringLiteral("--ladder"), m_ladder, QStringLiteral("--segments"),
                 QStringLiteral("fmp4"), QStringLiteral("--segment-seconds"), QStringLiteral("1"),
                 QStringLiteral("--json"), QStringLiteral("--progress"), QStringLiteral("none")});
        QVERIFY2(r.ok(), r.err.constData());
        const QJsonArray results = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("ok"));
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/master.m3u8")));
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/180p/init.mp4")));
        const CheckedMedia media = readMedia(out + QStringLiteral("/180p/index.m3u8"));
        QVERIFY(media.segments.size() >= 3); // 2.5 s in 1 s segments
    }

    // --codec puts every rung on one codec; a preset's TS becomes fMP4 (HEVC and AV1 travel
    // only in fMP4), and an explicit --segments ts is refused naming the field.
    void codecFlagSetsEveryRung() {
        const QString out = path(QStringLiteral("hevc"));
        const ProcessResult r = cli({QStringLiteral("transcode"), m_good, QStringLiteral("--out"),
                                     out, QStringLiteral("--ladder"), m_ladder,
                                     QStringLiteral("--codec"), QStringLiteral("hevc"),
                                     QStringLiteral("--x265-preset"), QStringLiteral("ultrafast"),
                                     QStringLiteral("--progress"), QStringLiteral("none")});
        QVERIFY2(r.ok(), r.err.constData());
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/180p-hevc/init.mp4")));
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/144p-hevc/init.mp4")));
        const QVector<CheckedVariant> variants = readMaster(out + QStringLiteral("/master.m3u8"));
        QCOMPARE(variants.size(), 2);
        for (const CheckedVariant& v : variants)
            QVERIFY2(v.attrs.value(QStringLiteral("CODECS")).startsWith(QLatin1String("hvc1.")),
                     qPrintable(v.attrs.value(QStringLiteral("CODECS"))));

        // AV1: stderr carries only our JSON lines (SVT-AV1's own banner would break readers).
        const ProcessResult av1 = cli({QStringLiteral("transcode"), m_good, QStringLiteral("--out"),
                                       path(QStringLiteral("av1")), QStringLiteral("--ladder"),
                                       m_ladder, QStringLiteral("--codec"), QStringLiteral("av1"),
                                       QStringLiteral("--svt-av1-preset"), QStringLiteral("12"),
                                       QStringLiteral("--progress"), QStringLiteral("json")});
        QVERIFY2(av1.ok(), av1.err.constData());
        QVERIFY(QFileInfo::exists(path(QStringLiteral("av1/180p-av1/init.mp4"))));
        for (const QByteArray& line : av1.err.split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            QJsonParseError error{};
            QVERIFY2(QJsonDocument::fromJson(line, &error).isObject(), line.constData());
        }

        const ProcessResult refused =
            cli({QStringLiteral("transcode"), m_good, QStringLiteral("--out"),
                 path(QStringLiteral("av1-ts")), QStringLiteral("--ladder"), m_ladder,
                 QStringLiteral("--codec"), QStringLiteral("av1"), QStringLiteral("--segments"),
                 QStringLiteral("ts"), QStringLiteral("--progress"), QStringLiteral("none")});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("renditions[0].codec: AV1 needs fMP4 segments"),
                 refused.err.constData());
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("av1-ts"))));

        const ProcessResult unknown =
            cli({QStringLiteral("transcode"), m_good, QStringLiteral("--out"),
                 path(QStringLiteral("vp9")), QStringLiteral("--codec"), QStringLiteral("vp9")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("--codec takes h264, hevc, av1"), unknown.err.constData());
    }

    // The app's rule, shared through core/util/OutputNaming: an earlier ladder is never
    // replaced silently. One input: DIR is refused with a hint, --overwrite replaces it.
    // Several inputs: a taken name becomes "NAME (2)", as in the app's queue.
    void earlierLaddersAreReplacedOnlyWithOverwrite() {
        const QString out = path(QStringLiteral("again"));
        const QStringList single{QStringLiteral("transcode"),  m_good,
                                 QStringLiteral("--out"),      out,
                                 QStringLiteral("--ladder"),   m_ladder,
                                 QStringLiteral("--progress"), QStringLiteral("none")};
        QVERIFY2(cli(single).ok(), "first run");
        QFile master(out + QStringLiteral("/master.m3u8"));
        QVERIFY(master.open(QIODevice::ReadOnly));
        const QByteArray firstMaster = master.readAll();
        master.close();
        QVERIFY(master.open(QIODevice::Append)); // mark it: a replace would lose the mark
        master.write("# earlier\n");
        master.close();

        const ProcessResult refused = cli(single);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("again") && refused.err.contains("--overwrite"),
                 refused.err.constData());
        QVERIFY(master.open(QIODevice::ReadOnly));
        QCOMPARE(master.readAll(), firstMaster + "# earlier\n");
        master.close();

        const ProcessResult replaced = cli(single + QStringList{QStringLiteral("--overwrite")});
        QVERIFY2(replaced.ok(), replaced.err.constData());
        QVERIFY(master.open(QIODevice::ReadOnly));
        QVERIFY(!master.readAll().contains("# earlier"));
        master.close();

        // Several inputs: the same file twice gives two folders, and a second batch keeps both.
        const QString batch = path(QStringLiteral("again-batch"));
        const QStringList twice{QStringLiteral("transcode"),
                                m_good,
                                m_good,
                                QStringLiteral("--out"),
                                batch,
                                QStringLiteral("--ladder"),
                                m_ladder,
                                QStringLiteral("--progress"),
                                QStringLiteral("none")};
        QVERIFY(cli(twice).ok());
        QVERIFY(QFileInfo::exists(batch + QStringLiteral("/good clip/master.m3u8")));
        QVERIFY(QFileInfo::exists(batch + QStringLiteral("/good clip (2)/master.m3u8")));
        QVERIFY(cli(twice).ok());
        QVERIFY(QFileInfo::exists(batch + QStringLiteral("/good clip (3)/master.m3u8")));
        QVERIFY(QFileInfo::exists(batch + QStringLiteral("/good clip (4)/master.m3u8")));
        // With --overwrite the batch lands on its first two names again.
        QVERIFY(cli(twice + QStringList{QStringLiteral("--overwrite")}).ok());
        QVERIFY(!QFileInfo::exists(batch + QStringLiteral("/good clip (5)")));
    }

    void unwritableOutputFolder() {
        const QString file = path(QStringLiteral("plain-file"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const QString out = file + QStringLiteral("/ladder");
        const ProcessResult r = cli({QStringLiteral("transcode"), m_good, QStringLiteral("--out"),
                                     out, QStringLiteral("--ladder"), m_ladder,
                                     QStringLiteral("--progress"), QStringLiteral("none")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("plain-file"), r.err.constData());
    }

    void outOfDiskSpace() {
        // A 1 MiB filesystem: too small for the ladder. Needs root to mount.
        const QString mountPoint = path(QStringLiteral("tiny"));
        QDir().mkpath(mountPoint);
        if (geteuid() != 0 ||
            mount("tmpfs", mountPoint.toUtf8().constData(), "tmpfs", 0, "size=1m") != 0)
            QSKIP("cannot mount a small tmpfs here (needs root); disk-full path not exercised");
        const QString clip = path(QStringLiteral("big.mp4"));
        QVERIFY(makeClip(clip, 30,
                         QStringLiteral("testsrc2=size=320x180:rate=30,noise=alls=40:allf=t")));
        const QStringList args = {
            QStringLiteral("transcode"),  clip,
            QStringLiteral("--out"),      mountPoint + QStringLiteral("/ladder"),
            QStringLiteral("--ladder"),   m_ladder,
            QStringLiteral("--progress"), QStringLiteral("none")};
        // First the up-front estimate refuses; then, with it off, the real write error.
        const ProcessResult early = cli(args);
        const QStringList leftEarly =
            QDir(mountPoint).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        qputenv("HLSFORGE_NO_SPACE_CHECK", "1");
        const ProcessResult late = cli(args);
        qunsetenv("HLSFORGE_NO_SPACE_CHECK");
        const QStringList leftLate =
            QDir(mountPoint).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        umount(mountPoint.toUtf8().constData());
        QCOMPARE(early.exitCode, 1);
        QVERIFY2(early.err.contains("not enough free disk space"), early.err.constData());
        QVERIFY2(leftEarly.isEmpty(), qPrintable(leftEarly.join(QLatin1Char(' '))));
        QCOMPARE(late.exitCode, 1);
        QVERIFY2(late.err.contains("disk full"), late.err.constData());
        QVERIFY2(late.err.contains((mountPoint + QStringLiteral("/ladder")).toUtf8()),
                 late.err.constData());
        QVERIFY2(!late.err.contains("staging"), late.err.constData());
        QVERIFY2(leftLate.isEmpty(), qPrintable(leftLate.join(QLatin1Char(' '))));
    }
};

QTEST_GUILESS_MAIN(TranscodeCliTest)
#include "tst_transcode_cli.moc"
