// CODECS strings for HEVC and AV1, from hand-worked records (the bytes written out from the
// specifications) and from real encodes by libx265, libsvtav1 and libaom, checked against
// what ffprobe (an independent reader) says of the same stream.

#include "TestMedia.h"
#include "playlist/CodecString.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace hlsforge;

namespace {
QString hevc(std::initializer_list<uint8_t> bytes) {
    const std::vector<uint8_t> v(bytes);
    return hevcCodecString(v.data(), int(v.size()));
}
QString av1(std::initializer_list<uint8_t> bytes) {
    const std::vector<uint8_t> v(bytes);
    return av1CodecString(v.data(), int(v.size()));
}
QString av1(const QByteArray& bytes) {
    return av1CodecString(reinterpret_cast<const uint8_t*>(bytes.constData()), int(bytes.size()));
}
QString hevc(const QByteArray& bytes) {
    return hevcCodecString(reinterpret_cast<const uint8_t*>(bytes.constData()), int(bytes.size()));
}
QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
QJsonObject firstVideoStream(const QString& path) {
    const QJsonObject probe = test::ffprobeJson(
        {QStringLiteral("-select_streams"), QStringLiteral("v:0"), QStringLiteral("-show_entries"),
         QStringLiteral("stream=profile,level,pix_fmt,color_primaries,color_transfer")},
        path);
    return probe.value(QStringLiteral("streams")).toArray().first().toObject();
}
} // namespace

class CodecStringTest : public QObject {
    Q_OBJECT
private slots:
    void hevcFromHandWorkedRecords() {
        // hvcC: version 1; profile_space 0, tier 0, Main 10 (2); compatibility flag 2
        // (0x20000000 → reversed "4"); constraints progressive + non-packed + frame-only
        // (0xB0); level_idc 123 (4.1). Apple's authoring spec writes exactly this one.
        QCOMPARE(hevc({0x01, 0x02, 0x20, 0x00, 0x00, 0x00, 0xB0, 0, 0, 0, 0, 0, 123, 0xF0}),
                 QStringLiteral("hvc1.2.4.L123.B0"));
        // Main (1), high tier, flags 1 and 2 (0x60000000 → "6"), level 5.1 (153).
        QCOMPARE(hevc({0x01, 0x21, 0x60, 0x00, 0x00, 0x00, 0x90, 0, 0, 0, 0, 0, 153, 0xF0}),
                 QStringLiteral("hvc1.1.6.H153.90"));
        // Profile space 1 is written as a letter; a constraint byte after a zero is kept.
        QCOMPARE(hevc({0x01, 0x41, 0x40, 0x00, 0x00, 0x00, 0x90, 0x00, 0x08, 0, 0, 0, 93, 0}),
                 QStringLiteral("hvc1.A1.2.L93.90.0.8"));
        // Annex B: a VPS, then an SPS whose bytes hold emulation prevention (00 00 03):
        // RBSP 01 | 01 40 00 00 00 90 00 00 00 00 00 5D → escaped as below.
        QCOMPARE(hevc({0,    0,    0,    1,    0x40, 0x01, 0x0C, 0x01, 0xFF, //
                       0,    0,    0,    1,    0x42, 0x01, 0x01, 0x01, 0x40, 0x00, 0x00, 0x03, 0x00,
                       0x90, 0x00, 0x00, 0x03, 0x00, 0x00, 0x03, 0x00, 0x5D, 0xA0, 0x02, 0x80}),
                 QStringLiteral("hvc1.1.2.L93.90"));
        QCOMPARE(hevc({0, 0, 0, 1, 0x40, 0x01, 0x0C}), QString()); // no SPS
        QCOMPARE(hevcCodecString(nullptr, 0), QString());
    }

    void av1FromHandWorkedRecords() {
        // av1C without config OBUs: profile 0, seq_level_idx 8 (4.0), main tier, 10-bit, 4:2:0.
        QCOMPARE(av1({0x81, 0x08, 0x4C, 0x00}), QStringLiteral("av01.0.08M.10"));
        // Profile 0, level 13 (5.1), high tier, 8-bit.
        QCOMPARE(av1({0x81, 0x0D, 0x8C, 0x00}), QStringLiteral("av01.0.13H.08"));
        // A reduced still-picture sequence header OBU (type 1, with size): profile 0,
        // still_picture 1, reduced 1, level 31; 16x16 frame; 8-bit, no colour description.
        //   bits: 000 1 1 11111 | 0011 0011 | 1111 1111 | 000 | 000 | 0 0 0 00 | 0 → 1F CC FF C0 00
        QCOMPARE(av1({0x0A, 0x05, 0x1F, 0xCC, 0xFF, 0xC0, 0x00}), QStringLiteral("av01.0.31M.08"));
        QCOMPARE(av1({0x12, 0x00}), QString()); // a temporal delimiter only
        QCOMPARE(av1CodecString(nullptr, 0), QString());
    }

