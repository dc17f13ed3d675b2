#pragma once
// Reads a ladder on disk the way a validator would, independently of core/playlist: a small
// M3U8 reader here, ffprobe for the media. Shared by the transcode tests.

#include "TestMedia.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QRegularExpression>
#include <QTemporaryFile>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace hlsforge::test {

struct CheckedSegment {
    QString file;
    qint64 offset = 0;
    qint64 length = -1;
    double extinf = 0;
};

struct CheckedMedia {
    QString text;
    QString mapFile;
    qint64 mapOffset = 0;
    qint64 mapLength = -1;
    int targetDuration = 0;
    QVector<CheckedSegment> segments;
    double total() const {
        double t = 0;
        for (const auto& s : segments)
            t += s.extinf;
        return t;
    }
};

struct CheckedVariant {
    QMap<QString, QString> attrs;
    QString uri;
};

inline QMap<QString, QString> parseAttrs(const QString& list) {
    QMap<QString, QString> out;
    static const QRegularExpression re(QStringLiteral("([A-Z0-9-]+)=(\"[^\"]*\"|[^,]*)"));
    auto it = re.globalMatch(list);
    while (it.hasNext()) {
        const auto m = it.next();
        QString v = m.captured(2);
        if (v.startsWith(QLatin1Char('"')))
            v = v.mid(1, v.size() - 2);
        out[m.captured(1)] = v;
    }
    return out;
}

inline QString readText(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

inline QVector<CheckedVariant> readMaster(const QString& path,
                                          QVector<QMap<QString, QString>>* iframes = nullptr) {
    QVector<CheckedVariant> variants;
    const QStringList lines = readText(path).split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].startsWith(QLatin1String("#EXT-X-STREAM-INF:")) && i + 1 < lines.size())
            variants.append({parseAttrs(lines[i].mid(18)), lines[i + 1].trimmed()});
        if (iframes && lines[i].startsWith(QLatin1String("#EXT-X-I-FRAME-STREAM-INF:")))
            iframes->append(parseAttrs(lines[i].mid(26)));
    }
    return variants;
}

inline CheckedMedia readMedia(const QString& path) {
    CheckedMedia m;
    m.text = readText(path);
    const QStringList lines = m.text.split(QLatin1Char('\n'));
    CheckedSegment pending;
    QMap<QString, qint64> nextOffset;
    for (const QString& raw : lines) {
        const QString line = raw.trimmed();
        if (line.startsWith(QLatin1String("#EXT-X-TARGETDURATION:")))
            m.targetDuration = line.mid(22).toInt();
        else if (line.startsWith(QLatin1String("#EXT-X-MAP:"))) {
            const auto a = parseAttrs(line.mid(11));
            m.mapFile = a.value(QStringLiteral("URI"));
            if (a.contains(QStringLiteral("BYTERANGE"))) {
                const QStringList r = a.value(QStringLiteral("BYTERANGE")).split(QLatin1Char('@'));
                m.mapLength = r[0].toLongLong();
                m.mapOffset = r.value(1).toLongLong();
            }
        } else if (line.startsWith(QLatin1String("#EXTINF:")))
            pending.extinf = line.mid(8).section(QLatin1Char(','), 0, 0).toDouble();
        else if (line.startsWith(QLatin1String("#EXT-X-BYTERANGE:"))) {
            const QStringList r = line.mid(17).split(QLatin1Char('@'));
            pending.length = r[0].toLongLong();
            pending.offset = r.size() > 1 ? r[1].toLongLong() : -1;
        } else if (!line.isEmpty() && !line.startsWith(QLatin1Char('#'))) {
            pending.file = line;
            if (pending.length >= 0 && pending.offset < 0)
                pending.offset = nextOffset.value(line);
            if (pending.length >= 0)
                nextOffset[line] = pending.offset + pending.length;
            m.segments.append(pending);
            pending = CheckedSegment();
        }
    }
    return m;
}

inline QByteArray readRange(const QString& path, qint64 offset, qint64 length) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    f.seek(offset);
    return length < 0 ? f.readAll() : f.read(length);
}

inline qint64 segmentBytes(const QString& dir, const CheckedSegment& s) {
    return s.length >= 0 ? s.length : QFileInfo(dir + QLatin1Char('/') + s.file).size();
}

// Writes the segment (with its init section for fMP4) to a standalone file ffprobe can read.
inline QString standaloneSegment(const QString& dir, const CheckedMedia& m, const CheckedSegment& s,
                                 const QString& scratch) {
    QByteArray bytes;
    if (!m.mapFile.isEmpty())
        bytes += readRange(dir + QLatin1Char('/') + m.mapFile, m.mapOffset, m.mapLength);
    bytes += readRange(dir + QLatin1Char('/') + s.file, s.length >= 0 ? s.offset : 0, s.length);
    QFile out(scratch);
    if (!out.open(QIODevice::WriteOnly))
        return {};
    out.write(bytes);
    return scratch;
}

