// Audio renditions (issue 14), as a user and a player see them: a source with two audio tracks
// (eng 440 Hz, the default; deu 880 Hz) becomes one AUDIO group of two renditions with the right
// LANGUAGE, NAME, DEFAULT and CHANNELS, video-only rungs naming the group, BANDWIDTH that
// includes the largest audio rendition as measured from the files, audio playlists as long as
// the video, each decoding to its own tone (Goertzel on ffmpeg's decode), an audio-only variant
// that ffmpeg plays, a one-track source still muxed, a sidecar --audio file cut to the video's
// length, clear messages for bad --audio files, and GStreamer's playbin3 (our GstPlayerBackend)
// listing both tracks and switching to the German one.

#include "TestMedia.h"

#include "preview/ShapedFileServer.h"
#include "publish/ContentPolicy.h"
#include "qoe/GstPlayerBackend.h"
#include "qoe/PlaybackSession.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace hlsforge;
using namespace hlsforge::test;

namespace {

constexpr double kSeconds = 8;
constexpr double kAacFrameSeconds = 1024.0 / 48000;
// An audio rendition's EXTINF sum is its AAC frames': the priming frame (before the video's
// first frame; an edit list skips it in fMP4) plus the track, cut to the video's length and
// rounded up to a whole frame. So at most two frames over the video's.
constexpr double kAudioOverSeconds = 2 * kAacFrameSeconds + 1e-3;

// One EXT-X-STREAM-INF or EXT-X-MEDIA line's attributes (quoted values unquoted).
QMap<QString, QString> attributes(const QString& line) {
    QMap<QString, QString> out;
    static const QRegularExpression re(QStringLiteral("([A-Z0-9-]+)=(\"[^\"]*\"|[^,]*)"));
    auto it = re.globalMatch(line.mid(line.indexOf(QLatin1Char(':')) + 1));
    while (it.hasNext()) {
        const auto m = it.next();
        QString v = m.captured(2);
        if (v.startsWith(QLatin1Char('"')))
            v = v.mid(1, v.size() - 2);
        out.insert(m.captured(1), v);
    }
    return out;
}

struct Variant {
    QMap<QString, QString> attrs;
    QString uri;
};

struct Master {
    QVector<QMap<QString, QString>> media;
    QVector<Variant> variants;
};

Master readMaster(const QString& path) {
    Master m;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return m;
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].startsWith(QLatin1String("#EXT-X-MEDIA:")))
            m.media << attributes(lines[i]);
        else if (lines[i].startsWith(QLatin1String("#EXT-X-STREAM-INF:")))
            m.variants << Variant{attributes(lines[i]), lines.value(i + 1).trimmed()};
    }
    return m;
}

// A media playlist's segments: EXTINF and file size (read here, not with our own reader).
struct Segment {
    double seconds = 0;
    qint64 bytes = 0;
};

QVector<Segment> readSegments(const QString& playlistPath) {
    QVector<Segment> out;
    QFile f(playlistPath);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QString dir = QFileInfo(playlistPath).absolutePath();
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        if (!lines[i].startsWith(QLatin1String("#EXTINF:")))
            continue;
        Segment s;
        s.seconds = lines[i].mid(8).section(QLatin1Char(','), 0, 0).toDouble();
        s.bytes = QFileInfo(dir + QLatin1Char('/') + lines.value(i + 1).trimmed()).size();
        out << s;
    }
    return out;
}

double totalSeconds(const QVector<Segment>& segments) {
    double sum = 0;
    for (const Segment& s : segments)
        sum += s.seconds;
    return sum;
}

// Peak bits per second over the segments (a last segment under 0.5 s is left out, as a
// player's estimate would be skewed by it).
double peakBitsPerSecond(const QVector<Segment>& segments) {
    double peak = 0;
    for (int i = 0; i < segments.size(); ++i) {
        if (i == segments.size() - 1 && i > 0 && segments[i].seconds < 0.5)
            continue;
        peak = std::max(peak, segments[i].bytes * 8.0 / segments[i].seconds);
    }
    return peak;
}

