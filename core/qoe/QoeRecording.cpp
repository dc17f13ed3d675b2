#include "qoe/QoeRecording.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <map>

namespace hlsforge::qoe {
namespace {

double round3(double v) {
    return std::round(v * 1000.0) / 1000.0;
}

QString seconds1(double s) {
    return QString::number(s, 'f', 1);
}

} // namespace

QString rungNameFromUri(const QString& uri) {
    const int slash = uri.lastIndexOf(QLatin1Char('/'));
    if (slash > 0) {
        const QString dir = uri.left(slash);
        return dir.mid(dir.lastIndexOf(QLatin1Char('/')) + 1);
    }
    return QFileInfo(uri).completeBaseName();
}

QString videoCodecFromCodecs(const QString& codecs) {
    for (const QString& raw : codecs.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString c = raw.trimmed().toLower();
        if (c.startsWith(QLatin1String("avc1")) || c.startsWith(QLatin1String("avc3")))
            return QStringLiteral("H.264");
        if (c.startsWith(QLatin1String("hvc1")) || c.startsWith(QLatin1String("hev1")))
            return QStringLiteral("HEVC");
        if (c.startsWith(QLatin1String("av01")))
            return QStringLiteral("AV1");
    }
    return {};
}

void labelRungs(QVector<RungInfo>* rungs) {
    QSet<QString> kinds;
    for (const RungInfo& r : *rungs)
        if (r.height > 0) // audio-only variants have neither codec nor range to compare
            kinds.insert(r.codec + QLatin1Char('/') +
                         (r.videoRange.isEmpty() ? QStringLiteral("SDR") : r.videoRange));
    if (kinds.size() <= 1) {
        for (RungInfo& r : *rungs)
            r.label = r.name;
        return;
    }
    QHash<QString, int> uses;
    for (RungInfo& r : *rungs) {
        if (r.height <= 0 || r.codec.isEmpty()) {
            r.label = r.name;
        } else {
            r.label = QStringLiteral("%1p %2").arg(std::min(r.width, r.height)).arg(r.codec);
            if (!r.videoRange.isEmpty() && r.videoRange != QLatin1String("SDR"))
                r.label += QLatin1Char(' ') + r.videoRange;
        }
        ++uses[r.label];
    }
    for (RungInfo& r : *rungs)
        if (uses.value(r.label) > 1 && !r.codec.isEmpty() && r.label != r.name)
            r.label = r.name + QLatin1Char(' ') + r.codec;
}

void QoeRecording::clear() {
    startupSeconds = -1;
    reachedEnd = false;
    furthestPositionSeconds = 0;
    segments.clear();
    switches.clear();
    stalls.clear();
    markers.clear();
    link.clear();
}

QString QoeRecording::rungName(int rung) const {
    if (rung >= 0 && rung < rungs.size())
        return rungs[rung].name;
    return QStringLiteral("rung %1").arg(rung);
}

QString QoeRecording::rungLabel(int rung) const {
    if (rung >= 0 && rung < rungs.size() && !rungs[rung].label.isEmpty())
        return rungs[rung].label;
    return rungName(rung);
}

double QoeRecording::recentThroughputKbpsAt(int lastIndex, int transfers) const {
    qint64 bytes = 0;
    double seconds = 0;
    for (int i = lastIndex; i >= 0 && transfers > 0; --i, --transfers) {
        bytes += segments[i].bytes;
        seconds += segments[i].transferSeconds;
    }
    return seconds > 0 ? bytes * 8 / 1000.0 / seconds : 0;
}

double QoeRecording::recentThroughputKbpsSince(double sinceT, int transfers) const {
    qint64 bytes = 0;
    double seconds = 0;
    for (int i = int(segments.size()) - 1; i >= 0 && transfers > 0; --i, --transfers) {
        if (segments[i].t < sinceT)
            break;
        bytes += segments[i].bytes;
        seconds += segments[i].transferSeconds;
    }
    return seconds > 0 ? bytes * 8 / 1000.0 / seconds : 0;
}

double QoeRecording::recentThroughputKbps(int transfers) const {
    return recentThroughputKbpsAt(int(segments.size()) - 1, transfers);
}

double QoeRecording::stallSecondsTotal() const {
    double total = 0;
    for (const StallRecord& s : stalls)
        total += s.seconds;
    return total;
}

double QoeRecording::lastT() const {
    double t = 0;
    if (!segments.isEmpty())
        t = std::max(t, segments.last().endT());
    if (!link.isEmpty())
        t = std::max(t, link.last().t);
    if (!stalls.isEmpty())
        t = std::max(t, stalls.last().t + stalls.last().seconds);
    if (!markers.isEmpty())
        t = std::max(t, markers.last().t);
    return t;
}

QoeReport QoeRecording::report(double playedSeconds) const {
    QoeReport r;
    r.profile = profileName;
    r.startupSeconds = startupSeconds;
    r.stallCount = int(stalls.size());
    r.stallSeconds = stallSecondsTotal();
    r.reachedEnd = reachedEnd;
    r.playedSeconds = playedSeconds;
    r.mediaSeconds = mediaSeconds;
    for (const SwitchRecord& s : switches)
        r.switches.append({s.t, rungName(s.fromRung), rungName(s.toRung), s.reason});

    // What the viewer saw: for each place in the clip up to the furthest point shown, the
    // last complete fetch of it (a replay or a seek fetches some places again).
    std::map<qint64, const SegmentRecord*> shown; // media start in ms -> fetch
    const double shownUpTo = reachedEnd ? 1e12 : furthestPositionSeconds;
    for (const SegmentRecord& s : segments) {
        if (!s.complete || s.mediaStart < 0 || s.mediaStart >= shownUpTo)
            continue;
        shown[qint64(std::llround(s.mediaStart * 1000))] = &s;
    }
    QVector<double> perRung(rungs.size(), 0.0);
    qint64 bytes = 0;
    double seconds = 0;
    for (const auto& [startMs, s] : shown) {
        (void)startMs;
        if (s->rung >= 0 && s->rung < perRung.size())
            perRung[s->rung] += s->mediaSeconds;
        bytes += s->bytes;
        seconds += s->mediaSeconds;
    }
    for (int i = 0; i < perRung.size(); ++i)
        if (perRung[i] > 0)
            r.secondsPerRung.append({rungs[i].name, perRung[i]});
    r.averageKbps = seconds > 0 ? bytes * 8 / 1000.0 / seconds : 0;
    return r;
}

QByteArray QoeRecording::timelineCsv() const {
    QByteArray csv = "seconds,shaped_kbps,rung,rung_name,rung_bandwidth_kbps,bytes,"
                     "transfer_seconds,measured_kbps,recent_kbps,switch,path\n";
    for (int i = 0; i < segments.size(); ++i) {
        const SegmentRecord& s = segments[i];
        QString path = s.path;
        path.replace(QLatin1Char('"'), QLatin1String("\"\""));
        const bool isSwitch = i > 0 && segments[i - 1].rung != s.rung;
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,\"%11\"\n")
                   .arg(s.endT(), 0, 'f', 3)
                   .arg(s.linkKbps, 0, 'f', 0)
                   .arg(s.rung)
                   .arg(rungName(s.rung))
                   .arg(s.rung >= 0 && s.rung < rungs.size() ? rungs[s.rung].bandwidthKbps : 0.0, 0,
                        'f', 1)
                   .arg(s.bytes)
                   .arg(s.transferSeconds, 0, 'f', 4)
                   .arg(s.measuredKbps(), 0, 'f', 1)
                   .arg(recentThroughputKbpsAt(i), 0, 'f', 1)
                   .arg(isSwitch ? 1 : 0)
                   .arg(path)
                   .toUtf8();
    }
    return csv;
}

