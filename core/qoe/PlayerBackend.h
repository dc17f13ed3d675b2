#pragma once
// PlayerBackend: the player under a PlaybackSession, one of two engines behind one contract.
//   - GstPlayerBackend ("gst", the default): our own GStreamer playbin3 pipeline, so HLS goes
//     through hlsdemux2 (adaptivedemux2), which abandons a fragment it cannot finish in time
//     and buffers ahead like hls.js or Video.js (see docs/preview.md for the measurements).
//   - QtPlayerBackend ("qt"): QMediaPlayer on Qt Multimedia's GStreamer backend, which builds
//     on uridecodebin and so always gets the classic hlsdemux.
// Both draw into the session's QVideoSink (so start-up and stalls are timed the same way),
// play audio only where there is a sound card, and report state, position, end of media and
// errors as signals on the GUI thread. The session keeps the clock and maps segment requests
// to rungs from the server's request log, so a report does not depend on the engine.
// Lives in the GUI thread. No Widgets.

#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QVector>

QT_BEGIN_NAMESPACE
class QVideoSink;
QT_END_NAMESPACE

namespace hlsforge::qoe {

enum class PlaybackEngine { Gst, Qt };

// "gst" / "qt"; the inverse accepts those (any case) and returns false for anything else.
QString engineName(PlaybackEngine engine);
bool parseEngine(const QString& name, PlaybackEngine* engine);
// A user-facing description ("GStreamer playbin3 (hlsdemux2)").
QString engineDescription(PlaybackEngine engine);
// HLSFORGE_PLAYER_ENGINE=gst|qt when set and valid, else gst.
PlaybackEngine defaultEngine();

struct PlayerOptions {
    // How far ahead the gst engine may buffer, seconds (hlsdemux2's high watermark and its
    // max-buffering-time). 0: hlsdemux2's own default, 30 s, the goal Video.js (VHS) and
    // hls.js use too. The qt engine's hlsdemux has no such setting.
    double bufferAheadSeconds = 0;
    // Media the gst engine holds before the first frame and after a stall (hlsdemux2's low
    // watermark: its buffering reaches 100 % there). Its automatic value waited for about two
    // segments: 6 s to the first frame at 900 kb/s on the test ladder where the qt engine
    // started within 1 s; with 1 s it started in 2-3.5 s (3G, 900 kb/s) with no more stalls,
    // close to web players, which start once a segment's start is buffered. 0: automatic.
    double startBufferSeconds = 1.0;
};

// Alternative tracks of one kind a viewer picks from (the master's SUBTITLES renditions; AUDIO
// ones where the engine lists them).
enum class TrackType { Audio, Text };
struct MediaTrack {
    QString id;       // the engine's stream id, for selectTrack()
    QString language; // as the stream is tagged ("fr"), empty when untagged
    QString title;    // NAME of the rendition when the engine has it, else empty
    bool selected = false;
};

// An audio track for a menu (the Audio tracks() in the master's order, with a label).
struct AudioTrack {
    QString id;       // the engine's own stream id
    QString language; // as the playlist says it ("de"); empty when untagged
    QString name;     // the rendition's NAME; empty when the engine has none
    // For a menu: "German (de)", "Audio 2" when it has neither.
    QString label(int index) const;
};

class PlayerBackend : public QObject {
    Q_OBJECT
public:
    enum class State { Stopped, Playing, Paused };
    using QObject::QObject;

    virtual PlaybackEngine engine() const = 0;
    // Loads `url` (an empty URL unloads); the player stops, as QMediaPlayer does.
    virtual void setSource(const QUrl& url) = 0;
    virtual QUrl source() const = 0;
    virtual void play() = 0;
    virtual void pause() = 0;
    virtual void stop() = 0;
    virtual void setPosition(qint64 positionMs) = 0;
    virtual qint64 positionMs() const = 0;
    virtual qint64 durationMs() const = 0;
    virtual State state() const = 0;
    // The end of the stream was reached and nothing has been loaded or sought since.
    virtual bool isAtEnd() const = 0;
    // Factory names of every element the pipeline has created since the last load
    // ("playbin3", "hlsdemux2", …): how a test tells which demuxer plays. Empty for qt.
    virtual QStringList pipelineElements() const { return {}; }

    // Tracks of `type` in the loaded stream (empty until it has been read, and on engines that
    // cannot choose). selectTrack plays `id` for `type`; an empty id turns subtitles off.
    // Returns false when the engine cannot choose or has no such track. The choice of a
    // subtitle language is kept for the next load (a reload at another rung or buffer).
    virtual QVector<MediaTrack> tracks(TrackType type) const {
        Q_UNUSED(type);
        return {};
    }
    virtual bool selectTrack(TrackType type, const QString& id) {
        Q_UNUSED(type);
        Q_UNUSED(id);
        return false;
    }

    // Audio tracks over tracks(TrackType::Audio), for the Audio menus: empty when the stream
    // has one muxed track or the engine cannot list them (qt). currentAudioTrack: the index
    // playing, -1 when unknown. selectAudioTrack switches without restarting playback.
    QVector<AudioTrack> audioTracks() const;
    int currentAudioTrack() const;
    void selectAudioTrack(int index);

signals:
    void stateChanged(hlsforge::qoe::PlayerBackend::State state);
    void positionChanged(qint64 positionMs);
    void durationChanged(qint64 durationMs);
    void loaded();     // the new source is ready (prerolled): seeks land now
    void endOfMedia(); // the end of the stream; state is Stopped
    void errorOccurred(const QString& message);
    void tracksChanged(); // tracks() or their selection changed
    // The subtitle text to show over the picture now (cue lines joined by '\n'); empty: none.
    void subtitleTextChanged(const QString& text);
};

} // namespace hlsforge::qoe
