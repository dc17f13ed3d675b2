// `hlsforge-cli qoe` end to end: a 3-rung ladder made by hlsforge-cli transcode, played under
// "Step down" on both engines in one run and under "3G" on gst (real playback, offscreen, no
// sound card: gst = our playbin3 pipeline with hlsdemux2, qt = Qt Multimedia with the classic
// hlsdemux), and from a remote origin through the proxy.
// Checks what a creator would read: it switches down, reaches the end, stall time stays
// bounded, the JSON has the documented fields, and the timeline's measured throughput agrees
// with the server's own request log (within 10 %) and never exceeds the shaped link.
// Bounds are generous: the machine running the tests may be loaded.

#include "TestMedia.h"

#include "playlist/MasterPlaylist.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge;

namespace {

// Step down steps from 8000 to 800 kb/s 20 s after the play request: the clip must outlast it.
constexpr double kClipSeconds = 32;
// hlsdemux2 buffers 30 s ahead by default (as Video.js does), so on a 32 s clip it has every
// segment before the step and rightly never switches; 8 s ahead leaves segments to fetch
// after the step, which is what the test is about.
constexpr const char* kGstBufferSeconds = "8";

struct LogLine {
    QString path;
    qint64 bytes = 0;
    double durationMs = 0;
    QString profile;
    QString engine;
};

QVector<LogLine> segmentLog(const QString& path) {
    QVector<LogLine> lines;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    for (const QByteArray& raw : file.readAll().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(raw).object();
        if (o[QStringLiteral("kind")].toString() != QLatin1String("segment") ||
            o[QStringLiteral("status")].toInt() >= 400 ||
            o[QStringLiteral("rendition")].toInt() < 0)
            continue;
        lines.append(
            {o[QStringLiteral("path")].toString(), qint64(o[QStringLiteral("bytes")].toDouble()),
             o[QStringLiteral("durationMs")].toDouble(), o[QStringLiteral("profile")].toString(),
             o[QStringLiteral("engine")].toString()});
    }
    return lines;
}

struct CsvRow {
    double linkKbps = 0;
    QString rungName;
    double measuredKbps = 0;
    double recentKbps = 0;
    QString path;
};

QVector<CsvRow> timelineCsv(const QString& path) {
    QVector<CsvRow> rows;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return rows;
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    for (int i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> f = lines[i].split(',');
        if (f.size() < 11)
            continue;
        rows.append({f[1].toDouble(), QString::fromUtf8(f[3]), f[7].toDouble(), f[8].toDouble(),
                     QString::fromUtf8(f[10]).remove(QLatin1Char('"'))});
    }
    return rows;
}

} // namespace

class TestQoeCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void stepDownAnd3G();
    void shortRunReportsText();
    void badInput();
    void remoteLadder();

private:
    void checkReport(const QJsonObject& report, const QString& profile, const QString& engine,
                     const QString& context);
    void checkTimelines(const QString& log, const QString& tag, const QStringList& profiles);

    QTemporaryDir m_dir;
    QString m_ladder;
    QStringList m_rungNames; // master order, highest first
};

void TestQoeCli::initTestCase() {
    QVERIFY(m_dir.isValid());
    QString error;
    m_ladder = test::makePlaybackLadder(m_dir.path(), kClipSeconds, &error);
    QVERIFY2(!m_ladder.isEmpty(), qPrintable(error));
    const auto master = MasterPlaylist::load(m_ladder + QStringLiteral("/master.m3u8"));
    QVERIFY(master.isOk());
    for (const VariantStream& v : master->variants)
        m_rungNames << v.uri.section(QLatin1Char('/'), 0, 0);
    QCOMPARE(m_rungNames,
             (QStringList{QStringLiteral("360p"), QStringLiteral("240p"), QStringLiteral("144p")}));
}

