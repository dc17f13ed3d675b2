#include "qoe/TimelinePainter.h"

#include "util/Format.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace hlsforge::qoe {

// Tableau-like hues far apart from each other (and for the colour-blind: orange/blue/green
// differ in lightness too, and each series has its own shape).
const QColor TimelinePainter::kLinkColour{0xe6, 0x6c, 0x00};
const QColor TimelinePainter::kRungColour{0x1f, 0x5f, 0xbf};
const QColor TimelinePainter::kMeasuredColour{0x2c, 0xa0, 0x2c};
const QColor TimelinePainter::kSwitchColour{0x8e, 0x44, 0xad};
const QColor TimelinePainter::kStallColour{0xd6, 0x27, 0x28, 70};
const QColor TimelinePainter::kMarkerColour{0x70, 0x70, 0x70};

double TimelinePainter::niceCeiling(double value, double* tickStep, int ticks) {
    value = std::max(value, 1e-6);
    const double rawStep = value / ticks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(rawStep)));
    double step = magnitude;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        step = m * magnitude;
        if (step >= rawStep)
            break;
    }
    if (tickStep)
        *tickStep = step;
    return std::ceil(value / step - 1e-9) * step;
}

namespace {

// Where everything goes in `area`: shared by paint() and rungLabelRects(), so a test measures
// the labels that are drawn.
struct ChartLayout {
    bool fits = false;
    QRectF plot;
    double yMax = 0, yStep = 0, xMax = 0, xStep = 0;
    double Y(double kbps) const {
        return plot.bottom() - plot.height() * std::clamp(kbps / yMax, 0.0, 1.0);
    }
};

ChartLayout chartLayout(const QRectF& area, const QoeRecording& r, double nowSeconds,
                        const QFontMetricsF& fm) {
    ChartLayout l;
    const double line = fm.height();
    // Scales. y: the ladder and the limited link, plus measured values near them; a measured
    // value far above (an unlimited loopback runs at Gb/s) is clipped and drawn as a triangle.
    double ladderTop = 0;
    for (const RungInfo& rung : r.rungs)
        ladderTop = std::max(ladderTop, rung.bandwidthKbps);
    double linkTop = 0;
    for (const LinkSample& s : r.link)
        linkTop = std::max(linkTop, s.kbps);
    double basis = std::max({ladderTop, linkTop, 100.0});
    double measuredTop = 0;
    for (const SegmentRecord& s : r.segments)
        if (s.measuredKbps() <= 2.5 * basis)
            measuredTop = std::max(measuredTop, s.measuredKbps());
    l.yMax = TimelinePainter::niceCeiling(std::max(basis, measuredTop) * 1.1, &l.yStep);
    l.xMax = TimelinePainter::niceCeiling(std::max({nowSeconds, r.lastT(), 10.0}), &l.xStep, 8);

    // Layout: title and legend on top, axis labels left and below.
    const double left = area.left() + fm.horizontalAdvance(QStringLiteral("00000 ")) + line;
    // Room at the right for the rungs' labels ("720p HEVC PQ" in a mixed ladder).
    double labelWidth = fm.horizontalAdvance(QStringLiteral(" 1080p "));
    for (int i = 0; i < r.rungs.size(); ++i)
        labelWidth =
            std::max(labelWidth, double(fm.horizontalAdvance(r.rungLabel(i) + QLatin1Char(' '))));
    labelWidth = std::min(labelWidth, area.width() / 4);
    const double right = area.right() - labelWidth - 4;
    const double top = area.top() + line * 2.8;
    const double bottom = area.bottom() - line * 2.4;
    l.fits = right - left >= 50 && bottom - top >= 30;
    l.plot = QRectF(QPointF(left, top), QPointF(right, bottom));
    return l;
}

// Each rung's label at the height of its BANDWIDTH line, pushed apart where rungs are close
// in bitrate (1000 and 1100 kb/s on a 10 Mb/s scale are a few pixels apart): first down from
// the top, then back up from the bottom of the chart, so neighbours never overlap.
QVector<QRectF> placeRungLabels(const QRectF& area, const ChartLayout& l, const QoeRecording& r,
                                const QFontMetricsF& fm) {
    const int n = int(r.rungs.size());
    const double h = fm.height();
    const double gap = 1;
    QVector<double> centre(n);
    QVector<int> order(n);
    for (int i = 0; i < n; ++i) {
        centre[i] = l.Y(r.rungs[i].bandwidthKbps);
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return centre[a] < centre[b]; });
    for (int k = 1; k < n; ++k)
        centre[order[k]] = std::max(centre[order[k]], centre[order[k - 1]] + h + gap);
    if (n > 0)
        centre[order[n - 1]] = std::min(centre[order[n - 1]], area.bottom() - h / 2);
    for (int k = n - 2; k >= 0; --k)
        centre[order[k]] = std::min(centre[order[k]], centre[order[k + 1]] - h - gap);
    QVector<QRectF> rects(n);
    for (int i = 0; i < n; ++i)
        rects[i] = QRectF(l.plot.right() + 4, centre[i] - h / 2,
                          std::min(double(fm.horizontalAdvance(r.rungLabel(i))),
                                   area.right() - l.plot.right() - 4),
                          h);
    return rects;
}

} // namespace

