// core/quality and the ladder's "measureQuality" (hlsforge-cli transcode --quality).
//
// The meter on pictures whose figures are known by arithmetic; then a real ladder measured by
// the engine, compared with FFmpeg's own psnr and ssim filters run by the ffmpeg program on
// the same files (each rung's HLS output against the source scaled to the rung's size with
// swscale's bicubic): within 0.1 dB (PSNR average) and 0.002 (SSIM All), one figure per
// segment of the rung's playlist (read with the independent reader in LadderCheck.h), nothing
// written and no "quality" in the JSON when it is off, and no check finding about quality.json.

#include "LadderCheck.h"
#include "TestMedia.h"

#include "ladder/Ladder.h"
#include "quality/QualityMeter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace hlsforge;
using namespace hlsforge::test;

namespace {

// A yuv420p frame with every sample of each plane set to one value.
av::FramePtr flatFrame(int width, int height, int y, int u, int v, int64_t pts) {
    av::FramePtr f = av::makeFrame();
    f->width = width;
    f->height = height;
    f->format = AV_PIX_FMT_YUV420P;
    f->pts = pts;
    if (av_frame_get_buffer(f.get(), 0) < 0)
        return {};
    const int values[3] = {y, u, v};
    for (int c = 0; c < 3; ++c) {
        const int h = c == 0 ? height : (height + 1) / 2;
        for (int row = 0; row < h; ++row)
            memset(f->data[c] + row * f->linesize[c], values[c], f->linesize[c]);
    }
    return f;
}

// FFmpeg's own figures for one rung, printed by its psnr and ssim filters at the end.
struct FfmpegFigures {
    double psnrAverage = NAN, psnrY = NAN;
    double ssimAll = NAN;
    QString log;
};

FfmpegFigures ffmpegFigures(const QString& source, const QString& rung, int width, int height) {
    // main = the rung (distorted) first, reference second, as the filters expect. Both start
    // at 0 (setpts): a TS rung's timestamps start where the muxer put them.
    const QString graph =
        QStringLiteral("[0:v]setpts=PTS-STARTPTS[d];"
                       "[1:v]setpts=PTS-STARTPTS,scale=%1:%2:flags=bicubic,format=yuv420p,"
                       "split[r0][r1];[d][r0]psnr[p];[p][r1]ssim")
            .arg(width)
            .arg(height);
    const ProcessResult r = runProcess(QStringLiteral("ffmpeg"),
                                       {QStringLiteral("-hide_banner"), QStringLiteral("-nostats"),
                                        QStringLiteral("-i"), rung, QStringLiteral("-i"), source,
                                        QStringLiteral("-lavfi"), graph, QStringLiteral("-f"),
                                        QStringLiteral("null"), QStringLiteral("-")});
    FfmpegFigures f;
    f.log = QString::fromUtf8(r.err);
    const QRegularExpressionMatch psnr =
        QRegularExpression(QStringLiteral("PSNR y:([0-9.inf]+) .* average:([0-9.inf]+)"))
            .match(f.log);
    if (psnr.hasMatch()) {
        f.psnrY = psnr.captured(1).toDouble();
        f.psnrAverage = psnr.captured(2).toDouble();
    }
    const QRegularExpressionMatch ssim =
        QRegularExpression(QStringLiteral("SSIM .*All:([0-9.]+)")).match(f.log);
    if (ssim.hasMatch())
        f.ssimAll = ssim.captured(1).toDouble();
    return f;
}

int ffprobeFrameCount(const QString& path) {
    const QJsonObject o = ffprobeJson(
        {QStringLiteral("-select_streams"), QStringLiteral("v:0"), QStringLiteral("-count_frames"),
         QStringLiteral("-show_entries"), QStringLiteral("stream=nb_read_frames")},
        path);
    return o[QStringLiteral("streams")]
        .toArray()
        .at(0)[QStringLiteral("nb_read_frames")]
        .toString()
        .toInt();
}

} // namespace

class QualityTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_source;
    QString m_ladder;
    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // Constant frame rate, progressive, 8-bit 4:2:0 tagged BT.709 limited range: the
        // engine's normalisation is the identity, so its reference is FFmpeg's scaled source.
        // Noise gives the encoder real detail, so the figures are far from perfect.
        m_source = path(QStringLiteral("source.mp4"));
        QVERIFY(makeClip(
            m_source, 3, QStringLiteral("testsrc2=size=640x360:rate=30,noise=alls=8:allf=t"),
            QStringLiteral("sine=frequency=440:sample_rate=48000"),
            {QStringLiteral("-crf"), QStringLiteral("12"), QStringLiteral("-color_primaries"),
             QStringLiteral("bt709"), QStringLiteral("-color_trc"), QStringLiteral("bt709"),
             QStringLiteral("-colorspace"), QStringLiteral("bt709"), QStringLiteral("-color_range"),
             QStringLiteral("tv")}));
        m_ladder = path(QStringLiteral("ladder.json"));
        QFile f(m_ladder);
        QVERIFY(f.open(QIODevice::WriteOnly));
        // 1 s segments: three per rung; a rung at the source's size and two scaled down.
        f.write(R"({"segmentSeconds": 1, "x264Preset": "ultrafast", "audioKbps": 64,
                   "renditions": [{"height": 360, "videoKbps": 900},
                                  {"height": 240, "videoKbps": 300},
                                  {"height": 144, "videoKbps": 100}]})");
    }

    // Known answers by arithmetic: Y differs by 2 everywhere, U and V are equal. MSE y = 4, so
    // PSNR y = 10·log10(255²/4); the average weighs the planes by their sizes (4:1:1 for
    // 4:2:0), MSE 4·4/6. Identical pictures: infinite PSNR, SSIM 1.
    void meterKnownFigures() {
        quality::QualityMeter meter;
        const AVRational tb{1, 30};
        for (int i = 0; i < 10; ++i) {
            av::FramePtr ref = flatFrame(64, 48, 100, 128, 128, i);
            av::FramePtr dist = flatFrame(64, 48, i < 5 ? 102 : 100, 128, 128, i);
            QVERIFY(ref && dist);
            QVERIFY2(meter.add(ref.get(), dist.get(), tb).isOk(), "add");
        }
        QVERIFY(meter.finish().isOk());
        QCOMPARE(int(meter.frames().size()), 10);
        QCOMPARE(meter.frames()[3].seconds, 3.0 / 30);
        // First five frames: MSE y 4.
        const quality::QualitySummary first =
            quality::summarize(meter.frames().data(), meter.frames().data() + 5);
        QCOMPARE(first.frames, 5);
        QVERIFY(std::abs(first.psnrY - 10 * std::log10(65025.0 / 4)) < 1e-4);
        QVERIFY(std::abs(first.psnrAverage - 10 * std::log10(65025.0 / (4.0 * 4 / 6))) < 1e-4);
        QVERIFY(std::isinf(first.psnrU));
        QCOMPARE(first.ssimU, 1.0);
        QVERIFY(first.ssimY < 1.0);
        // Over all ten: the mean MSE halves (3 dB more), as FFmpeg sums it, not the mean of
        // per-frame PSNRs (which would be infinite here).
        const quality::QualitySummary all = meter.summary();
        QVERIFY(std::abs(all.psnrY - 10 * std::log10(65025.0 / 2)) < 1e-4);
        const quality::QualitySummary last =
            quality::summarize(meter.frames().data() + 5, meter.frames().data() + 10);
        QVERIFY(std::isinf(last.psnrAverage));
        QCOMPARE(last.ssimAll, 1.0);
        QVERIFY(std::abs(all.ssimAll - (first.ssimAll + 1.0) / 2) < 1e-6);
        // JSON has no infinity: null, read back as infinity.
        QVERIFY(last.psnrJson()[QStringLiteral("average")].isNull());

        // Runs by start time: frames 0-3 | 4-6 | 7-9 (half a frame of tolerance).
        const std::vector<quality::QualitySummary> runs = quality::summarizeRuns(
            meter.frames(), {0.0, 4.0 / 30 + 0.001, 7.0 / 30 - 0.001}, 0.5 / 30);
        QCOMPARE(int(runs.size()), 3);
        QCOMPARE(runs[0].frames, 4);
        QCOMPARE(runs[1].frames, 3);
        QCOMPARE(runs[2].frames, 3);
    }

    void meterRefusesMismatchedFrames() {
        quality::QualityMeter meter;
        av::FramePtr a = flatFrame(64, 48, 1, 2, 3, 0);
        av::FramePtr b = flatFrame(32, 48, 1, 2, 3, 0);
        const Status s = meter.add(a.get(), b.get(), AVRational{1, 25});
        QVERIFY(!s.isOk());
        QVERIFY2(s.message().contains(QStringLiteral("64x48")), qPrintable(s.message()));
    }

    void ladderField() {
        Ladder l;
        QVERIFY(!l.toJson().contains(QStringLiteral("measureQuality"))); // off: not written
        l.renditions = {Rendition{QString(), 360, 800}};
        l.measureQuality = true;
        StatusOr<Ladder> back = Ladder::fromJson(l.toJson());
        QVERIFY(back.isOk());
        QVERIFY(back->measureQuality);
        QJsonObject bad = l.toJson();
        bad[QStringLiteral("measureQuality")] = QStringLiteral("yes");
        StatusOr<Ladder> refused = Ladder::fromJson(bad);
        QVERIFY(!refused.isOk());
        QVERIFY2(refused.status().message().contains(QStringLiteral("measureQuality")),
                 qPrintable(refused.status().message()));
    }

    // The whole path: hlsforge-cli transcode --quality --json, then FFmpeg's filters on the
    // same files. TS with H.264 rungs; fMP4 with an HEVC and an AV1 rung (their decoders, and
    // keyframes by frame count).
    void ladderAgreesWithFfmpeg_data() {
        QTest::addColumn<QString>("ladder");
        QTest::addColumn<int>("rungCount");
        QTest::newRow("ts h264") << QString() << 3;
        QTest::newRow("fmp4 hevc av1")
            << QStringLiteral(
                   R"({"segmentSeconds": 1, "segmentFormat": "fmp4", "x265Preset": "ultrafast",
                       "svtAv1Preset": 12, "audioKbps": 64,
                       "renditions": [{"height": 240, "videoKbps": 300, "codec": "hevc"},
                                      {"height": 144, "videoKbps": 150, "codec": "av1"}]})")
            << 2;
    }
    void ladderAgreesWithFfmpeg() {
        QFETCH(QString, ladder);
        QFETCH(int, rungCount);
        QString ladderPath = m_ladder;
        if (!ladder.isEmpty()) {
            ladderPath = path(QStringLiteral("ladder-%1.json").arg(QTest::currentDataTag()));
            QFile f(ladderPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(ladder.toUtf8());
        }
        const QString out =
            path(QStringLiteral("measured-%1").arg(QTest::currentDataTag()).replace(' ', '-'));
        const ProcessResult r =
            runProcess(cliPath(), {QStringLiteral("transcode"), m_source, QStringLiteral("--out"),
                                   out, QStringLiteral("--ladder"), ladderPath,
                                   QStringLiteral("--quality"), QStringLiteral("--json")});
        QVERIFY2(r.ok(), r.err.constData());
        const QJsonObject result = QJsonDocument::fromJson(r.out).array().at(0).toObject();
        QVERIFY2(result[QStringLiteral("conversions")].toArray().isEmpty() ||
                     !QJsonDocument(result[QStringLiteral("conversions")].toArray())
                          .toJson()
                          .contains("BT.601"),
                 "the source must need no colour conversion");
        QCOMPARE(result[QStringLiteral("qualityReport")].toString(),
                 QStringLiteral("quality.json"));

        // quality.json beside the master, the same as the JSON result's "quality".
        QFile file(out + QStringLiteral("/quality.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(report, result[QStringLiteral("quality")].toObject());
        const QJsonArray rungs = report[QStringLiteral("renditions")].toArray();
        QCOMPARE(rungs.size(), rungCount);

        for (const QJsonValue& v : rungs) {
            const QJsonObject rung = v.toObject();
            const QString name = rung[QStringLiteral("name")].toString();
            const int width = rung[QStringLiteral("width")].toInt();
            const int height = rung[QStringLiteral("height")].toInt();
            const QString playlist = out + QLatin1Char('/') + name + QStringLiteral("/index.m3u8");
            const double psnr =
                rung[QStringLiteral("psnr")].toObject()[QStringLiteral("average")].toDouble();
            const double psnrY =
                rung[QStringLiteral("psnr")].toObject()[QStringLiteral("y")].toDouble();
            const double ssim =
                rung[QStringLiteral("ssim")].toObject()[QStringLiteral("all")].toDouble();

            const FfmpegFigures ff = ffmpegFigures(m_source, playlist, width, height);
            QVERIFY2(!std::isnan(ff.psnrAverage) && !std::isnan(ff.ssimAll),
                     qPrintable(ff.log.right(2000)));
            const QString figures = QStringLiteral("%1: ours PSNR %2 (y %3) SSIM %4; ffmpeg PSNR "
                                                   "%5 (y %6) SSIM %7")
                                        .arg(name)
                                        .arg(psnr, 0, 'f', 3)
                                        .arg(psnrY, 0, 'f', 3)
                                        .arg(ssim, 0, 'f', 5)
                                        .arg(ff.psnrAverage, 0, 'f', 3)
                                        .arg(ff.psnrY, 0, 'f', 3)
                                        .arg(ff.ssimAll, 0, 'f', 5);
            qInfo("%s", qPrintable(figures));
            // A lossy encode: far from identical, far from garbage.
            QVERIFY2(psnr > 20 && psnr < 60, qPrintable(figures));
            QVERIFY2(std::abs(psnr - ff.psnrAverage) <= 0.1, qPrintable(figures));
            QVERIFY2(std::abs(psnrY - ff.psnrY) <= 0.1, qPrintable(figures));
            QVERIFY2(std::abs(ssim - ff.ssimAll) <= 0.002, qPrintable(figures));

            // One figure per segment of the rung's playlist, every frame in exactly one.
            const CheckedMedia media = readMedia(playlist);
            const QJsonArray segments = rung[QStringLiteral("segments")].toArray();
            QCOMPARE(segments.size(), media.segments.size());
            QVERIFY(segments.size() >= 3);
            int frames = 0;
            for (int i = 0; i < segments.size(); ++i) {
                const QJsonObject s = segments[i].toObject();
                QVERIFY(s[QStringLiteral("frames")].toInt() > 0);
                QVERIFY(std::abs(s[QStringLiteral("duration")].toDouble() -
                                 media.segments[i].extinf) < 0.001);
                QVERIFY(s[QStringLiteral("psnr")].toDouble() > 20);
                QVERIFY(s[QStringLiteral("ssim")].toDouble() > 0.5 &&
                        s[QStringLiteral("ssim")].toDouble() <= 1.0);
                frames += s[QStringLiteral("frames")].toInt();
            }
            QCOMPARE(frames, rung[QStringLiteral("frames")].toInt());
            QCOMPARE(frames, ffprobeFrameCount(playlist)); // every frame of the rung measured
        }
        // The automatic check reads playlists and segments; quality.json is none of its business.
        const QJsonArray findings =
            result[QStringLiteral("check")][QStringLiteral("findings")].toArray();
        for (const QJsonValue& f : findings)
            QVERIFY2(!f.toObject()[QStringLiteral("where")].toString().contains(
                         QStringLiteral("quality")),
                     qPrintable(f.toObject()[QStringLiteral("message")].toString()));
    }

    // The human summary: one line per rung with its PSNR and SSIM.
    void cliSummary() {
        const QString out = path(QStringLiteral("summary"));
        const ProcessResult r =
            runProcess(cliPath(), {QStringLiteral("transcode"), m_source, QStringLiteral("--out"),
                                   out, QStringLiteral("--ladder"), m_ladder,
                                   QStringLiteral("--quality"), QStringLiteral("--no-check")});
        QVERIFY2(r.ok(), r.err.constData());
        const QString text = QString::fromUtf8(r.out);
        for (const char* rung : {"360p", "240p", "144p"})
            QVERIFY2(QRegularExpression(QStringLiteral("%1 .*PSNR [0-9.]+ dB  SSIM 0\\.[0-9]{4}")
                                            .arg(QLatin1String(rung)))
                         .match(text)
                         .hasMatch(),
                     qPrintable(text));
    }

    // Off (the default): no quality.json and no "quality" in the result.
    void offWritesNothing() {
        const QString out = path(QStringLiteral("unmeasured"));
        const ProcessResult r =
            runProcess(cliPath(), {QStringLiteral("transcode"), m_source, QStringLiteral("--out"),
                                   out, QStringLiteral("--ladder"), m_ladder,
                                   QStringLiteral("--json"), QStringLiteral("--no-check")});
        QVERIFY2(r.ok(), r.err.constData());
        const QJsonObject result = QJsonDocument::fromJson(r.out).array().at(0).toObject();
        QVERIFY(!result.contains(QStringLiteral("quality")));
        QVERIFY(!result.contains(QStringLiteral("qualityReport")));
        QVERIFY(!QFile::exists(out + QStringLiteral("/quality.json")));
        QVERIFY(QFile::exists(out + QStringLiteral("/master.m3u8")));
    }
};

QTEST_GUILESS_MAIN(QualityTest)
#include "tst_quality.moc"
