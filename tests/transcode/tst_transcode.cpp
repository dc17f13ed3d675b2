// End to end: generated clips in, ladders out, checked with ffprobe and an independent
// M3U8 reader (LadderCheck.h) the way an HLS validator would.

#include "LadderCheck.h"
#include "TestMedia.h"

#include "job/TranscodeJob.h"
#include "ladder/Ladder.h"
#include "probe/Thumbnail.h"
#include "transcode/Transcoder.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include <sys/stat.h>

using namespace hlsforge;
using namespace hlsforge::test;

namespace {

Ladder smallLadder(SegmentFormat format = SegmentFormat::Ts, double segmentSeconds = 6,
                   const QString& preset = QStringLiteral("superfast")) {
    Ladder l;
    l.segmentSeconds = segmentSeconds;
    l.segmentFormat = format;
    l.x264Preset = preset;
    l.audioKbps = 96;
    l.renditions = {{QString(), 360, 900, 0}, {QString(), 240, 450, 0}, {QString(), 144, 200, 0}};
    return l;
}

int profileIdc(const QString& name) {
    if (name.contains(QLatin1String("Baseline")))
        return 66;
    if (name == QLatin1String("Main"))
        return 77;
    if (name == QLatin1String("High"))
        return 100;
    return -1;
}

} // namespace

class TranscodeTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_main; // 640x360 30 fps, 13 s, detailed motion + tone
    QString m_long; // for cancel: long enough never to finish in time
    QString path(const QString& name) const { return m_dir.filePath(name); }

    TranscodeResult transcode(const QString& input, const QString& out, const Ladder& ladder) {
        TranscodeRequest request;
        request.inputPath = input;
        request.outputDir = out;
        request.ladder = ladder;
        Transcoder transcoder(request);
        return transcoder.run({}, nullptr);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_main = path(QStringLiteral("main.mp4"));
        QVERIFY(makeClip(m_main, 13,
                         QStringLiteral("testsrc2=size=640x360:rate=30,noise=alls=12:allf=t")));
        m_long = path(QStringLiteral("long.mp4"));
        QVERIFY(makeClip(m_long, 60, QStringLiteral("testsrc2=size=640x360:rate=30")));
    }

    void ladderIsAlignedAndMeasured_data() {
        QTest::addColumn<int>("format");
        QTest::newRow("ts") << int(SegmentFormat::Ts);
        QTest::newRow("fmp4") << int(SegmentFormat::Fmp4);
        QTest::newRow("ts-byterange") << int(SegmentFormat::TsByteRange);
        QTest::newRow("fmp4-byterange") << int(SegmentFormat::Fmp4ByteRange);
    }
    void ladderIsAlignedAndMeasured() {
        QFETCH(int, format);
        const QString out = path(QStringLiteral("aligned-%1").arg(format));
        const Ladder ladder = smallLadder(SegmentFormat(format));
        const TranscodeResult result = transcode(m_main, out, ladder);
        QVERIFY2(result.status.isOk(), qPrintable(result.status.message()));

        const QString masterText = readText(out + QStringLiteral("/master.m3u8"));
        QVERIFY(masterText.startsWith(QLatin1String("#EXTM3U\n")));
        QVERIFY(masterText.contains(QLatin1String("#EXT-X-INDEPENDENT-SEGMENTS")));
        QVector<QMap<QString, QString>> iframes;
        const QVector<CheckedVariant> variants =
            readMaster(out + QStringLiteral("/master.m3u8"), &iframes);
        QCOMPARE(variants.size(), 3);
        QCOMPARE(iframes.size(), 3);

        const double sourceSeconds = ffprobeVideoDuration(m_main);
        const double frameSeconds = 1.0 / 30;
        QVector<QVector<double>> startsPerVariant;
        for (const CheckedVariant& v : variants) {
            for (const char* attr :
                 {"BANDWIDTH", "AVERAGE-BANDWIDTH", "CODECS", "RESOLUTION", "FRAME-RATE"})
                QVERIFY2(v.attrs.contains(QString::fromLatin1(attr)), attr);
            const QString playlist = out + QLatin1Char('/') + v.uri;
            const QString dir = QFileInfo(playlist).absolutePath();
            const CheckedMedia media = readMedia(playlist);
            QVERIFY(media.text.contains(QLatin1String("#EXT-X-PLAYLIST-TYPE:VOD")));
            QVERIFY(media.text.contains(QLatin1String("#EXT-X-ENDLIST")));
            QVERIFY(media.segments.size() >= 3);
            if (isFmp4(SegmentFormat(format)))
                QVERIFY(!media.mapFile.isEmpty());
            if (isByteRange(SegmentFormat(format)))
                QVERIFY(media.text.contains(QLatin1String("#EXT-X-BYTERANGE:")));

            // EXTINF durations add up to the real duration within one frame.
            QVERIFY2(std::fabs(media.total() - sourceSeconds) <= frameSeconds + 1e-3,
                     qPrintable(QStringLiteral("EXTINF sum %1 vs source %2")
                                    .arg(media.total())
                                    .arg(sourceSeconds)));

            // Every segment starts with a keyframe; none exceeds the target by > 0.5 s.
            double peak = 0, bytesTotal = 0;
            QVector<double> starts;
            for (int i = 0; i < media.segments.size(); ++i) {
                const CheckedSegment& s = media.segments[i];
                QVERIFY2(s.extinf <= ladder.segmentSeconds + 0.5,
                         qPrintable(QString::number(s.extinf)));
                const QString standalone =
                    standaloneSegment(dir, media, s, path(QStringLiteral("probe-seg.bin")));
                const QJsonArray packets = ffprobeVideoPackets(standalone);
                QVERIFY2(!packets.isEmpty(), qPrintable(s.file));
                // In decode order the first packet must be the IDR.
                QVERIFY2(packets.first()
                             .toObject()
                             .value(QStringLiteral("flags"))
                             .toString()
                             .startsWith(QLatin1Char('K')),
                         qPrintable(QStringLiteral("%1 segment %2 does not start with a keyframe")
                                        .arg(v.uri)
                                        .arg(i)));
                double firstPts = 1e9;
                for (const auto& p : packets)
                    firstPts = std::min(
                        firstPts,
                        p.toObject().value(QStringLiteral("pts_time")).toString().toDouble());
                starts.append(firstPts);
                const qint64 bytes = segmentBytes(dir, s);
                bytesTotal += bytes;
                const bool shortLast = i == media.segments.size() - 1 && s.extinf < 0.5;
                if (!shortLast)
                    peak = std::max(peak, bytes * 8.0 / s.extinf);
            }
            startsPerVariant.append(starts);

            // BANDWIDTH is the measured peak: not below it, within 10 % above it.
            const double bandwidth = v.attrs.value(QStringLiteral("BANDWIDTH")).toDouble();
            QVERIFY2(
                bandwidth >= peak - 1 && bandwidth <= peak * 1.10,
                qPrintable(
                    QStringLiteral("BANDWIDTH %1 vs measured peak %2").arg(bandwidth).arg(peak)));
            const double average = bytesTotal * 8.0 / media.total();
            const double declaredAverage =
                v.attrs.value(QStringLiteral("AVERAGE-BANDWIDTH")).toDouble();
            QVERIFY2(std::fabs(declaredAverage - average) <= average * 0.10,
                     qPrintable(QStringLiteral("AVERAGE-BANDWIDTH %1 vs measured %2")
                                    .arg(declaredAverage)
                                    .arg(average)));

            // CODECS matches the SPS that ffprobe reads.
            const QString first = standaloneSegment(dir, media, media.segments.first(),
                                                    path(QStringLiteral("probe-first.bin")));
            QString profile;
            int level = 0;
            ffprobeProfileLevel(first, &profile, &level);
            const QString codecs = v.attrs.value(QStringLiteral("CODECS"));
            QVERIFY2(codecs.contains(QLatin1String("mp4a.40.2")), qPrintable(codecs));
            const QString avc = codecs.section(QLatin1Char(','), 0, 0);
            QCOMPARE(avc.mid(5, 2).toInt(nullptr, 16), profileIdc(profile));
            QCOMPARE(avc.mid(9, 2).toInt(nullptr, 16), level);
            const QJsonObject stream =
                ffprobeJson({QStringLiteral("-select_streams"), QStringLiteral("v:0"),
                             QStringLiteral("-show_entries"),
                             QStringLiteral("stream=width,height")},
                            first)
                    .value(QStringLiteral("streams"))
                    .toArray()
                    .first()
                    .toObject();
            QCOMPARE(v.attrs.value(QStringLiteral("RESOLUTION")),
                     QStringLiteral("%1x%2")
                         .arg(stream.value(QStringLiteral("width")).toInt())
                         .arg(stream.value(QStringLiteral("height")).toInt()));
        }
        // Segment boundaries fall on the same timestamps in every rendition.
        for (int v = 1; v < startsPerVariant.size(); ++v) {
            QCOMPARE(startsPerVariant[v].size(), startsPerVariant[0].size());
            for (int i = 0; i < startsPerVariant[0].size(); ++i)
                QVERIFY2(std::fabs(startsPerVariant[v][i] - startsPerVariant[0][i]) < 0.001,
                         qPrintable(QStringLiteral("segment %1 starts at %2 vs %3")
                                        .arg(i)
                                        .arg(startsPerVariant[v][i])
                                        .arg(startsPerVariant[0][i])));
        }

        // I-frame playlists: each entry is a decodable keyframe on its own.
        for (const auto& iframe : iframes) {
            const QString playlist = out + QLatin1Char('/') + iframe.value(QStringLiteral("URI"));
            const CheckedMedia media = readMedia(playlist);
            QVERIFY(media.text.contains(QLatin1String("#EXT-X-I-FRAMES-ONLY")));
            QVERIFY(media.segments.size() >= 3);
            QVERIFY(std::fabs(media.total() - sourceSeconds) <= frameSeconds + 1e-3);
            const CheckedSegment& second = media.segments[1];
            const QString standalone =
                standaloneSegment(QFileInfo(playlist).absolutePath(), media, second,
                                  path(QStringLiteral("probe-iframe.bin")));
            const QJsonArray frames =
                ffprobeJson({QStringLiteral("-select_streams"), QStringLiteral("v:0"),
                             QStringLiteral("-show_entries"),
                             QStringLiteral("frame=pict_type,key_frame")},
                            standalone)
                    .value(QStringLiteral("frames"))
                    .toArray();
            QVERIFY2(!frames.isEmpty(), qPrintable(playlist));
            QCOMPARE(frames.first().toObject().value(QStringLiteral("key_frame")).toInt(), 1);
        }
    }

    void inputs_data() {
        QTest::addColumn<QString>("video");
        QTest::addColumn<QString>("audio");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("expectWidth");
        QTest::addColumn<int>("expectHeight");
        const QString sine = QStringLiteral("sine=frequency=440:sample_rate=48000");
        QTest::newRow("no audio") << "testsrc2=size=320x180:rate=30" << QString() << QStringList()
                                  << 320 << 180;
        QTest::newRow("odd size") << "testsrc2=size=321x241:rate=25" << sine << QStringList() << 240
                                  << 180;
        QTest::newRow("variable frame rate")
            << "testsrc2=size=320x180:rate=30,select='lt(t\\,1.5)+not(mod(n\\,2))'" << sine
            << QStringList{QStringLiteral("-vsync"), QStringLiteral("vfr")} << 320 << 180;
        QTest::newRow("shorter than a segment")
            << "testsrc2=size=320x180:rate=30" << sine << QStringList() << 320 << 180;
        QTest::newRow("10-bit 4:2:2")
            << "testsrc2=size=320x180:rate=30" << sine
            << QStringList{QStringLiteral("-pix_fmt"), QStringLiteral("yuv422p10le")} << 320 << 180;
        QTest::newRow("mono 44.1 kHz")
            << "testsrc2=size=320x180:rate=30"
            << "sine=frequency=440:sample_rate=44100"
            << QStringList{QStringLiteral("-ac"), QStringLiteral("1")} << 320 << 180;
        QTest::newRow("5.1") << "testsrc2=size=320x180:rate=30" << sine
                             << QStringList{QStringLiteral("-af"),
                                            QStringLiteral(
                                                "pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0")}
                             << 320 << 180;
        QTest::newRow("rotated portrait")
            << "testsrc2=size=320x180:rate=30" << sine << QStringList() << 180 << 320;
    }
    void inputs() {
        QFETCH(QString, video);
        QFETCH(QString, audio);
        QFETCH(QStringList, extra);
        QFETCH(int, expectWidth);
        QFETCH(int, expectHeight);
        const QString tag = QString::fromLatin1(QTest::currentDataTag())
                                .replace(QLatin1Char(' '), QLatin1Char('_'));
        QString input = path(tag + QStringLiteral(".mp4"));
        const double seconds = tag.startsWith(QLatin1String("shorter")) ? 1.5 : 3.0;
        QVERIFY(makeClip(input, seconds, video, audio, extra));
        if (tag == QLatin1String("rotated_portrait")) {
            // A phone clip: landscape pixels plus a display matrix saying "rotate 90".
            const QString rotated = path(tag + QStringLiteral("-rot.mp4"));
            QVERIFY(
                ffmpeg({QStringLiteral("-i"), input, QStringLiteral("-c"), QStringLiteral("copy"),
                        QStringLiteral("-metadata:s:v:0"), QStringLiteral("rotate=90"), rotated}));
            input = rotated;
        }
        Ladder ladder = smallLadder(SegmentFormat::Ts, 2, QStringLiteral("ultrafast"));
        ladder.renditions = {{QString(), 180, 400, 0}, {QString(), 144, 200, 0}};
        const QString out = path(QStringLiteral("in-") + tag);
        const TranscodeResult result = transcode(input, out, ladder);
        QVERIFY2(result.status.isOk(), qPrintable(result.status.message()));

        const CheckedMedia media =
            readMedia(out + QLatin1Char('/') + result.renditions.first().playlist);
        const QString dir = out + QLatin1Char('/') + result.renditions.first().name;
        const QString first = dir + QLatin1Char('/') + media.segments.first().file;
        const QJsonArray streams =
            ffprobeJson({QStringLiteral("-show_entries"),
                         QStringLiteral("stream=codec_type,codec_name,width,height,pix_fmt,"
                                        "channels,sample_rate:stream_side_data")},
                        first)
                .value(QStringLiteral("streams"))
                .toArray();
        bool sawAudio = false;
        for (const auto& s : streams) {
            const QJsonObject o = s.toObject();
            if (o.value(QStringLiteral("codec_type")) == QLatin1String("video")) {
                QCOMPARE(o.value(QStringLiteral("codec_name")).toString(), QStringLiteral("h264"));
                QCOMPARE(o.value(QStringLiteral("pix_fmt")).toString(), QStringLiteral("yuv420p"));
                QCOMPARE(o.value(QStringLiteral("width")).toInt(), expectWidth);
                QCOMPARE(o.value(QStringLiteral("height")).toInt(), expectHeight);
                QVERIFY(!o.contains(QStringLiteral("side_data_list"))); // upright: no rotation left
            } else if (o.value(QStringLiteral("codec_type")) == QLatin1String("audio")) {
                sawAudio = true;
                QCOMPARE(o.value(QStringLiteral("codec_name")).toString(), QStringLiteral("aac"));
                QCOMPARE(o.value(QStringLiteral("channels")).toInt(), 2);
                QCOMPARE(o.value(QStringLiteral("sample_rate")).toString(),
                         QStringLiteral("48000"));
            }
        }
        QCOMPARE(sawAudio, !audio.isEmpty());
        const QString codecs = readMaster(out + QStringLiteral("/master.m3u8"))
                                   .first()
                                   .attrs.value(QStringLiteral("CODECS"));
        QCOMPARE(codecs.contains(QLatin1String("mp4a.40.2")), !audio.isEmpty());
        const double sourceSeconds = ffprobeVideoDuration(input);
        QVERIFY2(std::fabs(media.total() - sourceSeconds) <= 1.0 / 25 + 0.002,
                 qPrintable(QStringLiteral("EXTINF sum %1 vs source %2")
                                .arg(media.total())
                                .arg(sourceSeconds)));
    }

    void progressIsFrequentAndCancelIsPrompt() {
        const QString out = path(QStringLiteral("cancelled"));
        TranscodeRequest request;
        request.inputPath = m_long;
        request.outputDir = out;
        request.ladder = smallLadder(SegmentFormat::Ts, 6, QStringLiteral("veryfast"));
        TranscodeJob job(request);
        QSignalSpy finished(&job, &Job::finished);
        QVector<qint64> stampsMs;
        QElapsedTimer clock;
        clock.start();
        double lastFraction = 0;
        bool monotonic = true;
        TranscodeProgress last;
        // The Job contract: progressChanged() says "read the snapshot now".
        connect(&job, &Job::progressChanged, this, [&] {
            const TranscodeProgress p = job.transcodeProgress();
            const JobProgress shared = job.progress();
            if (p.stage == QLatin1String("encoding"))
                stampsMs.append(clock.elapsed());
            monotonic = monotonic && p.fraction + 1e-9 >= lastFraction &&
                        shared.fraction + 1e-9 >= lastFraction;
            lastFraction = p.fraction;
            last = p;
        });
        job.start();
        QTRY_VERIFY_WITH_TIMEOUT(lastFraction > 0.05 && clock.elapsed() > 1500, 60000);
        QVERIFY(monotonic);
        // At least 4 reports a second while encoding.
        qint64 maxGapMs = 0;
        for (int i = 1; i < stampsMs.size(); ++i)
            maxGapMs = std::max(maxGapMs, stampsMs[i] - stampsMs[i - 1]);
        QVERIFY2(stampsMs.size() >= 4 && maxGapMs <= timingBudgetMs(250 + 100),
                 qPrintable(QStringLiteral("%1 reports, largest gap %2 ms")
                                .arg(stampsMs.size())
                                .arg(maxGapMs)));
        QVERIFY(last.framesPerSecond > 0);
        QCOMPARE(job.progress().rateUnit, RateUnit::FramesPerSecond);
        QVERIFY(job.progress().framesDone > 0);
        QVERIFY(last.speed > 0);
        QVERIFY(last.etaSeconds > 0);

        QElapsedTimer cancelClock;
        cancelClock.start();
        job.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, int(timingBudgetMs(5000)));
        qInfo() << "cancel took" << cancelClock.elapsed() << "ms";
        QVERIFY2(cancelClock.elapsed() < timingBudgetMs(1000 + 250),
                 qPrintable(QString::number(cancelClock.elapsed())));
        const TranscodeResult result = job.result();
        QVERIFY(result.status.isCancelled());
        QCOMPARE(job.outcome(), JobOutcome::Cancelled);
        QVERIFY(!QFileInfo::exists(out));
        // No staging leftovers beside it.
        const QStringList leftovers =
            QDir(m_dir.path())
                .entryList({QStringLiteral(".cancelled*")}, QDir::AllEntries | QDir::Hidden);
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(QLatin1Char(' '))));
    }

    void failedRunKeepsThePreviousLadder() {
        const QString out = path(QStringLiteral("keep"));
        Ladder ladder = smallLadder(SegmentFormat::Ts, 2, QStringLiteral("ultrafast"));
        ladder.renditions = {{QString(), 144, 200, 0}};
        const QString good = path(QStringLiteral("keep-good.mp4"));
        QVERIFY(makeClip(good, 2, QStringLiteral("testsrc2=size=320x180:rate=30")));
        QVERIFY(transcode(good, out, ladder).status.isOk());
        const QString before = readText(out + QStringLiteral("/master.m3u8"));
        QVERIFY(!before.isEmpty());

        const QString bad = path(QStringLiteral("keep-bad.mp4"));
        QFile text(bad);
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("this is not a video\n");
        text.close();
        const TranscodeResult failed = transcode(bad, out, ladder);
        QVERIFY(!failed.status.isOk());
        QCOMPARE(readText(out + QStringLiteral("/master.m3u8")), before);

        // A successful re-run replaces it whole.
        QVERIFY(transcode(good, out, ladder).status.isOk());
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/master.m3u8")));
        const QStringList leftovers =
            QDir(m_dir.path())
                .entryList({QStringLiteral(".keep*")}, QDir::AllEntries | QDir::Hidden);
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(QLatin1Char(' '))));
    }

    // The input is opened once: the probe and the decode read the same open file (the packets
    // the probe's scan read are handed out again). So a source that can be read only once, a
    // named pipe, still makes a whole ladder; opened twice, the second open would find the
    // writer gone.
    void transcodesFromAPipeReadOnce() {
        const QString source = path(QStringLiteral("pipe-source.ts"));
        QVERIFY(makeClip(source, 5, QStringLiteral("testsrc2=size=640x360:rate=25")));
        const QString fifo = path(QStringLiteral("pipe-input.ts"));
        QCOMPARE(mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
        QProcess writer; // blocks until we open the pipe, writes the file once, closes
        writer.start(QStringLiteral("sh"),
                     {QStringLiteral("-c"), QStringLiteral("cat \"$0\" > \"$1\""), source, fifo});
        QVERIFY(writer.waitForStarted());
        Ladder ladder = smallLadder(SegmentFormat::Ts, 2, QStringLiteral("ultrafast"));
        const TranscodeResult r = transcode(fifo, path(QStringLiteral("pipe-out")), ladder);
        if (!writer.waitForFinished(10000))
            writer.kill();
        QVERIFY2(r.status.isOk(), qPrintable(r.status.message()));
        QCOMPARE(r.renditions.size(), 3);
        for (const RenditionResult& rung : r.renditions)
            QVERIFY2(std::fabs(rung.totalSeconds - 5.0) < 0.1,
                     qPrintable(QStringLiteral("%1: %2 s").arg(rung.name).arg(rung.totalSeconds)));
        QCOMPARE(r.decodedVideoFrames, 125); // decoded once, the probe's scan included
    }

    // The frames the probe's interlace scan decodes go on into the transcode: every source
    // frame is decoded once, whether the scan's packets were kept or the file was opened
    // again (a heavy source: more than InputFile::kKeptBytesMax in its first two seconds).
    // 1080p: 16 frames fit the probe's budget for held frames; a progressive picture is
    // decided by them, so the scan stops there and those 16 go on (decoded once as well).
    void sourceFramesAreDecodedOnce_data() {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("scannedFrames");
        QTest::newRow("light") << QStringLiteral("testsrc2=size=640x360:rate=30")
                               << QStringList{QStringLiteral("-bf"), QStringLiteral("3")} << 60;
        QTest::newRow("heavy, opened again")
            << QStringLiteral("testsrc2=size=640x360:rate=25,noise=alls=60:allf=t")
            << QStringList{QStringLiteral("-qp"), QStringLiteral("0")} << 60;
        QTest::newRow("1080p, scan stops at the budget")
            << QStringLiteral("testsrc2=size=1920x1080:rate=30,noise=alls=10:allf=t")
            << QStringList{QStringLiteral("-preset"), QStringLiteral("ultrafast")} << 16;
    }
    void sourceFramesAreDecodedOnce() {
        QFETCH(QString, filter);
        QFETCH(QStringList, args);
        QFETCH(int, scannedFrames);
        const QString source = path(QStringLiteral("once-%1.mp4").arg(QTest::currentDataTag()[0]));
        QVERIFY(makeClip(source, 3, filter, QStringLiteral("sine=frequency=440:sample_rate=48000"),
                         args));
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        const TranscodeResult r =
            transcode(source, path(QStringLiteral("once-out-%1").arg(tag.left(5))),
                      smallLadder(SegmentFormat::Ts, 2, QStringLiteral("ultrafast")));
        QVERIFY2(r.status.isOk(), qPrintable(r.status.message()));
        const int sourceFrames = filter.contains(QLatin1String("rate=25")) ? 75 : 90;
        QCOMPARE(r.source.video.scannedFrames, scannedFrames);
        QCOMPARE(r.decodedVideoFrames, sourceFrames);
        for (const RenditionResult& rung : r.renditions)
            QVERIFY2(std::fabs(rung.totalSeconds - 3.0) < 0.05,
                     qPrintable(QStringLiteral("%1: %2 s").arg(rung.name).arg(rung.totalSeconds)));
    }

    void refusesToReplaceUnrelatedFolders() {
        const QString out = path(QStringLiteral("precious"));
        QDir().mkpath(out);
        QFile note(out + QStringLiteral("/notes.txt"));
        QVERIFY(note.open(QIODevice::WriteOnly));
        note.write("mine");
        note.close();
        const TranscodeResult r = transcode(m_main, out, smallLadder());
        QVERIFY(!r.status.isOk());
        QVERIFY2(r.status.message().contains(out), qPrintable(r.status.message()));
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/notes.txt")));
    }

    void progressiveMp4IsTheRungsPacketsWithMoovFirst() {
        const QString out = path(QStringLiteral("progressive"));
        Ladder ladder = smallLadder(SegmentFormat::Fmp4, 6, QStringLiteral("superfast"));
        ladder.progressive = true; // default rung: highest at or below 720p -> 360p here
        const TranscodeResult result = transcode(m_main, out, ladder);
        QVERIFY2(result.status.isOk(), qPrintable(result.status.message()));
        QCOMPARE(result.progressiveMp4, QStringLiteral("main.mp4"));
        QCOMPARE(result.progressiveRung, QStringLiteral("360p"));
        const QString mp4 = out + QStringLiteral("/main.mp4");

        // Top-level boxes, read directly from the file: moov comes before mdat.
        QFile file(mp4);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QStringList boxes;
        qint64 offset = 0;
        while (offset + 8 <= file.size() && boxes.size() < 16) {
            file.seek(offset);
            const QByteArray header = file.read(8);
            const quint32 size = (quint8(header[0]) << 24) | (quint8(header[1]) << 16) |
                                 (quint8(header[2]) << 8) | quint8(header[3]);
            boxes << QString::fromLatin1(header.mid(4, 4));
            if (size < 8)
                break;
            offset += size;
        }
        QVERIFY2(boxes.indexOf(QStringLiteral("moov")) >= 0 &&
                     boxes.indexOf(QStringLiteral("moov")) < boxes.indexOf(QStringLiteral("mdat")),
                 qPrintable(boxes.join(QLatin1Char(' '))));

        // Same duration as the rung's playlist, within one frame.
        const CheckedMedia media = readMedia(out + QStringLiteral("/360p/index.m3u8"));
        QVERIFY(std::fabs(ffprobeVideoDuration(mp4) - media.total()) <= 1.0 / 30 + 1e-3);
        const QJsonObject streams = ffprobeJson(
            {QStringLiteral("-show_entries"), QStringLiteral("stream=codec_name,profile")}, mp4);
        QCOMPARE(streams.value(QStringLiteral("streams")).toArray().size(), 2);

        // Byte-identical video packets: ffprobe's hashes of the first segment's packets.
        auto hashes = [&](const QString& file) {
            QStringList out;
            const QJsonArray packets =
                ffprobeJson({QStringLiteral("-select_streams"), QStringLiteral("v:0"),
                             QStringLiteral("-show_data_hash"), QStringLiteral("MD5"),
                             QStringLiteral("-show_entries"), QStringLiteral("packet=data_hash")},
                            file)
                    .value(QStringLiteral("packets"))
                    .toArray();
            for (const auto& p : packets)
                out << p.toObject().value(QStringLiteral("data_hash")).toString();
            return out;
        };
        const QString firstSegment =
            standaloneSegment(out + QStringLiteral("/360p"), media, media.segments.first(),
                              path(QStringLiteral("probe-prog.bin")));
        const QStringList segmentHashes = hashes(firstSegment);
        const QStringList mp4Hashes = hashes(mp4);
        QVERIFY(segmentHashes.size() >= 60);
        QCOMPARE(mp4Hashes.mid(0, segmentHashes.size()), segmentHashes);
        QVERIFY(QFileInfo(out + QStringLiteral("/poster.jpg")).size() > 1000);
    }

    void thumbnailIsNotBlack() {
        // Black for the first second, then detail: the still must come from the detail.
        const QString clip = path(QStringLiteral("fade.mp4"));
        QVERIFY(makeClip(
            clip, 4,
            QStringLiteral(
                "testsrc2=size=320x180:rate=30,drawbox=c=black:t=fill:enable='lt(t\\,1.2)'")));
        StatusOr<RgbImage> image = extractThumbnail(clip, 90, 0.0);
        QVERIFY2(image.isOk(), qPrintable(image.status().message()));
        QCOMPARE(image->height, 90);
        QCOMPARE(image->width, 160);
        qint64 sum = 0;
        for (char c : image->rgb24)
            sum += uchar(c);
        QVERIFY(sum / image->rgb24.size() > 20);
        StatusOr<QByteArray> jpeg = extractJpeg(clip, 90, 0.0);
        QVERIFY(jpeg.isOk());
        QVERIFY(jpeg->startsWith("\xff\xd8"));
    }
};

QTEST_GUILESS_MAIN(TranscodeTest)
#include "tst_transcode.moc"