QJsonObject QoeReport::toJson() const {
    QJsonObject o;
    o.insert(QStringLiteral("profile"), profile);
    o.insert(QStringLiteral("startupSeconds"),
             startupSeconds < 0 ? QJsonValue() : round3(startupSeconds));
    o.insert(QStringLiteral("stallCount"), stallCount);
    o.insert(QStringLiteral("stallSeconds"), round3(stallSeconds));
    o.insert(QStringLiteral("reachedEnd"), reachedEnd);
    o.insert(QStringLiteral("playedSeconds"), round3(playedSeconds));
    o.insert(QStringLiteral("mediaSeconds"), round3(mediaSeconds));
    o.insert(QStringLiteral("averageKbps"), std::round(averageKbps));
    QJsonArray sw;
    for (const Switch& s : switches)
        sw.append(QJsonObject{{QStringLiteral("t"), round3(s.t)},
                              {QStringLiteral("from"), s.from},
                              {QStringLiteral("to"), s.to},
                              {QStringLiteral("reason"), s.reason}});
    o.insert(QStringLiteral("switches"), sw);
    QJsonObject perRung;
    for (const auto& [name, seconds] : secondsPerRung)
        perRung.insert(name, round3(seconds));
    o.insert(QStringLiteral("secondsPerRung"), perRung);
    return o;
}

