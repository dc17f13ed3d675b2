// HEVC and AV1 rungs beside H.264 in one ladder, from one decode: every segment of every rung
// starts on a keyframe and the cuts line up across codecs, CODECS says what ffprobe reads from
// the streams, HEVC is written with the `hvc1` sample entry, the master orders the variants
// with SCORE, and GStreamer (an independent player) plays the HEVC and AV1 rungs to the end.

#include "LadderCheck.h"
#include "TestMedia.h"
#include "ladder/Ladder.h"
#include "transcode/Transcoder.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace hlsforge;
using namespace hlsforge::test;

namespace {

Ladder codecLadder() {
    Ladder l;
    l.segmentSeconds = 2;
    l.segmentFormat = SegmentFormat::Fmp4;
    // veryfast, not ultrafast: B-frames (a reorder delay) in H.264 as in HEVC, not in AV1.
    l.x264Preset = QStringLiteral("veryfast");
    l.x265Preset = QStringLiteral("ultrafast");
    l.svtAv1Preset = 12;
    l.audioKbps = 64;
    Rendition h264{QString(), 240, 400, 0};
    Rendition hevc{QString(), 240, 250, 0};
    hevc.codec = VideoCodec::Hevc;
    Rendition av1{QString(), 240, 200, 0};
    av1.codec = VideoCodec::Av1;
    Rendition av1Small{QString(), 144, 100, 0};
    av1Small.codec = VideoCodec::Av1;
    l.renditions = {h264, hevc, av1, av1Small};
    return l;
}

QJsonObject probeStream(const QString& path) {
    return ffprobeJson({QStringLiteral("-select_streams"), QStringLiteral("v:0"),
                        QStringLiteral("-show_entries"),
                        QStringLiteral("stream=codec_name,codec_tag_string,profile,level,pix_fmt")},
                       path)
        .value(QStringLiteral("streams"))
        .toArray()
        .first()
        .toObject();
}

} // namespace

class CodecsTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void mixedLadder_data() {
        QTest::addColumn<QString>("rate");
        QTest::addColumn<double>("seconds");
        QTest::newRow("25 fps") << "25" << 6.0;
        // 2 s is 59.94 frames: with AV1 in the ladder every rung cuts every 60 frames. Cutting
        // H.264/HEVC at 2 s boundaries instead drifts one frame from AV1's cuts from 34 s on (the
        // cut at 36 s).
        QTest::newRow("29.97 fps") << "30000/1001" << 40.0;
    }
    void mixedLadder() {
        QFETCH(QString, rate);
        QFETCH(double, seconds);
        const QString tag = QString(QTest::currentDataTag()).section(QLatin1Char(' '), 0, 0);
        const QString clip = m_dir.filePath(QStringLiteral("clip-%1.mp4").arg(tag));
        QVERIFY(makeClip(clip, seconds, QStringLiteral("testsrc2=size=426x240:rate=") + rate));
        const QString out = m_dir.filePath(QStringLiteral("out-") + tag);

        TranscodeRequest request;
        request.inputPath = clip;
        request.outputDir = out;
        request.ladder = codecLadder();
        const TranscodeResult result = Transcoder(request).run({}, nullptr);
        QVERIFY2(result.status.isOk(), qPrintable(result.status.message()));
        QCOMPARE(result.renditions.size(), 4);

        const QVector<CheckedVariant> variants = readMaster(out + QStringLiteral("/master.m3u8"));
        QCOMPARE(variants.size(), 4);
        QMap<QString, double> scoreByUri;
        QMap<QString, double> firstPtsByUri;
        QVector<QVector<double>> cutsPerRung;
        for (const CheckedVariant& v : variants) {
            const QString codecs = v.attrs.value(QStringLiteral("CODECS"));
            const QString video = codecs.section(QLatin1Char(','), 0, 0);
            QCOMPARE(codecs.section(QLatin1Char(','), 1), QStringLiteral("mp4a.40.2"));
            QCOMPARE(v.attrs.value(QStringLiteral("VIDEO-RANGE")), QStringLiteral("SDR"));
            QVERIFY(v.attrs.contains(QStringLiteral("FRAME-RATE")));
            scoreByUri[v.uri] = v.attrs.value(QStringLiteral("SCORE")).toDouble();

            const QString dir = out + QLatin1Char('/') + QFileInfo(v.uri).path();
            const CheckedMedia media = readMedia(out + QLatin1Char('/') + v.uri);
            QVERIFY2(!media.mapFile.isEmpty(), "fMP4: an EXT-X-MAP init section");
            QVERIFY(media.segments.size() >= 3);
            QVector<double> cuts;
            double t = 0;
            double peak = 0;
            qint64 bytesTotal = 0;
            for (int i = 0; i < media.segments.size(); ++i) {
                const QString standalone =
                    standaloneSegment(dir, media, media.segments[i],
                                      m_dir.filePath(QStringLiteral("seg-%1.mp4").arg(i)));
                const QJsonArray packets = ffprobeVideoPackets(standalone);
                QVERIFY(!packets.isEmpty());
                QVERIFY2(packets.first()
                             .toObject()
                             .value(QStringLiteral("flags"))
                             .toString()
                             .startsWith(QLatin1Char('K')),
                         qPrintable(QStringLiteral("%1 segment %2 starts without a keyframe")
                                        .arg(v.uri)
                                        .arg(i)));
                if (i == 0) {
                    // When the rung's first frame presents (init + first segment, as a player
                    // starting this rung reads it): the lowest PTS of the segment.
                    double firstPts = 1e9;
                    for (const QJsonValue& p : packets)
                        firstPts = std::min(
                            firstPts,
                            p.toObject().value(QStringLiteral("pts_time")).toString().toDouble());
                    firstPtsByUri[v.uri] = firstPts;
                    // What the stream really is, read by ffprobe, against what CODECS says.
                    const QJsonObject s = probeStream(standalone);
                    const QString profile = s.value(QStringLiteral("profile")).toString();
                    const int level = s.value(QStringLiteral("level")).toInt();
                    const QString codecName = s.value(QStringLiteral("codec_name")).toString();
                    if (video.startsWith(QLatin1String("hvc1"))) {
                        QCOMPARE(codecName, QStringLiteral("hevc"));
                        QCOMPARE(s.value(QStringLiteral("codec_tag_string")).toString(),
                                 QStringLiteral("hvc1")); // not hev1: Apple plays only hvc1
                        QCOMPARE(profile, QStringLiteral("Main"));
                        QVERIFY2(video.startsWith(QStringLiteral("hvc1.1.6.L%1.").arg(level)),
                                 qPrintable(video));
                    } else if (video.startsWith(QLatin1String("av01"))) {
                        QCOMPARE(codecName, QStringLiteral("av1"));
                        QCOMPARE(s.value(QStringLiteral("codec_tag_string")).toString(),
                                 QStringLiteral("av01"));
                        QCOMPARE(profile, QStringLiteral("Main"));
                        QCOMPARE(s.value(QStringLiteral("pix_fmt")).toString(),
                                 QStringLiteral("yuv420p"));
                        QVERIFY2(QRegularExpression(QStringLiteral("^av01\\.0\\.\\d\\dM\\.08$"))
                                     .match(video)
                                     .hasMatch(),
                                 qPrintable(video));
                    } else {
                        QCOMPARE(codecName, QStringLiteral("h264"));
                        QVERIFY2(video.startsWith(QLatin1String("avc1.")), qPrintable(video));
                        QCOMPARE(video.right(2).toInt(nullptr, 16), level);
                    }
                }
                t += media.segments[i].extinf;
                cuts.append(t);
                const qint64 bytes = segmentBytes(dir, media.segments[i]);
                bytesTotal += bytes;
                const bool shortLast =
                    i == media.segments.size() - 1 && media.segments[i].extinf < 0.5;
                if (!shortLast)
                    peak = std::max(peak, bytes * 8.0 / media.segments[i].extinf);
            }
            // BANDWIDTH is the measured peak segment rate (not below, at most 10 % above);
            // AVERAGE-BANDWIDTH within 10 % of the measured average, for every codec.
            const double bandwidth = v.attrs.value(QStringLiteral("BANDWIDTH")).toDouble();
            QVERIFY2(bandwidth >= peak - 1 && bandwidth <= peak * 1.10,
                     qPrintable(QStringLiteral("%1: BANDWIDTH %2 vs measured peak %3")
                                    .arg(v.uri)
                                    .arg(bandwidth)
                                    .arg(peak)));
            const double average = bytesTotal * 8.0 / media.total();
            const double declaredAverage =
                v.attrs.value(QStringLiteral("AVERAGE-BANDWIDTH")).toDouble();
            QVERIFY2(std::fabs(declaredAverage - average) <= average * 0.10,
                     qPrintable(QStringLiteral("%1: AVERAGE-BANDWIDTH %2 vs measured %3")
                                    .arg(v.uri)
                                    .arg(declaredAverage)
                                    .arg(average)));
            // All of the clip, within a frame.
            QVERIFY2(qAbs(media.total() - seconds) < 0.05,
                     qPrintable(QString::number(media.total())));
            cutsPerRung.append(cuts);
        }
        // Every rung of every codec cuts at the same instants (within a millisecond).
        for (int r = 1; r < cutsPerRung.size(); ++r) {
            QCOMPARE(cutsPerRung[r].size(), cutsPerRung[0].size());
            for (int i = 0; i < cutsPerRung[r].size(); ++i)
                QVERIFY2(qAbs(cutsPerRung[r][i] - cutsPerRung[0][i]) < 0.001,
                         qPrintable(QStringLiteral("rung %1 cut %2: %3 vs %4")
                                        .arg(r)
                                        .arg(i)
                                        .arg(cutsPerRung[r][i])
                                        .arg(cutsPerRung[0][i])));
        }
        // Every codec's first frame presents at 0: x264 and x265 reorder (B-frames) and
        // SVT-AV1 does not, which once left the H.264/HEVC rungs presenting 2 frames later
        // than the AV1 rungs (the checker's segments-aligned finding on web-av1).
        for (auto it = firstPtsByUri.cbegin(); it != firstPtsByUri.cend(); ++it)
            QVERIFY2(qAbs(it.value()) < 0.001,
                     qPrintable(QStringLiteral("%1: first frame presents at %2 s")
                                    .arg(it.key())
                                    .arg(it.value(), 0, 'f', 3)));
        if (rate == QLatin1String("30000/1001"))
            QVERIFY2(qAbs(cutsPerRung[0][0] - 2.002) < 0.001,
                     qPrintable(QString::number(cutsPerRung[0][0])));
        // Same size: AV1 over HEVC over H.264; a larger picture over a smaller one.
        QVERIFY(scoreByUri.value(QStringLiteral("240p-av1/index.m3u8")) >
                scoreByUri.value(QStringLiteral("240p-hevc/index.m3u8")));
        QVERIFY(scoreByUri.value(QStringLiteral("240p-hevc/index.m3u8")) >
                scoreByUri.value(QStringLiteral("240p/index.m3u8")));
        QVERIFY(scoreByUri.value(QStringLiteral("240p/index.m3u8")) >
                scoreByUri.value(QStringLiteral("144p-av1/index.m3u8")));
        // I-frame playlists for every video rung.
        QVector<QMap<QString, QString>> iframes;
        readMaster(out + QStringLiteral("/master.m3u8"), &iframes);
        QCOMPARE(iframes.size(), 4);

        if (rate == QLatin1String("25")) {
            // GStreamer's own HLS demuxer and decoders (avdec_h265, av1dec) play them to the end.
            for (const QString& rung : {QStringLiteral("240p-hevc"), QStringLiteral("240p-av1")}) {
                const QString uri = QUrl::fromLocalFile(out + QLatin1Char('/') + rung +
                                                        QStringLiteral("/index.m3u8"))
                                        .toString();
                const ProcessResult played = runProcess(
                    QStringLiteral("gst-launch-1.0"),
                    {QStringLiteral("-q"), QStringLiteral("playbin"), QStringLiteral("uri=") + uri,
                     QStringLiteral("video-sink=fakesink sync=false"),
                     QStringLiteral("audio-sink=fakesink sync=false")},
                    120000);
                QVERIFY2(played.exitCode == 0,
                         qPrintable(rung + QLatin1Char(' ') +
                                    QString::fromUtf8(played.err + played.out)));
            }
        }
    }

    void refusedWithTheFieldNamed_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("hevc in ts")
            << QByteArray(R"({"segmentFormat":"ts","renditions":[{"height":360,"videoKbps":800},
                 {"height":360,"videoKbps":500,"codec":"hevc"}]})")
            << "renditions[1].codec: HEVC needs fMP4 segments";
        QTest::newRow("unknown codec")
            << QByteArray(
                   R"({"segmentFormat":"fmp4","renditions":[{"height":360,"videoKbps":800,"codec":"vp9"}]})")
            << "renditions[0].codec: unknown codec \"vp9\" (one of h264, hevc, av1)";
        QTest::newRow("svt preset")
            << QByteArray(
                   R"({"svtAv1Preset":20,"segmentFormat":"fmp4","renditions":[{"height":360,"videoKbps":800,"codec":"av1"}]})")
            << "svtAv1Preset: must be between 0 (slowest) and 13 (fastest) (got 20)";
        QTest::newRow("x265 preset")
            << QByteArray(
                   R"({"x265Preset":"quick","segmentFormat":"fmp4","renditions":[{"height":360,"videoKbps":800,"codec":"hevc"}]})")
            << "x265Preset: unknown preset \"quick\"";
    }
    void refusedWithTheFieldNamed() {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const StatusOr<Ladder> ladder = Ladder::fromJsonBytes(json, QStringLiteral("l.json"));
        QVERIFY(!ladder.isOk());
        QVERIFY2(ladder.status().message().startsWith(QStringLiteral("l.json: ") + message),
                 qPrintable(ladder.status().message()));
    }

    void jsonRoundTrip() {
        const Ladder l = codecLadder();
        const StatusOr<Ladder> back = Ladder::fromJson(l.toJson());
        QVERIFY2(back.isOk(), qPrintable(back.status().message()));
        QCOMPARE(back->renditions.size(), 4);
        QCOMPARE(int(back->renditions[1].codec), int(VideoCodec::Hevc));
        QCOMPARE(back->renditions[1].effectiveName(), QStringLiteral("240p-hevc"));
        QCOMPARE(back->svtAv1Preset, 12);
        QCOMPARE(back->x265Preset, QStringLiteral("ultrafast"));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(CodecsTest)
#include "tst_codecs.moc"
