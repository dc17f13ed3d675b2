#include "VideoView.h"

#include <QCoreApplication>
#include <QPainter>
#include <QVideoFrame>
#include <QVideoSink>

#include <algorithm>

namespace hlsforge::gui {

VideoView::VideoView(QVideoSink* sink, QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    // QVideoFrame::toImage() converts through an OpenGL QRhi when the platform offers one; under
    // Xvfb that is Mesa's software GL, slow enough on a loaded machine to miss the deadline
    // below. This attribute makes Qt 6.4 convert on the CPU (qvideoframeconverter.cpp); the
    // app has no GL widgets, so nothing else changes.
    QCoreApplication::setAttribute(Qt::AA_ForceRasterWidgets);
    setMinimumSize(320, 180);
    connect(sink, &QVideoSink::videoFrameChanged, this, &VideoView::onFrame);
}

void VideoView::onFrame(const QVideoFrame& frame) {
    // Keep this cheap: Qt 6.4's GStreamer sink hands the frame over from its streaming thread
    // and waits at most 300 ms for every slot of videoFrameChanged to return; if they take
    // longer, the buffer counts as failed and the pipeline stops with "Internal data stream
    // error". So only keep the frame here (a reference) and convert it when painting.
    if (!frame.isValid())
        return;
    m_frame = frame;
    m_stale = true;
    ++m_framesShown;
    update();
}

QImage VideoView::currentImage() const {
    if (m_stale) {
        m_image = m_frame.toImage();
        m_stale = false;
    }
    return m_image;
}

void VideoView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), Qt::black);
    const QImage image = currentImage();
    if (image.isNull())
        return;
    const QSize size = image.size().scaled(this->size(), Qt::KeepAspectRatio);
    const QRect target(QPoint((width() - size.width()) / 2, (height() - size.height()) / 2), size);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(target, image);
    if (!m_subtitleText.isEmpty()) {
        // Sized to the picture (about 1/18 of its height per line, as TV subtitles are), on a
        // translucent box so it reads on any picture.
        QFont font = painter.font();
        font.setPixelSize(std::max(12, target.height() / 18));
        painter.setFont(font);
        const QRect area =
            target.adjusted(target.width() / 20, 0, -target.width() / 20, -target.height() / 20);
        const QRect box = painter.boundingRect(
            area, Qt::AlignHCenter | Qt::AlignBottom | Qt::TextWordWrap, m_subtitleText);
        painter.fillRect(box.adjusted(-6, -3, 6, 3), QColor(0, 0, 0, 160));
        painter.setPen(Qt::white);
        painter.drawText(area, Qt::AlignHCenter | Qt::AlignBottom | Qt::TextWordWrap,
                         m_subtitleText);
    }
}

void VideoView::setSubtitleText(const QString& text) {
    if (text == m_subtitleText)
        return;
    m_subtitleText = text;
    update();
}

} // namespace hlsforge::gui