QString QoeReport::summaryLine() const {
    QStringList parts;
    parts << (startupSeconds < 0 ? QStringLiteral("no picture")
                                 : QStringLiteral("start %1 s").arg(startupSeconds, 0, 'f', 2));
    parts << (stallCount == 0 ? QStringLiteral("no stall")
                              : QStringLiteral("%1 stall%2 (%3 s)")
                                    .arg(stallCount)
                                    .arg(stallCount == 1 ? "" : "s")
                                    .arg(seconds1(stallSeconds)));
    double total = 0;
    for (const auto& rung : secondsPerRung)
        total += rung.second;
    QStringList rungs;
    for (const auto& [name, seconds] : secondsPerRung)
        rungs << QStringLiteral("%1 % on %2")
                     .arg(std::lround(100.0 * seconds / std::max(total, 1e-9)))
                     .arg(name);
    if (!rungs.isEmpty())
        parts << rungs.join(QStringLiteral(", "));
    parts
        << QStringLiteral("%1 switch%2").arg(switches.size()).arg(switches.size() == 1 ? "" : "es");
    parts << QStringLiteral("average %1 kb/s").arg(std::lround(averageKbps));
    parts << (reachedEnd ? QStringLiteral("reached the end")
                         : QStringLiteral("stopped at %1 s").arg(seconds1(playedSeconds)));
    return QStringLiteral("%1: %2").arg(profile, parts.join(QStringLiteral(", ")));
}

QString QoeReport::comparisonTable(const QVector<QoeReport>& reports) {
    QStringList rungNames;
    for (const QoeReport& r : reports)
        for (const auto& rung : r.secondsPerRung)
            if (!rungNames.contains(rung.first))
                rungNames << rung.first;
    QVector<QStringList> rows;
    QStringList header{QStringLiteral("Profile"),  QStringLiteral("Start s"),
                       QStringLiteral("Stalls"),   QStringLiteral("Stall s"),
                       QStringLiteral("Switches"), QStringLiteral("Avg kb/s"),
                       QStringLiteral("End")};
    for (const QString& name : rungNames)
        header << QStringLiteral("% ") + name;
    rows << header;
    for (const QoeReport& r : reports) {
        double total = 0;
        for (const auto& rung : r.secondsPerRung)
            total += rung.second;
        QStringList row{r.profile,
                        r.startupSeconds < 0 ? QStringLiteral("-")
                                             : QString::number(r.startupSeconds, 'f', 2),
                        QString::number(r.stallCount),
                        seconds1(r.stallSeconds),
                        QString::number(r.switches.size()),
                        QString::number(std::lround(r.averageKbps)),
                        r.reachedEnd ? QStringLiteral("yes") : QStringLiteral("no")};
        for (const QString& name : rungNames) {
            double seconds = 0;
            for (const auto& rung : r.secondsPerRung)
                if (rung.first == name)
                    seconds = rung.second;
            row << QString::number(total > 0 ? std::lround(100.0 * seconds / total) : 0);
        }
        rows << row;
    }
    QVector<int> widths(header.size(), 0);
    for (const QStringList& row : rows)
        for (int i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], int(row[i].size()));
    QString text;
    for (const QStringList& row : rows) {
        QStringList cells;
        for (int i = 0; i < row.size(); ++i)
            cells << (i == 0 ? row[i].leftJustified(widths[i]) : row[i].rightJustified(widths[i]));
        text += cells.join(QStringLiteral("  ")).trimmed() + QLatin1Char('\n');
    }
    return text;
}

} // namespace hlsforge::qoe
