#pragma once
// GstPlayerBackend: the "gst" engine, our own GStreamer pipeline on the C API.
//   playbin3 (uri) ─ hlsdemux2 ─ decoders ─ video: appsink (I420, sync) → QVideoFrame → the
//                                           session's QVideoSink, on the GUI thread
//                                         ├ audio: autoaudiosink, or fakesink sync=true when
//                                         │ the machine has no sound card (real time either way)
//                                         └ text: appsink (text/x-raw) → cues → subtitleTextChanged
// Subtitles are read as text, not drawn into the frames by playbin3's overlay: the window draws
// them over the picture itself (no pango fonts in the pipeline, works headless), and a test
// reads exactly what a viewer is shown. Tracks are playbin3's stream collection; choosing one
// is a GST_EVENT_SELECT_STREAMS naming every stream to keep (hlsdemux2 then downloads only the
// chosen subtitle playlist).
// Why playbin3: only a streams-aware pipeline gets hlsdemux2 (decodebin2, under Qt's and
// playbin's pipelines, falls back to the classic hlsdemux).
// The bus is read by a sync handler that hands each message to the GUI thread (queued), tagged
// with the pipeline's generation so a message of a pipeline already replaced is dropped.
// Buffering follows GStreamer's convention (pause below 100 %, play at 100 %) while the
// public state stays Playing: to a viewer that is a stall, and the session times it as one.
// Every load builds a fresh pipeline (as QMediaPlayer does), so replaying after the end never
// seeks an ended demuxer.

#include "qoe/PlayerBackend.h"

#include <QMutex>
#include <QVideoFrame>

#include <atomic>
#include <memory>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

typedef struct _GstElement GstElement;
typedef struct _GstMessage GstMessage;

namespace hlsforge::qoe {

class GstPlayerBackend final : public PlayerBackend {
    Q_OBJECT
public:
    GstPlayerBackend(QVideoSink* sink, const PlayerOptions& options, QObject* parent = nullptr);
    ~GstPlayerBackend() override;

    // Empty when playbin3, appsink and hlsdemux2 can be made, else what is missing and the
    // Debian package that has it.
    static QString missingElements();

    PlaybackEngine engine() const override { return PlaybackEngine::Gst; }
    void setSource(const QUrl& url) override;
    QUrl source() const override { return m_source; }
    void play() override;
    void pause() override;
    void stop() override;
    void setPosition(qint64 positionMs) override;
    qint64 positionMs() const override { return m_positionMs; }
    qint64 durationMs() const override { return m_durationMs; }
    State state() const override { return m_state; }
    bool isAtEnd() const override { return m_atEnd; }
    QStringList pipelineElements() const override;

    // Tracks: playbin3's stream collection, selection by GST_EVENT_SELECT_STREAMS.
    QVector<MediaTrack> tracks(TrackType type) const override;
    bool selectTrack(TrackType type, const QString& id) override;
    // From the text appsink's streaming thread: one cue, in stream time (the position's clock).
    void deliverCue(qint64 startMs, qint64 endMs, const QString& text);

    // Called from GStreamer's threads (the bus sync handler, appsink, deep-element-added).
    void postBusMessage(quint64 generation, GstMessage* message);
    void deliverFrame(QVideoFrame frame);
    void noteElement(GstElement* element);
    // From the bus sync handler: the pipeline prerolled, ended or failed, so its first
    // downloads (master, media playlist, first segments) are no longer in flight.
    void noteSettled() { m_settled = true; }

private:
    struct ElementUnref {
        void operator()(GstElement* e) const;
    };
    bool build();
    void teardown();
    void onBusMessage(quint64 generation, GstMessage* message);
    void applyPipelineState();
    void setStateValue(State state);
    void pollPosition();
    void queryDuration();
    void fail(const QString& message);
    void flushFrame();
    // Tracks and subtitles (own section).
    void onStreamCollection(GstMessage* message);
    void onStreamsSelected(GstMessage* message);
    bool sendStreamSelection(TrackType type, const QString& id);
    void applyTextPreference();
    void updateSubtitleText();
    void clearCues();

    QVideoSink* m_sink;
    PlayerOptions m_options;
    std::unique_ptr<GstElement, ElementUnref> m_pipeline;
    std::atomic<quint64> m_generation{0};
    QUrl m_source;
    State m_state = State::Stopped;
    bool m_atEnd = false;
    bool m_prerolled = false;    // the current pipeline reached PAUSED once (loaded() sent)
    bool m_buffering = false;    // paused by a buffering message below 100 %
    qint64 m_pendingSeekMs = -1; // a seek asked for before preroll
    qint64 m_positionMs = 0;
    qint64 m_durationMs = 0;
    QTimer* m_poll = nullptr;
    QString m_pendingAudioId; // an audio track chosen before preroll (sent at preroll)

    // Tracks and subtitles (GUI thread).
    struct StreamEntry {
        QString id;
        int kind = 0; // GstStreamType bits (GST_STREAM_TYPE_AUDIO, _VIDEO, _TEXT)
        QString language;
        QString title;
    };
    QVector<StreamEntry> m_streams; // the newest stream collection
    QStringList m_selectedStreams;  // as the last STREAMS_SELECTED said
    struct TextPreference {         // the viewer's subtitle choice, kept across loads
        bool set = false;
        bool off = false;
        QString language, title;
    } m_textWanted;
    struct ShownCue {
        qint64 startMs = 0, endMs = 0;
        QString text;
    };
    QVector<ShownCue> m_cues; // received and not yet over
    QString m_subtitleText;   // what subtitleTextChanged last said

    mutable QMutex m_lock; // guards the two below, written from streaming threads
    QVideoFrame m_pendingFrame;
    QStringList m_elements;
    std::atomic<bool> m_framePosted{false};
    // Set when the current pipeline was asked to go to PAUSED or PLAYING / when it reached
    // ASYNC_DONE, EOS or an error. teardown() waits for the second after the first (see there).
    bool m_started = false;
    std::atomic<bool> m_settled{false};
};

} // namespace hlsforge::qoe
