#pragma once
// The report's chart as a picture, for `hlsforge-cli suggest --png`: every trial (one colour per
// resolution), the convex hull through them, the suggested rungs, and the target quality, PSNR
// (dB, at the source's size) against kb/s on a log axis. QPainter into a QImage: works without a
// display and without Widgets (the app's window draws the same data with Qt Charts).

#include "suggest/LadderSuggest.h"
#include "util/Status.h"

#include <QImage>
#include <QSize>

namespace hlsforge::suggest {

// The colours the chart uses, so a test can find what was drawn.
struct HullChartColours {
    static const QRgb kHull;   // the hull line
    static const QRgb kRung;   // suggested-rung markers
    static const QRgb kTarget; // the target-quality line
};

QImage renderHullChart(const Suggestion& suggestion, const QSize& size);
// A PNG of `size`, written atomically; the error names the file.
Status writeHullChartPng(const Suggestion& suggestion, const QString& path,
                         const QSize& size = QSize(1200, 700));

} // namespace hlsforge::suggest