// The power of a tone in decoded samples (decodeMono) by Goertzel's algorithm.
double tonePower(const QVector<float>& samples, double hz) {
    const double k = 2 * std::cos(2 * M_PI * hz / 48000);
    double s1 = 0, s2 = 0;
    for (float x : samples) {
        const double s0 = x + k * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    return (s1 * s1 + s2 * s2 - k * s1 * s2) / std::max<qsizetype>(1, samples.size());
}

} // namespace

class AudioRenditionsTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_ladder;
    QString m_twoTracks; // the ladder of the two-track source
    QString path(const QString& name) const { return m_dir.filePath(name); }
    ProcessResult transcode(const QStringList& args) {
        return runProcess(cliPath(), QStringList{QStringLiteral("transcode")} + args +
                                         QStringList{QStringLiteral("--ladder"), m_ladder,
                                                     QStringLiteral("--no-check")});
    }

private slots:
    void initTestCase();
    void masterListsOneAudioGroup();
    void bandwidthIncludesTheLargestAudio();
    void audioLastsAsLongAsTheVideo();
    void eachRenditionHasItsOwnTone();
    void audioOnlyVariantPlays();
    void publishOrdersAudioPlaylistsBeforeTheMaster();
    void fmp4RenditionsStartWithTheVideo();
    void oneTrackStaysMuxed();
    void sidecarAudioFile();
    void badAudioFiles();
    void gstreamerSwitchesToGerman();
};

void AudioRenditionsTest::initTestCase() {
    QVERIFY(m_dir.isValid());
    const QString source = path(QStringLiteral("two tracks.mp4"));
    // eng 440 Hz (default), deu 880 Hz at a different level, so the two are told apart.
    QVERIFY(ffmpeg({QStringLiteral("-f"),
                    QStringLiteral("lavfi"),
                    QStringLiteral("-i"),
                    QStringLiteral("testsrc2=size=320x180:rate=25"),
                    QStringLiteral("-f"),
                    QStringLiteral("lavfi"),
                    QStringLiteral("-i"),
                    QStringLiteral("sine=frequency=440:sample_rate=48000"),
                    QStringLiteral("-f"),
                    QStringLiteral("lavfi"),
                    QStringLiteral("-i"),
                    QStringLiteral("sine=frequency=880:sample_rate=44100"),
                    QStringLiteral("-t"),
                    QString::number(kSeconds),
                    QStringLiteral("-map"),
                    QStringLiteral("0:v"),
                    QStringLiteral("-map"),
                    QStringLiteral("1:a"),
                    QStringLiteral("-map"),
                    QStringLiteral("2:a"),
                    QStringLiteral("-c:v"),
                    QStringLiteral("libx264"),
                    QStringLiteral("-preset"),
                    QStringLiteral("ultrafast"),
                    QStringLiteral("-c:a"),
                    QStringLiteral("aac"),
                    QStringLiteral("-metadata:s:a:0"),
                    QStringLiteral("language=eng"),
                    QStringLiteral("-metadata:s:a:1"),
                    QStringLiteral("language=deu"),
                    QStringLiteral("-disposition:a:0"),
                    QStringLiteral("default"),
                    QStringLiteral("-disposition:a:1"),
                    QStringLiteral("0"),
                    source}));
    m_ladder = path(QStringLiteral("ladder.json"));
    QFile f(m_ladder);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"segmentSeconds": 2, "x264Preset": "ultrafast", "audioKbps": 96,
               "playerPage": false, "thumbnails": false,
               "renditions": [{"height": 180, "videoKbps": 400}, {"height": 144, "videoKbps": 150}]})");
    f.close();
    m_twoTracks = path(QStringLiteral("two"));
    const ProcessResult r = transcode(
        {source, QStringLiteral("--out"), m_twoTracks, QStringLiteral("--audio-only-variant")});
    QVERIFY2(r.ok(), r.err.constData());
}

