#include "AbrTimeline.h"

#include "qoe/PlaybackSession.h"
#include "qoe/TimelinePainter.h"

#include <QPainter>
#include <QSaveFile>

namespace hlsforge::gui {

AbrTimeline::AbrTimeline(const qoe::PlaybackSession* session, QWidget* parent)
    : QWidget(parent), m_session(session), m_title(tr("ABR timeline")) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    // Redraws follow the session's recording (at most ~10 per second: its tick).
    connect(session, &qoe::PlaybackSession::changed, this, qOverload<>(&QWidget::update));
}

void AbrTimeline::setTitle(const QString& title) {
    m_title = title;
    update();
}

const qoe::QoeRecording& AbrTimeline::recording() const {
    return m_session->recording();
}

void AbrTimeline::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    qoe::TimelinePainter::paint(painter, QRectF(rect()), recording(), m_session->now(), m_title);
}

bool AbrTimeline::exportCsv(const QString& path, QString* error) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(toCsv()) < 0 || !file.commit()) {
        if (error)
            *error = QStringLiteral("%1: cannot write (%2)").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool AbrTimeline::exportPng(const QString& path, QString* error) const {
    return qoe::TimelinePainter::savePng(recording(), m_session->now(), path, m_title, error);
}

} // namespace hlsforge::gui