// Peak bits per second over a media playlist's segments, as a player measures them (bytes /
// EXTINF; a last segment under 0.5 s is left out, its rate says little). What BANDWIDTH is.
inline double peakBitsPerSecond(const QString& playlist) {
    const CheckedMedia media = readMedia(playlist);
    const QString dir = QFileInfo(playlist).absolutePath();
    double peak = 0;
    for (int i = 0; i < media.segments.size(); ++i) {
        const CheckedSegment& s = media.segments[i];
        if (i > 0 && i == media.segments.size() - 1 && s.extinf < 0.5)
            continue;
        peak = std::max(peak, segmentBytes(dir, s) * 8.0 / s.extinf);
    }
    return peak;
}

// A video rung's segments as ffprobe reads them in one pass: the init section (fMP4) and every
// segment of the media playlist written one after the other into one file, each packet put in
// its segment by its byte position. What a player relies on at a boundary: the segment's first
// packet (in decode order) is a keyframe; its earliest PTS is where it starts.
struct ProbedSegment {
    double startSeconds = 1e18; // earliest PTS
    int packets = 0;
    bool startsWithKeyframe = false;
    qint64 firstPos = -1;
};
struct ProbedRung {
    CheckedMedia media;
    QVector<ProbedSegment> segments;
    QVector<double> ptsSeconds; // every video packet's PTS, sorted
    // The segments' starts from the first one's, in frames at `fps`.
    QVector<int64_t> startFrames(double fps) const {
        QVector<int64_t> out;
        for (const ProbedSegment& s : segments)
            out.append(
                int64_t(std::llround((s.startSeconds - segments.first().startSeconds) * fps)));
        return out;
    }
};

inline ProbedRung probeRung(const QString& playlist) {
    ProbedRung rung;
    rung.media = readMedia(playlist);
    const QString dir = QFileInfo(playlist).absolutePath();
    QTemporaryFile joined(QDir::tempPath() + QStringLiteral("/hlsforge-rung-XXXXXX"));
    if (!joined.open())
        return rung;
    qint64 at = 0;
    if (!rung.media.mapFile.isEmpty())
        at += joined.write(readRange(dir + QLatin1Char('/') + rung.media.mapFile,
                                     rung.media.mapOffset, rung.media.mapLength));
    const qint64 headerBytes = at;
    QVector<qint64> ends;
    for (const CheckedSegment& s : rung.media.segments) {
        at += joined.write(
            readRange(dir + QLatin1Char('/') + s.file, s.length >= 0 ? s.offset : 0, s.length));
        ends.append(at);
    }
    joined.flush();
    rung.segments.resize(ends.size());
    for (const QJsonValue& value : ffprobeVideoPackets(joined.fileName())) {
        const QJsonObject p = value.toObject();
        const qint64 pos = p.value(QStringLiteral("pos")).toVariant().toLongLong();
        const auto in = std::upper_bound(ends.cbegin(), ends.cend(), pos);
        if (pos < headerBytes || in == ends.cend())
            continue;
        ProbedSegment& s = rung.segments[int(in - ends.cbegin())];
        const double pts = p.value(QStringLiteral("pts_time")).toVariant().toDouble();
        ++s.packets;
        s.startSeconds = std::min(s.startSeconds, pts);
        if (s.firstPos < 0 || pos < s.firstPos) {
            s.firstPos = pos;
            s.startsWithKeyframe =
                p.value(QStringLiteral("flags")).toString().startsWith(QLatin1Char('K'));
        }
        rung.ptsSeconds.append(pts);
    }
    std::sort(rung.ptsSeconds.begin(), rung.ptsSeconds.end());
    return rung;
}

// "avc1.PPCCLL" profile and level as ffprobe reports them for a file.
inline void ffprobeProfileLevel(const QString& path, QString* profile, int* level) {
    const QJsonObject j =
        ffprobeJson({QStringLiteral("-select_streams"), QStringLiteral("v:0"),
                     QStringLiteral("-show_entries"), QStringLiteral("stream=profile,level")},
                    path);
    const QJsonObject s = j.value(QStringLiteral("streams")).toArray().first().toObject();
    *profile = s.value(QStringLiteral("profile")).toString();
    *level = s.value(QStringLiteral("level")).toInt();
}

inline double ffprobeVideoDuration(const QString& path) {
    // The time the last frame ends: last pts + its duration, as a player would show it.
    const QJsonArray packets = ffprobeJson({QStringLiteral("-select_streams"),
                                            QStringLiteral("v:0"), QStringLiteral("-show_entries"),
                                            QStringLiteral("packet=pts_time,duration_time")},
                                           path)
                                   .value(QStringLiteral("packets"))
                                   .toArray();
    double end = 0;
    for (const auto& p : packets) {
        const QJsonObject o = p.toObject();
        end = std::max(end, o.value(QStringLiteral("pts_time")).toString().toDouble() +
                                o.value(QStringLiteral("duration_time")).toString().toDouble());
    }
    return end;
}

} // namespace hlsforge::test
