#include "Format.h"

#include <cmath>

namespace hlsforge::gui {

QString formatDuration(double seconds) {
    if (!(seconds >= 0) || !std::isfinite(seconds))
        return {};
    const qint64 total = qint64(std::llround(seconds));
    const qint64 h = total / 3600, m = (total / 60) % 60, s = total % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3")
            .arg(h)
            .arg(m, 2, 10, QLatin1Char('0'))
            .arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

QString formatBytes(qint64 bytes) {
    if (bytes < 0)
        return {};
    const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1000 && unit < 4) {
        value /= 1000;
        ++unit;
    }
    return QStringLiteral("%1 %2")
        .arg(value, 0, 'f', unit == 0 || value >= 100 ? 0 : 1)
        .arg(QLatin1String(units[unit]));
}

QString formatBitsPerSecond(qint64 bits) {
    if (bits <= 0)
        return QStringLiteral("?");
    if (bits >= 1000000)
        return QStringLiteral("%1 Mb/s").arg(bits / 1e6, 0, 'f', 2);
    return QStringLiteral("%1 kb/s").arg(bits / 1e3, 0, 'f', 0);
}

} // namespace hlsforge::gui