void AudioRenditionsTest::masterListsOneAudioGroup() {
    const Master m = readMaster(m_twoTracks + QStringLiteral("/master.m3u8"));
    QCOMPARE(m.media.size(), 2);
    for (const auto& a : m.media) {
        QCOMPARE(a.value(QStringLiteral("TYPE")), QStringLiteral("AUDIO"));
        QCOMPARE(a.value(QStringLiteral("GROUP-ID")), QStringLiteral("audio"));
        QCOMPARE(a.value(QStringLiteral("CHANNELS")), QStringLiteral("2"));
        QCOMPARE(a.value(QStringLiteral("AUTOSELECT")), QStringLiteral("YES"));
        QVERIFY(QFileInfo::exists(m_twoTracks + QLatin1Char('/') + a.value(QStringLiteral("URI"))));
    }
    QCOMPARE(m.media[0].value(QStringLiteral("LANGUAGE")), QStringLiteral("en"));
    QCOMPARE(m.media[0].value(QStringLiteral("NAME")), QStringLiteral("English"));
    QCOMPARE(m.media[0].value(QStringLiteral("DEFAULT")), QStringLiteral("YES"));
    QCOMPARE(m.media[1].value(QStringLiteral("LANGUAGE")), QStringLiteral("de"));
    QCOMPARE(m.media[1].value(QStringLiteral("NAME")), QStringLiteral("German"));
    QCOMPARE(m.media[1].value(QStringLiteral("DEFAULT")), QStringLiteral("NO"));
    QCOMPARE(m.variants.size(), 3); // two rungs + the audio-only variant
    for (const Variant& v : m.variants)
        QCOMPARE(v.attrs.value(QStringLiteral("AUDIO")), QStringLiteral("audio"));
    for (int i = 0; i < 2; ++i) {
        QVERIFY(m.variants[i]
                    .attrs.value(QStringLiteral("CODECS"))
                    .contains(QLatin1String("mp4a.40.2")));
        // The rungs are video-only: their segments hold no audio (ffprobe).
        const QJsonObject probe =
            ffprobeJson({QStringLiteral("-show_streams")}, m_twoTracks + QLatin1Char('/') +
                                                               QFileInfo(m.variants[i].uri).path() +
                                                               QStringLiteral("/seg_00000.ts"));
        const QJsonArray streams = probe.value(QStringLiteral("streams")).toArray();
        QCOMPARE(streams.size(), 1);
        QCOMPARE(streams[0].toObject().value(QStringLiteral("codec_type")).toString(),
                 QStringLiteral("video"));
    }
}

void AudioRenditionsTest::bandwidthIncludesTheLargestAudio() {
    const Master m = readMaster(m_twoTracks + QStringLiteral("/master.m3u8"));
    double largestAudio = 0;
    for (const auto& a : m.media)
        largestAudio =
            std::max(largestAudio, peakBitsPerSecond(readSegments(m_twoTracks + QLatin1Char('/') +
                                                                  a.value(QStringLiteral("URI")))));
    QVERIFY(largestAudio > 50000); // 96 kb/s AAC
    for (int i = 0; i < 2; ++i) {
        const double video =
            peakBitsPerSecond(readSegments(m_twoTracks + QLatin1Char('/') + m.variants[i].uri));
        const double declared = m.variants[i].attrs.value(QStringLiteral("BANDWIDTH")).toDouble();
        const double expected = video + largestAudio;
        qInfo("%s: BANDWIDTH %.0f, video peak %.0f + audio peak %.0f = %.0f (%.1f %%)",
              qPrintable(m.variants[i].uri), declared, video, largestAudio, expected,
              100 * (declared - expected) / expected);
        QVERIFY(std::abs(declared - expected) <= 0.10 * expected);
        QVERIFY(declared > video * 1.0 + 0.5 * largestAudio); // the audio is really in it
    }
}

