#include "suggest/HullChart.h"

#include <QFont>
#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>
#include <QSaveFile>

#include <algorithm>
#include <cmath>
#include <map>

namespace hlsforge::suggest {

const QRgb HullChartColours::kHull = qRgb(0x33, 0x00, 0x66);
const QRgb HullChartColours::kRung = qRgb(0xe6, 0x6c, 0x00);
const QRgb HullChartColours::kTarget = qRgb(0xc0, 0x1c, 0x28);

namespace {

// One hue per resolution, far apart and none of them the hull's, the rungs' or the target's.
const QRgb kResolutionColours[] = {qRgb(0x1f, 0x5f, 0xbf), qRgb(0x2c, 0xa0, 0x2c),
                                   qRgb(0x8e, 0x44, 0xad), qRgb(0x17, 0xbe, 0xcf),
                                   qRgb(0xbc, 0xbd, 0x22), qRgb(0x8c, 0x56, 0x4b)};

// 1, 2, 5 steps: the ticks a reader expects on a log rate axis.
QVector<double> logTicks(double lo, double hi) {
    QVector<double> ticks;
    for (double decade = std::pow(10.0, std::floor(std::log10(lo))); decade <= hi; decade *= 10)
        for (double m : {1.0, 2.0, 5.0})
            if (m * decade >= lo && m * decade <= hi)
                ticks.append(m * decade);
    return ticks;
}

} // namespace

QImage renderHullChart(const Suggestion& s, const QSize& size) {
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font = p.font();
    font.setPixelSize(std::max(11, size.height() / 50));
    p.setFont(font);
    const QFontMetrics fm(font);

    double minKbps = 1e12, maxKbps = 0, minPsnr = 1e9, maxPsnr = 0;
    auto extend = [&](double kbps, double psnr) {
        if (kbps <= 0)
            return;
        minKbps = std::min(minKbps, kbps);
        maxKbps = std::max(maxKbps, kbps);
        minPsnr = std::min(minPsnr, psnr);
        maxPsnr = std::max(maxPsnr, psnr);
    };
    for (const TrialPoint& t : s.points)
        extend(t.kbps, t.psnr);
    for (const SuggestedRung& r : s.rungs)
        extend(r.videoKbps, r.predictedPsnr);
    const QString title =
        QStringLiteral("%1: PSNR at the source's size vs video kb/s").arg(s.source);
    const int margin = fm.height();
    p.drawText(QRect(0, margin / 2, size.width(), fm.height()), Qt::AlignHCenter, title);
    if (maxKbps <= 0) {
        p.drawText(image.rect(), Qt::AlignCenter, QStringLiteral("no trial encodes"));
        return image;
    }
    minKbps /= 1.2;
    maxKbps *= 1.2;
    minPsnr = std::floor(minPsnr - 1);
    maxPsnr = std::ceil(std::max(maxPsnr, s.targetPsnr) + 1);

    const QRectF area(margin + fm.horizontalAdvance(QStringLiteral("00 dB")) + margin, margin * 2.5,
                      0, 0);
    const QRectF plot(area.left(), area.top(), size.width() - area.left() - margin * 11,
                      size.height() - area.top() - margin * 3.5);
    auto x = [&](double kbps) {
        return plot.left() + plot.width() * std::log(kbps / minKbps) / std::log(maxKbps / minKbps);
    };
    auto y = [&](double psnr) {
        return plot.bottom() - plot.height() * (psnr - minPsnr) / (maxPsnr - minPsnr);
    };

    // Axes and grid.
    p.setPen(QPen(QColor(0xdd, 0xdd, 0xdd), 1));
    for (double t : logTicks(minKbps, maxKbps))
        p.drawLine(QPointF(x(t), plot.top()), QPointF(x(t), plot.bottom()));
    const double psnrStep = (maxPsnr - minPsnr) > 20 ? 5 : 2;
    for (double d = std::ceil(minPsnr / psnrStep) * psnrStep; d <= maxPsnr; d += psnrStep)
        p.drawLine(QPointF(plot.left(), y(d)), QPointF(plot.right(), y(d)));
    p.setPen(Qt::black);
    p.drawRect(plot);
    for (double t : logTicks(minKbps, maxKbps))
        p.drawText(QRectF(x(t) - 40, plot.bottom() + 2, 80, fm.height()), Qt::AlignHCenter,
                   QString::number(t, 'f', 0));
    p.drawText(QRectF(plot.left(), plot.bottom() + fm.height() + 2, plot.width(), fm.height()),
               Qt::AlignHCenter, QStringLiteral("video kb/s (log)"));
    for (double d = std::ceil(minPsnr / psnrStep) * psnrStep; d <= maxPsnr; d += psnrStep)
        p.drawText(QRectF(0, y(d) - fm.height() / 2.0, plot.left() - 4, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("%1 dB").arg(d, 0, 'f', 0));

    // The target: where the top rung stops.
    p.setPen(QPen(QColor(HullChartColours::kTarget), 2, Qt::DashLine));
    p.drawLine(QPointF(plot.left(), y(s.targetPsnr)), QPointF(plot.right(), y(s.targetPsnr)));
    p.drawText(
        QRectF(plot.left() + 4, y(s.targetPsnr) - fm.height() - 2, plot.width(), fm.height()),
        Qt::AlignLeft, QStringLiteral("target %1 dB").arg(s.targetPsnr, 0, 'f', 1));

    // Trials, one colour and one line per resolution, tallest first in the legend.
    std::map<int, QVector<TrialPoint>, std::greater<int>> byHeight;
    for (const TrialPoint& t : s.points)
        byHeight[t.height].append(t);
    int index = 0;
    double legendY = plot.top();
    for (auto& [height, trials] : byHeight) {
        const QColor colour(kResolutionColours[index++ % std::size(kResolutionColours)]);
        std::sort(trials.begin(), trials.end(),
                  [](const TrialPoint& a, const TrialPoint& b) { return a.kbps < b.kbps; });
        p.setPen(QPen(colour, 1.5));
        for (int i = 1; i < trials.size(); ++i)
            p.drawLine(QPointF(x(trials[i - 1].kbps), y(trials[i - 1].psnr)),
                       QPointF(x(trials[i].kbps), y(trials[i].psnr)));
        p.setBrush(colour);
        for (const TrialPoint& t : trials)
            p.drawEllipse(QPointF(x(t.kbps), y(t.psnr)), 4, 4);
        p.drawEllipse(QPointF(plot.right() + margin * 1.5, legendY + fm.height() / 2.0), 4, 4);
        p.setPen(Qt::black);
        p.drawText(QPointF(plot.right() + margin * 2.5, legendY + fm.ascent()),
                   QStringLiteral("%1p").arg(height));
        legendY += fm.height() * 1.4;
    }

    // The hull.
    QVector<TrialPoint> hull;
    for (const TrialPoint& t : s.points)
        if (t.onHull)
            hull.append(t);
    std::sort(hull.begin(), hull.end(),
              [](const TrialPoint& a, const TrialPoint& b) { return a.kbps < b.kbps; });
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(QColor(HullChartColours::kHull), 3));
    QPainterPath hullPath;
    for (int i = 0; i < hull.size(); ++i) {
        const QPointF at(x(hull[i].kbps), y(hull[i].psnr));
        i == 0 ? hullPath.moveTo(at) : hullPath.lineTo(at);
    }
    p.drawPath(hullPath);
    p.drawLine(QPointF(plot.right() + margin, legendY + fm.height() / 2.0),
               QPointF(plot.right() + margin * 2, legendY + fm.height() / 2.0));
    p.setPen(Qt::black);
    p.drawText(QPointF(plot.right() + margin * 2.5, legendY + fm.ascent()), QStringLiteral("hull"));
    legendY += fm.height() * 1.4;

    // The suggested rungs, labelled with their size and rate.
    const QColor rungColour(HullChartColours::kRung);
    auto diamond = [&](QPointF c, double r) {
        p.drawPolygon(QPolygonF{QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y()),
                                QPointF(c.x(), c.y() + r), QPointF(c.x() - r, c.y())});
    };
    for (const SuggestedRung& r : s.rungs) {
        const QPointF at(x(r.videoKbps), y(r.predictedPsnr));
        p.setPen(QPen(Qt::black, 1));
        p.setBrush(rungColour);
        diamond(at, 8);
        // Below-right of the marker, or below-left where it would leave the plot.
        const QString label = QStringLiteral("%1p %2k").arg(r.height).arg(r.videoKbps);
        const double labelWidth = fm.horizontalAdvance(label);
        const double dx = at.x() + 10 + labelWidth > plot.right() ? -10 - labelWidth : 10;
        p.drawText(at + QPointF(dx, fm.height() + 4), label);
    }
    diamond(QPointF(plot.right() + margin * 1.5, legendY + fm.height() / 2.0), 6);
    p.drawText(QPointF(plot.right() + margin * 2.5, legendY + fm.ascent()),
               QStringLiteral("rungs"));
    return image;
}

Status writeHullChartPng(const Suggestion& suggestion, const QString& path, const QSize& size) {
    const QImage image = renderHullChart(suggestion, size);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit())
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot write the PNG (%2)").arg(path, file.errorString()));
    return Status::ok();
}

} // namespace hlsforge::suggest
