#include "util/ContentTypes.h"

namespace hlsforge {

const QList<ContentTypeEntry>& contentTypeTable() {
    // RFC 8216 names application/vnd.apple.mpegurl; video/iso.segment is the IANA type for
    // fMP4 media segments. Subtitles, pages and text files carry
    // their charset so browsers never guess it.
    static const QList<ContentTypeEntry> table{
        {"m3u8", "application/vnd.apple.mpegurl"},
        {"m3u", "application/vnd.apple.mpegurl"},
        {"ts", "video/mp2t"},
        {"m4s", "video/iso.segment"},
        {"mp4", "video/mp4"},
        {"m4v", "video/mp4"},
        {"m4a", "audio/mp4"},
        {"aac", "audio/aac"},
        {"vtt", "text/vtt; charset=utf-8"},
        {"webvtt", "text/vtt; charset=utf-8"},
        {"html", "text/html; charset=utf-8"},
        {"htm", "text/html; charset=utf-8"},
        {"js", "application/javascript"},
        {"mjs", "application/javascript"},
        {"css", "text/css"},
        {"json", "application/json"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"png", "image/png"},
        {"webp", "image/webp"},
        {"svg", "image/svg+xml"},
        {"txt", "text/plain; charset=utf-8"},
        {"csv", "text/csv; charset=utf-8"},
    };
    return table;
}

QByteArray contentTypeForPath(const QString& path) {
    const qsizetype dot = path.lastIndexOf(QLatin1Char('.'));
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    if (dot > slash && dot >= 0) {
        const QStringView ext = QStringView(path).mid(dot + 1);
        for (const ContentTypeEntry& e : contentTypeTable()) {
            if (ext.compare(QLatin1String(e.extension), Qt::CaseInsensitive) == 0)
                return QByteArray(e.contentType);
        }
    }
    return QByteArrayLiteral("application/octet-stream");
}

} // namespace hlsforge