void AudioRenditionsTest::audioLastsAsLongAsTheVideo() {
    const Master m = readMaster(m_twoTracks + QStringLiteral("/master.m3u8"));
    const QVector<Segment> video = readSegments(m_twoTracks + QLatin1Char('/') + m.variants[0].uri);
    for (const auto& a : m.media) {
        const QVector<Segment> audio =
            readSegments(m_twoTracks + QLatin1Char('/') + a.value(QStringLiteral("URI")));
        qInfo("%s: %.4f s of audio in %lld segments, video %.4f s in %lld",
              qPrintable(a.value(QStringLiteral("URI"))), totalSeconds(audio), qint64(audio.size()),
              totalSeconds(video), qint64(video.size()));
        QVERIFY(totalSeconds(audio) >= totalSeconds(video) - 1e-3);
        QVERIFY(totalSeconds(audio) - totalSeconds(video) <= kAudioOverSeconds);
        // Cut on the same boundaries, within one AAC frame (the muxer counts from the priming
        // frame, 21 ms before the video's first frame); the audio may end in a sliver of at
        // most two frames after the video's last boundary.
        QVERIFY(audio.size() == video.size() ||
                (audio.size() == video.size() + 1 && audio.last().seconds <= 2 * kAacFrameSeconds));
        for (int i = 0; i + 1 < video.size(); ++i)
            QVERIFY(std::abs(audio[i].seconds - video[i].seconds) <= kAacFrameSeconds + 1e-3);
    }
}

void AudioRenditionsTest::eachRenditionHasItsOwnTone() {
    const Master m = readMaster(m_twoTracks + QStringLiteral("/master.m3u8"));
    for (const auto& a : m.media) {
        const QVector<float> pcm =
            decodeMono(m_twoTracks + QLatin1Char('/') + a.value(QStringLiteral("URI")));
        QVERIFY(pcm.size() > int(48000 * (kSeconds - 0.5)));
        const double p440 = tonePower(pcm, 440), p880 = tonePower(pcm, 880);
        qInfo("%s: 440 Hz %.3g, 880 Hz %.3g", qPrintable(a.value(QStringLiteral("LANGUAGE"))), p440,
              p880);
        if (a.value(QStringLiteral("LANGUAGE")) == QLatin1String("en"))
            QVERIFY(p440 > 100 * p880);
        else
            QVERIFY(p880 > 100 * p440);
    }
}

void AudioRenditionsTest::audioOnlyVariantPlays() {
    const Master m = readMaster(m_twoTracks + QStringLiteral("/master.m3u8"));
    const Variant& last = m.variants.last();
    QCOMPARE(last.attrs.value(QStringLiteral("CODECS")), QStringLiteral("mp4a.40.2"));
    QVERIFY(!last.attrs.contains(QStringLiteral("RESOLUTION")));
    QCOMPARE(last.uri, m.media[0].value(QStringLiteral("URI"))); // the default rendition
    // ffmpeg plays the master's last program (the audio-only variant) to the end.
    const ProcessResult r = runProcess(
        QStringLiteral("ffprobe"),
        {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-show_entries"),
         QStringLiteral("format=duration:stream=codec_type,codec_name,channels"),
         QStringLiteral("-of"), QStringLiteral("json"), m_twoTracks + QLatin1Char('/') + last.uri});
    QVERIFY(r.ok());
    const QJsonObject probe = QJsonDocument::fromJson(r.out).object();
    const QJsonArray streams = probe.value(QStringLiteral("streams")).toArray();
    QCOMPARE(streams.size(), 1);
    QCOMPARE(streams[0].toObject().value(QStringLiteral("codec_name")).toString(),
             QStringLiteral("aac"));
    QCOMPARE(streams[0].toObject().value(QStringLiteral("channels")).toInt(), 2);
    const QVector<float> pcm = decodeMono(m_twoTracks + QStringLiteral("/master.m3u8"));
    QVERIFY(pcm.size() > int(48000 * (kSeconds - 0.5)));
}

void AudioRenditionsTest::publishOrdersAudioPlaylistsBeforeTheMaster() {
    using publish::FileKind;
    const Master m = readMaster(m_twoTracks + QStringLiteral("/master.m3u8"));
    const QString playlist = m.media[1].value(QStringLiteral("URI"));
    QFile f(m_twoTracks + QLatin1Char('/') + playlist);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const FileKind kind = publish::classifyFile(playlist, f.read(4096));
    QCOMPARE(kind, FileKind::MediaPlaylist);
    QVERIFY(publish::publishPhase(kind) < publish::publishPhase(FileKind::MasterPlaylist));
    const QString segment = QFileInfo(playlist).path() + QStringLiteral("/seg_00000.ts");
    QCOMPARE(publish::classifyFile(segment, {}), FileKind::Segment);
    publish::ContentPolicy policy;
    QCOMPARE(policy.contentTypeFor(playlist), QStringLiteral("application/vnd.apple.mpegurl"));
    QCOMPARE(policy.contentTypeFor(segment), QStringLiteral("video/mp2t"));
}

