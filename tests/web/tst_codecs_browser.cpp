// The CODECS strings we write for H.264 and AV1 rungs are the ones browsers accept: headless
// Chromium's MediaSource.isTypeSupported() (what hls.js and video.js ask before choosing a
// variant) says yes to every one, for several sizes, so several levels, and for an HDR AV1
// rung (10-bit, the long form with BT.2020 and the HLG transfer). HEVC is not asked:
// Chromium on Linux has no HEVC decoder, so its answer says nothing about the string.
// And hls.js (npm, as most sites embed it) plays that multi-codec master in Chromium: it drops
// the HEVC variant the browser cannot decode, picks H.264 or AV1 and plays without a fatal
// error.

#include "LadderCheck.h"
#include "TestMedia.h"
#include "ladder/Ladder.h"
#include "transcode/Transcoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace hlsforge;
using namespace hlsforge::test;

class CodecsBrowserTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_ladder; // the multi-codec ladder's folder

private slots:
    void initTestCase() {
        if (!QFileInfo(QStringLiteral("/usr/bin/chromium")).isExecutable())
            QSKIP("no /usr/bin/chromium (scripts/install-deps.sh installs it)");
        QVERIFY(m_dir.isValid());
        // An HLG source (as a phone writes it), so the ladder can have an HDR AV1 rung too.
        const QString clip = m_dir.filePath(QStringLiteral("clip.mov"));
        QVERIFY(
            ffmpeg(QStringList{QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                               QStringLiteral("testsrc2=size=1280x720:rate=30"),
                               QStringLiteral("-t"), QStringLiteral("2")} +
                   hdrHevcOutputArgs(QStringLiteral("arib-std-b67")) + QStringList{clip}));

        Ladder l;
        l.segmentSeconds = 2;
        l.segmentFormat = SegmentFormat::Fmp4;
        l.x264Preset = QStringLiteral("ultrafast");
        l.x265Preset = QStringLiteral("ultrafast");
        l.svtAv1Preset = 12;
        l.audioKbps = 64;
        for (const auto& [height, kbps, codec] :
             {std::tuple{720, 2000, VideoCodec::H264}, std::tuple{360, 600, VideoCodec::H264},
              std::tuple{720, 1200, VideoCodec::Av1}, std::tuple{360, 400, VideoCodec::Av1},
              std::tuple{144, 100, VideoCodec::Av1}, std::tuple{360, 400, VideoCodec::Hevc}}) {
            Rendition r{QString(), height, kbps, 0};
            r.codec = codec;
            l.renditions.append(r);
        }
        Rendition hdr{QString(), 360, 500, 0};
        hdr.codec = VideoCodec::Av1;
        hdr.hdr = true;
        l.renditions.append(hdr);
        TranscodeRequest request;
        request.inputPath = clip;
        request.outputDir = m_dir.filePath(QStringLiteral("out"));
        request.ladder = l;
        const TranscodeResult result = Transcoder(request).run({}, nullptr);
        QVERIFY2(result.status.isOk(), qPrintable(result.status.message()));
        m_ladder = request.outputDir;
    }

    void chromiumAcceptsEveryCodecsString() {
        QVERIFY(!m_ladder.isEmpty());
        QStringList types;
        QSet<QString> av1Levels;
        for (const CheckedVariant& v : readMaster(m_ladder + QStringLiteral("/master.m3u8"))) {
            const QString codecs = v.attrs.value(QStringLiteral("CODECS"));
            if (codecs.startsWith(QLatin1String("hvc1")))
                continue;
            if (codecs.startsWith(QLatin1String("av01")))
                av1Levels.insert(codecs.section(QLatin1Char('.'), 2, 2));
            types << QStringLiteral("video/mp4; codecs=\"%1\"").arg(codecs);
        }
        QCOMPARE(types.size(), 6);
        QVERIFY2(av1Levels.size() >= 2, "AV1 strings for at least two levels");
        QVERIFY2(types.filter(QStringLiteral("M.10.0.110.09.18.09.0")).size() == 1,
                 qPrintable(types.join(QLatin1Char('\n'))));

        const QString script = qEnvironmentVariable("HLSFORGE_SOURCE_DIR") +
                               QStringLiteral("/tests/web/codecs-supported.mjs");
        const ProcessResult browser =
            runProcess(QStringLiteral("node"), QStringList{script} + types, 120000);
        qInfo().noquote() << browser.out.trimmed();
        const QJsonObject answers = QJsonDocument::fromJson(browser.out.trimmed()).object();
        for (const QString& type : types)
            QVERIFY2(answers.value(type).toBool(),
                     qPrintable(QStringLiteral("Chromium refuses %1\n%2")
                                    .arg(type, QString::fromUtf8(browser.out + browser.err))));
        QVERIFY(browser.ok());
    }

    void hlsJsPlaysTheMultiCodecMaster() {
        QVERIFY(!m_ladder.isEmpty());
        const HlsJsPlayback playback = playWithHlsJs(m_ladder, 1.5);
        QVERIFY2(playback.problem().isEmpty(), qPrintable(playback.problem()));
        const QJsonObject& o = playback.json;
        const QString& report = playback.text;
        // The HEVC variant is dropped (no HEVC decoder in Chromium on Linux); the H.264 and
        // AV1 ones stay.
        QStringList kept;
        for (const QJsonValue& level : o.value(QStringLiteral("levels")).toArray())
            kept << level.toObject().value(QStringLiteral("codecs")).toString();
        QVERIFY2(kept.filter(QStringLiteral("hvc1")).isEmpty(), qPrintable(report));
        QVERIFY2(!kept.filter(QStringLiteral("avc1")).isEmpty(), qPrintable(report));
        QVERIFY2(!kept.filter(QStringLiteral("av01")).isEmpty(), qPrintable(report));
        // What played is a codec the browser decodes.
        const QJsonArray played = o.value(QStringLiteral("playedCodecs")).toArray();
        QVERIFY2(!played.isEmpty(), qPrintable(report));
        for (const QJsonValue& codec : played)
            QVERIFY2(codec.toString().startsWith(QLatin1String("avc1")) ||
                         codec.toString().startsWith(QLatin1String("av01")),
                     qPrintable(report));
    }
};

QTEST_MAIN(CodecsBrowserTest)
#include "tst_codecs_browser.moc"
