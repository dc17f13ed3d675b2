// Whole ladders with subtitles (hlsforge-cli transcode): an MP4 with a mov_text track tagged
// "eng" plus a Windows-1252 sidecar talk.fr.srt (TS segments), an MKV with an ASS track tagged
// "deu" (fMP4 segments), and bad input (a sidecar with broken timing, an unknown language
// code). Checked as a user would: the master's groups, languages, names and defaults; every
// segment is WebVTT whose cues lie inside its segment; the subtitle playlists' EXTINF add up to
// the video's; X-TIMESTAMP-MAP matches the TS video's first PTS (read by ffprobe); and ffmpeg,
// an independent reader, reads the subtitle playlists back with the right text.

#include "TestMedia.h"

#include "playlist/MasterPlaylist.h"
#include "playlist/MediaPlaylist.h"
#include "subtitles/SubtitleFile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace hlsforge;
using namespace hlsforge::test;

namespace {

bool writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class SubtitleLadderTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_ladder;

    QString path(const QString& name) const { return m_dir.filePath(name); }

    // Runs the CLI; returns the one result object (empty on failure, with the reason logged).
    QJsonObject transcode(const QStringList& args) {
        const ProcessResult r = runProcess(
            cliPath(), QStringList{QStringLiteral("transcode")} + args +
                           QStringList{QStringLiteral("--ladder"), m_ladder,
                                       QStringLiteral("--json"), QStringLiteral("--no-check")});
        if (!r.ok()) {
            qWarning() << r.err;
            return {};
        }
        return QJsonDocument::fromJson(r.out).array().first().toObject();
    }

    // The checks every subtitle rendition of a ladder passes; returns the cue texts per
    // playlist URI (joined).
    QHash<QString, QString> checkRenditions(const QString& out, bool ts) {
        QHash<QString, QString> texts;
        StatusOr<MasterPlaylist> master =
            MasterPlaylist::load(out + QStringLiteral("/master.m3u8"));
        if (!master.isOk())
            return texts;
        StatusOr<MediaPlaylist> video =
            MediaPlaylist::load(out + QLatin1Char('/') + master->variants.first().uri);
        [&] { QVERIFY(video.isOk()); }();
        for (const VariantStream& v : master->variants)
            [&] { QCOMPARE(v.subtitlesGroup, QStringLiteral("subs")); }();
        qint64 tsStartTicks = -1;
        if (ts) {
            const QString firstSegment =
                QFileInfo(out + QLatin1Char('/') + master->variants.first().uri)
                    .dir()
                    .filePath(video->segments.first().uri);
            const QJsonObject probe =
                ffprobeJson({QStringLiteral("-select_streams"), QStringLiteral("v:0"),
                             QStringLiteral("-show_streams")},
                            firstSegment);
            tsStartTicks = std::llround(probe[QStringLiteral("streams")]
                                            .toArray()
                                            .first()[QStringLiteral("start_time")]
                                            .toString()
                                            .toDouble() *
                                        90000);
        }
        static const QRegularExpression timing(QStringLiteral("^(\\S+) --> (\\S+)"),
                                               QRegularExpression::MultilineOption);
        for (const MediaRendition& m : master->media) {
            const QString playlistPath = out + QLatin1Char('/') + m.uri;
            StatusOr<MediaPlaylist> subs = MediaPlaylist::load(playlistPath);
            [&] {
                QVERIFY2(subs.isOk(), qPrintable(subs.status().message()));
                QCOMPARE(subs->segments.size(), video->segments.size());
                QVERIFY(std::abs(subs->totalSeconds() - video->totalSeconds()) < 0.001);
            }();
            if (!subs.isOk())
                continue;
            QString all;
            for (int i = 0; i < subs->segments.size(); ++i) {
                const MediaSegment& seg = subs->segments[i];
                const QString text =
                    QString::fromUtf8(readAll(QFileInfo(playlistPath).dir().filePath(seg.uri)));
                [&] {
                    QVERIFY2(text.startsWith(QStringLiteral("WEBVTT\n")), qPrintable(seg.uri));
                    if (ts)
                        QVERIFY(text.contains(
                            QStringLiteral("X-TIMESTAMP-MAP=MPEGTS:%1,LOCAL:00:00:00.000")
                                .arg(tsStartTicks)));
                    else
                        QVERIFY(!text.contains(QStringLiteral("X-TIMESTAMP-MAP")));
                }();
                auto it = timing.globalMatch(text);
                while (it.hasNext()) {
                    const auto match = it.next();
                    const qint64 from = subtitles::parseCueTimestamp(match.captured(1));
                    const qint64 to = subtitles::parseCueTimestamp(match.captured(2));
                    [&] {
                        QVERIFY2(from >= std::llround(seg.startSeconds * 1000) &&
                                     to <= std::llround((seg.startSeconds + seg.durationSeconds) *
                                                        1000) &&
                                     from < to,
                                 qPrintable(QStringLiteral("%1 %2: %3")
                                                .arg(m.uri, seg.uri, match.captured(0))));
                    }();
                }
                all += text;
            }
            texts[m.uri] = all;
        }
        return texts;
    }

