#include "AbrTimeline.h"

#include <QChart>
#include <QChartView>
#include <QFile>
#include <QLineSeries>
#include <QPainter>
#include <QSaveFile>
#include <QScatterSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace hlsforge::gui {

AbrTimeline::AbrTimeline(QWidget* parent) : QWidget(parent) {
    m_chart = new QChart;
    m_chart->setTitle(tr("ABR timeline"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);

    m_shapedSeries = new QLineSeries;
    m_shapedSeries->setName(tr("Link (shaped) kb/s"));
    m_rungSeries = new QLineSeries;
    m_rungSeries->setName(tr("BANDWIDTH of fetched rung, kb/s"));
    QPen rungPen(QColor(0x2a, 0x7a, 0xd8));
    rungPen.setWidth(3);
    m_rungSeries->setPen(rungPen);
    m_measuredSeries = new QScatterSeries;
    m_measuredSeries->setName(tr("Measured per segment, kb/s"));
    m_measuredSeries->setMarkerSize(6);
    m_switchSeries = new QScatterSeries;
    m_switchSeries->setName(tr("Rung switch"));
    m_switchSeries->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    m_switchSeries->setMarkerSize(11);
    m_switchSeries->setColor(QColor(0xd8, 0x3a, 0x2a));

    for (QAbstractSeries* s : {static_cast<QAbstractSeries*>(m_shapedSeries),
                               static_cast<QAbstractSeries*>(m_rungSeries),
                               static_cast<QAbstractSeries*>(m_measuredSeries),
                               static_cast<QAbstractSeries*>(m_switchSeries)})
        m_chart->addSeries(s);

    m_timeAxis = new QValueAxis;
    m_timeAxis->setTitleText(tr("seconds"));
    m_timeAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_timeAxis->setTickCount(7); // 0, 5, ... 30 s; the range grows in 30 s steps
    m_rateAxis = new QValueAxis;
    m_rateAxis->setTitleText(tr("kb/s"));
    m_rateAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_rateAxis->setTickCount(6);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_rateAxis, Qt::AlignLeft);
    for (QAbstractSeries* s : m_chart->series()) {
        s->attachAxis(m_timeAxis);
        s->attachAxis(m_rateAxis);
    }
    m_timeAxis->setRange(0, m_maxSeconds);
    m_rateAxis->setRange(0, m_maxKbps);

    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(220);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

void AbrTimeline::clear() {
    m_segments.clear();
    m_shaped.clear();
    m_shapedSeries->clear();
    m_rungSeries->clear();
    m_measuredSeries->clear();
    m_switchSeries->clear();
    m_maxSeconds = 30;
    m_maxKbps = 1000;
    m_timeAxis->setRange(0, m_maxSeconds);
    m_rateAxis->setRange(0, m_maxKbps);
}

void AbrTimeline::growAxes(double seconds, double kbps) {
    if (seconds > m_maxSeconds) {
        m_maxSeconds = std::ceil(seconds / 30.0) * 30.0;
        m_timeAxis->setRange(0, m_maxSeconds);
    }
    if (kbps * 1.1 > m_maxKbps) {
        m_maxKbps = std::ceil(kbps * 1.1 / 1000.0) * 1000.0;
        m_rateAxis->setRange(0, m_maxKbps);
    }
}

void AbrTimeline::addShapedSample(double seconds, double shapedKbps) {
    // Unlimited has no rate to draw; leave a gap rather than a misleading zero line.
    if (shapedKbps <= 0)
        return;
    // Drawn as steps: hold the previous value until this moment.
    if (!m_shaped.isEmpty() && m_shaped.last().second != shapedKbps)
        m_shapedSeries->append(seconds, m_shaped.last().second);
    m_shaped.append({seconds, shapedKbps});
    m_shapedSeries->append(seconds, shapedKbps);
    growAxes(seconds, shapedKbps);
}

bool AbrTimeline::addSegment(const preview::RequestEvent& e) {
    if (e.kind != QLatin1String("segment") || e.variantIndex < 0 || e.status >= 400)
        return false;
    TimelineSegment s;
    s.seconds = e.startSeconds + e.durationMs / 1000.0;
    s.rung = e.variantIndex;
    s.rungBandwidthKbps = e.variantBandwidth / 1000.0;
    s.measuredKbps = e.throughputKbps;
    s.shapedKbps = e.shapedRateKbps;
    s.path = e.path;
    s.isSwitch = !m_segments.isEmpty() && m_segments.last().rung != s.rung;
    const double startSeconds = e.startSeconds;
    if (!m_segments.isEmpty() && m_segments.last().rungBandwidthKbps != s.rungBandwidthKbps)
        m_rungSeries->append(startSeconds, m_segments.last().rungBandwidthKbps);
    m_rungSeries->append(startSeconds, s.rungBandwidthKbps);
    m_rungSeries->append(s.seconds, s.rungBandwidthKbps);
    m_measuredSeries->append(s.seconds, s.measuredKbps);
    if (s.isSwitch)
        m_switchSeries->append(startSeconds, s.rungBandwidthKbps);
    m_segments.append(s);
    // Measured throughput on an unlimited loopback is huge; keep the axis on the ladder.
    growAxes(s.seconds,
             std::max(s.rungBandwidthKbps,
                      std::min(s.measuredKbps,
                               s.shapedKbps > 0 ? s.shapedKbps * 1.2 : s.rungBandwidthKbps * 2)));
    return s.isSwitch;
}

int AbrTimeline::switchCount() const {
    int n = 0;
    for (const TimelineSegment& s : m_segments)
        n += s.isSwitch ? 1 : 0;
    return n;
}

QByteArray AbrTimeline::toCsv() const {
    QByteArray csv = "seconds,shaped_kbps,rung,rung_bandwidth_kbps,measured_kbps,switch,path\n";
    for (const TimelineSegment& s : m_segments) {
        QString path = s.path;
        path.replace(QLatin1Char('"'), QLatin1String("\"\""));
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6,\"%7\"\n")
                   .arg(s.seconds, 0, 'f', 3)
                   .arg(s.shapedKbps, 0, 'f', 0)
                   .arg(s.rung)
                   .arg(s.rungBandwidthKbps, 0, 'f', 1)
                   .arg(s.measuredKbps, 0, 'f', 1)
                   .arg(s.isSwitch ? 1 : 0)
                   .arg(path)
                   .toUtf8();
    }
    return csv;
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

bool AbrTimeline::exportPng(const QString& path, QString* error) {
    const QPixmap pixmap = m_view->grab();
    if (pixmap.isNull() || !pixmap.save(path, "PNG")) {
        if (error)
            *error = QStringLiteral("%1: cannot write the PNG").arg(path);
        return false;
    }
    return true;
}

} // namespace hlsforge::gui
