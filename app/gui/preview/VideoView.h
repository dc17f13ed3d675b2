#pragma once
// VideoView: shows the frames of a QVideoSink in a plain (non-native) widget.
//
// Why not QVideoWidget: in Qt 6.4 it embeds a native child window (a QWindow rendered through
// RHI via createWindowContainer). Issue 10 saw popups over the preview (dropdowns, file dialogs)
// drawn solid black under Xvfb once playback had started; a native child without a compositor
// is the usual cause, though a minimal A/B did not reproduce it. A plain widget painting the
// frame keeps the whole window in one backing store, and the session's own QVideoSink is also
// what times start-up and stalls. A preview's frames are small, so the copy costs little.

#include <QImage>
#include <QVideoFrame>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QVideoSink;
QT_END_NAMESPACE

namespace hlsforge::gui {

class VideoView : public QWidget {
    Q_OBJECT
public:
    explicit VideoView(QVideoSink* sink, QWidget* parent = nullptr);
    QImage currentImage() const; // the latest frame as an image (null before the first)
    int framesShown() const { return m_framesShown; }
    // The subtitle cue shown over the picture (bottom centre, white on a dark box); empty: none.
    void setSubtitleText(const QString& text);
    const QString& subtitleText() const { return m_subtitleText; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void onFrame(const QVideoFrame& frame);
    QVideoFrame m_frame;    // the latest frame, converted when painted
    mutable QImage m_image; // m_frame as an image, once converted
    mutable bool m_stale = false;
    int m_framesShown = 0;
    QString m_subtitleText;
};

} // namespace hlsforge::gui