// fMP4: the same group, init segments for the audio, and every audio segment starting with its
// video segment within one AAC frame (ffprobe, init + segment read together).
void AudioRenditionsTest::fmp4RenditionsStartWithTheVideo() {
    const QString out = path(QStringLiteral("two-fmp4"));
    const ProcessResult r =
        transcode({path(QStringLiteral("two tracks.mp4")), QStringLiteral("--out"), out,
                   QStringLiteral("--segments"), QStringLiteral("fmp4")});
    QVERIFY2(r.ok(), r.err.constData());
    const Master m = readMaster(out + QStringLiteral("/master.m3u8"));
    QCOMPARE(m.media.size(), 2);
    const auto startOf = [&](const QString& dir, const QString& segment) {
        QFile init(dir + QStringLiteral("/init.mp4")), seg(dir + QLatin1Char('/') + segment);
        if (!init.open(QIODevice::ReadOnly) || !seg.open(QIODevice::ReadOnly))
            return -1.0;
        const QString joined = path(QStringLiteral("joined.mp4"));
        QFile j(joined);
        if (!j.open(QIODevice::WriteOnly))
            return -1.0;
        j.write(init.readAll() + seg.readAll());
        j.close();
        return ffprobeJson({QStringLiteral("-show_streams")}, joined)
            .value(QStringLiteral("streams"))
            .toArray()
            .first()
            .toObject()
            .value(QStringLiteral("start_time"))
            .toString()
            .toDouble();
    };
    const QString video = out + QLatin1Char('/') + QFileInfo(m.variants[0].uri).path();
    for (const auto& a : m.media) {
        const QString audio =
            out + QLatin1Char('/') + QFileInfo(a.value(QStringLiteral("URI"))).path();
        QVERIFY(QFileInfo::exists(audio + QStringLiteral("/init.mp4")));
        for (const QString& segment :
             {QStringLiteral("seg_00001.m4s"), QStringLiteral("seg_00002.m4s")}) {
            const double v = startOf(video, segment), s = startOf(audio, segment);
            qInfo("%s %s: video starts %.4f s, audio %.4f s", qPrintable(a.value("LANGUAGE")),
                  qPrintable(segment), v, s);
            QVERIFY(v > 0 && std::abs(v - s) <= kAacFrameSeconds + 1e-3);
        }
    }
}

