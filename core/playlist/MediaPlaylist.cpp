#include "playlist/MediaPlaylist.h"

#include "playlist/AttributeList.h"

#include <QFile>
#include <QFileInfo>
#include <QList>

#include <cmath>

namespace hlsforge {

namespace {

// "LEN[@OFFSET]"; without an offset the range follows the previous one of the same file.
bool parseByteRange(const QString& text, qint64* length, qint64* offset, bool* hasOffset) {
    const QStringList parts = text.trimmed().split(QLatin1Char('@'));
    bool ok = false;
    *length = parts[0].toLongLong(&ok);
    if (!ok || *length < 0)
        return false;
    *hasOffset = parts.size() > 1;
    if (*hasOffset) {
        *offset = parts[1].toLongLong(&ok);
        if (!ok || *offset < 0)
            return false;
    }
    return true;
}

QString attributeValue(const QString& attributes, const QString& name) {
    for (const auto& [key, value] : parseAttributeList(attributes)) {
        if (key == name)
            return value;
    }
    return {};
}

} // namespace

double MediaPlaylist::totalSeconds() const {
    double total = 0;
    for (const MediaSegment& s : segments)
        total += s.durationSeconds;
    return total;
}

StatusOr<MediaPlaylist> MediaPlaylist::parse(const QByteArray& text, const QString& sourceName) {
    auto fail = [&](int lineNo, const QString& why) {
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1:%2: %3").arg(sourceName).arg(lineNo).arg(why));
    };
    const QList<QByteArray> lines = text.split('\n');
    if (lines.isEmpty() || !lines[0].trimmed().startsWith("#EXTM3U"))
        return fail(1, QStringLiteral("not an M3U8 playlist (no #EXTM3U)"));

    MediaPlaylist playlist;
    MediaSegment pending;
    bool havePending = false;
    QString lastRangeUri;
    qint64 nextRangeOffset = 0;
    double clock = 0;
    for (int n = 1; n < lines.size(); ++n) {
        const QString line = QString::fromUtf8(lines[n]).trimmed();
        if (line.isEmpty())
            continue;
        if (line.startsWith(QLatin1String("#EXT-X-VERSION:"))) {
            playlist.version = line.mid(15).toInt();
        } else if (line.startsWith(QLatin1String("#EXT-X-TARGETDURATION:"))) {
            playlist.targetDurationSeconds = line.mid(22).toDouble();
        } else if (line.startsWith(QLatin1String("#EXT-X-PLAYLIST-TYPE:"))) {
            playlist.playlistType = line.mid(21);
        } else if (line == QLatin1String("#EXT-X-ENDLIST")) {
            playlist.endList = true;
        } else if (line == QLatin1String("#EXT-X-INDEPENDENT-SEGMENTS")) {
            playlist.independentSegments = true;
        } else if (line == QLatin1String("#EXT-X-I-FRAMES-ONLY")) {
            playlist.iframesOnly = true;
        } else if (line.startsWith(QLatin1String("#EXT-X-MAP:"))) {
            const QString attrs = line.mid(11);
            playlist.mapUri = attributeValue(attrs, QStringLiteral("URI"));
            const QString range = attributeValue(attrs, QStringLiteral("BYTERANGE"));
            if (!range.isEmpty()) {
                bool hasOffset = false;
                if (!parseByteRange(range, &playlist.mapByteRangeLength,
                                    &playlist.mapByteRangeOffset, &hasOffset))
                    return fail(n + 1, QStringLiteral("bad EXT-X-MAP BYTERANGE"));
            }
        } else if (line.startsWith(QLatin1String("#EXTINF:"))) {
            bool ok = false;
            pending.durationSeconds = line.mid(8).section(QLatin1Char(','), 0, 0).toDouble(&ok);
            if (!ok || pending.durationSeconds < 0)
                return fail(n + 1, QStringLiteral("bad EXTINF duration"));
            havePending = true;
        } else if (line.startsWith(QLatin1String("#EXT-X-BYTERANGE:"))) {
            bool hasOffset = false;
            if (!parseByteRange(line.mid(17), &pending.byteRangeLength, &pending.byteRangeOffset,
                                &hasOffset))
                return fail(n + 1, QStringLiteral("bad EXT-X-BYTERANGE"));
            if (!hasOffset)
                pending.byteRangeOffset = -1; // resolved when the URI is known
        } else if (line.startsWith(QLatin1Char('#'))) {
            continue; // other tags and comments
        } else {
            if (!havePending)
                return fail(n + 1, QStringLiteral("segment URI without #EXTINF"));
            pending.uri = line;
            if (pending.byteRangeLength >= 0) {
                if (pending.byteRangeOffset < 0) {
                    if (lastRangeUri != pending.uri)
                        return fail(n + 1, QStringLiteral("EXT-X-BYTERANGE without offset"));
                    pending.byteRangeOffset = nextRangeOffset;
                }
                lastRangeUri = pending.uri;
                nextRangeOffset = pending.byteRangeOffset + pending.byteRangeLength;
            }
            pending.startSeconds = clock;
            clock += pending.durationSeconds;
            playlist.segments.append(pending);
            pending = MediaSegment();
            havePending = false;
        }
    }
    return playlist;
}

StatusOr<MediaPlaylist> MediaPlaylist::load(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot read playlist (%2)").arg(path, file.errorString()));
    return parse(file.readAll(), path);
}

StatusOr<BandwidthMeasurement> measureBandwidth(const MediaPlaylist& playlist,
                                                const QString& playlistDir) {
    BandwidthMeasurement m;
    double totalSeconds = 0;
    const int count = playlist.segments.size();
    for (int i = 0; i < count; ++i) {
        const MediaSegment& s = playlist.segments[i];
        qint64 bytes = s.byteRangeLength;
        if (bytes < 0) {
            const QFileInfo info(playlistDir + QLatin1Char('/') + s.uri);
            if (!info.exists())
                return Status::error(Status::Code::IoError,
                                     QStringLiteral("%1: segment missing").arg(info.filePath()));
            bytes = info.size();
        }
        m.totalBytes += bytes;
        totalSeconds += s.durationSeconds;
        m.maxSegmentSeconds = std::max(m.maxSegmentSeconds, s.durationSeconds);
        const bool shortLast = i == count - 1 && count > 1 && s.durationSeconds < 0.5;
        if (s.durationSeconds > 0 && !shortLast) {
            const auto bps = static_cast<qint64>(std::ceil(bytes * 8.0 / s.durationSeconds));
            m.peakBitsPerSecond = std::max(m.peakBitsPerSecond, bps);
        }
    }
    if (totalSeconds > 0)
        m.averageBitsPerSecond = static_cast<qint64>(std::ceil(m.totalBytes * 8.0 / totalSeconds));
    return m;
}

} // namespace hlsforge
