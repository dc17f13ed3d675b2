#include "preview/ShapingProfile.h"

#include <QFile>

#include <cmath>

namespace hlsforge::preview {

bool ShapingProfile::isUnlimited() const {
    for (const RatePoint& p : schedule) {
        if (p.rateKbps > 0)
            return false;
    }
    return latencyMs <= 0;
}

double ShapingProfile::rateKbpsAt(double seconds) const {
    if (schedule.isEmpty())
        return 0;
    if (loop && loopSeconds > 0)
        seconds = std::fmod(std::max(0.0, seconds), loopSeconds);
    double rate = schedule.first().rateKbps;
    for (const RatePoint& p : schedule) {
        if (p.startSeconds > seconds)
            break;
        rate = p.rateKbps;
    }
    return rate;
}

double ShapingProfile::nextChangeAfter(double seconds) const {
    if (schedule.size() < 2)
        return -1;
    double base = 0;
    double local = seconds;
    if (loop && loopSeconds > 0) {
        base = std::floor(std::max(0.0, seconds) / loopSeconds) * loopSeconds;
        local = seconds - base;
    }
    for (const RatePoint& p : schedule) {
        if (p.startSeconds > local)
            return base + p.startSeconds - seconds;
    }
    if (loop && loopSeconds > 0)
        return base + loopSeconds - seconds;
    return -1;
}

ShapingProfile ShapingProfile::unlimited() {
    ShapingProfile p;
    p.description = QStringLiteral("no shaping, no added latency");
    return p;
}

ShapingProfile ShapingProfile::constant(double rateKbps, int latencyMs) {
    ShapingProfile p;
    p.name = QStringLiteral("%1 kb/s").arg(rateKbps);
    p.description = QStringLiteral("constant %1 kb/s").arg(rateKbps);
    p.schedule = {{0, rateKbps}};
    p.latencyMs = latencyMs;
    return p;
}

ShapingProfile ShapingProfile::steps(QString name, QVector<RatePoint> schedule, int latencyMs) {
    ShapingProfile p;
    p.name = std::move(name);
    p.schedule = std::move(schedule);
    p.latencyMs = latencyMs;
    return p;
}

StatusOr<ShapingProfile> ShapingProfile::fromTraceCsv(const QByteArray& text,
                                                      const QString& sourceName) {
    ShapingProfile p;
    p.name = QStringLiteral("Trace");
    p.description = QStringLiteral("trace %1").arg(sourceName);
    int lineNumber = 0;
    for (const QByteArray& rawLine : text.split('\n')) {
        ++lineNumber;
        const QByteArray line = rawLine.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QList<QByteArray> fields = line.split(',');
        bool okSeconds = false;
        bool okRate = false;
        const double seconds = fields.size() == 2 ? fields[0].trimmed().toDouble(&okSeconds) : 0;
        const double rate = fields.size() == 2 ? fields[1].trimmed().toDouble(&okRate) : 0;
        if (!okSeconds || !okRate) {
            if (p.schedule.isEmpty() && lineNumber == 1)
                continue; // a header line such as "seconds,kbps"
            return Status::error(
                Status::Code::InvalidArgument,
                QStringLiteral("%1:%2: expected \"seconds,kbps\"").arg(sourceName).arg(lineNumber));
        }
        if (seconds < 0 || rate < 0 || !std::isfinite(seconds) || !std::isfinite(rate) ||
            (!p.schedule.isEmpty() && seconds <= p.schedule.last().startSeconds))
            return Status::error(Status::Code::InvalidArgument,
                                 QStringLiteral("%1:%2: times must ascend and values be >= 0")
                                     .arg(sourceName)
                                     .arg(lineNumber));
        p.schedule.append({seconds, rate});
    }
    if (p.schedule.isEmpty())
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("%1: no \"seconds,kbps\" lines").arg(sourceName));
    p.schedule.first().startSeconds = 0; // the first value holds from the start
    return p;
}

StatusOr<ShapingProfile> ShapingProfile::fromTraceFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Status::error(
            Status::Code::InvalidArgument,
            QStringLiteral("%1: cannot read trace (%2)").arg(path, file.errorString()));
    return fromTraceCsv(file.readAll(), path);
}

QVector<ShapingProfile> ShapingProfile::builtIns() {
    QVector<ShapingProfile> all;
    all.append(unlimited());

    // Rates and latencies after Chrome DevTools' throttling presets and typical field figures.
    ShapingProfile g3 = steps(QStringLiteral("3G"), {{0, 1600}}, 150);
    g3.description = QStringLiteral("1600 kb/s, +150 ms");
    all.append(g3);
    ShapingProfile g4 = steps(QStringLiteral("4G"), {{0, 9000}}, 50);
    g4.description = QStringLiteral("9000 kb/s, +50 ms");
    all.append(g4);
    ShapingProfile wifi = steps(QStringLiteral("Wi-Fi"), {{0, 30000}}, 5);
    wifi.description = QStringLiteral("30000 kb/s, +5 ms");
    all.append(wifi);

    ShapingProfile stepDown = steps(QStringLiteral("Step down"), {{0, 8000}, {20, 800}}, 0);
    stepDown.description = QStringLiteral("8000 kb/s for 20 s, then 800 kb/s");
    all.append(stepDown);

    // 6000 down to 600 kb/s in 1 s steps over 30 s, then again: a link that keeps degrading.
    ShapingProfile saw;
    saw.name = QStringLiteral("Sawtooth");
    saw.description = QStringLiteral("6000 down to 600 kb/s over 30 s, repeating");
    for (int s = 0; s < 30; ++s)
        saw.schedule.append({double(s), 6000.0 - s * (5400.0 / 29.0)});
    saw.loop = true;
    saw.loopSeconds = 30;
    all.append(saw);
    return all;
}

StatusOr<ShapingProfile> ShapingProfile::builtIn(const QString& name) {
    QStringList names;
    for (const ShapingProfile& p : builtIns()) {
        if (p.name.compare(name, Qt::CaseInsensitive) == 0)
            return p;
        names.append(p.name);
    }
    return Status::error(Status::Code::InvalidArgument,
                         QStringLiteral("unknown network profile \"%1\" (known: %2)")
                             .arg(name, names.join(QStringLiteral(", "))));
}

} // namespace hlsforge::preview
