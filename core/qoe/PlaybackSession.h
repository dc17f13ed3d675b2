#pragma once
// PlaybackSession: one viewer playing a ladder through the preview server, recorded for QoE.
// The preview window and `hlsforge-cli qoe` both play through it, so they use the same engine
// (a PlayerBackend: by default our own playbin3 pipeline with hlsdemux2, or QMediaPlayer with
// the classic hlsdemux; see PlayerBackend.h and docs/preview.md) and record the same way,
// whichever engine plays:
//   - segment fetches from the server's own request events (bytes and transfer time as the
//     server timed them), mapped to rungs and to their place in the clip;
//   - start-up: play request to the first frame reaching the session's QVideoSink;
//   - stalls: no new frame for kStallGapSeconds while playing (not after a seek or a resume,
//     until the first frame, and not at the end of the clip);
//   - switches: a segment from another rung than the previous one.
// Times are on the session clock: seconds of playback since start(), paused time excluded, so
// a headless run's clock is the shaping profile's clock when the profile is applied at start().
// Replaying after the end reloads the source instead of seeking the ended pipeline: GStreamer's
// hlsdemux, seeked back to 0 after EOS on a slower link, posts a second EOS a few seconds in
// and the player stops (issue 10's freeze). Both engines replay that way.
// Lives in the GUI thread; the server must live there too (its events are queued to it).

#include "qoe/PlayerBackend.h"
#include "qoe/QoeRecording.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QTimer;
class QVideoFrame;
class QVideoSink;
QT_END_NAMESPACE

namespace hlsforge::preview {
class ShapedFileServer;
struct RequestEvent;
struct ShapingProfile;
} // namespace hlsforge::preview

namespace hlsforge::qoe {

class PlaybackSession : public QObject {
    Q_OBJECT
public:
    static constexpr double kStallGapSeconds = 0.5;

    // The server must be started and outlive the session. The engine: defaultEngine().
    explicit PlaybackSession(preview::ShapedFileServer* server, QObject* parent = nullptr);
    PlaybackSession(preview::ShapedFileServer* server, PlaybackEngine engine,
                    const PlayerOptions& options, QObject* parent = nullptr);
    ~PlaybackSession() override;

    // Qt Multimedia picks its backend when the first Qt Multimedia object is made (the session's
    // QVideoSink too): call this before any exists. Sets QT_MEDIA_BACKEND=gstreamer unless the
    // user set it.
    static void selectMediaBackend();

    PlayerBackend* backend() const { return m_backend; }
    PlaybackEngine engine() const { return m_backend->engine(); }
    // Changes the engine; a session that has started reloads its source on the new one where
    // the viewer was (marked on the timeline).
    void setEngine(PlaybackEngine engine);
    // New player options (how far ahead to buffer…); a playing session reloads like setEngine.
    void setPlayerOptions(const PlayerOptions& options);
    const PlayerOptions& playerOptions() const { return m_options; }
    QVideoSink* videoSink() const { return m_sink; } // frames to show, if anyone shows them

    // The player's state, as the backend reports it.
    bool isPlaying() const { return m_backend->state() == PlayerBackend::State::Playing; }
    qint64 positionMs() const { return m_backend->positionMs(); }
    qint64 durationMs() const { return m_backend->durationMs(); }
    QUrl source() const { return m_backend->source(); }
    bool isAtEnd() const { return m_backend->isAtEnd(); }

    // A new recording, clock at 0 now; loads `url` (the master or a one-rung master) and plays.
    void start(const QUrl& url);
    // Resumes; after the end of the clip, replays it from 0 (a fresh load, marked "restart").
    void play();
    void pause();
    void seek(qint64 positionMs); // marked on the timeline
    // Reloads from another entry playlist (a rung locked by hand, or back to the master) and
    // resumes where the viewer was. `lockedRung` -1: adaptive.
    void switchSource(const QUrl& url, int lockedRung);
    // Applies a network profile to the server and marks the timeline. A headless run applies
    // it just before start() so the trace's clock and the session clock start together.
    void setProfile(const preview::ShapingProfile& profile);
    // Stops playback (the report stays).
    void stop();

    const QoeRecording& recording() const { return m_recording; }
    double now() const; // session seconds
    bool hasEnded() const { return m_ended; }
    bool isStalled() const { return m_stallOpen; }
    double profileAppliedAt() const { return m_profileAppliedAt; } // session seconds
    QoeReport report() const { return m_recording.report(now()); }

signals:
    void segmentRecorded(int index, bool isSwitch); // index into recording().segments
    void stallChanged(bool stalled);
    void firstFrame(double startupSeconds);
    void ended();
    void changed(); // anything recorded (for redraws)
    // The backend's, forwarded (they survive an engine change).
    void playingChanged(bool playing);
    void positionChanged(qint64 positionMs);
    void durationChanged(qint64 durationMs);
    void errorOccurred(const QString& message);
    void tracksChanged();                          // backend()->tracks() changed
    void subtitleTextChanged(const QString& text); // the cue text to show now

private:
    void loadRungs();
    void onRequest(const preview::RequestEvent& event);
    void onFrame(const QVideoFrame& frame);
    void onTick();
    void attachBackend(PlaybackEngine engine);
    // Replaces the backend (same or other engine, current options); a started session reloads
    // where the viewer was, marked `markLabel` on the timeline.
    void reattach(PlaybackEngine engine, const QString& markLabel);
    void onPlaybackState(PlayerBackend::State state);
    void onLoaded();
    void onEndOfMedia();
    void closeStall(double t);
    void mark(const QString& label);
    void load(const QUrl& url, qint64 resumeAtMs);

    preview::ShapedFileServer* m_server;
    PlayerOptions m_options;
    PlayerBackend* m_backend = nullptr;
    QVideoSink* m_sink = nullptr;
    QTimer* m_tick = nullptr;
    QoeRecording m_recording;
    QHash<QString, std::pair<double, double>> m_mediaTimeByPath; // "path#offset" -> start, length

    QUrl m_url;
    int m_lockedRung = -1;
    QString m_nextSwitchReason; // for the first segment after a restart or a new source
    QElapsedTimer m_wall;
    double m_activeSeconds = 0;    // playback seconds before the current playing stretch
    double m_activeSinceWall = -1; // wall seconds when the current stretch began; -1: not playing
    bool m_started = false;
    bool m_ended = false;
    bool m_awaitingFirstFrame = false;
    bool m_resumePending = false; // after a seek/restart/resume: no stall until the next frame
    double m_lastFrameT = 0;
    bool m_stallOpen = false;
    qint64 m_pendingResumeMs = -1;
    double m_profileAppliedAt = 0;
};

} // namespace hlsforge::qoe