// One track: the layout of before, muxed; the audio-only variant beside it changes nothing
// in the rungs (their playlists and segments are byte for byte the same).
void AudioRenditionsTest::oneTrackStaysMuxed() {
    const QString source = path(QStringLiteral("one track.mp4"));
    QVERIFY(makeClip(source, 4, QStringLiteral("testsrc2=size=320x180:rate=25")));
    const QString plain = path(QStringLiteral("one"));
    QVERIFY(transcode({source, QStringLiteral("--out"), plain}).ok());
    const Master m = readMaster(plain + QStringLiteral("/master.m3u8"));
    QVERIFY(m.media.isEmpty());
    QCOMPARE(m.variants.size(), 2);
    QVERIFY(!QFileInfo::exists(plain + QStringLiteral("/audio")));
    for (const Variant& v : m.variants) {
        QVERIFY(!v.attrs.contains(QStringLiteral("AUDIO")));
        QVERIFY(v.attrs.value(QStringLiteral("CODECS")).contains(QLatin1String("mp4a.40.2")));
        const QJsonObject probe = ffprobeJson({QStringLiteral("-show_streams")},
                                              plain + QLatin1Char('/') + QFileInfo(v.uri).path() +
                                                  QStringLiteral("/seg_00000.ts"));
        QCOMPARE(probe.value(QStringLiteral("streams")).toArray().size(), 2); // video + audio
    }

    const QString withAudioOnly = path(QStringLiteral("one-audio-only"));
    QVERIFY(transcode({source, QStringLiteral("--out"), withAudioOnly,
                       QStringLiteral("--audio-only-variant")})
                .ok());
    const Master a = readMaster(withAudioOnly + QStringLiteral("/master.m3u8"));
    QVERIFY(a.media.isEmpty());
    QCOMPARE(a.variants.size(), 3);
    // x264's threaded rungs are not byte-reproducible from run to run (two identical runs
    // differ), so the rungs are compared by what they are: the same attributes but the
    // measured rates, the same files, the same EXTINF, video + audio in every segment.
    for (int i = 0; i < 2; ++i) {
        auto attrs = a.variants[i].attrs, before = m.variants[i].attrs;
        for (auto* x : {&attrs, &before}) {
            x->remove(QStringLiteral("BANDWIDTH"));
            x->remove(QStringLiteral("AVERAGE-BANDWIDTH"));
        }
        QCOMPARE(attrs, before);
        QCOMPARE(a.variants[i].uri, m.variants[i].uri);
        const QString dir = QFileInfo(m.variants[i].uri).path();
        QCOMPARE(QDir(withAudioOnly + QLatin1Char('/') + dir).entryList(QDir::Files),
                 QDir(plain + QLatin1Char('/') + dir).entryList(QDir::Files));
        const QVector<Segment> x = readSegments(plain + QLatin1Char('/') + m.variants[i].uri);
        const QVector<Segment> y =
            readSegments(withAudioOnly + QLatin1Char('/') + m.variants[i].uri);
        QCOMPARE(x.size(), y.size());
        for (int k = 0; k < x.size(); ++k)
            QCOMPARE(x[k].seconds, y[k].seconds);
        const QJsonObject probe =
            ffprobeJson({QStringLiteral("-show_streams")},
                        withAudioOnly + QLatin1Char('/') + dir + QStringLiteral("/seg_00000.ts"));
        QCOMPARE(probe.value(QStringLiteral("streams")).toArray().size(), 2);
    }
    const Variant& audioOnly = a.variants.last();
    QCOMPARE(audioOnly.attrs.value(QStringLiteral("CODECS")), QStringLiteral("mp4a.40.2"));
    QVERIFY(!audioOnly.attrs.contains(QStringLiteral("AUDIO")));
    const QVector<float> pcm = decodeMono(withAudioOnly + QLatin1Char('/') + audioOnly.uri);
    QVERIFY(pcm.size() > 48000 * 3);
    QVERIFY(tonePower(pcm, 440) > 100 * tonePower(pcm, 880));
}

// --audio FILE:LANG:NAME on a one-track source: two renditions; the file, longer than the
// video, is cut to the video's length.
void AudioRenditionsTest::sidecarAudioFile() {
    const QString source = path(QStringLiteral("one track.mp4"));
    QVERIFY(QFileInfo::exists(source));
    const QString commentary = path(QStringLiteral("commentary.wav"));
    QVERIFY(ffmpeg({QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                    QStringLiteral("sine=frequency=660:sample_rate=44100"), QStringLiteral("-t"),
                    QStringLiteral("6"), QStringLiteral("-ac"), QStringLiteral("1"), commentary}));
    const QString out = path(QStringLiteral("sidecar"));
    const ProcessResult r =
        transcode({source, QStringLiteral("--out"), out, QStringLiteral("--audio"),
                   commentary + QStringLiteral(":fre:Director's commentary")});
    QVERIFY2(r.ok(), r.err.constData());
    const Master m = readMaster(out + QStringLiteral("/master.m3u8"));
    QCOMPARE(m.media.size(), 2);
    QCOMPARE(m.media[0].value(QStringLiteral("DEFAULT")), QStringLiteral("YES"));
    QCOMPARE(m.media[1].value(QStringLiteral("LANGUAGE")), QStringLiteral("fr"));
    QCOMPARE(m.media[1].value(QStringLiteral("NAME")), QStringLiteral("Director's commentary"));
    QCOMPARE(m.media[1].value(QStringLiteral("DEFAULT")), QStringLiteral("NO"));
    const QString uri = out + QLatin1Char('/') + m.media[1].value(QStringLiteral("URI"));
    const double video = totalSeconds(readSegments(out + QLatin1Char('/') + m.variants[0].uri));
    const double audio = totalSeconds(readSegments(uri));
    qInfo("sidecar: %.4f s of audio for %.4f s of video", audio, video);
    QVERIFY(audio >= video - 1e-3 && audio - video <= kAudioOverSeconds); // 6 s cut to 4 s
    const QVector<float> pcm = decodeMono(uri);
    QVERIFY(tonePower(pcm, 660) > 100 * tonePower(pcm, 440));
}

