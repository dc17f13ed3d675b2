// core/subtitles: reading sidecar files (SRT and WebVTT, UTF-8 with and without BOM,
// Windows-1252), the message for broken timing (file and line), ISO 639 -> BCP 47, sidecar
// names, and segmented WebVTT (every cue inside its segment's time range, & < > escaped,
// X-TIMESTAMP-MAP for TS).

#include "subtitles/CueDecoder.h"
#include "subtitles/Language.h"
#include "subtitles/SubtitleFile.h"
#include "subtitles/SubtitleRendition.h"
#include "subtitles/SubtitleSources.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge;
using namespace hlsforge::subtitles;

namespace {
QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(bytes);
    return path;
}
} // namespace

class SubtitlesTest : public QObject {
    Q_OBJECT
private slots:
    void srtAndVtt_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("firstText");
        QTest::addColumn<qint64>("firstStart");
        QTest::addColumn<qint64>("firstEnd");
        QTest::addColumn<int>("count");
        QTest::newRow("srt") << QByteArray(
                                    "1\n00:00:01,000 --> 00:00:02,500\nHello <i>world</i>\n\n"
                                    "2\n00:00:03,000 --> 00:00:04,000\nTwo\nlines\n")
                             << "Hello world" << qint64(1000) << qint64(2500) << 2;
        QTest::newRow("srt crlf bom")
            << QByteArray("\xEF\xBB\xBF"
                          "1\r\n00:00:01,000 --> 00:00:02,000\r\ncafé\r\n\r\n")
            << QString::fromUtf8("café") << qint64(1000) << qint64(2000) << 1;
        QTest::newRow("vtt") << QByteArray("WEBVTT\n\nNOTE a comment\n\nid1\n00:01.500 --> "
                                           "00:02.000 align:start\n<b>Bold</b> &amp; more\n")
                             << "Bold & more" << qint64(1500) << qint64(2000) << 1;
        // Windows-1252: é is 0xE9, the euro sign 0x80; not valid UTF-8.
        QTest::newRow("windows-1252")
            << QByteArray("1\n00:00:00,500 --> 00:00:01,000\ncaf\xE9 \x80"
                          "5\n")
            << QString::fromUtf8("café €5") << qint64(500) << qint64(1000) << 1;
    }
    void srtAndVtt() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, firstText);
        QFETCH(qint64, firstStart);
        QFETCH(qint64, firstEnd);
        QFETCH(int, count);
        QTemporaryDir dir;
        const QString path = write(dir, QStringLiteral("talk.fr.srt"), bytes);
        StatusOr<QVector<Cue>> cues = readSubtitleFile(path);
        QVERIFY2(cues.isOk(), qPrintable(cues.status().message()));
        QCOMPARE(cues->size(), count);
        QCOMPARE(cues->first().text, firstText);
        QCOMPARE(cues->first().startMs, firstStart);
        QCOMPARE(cues->first().endMs, firstEnd);
    }

    void windows1252IsDetected() {
        QString encoding;
        QCOMPARE(decodeSubtitleText("caf\xE9", &encoding), QString::fromUtf8("café"));
        QCOMPARE(encoding, QStringLiteral("Windows-1252"));
        QCOMPARE(decodeSubtitleText("caf\xC3\xA9", &encoding), QString::fromUtf8("café"));
        QCOMPARE(encoding, QStringLiteral("UTF-8"));
    }

    void brokenTimingNamesFileAndLine_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("line");
        QTest::newRow("garbled") << QByteArray("1\n00:00:01,000 --> 00:00:02,000\nok\n\n"
                                               "2\n00:00:0x,000 --> 00:00:04,000\nbad\n")
                                 << 6;
        QTest::newRow("ends before start")
            << QByteArray("1\n00:00:05,000 --> 00:00:02,000\nbackwards\n") << 2;
        QTest::newRow("no timing") << QByteArray("1\nHello\n") << 2;
    }
    void brokenTimingNamesFileAndLine() {
        QFETCH(QByteArray, bytes);
        QFETCH(int, line);
        QTemporaryDir dir;
        const QString path = write(dir, QStringLiteral("broken.de.srt"), bytes);
        StatusOr<QVector<Cue>> cues = readSubtitleFile(path);
        QVERIFY(!cues.isOk());
        const QString message = cues.status().message();
        QVERIFY2(message.startsWith(QStringLiteral("broken.de.srt, line %1: ").arg(line)),
                 qPrintable(message));
    }

    void timestamps() {
        QCOMPARE(parseCueTimestamp(u"01:02:03,456"), 3723456);
        QCOMPARE(parseCueTimestamp(u"02:03.4"), 123400);
        QCOMPARE(parseCueTimestamp(u"00:61:00,000"), -1);
        QCOMPARE(parseCueTimestamp(u"abc"), -1);
        QCOMPARE(vttTimestamp(3723456), QStringLiteral("01:02:03.456"));
    }

    void languages_data() {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("bcp47");
        QTest::addColumn<bool>("warns");
        QTest::newRow("eng") << "eng"
                             << "en" << false;
        QTest::newRow("deu") << "deu"
                             << "de" << false;
        QTest::newRow("ger") << "ger"
                             << "de" << false;
        QTest::newRow("fre") << "fre"
                             << "fr" << false;
        QTest::newRow("fra") << "fra"
                             << "fr" << false;
        QTest::newRow("fr") << "fr"
                            << "fr" << false;
        QTest::newRow("pt-BR") << "pt-BR"
                               << "pt-BR" << false;
        QTest::newRow("empty") << ""
                               << "und" << false;
        QTest::newRow("und") << "und"
                             << "und" << false;
        QTest::newRow("xx") << "xx"
                            << "und" << true;
        QTest::newRow("qqq") << "qqq"
                             << "und" << true;
    }
    void languages() {
        QFETCH(QString, code);
        QFETCH(QString, bcp47);
        QFETCH(bool, warns);
        const LanguageTag tag = toBcp47(code, QStringLiteral("talk.xx.srt"));
        QCOMPARE(tag.bcp47, bcp47);
        QCOMPARE(!tag.warning.isEmpty(), warns);
        if (warns)
            QVERIFY(tag.warning.contains(QStringLiteral("talk.xx.srt")) &&
                    tag.warning.contains(QLatin1Char('"') + code + QLatin1Char('"')));
    }

    void languageNames() {
        QCOMPARE(languageDisplayName(QStringLiteral("en")), QStringLiteral("English"));
        QCOMPARE(languageDisplayName(QStringLiteral("fr")), QString::fromUtf8("Français"));
        QCOMPARE(languageDisplayName(QStringLiteral("de")), QStringLiteral("Deutsch"));
    }

    void sidecarsAndSpecs() {
        QTemporaryDir dir;
        for (const char* name : {"talk.mp4", "talk.fr.srt", "talk.en.forced.vtt", "talk.srt",
                                 "talk.part2.fr.srt", "other.de.srt", "talk.de.txt"})
            write(dir, QString::fromLatin1(name), "x");
        const QVector<SubtitleInput> found = findSidecars(dir.filePath(QStringLiteral("talk.mp4")));
        QStringList names;
        for (const SubtitleInput& in : found)
            names << QFileInfo(in.path).fileName() + QLatin1Char('=') + in.languageCode +
                         (in.forced ? QStringLiteral("+forced") : QString());
        QCOMPARE(names,
                 (QStringList{"talk.en.forced.vtt=en+forced", "talk.fr.srt=fr", "talk.srt="}));

        SubtitleInput in = parseSubtitleSpec(QStringLiteral("/x/talk.srt:deu:Deutsch (SDH)"));
        QCOMPARE(in.path, QStringLiteral("/x/talk.srt"));
        QCOMPARE(in.languageCode, QStringLiteral("deu"));
        QCOMPARE(in.name, QStringLiteral("Deutsch (SDH)"));
        in = parseSubtitleSpec(QStringLiteral("C:\\subs\\talk.es.srt"));
        QCOMPARE(in.path, QStringLiteral("C:\\subs\\talk.es.srt"));
        QCOMPARE(in.languageCode, QStringLiteral("es"));
    }

    void assMarkup() {
        QCOMPARE(stripAssMarkup(QStringLiteral("{\\i1}Hello{\\i0}\\Nthere")),
                 QStringLiteral("Hello\nthere"));
        QCOMPARE(stripAssMarkup(QStringLiteral("{\\an8}{\\pos(10,10)}Top")), QStringLiteral("Top"));
    }

    // Segments of 2 s, 2 s, 1.5 s; a cue across the first boundary appears in both segments,
    // clipped; every cue lies inside its segment; & < > are escaped; TS gets the timestamp map.
    void segmentation() {
        Track track;
        track.cues = {{500, 1500, QStringLiteral("first")},
                      {1800, 2600, QStringLiteral("a < b & c > d")},
                      {4900, 9000, QStringLiteral("last")}};
        RenditionLayout layout;
        layout.videoSegments = {{QStringLiteral("s0.ts"), 2.0, -1, 0, 0.0},
                                {QStringLiteral("s1.ts"), 2.0, -1, 0, 2.0},
                                {QStringLiteral("s2.ts"), 1.5, -1, 0, 4.0}};
        layout.targetDurationSeconds = 2;
        layout.mpegtsStartTicks = 126000;
        const QByteArray seg0 = segmentText(track, layout, 0);
        const QByteArray seg1 = segmentText(track, layout, 1);
        const QByteArray seg2 = segmentText(track, layout, 2);
        QVERIFY(seg0.startsWith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000\n\n"));
        QVERIFY(seg0.contains("00:00:00.500 --> 00:00:01.500\nfirst\n"));
        QVERIFY(seg0.contains("00:00:01.800 --> 00:00:02.000\na &lt; b &amp; c &gt; d\n"));
        QVERIFY(seg1.contains("00:00:02.000 --> 00:00:02.600\na &lt; b &amp; c &gt; d\n"));
        QVERIFY(!seg1.contains("first"));
        QVERIFY(seg2.contains("00:00:04.900 --> 00:00:05.500\nlast\n"));
        // Every cue time inside its segment's range.
        const QRegularExpression timing(QStringLiteral("(\\S+) --> (\\S+)"));
        const QByteArray segs[] = {seg0, seg1, seg2};
        for (int i = 0; i < 3; ++i) {
            auto it = timing.globalMatch(QString::fromUtf8(segs[i]));
            while (it.hasNext()) {
                const auto m = it.next();
                const qint64 from = parseCueTimestamp(m.captured(1));
                const qint64 to = parseCueTimestamp(m.captured(2));
                const qint64 segStart = qint64(layout.videoSegments[i].startSeconds * 1000);
                const qint64 segEnd =
                    segStart + qint64(layout.videoSegments[i].durationSeconds * 1000);
                QVERIFY(from >= segStart && to <= segEnd && from < to);
            }
        }
        // fMP4: no timestamp map.
        layout.mpegtsStartTicks = -1;
        QVERIFY(!segmentText(track, layout, 0).contains("X-TIMESTAMP-MAP"));

        QTemporaryDir dir;
        QVERIFY(writeSubtitleRendition(track, layout, dir.filePath(QStringLiteral("fr"))).isOk());
        StatusOr<MediaPlaylist> p =
            MediaPlaylist::load(dir.filePath(QStringLiteral("fr/index.m3u8")));
        QVERIFY(p.isOk());
        QCOMPARE(p->segments.size(), 3);
        QCOMPARE(p->totalSeconds(), 5.5);
        QCOMPARE(p->segments[2].uri, QStringLiteral("seg_2.vtt"));
        QVERIFY(p->endList);
    }
};

QTEST_GUILESS_MAIN(SubtitlesTest)
#include "tst_subtitles.moc"
