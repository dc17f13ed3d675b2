#pragma once
// The ABR timeline: what the link offered and what the player fetched, over time. Holds the
// samples (for CSV) and draws them with Qt Charts: the shaped bandwidth, the BANDWIDTH of
// the rung being fetched, the measured throughput per segment, and a marker at each switch.

#include "preview/RequestEvent.h"

#include <QVector>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace hlsforge::gui {

struct TimelineSegment {
    double seconds = 0; // when the fetch finished, since the server started
    int rung = -1;
    double rungBandwidthKbps = 0;
    double measuredKbps = 0;
    double shapedKbps = 0; // 0: unlimited
    QString path;
    bool isSwitch = false; // the rung differs from the previous segment's
};

class AbrTimeline : public QWidget {
    Q_OBJECT
public:
    explicit AbrTimeline(QWidget* parent = nullptr);

    void clear();
    // The link rate at a moment (sampled a few times a second by the window).
    void addShapedSample(double seconds, double shapedKbps);
    // A finished segment fetch; returns true when it is a rung switch.
    bool addSegment(const preview::RequestEvent& event);

    const QVector<TimelineSegment>& segments() const { return m_segments; }
    int switchCount() const;
    QByteArray toCsv() const;
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    bool exportPng(const QString& path, QString* error = nullptr);
    QChartView* chartView() const { return m_view; }

private:
    void growAxes(double seconds, double kbps);

    QVector<TimelineSegment> m_segments;
    QVector<QPair<double, double>> m_shaped; // seconds, kbps
    QChart* m_chart = nullptr;
    QChartView* m_view = nullptr;
    QLineSeries* m_shapedSeries = nullptr;
    QLineSeries* m_rungSeries = nullptr;
    QScatterSeries* m_measuredSeries = nullptr;
    QScatterSeries* m_switchSeries = nullptr;
    QValueAxis* m_timeAxis = nullptr;
    QValueAxis* m_rateAxis = nullptr;
    double m_maxSeconds = 30;
    double m_maxKbps = 1000;
};

} // namespace hlsforge::gui
