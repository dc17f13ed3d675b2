#include "QualityChart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPalette>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace hlsforge::gui {

namespace {

// Identical pictures have an infinite PSNR; drawn at the top of the axis.
constexpr double kTopDecibels = 60;

double drawable(double decibels) {
    return std::isfinite(decibels) ? std::min(decibels, kTopDecibels) : kTopDecibels;
}

QChartView* makeView(QWidget* parent) {
    auto* view = new QChartView(parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(200);
    view->setChart(new QChart);
    view->chart()->legend()->setAlignment(Qt::AlignBottom);
    view->chart()->setMargins(QMargins(4, 4, 4, 4));
    return view;
}

} // namespace

QualityChart::QualityChart(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("qualityChart"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* header = new QHBoxLayout;
    m_title = new QLabel(tr("Quality against the source scaled to each rung"), this);
    m_rung = new QComboBox(this);
    m_rung->setObjectName(QStringLiteral("qualityRung"));
    m_rung->setToolTip(tr("The rung whose segments are drawn on the right"));
    header->addWidget(m_title, 1);
    header->addWidget(new QLabel(tr("Per segment:"), this));
    header->addWidget(m_rung);
    layout->addLayout(header);
    auto* charts = new QHBoxLayout;
    m_perRung = makeView(this);
    m_perSegment = makeView(this);
    charts->addWidget(m_perRung, 2);
    charts->addWidget(m_perSegment, 3);
    layout->addLayout(charts);
    connect(m_rung, &QComboBox::currentIndexChanged, this, [this] { rebuildSegmentChart(); });
    setVisible(false);
}

void QualityChart::setQuality(const QVector<quality::RenditionQuality>& rungs) {
    const QString chosen = currentRung();
    m_rungs = rungs;
    {
        const QSignalBlocker blocker(m_rung);
        m_rung->clear();
        for (const quality::RenditionQuality& r : m_rungs)
            m_rung->addItem(r.name);
        m_rung->setCurrentIndex(std::max(0, m_rung->findText(chosen)));
    }
    rebuildRungChart();
    rebuildSegmentChart();
    setVisible(!m_rungs.isEmpty());
}

QString QualityChart::currentRung() const {
    return m_rung->currentText();
}

void QualityChart::showRung(const QString& name) {
    const int index = m_rung->findText(name);
    if (index >= 0)
        m_rung->setCurrentIndex(index);
}

int QualityChart::rungBarCount() const {
    const auto series = m_perRung->chart()->series();
    if (series.isEmpty())
        return 0;
    const auto* bars = static_cast<const QBarSeries*>(series.first());
    return bars->barSets().isEmpty() ? 0 : int(bars->barSets().first()->count());
}

int QualityChart::segmentPointCount() const {
    const auto series = m_perSegment->chart()->series();
    if (series.isEmpty())
        return 0;
    return int(static_cast<const QLineSeries*>(series.first())->count());
}

void QualityChart::rebuildRungChart() {
    QChart* chart = m_perRung->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes())
        chart->removeAxis(axis), delete axis;
    chart->setTitle(tr("PSNR per rung"));
    if (m_rungs.isEmpty())
        return;
    auto* set = new QBarSet(tr("PSNR average (dB)"));
    QStringList categories;
    double lowest = kTopDecibels, highest = 0;
    for (const quality::RenditionQuality& r : m_rungs) {
        const double db = drawable(r.overall.psnrAverage);
        *set << db;
        lowest = std::min(lowest, db);
        highest = std::max(highest, db);
        categories << r.name;
    }
    set->setLabelColor(palette().color(QPalette::WindowText));
    auto* series = new QBarSeries;
    series->append(set);
    series->setLabelsVisible(true);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    series->setLabelsFormat(QStringLiteral("@value"));
    series->setLabelsPrecision(3);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    auto* y = new QValueAxis;
    // Bars start a little below the lowest rung, so differences of a dB or two stay visible;
    // room above the highest for its label.
    const double bottom = std::max(0.0, std::floor(lowest / 5) * 5 - 5);
    const double top = std::ceil(highest / 5) * 5 + 5;
    y->setRange(bottom, top);
    y->setTickCount(int((top - bottom) / 5) + 1); // a line every 5 dB
    y->setLabelFormat(QStringLiteral("%.0f"));
    y->setTitleText(tr("PSNR dB"));
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    chart->legend()->setVisible(false);
}

void QualityChart::rebuildSegmentChart() {
    QChart* chart = m_perSegment->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes())
        chart->removeAxis(axis), delete axis;
    const int index = m_rung->currentIndex();
    if (index < 0 || index >= m_rungs.size()) {
        chart->setTitle(QString());
        return;
    }
    const quality::RenditionQuality& r = m_rungs[index];
    chart->setTitle(tr("%1 per segment").arg(r.name));
    auto* psnr = new QLineSeries;
    psnr->setName(tr("PSNR (dB)"));
    auto* ssim = new QLineSeries;
    ssim->setName(tr("SSIM"));
    double low = kTopDecibels, high = 0, lowSsim = 1, highSsim = 0;
    double end = 0;
    // One step per segment: its figure holds from its start to its end.
    for (const quality::SegmentQuality& s : r.segments) {
        const double db = drawable(s.quality.psnrAverage);
        const double segmentEnd = s.startSeconds + s.durationSeconds;
        psnr->append(s.startSeconds, db);
        psnr->append(segmentEnd, db);
        ssim->append(s.startSeconds, s.quality.ssimAll);
        ssim->append(segmentEnd, s.quality.ssimAll);
        low = std::min(low, db);
        high = std::max(high, db);
        lowSsim = std::min(lowSsim, s.quality.ssimAll);
        highSsim = std::max(highSsim, s.quality.ssimAll);
        end = std::max(end, segmentEnd);
    }
    chart->addSeries(psnr);
    chart->addSeries(ssim);
    auto* x = new QValueAxis;
    x->setRange(0, std::max(end, 1.0));
    x->setTitleText(tr("seconds"));
    x->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(x, Qt::AlignBottom);
    auto* y = new QValueAxis;
    y->setRange(std::floor(low) - 1, std::ceil(high) + 1);
    y->setTitleText(tr("PSNR dB"));
    chart->addAxis(y, Qt::AlignLeft);
    auto* y2 = new QValueAxis;
    // Each line gets its own axis around its own values, so both show their variation.
    y2->setRange(std::max(0.0, std::floor(lowSsim * 100) / 100 - 0.01),
                 std::min(1.0, std::ceil(highSsim * 100) / 100 + 0.01));
    y2->setTitleText(tr("SSIM"));
    y2->setLabelFormat(QStringLiteral("%.3f"));
    chart->addAxis(y2, Qt::AlignRight);
    psnr->attachAxis(x);
    psnr->attachAxis(y);
    ssim->attachAxis(x);
    ssim->attachAxis(y2);
    chart->legend()->setVisible(true);
}

} // namespace hlsforge::gui