QVector<QRectF> TimelinePainter::rungLabelRects(const QRectF& area, const QoeRecording& recording,
                                                double nowSeconds, const QFont& font) {
    const QFontMetricsF fm(font);
    const ChartLayout l = chartLayout(area, recording, nowSeconds, fm);
    if (!l.fits)
        return {};
    return placeRungLabels(area, l, recording, fm);
}

void TimelinePainter::paint(QPainter& p, const QRectF& area, const QoeRecording& r,
                            double nowSeconds, const QString& title) {
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(area, Qt::white);
    const QFontMetricsF fm(p.font());
    const double line = fm.height();
    const ChartLayout layout = chartLayout(area, r, nowSeconds, fm);
    if (!layout.fits) {
        p.restore();
        return;
    }
    const QRectF plot = layout.plot;
    const double left = plot.left();
    const double yMax = layout.yMax, yStep = layout.yStep;
    const double xMax = layout.xMax, xStep = layout.xStep;
    auto X = [&](double t) { return plot.left() + plot.width() * std::clamp(t / xMax, 0.0, 1.0); };
    auto Y = [&](double kbps) { return layout.Y(kbps); };

    // Title and legend.
    const QFont normal = p.font();
    QFont bold = normal;
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(Qt::black);
    p.drawText(QRectF(area.left() + 6, area.top() + 2, area.width() - 12, line), Qt::AlignLeft,
               title);
    p.setFont(normal);
    double lx = area.left() + 6;
    const double ly = area.top() + line * 1.35;
    auto legend = [&](const QColor& colour, const QString& text, int shape) {
        const QRectF swatch(lx, ly + line * 0.2, line * 1.4, line * 0.6);
        if (shape == 0) {
            p.setPen(QPen(colour, 3));
            p.drawLine(QPointF(swatch.left(), swatch.center().y()),
                       QPointF(swatch.right(), swatch.center().y()));
        } else if (shape == 1) {
            p.setPen(Qt::NoPen);
            p.setBrush(colour);
            p.drawEllipse(swatch.center(), line * 0.25, line * 0.25);
        } else if (shape == 2) {
            p.setPen(Qt::NoPen);
            p.setBrush(colour);
            QPolygonF diamond{{swatch.center().x(), swatch.top() - 2},
                              {swatch.center().x() + 5, swatch.center().y()},
                              {swatch.center().x(), swatch.bottom() + 2},
                              {swatch.center().x() - 5, swatch.center().y()}};
            p.drawPolygon(diamond);
        } else {
            p.fillRect(swatch.adjusted(0, -3, 0, 3), colour);
        }
        p.setBrush(Qt::NoBrush);
        p.setPen(Qt::black);
        const double w = fm.horizontalAdvance(text);
        p.drawText(QPointF(swatch.right() + 4, ly + fm.ascent()), text);
        lx = swatch.right() + 4 + w + line;
    };
    legend(kLinkColour, QObject::tr("Link (shaped)"), 0);
    legend(kRungColour, QObject::tr("BANDWIDTH of fetched rung"), 0);
    legend(kMeasuredColour, QObject::tr("Measured per segment"), 1);
    legend(kSwitchColour, QObject::tr("Switch"), 2);
    legend(kStallColour, QObject::tr("Stall"), 3);

    // Grid and axes.
    p.setPen(QPen(QColor(0xe4, 0xe4, 0xe4), 1));
    for (double v = yStep; v <= yMax + 1e-9; v += yStep)
        p.drawLine(QPointF(plot.left(), Y(v)), QPointF(plot.right(), Y(v)));
    for (double t = xStep; t <= xMax + 1e-9; t += xStep)
        p.drawLine(QPointF(X(t), plot.top()), QPointF(X(t), plot.bottom()));
    p.setPen(Qt::black);
    for (double v = 0; v <= yMax + 1e-9; v += yStep)
        p.drawText(QRectF(area.left(), Y(v) - line / 2, left - area.left() - 4, line),
                   Qt::AlignRight | Qt::AlignVCenter, QString::number(v, 'f', 0));
    for (double t = 0; t <= xMax + 1e-9; t += xStep)
        p.drawText(QRectF(X(t) - 40, plot.bottom() + 2, 80, line), Qt::AlignHCenter,
                   QString::number(t, 'g', 4));
    p.drawText(QRectF(plot.left(), plot.bottom() + line + 2, plot.width(), line), Qt::AlignHCenter,
               QObject::tr("session time, s (start-up and stalls count, pauses do not)"));
    p.save();
    p.translate(area.left() + line * 0.2, plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-60, 0, 120, line), Qt::AlignHCenter, QObject::tr("kb/s"));
    p.restore();

    // Each rung's BANDWIDTH as a faint line, named at the right (labels pushed apart where
    // rungs are close; a short leader joins a moved label to its line).
    const QVector<QRectF> labels = placeRungLabels(area, layout, r, fm);
    for (int i = 0; i < r.rungs.size(); ++i) {
        const RungInfo& rung = r.rungs[i];
        const double y = Y(rung.bandwidthKbps);
        p.setPen(QPen(QColor(0x1f, 0x5f, 0xbf, 60), 1, Qt::DotLine));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(kRungColour);
        if (std::abs(labels[i].center().y() - y) > 1)
            p.drawLine(QPointF(plot.right(), y),
                       QPointF(labels[i].left() - 1, labels[i].center().y()));
        p.drawText(labels[i], Qt::AlignLeft | Qt::AlignVCenter, r.rungLabel(i));
    }

    // Stalls as bands, under everything else.
    for (const StallRecord& s : r.stalls)
        p.fillRect(QRectF(QPointF(X(s.t), plot.top()),
                          QPointF(std::max(X(s.t + s.seconds), X(s.t) + 2), plot.bottom())),
                   kStallColour);

    // Markers: restart, seek, network change.
    for (const MarkerRecord& m : r.markers) {
        p.setPen(QPen(kMarkerColour, 1, Qt::DashLine));
        p.drawLine(QPointF(X(m.t), plot.top()), QPointF(X(m.t), plot.bottom()));
        p.setPen(kMarkerColour);
        p.drawText(QPointF(X(m.t) + 3, plot.top() + fm.ascent() + 1), m.label);
    }

    p.save();
    p.setClipRect(plot.adjusted(-6, -6, 6, 2));
    // Link: steps, one line per run of equal samples; 0 (unlimited) leaves a gap.
    p.setPen(QPen(kLinkColour, 2));
    for (int i = 0; i < r.link.size();) {
        int next = i + 1;
        while (next < r.link.size() && r.link[next].kbps == r.link[i].kbps)
            ++next;
        const double kbps = r.link[i].kbps;
        const double end =
            next < r.link.size() ? r.link[next].t : std::max(nowSeconds, r.link.last().t);
        if (kbps > 0) {
            p.drawLine(QPointF(X(r.link[i].t), Y(kbps)), QPointF(X(end), Y(kbps)));
            if (next < r.link.size() && r.link[next].kbps > 0)
                p.drawLine(QPointF(X(end), Y(kbps)), QPointF(X(end), Y(r.link[next].kbps)));
        }
        i = next;
    }
    // BANDWIDTH of the rung being fetched: from each fetch to the next.
    p.setPen(QPen(kRungColour, 3));
    for (int i = 0; i < r.segments.size(); ++i) {
        const SegmentRecord& s = r.segments[i];
        if (s.rung < 0 || s.rung >= r.rungs.size())
            continue;
        const double kbps = r.rungs[s.rung].bandwidthKbps;
        const double end = i + 1 < r.segments.size() ? r.segments[i + 1].t : s.endT();
        p.drawLine(QPointF(X(s.t), Y(kbps)), QPointF(X(std::max(end, s.endT())), Y(kbps)));
        if (i + 1 < r.segments.size()) {
            const int next = r.segments[i + 1].rung;
            if (next >= 0 && next < r.rungs.size() && next != s.rung)
                p.drawLine(QPointF(X(end), Y(kbps)),
                           QPointF(X(end), Y(r.rungs[next].bandwidthKbps)));
        }
    }
    // Measured throughput per segment, at the end of its transfer.
    p.setPen(Qt::NoPen);
    p.setBrush(kMeasuredColour);
    for (const SegmentRecord& s : r.segments) {
        const double kbps = s.measuredKbps();
        const QPointF at(X(s.endT()), Y(kbps));
        if (kbps > yMax) {
            p.drawPolygon(QPolygonF{{at.x(), plot.top() - 5},
                                    {at.x() + 5, plot.top() + 4},
                                    {at.x() - 5, plot.top() + 4}});
        } else {
            p.drawEllipse(at, 3.5, 3.5);
        }
    }
    // Switches.
    p.setBrush(kSwitchColour);
    for (const SwitchRecord& s : r.switches) {
        if (s.toRung < 0 || s.toRung >= r.rungs.size())
            continue;
        const QPointF at(X(s.t), Y(r.rungs[s.toRung].bandwidthKbps));
        p.drawPolygon(QPolygonF{{at.x(), at.y() - 7},
                                {at.x() + 7, at.y()},
                                {at.x(), at.y() + 7},
                                {at.x() - 7, at.y()}});
    }
    p.restore();
    // Values above the scale, said in words once, right of the title (clear of the legend).
    double clippedMax = 0;
    for (const SegmentRecord& s : r.segments)
        if (s.measuredKbps() > yMax)
            clippedMax = std::max(clippedMax, s.measuredKbps());
    if (clippedMax > 0) {
        p.setPen(kMeasuredColour.darker(130));
        p.drawText(
            QRectF(area.left(), area.top() + 2, area.width() - 6, line), Qt::AlignRight,
            QObject::tr("▲ measured above the scale (up to %1)").arg(formatKbps(clippedMax)));
    }
    p.setPen(QPen(Qt::black, 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(plot);
    p.restore();
}

QImage TimelinePainter::render(const QoeRecording& recording, double nowSeconds, const QSize& size,
                               const QString& title) {
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    QFont font = painter.font();
    font.setPixelSize(std::max(12, size.height() / 32));
    painter.setFont(font);
    paint(painter, QRectF(QPointF(0, 0), QSizeF(size)), recording, nowSeconds, title);
    return image;
}

bool TimelinePainter::savePng(const QoeRecording& recording, double nowSeconds, const QString& path,
                              const QString& title, QString* error, const QSize& size) {
    const QImage image = render(recording, nowSeconds, size, title);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
        if (error)
            *error = QStringLiteral("%1: cannot write the PNG (%2)").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace hlsforge::qoe
