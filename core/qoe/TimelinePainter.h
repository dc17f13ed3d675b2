#pragma once
// Draws a QoeRecording as the ABR timeline: x = session seconds (the clock runs from the play
// request while playing or trying to: start-up and stalls take room, pauses do not; not the
// media position), y = kb/s, autoscaled to the ladder and the link. Link rate (orange steps),
// BANDWIDTH of the rung being fetched (blue steps), measured throughput per segment (green dots;
// values above the scale, e.g. an unlimited loopback, drawn as triangles at the top edge), switches
// (purple diamonds), stalls (red bands), restart/seek/network markers (grey dashed lines), a faint
// line per rung. The preview window paints it live, its PNG export and `hlsforge-cli qoe --chart`
// render the same drawing into a QImage, so all three agree. QPainter only: works offscreen, no
// widgets.

#include "qoe/QoeRecording.h"

#include <QColor>
#include <QImage>
#include <QRectF>
#include <QVector>

QT_BEGIN_NAMESPACE
class QFont;
class QPainter;
QT_END_NAMESPACE

namespace hlsforge::qoe {

class TimelinePainter {
public:
    static const QColor kLinkColour;
    static const QColor kRungColour;
    static const QColor kMeasuredColour;
    static const QColor kSwitchColour;
    static const QColor kStallColour;
    static const QColor kMarkerColour;

    // `nowSeconds`: the right end of the time axis at least (the session clock now).
    static void paint(QPainter& painter, const QRectF& area, const QoeRecording& recording,
                      double nowSeconds, const QString& title);
    static QImage render(const QoeRecording& recording, double nowSeconds, const QSize& size,
                         const QString& title);
    // A PNG of `size` (default 1200x480); the error names the file.
    static bool savePng(const QoeRecording& recording, double nowSeconds, const QString& path,
                        const QString& title, QString* error, const QSize& size = {1200, 480});

    // Where paint() puts each rung's label (index = rung) in `area` with `font`: pairwise
    // disjoint even when rungs are close in bitrate. Empty when the chart does not fit.
    static QVector<QRectF> rungLabelRects(const QRectF& area, const QoeRecording& recording,
                                          double nowSeconds, const QFont& font);

    // A round axis maximum >= value (1, 2, 2.5, 5 x 10^n) and its tick step.
    static double niceCeiling(double value, double* tickStep = nullptr, int ticks = 5);
};

} // namespace hlsforge::qoe