// A missing file, and a file without audio: one message naming the file, nothing written.
void AudioRenditionsTest::badAudioFiles() {
    const QString source = path(QStringLiteral("one track.mp4"));
    const QString missing = path(QStringLiteral("no such.m4a"));
    const QString out = path(QStringLiteral("bad"));
    ProcessResult r = transcode({source, QStringLiteral("--out"), out, QStringLiteral("--audio"),
                                 missing + QStringLiteral(":de")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(missing.toUtf8()), r.err.constData());
    QVERIFY(!QFileInfo::exists(out));

    const QString silent = path(QStringLiteral("picture only.mp4"));
    QVERIFY(makeClip(silent, 1, QStringLiteral("testsrc2=size=160x90:rate=25"), QString()));
    r = transcode({source, QStringLiteral("--out"), out, QStringLiteral("--audio"), silent});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(silent.toUtf8()) && r.err.contains("no audio"), r.err.constData());
    QVERIFY(!QFileInfo::exists(out + QStringLiteral("/master.m3u8")));
    QVERIFY(QDir(out).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden));
    // No staging folder left beside it.
    for (const QString& name :
         QDir(m_dir.path()).entryList(QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot))
        QVERIFY2(!name.contains(QLatin1String("staging")), qPrintable(name));
}

// GStreamer's playbin3 (hlsdemux2) through our GstPlayerBackend: both renditions listed with
// their language, and a switch to the German one is what the pipeline then plays.
void AudioRenditionsTest::gstreamerSwitchesToGerman() {
    QCOMPARE(qoe::GstPlayerBackend::missingElements(), QString());
    // Declared before the server: its destructor still reports the last requests (ASan saw
    // them appended to a list already gone).
    QStringList fetched; // every path the player asked for, after the switch
    bool switched = false;
    preview::ShapedFileServer server(m_twoTracks);
    const Status started = server.start();
    QVERIFY2(started.isOk(), qPrintable(started.message()));
    connect(&server, &preview::ShapedFileServer::requestFinished, this,
            [&](const preview::RequestEvent& e) {
                if (switched)
                    fetched << e.path;
            });
    qoe::PlaybackSession session(&server, qoe::PlaybackEngine::Gst, {});
    QSignalSpy errors(&session, &qoe::PlaybackSession::errorOccurred);
    session.start(server.url(QStringLiteral("master.m3u8")));
    qoe::PlayerBackend* player = session.backend();
    QTRY_VERIFY_WITH_TIMEOUT(player->audioTracks().size() == 2 || !errors.isEmpty(), 20000);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(0).toString()));
    const QVector<qoe::AudioTrack> tracks = player->audioTracks();
    QStringList labels;
    for (int i = 0; i < tracks.size(); ++i)
        labels << tracks[i].label(i);
    qInfo("tracks: %s", qPrintable(labels.join(QStringLiteral(" | "))));
    QCOMPARE(tracks[0].language, QStringLiteral("en"));
    QCOMPARE(tracks[1].language, QStringLiteral("de"));
    QTRY_COMPARE_WITH_TIMEOUT(player->currentAudioTrack(), 0, 20000); // the default
    QTRY_VERIFY_WITH_TIMEOUT(session.positionMs() > 500, 20000);      // a viewer's switch
    switched = true;
    player->selectAudioTrack(1);
    QTRY_COMPARE_WITH_TIMEOUT(player->currentAudioTrack(), 1, 20000);
    // The German rendition's segments are what the player fetches now.
    QTRY_VERIFY_WITH_TIMEOUT(fetched.filter(QStringLiteral("audio/de/seg_")).size() > 0, 20000);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(0).toString()));
}

QTEST_MAIN(AudioRenditionsTest)
#include "tst_audio.moc"
