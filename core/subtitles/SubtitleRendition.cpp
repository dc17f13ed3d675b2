#include "subtitles/SubtitleRendition.h"

#include <QDir>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace hlsforge::subtitles {

namespace {
Status writeFile(const QString& path, const QByteArray& bytes) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) < 0 || !file.commit())
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot write (%2)").arg(path, file.errorString()));
    return Status::ok();
}
} // namespace

QString vttTimestamp(qint64 ms) {
    ms = std::max<qint64>(0, ms);
    return QStringLiteral("%1:%2:%3.%4")
        .arg(ms / 3600000, 2, 10, QLatin1Char('0'))
        .arg(ms / 60000 % 60, 2, 10, QLatin1Char('0'))
        .arg(ms / 1000 % 60, 2, 10, QLatin1Char('0'))
        .arg(ms % 1000, 3, 10, QLatin1Char('0'));
}

QString escapeCueText(const QString& text) {
    QString out = text;
    out.replace(QLatin1Char('&'), QLatin1String("&amp;"));
    out.replace(QLatin1Char('<'), QLatin1String("&lt;"));
    out.replace(QLatin1Char('>'), QLatin1String("&gt;"));
    // "-->" cannot occur in cue text; a blank line would end the cue.
    QStringList lines = out.split(QLatin1Char('\n'));
    lines.removeAll(QString());
    return lines.join(QLatin1Char('\n'));
}

QByteArray segmentText(const Track& track, const RenditionLayout& layout, int index) {
    const MediaSegment& seg = layout.videoSegments[index];
    const qint64 startMs = std::llround(seg.startSeconds * 1000);
    const qint64 endMs = std::llround((seg.startSeconds + seg.durationSeconds) * 1000);
    QByteArray out = "WEBVTT\n";
    if (layout.mpegtsStartTicks >= 0)
        out += "X-TIMESTAMP-MAP=MPEGTS:" + QByteArray::number(layout.mpegtsStartTicks) +
               ",LOCAL:00:00:00.000\n";
    out += "\n";
    for (const Cue& cue : track.cues) {
        if (cue.endMs <= startMs || cue.startMs >= endMs)
            continue;
        const qint64 from = std::max(cue.startMs, startMs);
        const qint64 to = std::min(cue.endMs, endMs);
        if (to <= from)
            continue;
        const QString text = escapeCueText(cue.text);
        if (text.isEmpty())
            continue;
        out += (vttTimestamp(from) + QStringLiteral(" --> ") + vttTimestamp(to) +
                QLatin1Char('\n') + text + QStringLiteral("\n\n"))
                   .toUtf8();
    }
    return out;
}

Status writeSubtitleRendition(const Track& track, const RenditionLayout& layout,
                              const QString& directory) {
    if (!QDir().mkpath(directory))
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot create folder").arg(directory));
    QByteArray playlist = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" +
                          QByteArray::number(int(std::ceil(layout.targetDurationSeconds))) +
                          "\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n";
    for (int i = 0; i < layout.videoSegments.size(); ++i) {
        const QString name = QStringLiteral("seg_%1.vtt").arg(i);
        Status s = writeFile(directory + QLatin1Char('/') + name, segmentText(track, layout, i));
        if (!s.isOk())
            return s;
        // The video's own EXTINF, to the microsecond, so the sums are the same.
        playlist +=
            "#EXTINF:" + QByteArray::number(layout.videoSegments[i].durationSeconds, 'f', 6) +
            ",\n" + name.toUtf8() + "\n";
    }
    playlist += "#EXT-X-ENDLIST\n";
    return writeFile(directory + QStringLiteral("/index.m3u8"), playlist);
}

} // namespace hlsforge::subtitles
