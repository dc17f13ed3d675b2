#pragma once
// Test support: generate media with ffmpeg's lavfi sources at test time, read output with
// ffprobe (independent of our code), run hlsforge-cli. No media files live in git.

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

class QProcess;

namespace hlsforge::test {

struct ProcessResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool ok() const { return exitCode == 0; }
};

// Runs a program and waits (timeout in ms); exitCode -1 when it could not run or timed out.
ProcessResult runProcess(const QString& program, const QStringList& args, int timeoutMs = 300000);

// `ffmpeg -hide_banner -y ARGS` ; returns true on success, failing the test message to qWarning.
bool ffmpeg(const QStringList& args);
// A 320x180 testsrc2 clip with two AAC tracks, `eng` 440 Hz (first) and `deu` 880 Hz, as a
// camera or an editor writes a dubbed file: what the engine turns into two AUDIO renditions.
bool makeTwoLanguageClip(const QString& path, double seconds);

// Generates an H.264/AAC MP4 from lavfi: `videoFilter` e.g. "testsrc2=size=320x240:rate=30",
// `audioFilter` e.g. "sine=frequency=440:sample_rate=48000" (empty: no audio).
// `extraOutputArgs` go before the output path (e.g. {"-pix_fmt","yuv422p10le"}).
bool makeClip(const QString& path, double seconds, const QString& videoFilter,
              const QString& audioFilter = QStringLiteral("sine=frequency=440:sample_rate=48000"),
              const QStringList& extraOutputArgs = {});

// Output arguments for a 10-bit HEVC HDR source as phones and cameras write one: libx265 at its
// fastest, `hvc1`, yuv420p10le, BT.2020 primaries and matrix, `transfer` ("arib-std-b67" for
// HLG, "smpte2084" for PQ) in the VUI, limited range. `x265Params` are added to x265's own
// (e.g. HDR10's "master-display=...:max-cll=1000,400").
QStringList hdrHevcOutputArgs(const QString& transfer, const QString& x265Params = {});

// The 3-rung playback ladder (360p 1500k / 240p 500k / 144p 150k, 2 s segments, ultrafast) made by
// hlsforge-cli from a `seconds`-long 640x360 testsrc2 clip, in `dir`/ladder. Returns that folder,
// or an empty string with the reason in `error`. Shared by the preview and QoE tests.
QString makePlaybackLadder(const QString& dir, double seconds, QString* error);

// A 6 s ladder with three subtitle renditions, in `dir`/subs: one 180p rung, 2 s TS segments,
// self-contained player page, from show.mp4 (testsrc2 + sine) and its sidecars show.de.srt
// (UTF-8, first: DEFAULT), show.en.forced.srt (FORCED) and show.fr.srt (Windows-1252, CRLF, as
// Windows tools write it). The cues are the constants below. Returns the folder or "" + error.
// `germanAudio`: also a second audio track, show.de.m4a (880 Hz) given with
// `--audio FILE:de:Deutsch`, so the audio becomes two AUDIO renditions (audio/und, audio/de).
QString makeSubtitleLadder(const QString& dir, QString* error, bool germanAudio = false);
inline constexpr const char* kFrenchCue1 = "Très bien, ça marche"; // 2.0 – 3.5 s
inline constexpr const char* kFrenchCue2 = "Deuxième phrase";      // 4.0 – 5.0 s
inline constexpr const char* kGermanCue1 = "Sehr gut, das läuft";  // 2.0 – 3.5 s
inline constexpr const char* kForcedCue = "EXIT";                  // 0.5 – 1.5 s

// ffprobe -of json with the given arguments and the file last.
QJsonObject ffprobeJson(const QStringList& args, const QString& path);

// Per-packet info of the first video stream: pts_time, flags, size.
QJsonArray ffprobeVideoPackets(const QString& path);

// hls.js (npm) plays `dir`'s master.m3u8 in headless Chromium (tests/web/hlsjs-play.mjs) until
// `seconds`, at `rate` (the video's playbackRate). `json` is the script's report (levels,
// played codecs, currentTime, errors, buffered ranges); problem() says what went wrong, if any.
struct HlsJsPlayback {
    QJsonObject json;
    QString text; // the script's output, for messages
    bool exitedOk = false;
    double seconds = 0;
    QString problem() const;
};
HlsJsPlayback playWithHlsJs(const QString& dir, double seconds, double rate = 1);

// ffmpeg decodes the audio of `input` (a file or a playlist) to mono 48 kHz float samples.
QVector<float> decodeMono(const QString& input);

// Path of the built hlsforge-cli (from the HLSFORGE_CLI environment set by CTest).
QString cliPath();

// A bound for a timing assertion (tests labelled `timing`): the delay a user would accept on
// an ordinary machine, times HLSFORGE_TIMING_SCALE (default 1). The sanitizer builds run 2-15x
// slower and set the scale, so they keep the assertion instead of dropping it.
qint64 timingBudgetMs(qint64 ms);

// A plain web server standing in for a CDN (tests/qoe/origin-server.mjs on Node's own http
// module, independent of our server) serving `root` on 127.0.0.1: starts it in `origin` and
// returns its port, or -1 (with a warning) when it could not start. Its stdout then has one
// JSON line per file served ({"path", "count"}).
int startOriginServer(QProcess* origin, const QString& root);

// A scratch folder under the system temp dir, removed by the caller's QTemporaryDir.
QString fixtureCacheDir();

} // namespace hlsforge::test