void TestQoeCli::stepDownAnd3G() {
    // Step down on both engines in one run (every profile on each engine, in the order given),
    // 3G on gst alone in a second run: three whole-clip sessions (3G on qt adds a minute of CI
    // and nothing the Step down session on qt does not already check).
    struct Run {
        QStringList args;
        QString tag;
        QVector<QPair<QString, QString>> expected; // profile, engine, in report order
    };
    const QVector<Run> runs = {
        {{QStringLiteral("--profile"), QStringLiteral("Step down"), QStringLiteral("--engine"),
          QStringLiteral("gst"), QStringLiteral("--engine"), QStringLiteral("qt")},
         QStringLiteral("a"),
         {{QStringLiteral("Step down"), QStringLiteral("gst")},
          {QStringLiteral("Step down"), QStringLiteral("qt")}}},
        {{QStringLiteral("--profile"), QStringLiteral("3G"), QStringLiteral("--engine"),
          QStringLiteral("gst")},
         QStringLiteral("b"),
         {{QStringLiteral("3G"), QStringLiteral("gst")}}}};
    for (const Run& run : runs) {
        const QString csv = m_dir.filePath(QStringLiteral("timeline-%1.csv").arg(run.tag));
        const QString chart = m_dir.filePath(QStringLiteral("chart-%1.png").arg(run.tag));
        const QString log = m_dir.filePath(QStringLiteral("requests-%1.jsonl").arg(run.tag));
        const test::ProcessResult r = test::runProcess(
            test::cliPath(),
            QStringList{QStringLiteral("qoe"), m_ladder} + run.args +
                QStringList{QStringLiteral("--buffer-seconds"), QLatin1String(kGstBufferSeconds),
                            QStringLiteral("--json"), QStringLiteral("--timeline"), csv,
                            QStringLiteral("--chart"), chart, QStringLiteral("--log"), log},
            600000);
        QVERIFY2(r.ok(), r.err.constData());
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &parseError);
        QVERIFY2(doc.isArray(), qPrintable(parseError.errorString() + QLatin1Char('\n') + r.out));
        const QJsonArray reports = doc.array();
        QCOMPARE(reports.size(), run.expected.size());
        const QString context = QString::fromUtf8(r.out);
        for (int i = 0; i < reports.size(); ++i)
            checkReport(reports[i].toObject(), run.expected[i].first, run.expected[i].second,
                        context);
        if (QTest::currentTestFailed())
            return;
        QStringList names;
        for (const auto& [profile, engine] : run.expected)
            names << QStringLiteral("%1-%2").arg(
                profile.toLower().replace(QLatin1Char(' '), QLatin1Char('-')), engine);
        checkTimelines(log, run.tag, names);
        if (QTest::currentTestFailed())
            return;
    }
}

void TestQoeCli::checkReport(const QJsonObject& o, const QString& profile, const QString& engine,
                             const QString& context) {
    QCOMPARE(o[QStringLiteral("profile")].toString(), profile);
    QCOMPARE(o[QStringLiteral("engine")].toString(), engine);
    QVERIFY2(o[QStringLiteral("reachedEnd")].toBool(), qPrintable(context));
    const double startup = o[QStringLiteral("startupSeconds")].toDouble(-1);
    QVERIFY2(startup > 0 && startup < 30, qPrintable(context));
    // Bounded stalls: well under half the clip on links that carry at least one rung.
    QVERIFY2(o[QStringLiteral("stallSeconds")].toDouble() < kClipSeconds / 2, qPrintable(context));
    QVERIFY(o[QStringLiteral("stallCount")].toInt() >= 0);
    // Switched down: some switch goes to a rung lower in the master than where it came from.
    bool down = false;
    double firstDownT = -1;
    for (const QJsonValue& v : o[QStringLiteral("switches")].toArray()) {
        const QJsonObject s = v.toObject();
        const int from = m_rungNames.indexOf(s[QStringLiteral("from")].toString());
        const int to = m_rungNames.indexOf(s[QStringLiteral("to")].toString());
        QVERIFY2(from >= 0 && to >= 0, qPrintable(context)); // folder names as in the master
        QVERIFY(s[QStringLiteral("t")].toDouble() >= 0);
        if (to > from && !down) {
            down = true;
            firstDownT = s[QStringLiteral("t")].toDouble();
        }
    }
    QVERIFY2(down, qPrintable(profile + QLatin1Char(' ') + engine + QLatin1Char('\n') + context));
    // Step down keeps 8000 kb/s for 20 s (the trace's clock = seconds since the play request).
    if (profile == QLatin1String("Step down"))
        QVERIFY2(firstDownT >= 19.0, qPrintable(context));
    // Seconds per rung cover the clip (it reached the end), named as in the master.
    double seconds = 0;
    const QJsonObject perRung = o[QStringLiteral("secondsPerRung")].toObject();
    for (auto it = perRung.begin(); it != perRung.end(); ++it) {
        QVERIFY2(m_rungNames.contains(it.key()), qPrintable(it.key()));
        seconds += it.value().toDouble();
    }
    QVERIFY2(std::abs(seconds - kClipSeconds) < 2.5, qPrintable(context));
}

