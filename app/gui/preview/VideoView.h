#pragma once
// VideoView: shows the frames of a QVideoSink in a plain (non-native) widget.
//
// Why not QVideoWidget: in Qt 6.4 it embeds a native child window (a QWindow rendered with
// RHI/OpenGL through createWindowContainer). Without a compositor (Xvfb, many remote and
// kiosk setups) the popups opened over the window once playback had started (the rung and
// network dropdowns, file dialogs, the publish window's credential list) were drawn solid
// black. Painting the frame as an image in an ordinary widget keeps the whole window in one
// backing store; the frames are small (a preview), so the copy costs little.

#include <QImage>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QVideoFrame;
class QVideoSink;
QT_END_NAMESPACE

namespace hlsforge::gui {

class VideoView : public QWidget {
    Q_OBJECT
public:
    explicit VideoView(QVideoSink* sink, QWidget* parent = nullptr);
    QImage currentImage() const { return m_image; }
    int framesShown() const { return m_framesShown; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void onFrame(const QVideoFrame& frame);
    QImage m_image;
    int m_framesShown = 0;
};

} // namespace hlsforge::gui
