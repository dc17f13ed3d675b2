#include "preview/RequestEvent.h"

#include <cmath>

namespace hlsforge::preview {

QJsonObject RequestEvent::toJson() const {
    auto round1 = [](double v) { return std::round(v * 10.0) / 10.0; };
    QJsonObject o;
    o.insert(QStringLiteral("t"), std::round(startSeconds * 1000.0) / 1000.0);
    o.insert(QStringLiteral("wallClockMs"), wallClockMs);
    o.insert(QStringLiteral("method"), method);
    o.insert(QStringLiteral("path"), path);
    o.insert(QStringLiteral("status"), status);
    o.insert(QStringLiteral("kind"), kind);
    o.insert(QStringLiteral("rendition"), variantIndex);
    if (variantIndex >= 0) {
        o.insert(QStringLiteral("bandwidth"), variantBandwidth);
        o.insert(QStringLiteral("resolution"), variantResolution);
    }
    if (!rangeHeader.isEmpty())
        o.insert(QStringLiteral("rangeHeader"), rangeHeader);
    if (rangeCount > 0) {
        o.insert(QStringLiteral("rangeFirst"), rangeFirst);
        o.insert(QStringLiteral("rangeLast"), rangeLast);
        o.insert(QStringLiteral("rangeCount"), rangeCount);
    }
    o.insert(QStringLiteral("bytes"), bytesSent);
    o.insert(QStringLiteral("bodyBytes"), bodyBytes);
    o.insert(QStringLiteral("complete"), complete);
    o.insert(QStringLiteral("durationMs"), round1(durationMs));
    o.insert(QStringLiteral("throughputKbps"), round1(throughputKbps));
    o.insert(QStringLiteral("shapedKbps"), round1(shapedRateKbps));
    return o;
}

} // namespace hlsforge::preview