void TestQoeCli::checkTimelines(const QString& log, const QString& tag,
                                const QStringList& profiles) {
    // The timeline (one CSV per profile) against the server's own request log.
    const QVector<LogLine> served = segmentLog(log);
    QVERIFY(!served.isEmpty());
    for (const QString& profile : profiles) {
        // With one session the CLI writes the paths given; with several, one per session.
        const QString name = profiles.size() == 1 ? tag : tag + QLatin1Char('-') + profile;
        const QVector<CsvRow> rows =
            timelineCsv(m_dir.filePath(QStringLiteral("timeline-%1.csv").arg(name)));
        QVector<LogLine> logged;
        for (const LogLine& l : served)
            if ((l.profile + QLatin1Char(' ') + l.engine)
                    .toLower()
                    .replace(QLatin1Char(' '), QLatin1Char('-')) == profile)
                logged.append(l);
        QVERIFY2(rows.size() >= kClipSeconds / 2, qPrintable(profile));
        QCOMPARE(rows.size(), logged.size());
        for (int i = 0; i < rows.size(); ++i) {
            QCOMPARE(rows[i].path, logged[i].path);
            QVERIFY(logged[i].durationMs > 0);
            const double fromLog = logged[i].bytes * 8.0 / logged[i].durationMs;
            QVERIFY2(std::abs(rows[i].measuredKbps - fromLog) <= 0.1 * fromLog,
                     qPrintable(QStringLiteral("%1 row %2: %3 vs log %4")
                                    .arg(profile)
                                    .arg(i)
                                    .arg(rows[i].measuredKbps)
                                    .arg(fromLog)));
            // The readout: bytes over transfer time of the last 3 segments in the log.
            qint64 bytes = 0;
            double ms = 0;
            for (int k = std::max(0, i - 2); k <= i; ++k) {
                bytes += logged[k].bytes;
                ms += logged[k].durationMs;
            }
            const double recentFromLog = bytes * 8.0 / ms;
            QVERIFY2(std::abs(rows[i].recentKbps - recentFromLog) <= 0.1 * recentFromLog,
                     qPrintable(QStringLiteral("%1 row %2: readout %3 vs log %4")
                                    .arg(profile)
                                    .arg(i)
                                    .arg(rows[i].recentKbps)
                                    .arg(recentFromLog)));
            // On a shaped link the measured rate cannot beat the link (the readout said
            // 1929 Mb/s on a 1.6 Mb/s link). Rows after a rate change may straddle both rates.
            if (rows[i].linkKbps > 0 && i > 0 && rows[i - 1].linkKbps == rows[i].linkKbps)
                QVERIFY2(rows[i].measuredKbps <= rows[i].linkKbps * 1.1,
                         qPrintable(QStringLiteral("%1 row %2: %3 kb/s on a %4 kb/s link")
                                        .arg(profile)
                                        .arg(i)
                                        .arg(rows[i].measuredKbps)
                                        .arg(rows[i].linkKbps)));
        }
        const QImage png(m_dir.filePath(QStringLiteral("chart-%1.png").arg(name)));
        QCOMPARE(png.size(), QSize(1200, 480));
    }
}

void TestQoeCli::shortRunReportsText() {
    // --duration stops early: still a report (exit 0), and it says it did not reach the end.
    const test::ProcessResult r = test::runProcess(
        test::cliPath(),
        {QStringLiteral("qoe"), m_ladder + QStringLiteral("/master.m3u8"), QStringLiteral("--kbps"),
         QStringLiteral("900"), QStringLiteral("--duration"), QStringLiteral("5")},
        180000);
    QVERIFY2(r.ok(), r.err.constData());
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(out.startsWith(QStringLiteral("900 kb/s: start ")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("stopped at")), qPrintable(out));
}

