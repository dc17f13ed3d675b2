#pragma once
// A network profile for the preview server: a rate schedule (kb/s over time since the profile
// was applied) plus a fixed added latency. Rate 0 means unlimited. Schedules are steps: each
// point holds until the next one; after the last point the rate holds, or the schedule loops.

#include "util/Status.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace hlsforge::preview {

struct RatePoint {
    double startSeconds = 0;
    double rateKbps = 0; // 0: unlimited
    bool operator==(const RatePoint&) const = default;
};

struct ShapingProfile {
    QString name = QStringLiteral("Unlimited");
    QString description;
    QVector<RatePoint> schedule; // sorted by startSeconds, first at 0; empty: unlimited
    bool loop = false;           // repeat the schedule every loopSeconds
    double loopSeconds = 0;
    int latencyMs = 0; // added before every response

    bool isUnlimited() const;
    double rateKbpsAt(double secondsSinceApplied) const;
    // Seconds until the rate changes after `secondsSinceApplied`; < 0 when it never does.
    double nextChangeAfter(double secondsSinceApplied) const;

    static ShapingProfile unlimited();
    static ShapingProfile constant(double rateKbps, int latencyMs = 0);
    static ShapingProfile steps(QString name, QVector<RatePoint> schedule, int latencyMs = 0);
    // CSV lines "seconds,kbps" (a header line and # comments are skipped); times ascending.
    static StatusOr<ShapingProfile> fromTraceCsv(const QByteArray& text, const QString& sourceName);
    static StatusOr<ShapingProfile> fromTraceFile(const QString& path);

    // The built-in named profiles: Unlimited, 3G, 4G, Wi-Fi, Step down, Sawtooth.
    static QVector<ShapingProfile> builtIns();
    static StatusOr<ShapingProfile> builtIn(const QString& name); // case-insensitive
};

} // namespace hlsforge::preview
