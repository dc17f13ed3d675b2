// The CODECS strings we write for H.264 and AV1 rungs are the ones browsers accept: headless
// Chromium's MediaSource.isTypeSupported() (what hls.js and video.js ask before choosing a
// variant) says yes to every one, for several sizes, so several levels, and for an HDR AV1
// rung (10-bit, the long form with BT.2020 and the HLG transfer). HEVC is not asked:
// Chromium on Linux has no HEVC decoder, so its answer says nothing about the string.

#include "LadderCheck.h"
#include "TestMedia.h"
#include "ladder/Ladder.h"
#include "transcode/Transcoder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace hlsforge;
using namespace hlsforge::test;

class CodecsBrowserTest : public QObject {
    Q_OBJECT
private slots:
    void chromiumAcceptsEveryCodecsString() {
        if (!QFileInfo(QStringLiteral("/usr/bin/chromium")).isExecutable())
            QSKIP("no /usr/bin/chromium (scripts/install-deps.sh installs it)");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // An HLG source (as a phone writes it), so the ladder can have an HDR AV1 rung too.
        const QString clip = dir.filePath(QStringLiteral("clip.mov"));
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
        request.outputDir = dir.filePath(QStringLiteral("out"));
        request.ladder = l;
        const TranscodeResult result = Transcoder(request).run({}, nullptr);
        QVERIFY2(result.status.isOk(), qPrintable(result.status.message()));

        QStringList types;
        QSet<QString> av1Levels;
        for (const CheckedVariant& v :
             readMaster(request.outputDir + QStringLiteral("/master.m3u8"))) {
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
};

QTEST_MAIN(CodecsBrowserTest)
#include "tst_codecs_browser.moc"