void TestQoeCli::badInput() {
    const QString empty = m_dir.filePath(QStringLiteral("empty"));
    QVERIFY(QDir().mkpath(empty));
    test::ProcessResult r = test::runProcess(test::cliPath(), {QStringLiteral("qoe"), empty});
    QVERIFY(!r.ok());
    QVERIFY2(r.err.contains("master.m3u8") && r.err.contains(empty.toUtf8()), r.err.constData());
    r = test::runProcess(test::cliPath(), {QStringLiteral("qoe"), m_ladder,
                                           QStringLiteral("--profile"), QStringLiteral("Dial-up")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("Dial-up"), r.err.constData());
}

// `qoe URL`: the same ladder on a plain web server (Node's http module standing in for a CDN),
// proxied through our shaped server. It must play and switch down exactly as from the folder,
// fetch every file from the origin at most once, and refuse what it cannot proxy with the reason.
void TestQoeCli::remoteLadder() {
    QProcess origin;
    const int port = test::startOriginServer(&origin, m_dir.path());
    QVERIFY(port > 0);
    const QString ladderName = QFileInfo(m_ladder).fileName();
    const QString base = QStringLiteral("http://127.0.0.1:%1/%2/").arg(port).arg(ladderName);

    // 14 s on a 700 kb/s link (the top rung needs 1.6 Mb/s): it must play and switch down
    // through the proxy, as from the folder (the Step down timing is checked from the folder).
    const test::ProcessResult r = test::runProcess(
        test::cliPath(),
        {QStringLiteral("qoe"), base + QStringLiteral("master.m3u8"), QStringLiteral("--kbps"),
         QStringLiteral("700"), QStringLiteral("--duration"), QStringLiteral("14"),
         QStringLiteral("--buffer-seconds"), QLatin1String(kGstBufferSeconds),
         QStringLiteral("--json")},
        300000);
    QVERIFY2(r.ok(), r.err.constData());
    const QJsonArray reports = QJsonDocument::fromJson(r.out).array();
    QCOMPARE(reports.size(), 1);
    const QJsonObject o = reports[0].toObject();
    QVERIFY2(o[QStringLiteral("startupSeconds")].toDouble(-1) > 0, r.out.constData());
    bool down = false;
    for (const QJsonValue& v : o[QStringLiteral("switches")].toArray()) {
        const QJsonObject s = v.toObject();
        const int from = m_rungNames.indexOf(s[QStringLiteral("from")].toString());
        const int to = m_rungNames.indexOf(s[QStringLiteral("to")].toString());
        QVERIFY2(from >= 0 && to >= 0, r.out.constData()); // rung names from the remote master
        down |= to > from;
    }
    QVERIFY2(down, r.out.constData());

    // A master with absolute URIs on the same origin plays too (they are made relative); one
    // naming another host is refused up front with the reason. The origin reads files live.
    const auto writeFile = [](const QString& path, const QString& text) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(text.toUtf8()) == text.toUtf8().size();
    };
    QFile masterFile(m_ladder + QStringLiteral("/master.m3u8"));
    QVERIFY(masterFile.open(QIODevice::ReadOnly));
    QString absoluteMaster = QString::fromUtf8(masterFile.readAll());
    for (const QString& rung : std::as_const(m_rungNames))
        absoluteMaster.replace(QLatin1Char('\n') + rung + QLatin1Char('/'),
                               QLatin1Char('\n') + base + rung + QLatin1Char('/'));
    QVERIFY(absoluteMaster.contains(base));
    QVERIFY(writeFile(m_ladder + QStringLiteral("/absolute.m3u8"), absoluteMaster));
    QString otherHost = absoluteMaster;
    otherHost.replace(QStringLiteral("127.0.0.1"), QStringLiteral("localhost"));
    QVERIFY(writeFile(m_ladder + QStringLiteral("/other-host.m3u8"), otherHost));

    test::ProcessResult a = test::runProcess(
        test::cliPath(),
        {QStringLiteral("qoe"), base + QStringLiteral("absolute.m3u8"),
         QStringLiteral("--duration"), QStringLiteral("4"), QStringLiteral("--json")},
        120000);
    QVERIFY2(a.ok(), a.err.constData());
    const QJsonObject ao = QJsonDocument::fromJson(a.out).array().at(0).toObject();
    QVERIFY2(ao[QStringLiteral("startupSeconds")].toDouble(-1) > 0, a.out.constData());
    QVERIFY2(!ao[QStringLiteral("secondsPerRung")].toObject().isEmpty(), a.out.constData());

    a = test::runProcess(test::cliPath(),
                         {QStringLiteral("qoe"), base + QStringLiteral("other-host.m3u8")});
    QCOMPARE(a.exitCode, 2);
    QVERIFY2(a.err.contains("localhost") && a.err.contains("outside"), a.err.constData());
    a = test::runProcess(test::cliPath(),
                         {QStringLiteral("qoe"), base + QStringLiteral("nosuch.m3u8")});
    QCOMPARE(a.exitCode, 2);
    QVERIFY2(a.err.contains("nosuch.m3u8") && a.err.contains("not found"), a.err.constData());

    // Every file came from the origin once per run (the first run fetched each at most once).
    origin.kill();
    origin.waitForFinished();
    QHash<QString, int> fetches;
    for (const QByteArray& line : origin.readAll().split('\n')) {
        const QJsonObject f = QJsonDocument::fromJson(line).object();
        if (f.contains(QStringLiteral("path")))
            fetches[f[QStringLiteral("path")].toString()] += 1;
    }
    int segments = 0;
    for (auto it = fetches.cbegin(); it != fetches.cend(); ++it) {
        if (!it.key().endsWith(QLatin1String(".m3u8")))
            ++segments;
        // Two runs played (each with its own cache): a file fetched more than twice was fetched
        // again within a run.
        QVERIFY2(it.value() <= 2, qPrintable(it.key()));
    }
    QVERIFY2(segments >= 4, qPrintable(QString::number(segments)));
    // Unreachable origin: could not run, exit 1, the URL named.
    a = test::runProcess(test::cliPath(),
                         {QStringLiteral("qoe"), base + QStringLiteral("master.m3u8")});
    QCOMPARE(a.exitCode, 1);
    QVERIFY2(a.err.contains(base.toUtf8()), a.err.constData());
}

QTEST_GUILESS_MAIN(TestQoeCli)
#include "tst_qoecli.moc"