    void hevcFromLibx265MatchesFfprobe_data() {
        QTest::addColumn<QString>("pixFmt");
        QTest::addColumn<QString>("profileIdc");
        QTest::addColumn<QString>("ffprobeProfile");
        QTest::newRow("8-bit") << "yuv420p"
                               << "1"
                               << "Main";
        QTest::newRow("10-bit") << "yuv420p10le"
                                << "2"
                                << "Main 10";
    }
    void hevcFromLibx265MatchesFfprobe() {
        QFETCH(QString, pixFmt);
        QFETCH(QString, profileIdc);
        QFETCH(QString, ffprobeProfile);
        QTemporaryDir dir;
        const QString raw = dir.filePath(QStringLiteral("clip.hevc"));
        QVERIFY(test::ffmpeg({"-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-t", "0.4",
                              "-pix_fmt", pixFmt, "-c:v", "libx265", "-preset", "ultrafast",
                              "-x265-params", "log-level=error", "-f", "hevc", raw}));
        const QString codecs = hevc(readAll(raw));
        const QJsonObject stream = firstVideoStream(raw);
        QCOMPARE(stream.value(QStringLiteral("profile")).toString(), ffprobeProfile);
        const QString level = QString::number(stream.value(QStringLiteral("level")).toInt());
        // Main's stream also sets compatibility flag 2 (a Main stream is Main 10 decodable).
        const QString flags =
            profileIdc == QLatin1String("1") ? QStringLiteral("6") : QStringLiteral("4");
        QVERIFY2(codecs.startsWith(QStringLiteral("hvc1.%1.%2.L%3.").arg(profileIdc, flags, level)),
                 qPrintable(codecs + QStringLiteral(" level ") + level));
    }

    void av1FromEncodersMatchesFfprobe_data() {
        QTest::addColumn<QString>("encoder");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("expectedTail");
        // SDR BT.709 8-bit: the short form.
        QTest::newRow("svt-av1 8-bit")
            << "libsvtav1" << QStringList{"-pix_fmt", "yuv420p", "-preset", "12"} << "M.08";
        // PQ HDR 10-bit: the long form with BT.2020 primaries (9), PQ (16), BT.2020 NCL (9).
        QTest::newRow("svt-av1 PQ 10-bit")
            << "libsvtav1"
            << QStringList{"-pix_fmt",         "yuv420p10le", "-preset",    "12",
                           "-color_primaries", "bt2020",      "-color_trc", "smpte2084",
                           "-colorspace",      "bt2020nc"}
            << "M.10.0.110.09.16.09.0";
        QTest::newRow("aom 8-bit")
            << "libaom-av1" << QStringList{"-pix_fmt", "yuv420p", "-cpu-used", "8", "-row-mt", "1"}
            << "M.08";
    }
    void av1FromEncodersMatchesFfprobe() {
        QFETCH(QString, encoder);
        QFETCH(QStringList, options);
        QFETCH(QString, expectedTail);
        QTemporaryDir dir;
        const QString raw = dir.filePath(QStringLiteral("clip.obu"));
        QStringList args{"-f", "lavfi", "-i",   "testsrc2=size=320x180:rate=25",
                         "-t", "0.2",   "-c:v", encoder};
        args << options << QStringList{"-f", "obu", raw};
        QVERIFY(test::ffmpeg(args));
        const QString codecs = av1(readAll(raw));
        QCOMPARE(firstVideoStream(raw).value(QStringLiteral("profile")).toString(),
                 QStringLiteral("Main")); // profile 0
        QVERIFY2(codecs.startsWith(QStringLiteral("av01.0.")), qPrintable(codecs));
        QVERIFY2(codecs.endsWith(expectedTail), qPrintable(codecs));
        // seq_level_idx: two digits, a level these encoders pick for 320x180 (2.0 to 3.1).
        const int level = codecs.mid(7, 2).toInt();
        QVERIFY2(level >= 0 && level <= 5, qPrintable(codecs));
    }
};

QTEST_MAIN(CodecStringTest)
#include "tst_codecstring.moc"
