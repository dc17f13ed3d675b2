#pragma once
// PreviewWindow: plays a finished ladder (any folder holding master.m3u8) through the local
// preview server, the way a viewer on a chosen network would see it.
//
// - Playback and recording are a qoe::PlaybackSession (core/qoe), the same engine and the same
//   record as `hlsforge-cli qoe`: by default our own GStreamer playbin3 pipeline (hlsdemux2),
//   or QMediaPlayer (classic hlsdemux), chosen in the Player box or by HLSFORGE_PLAYER_ENGINE;
//   frames go to a QVideoSink shown by a plain VideoView widget (no native video window, see
//   VideoView.h). Qt Multimedia's backend is chosen when its first object is made, so call
//   selectMediaBackend() at the top of main(), before any Qt Multimedia object exists.
// - Network profile changeable while playing; "Auto (ABR)" or one rung locked (served as a
//   generated single-variant master playlist). Play after the end replays from 0.
// - Live readout (rung, link and the throughput of the last 3 segments, start-up and stalls),
//   the ABR timeline, exports as PNG, CSV and a QoE report (the CLI's JSON or text).
// - Ctrl+W and Esc close it.

#include "preview/RequestEvent.h"

#include <QPointer>
#include <QWidget>

#include <memory>

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QTimer;
QT_END_NAMESPACE

namespace hlsforge::preview {
class ShapedFileServer;
}
namespace hlsforge::qoe {
class PlaybackSession;
enum class PlaybackEngine;
} // namespace hlsforge::qoe

namespace hlsforge::gui {

class AbrTimeline;
class VideoView;

class PreviewWindow : public QWidget {
    Q_OBJECT
public:
    explicit PreviewWindow(const QString& folder, QWidget* parent = nullptr);
    ~PreviewWindow() override;

    // Sets QT_MEDIA_BACKEND=gstreamer unless the user set QT_MEDIA_BACKEND.
    static void selectMediaBackend();

    bool isServing() const;
    QString errorText() const; // why nothing plays (no master playlist, port...), or empty
    preview::ShapedFileServer& server() const { return *m_server; }
    qoe::PlaybackSession* session() const { return m_session; }
    AbrTimeline* timeline() const { return m_timeline; }
    VideoView* videoView() const { return m_video; }

    QStringList profileNames() const;
    void setProfileByName(const QString& name); // a built-in profile, applied at once
    void lockToRung(int rung);                  // -1: Auto (ABR)
    int lockedRung() const { return m_lockedRung; }
    void seekTo(qint64 positionMs);             // as the seek bar does
    void setEngine(qoe::PlaybackEngine engine); // as the Player box does

    // Subtitles: "Off" + one entry per subtitle rendition, as the Subtitles box lists them
    // ("Français (fr)"); select by the box's row (0: Off). The cue shown now, as drawn.
    QStringList subtitleChoices() const;
    void selectSubtitleChoice(int index);
    QString subtitleReadout() const;

    bool exportPng(const QString& path, QString* error = nullptr);
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    // The QoE report as `hlsforge-cli qoe` prints it: JSON for *.json, else text.
    bool exportReport(const QString& path, QString* error = nullptr) const;

    // The readout as shown, for tests and accessibility.
    QString rungReadout() const;
    QString throughputReadout() const;
    QString positionReadout() const;
    QString viewerReadout() const;
    // "0:07 / 0:20": the position clamped to the duration, both rounded alike, so the
    // position never reads past the end ("0:20 / 0:19" when the player ran 30 ms over).
    static QString positionText(qint64 positionMs, qint64 durationMs);
    // The ladder's length: its first media playlist's EXTINF sum, else what the player says.
    qint64 durationMs() const;

    // Audio tracks (alternate audio renditions): the Audio box, shown when there are two or
    // more, lists them by NAME and language as the player reports them.
    QStringList audioTrackLabels() const;
    int currentAudioTrack() const;
    void selectAudioTrack(int index); // as the Audio box does

signals:
    void segmentFetched(int rung, bool isSwitch);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildUi();
    void showViewerText(); // m_viewerText, elided to the label's width
    void onSegment(int index, bool isSwitch);
    void onTick();
    void updatePosition();
    void updateViewer();
    void chooseExportPng();
    void refreshSubtitleChoices(); // the Subtitles box from the backend's text tracks
    void chooseExportCsv();
    void chooseExportReport();
    void watchAudioTracks(); // follows the session's current backend (it changes with the engine)
    void updateAudioTracks();

    QString m_folder;
    std::unique_ptr<preview::ShapedFileServer> m_server;
    QString m_error;
    qoe::PlaybackSession* m_session = nullptr;
    VideoView* m_video = nullptr;
    QPushButton* m_playPause = nullptr;
    QSlider* m_seek = nullptr;
    QComboBox* m_profiles = nullptr;
    QComboBox* m_rungs = nullptr;
    QComboBox* m_engines = nullptr;
    QComboBox* m_buffers = nullptr;   // how far ahead the gst engine fetches
    QComboBox* m_subtitles = nullptr; // Off + the text tracks (data: stream id)
    QLabel* m_rungLabel = nullptr;
    QLabel* m_throughputLabel = nullptr;
    QLabel* m_viewerLabel = nullptr;
    QLabel* m_positionLabel = nullptr;
    QLabel* m_errorLabel = nullptr;
    AbrTimeline* m_timeline = nullptr;
    QTimer* m_tick = nullptr;
    int m_lockedRung = -1;
    QString m_viewerText;            // the viewer line in full (the label may show it elided)
    qint64 m_playlistDurationMs = 0; // EXTINF sum of the first variant; 0: unknown
    bool m_seeking = false;
    // Audio tracks.
    QComboBox* m_audioTracks = nullptr;
    QLabel* m_audioLabel = nullptr;
    QPointer<QObject> m_audioBackend; // the backend whose tracks the box shows
};

} // namespace hlsforge::gui
