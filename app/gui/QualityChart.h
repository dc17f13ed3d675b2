#pragma once
// QualityChart: the details pane's quality view of a measured ladder (ladder "measureQuality",
// quality.json): PSNR per rung as bars (SSIM in the rung's label), and PSNR and SSIM per
// segment over time for the rung chosen in its combo box. Qt Charts; hidden when there is
// nothing measured.

#include "quality/QualityMeter.h"

#include <QVector>
#include <QWidget>

class QChartView;
class QComboBox;
class QLabel;

namespace hlsforge::gui {

class QualityChart : public QWidget {
    Q_OBJECT
public:
    explicit QualityChart(QWidget* parent = nullptr);

    // Empty: nothing measured (the widget hides itself). The chosen rung is kept when the new
    // figures have it.
    void setQuality(const QVector<quality::RenditionQuality>& rungs);
    const QVector<quality::RenditionQuality>& quality() const { return m_rungs; }

    QString currentRung() const;
    void showRung(const QString& name);

    // What is drawn, for tests: bars in the per-rung chart; points of the PSNR line over time
    // (a step, two points, per segment).
    int rungBarCount() const;
    int segmentPointCount() const;

private:
    void rebuildRungChart();
    void rebuildSegmentChart();

    QVector<quality::RenditionQuality> m_rungs;
    QLabel* m_title;
    QComboBox* m_rung;
    QChartView* m_perRung;
    QChartView* m_perSegment;
};

} // namespace hlsforge::gui
