// Timing faithful to the source: exact broadcast frame rates (also through MP4 edit lists),
// interlaced sources deinterlaced (flagged or not), audio in sync when it starts late, and the
// default audio track chosen. Sources are made with ffmpeg the way cameras and editors write
// them; the output is read back with ffprobe/ffmpeg, not with our code.

#include "LadderCheck.h"
#include "TestMedia.h"

#include "ladder/Ladder.h"
#include "probe/MediaProbe.h"
#include "probe/ProbeTiming.h"
#include "transcode/FrameTiming.h"
#include "transcode/Transcoder.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace hlsforge;
using namespace hlsforge::test;

Q_DECLARE_METATYPE(AVRational)

namespace {

// "ffmpeg -hide_banner -y" plus a space-separated argument list (no argument holds a space).
bool ff(const QString& args) {
    return ffmpeg(args.split(QLatin1Char(' '), Qt::SkipEmptyParts));
}

Ladder timingLadder(int topHeight) {
    Ladder l;
    l.segmentSeconds = 2;
    l.segmentFormat = SegmentFormat::Ts;
    l.x264Preset = QStringLiteral("ultrafast");
    l.audioKbps = 96;
    l.renditions = {{QString(), topHeight, 900, 0}, {QString(), 144, 200, 0}};
    return l;
}

TranscodeResult transcode(const QString& input, const QString& out, const Ladder& ladder) {
    TranscodeRequest request;
    request.inputPath = input;
    request.outputDir = out;
    request.ladder = ladder;
    return Transcoder(request).run({}, nullptr);
}

QJsonObject firstStream(const QString& selector, const QString& entries, const QString& path,
                        const QStringList& extra = {}) {
    QStringList args = extra;
    args << QStringLiteral("-select_streams") << selector << QStringLiteral("-show_entries")
         << entries;
    return ffprobeJson(args, path).value(QStringLiteral("streams")).toArray().first().toObject();
}

// Frames a player shows (ffprobe decodes; edit lists are applied).
int decodedFrames(const QString& path) {
    return firstStream(QStringLiteral("v:0"), QStringLiteral("stream=nb_read_frames"), path,
                       {QStringLiteral("-count_frames")})
        .value(QStringLiteral("nb_read_frames"))
        .toString()
        .toInt();
}

// The timestamps of the frames a player shows, in seconds (ffprobe decodes; edit lists are
// applied).
QList<double> presentedFrameTimes(const QString& path) {
    QList<double> times;
    const QJsonArray frames = ffprobeJson({QStringLiteral("-select_streams"), QStringLiteral("v:0"),
                                           QStringLiteral("-show_entries"),
                                           QStringLiteral("frame=best_effort_timestamp_time")},
                                          path)
                                  .value(QStringLiteral("frames"))
                                  .toArray();
    for (const auto& f : frames)
        times << f.toObject()
                     .value(QStringLiteral("best_effort_timestamp_time"))
                     .toString()
                     .toDouble();
    return times;
}

// idet's multi-frame verdict over a whole file: {tff + bff, progressive}.
// intl_thres=1.5 as the probe uses it: at idet's default (1.04) the sharp lines of testsrc2
// count as combed even in a progressive picture (the progressive control row checks that this
// reader finds nothing there).
QPair<int, int> idetCounts(const QString& path, const QString& preFilter = {}) {
    const ProcessResult r = runProcess(
        QStringLiteral("ffmpeg"),
        {QStringLiteral("-hide_banner"), QStringLiteral("-i"), path, QStringLiteral("-vf"),
         (preFilter.isEmpty() ? QString() : preFilter + QLatin1Char(',')) +
             QStringLiteral("idet=intl_thres=1.5"),
         QStringLiteral("-f"), QStringLiteral("null"), QStringLiteral("-")});
    const QString err = QString::fromUtf8(r.err);
    const QRegularExpression re(QStringLiteral(
        "Multi frame detection: TFF:\\s*(\\d+)\\s*BFF:\\s*(\\d+)\\s*Progressive:\\s*(\\d+)"));
    const auto m = re.match(err);
    if (!m.hasMatch())
        return {-1, -1};
    return {m.captured(1).toInt() + m.captured(2).toInt(), m.captured(3).toInt()};
}

// The dominant frequency of the first audio stream, from zero crossings of the decoded mono
// signal (ffmpeg decodes; a sine's crossings are twice its frequency).
double audioFrequencyHz(const QString& path) {
    const ProcessResult r = runProcess(
        QStringLiteral("ffmpeg"),
        {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-i"), path,
         QStringLiteral("-map"), QStringLiteral("0:a:0"),
         // Skips 0.2 s of the decoded output: ffmpeg's input seek in an audio-only
         // TS playlist (an audio rendition) decoded a stretch of noise at its end.
         QStringLiteral("-af"), QStringLiteral("atrim=start_sample=9600"), QStringLiteral("-ac"),
         QStringLiteral("1"), QStringLiteral("-ar"), QStringLiteral("48000"), QStringLiteral("-f"),
         QStringLiteral("s16le"), QStringLiteral("-")});
    const auto* samples = reinterpret_cast<const qint16*>(r.out.constData());
    // The last 0.1 s are left out too: where the track is cut, AAC's last frame rings around
    // zero (measured: 94 crossings in its final 48 ms of a 440 Hz tone, which pushed a 2 s
    // audio rendition to 454 Hz).
    const qsizetype count = r.out.size() / 2 - 4800;
    if (count < 4800)
        return -1;
    int crossings = 0;
    for (qsizetype i = 1; i < count; ++i)
        crossings += (samples[i - 1] < 0) != (samples[i] < 0);
    return crossings / 2.0 / (count / 48000.0);
}

} // namespace

class TimingTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // ---- Pure decisions (no media) ----

    void sourceFrameRate_data() {
        QTest::addColumn<AVRational>("average");
        QTest::addColumn<AVRational>("base");
        QTest::addColumn<AVRational>("expected");
        QTest::newRow("29.97 kept")
            << AVRational{30000, 1001} << AVRational{30000, 1001} << AVRational{30000, 1001};
        QTest::newRow("23.976 kept")
            << AVRational{24000, 1001} << AVRational{24000, 1001} << AVRational{24000, 1001};
        QTest::newRow("59.94 kept")
            << AVRational{60000, 1001} << AVRational{60000, 1001} << AVRational{60000, 1001};
        QTest::newRow("25") << AVRational{25, 1} << AVRational{25, 1} << AVRational{25, 1};
        QTest::newRow("12.5 is no standard, kept")
            << AVRational{25, 2} << AVRational{25, 2} << AVRational{25, 2};
        QTest::newRow("2997/100 means 30000/1001")
            << AVRational{2997, 100} << AVRational{2997, 100} << AVRational{30000, 1001};
        QTest::newRow("trimmed: average off, base exact")
            << AVRational{1500000, 62563} << AVRational{24000, 1001} << AVRational{24000, 1001};
        QTest::newRow("field rate as base (PAFF in TS)")
            << AVRational{25, 1} << AVRational{50, 1} << AVRational{25, 1};
        QTest::newRow("VFR near 29.97 stays 29.97, not 30")
            << AVRational{295, 10} << AVRational{30000, 1001} << AVRational{30000, 1001};
        QTest::newRow("VFR base 29.9: nearest is 29.97")
            << AVRational{25, 1} << AVRational{299, 10} << AVRational{30000, 1001};
        QTest::newRow("VFR base 30.02: nearest is 30")
            << AVRational{28, 1} << AVRational{3002, 100} << AVRational{30, 1};
        QTest::newRow("unknown") << AVRational{0, 0} << AVRational{0, 0} << AVRational{30, 1};
    }
    void sourceFrameRate() {
        QFETCH(AVRational, average);
        QFETCH(AVRational, base);
        QFETCH(AVRational, expected);
        const AVRational got = hlsforge::sourceFrameRate(average, base);
        QCOMPARE(rateText(got), rateText(expected));
    }

    void cappedAndWords_data() {
        QTest::addColumn<AVRational>("rate");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("words");
        QTest::newRow("29.97") << AVRational{30000, 1001} << QStringLiteral("30000/1001")
                               << QStringLiteral("frame rate 30000/1001 (29.970 fps) kept");
        QTest::newRow("119.88 halved") << AVRational{120000, 1001} << QStringLiteral("60000/1001")
                                       << QStringLiteral("halved to 60000/1001 (59.940 fps)");
        QTest::newRow("120 halved") << AVRational{120, 1} << QStringLiteral("60")
                                    << QStringLiteral("halved to 60 (60.000 fps)");
    }
    void cappedAndWords() {
        QFETCH(AVRational, rate);
        QFETCH(QString, expected);
        QFETCH(QString, words);
        const FrameRateChoice c = chooseFrameRate(rate, rate);
        QCOMPARE(rateText(c.rate), expected);
        QVERIFY2(c.conversion.contains(words), qPrintable(c.conversion));
    }

    void deinterlacePlan_data() {
        QTest::addColumn<bool>("interlaced");
        QTest::addColumn<QString>("order");
        QTest::addColumn<AVRational>("rate");
        QTest::addColumn<QString>("expectedRate");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("words");
        QTest::newRow("1080i25") << true << QStringLiteral("tff") << AVRational{25, 1}
                                 << QStringLiteral("50")
                                 << QStringLiteral("bwdif=mode=send_field:parity=tff:deint=all")
                                 << QStringLiteral("deinterlaced 1080i25 → 50p");
        QTest::newRow("1080i29.97 bff")
            << true << QStringLiteral("bff") << AVRational{30000, 1001}
            << QStringLiteral("60000/1001")
            << QStringLiteral("bwdif=mode=send_field:parity=bff:deint=all")
            << QStringLiteral("deinterlaced 1080i29.97 → 59.94p");
        QTest::newRow("above the cap: frame per frame")
            << true << QStringLiteral("tff") << AVRational{50, 1} << QStringLiteral("50")
            << QStringLiteral("bwdif=mode=send_frame:parity=tff:deint=all")
            << QStringLiteral("deinterlaced 1080i50 → 50p");
        QTest::newRow("progressive untouched") << false << QString() << AVRational{25, 1}
                                               << QStringLiteral("25") << QString() << QString();
    }
    void deinterlacePlan() {
        QFETCH(bool, interlaced);
        QFETCH(QString, order);
        QFETCH(AVRational, rate);
        QFETCH(QString, expectedRate);
        QFETCH(QString, filter);
        QFETCH(QString, words);
        VideoInfo v;
        v.codedHeight = 1080;
        v.interlaced = interlaced;
        v.interlacedFieldOrder = order;
        v.fieldOrder = order.isEmpty() ? QStringLiteral("progressive") : order;
        const DeinterlacePlan plan = planDeinterlace(v, rate);
        QCOMPARE(plan.apply, interlaced);
        QCOMPARE(rateText(plan.outputRate), expectedRate);
        QCOMPARE(QString::fromStdString(plan.filter), filter);
        QVERIFY2(plan.conversion.startsWith(words), qPrintable(plan.conversion));
    }

    void interlaceVerdict_data() {
        QTest::addColumn<int>("tff");
        QTest::addColumn<int>("bff");
        QTest::addColumn<int>("progressive");
        QTest::addColumn<QString>("verdict");
        QTest::newRow("clear tff") << 55 << 0 << 3 << QStringLiteral("tff");
        QTest::newRow("clear bff") << 1 << 40 << 2 << QStringLiteral("bff");
        QTest::newRow("progressive") << 1 << 0 << 58 << QStringLiteral("progressive");
        QTest::newRow("still picture") << 0 << 0 << 3 << QStringLiteral("undetermined");
        QTest::newRow("mixed") << 20 << 0 << 25 << QStringLiteral("undetermined");
    }
    void interlaceVerdict() {
        QFETCH(int, tff);
        QFETCH(int, bff);
        QFETCH(int, progressive);
        QFETCH(QString, verdict);
        QCOMPARE(hlsforge::interlaceVerdict(tff, bff, progressive), verdict);
    }

    // ---- End to end ----

    void frameRateKept_data() {
        QTest::addColumn<QString>("rate");
        QTest::addColumn<bool>("trimmed");
        QTest::addColumn<QString>("frameRateAttribute");
        QTest::newRow("30000/1001")
            << QStringLiteral("30000/1001") << false << QStringLiteral("29.970");
        QTest::newRow("24000/1001")
            << QStringLiteral("24000/1001") << false << QStringLiteral("23.976");
        QTest::newRow("24000/1001 trimmed mid-GOP, edit list")
            << QStringLiteral("24000/1001") << true << QStringLiteral("23.976");
        QTest::newRow("30000/1001 trimmed mid-GOP, open GOP")
            << QStringLiteral("30000/1001") << true << QStringLiteral("29.970");
        QTest::newRow("60000/1001")
            << QStringLiteral("60000/1001") << false << QStringLiteral("59.940");
        QTest::newRow("25") << QStringLiteral("25") << false << QStringLiteral("25.000");
    }
    void frameRateKept() {
        QFETCH(QString, rate);
        QFETCH(bool, trimmed);
        QFETCH(QString, frameRateAttribute);
        const QString tag =
            QString::fromLatin1(QTest::currentDataTag())
                .replace(QRegularExpression(QStringLiteral("[^a-z0-9]")), QStringLiteral("_"));
        QString source = path(tag + QStringLiteral("-src.mp4"));
        const bool openGop = QString::fromLatin1(QTest::currentDataTag()).contains("open GOP");
        QVERIFY(
            ff(QStringLiteral("-f lavfi -i testsrc2=size=320x180:rate=%1 -f lavfi -i "
                              "sine=frequency=440:sample_rate=48000 -t %2 -c:v libx264 "
                              "-preset ultrafast -g 48 -bf 2 %3 -pix_fmt yuv420p -c:a aac %4")
                   .arg(rate)
                   .arg(trimmed ? 6 : 3)
                   .arg(openGop ? QStringLiteral("-x264-params open-gop=1:keyint=48") : QString())
                   .arg(source)));
        if (trimmed) {
            // As an editor's "trim without re-encoding" writes it: cut mid-GOP, stream copy.
            const QString cut = path(tag + QStringLiteral("-cut.mp4"));
            QVERIFY(ff(QStringLiteral("-ss 1.3 -i %1 -c copy -t 3 %2").arg(source, cut)));
            source = cut;
            const ProcessResult trace = runProcess(
                QStringLiteral("ffprobe"), {QStringLiteral("-v"), QStringLiteral("trace"), source});
            const QRegularExpression elst(
                QStringLiteral("st: 0, edit list 0 - media time: ([1-9][0-9]*)"));
            QVERIFY2(elst.match(QString::fromUtf8(trace.err)).hasMatch(),
                     "the trimmed source has no edit list starting mid-GOP");
        }
        const QStringList parts = rate.split(QLatin1Char('/'));
        const double fps = parts[0].toDouble() / parts.value(1, QStringLiteral("1")).toDouble();
        // What a player shows: from the first presented frame to the end of the last. A
        // trimmed B-frame pyramid can leave a gap before the last frame; the ladder holds the
        // earlier frame through it, as the player does.
        const QList<double> times = presentedFrameTimes(source);
        QVERIFY(times.size() > 30);
        const double presentedSeconds = *std::max_element(times.begin(), times.end()) -
                                        *std::min_element(times.begin(), times.end()) + 1.0 / fps;
        const int presentedFrames = int(std::lround(presentedSeconds * fps));
        if (!trimmed)
            QCOMPARE(presentedFrames, int(times.size()));

        const QString out = path(tag + QStringLiteral("-out"));
        const TranscodeResult r = transcode(source, out, timingLadder(180));
        QVERIFY2(r.status.isOk(), qPrintable(r.status.message()));
        QVERIFY2(r.conversions.join(QLatin1Char('\n')).contains(QStringLiteral("kept")),
                 qPrintable(r.conversions.join(QLatin1Char('\n'))));

        const auto variants = readMaster(out + QStringLiteral("/master.m3u8"));
        QCOMPARE(variants.size(), 2);
        QList<QList<double>> keyframes;
        for (const CheckedVariant& v : variants) {
            QCOMPARE(v.attrs.value(QStringLiteral("FRAME-RATE")), frameRateAttribute);
            const QString playlist = out + QLatin1Char('/') + v.uri;
            const QJsonObject stream =
                firstStream(QStringLiteral("v:0"), QStringLiteral("stream=r_frame_rate"), playlist);
            QCOMPARE(stream.value(QStringLiteral("r_frame_rate")).toString(),
                     rate.contains(QLatin1Char('/')) ? rate : rate + QStringLiteral("/1"));
            // Every frame the source presents, no more, no fewer (no 1-in-1001 duplicates).
            QCOMPARE(decodedFrames(playlist), presentedFrames);
            const CheckedMedia media = readMedia(playlist);
            QVERIFY2(std::fabs(media.total() - presentedSeconds) <= 1.0 / fps,
                     qPrintable(QStringLiteral("EXTINF sum %1 s, source presents %2 s")
                                    .arg(media.total())
                                    .arg(presentedSeconds)));
            QList<double> k;
            for (const auto& p : ffprobeVideoPackets(playlist)) {
                const QJsonObject o = p.toObject();
                if (o.value(QStringLiteral("flags")).toString().startsWith(QLatin1Char('K')))
                    k << o.value(QStringLiteral("pts_time")).toString().toDouble();
            }
            keyframes << k;
        }
        // Keyframes at the same instants in every rung, every 2 s (GOP) by timestamp.
        QCOMPARE(keyframes[0], keyframes[1]);
        QVERIFY(keyframes[0].size() >= 2);
    }

    void interlaced_data() {
        QTest::addColumn<QString>("encode");
        QTest::addColumn<bool>("flagged");
        QTest::addColumn<bool>("expectInterlaced");
        QTest::addColumn<QString>("size");
        QTest::addColumn<QString>("fieldRate"); // of the woven fields; frames run at half
        QTest::addColumn<double>("seconds");
        QTest::addColumn<QString>("frameRateAttribute");
        QTest::addColumn<QString>("words");
        const QString x264 = QStringLiteral("-c:v libx264 -preset ultrafast");
        const QString ntsc = QStringLiteral("60000/1001");
        const QString words480 = QStringLiteral("deinterlaced 480i29.97 → 59.94p");
        QTest::newRow("H.264 flagged tff")
            << x264 + QStringLiteral(" -flags +ilme+ildct -x264-params tff=1") << true << true
            << QStringLiteral("720x480") << ntsc << 2.0 << QStringLiteral("59.940") << words480;
        QTest::newRow("MPEG-2 flagged tff")
            << QStringLiteral("-c:v mpeg2video -q:v 3 -flags +ilme+ildct -top 1") << true << true
            << QStringLiteral("720x480") << ntsc << 2.0 << QStringLiteral("59.940") << words480;
        QTest::newRow("flag missing") << x264 << false << true << QStringLiteral("720x480") << ntsc
                                      << 2.0 << QStringLiteral("59.940") << words480;
        QTest::newRow("progressive untouched")
            << x264 << false << false << QStringLiteral("720x480") << ntsc << 2.0
            << QStringLiteral("29.970")
            << QStringLiteral("frame rate 30000/1001 (29.970 fps) kept");
        // The camcorder case, full size for one second.
        QTest::newRow("1080i25 H.264 flagged tff")
            << x264 + QStringLiteral(" -flags +ilme+ildct -x264-params tff=1") << true << true
            << QStringLiteral("1920x1080") << QStringLiteral("50") << 1.0
            << QStringLiteral("50.000") << QStringLiteral("deinterlaced 1080i25 → 50p");
    }
    void interlaced() {
        QFETCH(QString, encode);
        QFETCH(bool, flagged);
        QFETCH(bool, expectInterlaced);
        QFETCH(QString, size);
        QFETCH(QString, fieldRate);
        QFETCH(double, seconds);
        QFETCH(QString, frameRateAttribute);
        QFETCH(QString, words);
        const QString tag =
            QString::fromLatin1(QTest::currentDataTag())
                .replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9]")), QStringLiteral("_"));
        const QString source = path(tag + QStringLiteral(".mkv"));
        // Full HD from a quarter-size picture: testsrc2's 1-pixel lines at 1080 would move
        // too little between fields to comb clearly, and fool idet into "combed" when
        // progressive.
        const QString content =
            size == QLatin1String("1920x1080")
                ? QStringLiteral("testsrc2=size=480x270:rate=%1,scale=1920:1080:flags=neighbor")
                : QStringLiteral("testsrc2=size=%2:rate=%1");
        const QString picture =
            expectInterlaced ? content.arg(fieldRate, size) + QStringLiteral(",interlace=scan=tff")
                             : content.arg(QStringLiteral("30000/1001"), size);
        QVERIFY(ff(QStringLiteral("-f lavfi -i %1 -t %2 -pix_fmt yuv420p %3 %4")
                       .arg(picture)
                       .arg(seconds)
                       .arg(encode, source)));
        const int height = size.section(QLatin1Char('x'), 1).toInt();

        // The probe reports the flag and what the picture shows.
        StatusOr<MediaInfo> info = probeFile(source);
        QVERIFY(info.isOk());
        // H.264 MBAFF frames say "interlaced" but not reliably which field is first (equal
        // field POCs read as bottom first); the picture decides the order.
        QCOMPARE(info->video.fieldOrder != QLatin1String("progressive"), flagged);
        QCOMPARE(info->video.interlaced, expectInterlaced);
        if (expectInterlaced)
            QCOMPARE(info->video.interlacedFieldOrder, QStringLiteral("tff"));
        if (expectInterlaced)
            QCOMPARE(info->video.detectedScan, QStringLiteral("tff"));

        const QString out = path(tag + QStringLiteral("-out"));
        const TranscodeResult r = transcode(source, out, timingLadder(height));
        QVERIFY2(r.status.isOk(), qPrintable(r.status.message()));
        QVERIFY2(r.conversions.value(0).startsWith(words),
                 qPrintable(r.conversions.join(QLatin1Char('\n'))));
        const auto variants = readMaster(out + QStringLiteral("/master.m3u8"));
        QCOMPARE(variants.size(), 2);
        QCOMPARE(variants[0].attrs.value(QStringLiteral("FRAME-RATE")), frameRateAttribute);
        const QString top = out + QLatin1Char('/') + variants[0].uri;
        QCOMPARE(variants[0].attrs.value(QStringLiteral("RESOLUTION")), size);

        const int sourceFrames = decodedFrames(source);
        QCOMPARE(decodedFrames(top), expectInterlaced ? 2 * sourceFrames : sourceFrames);
        // idet on the top rung against the naive output (the same source scaled without
        // deinterlacing, as the engine did before): combing gone where it was everywhere.
        const QPair<int, int> rung = idetCounts(top);
        QVERIFY(rung.first >= 0);
        if (expectInterlaced) {
            const QPair<int, int> naive = idetCounts(source);
            qInfo("idet combed frames: source %d of %d, top rung %d of %d", naive.first,
                  naive.first + naive.second, rung.first, rung.first + rung.second);
            QVERIFY2(
                naive.first > 0.8 * sourceFrames,
                qPrintable(
                    QStringLiteral("naive: %1 combed of %2").arg(naive.first).arg(sourceFrames)));
            QVERIFY2(rung.first <= 0.05 * (rung.first + rung.second),
                     qPrintable(QStringLiteral("rung: %1 combed, %2 progressive")
                                    .arg(rung.first)
                                    .arg(rung.second)));
        } else {
            QCOMPARE(rung.first, 0);
        }
    }

    void probeAndCliResultShowIt() {
        const QString source = path(QStringLiteral("probe-unflagged.mp4"));
        QVERIFY(ff(QStringLiteral("-f lavfi -i "
                                  "testsrc2=size=720x480:rate=50,interlace=scan=tff -t 1 "
                                  "-c:v libx264 -preset ultrafast -pix_fmt yuv420p %1")
                       .arg(source)));
        const ProcessResult r = runProcess(cliPath(), {QStringLiteral("probe"), source});
        QVERIFY2(r.ok(), r.err.constData());
        const QJsonObject video =
            QJsonDocument::fromJson(r.out).object().value(QStringLiteral("video")).toObject();
        QCOMPARE(video.value(QStringLiteral("frameRateExact")).toString(), QStringLiteral("25"));
        QCOMPARE(video.value(QStringLiteral("frameRateText")).toString(), QStringLiteral("25.000"));
        const QJsonObject scan = video.value(QStringLiteral("interlacing")).toObject();
        QCOMPARE(scan.value(QStringLiteral("flagged")).toString(), QStringLiteral("progressive"));
        QCOMPARE(scan.value(QStringLiteral("detected")).toString(), QStringLiteral("tff"));
        QCOMPARE(scan.value(QStringLiteral("interlaced")).toBool(), true);
        QVERIFY(scan.value(QStringLiteral("tffFrames")).toInt() > 10);

        // The CLI's transcode result says what was done, in words.
        const QString out = path(QStringLiteral("probe-unflagged-out"));
        const ProcessResult t =
            runProcess(cliPath(), {QStringLiteral("transcode"), source, QStringLiteral("--out"),
                                   out, QStringLiteral("--ladder"), QStringLiteral("web"),
                                   QStringLiteral("--x264-preset"), QStringLiteral("ultrafast"),
                                   QStringLiteral("--json"), QStringLiteral("--progress"),
                                   QStringLiteral("none")});
        QVERIFY2(t.ok(), t.err.constData());
        const QJsonArray conversions = QJsonDocument::fromJson(t.out)
                                           .array()
                                           .first()
                                           .toObject()
                                           .value(QStringLiteral("conversions"))
                                           .toArray();
        QVERIFY2(
            conversions.first().toString().startsWith(QStringLiteral("deinterlaced 480i25 → 50p")),
            t.out.constData());
        QCOMPARE(readMaster(out + QStringLiteral("/master.m3u8"))
                     .first()
                     .attrs.value(QStringLiteral("FRAME-RATE")),
                 QStringLiteral("50.000"));
    }

    void audioInSync_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("audio starts 0.5 s after the video") << QStringLiteral("late");
        QTest::newRow("trimmed with an edit list") << QStringLiteral("trimmed");
    }
    void audioInSync() {
        QFETCH(QString, kind);
        QString source = path(kind + QStringLiteral(".mp4"));
        if (kind == QLatin1String("late")) {
            QVERIFY(ff(QStringLiteral("-f lavfi -i testsrc2=size=320x180:rate=25 -itsoffset 0.5 "
                                      "-f lavfi -i sine=frequency=440:sample_rate=48000:duration="
                                      "4.5 -t 5 -c:v libx264 -preset ultrafast -pix_fmt yuv420p "
                                      "-c:a aac %1")
                           .arg(source)));
            const QJsonObject a =
                firstStream(QStringLiteral("a:0"), QStringLiteral("stream=start_time"), source);
            QVERIFY(a.value(QStringLiteral("start_time")).toString().toDouble() > 0.4);
        } else {
            const QString full = path(kind + QStringLiteral("-full.mp4"));
            QVERIFY(ff(QStringLiteral("-f lavfi -i testsrc2=size=320x180:rate=24000/1001 -f lavfi "
                                      "-i sine=frequency=440:sample_rate=44100 -t 8 -c:v libx264 "
                                      "-preset ultrafast -g 48 -pix_fmt yuv420p -c:a aac %1")
                           .arg(full)));
            QVERIFY(ff(QStringLiteral("-ss 1.7 -i %1 -c copy -t 5 %2").arg(full, source)));
        }
        const QString out = path(kind + QStringLiteral("-out"));
        const TranscodeResult r = transcode(source, out, timingLadder(180));
        QVERIFY2(r.status.isOk(), qPrintable(r.status.message()));
        if (kind == QLatin1String("late"))
            QVERIFY2(r.conversions.join(QLatin1Char('\n')).contains(QStringLiteral("audio starts")),
                     qPrintable(r.conversions.join(QLatin1Char('\n'))));
        const double aacFrameSeconds = 1024.0 / 48000;
        const auto variants = readMaster(out + QStringLiteral("/master.m3u8"));
        QCOMPARE(variants.size(), 2);
        for (const CheckedVariant& v : variants) {
            const QString dir = QFileInfo(out + QLatin1Char('/') + v.uri).absolutePath();
            const CheckedMedia media = readMedia(out + QLatin1Char('/') + v.uri);
            QVERIFY(media.segments.size() >= 2);
            for (const CheckedSegment& s : media.segments) {
                const QString file = dir + QLatin1Char('/') + s.file;
                const double video =
                    firstStream(QStringLiteral("v:0"), QStringLiteral("stream=start_time"), file)
                        .value(QStringLiteral("start_time"))
                        .toString()
                        .toDouble();
                const double audio =
                    firstStream(QStringLiteral("a:0"), QStringLiteral("stream=start_time"), file)
                        .value(QStringLiteral("start_time"))
                        .toString()
                        .toDouble();
                QVERIFY2(std::fabs(audio - video) <= aacFrameSeconds,
                         qPrintable(QStringLiteral("%1 %2: video starts %3 s, audio %4 s")
                                        .arg(v.uri, s.file)
                                        .arg(video, 0, 'f', 4)
                                        .arg(audio, 0, 'f', 4)));
            }
        }
    }

    void mainAudioTrack_data() {
        QTest::addColumn<QString>("container");
        QTest::addColumn<QString>("dispositions");
        QTest::addColumn<double>("expectedHz");
        QTest::addColumn<QString>("words");
        QTest::newRow("second track flagged default (MP4)")
            << QStringLiteral("mp4")
            << QStringLiteral("-disposition:a:0 0 -disposition:a:1 default") << 1500.0
            << QStringLiteral("audio: track 2 of 2, the default-flagged one");
        QTest::newRow("none flagged: the first (Matroska)")
            << QStringLiteral("mkv")
            << QStringLiteral("-disposition:a:0 0 -disposition:a:1 0 -default_mode passthrough")
            << 440.0 << QStringLiteral("audio: track 1 of 2, the first");
    }
    void mainAudioTrack() {
        QFETCH(QString, container);
        QFETCH(QString, dispositions);
        QFETCH(double, expectedHz);
        QFETCH(QString, words);
        const QString source = path(QStringLiteral("two-tracks.") + container);
        // The second track has the higher bitrate: what av_find_best_stream would rank first
        // among tracks of equal disposition.
        QVERIFY(ff(QStringLiteral("-f lavfi -i testsrc2=size=320x180:rate=25 -f lavfi -i "
                                  "sine=frequency=440:sample_rate=48000 -f lavfi -i "
                                  "sine=frequency=1500:sample_rate=44100 -map 0 -map 1 -map 2 -t "
                                  "2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac "
                                  "-b:a:0 64k -b:a:1 192k %1 %2")
                       .arg(dispositions, source)));
        const QString out = path(QStringLiteral("two-tracks-out-") + container);
        const TranscodeResult r = transcode(source, out, timingLadder(180));
        QVERIFY2(r.status.isOk(), qPrintable(r.status.message()));
        QVERIFY2(r.conversions.join(QLatin1Char('\n')).contains(words),
                 qPrintable(r.conversions.join(QLatin1Char('\n'))));
        const QJsonObject json = r.toJson();
        QVERIFY(json.value(QStringLiteral("conversions")).toArray().size() >= 2);
        // Two tracks: each its own rendition (issue 14); the chosen one is the DEFAULT=YES one.
        QCOMPARE(r.audioLayout, QStringLiteral("renditions"));
        QCOMPARE(r.audio.size(), 2);
        for (const AudioResult& a : r.audio) {
            if (!a.isDefault)
                continue;
            const double hz = audioFrequencyHz(out + QLatin1Char('/') + a.playlist);
            QVERIFY2(std::fabs(hz - expectedHz) < 0.03 * expectedHz,
                     qPrintable(QStringLiteral("%1: %2 Hz").arg(a.playlist).arg(hz)));
        }
    }
};

QTEST_GUILESS_MAIN(TimingTest)
#include "tst_timing.moc"
