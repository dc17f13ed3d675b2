#include "VideoView.h"

#include <QPainter>
#include <QVideoFrame>
#include <QVideoSink>

namespace hlsforge::gui {

VideoView::VideoView(QVideoSink* sink, QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 180);
    connect(sink, &QVideoSink::videoFrameChanged, this, &VideoView::onFrame);
}

void VideoView::onFrame(const QVideoFrame& frame) {
    if (!frame.isValid() || !isVisible())
        return;
    m_image = frame.toImage();
    ++m_framesShown;
    update();
}

void VideoView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), Qt::black);
    if (m_image.isNull())
        return;
    const QSize size = m_image.size().scaled(this->size(), Qt::KeepAspectRatio);
    const QRect target(QPoint((width() - size.width()) / 2, (height() - size.height()) / 2), size);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(target, m_image);
}

} // namespace hlsforge::gui
