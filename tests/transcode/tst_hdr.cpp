// HDR rungs ("hdr": true): an HLG and a PQ source (10-bit HEVC as a phone or camera writes
// them) give HEVC and AV1 rungs that keep the source's transfer in 10-bit BT.2020 — read back
// with ffprobe, not our code — with HDR10 metadata on the PQ rungs, VIDEO-RANGE to match in the
// master, CODECS naming the 10-bit profile ffprobe reads, and SDR H.264 rungs in BT.709 beside
// them; the checker finds nothing to fix. On an SDR source the HDR rungs are left out with a
// warning; the ladder rules (HDR only on HEVC/AV1, an SDR rung beside HDR ones) name the field.

#include "LadderCheck.h"
#include "TestMedia.h"
#include "check/LadderCheck.h"
#include "ladder/Ladder.h"
#include "transcode/Transcoder.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace hlsforge;
using namespace hlsforge::test;

namespace {

// A grading monitor's HDR10 metadata: P3-D65 primaries, 1000 cd/m² peak, 0.005 minimum; the
// content reaches 1000 cd/m² (MaxCLL) with a 400 cd/m² brightest frame average (MaxFALL).
const char* kMasterDisplay =
    "master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,50)";

Ladder hdrLadder() {
    Ladder l;
    l.segmentSeconds = 2;
    l.segmentFormat = SegmentFormat::Fmp4;
    l.x264Preset = QStringLiteral("ultrafast");
    l.x265Preset = QStringLiteral("ultrafast");
    l.svtAv1Preset = 12;
    l.audioKbps = 64;
    l.playerPage = false;
    Rendition hevcHdr{QString(), 240, 500, 0};
    hevcHdr.codec = VideoCodec::Hevc;
    hevcHdr.hdr = true;
    Rendition av1Hdr{QString(), 144, 250, 0};
    av1Hdr.codec = VideoCodec::Av1;
    av1Hdr.hdr = true;
    Rendition h264{QString(), 240, 400, 0};
    l.renditions = {hevcHdr, av1Hdr, h264};
    return l;
}

QJsonObject probeVideo(const QString& path) {
    return ffprobeJson({QStringLiteral("-select_streams"), QStringLiteral("v:0"),
                        QStringLiteral("-show_entries"),
                        QStringLiteral("stream=codec_name,profile,level,pix_fmt,color_transfer,"
                                       "color_primaries,color_space")},
                       path)
        .value(QStringLiteral("streams"))
        .toArray()
        .first()
        .toObject();
}

// The side data of the first decoded frame, by type name.
QMap<QString, QJsonObject> firstFrameSideData(const QString& path) {
    const QJsonArray frames =
        ffprobeJson({QStringLiteral("-select_streams"), QStringLiteral("v:0"),
                     QStringLiteral("-read_intervals"), QStringLiteral("%+#1"),
                     QStringLiteral("-show_frames"), QStringLiteral("-show_entries"),
                     QStringLiteral("frame=side_data_list")},
                    path)
            .value(QStringLiteral("frames"))
            .toArray();
    QMap<QString, QJsonObject> out;
    for (const QJsonValue& sd :
         frames.first().toObject().value(QStringLiteral("side_data_list")).toArray())
        out[sd.toObject().value(QStringLiteral("side_data_type")).toString()] = sd.toObject();
    return out;
}

} // namespace

class HdrTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    // 2 s of 426x240 10-bit HEVC with the given transfer in the VUI (and x265 params).
    bool makeHdrSource(const QString& path, const QString& transfer, const QString& x265) {
        QStringList args = {
            QStringLiteral("-f"),   QStringLiteral("lavfi"),
            QStringLiteral("-i"),   QStringLiteral("testsrc2=size=426x240:rate=25"),
            QStringLiteral("-f"),   QStringLiteral("lavfi"),
            QStringLiteral("-i"),   QStringLiteral("sine=frequency=440:sample_rate=48000"),
            QStringLiteral("-t"),   QStringLiteral("2"),
            QStringLiteral("-c:a"), QStringLiteral("aac")};
        args += hdrHevcOutputArgs(transfer, x265);
        args << path;
        return ffmpeg(args);
    }

    TranscodeResult transcode(const QString& source, const QString& out) {
        TranscodeRequest request;
        request.inputPath = source;
        request.outputDir = out;
        request.ladder = hdrLadder();
        return Transcoder(request).run({}, nullptr);
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void hdrSourceKeepsItsRange_data() {
        QTest::addColumn<QString>("transfer");
        QTest::addColumn<QString>("x265");
        QTest::addColumn<QString>("range");
        QTest::newRow("HLG") << "arib-std-b67" << QString() << "HLG";
        QTest::newRow("PQ (HDR10)")
            << "smpte2084"
            << QString::fromLatin1(kMasterDisplay) + QStringLiteral(":max-cll=1000,400") << "PQ";
    }
    void hdrSourceKeepsItsRange() {
        QFETCH(QString, transfer);
        QFETCH(QString, x265);
        QFETCH(QString, range);
        const QString source = m_dir.filePath(range + QStringLiteral(".mov"));
        QVERIFY(makeHdrSource(source, transfer, x265));
        const QString out = m_dir.filePath(QStringLiteral("out-") + range);
        const TranscodeResult result = transcode(source, out);
        QVERIFY2(result.status.isOk(), qPrintable(result.status.message()));
        QCOMPARE(result.renditions.size(), 3);
        QVERIFY2(result.conversions.join(QLatin1Char('\n'))
                     .contains(QStringLiteral("HDR (%1) kept in the HDR rungs").arg(range)),
                 qPrintable(result.conversions.join(QLatin1Char('\n'))));
        QVERIFY2(result.conversions.join(QLatin1Char('\n'))
                     .contains(QStringLiteral("HDR (%1) tone-mapped to SDR BT.709").arg(range)),
                 qPrintable(result.conversions.join(QLatin1Char('\n'))));

        const QVector<CheckedVariant> variants = readMaster(out + QStringLiteral("/master.m3u8"));
        QCOMPARE(variants.size(), 3);
        QMap<QString, double> scoreByUri;
        for (const CheckedVariant& v : variants) {
            const QString video =
                v.attrs.value(QStringLiteral("CODECS")).section(QLatin1Char(','), 0, 0);
            const QString videoRange = v.attrs.value(QStringLiteral("VIDEO-RANGE"));
            scoreByUri[v.uri] = v.attrs.value(QStringLiteral("SCORE")).toDouble();
            const QString dir = out + QLatin1Char('/') + QFileInfo(v.uri).path();
            const CheckedMedia media = readMedia(out + QLatin1Char('/') + v.uri);
            QVERIFY(!media.segments.isEmpty());
            const QString first = standaloneSegment(
                dir, media, media.segments.first(),
                m_dir.filePath(QFileInfo(v.uri).path() + range + QStringLiteral(".mp4")));
            const QJsonObject s = probeVideo(first);
            const QString what = v.uri + QLatin1Char(' ') + video;
            const bool hdrRung = v.uri.contains(QLatin1String("-hdr/"));
            if (hdrRung) {
                QCOMPARE(videoRange, range);
                QCOMPARE(s.value(QStringLiteral("color_transfer")).toString(), transfer);
                QCOMPARE(s.value(QStringLiteral("color_primaries")).toString(),
                         QStringLiteral("bt2020"));
                QCOMPARE(s.value(QStringLiteral("color_space")).toString(),
                         QStringLiteral("bt2020nc"));
                QCOMPARE(s.value(QStringLiteral("pix_fmt")).toString(),
                         QStringLiteral("yuv420p10le"));
                // CODECS names the 10-bit profile the stream has.
                const QString profile = s.value(QStringLiteral("profile")).toString();
                if (s.value(QStringLiteral("codec_name")).toString() == QLatin1String("hevc")) {
                    QCOMPARE(profile, QStringLiteral("Main 10"));
                    QVERIFY2(video.startsWith(QStringLiteral("hvc1.2.4.L%1.")
                                                  .arg(s.value(QStringLiteral("level")).toInt())),
                             qPrintable(what));
                } else {
                    QCOMPARE(s.value(QStringLiteral("codec_name")).toString(),
                             QStringLiteral("av1"));
                    QCOMPARE(profile, QStringLiteral("Main"));
                    // 10-bit, and (the long form, as the colour is not the default BT.709)
                    // 4:2:0, BT.2020 primaries and matrix, the transfer (16 PQ, 18 HLG), limited.
                    const QString tc =
                        range == QLatin1String("PQ") ? QStringLiteral("16") : QStringLiteral("18");
                    QVERIFY2(
                        QRegularExpression(
                            QStringLiteral("^av01\\.0\\.\\d\\dM\\.10\\.0\\.110\\.09\\.%1\\.09\\.0$")
                                .arg(tc))
                            .match(video)
                            .hasMatch(),
                        qPrintable(what));
                }
                // HDR10 metadata where the source has it (PQ here), on the first frame.
                const QMap<QString, QJsonObject> side = firstFrameSideData(first);
                const QJsonObject mastering =
                    side.value(QStringLiteral("Mastering display metadata"));
                const QJsonObject light =
                    side.value(QStringLiteral("Content light level metadata"));
                if (range == QLatin1String("PQ")) {
                    QVERIFY2(!mastering.isEmpty() && !light.isEmpty(), qPrintable(what));
                    const QStringList maxLum =
                        mastering.value(QStringLiteral("max_luminance")).toString().split('/');
                    QCOMPARE(maxLum.size(), 2);
                    QCOMPARE(qRound(maxLum[0].toDouble() / maxLum[1].toDouble()), 1000);
                    const QStringList redX =
                        mastering.value(QStringLiteral("red_x")).toString().split('/');
                    QVERIFY2(qAbs(redX[0].toDouble() / redX[1].toDouble() - 0.68) < 0.001,
                             qPrintable(mastering.value(QStringLiteral("red_x")).toString()));
                    QCOMPARE(light.value(QStringLiteral("max_content")).toInt(), 1000);
                    QCOMPARE(light.value(QStringLiteral("max_average")).toInt(), 400);
                } else {
                    QVERIFY2(mastering.isEmpty(), qPrintable(what)); // none made up
                }
            } else {
                QCOMPARE(videoRange, QStringLiteral("SDR"));
                QVERIFY2(video.startsWith(QLatin1String("avc1.")), qPrintable(what));
                QCOMPARE(s.value(QStringLiteral("color_transfer")).toString(),
                         QStringLiteral("bt709"));
                QCOMPARE(s.value(QStringLiteral("color_primaries")).toString(),
                         QStringLiteral("bt709"));
                QCOMPARE(s.value(QStringLiteral("pix_fmt")).toString(), QStringLiteral("yuv420p"));
            }
        }
        // Same size: HDR HEVC above SDR H.264.
        QVERIFY(scoreByUri.value(QStringLiteral("240p-hevc-hdr/index.m3u8")) >
                scoreByUri.value(QStringLiteral("240p/index.m3u8")));
        // Our own checker (VIDEO-RANGE vs the transfer, CODECS, alignment): nothing to fix.
        const StatusOr<check::CheckReport> report = check::checkLadder(out);
        QVERIFY2(report.isOk(), qPrintable(report.status().message()));
        QVERIFY2(report->passes(), qPrintable(report->toText()));
    }

    void sdrSourceLeavesHdrRungsOut() {
        const QString source = m_dir.filePath(QStringLiteral("sdr.mp4"));
        QVERIFY(makeClip(source, 2, QStringLiteral("testsrc2=size=426x240:rate=25")));
        const QString out = m_dir.filePath(QStringLiteral("out-sdr"));
        const TranscodeResult result = transcode(source, out);
        QVERIFY2(result.status.isOk(), qPrintable(result.status.message()));
        QCOMPARE(result.renditions.size(), 1);
        QCOMPARE(result.renditions.first().name, QStringLiteral("240p"));
        QCOMPARE(result.renditions.first().videoRange, QStringLiteral("SDR"));
        QVERIFY2(result.warnings.join(QLatin1Char('\n'))
                     .contains(QStringLiteral("2 HDR rungs were left out: the source is SDR")),
                 qPrintable(result.warnings.join(QLatin1Char('\n'))));
    }

    void refusedWithTheFieldNamed_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("hdr on h264")
            << QByteArray(R"({"segmentFormat":"fmp4","renditions":[{"height":360,"videoKbps":800},
                 {"height":360,"videoKbps":500,"hdr":true}]})")
            << "renditions[1].hdr: HDR rungs must be HEVC or AV1";
        QTest::newRow("no sdr rung")
            << QByteArray(R"({"segmentFormat":"fmp4","renditions":[
                 {"height":360,"videoKbps":800,"codec":"hevc","hdr":true}]})")
            << "renditions: every rung has \"hdr\": true; add at least one SDR rung";
        QTest::newRow("hdr not a bool")
            << QByteArray(R"({"segmentFormat":"fmp4","renditions":[{"height":360,"videoKbps":800},
                 {"height":360,"videoKbps":500,"codec":"hevc","hdr":"yes"}]})")
            << "renditions[1].hdr: must be true or false";
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
        const StatusOr<Ladder> back = Ladder::fromJson(hdrLadder().toJson());
        QVERIFY2(back.isOk(), qPrintable(back.status().message()));
        QVERIFY(back->renditions[0].hdr);
        QVERIFY(!back->renditions[2].hdr);
        QCOMPARE(back->renditions[0].effectiveName(), QStringLiteral("240p-hevc-hdr"));
        QCOMPARE(back->renditions[1].effectiveName(), QStringLiteral("144p-av1-hdr"));
    }
};

QTEST_MAIN(HdrTest)
#include "tst_hdr.moc"
