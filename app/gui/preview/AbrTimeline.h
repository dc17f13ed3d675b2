#pragma once
// The ABR timeline widget: the preview session's recording drawn live by qoe::TimelinePainter
// (the same drawing as the PNG export and `hlsforge-cli qoe --chart`): x = seconds of playback,
// y = kb/s autoscaled; link, BANDWIDTH of the fetched rung, measured throughput, switches,
// stalls as bands, restart/seek/network markers.

#include "qoe/QoeRecording.h"

#include <QWidget>

namespace hlsforge::qoe {
class PlaybackSession;
}

namespace hlsforge::gui {

class AbrTimeline : public QWidget {
    Q_OBJECT
public:
    explicit AbrTimeline(const qoe::PlaybackSession* session, QWidget* parent = nullptr);

    void setTitle(const QString& title);
    const qoe::QoeRecording& recording() const;
    const QVector<qoe::SegmentRecord>& segments() const { return recording().segments; }
    int switchCount() const { return int(recording().switches.size()); }
    QByteArray toCsv() const { return recording().timelineCsv(); }
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    // A 1200x480 PNG whatever the window size, so it reads in a report.
    bool exportPng(const QString& path, QString* error = nullptr) const;

    QSize sizeHint() const override { return {900, 300}; }
    QSize minimumSizeHint() const override { return {360, 200}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    const qoe::PlaybackSession* m_session;
    QString m_title;
};

} // namespace hlsforge::gui
