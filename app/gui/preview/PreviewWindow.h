#pragma once
// PreviewWindow: plays a finished ladder (any folder holding master.m3u8) through the local
// preview server, the way a viewer on a chosen network would see it.
//
// - QMediaPlayer + QVideoWidget on http://127.0.0.1:PORT/master.m3u8 (GStreamer backend:
//   its hlsdemux adapts bitrate; the FFmpeg backend of Qt 6.4 fetches every variant and can
//   crash without an audio device). The backend is chosen when the first QMediaPlayer is
//   made, so call PreviewWindow::selectMediaBackend() at the top of main(), before any
//   Qt Multimedia object exists; the constructor calls it too, which suffices when the
//   preview window makes the first player.
// - No audio output is attached unless an audio device exists, so it works headless.
// - Network profile changeable while playing; "Auto (ABR)" or one rung locked (served as a
//   generated single-variant master playlist).
// - Live readout and an ABR timeline (AbrTimeline), exportable as PNG and CSV.

#include "preview/RequestEvent.h"

#include <QWidget>

#include <memory>

QT_BEGIN_NAMESPACE
class QAudioOutput;
class QComboBox;
class QLabel;
class QMediaPlayer;
class QPushButton;
class QSlider;
class QTimer;
class QVideoWidget;
QT_END_NAMESPACE

namespace hlsforge::preview {
class ShapedFileServer;
}

namespace hlsforge::gui {

class AbrTimeline;

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
    QMediaPlayer* player() const { return m_player; }
    AbrTimeline* timeline() const { return m_timeline; }

    QStringList profileNames() const;
    void setProfileByName(const QString& name); // a built-in profile, applied at once
    void lockToRung(int rung);                  // -1: Auto (ABR)
    int lockedRung() const { return m_lockedRung; }

    bool exportPng(const QString& path, QString* error = nullptr);
    bool exportCsv(const QString& path, QString* error = nullptr) const;

    // The readout as shown, for tests and accessibility.
    QString rungReadout() const;
    QString throughputReadout() const;
    QString positionReadout() const;

signals:
    void segmentFetched(int rung, bool isSwitch);

private:
    void buildUi();
    void onRequest(const preview::RequestEvent& event);
    void onTick();
    void playUrl(const QUrl& url, qint64 resumeAtMs);
    void updatePosition();
    void chooseExportPng();
    void chooseExportCsv();

    QString m_folder;
    std::unique_ptr<preview::ShapedFileServer> m_server;
    QString m_error;
    QMediaPlayer* m_player = nullptr;
    QAudioOutput* m_audio = nullptr;
    QVideoWidget* m_video = nullptr;
    QPushButton* m_playPause = nullptr;
    QSlider* m_seek = nullptr;
    QComboBox* m_profiles = nullptr;
    QComboBox* m_rungs = nullptr;
    QLabel* m_rungLabel = nullptr;
    QLabel* m_throughputLabel = nullptr;
    QLabel* m_positionLabel = nullptr;
    QLabel* m_errorLabel = nullptr;
    AbrTimeline* m_timeline = nullptr;
    QTimer* m_tick = nullptr;
    int m_lockedRung = -1;
    double m_measuredKbps = 0; // smoothed over segments
    bool m_seeking = false;
    qint64 m_pendingResumeMs = -1;
};

} // namespace hlsforge::gui
