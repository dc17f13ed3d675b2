#include "util/Format.h"

#include <cmath>

namespace hlsforge {

QString formatDuration(double seconds, const QString& whenUnknown) {
    if (!(seconds >= 0) || !std::isfinite(seconds))
        return whenUnknown;
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
    // Rounding to whole units would print 999.7 KB as "1000 KB": carry into the next unit.
    if (unit < 4 && value >= 999.5) {
        value /= 1000;
        ++unit;
    }
    return QStringLiteral("%1 %2")
        .arg(value, 0, 'f', unit == 0 || value >= 100 ? 0 : 1)
        .arg(QLatin1String(units[unit]));
}

QString formatBitsPerSecond(qint64 bits) {
    return bits > 0 ? formatKbps(bits / 1e3) : QStringLiteral("?");
}

QString formatKbps(double kbps) {
    if (!(kbps > 0) || !std::isfinite(kbps))
        return QStringLiteral("?");
    // A rate measured over a few segments is good to a percent at best: "2419.61 Mb/s" said
    // five digits nobody can use.
    const char* units[] = {"kb/s", "Mb/s", "Gb/s", "Tb/s"};
    double value = kbps;
    int unit = 0;
    auto decimals = [&] { return unit == 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2; };
    while (unit < 3) {
        // Carry what would round to 1000 ("999.7 kb/s" is "1.00 Mb/s", not "1000 kb/s").
        const double scale = std::pow(10.0, decimals());
        if (std::round(value * scale) / scale < 1000)
            break;
        value /= 1000;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(value, 0, 'f', decimals()).arg(QLatin1String(units[unit]));
}

QString formatBytesPerSecond(double bytesPerSecond) {
    if (!(bytesPerSecond >= 0) || !std::isfinite(bytesPerSecond))
        return QStringLiteral("?");
    return formatBytes(qint64(std::llround(bytesPerSecond))) + QStringLiteral("/s");
}

} // namespace hlsforge
