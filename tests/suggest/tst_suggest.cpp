// core/suggest (hlsforge-cli suggest): the hull and the rungs on made-up trials, then the
// claims of issue 15 part 2 on generated sources, measured independently — both ladders are
// transcoded by hlsforge-cli and their bytes and PSNR read back with ffmpeg's psnr filter, not
// taken from the suggestion's own predictions.

#include "TestMedia.h"

#include "ladder/Ladder.h"
#include "suggest/HullChart.h"
#include "suggest/LadderSuggest.h"

#include <QDirIterator>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace hlsforge;
using namespace hlsforge::suggest;
using namespace hlsforge::test;

namespace {

// A slide deck: flat colours and big text that change every 3 s, a small clock that ticks
// (the only motion), like a talk recorded from the screen.
const QString kSlides = QStringLiteral(
    "color=c=0x20304a:s=1920x1080:r=30,"
    "drawbox=x=120:y=120:w=1680:h=160:color=0xe0e0e0:t=fill,"
    "drawbox=x=160:y=360:w=900:h=500:color=0x3060c0:t=fill:enable='gte(mod(t\\,6)\\,3)',"
    "drawtext=text='Slide %{eif\\:trunc(t/3)+1\\:d}':fontsize=120:fontcolor=white:x=160:y=400,"
    "drawtext=text='%{pts\\:hms}':fontsize=48:fontcolor=yellow:x=1400:y=950");
// High motion and strong temporal noise: what no fixed ladder budgets for.
// 480p: the claim is about the preset's top rung on this source (web: 480p at 1200 kb/s), and
// a small picture keeps the suite short. Noise that more bits can still buy back (alls=16):
// with alls=40 every rate gives ~27 dB and the right answer is fewer bits, not more.
const QString kNoise = QStringLiteral("testsrc2=s=854x480:r=30,noise=alls=16:allf=t+u");

TrialPoint point(int height, double kbps, double psnr) {
    TrialPoint p;
    p.height = height;
    p.width = height * 16 / 9;
    p.targetKbps = int(kbps);
    p.kbps = kbps;
    p.psnr = psnr;
    return p;
}

// PSNR of a rung against the source at the source's size (bicubic up), by ffmpeg.
double ffmpegPsnr(const QString& rungPlaylist, const QString& source, int width, int height,
                  QString* log) {
    const QString graph = QStringLiteral("[0:v]setpts=PTS-STARTPTS,scale=%1:%2:flags=bicubic,"
                                         "format=yuv420p[d];[1:v]setpts=PTS-STARTPTS[r];[d][r]psnr")
                              .arg(width)
                              .arg(height);
    const ProcessResult r = runProcess(
        QStringLiteral("ffmpeg"),
        {QStringLiteral("-hide_banner"), QStringLiteral("-nostats"), QStringLiteral("-i"),
         rungPlaylist, QStringLiteral("-i"), source, QStringLiteral("-lavfi"), graph,
         QStringLiteral("-f"), QStringLiteral("null"), QStringLiteral("-")});
    *log = QString::fromUtf8(r.err);
    const QRegularExpressionMatch m =
        QRegularExpression(QStringLiteral("PSNR y:\\S+ u:\\S+ v:\\S+ average:([0-9.]+|inf)"))
            .match(*log);
    if (!m.hasMatch())
        return NAN;
    return m.captured(1) == QLatin1String("inf") ? 100.0 : m.captured(1).toDouble();
}

// Bytes of every media segment under a ladder folder (what a viewer's player downloads).
qint64 segmentBytes(const QString& dir) {
    qint64 total = 0;
    QDirIterator it(dir, {QStringLiteral("*.ts"), QStringLiteral("*.m4s")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

struct Run {
    ProcessResult process;
    QJsonObject json; // --json: the whole suggestion
};

} // namespace

class TestSuggest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

    Run suggest(const QStringList& args) {
        Run run;
        run.process = runProcess(
            cliPath(), QStringList{QStringLiteral("suggest")} + args +
                           QStringList{QStringLiteral("--progress"), QStringLiteral("none")});
        run.json = QJsonDocument::fromJson(run.process.out).object();
        return run;
    }

    // Transcodes `source` with `ladder` (a preset name or a JSON file) into `out`.
    bool transcode(const QString& source, const QString& ladder, const QString& out) {
        const ProcessResult r =
            runProcess(cliPath(), {QStringLiteral("transcode"), source, QStringLiteral("--out"),
                                   out, QStringLiteral("--ladder"), ladder,
                                   QStringLiteral("--progress"), QStringLiteral("none")});
        if (!r.ok())
            qWarning().noquote() << "transcode with" << ladder << "failed:" << r.err;
        return r.ok();
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // The hull drops what a lower resolution beats, and the rungs sit on it.
    void hullAndRungs() {
        Suggestion s;
        s.source = QStringLiteral("made-up.mp4");
        s.sourceWidth = 1920;
        s.sourceHeight = 1080;
        s.points = {point(1080, 500, 36),   point(1080, 1000, 40),  point(1080, 2000, 43.5),
                    point(1080, 4000, 46),  point(720, 300, 35.5),  point(720, 600, 38.5),
                    point(720, 1200, 40.5), point(720, 2400, 41.5), point(360, 150, 33),
                    point(360, 300, 35),    point(360, 600, 36)};
        SuggestOptions options;
        QVERIFY(suggestRungs(options, &s).isOk());
        // 720p at 600 kb/s beats 1080p at 500 (38.5 dB vs 36): 1080p@500 is off the hull.
        for (const TrialPoint& p : s.points) {
            if (p.height == 1080 && p.kbps == 500)
                QVERIFY(!p.onHull);
            if (p.height == 1080 && p.kbps >= 2000)
                QVERIFY(p.onHull);
            if (p.height == 720 && p.kbps == 2400)
                QVERIFY(!p.onHull); // 1080p does better at that rate
        }
        QVERIFY(s.rungs.size() >= 3);
        // Top: where the hull crosses 45 dB (between 2000 and 4000), plus the headroom.
        QCOMPARE(s.rungs.first().height, 1080);
        QVERIFY(s.rungs.first().videoKbps > 2000 && s.rungs.first().videoKbps < 4000);
        for (int i = 1; i < s.rungs.size(); ++i) {
            const double ratio = double(s.rungs[i - 1].videoKbps) / s.rungs[i].videoKbps;
            QVERIFY2(ratio > 1.4 && ratio < 2.1, qPrintable(QString::number(ratio)));
            QVERIFY(s.rungs[i].height <= s.rungs[i - 1].height);
        }
        // A switch to a lower resolution on the way down, and the ladder loads.
        QVERIFY(s.rungs.last().height < 1080);
        QVERIFY(s.ladder.validate().isOk());
        QCOMPARE(s.ladder.renditions.size(), s.rungs.size());

        options.rungs = 3;
        QVERIFY(suggestRungs(options, &s).isOk());
        QCOMPARE(s.rungs.size(), 3);
        // The web preset's top rung (1080p 5000) is above the last trial: its best, 46 dB.
        QCOMPARE(s.comparison.preset, QStringLiteral("web"));
        QVERIFY(s.comparison.presetTopPsnr >= 45.9);
        QVERIFY(!s.comparison.presetTopBelowThreshold);
    }

    void samplesCalmAndBusy() {
        // 60 s: calm except a busy stretch at 40-45 s.
        std::vector<double> bytes(60, 1000.0);
        for (int i = 40; i < 45; ++i)
            bytes[size_t(i)] = 50000;
        const std::vector<SampleWindow> w = pickSampleWindows(bytes, 60, 4, 1.0);
        QCOMPARE(int(w.size()), 4);
        int busy = 0;
        for (size_t i = 0; i < w.size(); ++i) {
            busy += w[i].startSeconds >= 39.5 && w[i].startSeconds < 45;
            if (i > 0)
                QVERIFY(w[i].startSeconds - w[i - 1].startSeconds >= 1.0);
            QVERIFY(w[i].startSeconds + w[i].durationSeconds <= 60);
        }
        QVERIFY(busy >= 1); // the busy scene is in the sample
        QVERIFY(busy <= 2); // ... in proportion, not only it
        // A short file: windows spread over all of it.
        const std::vector<SampleWindow> s = pickSampleWindows({1, 1, 1, 1}, 4, 4, 1.0);
        QCOMPARE(int(s.size()), 4);
        QVERIFY(s.back().startSeconds + s.back().durationSeconds <= 4.001);
    }

    // The easy case: fewer bytes than `web` at equal (>= 45 dB) top-rung quality,
    // measured on the transcoded ladders with ffmpeg.
    void easySourceSavesBytes() {
        const QString source = path(QStringLiteral("slides.mp4"));
        QVERIFY(makeClip(source, 8, kSlides, QString()));
        const QString csv = path(QStringLiteral("slides.csv"));
        const QString png = path(QStringLiteral("slides.png"));
        const Run run = suggest({source, QStringLiteral("--json"), QStringLiteral("--csv"), csv,
                                 QStringLiteral("--png"), png});
        QVERIFY2(run.process.ok(), run.process.err.constData());
        qInfo().noquote() << run.process.err;
        const QJsonObject ladderJson = run.json[QStringLiteral("ladder")].toObject();
        const StatusOr<Ladder> ladder = Ladder::fromJson(ladderJson);
        QVERIFY2(ladder.isOk(), qPrintable(ladder.status().message()));
        QVERIFY(ladder->renditions.size() >= 2);
        for (const Rendition& r : ladder->renditions)
            QVERIFY(r.height <= 1080);
        // The CSV has every trial, some on the hull.
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csvFile.readAll()).trimmed().split('\n');
        QCOMPARE(lines.first(),
                 QStringLiteral("resolution,width,height,target_kbps,kbps,psnr,on_hull"));
        QCOMPARE(lines.size() - 1, run.json[QStringLiteral("hull")].toArray().size());
        QVERIFY(lines.filter(QRegularExpression(QStringLiteral(",1$"))).size() >= 2);
        // The chart: a PNG a viewer opens (read back by Qt's reader) with the hull, one
        // marker per suggested rung and the target line drawn in their colours.
        const QImage chart(png);
        QVERIFY2(!chart.isNull(), qPrintable(png));
        QCOMPARE(chart.size(), QSize(1200, 700));
        auto countColour = [&chart](QRgb colour) {
            int n = 0;
            for (int yy = 0; yy < chart.height(); ++yy)
                for (int xx = 0; xx < chart.width(); ++xx)
                    n += (chart.pixel(xx, yy) & 0xffffff) == (colour & 0xffffff);
            return n;
        };
        QVERIFY(countColour(suggest::HullChartColours::kHull) > 200);
        QVERIFY(countColour(suggest::HullChartColours::kTarget) > 200);
        // A filled diamond of radius 8 is ~100 pixels of the rung colour (a legend marker too).
        QVERIFY(countColour(suggest::HullChartColours::kRung) >
                60 * (ladder->renditions.size() + 1));

        // Both ladders, made by the engine.
        const QString ladderPath = path(QStringLiteral("slides-ladder.json"));
        {
            QFile f(ladderPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(ladderJson).toJson());
        }
        const QString suggestedOut = path(QStringLiteral("slides-suggested"));
        const QString webOut = path(QStringLiteral("slides-web"));
        QVERIFY(transcode(source, ladderPath, suggestedOut));
        QVERIFY(transcode(source, QStringLiteral("web"), webOut));

        const qint64 suggestedBytes = segmentBytes(suggestedOut);
        const qint64 webBytes = segmentBytes(webOut);
        QString log;
        const QString top = ladder->renditions.first().effectiveName();
        const double suggestedPsnr =
            ffmpegPsnr(suggestedOut + '/' + top + "/index.m3u8", source, 1920, 1080, &log);
        QVERIFY2(!std::isnan(suggestedPsnr), qPrintable(log));
        const double webPsnr =
            ffmpegPsnr(webOut + QStringLiteral("/1080p/index.m3u8"), source, 1920, 1080, &log);
        QVERIFY2(!std::isnan(webPsnr), qPrintable(log));
        const double saving = 100.0 * (1.0 - double(suggestedBytes) / double(webBytes));
        const QString figures =
            QStringLiteral("suggested %1 bytes, top %2 %3 dB; web %4 bytes, top %5 dB; saving "
                           "%6 %")
                .arg(suggestedBytes)
                .arg(top)
                .arg(suggestedPsnr, 0, 'f', 2)
                .arg(webBytes)
                .arg(webPsnr, 0, 'f', 2)
                .arg(saving, 0, 'f', 1);
        qInfo().noquote() << figures;
        QVERIFY2(suggestedPsnr >= 45.0, qPrintable(figures));
        QVERIFY2(saving >= 20.0, qPrintable(figures));
        // The report states a saving against web too.
        QVERIFY(run.process.err.contains("Expected saving"));
    }

    // The hard case: more bits at the top than `web`, and the report says why.
    void hardSourceSpendsMore() {
        const QString source = path(QStringLiteral("noise.mp4"));
        QVERIFY(
            makeClip(source, 3, kNoise, QString(), {QStringLiteral("-crf"), QStringLiteral("24")}));
        const Run run = suggest({source, QStringLiteral("--json")});
        QVERIFY2(run.process.ok(), run.process.err.constData());
        qInfo().noquote() << run.process.err;
        const QJsonArray rungs = run.json[QStringLiteral("rungs")].toArray();
        QVERIFY(!rungs.isEmpty());
        const int topKbps = rungs.first().toObject()[QStringLiteral("videoKbps")].toInt();
        const QJsonObject c = run.json[QStringLiteral("comparison")].toObject();
        // web's top rung on a 480p source: 480p at 1200 kb/s (its larger rungs are dropped).
        const QJsonObject webTop = c[QStringLiteral("rungs")].toArray().first().toObject();
        QCOMPARE(webTop[QStringLiteral("height")].toInt(), 480);
        QVERIFY2(topKbps > webTop[QStringLiteral("videoKbps")].toInt(),
                 qPrintable(QString::number(topKbps)));
        QVERIFY(c[QStringLiteral("presetTopBelowThreshold")].toBool());
        QVERIFY(c[QStringLiteral("presetTopPsnr")].toDouble() < 38);
        QVERIFY2(run.process.err.contains("web preset's top rung") &&
                     run.process.err.contains("below 38"),
                 run.process.err.constData());
    }

    // The options, on a small source: never above the source, caps and counts honoured, the
    // plain stdout is a ladder `transcode --ladder` takes.
    void optionsAndSmallSource() {
        const QString source = path(QStringLiteral("small.mp4"));
        QVERIFY(makeClip(source, 2, QStringLiteral("testsrc2=s=640x360:r=30"), QString()));
        Run run = suggest({source});
        QVERIFY2(run.process.ok(), run.process.err.constData());
        StatusOr<Ladder> ladder = Ladder::fromJson(run.json); // stdout: the ladder alone
        QVERIFY2(ladder.isOk(), qPrintable(ladder.status().message()));
        for (const Rendition& r : ladder->renditions)
            QVERIFY2(r.height <= 360, qPrintable(QString::number(r.height)));

        run = suggest({source, QStringLiteral("--max-height"), QStringLiteral("240"),
                       QStringLiteral("--rungs"), QStringLiteral("3")});
        QVERIFY2(run.process.ok(), run.process.err.constData());
        ladder = Ladder::fromJson(run.json);
        QVERIFY(ladder.isOk());
        QCOMPARE(ladder->renditions.size(), 3);
        for (const Rendition& r : ladder->renditions)
            QVERIFY(r.height <= 240);
    }

    void badInput() {
        const QString text = path(QStringLiteral("notes.mp4"));
        {
            QFile f(text);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("these are not video frames\n");
        }
        Run run = suggest({text});
        QCOMPARE(run.process.exitCode, 1);
        QVERIFY2(run.process.err.contains("notes.mp4"), run.process.err.constData());
        QVERIFY(run.process.out.isEmpty()); // nothing half-written to stdout

        run = suggest({path(QStringLiteral("missing.mp4"))});
        QCOMPARE(run.process.exitCode, 1);
        QVERIFY(run.process.err.contains("missing.mp4"));

        run = suggest({text, QStringLiteral("--compare-preset"), QStringLiteral("nope")});
        QCOMPARE(run.process.exitCode, 2);
        QVERIFY(run.process.err.contains("--compare-preset"));
        run = suggest({});
        QCOMPARE(run.process.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestSuggest)
#include "tst_suggest.moc"