    // ffmpeg reads a subtitle playlist (its HLS demuxer, WebVTT decoder) and writes SubRip.
    QString readWithFfmpeg(const QString& playlist) {
        const QString srt = playlist + QStringLiteral(".check.srt");
        if (!ffmpeg({QStringLiteral("-i"), playlist, QStringLiteral("-c:s"), QStringLiteral("srt"),
                     srt}))
            return {};
        return QString::fromUtf8(readAll(srt));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_ladder = path(QStringLiteral("ladder.json"));
        QVERIFY(writeBytes(m_ladder, R"({"segmentSeconds": 2, "x264Preset": "ultrafast",
            "audioKbps": 64, "playerPage": false,
            "renditions": [{"height": 240, "videoKbps": 400}, {"height": 144, "videoKbps": 150}]})"));
        // Source subtitle texts, muxed into the MP4 (mov_text) and the MKV (ASS).
        QVERIFY(writeBytes(path(QStringLiteral("en.srt")),
                           "1\n00:00:00,500 --> 00:00:01,500\nHello from the source\n\n"
                           "2\n00:00:01,800 --> 00:00:02,600\nFish & chips <3\n\n"
                           "3\n00:00:06,000 --> 00:00:07,500\nThe end\n"));
        QVERIFY(writeBytes(path(QStringLiteral("de.srt")),
                           "1\n00:00:01,000 --> 00:00:03,000\n<i>Hallo</i> Welt\n"));
        const QStringList lavfi{
            QStringLiteral("-f"), QStringLiteral("lavfi"),
            QStringLiteral("-i"), QStringLiteral("testsrc2=size=320x240:rate=25"),
            QStringLiteral("-f"), QStringLiteral("lavfi"),
            QStringLiteral("-i"), QStringLiteral("sine=frequency=440:sample_rate=48000")};
        const QStringList encode{
            QStringLiteral("-map"),     QStringLiteral("0:v"),     QStringLiteral("-map"),
            QStringLiteral("1:a"),      QStringLiteral("-map"),    QStringLiteral("2:s"),
            QStringLiteral("-t"),       QStringLiteral("8"),       QStringLiteral("-c:v"),
            QStringLiteral("libx264"),  QStringLiteral("-preset"), QStringLiteral("ultrafast"),
            QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), QStringLiteral("-c:a"),
            QStringLiteral("aac")};
        QVERIFY(ffmpeg(
            lavfi + QStringList{QStringLiteral("-i"), path(QStringLiteral("en.srt"))} + encode +
            QStringList{QStringLiteral("-c:s"), QStringLiteral("mov_text"),
                        QStringLiteral("-metadata:s:s:0"), QStringLiteral("language=eng"),
                        path(QStringLiteral("talk.mp4"))}));
        QVERIFY(ffmpeg(
            lavfi + QStringList{QStringLiteral("-i"), path(QStringLiteral("de.srt"))} + encode +
            QStringList{QStringLiteral("-c:s"), QStringLiteral("ass"),
                        QStringLiteral("-metadata:s:s:0"), QStringLiteral("language=deu"),
                        path(QStringLiteral("show.mkv"))}));
        // The French sidecar as a Windows tool writes it: Windows-1252, CRLF.
        QVERIFY(
            writeBytes(path(QStringLiteral("talk.fr.srt")),
                       "1\r\n00:00:03,000 --> 00:00:04,500\r\nUn caf\xE9, s'il vous pla\xEEt\r\n"));
    }

    // MP4 + sidecar, TS segments: English (the source's track, DEFAULT) and French (sidecar).
    void mp4WithSidecar() {
        const QString out = path(QStringLiteral("talk"));
        const QJsonObject result =
            transcode({path(QStringLiteral("talk.mp4")), QStringLiteral("--out"), out});
        QCOMPARE(result[QStringLiteral("status")].toString(), QStringLiteral("ok"));
        const QJsonArray subs = result[QStringLiteral("subtitles")].toArray();
        QCOMPARE(subs.size(), 2);
        QCOMPARE(subs[0][QStringLiteral("language")].toString(), QStringLiteral("en"));
        QCOMPARE(subs[1][QStringLiteral("language")].toString(), QStringLiteral("fr"));
        QCOMPARE(subs[1][QStringLiteral("origin")].toString(), QStringLiteral("talk.fr.srt"));
        QCOMPARE(result[QStringLiteral("warnings")].toArray().size(), 0);

        StatusOr<MasterPlaylist> master =
            MasterPlaylist::load(out + QStringLiteral("/master.m3u8"));
        QVERIFY(master.isOk());
        QCOMPARE(master->media.size(), 2);
        const MediaRendition& en = master->media[0];
        const MediaRendition& fr = master->media[1];
        QCOMPARE(en.type, QStringLiteral("SUBTITLES"));
        QCOMPARE(en.groupId, QStringLiteral("subs"));
        QCOMPARE(fr.groupId, QStringLiteral("subs"));
        QCOMPARE(en.language, QStringLiteral("en"));
        QCOMPARE(fr.language, QStringLiteral("fr"));
        QCOMPARE(en.name, QStringLiteral("English"));
        QCOMPARE(fr.name, QString::fromUtf8("Français"));
        QVERIFY(en.isDefault && en.autoselect);
        QVERIFY(!fr.isDefault && fr.autoselect);
        QVERIFY(!en.forced && !fr.forced);

        const QHash<QString, QString> texts = checkRenditions(out, true);
        QVERIFY(texts.value(en.uri).contains(QStringLiteral("Hello from the source")));
        QVERIFY(texts.value(en.uri).contains(QStringLiteral("Fish &amp; chips &lt;3")));
        QVERIFY(texts.value(fr.uri).contains(QString::fromUtf8("Un café, s'il vous plaît")));

        // An independent reader: ffmpeg's HLS demuxer and WebVTT decoder.
        const QString enBack = readWithFfmpeg(out + QLatin1Char('/') + en.uri);
        QVERIFY2(enBack.contains(QStringLiteral("Hello from the source")), qPrintable(enBack));
        QVERIFY(enBack.contains(QStringLiteral("The end")));
        const QString frBack = readWithFfmpeg(out + QLatin1Char('/') + fr.uri);
        QVERIFY2(frBack.contains(QString::fromUtf8("Un café, s'il vous plaît")),
                 qPrintable(frBack));
    }

    // MKV with an ASS track (markup stripped), fMP4 segments: no timestamp map.
    void mkvWithAss() {
        const QString out = path(QStringLiteral("show"));
        const QJsonObject result =
            transcode({path(QStringLiteral("show.mkv")), QStringLiteral("--out"), out,
                       QStringLiteral("--segments"), QStringLiteral("fmp4")});
        QCOMPARE(result[QStringLiteral("status")].toString(), QStringLiteral("ok"));
        StatusOr<MasterPlaylist> master =
            MasterPlaylist::load(out + QStringLiteral("/master.m3u8"));
        QVERIFY(master.isOk());
        QCOMPARE(master->media.size(), 1);
        QCOMPARE(master->media[0].language, QStringLiteral("de"));
        QCOMPARE(master->media[0].name, QStringLiteral("Deutsch"));
        QVERIFY(master->media[0].isDefault);
        const QHash<QString, QString> texts = checkRenditions(out, false);
        QVERIFY2(texts.value(master->media[0].uri).contains(QStringLiteral("\nHallo Welt\n")),
                 qPrintable(texts.value(master->media[0].uri)));
        QVERIFY(!texts.value(master->media[0].uri).contains(QLatin1Char('{')));
    }

    // A sidecar with broken timing: one warning naming the file and line, the video lands;
    // an explicit file with an unknown language code: one warning, LANGUAGE="und".
    void badSubtitleFiles() {
        QVERIFY(makeClip(path(QStringLiteral("bad.mp4")), 4,
                         QStringLiteral("testsrc2=size=320x240:rate=25")));
        QVERIFY(writeBytes(
            path(QStringLiteral("bad.de.srt")),
            "1\n00:00:01,000 --> 00:00:02,000\nGut\n\n2\n00:00:02,000 -> 00:00:03,000\nkaputt\n"));
        QVERIFY(writeBytes(path(QStringLiteral("extra.srt")),
                           "1\n00:00:01,000 --> 00:00:02,000\nExtra\n"));
        const QString out = path(QStringLiteral("bad"));
        const QJsonObject result =
            transcode({path(QStringLiteral("bad.mp4")), QStringLiteral("--out"), out,
                       QStringLiteral("--subtitles"),
                       path(QStringLiteral("extra.srt")) + QStringLiteral(":xx")});
        QCOMPARE(result[QStringLiteral("status")].toString(), QStringLiteral("ok"));
        QVERIFY(QFile::exists(out + QStringLiteral("/master.m3u8")));
        const QJsonArray warnings = result[QStringLiteral("warnings")].toArray();
        QCOMPARE(warnings.size(), 2);
        QVERIFY2(warnings[0].toString().startsWith(QStringLiteral("bad.de.srt, line 6: ")),
                 qPrintable(warnings[0].toString()));
        QVERIFY2(warnings[1].toString().contains(QStringLiteral("unknown language code \"xx\"")),
                 qPrintable(warnings[1].toString()));
        StatusOr<MasterPlaylist> master =
            MasterPlaylist::load(out + QStringLiteral("/master.m3u8"));
        QVERIFY(master.isOk());
        QCOMPARE(master->media.size(), 1);
        QCOMPARE(master->media[0].language, QStringLiteral("und"));
        checkRenditions(out, true);
    }
};

QTEST_GUILESS_MAIN(SubtitleLadderTest)
#include "tst_subtitle_ladder.moc"
