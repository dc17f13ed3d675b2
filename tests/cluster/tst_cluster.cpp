// Chunked encoding (core/cluster, `hlsforge-cli plan / encode / assemble`). What a user relies on:
// the chunks start exactly where a one-machine transcode of the same ladder starts segments (read
// from its segments with ffprobe), every segment is in exactly one chunk, and plan.json reads
// back the same.

#include "LadderCheck.h"
#include "TestMedia.h"

#include "cluster/ClusterPlan.h"
#include "ladder/Ladder.h"
#include "probe/MediaProbe.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

#include <cmath>

using namespace hlsforge;

namespace {

Ladder tinyLadder(double segmentSeconds, VideoCodec codec, SegmentFormat format) {
    Ladder ladder;
    ladder.segmentSeconds = segmentSeconds;
    ladder.segmentFormat = format;
    ladder.svtAv1Preset = 12;
    Rendition r;
    r.name = QStringLiteral("90p");
    r.height = 90;
    r.videoKbps = 120;
    r.codec = codec;
    ladder.renditions = {r};
    ladder.playerPage = false;
    return ladder;
}

} // namespace

namespace {

QByteArray fileBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The lines of `text` that start with `prefix`.
QList<QByteArray> linesStartingWith(const QByteArray& text, const QByteArray& prefix) {
    QList<QByteArray> found;
    for (const QByteArray& line : text.split('\n'))
        if (line.startsWith(prefix))
            found << line;
    return found;
}

// Seek thumbnails and subtitles of a chunked ladder against the one-machine ladder of the same
// source and ladder (what a viewer sees when seeking, and the captions).
void compareThumbnailsAndSubtitles(const QString& single, const QString& chunked, bool fmp4) {
    // Thumbnails: the image playlist and the WebVTT track are the one machine's, text for text
    // (the same tiles at the same times in the same sheet layout); 16 s gives a tile every 2 s.
    const QByteArray images = fileBytes(chunked + QStringLiteral("/thumbs/images.m3u8"));
    QVERIFY2(images.contains("#EXT-X-IMAGES-ONLY"), images.constData());
    QCOMPARE(images, fileBytes(single + QStringLiteral("/thumbs/images.m3u8")));
    const QByteArray vtt = fileBytes(chunked + QStringLiteral("/thumbs/thumbnails.vtt"));
    QCOMPARE(vtt, fileBytes(single + QStringLiteral("/thumbs/thumbnails.vtt")));
    QCOMPARE(vtt.count("#xywh="), 8);
    QVERIFY2(vtt.contains("00:00:04.000 --> 00:00:06.000\nsheet-1.jpg#xywh=320,0,160,90"),
             vtt.constData());
    QVERIFY(vtt.contains("00:00:14.000 --> 00:00:16.000"));
    // The sheets: as many, the same size read by ffprobe, and the same JPEG bytes (the chunks
    // kept their tiles raw, so the sheet is encoded once from the same pixels).
    const QStringList sheets = QDir(chunked + QStringLiteral("/thumbs"))
                                   .entryList({QStringLiteral("sheet-*.jpg")}, QDir::Files);
    QCOMPARE(sheets, QDir(single + QStringLiteral("/thumbs"))
                         .entryList({QStringLiteral("sheet-*.jpg")}, QDir::Files));
    QCOMPARE(sheets.size(), 1);
    for (const QString& sheet : sheets) {
        const QString path = chunked + QStringLiteral("/thumbs/") + sheet;
        const QJsonObject probed =
            test::ffprobeJson(
                {QStringLiteral("-show_entries"), QStringLiteral("stream=width,height")}, path)
                .value(QStringLiteral("streams"))
                .toArray()
                .first()
                .toObject();
        QCOMPARE(probed.value(QStringLiteral("width")).toInt(), 800);
        QCOMPARE(probed.value(QStringLiteral("height")).toInt(), 450);
        QVERIFY2(fileBytes(path) == fileBytes(single + QStringLiteral("/thumbs/") + sheet),
                 qPrintable(sheet));
    }
    // Nothing of the chunks' raw tiles in the viewer's folders.
    QCOMPARE(QDir(chunked + QStringLiteral("/thumbs")).entryList({QStringLiteral("*.yuv")}),
             QStringList());

    // The master names the same image stream and subtitle renditions, and every variant the
    // subtitle group.
    const QByteArray oneMaster = fileBytes(single + QStringLiteral("/master.m3u8"));
    const QByteArray master = fileBytes(chunked + QStringLiteral("/master.m3u8"));
    for (const QByteArray& prefix :
         {QByteArray("#EXT-X-IMAGE-STREAM-INF"), QByteArray("#EXT-X-MEDIA:TYPE=SUBTITLES")}) {
        const QList<QByteArray> lines = linesStartingWith(master, prefix);
        QVERIFY2(!lines.isEmpty(), master.constData());
        QCOMPARE(lines, linesStartingWith(oneMaster, prefix));
    }
    QCOMPARE(linesStartingWith(master, "#EXT-X-MEDIA:TYPE=SUBTITLES").size(), 2);
    QCOMPARE(master.count("SUBTITLES=\"subs\""), 2);

    // Each rendition: the same playlist and the same cues in the same segments. With TS each
    // segment maps cue time 0 to its own ladder's first video PTS (X-TIMESTAMP-MAP), read here
    // by ffprobe from the chunked ladder's first segment.
    const QStringList folders = QDir(chunked + QStringLiteral("/subs"))
                                    .entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QCOMPARE(folders, (QStringList{QStringLiteral("en"), QStringLiteral("fr")}));
    qint64 firstPtsTicks = -1;
    if (!fmp4) {
        double first = 1e18;
        for (const QJsonValue& p :
             test::ffprobeVideoPackets(chunked + QStringLiteral("/180p/seg_00000.ts")))
            first = std::min(first,
                             p.toObject().value(QStringLiteral("pts_time")).toString().toDouble());
        firstPtsTicks = std::llround(first * 90000);
    }
    const auto withoutMap = [](QByteArray text) {
        const int at = text.indexOf("X-TIMESTAMP-MAP=");
        return at < 0 ? text : text.left(at) + text.mid(text.indexOf('\n', at) + 1);
    };
    QByteArray allCues;
    for (const QString& folder : folders) {
        const QString dir = QStringLiteral("/subs/") + folder;
        QCOMPARE(fileBytes(chunked + dir + QStringLiteral("/index.m3u8")),
                 fileBytes(single + dir + QStringLiteral("/index.m3u8")));
        const QStringList segments =
            QDir(chunked + dir).entryList({QStringLiteral("*.vtt")}, QDir::Files, QDir::Name);
        QCOMPARE(segments.size(), 8);
        for (const QString& name : segments) {
            const QByteArray text = fileBytes(chunked + dir + QLatin1Char('/') + name);
            QCOMPARE(withoutMap(text),
                     withoutMap(fileBytes(single + dir + QLatin1Char('/') + name)));
            if (!fmp4)
                QVERIFY2(text.contains("X-TIMESTAMP-MAP=MPEGTS:" +
                                       QByteArray::number(firstPtsTicks) + ",LOCAL:00:00:00.000"),
                         text.constData());
            allCues += text;
        }
    }
    for (const char* cue : {"Hello from the track", "Second line", "Bonjour", "Fin"})
        QVERIFY2(allCues.contains(cue), cue);
    // The cue across the chunk boundary at 4 s is in both segments it touches, clipped.
    QCOMPARE(allCues.count("\xc3\x87"
                           "a &amp; 3 &lt; 4"),
             2);
}

} // namespace

class ClusterTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

private slots:
    // The keyframe rules themselves at 30000/1001, where time and frame count part: with 1 s
    // GOPs the 34th keyframe is frame 1019 by time (ceil(33.97 x 30)) but 1020 by count.
    void keyframeRules() {
        cluster::KeyframeRule byTime;
        byTime.frameRate = AVRational{30000, 1001};
        byTime.segmentSeconds = 1;
        byTime.gopSeconds = 1;
        QVERIFY(byTime.isKeyframe(0));
        QVERIFY(byTime.isKeyframe(30));
        QVERIFY(!byTime.isKeyframe(29));
        QVERIFY(byTime.isKeyframe(1019));
        QVERIFY(!byTime.isKeyframe(1020));
        cluster::KeyframeRule byCount = byTime;
        byCount.byFrameCount = true;
        byCount.gopFrames = 30;
        QVERIFY(byCount.isKeyframe(1020));
        QVERIFY(!byCount.isKeyframe(1019));
        // 6 s segments of 2 s GOPs: a segment starts on every third keyframe.
        byTime.segmentSeconds = 6;
        byTime.gopSeconds = 2;
        const QVector<int64_t> starts = byTime.segmentStarts(900);
        QCOMPARE(starts.mid(0, 5), (QVector<int64_t>{0, 180, 360, 540, 720}));
    }

    // The plan's segment starts are the ones a one-machine transcode writes, for both keyframe
    // rules and both segment formats; chunks are whole segments covering all of them.
    void startsMatchAOneMachineTranscode_data() {
        QTest::addColumn<int>("codec");
        QTest::addColumn<bool>("fmp4");
        QTest::newRow("h264 ts, gop by time") << int(VideoCodec::H264) << false;
        QTest::newRow("av1 fmp4, gop by frame count") << int(VideoCodec::Av1) << true;
    }

    void startsMatchAOneMachineTranscode() {
        QFETCH(int, codec);
        QFETCH(bool, fmp4);
        const QString source = m_tmp.filePath(QStringLiteral("ntsc.mp4"));
        if (!QFileInfo::exists(source))
            QVERIFY(test::ffmpeg(
                {QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                 QStringLiteral("testsrc2=s=160x90:r=30000/1001"), QStringLiteral("-t"),
                 QStringLiteral("40"), QStringLiteral("-c:v"), QStringLiteral("libx264"),
                 QStringLiteral("-preset"), QStringLiteral("ultrafast"), source}));
        const Ladder ladder =
            tinyLadder(1, VideoCodec(codec), fmp4 ? SegmentFormat::Fmp4 : SegmentFormat::Ts);
        const QString tag = QString::fromLatin1(QTest::currentDataTag()).left(4);
        const QString ladderPath = m_tmp.filePath(tag + QStringLiteral("-ladder.json"));
        QVERIFY(ladder.save(ladderPath).isOk());
        const QString out = m_tmp.filePath(tag + QStringLiteral("-out"));
        const test::ProcessResult made = test::runProcess(
            test::cliPath(), {QStringLiteral("transcode"), source, QStringLiteral("--out"), out,
                              QStringLiteral("--ladder"), ladderPath, QStringLiteral("--progress"),
                              QStringLiteral("none"), QStringLiteral("--no-check")});
        QVERIFY2(made.ok(), made.err.constData());

        const StatusOr<MediaInfo> media = probeFile(source);
        QVERIFY(media.isOk());
        const StatusOr<cluster::ClusterPlan> plan =
            cluster::planChunks(media.value(), out, ladder, 7);
        QVERIFY2(plan.isOk(), qPrintable(plan.status().message()));
        QCOMPARE(plan->keyframes.byFrameCount, VideoCodec(codec) == VideoCodec::Av1);
        QCOMPARE(plan->keyframes.frameRate.num, 30000);

        const QVector<int64_t> made_starts =
            test::probeRung(out + QStringLiteral("/90p/index.m3u8")).startFrames(30000.0 / 1001);
        const QVector<int64_t> planned = plan->keyframes.segmentStarts(plan->frameCount);
        QCOMPARE(planned.size(), made_starts.size());
        QCOMPARE(planned, made_starts);
        QCOMPARE(plan->segmentCount, made_starts.size());

        // Chunks: about 7 s (7 one-second segments), whole segments, each starting on a
        // segment start, together every segment once.
        int next = 0;
        for (const cluster::Chunk& c : plan->chunks) {
            QCOMPARE(c.firstSegment, next);
            QCOMPARE(c.firstFrame, planned[c.firstSegment]);
            QVERIFY(c.segmentCount == 7 || &c == &plan->chunks.constLast());
            next += c.segmentCount;
            QCOMPARE(c.endFrame, next < planned.size() ? planned[next] : int64_t(-1));
        }
        QCOMPARE(next, planned.size());
        QCOMPARE(plan->indexCount(), plan->chunks.size()); // no audio in this source
    }

    // `hlsforge-cli plan` writes plan.json, which reads back the same; an audio source gets
    // one index more (the audio track, last).
    void cliWritesAPlanThatReadsBack() {
        const QString source = m_tmp.filePath(QStringLiteral("with audio.mp4"));
        QVERIFY(test::ffmpeg(
            {QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
             QStringLiteral("testsrc2=s=320x180:r=25"), QStringLiteral("-f"),
             QStringLiteral("lavfi"), QStringLiteral("-i"), QStringLiteral("sine=f=440:r=48000"),
             QStringLiteral("-t"), QStringLiteral("30"), QStringLiteral("-c:v"),
             QStringLiteral("libx264"), QStringLiteral("-preset"), QStringLiteral("ultrafast"),
             QStringLiteral("-c:a"), QStringLiteral("aac"), source}));
        const QString out = m_tmp.filePath(QStringLiteral("planned"));
        const QString subtitleFile = m_tmp.filePath(QStringLiteral("planned.de.srt"));
        {
            QFile f(subtitleFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("1\n00:00:01,000 --> 00:00:02,000\nHallo\n");
        }
        const test::ProcessResult r = test::runProcess(
            test::cliPath(),
            {QStringLiteral("plan"), source, QStringLiteral("--ladder"), QStringLiteral("web"),
             QStringLiteral("--out"), out, QStringLiteral("--chunk-seconds"), QStringLiteral("12"),
             QStringLiteral("--no-thumbnails"), QStringLiteral("--subtitles"),
             subtitleFile + QStringLiteral("::Director's notes")});
        QVERIFY2(r.ok(), r.err.constData());
        QFile file(out + QStringLiteral("/plan.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        const StatusOr<cluster::ClusterPlan> plan = cluster::ClusterPlan::fromJson(json);
        QVERIFY2(plan.isOk(), qPrintable(plan.status().message()));
        QCOMPARE(plan->toJson(), json);
        // web: 6 s segments, so 12 s chunks are two segments: 30 s = 5 segments = 3 chunks.
        QCOMPARE(plan->segmentCount, 5);
        QCOMPARE(plan->chunks.size(), 3);
        QCOMPARE(plan->indexCount(), 4);
        QCOMPARE(plan->audioIndex(), 3);
        // --no-thumbnails is the ladder's; the subtitle file is stored beside plan.json (a
        // worker elsewhere reads it there), its language from its name, its NAME as given.
        QVERIFY(!plan->ladder.thumbnails);
        QCOMPARE(plan->subtitleFiles.size(), 1);
        QCOMPARE(plan->subtitleFiles[0].path, QStringLiteral("inputs/planned.de.srt"));
        QCOMPARE(plan->subtitleFiles[0].languageCode, QStringLiteral("de"));
        QCOMPARE(plan->subtitleFiles[0].name, QStringLiteral("Director's notes"));
        QCOMPARE(fileBytes(out + QStringLiteral("/inputs/planned.de.srt")),
                 fileBytes(subtitleFile));
        // Rungs resolved against the 320x180 source: none larger than it.
        QVERIFY(!plan->rungs.isEmpty());
        for (const ResolvedRendition& rung : plan->rungs)
            QVERIFY(rung.height <= 180);

        // A plan with a gap between chunks is refused, naming the chunk.
        QJsonObject broken = json;
        QJsonArray chunks = broken.value(QStringLiteral("chunks")).toArray();
        QJsonObject second = chunks[1].toObject();
        second[QStringLiteral("firstFrame")] =
            second.value(QStringLiteral("firstFrame")).toInteger() + 1;
        chunks[1] = second;
        broken[QStringLiteral("chunks")] = chunks;
        const StatusOr<cluster::ClusterPlan> refused = cluster::ClusterPlan::fromJson(broken);
        QVERIFY(!refused.isOk());
        QVERIFY2(refused.status().message().contains(QLatin1String("chunk 1")),
                 qPrintable(refused.status().message()));
    }

    // The whole chunked flow, each index a separate process as on a cluster (out of order,
    // one run twice, one killed half-way and run again), against a one-machine transcode of
    // the same ladder: same segments at the same times, every frame once, a clean check.
    void chunkedLadderEqualsAOneMachineLadder_data() {
        QTest::addColumn<bool>("fmp4");
        QTest::newRow("ts") << false;
        QTest::newRow("fmp4") << true;
    }

    void chunkedLadderEqualsAOneMachineLadder() {
        QFETCH(bool, fmp4);
        const QString source = m_tmp.filePath(QStringLiteral("talk.mp4"));
        // The source's own English text track (mov_text) and a French file given with
        // --subtitles, whose second cue spans the 4 s chunk boundary.
        const QString trackSrt = m_tmp.filePath(QStringLiteral("track.srt"));
        const QString frenchSrt = m_tmp.filePath(QStringLiteral("notes.fr.srt"));
        const auto writeText = [](const QString& path, const QByteArray& text) {
            QFile f(path);
            return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
        };
        QVERIFY(writeText(trackSrt, "1\n00:00:01,000 --> 00:00:02,500\nHello from the track\n\n"
                                    "2\n00:00:09,000 --> 00:00:11,000\nSecond line\n"));
        QVERIFY(writeText(frenchSrt, "1\n00:00:00,500 --> 00:00:01,500\nBonjour\n\n"
                                     "2\n00:00:03,500 --> 00:00:04,500\nÇa & 3 &lt; 4\n\n"
                                     "3\n00:00:13,000 --> 00:00:15,000\nFin\n"));
        const QString frenchSpec = frenchSrt + QStringLiteral(":fr:Commentaire");
        if (!QFileInfo::exists(source))
            QVERIFY(test::ffmpeg({QStringLiteral("-f"),
                                  QStringLiteral("lavfi"),
                                  QStringLiteral("-i"),
                                  QStringLiteral("testsrc2=s=320x180:r=25,noise=alls=8:allf=t"),
                                  QStringLiteral("-f"),
                                  QStringLiteral("lavfi"),
                                  QStringLiteral("-i"),
                                  QStringLiteral("sine=f=440:r=44100"),
                                  QStringLiteral("-i"),
                                  trackSrt,
                                  QStringLiteral("-map"),
                                  QStringLiteral("0:v"),
                                  QStringLiteral("-map"),
                                  QStringLiteral("1:a"),
                                  QStringLiteral("-map"),
                                  QStringLiteral("2:s"),
                                  QStringLiteral("-c:s"),
                                  QStringLiteral("mov_text"),
                                  QStringLiteral("-metadata:s:s:0"),
                                  QStringLiteral("language=eng"),
                                  QStringLiteral("-metadata:s:a:0"),
                                  QStringLiteral("language=deu"),
                                  QStringLiteral("-t"),
                                  QStringLiteral("16"),
                                  QStringLiteral("-c:v"),
                                  QStringLiteral("libx264"),
                                  QStringLiteral("-preset"),
                                  QStringLiteral("ultrafast"),
                                  QStringLiteral("-g"),
                                  QStringLiteral("250"),
                                  QStringLiteral("-c:a"),
                                  QStringLiteral("aac"),
                                  source}));
        Ladder ladder =
            tinyLadder(2, VideoCodec::H264, fmp4 ? SegmentFormat::Fmp4 : SegmentFormat::Ts);
        Rendition top = ladder.renditions.first();
        top.name = QStringLiteral("180p");
        top.height = 180;
        top.videoKbps = 400;
        ladder.renditions.prepend(top);
        const QString tag = fmp4 ? QStringLiteral("fmp4") : QStringLiteral("ts");
        const QString ladderPath = m_tmp.filePath(tag + QStringLiteral("-chunk-ladder.json"));
        QVERIFY(ladder.save(ladderPath).isOk());
        const QString single = m_tmp.filePath(tag + QStringLiteral("-single"));
        const QString chunked = m_tmp.filePath(tag + QStringLiteral("-chunked"));
        const QString cli = test::cliPath();
        test::ProcessResult r = test::runProcess(
            cli, {QStringLiteral("transcode"), source, QStringLiteral("--out"), single,
                  QStringLiteral("--ladder"), ladderPath, QStringLiteral("--progress"),
                  QStringLiteral("none"), QStringLiteral("--no-check"),
                  QStringLiteral("--subtitles"), frenchSpec});
        QVERIFY2(r.ok(), r.err.constData());
        r = test::runProcess(cli, {QStringLiteral("plan"), source, QStringLiteral("--ladder"),
                                   ladderPath, QStringLiteral("--out"), chunked,
                                   QStringLiteral("--chunk-seconds"), QStringLiteral("4"),
                                   QStringLiteral("--subtitles"), frenchSpec});
        QVERIFY2(r.ok(), r.err.constData());
        const QString plan = chunked + QStringLiteral("/plan.json");
        const auto encode = [&](int index) {
            return test::runProcess(cli, {QStringLiteral("encode"), QStringLiteral("--plan"), plan,
                                          QStringLiteral("--index"), QString::number(index),
                                          QStringLiteral("--progress"), QStringLiteral("none")});
        };
        // 16 s in 2 s segments, 4 s chunks: indices 0-3, then 4 the audio; out of order, 2
        // twice.
        for (int index : {4, 3, 2, 0, 2}) {
            r = encode(index);
            QVERIFY2(r.ok(), r.err.constData());
        }
        // Assembling now names the one missing index and writes no master.
        r = test::runProcess(cli, {QStringLiteral("assemble"), QStringLiteral("--plan"), plan});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("missing: 1"), r.err.constData());
        QVERIFY(!QFileInfo::exists(chunked + QStringLiteral("/master.m3u8")));
        // Index 1 killed half-way (as a lost machine), then run again.
        QProcess killed;
        killed.start(cli, {QStringLiteral("encode"), QStringLiteral("--plan"), plan,
                           QStringLiteral("--index"), QStringLiteral("1"),
                           QStringLiteral("--progress"), QStringLiteral("json")});
        QVERIFY(killed.waitForStarted());
        // Killed once its engine has started writing (its staging folder exists).
        const auto staging = [&] {
            return QDir(chunked).entryList({QStringLiteral("..chunk-1.hlsforge-staging-*")},
                                           QDir::Dirs | QDir::Hidden);
        };
        while (staging().isEmpty() && killed.state() == QProcess::Running)
            killed.waitForFinished(5);
        QVERIFY2(!staging().isEmpty(), "the worker finished before it could be killed");
        ::kill(pid_t(killed.processId()), SIGKILL);
        QVERIFY(killed.waitForFinished(10000));
        QVERIFY(!QFileInfo::exists(chunked + QStringLiteral("/chunks/chunk-1.json")));
        r = encode(1);
        QVERIFY2(r.ok(), r.err.constData());
        r = test::runProcess(cli, {QStringLiteral("assemble"), QStringLiteral("--plan"), plan});
        QVERIFY2(r.ok(), r.err.constData());
        // Nothing of the workers' own is left beside the ladder.
        QCOMPARE(QDir(chunked).entryList({QStringLiteral(".*chunk*")},
                                         QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList());

        for (const QString& rung : {QStringLiteral("180p"), QStringLiteral("90p")}) {
            const QVector<int64_t> one =
                test::probeRung(single + QLatin1Char('/') + rung + QStringLiteral("/index.m3u8"))
                    .startFrames(25);
            const QVector<int64_t> many =
                test::probeRung(chunked + QLatin1Char('/') + rung + QStringLiteral("/index.m3u8"))
                    .startFrames(25);
            QCOMPARE(many.size(), 8);
            QCOMPARE(many, one);
            if (fmp4) // one init segment for all chunks
                QCOMPARE(QDir(chunked + QLatin1Char('/') + rung)
                             .entryList({QStringLiteral("init*.mp4")}),
                         QStringList{QStringLiteral("init.mp4")});
            // Every frame once: ffmpeg decodes the assembled playlist to the source's 400
            // frames.
            const QJsonObject counted = test::ffprobeJson(
                {QStringLiteral("-count_frames"), QStringLiteral("-select_streams"),
                 QStringLiteral("v"), QStringLiteral("-show_entries"),
                 QStringLiteral("stream=nb_read_frames")},
                chunked + QLatin1Char('/') + rung + QStringLiteral("/index.m3u8"));
            QCOMPARE(counted.value(QStringLiteral("streams"))
                         .toArray()
                         .first()
                         .toObject()
                         .value(QStringLiteral("nb_read_frames"))
                         .toString(),
                     QStringLiteral("400"));
        }
        // The audio: one rendition, encoded once for the whole source (no joins), named by
        // every variant, as long as the video; its rate is in each variant's BANDWIDTH.
        QFile masterFile(chunked + QStringLiteral("/master.m3u8"));
        QVERIFY(masterFile.open(QIODevice::ReadOnly));
        const QByteArray master = masterFile.readAll();
        QVERIFY2(master.contains("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"Main\","
                                 "LANGUAGE=\"de\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\","
                                 "URI=\"audio/index.m3u8\""),
                 master.constData());
        QCOMPARE(master.count("AUDIO=\"audio\""), 2);
        QCOMPARE(master.count("mp4a.40.2"), 2);
        // Decoded by ffmpeg: as long as the one-machine ladder's audio (within one AAC frame).
        const auto decodedSeconds = [](const QString& playlist) {
            const test::ProcessResult pcm = test::runProcess(
                QStringLiteral("ffmpeg"),
                {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-i"), playlist,
                 QStringLiteral("-map"), QStringLiteral("0:a:0"), QStringLiteral("-f"),
                 QStringLiteral("s16le"), QStringLiteral("-ac"), QStringLiteral("1"),
                 QStringLiteral("-ar"), QStringLiteral("48000"), QStringLiteral("-")});
            return pcm.ok() ? pcm.out.size() / 2.0 / 48000 : -1.0;
        };
        const double chunkedAudio = decodedSeconds(chunked + QStringLiteral("/audio/index.m3u8"));
        const double singleAudio = decodedSeconds(single + QStringLiteral("/90p/index.m3u8"));
        QVERIFY2(std::abs(chunkedAudio - singleAudio) < 0.022 && std::abs(chunkedAudio - 16) < 0.1,
                 qPrintable(QStringLiteral("%1 s chunked, %2 s one machine")
                                .arg(chunkedAudio)
                                .arg(singleAudio)));

        compareThumbnailsAndSubtitles(single, chunked, fmp4);
        if (QTest::currentTestFailed())
            return;

        // The poster, as one machine makes it: a JPEG at the top rung's size (read by ffprobe).
        const auto jpegSize = [](const QString& path) {
            const QJsonObject s =
                test::ffprobeJson({QStringLiteral("-show_entries"),
                                   QStringLiteral("stream=codec_name,width,height")},
                                  path)
                    .value(QStringLiteral("streams"))
                    .toArray()
                    .first()
                    .toObject();
            return QStringLiteral("%1 %2x%3")
                .arg(s.value(QStringLiteral("codec_name")).toString())
                .arg(s.value(QStringLiteral("width")).toInt())
                .arg(s.value(QStringLiteral("height")).toInt());
        };
        QCOMPARE(jpegSize(chunked + QStringLiteral("/poster.jpg")),
                 jpegSize(single + QStringLiteral("/poster.jpg")));
        QVERIFY(
            jpegSize(single + QStringLiteral("/poster.jpg")).startsWith(QLatin1String("mjpeg")));

        // The independent checker finds nothing a player would trip on.
        r = test::runProcess(cli, {QStringLiteral("check"), chunked, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.out.constData());
        // And ffmpeg plays the master to the end without an error, picture and sound.
        r = test::runProcess(QStringLiteral("ffmpeg"),
                             {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-i"),
                              chunked + QStringLiteral("/master.m3u8"), QStringLiteral("-map"),
                              QStringLiteral("0:v:0"), QStringLiteral("-map"),
                              QStringLiteral("0:a:0"), QStringLiteral("-f"), QStringLiteral("null"),
                              QStringLiteral("-")});
        QVERIFY2(r.ok() && r.err.isEmpty(), r.err.constData());
    }

    void badInputs() {
        const QString text = m_tmp.filePath(QStringLiteral("notes.mp4"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a video");
        f.close();
        test::ProcessResult r = test::runProcess(
            test::cliPath(), {QStringLiteral("plan"), text, QStringLiteral("--out"),
                              m_tmp.filePath(QStringLiteral("x"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("notes.mp4"), r.err.constData());
        QVERIFY(!QFileInfo::exists(m_tmp.filePath(QStringLiteral("x/plan.json"))));
        r = test::runProcess(test::cliPath(),
                             {QStringLiteral("plan"), text, QStringLiteral("--out"),
                              QStringLiteral("ftp://host/show")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("s3://"), r.err.constData());
        r = test::runProcess(test::cliPath(), {QStringLiteral("plan"), text});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--out"), r.err.constData());
        // A subtitle file that is not there is named; subtitles with a source without audio
        // (no audio index to read them) are refused in words, nothing written.
        r = test::runProcess(test::cliPath(),
                             {QStringLiteral("plan"), text, QStringLiteral("--out"),
                              m_tmp.filePath(QStringLiteral("x")), QStringLiteral("--subtitles"),
                              m_tmp.filePath(QStringLiteral("gone.srt"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("gone.srt: no such file"), r.err.constData());
        const QString silent = m_tmp.filePath(QStringLiteral("silent.mp4"));
        const QString srt = m_tmp.filePath(QStringLiteral("silent.en.srt"));
        QVERIFY(test::makeClip(silent, 2, QStringLiteral("testsrc2=s=160x90:r=25"), QString()));
        QFile s(srt);
        QVERIFY(s.open(QIODevice::WriteOnly));
        s.write("1\n00:00:00,500 --> 00:00:01,000\nHi\n");
        s.close();
        // A subtitle file that does not read is named with its line at plan time, where the
        // user is (a worker's warning would go unread).
        const QString broken = m_tmp.filePath(QStringLiteral("broken.srt"));
        QFile b(broken);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write("1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\nnot a timing line\nTwo\n");
        b.close();
        r = test::runProcess(test::cliPath(),
                             {QStringLiteral("plan"), silent, QStringLiteral("--out"),
                              m_tmp.filePath(QStringLiteral("broken-plan")),
                              QStringLiteral("--subtitles"), broken});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("broken.srt, line 6: expected a timing line"), r.err.constData());
        QVERIFY(!QFileInfo::exists(m_tmp.filePath(QStringLiteral("broken-plan/plan.json"))));
        const QString silentOut = m_tmp.filePath(QStringLiteral("silent-plan"));
        r = test::runProcess(test::cliPath(),
                             {QStringLiteral("plan"), silent, QStringLiteral("--out"), silentOut,
                              QStringLiteral("--subtitles"), srt});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("silent.mp4: no audio track"), r.err.constData());
        QVERIFY(!QFileInfo::exists(silentOut + QStringLiteral("/plan.json")));
    }
};

QTEST_GUILESS_MAIN(ClusterTest)
#include "tst_cluster.moc"
