#include "publish/ContentPolicy.h"

#include "util/ContentTypes.h"

#include <QFileInfo>

namespace hlsforge::publish {

int publishPhase(FileKind kind) {
    switch (kind) {
    case FileKind::MediaPlaylist:
        return 1;
    case FileKind::Page:
        return 2;
    case FileKind::MasterPlaylist:
        return 3;
    default:
        return 0;
    }
}

QHash<QString, QString> ContentPolicy::defaultContentTypes() {
    // The same table the preview server and the player page use (core/util/ContentTypes).
    QHash<QString, QString> types;
    for (const ContentTypeEntry& e : contentTypeTable())
        types.insert(QString::fromLatin1(e.extension), QString::fromLatin1(e.contentType));
    return types;
}

QString ContentPolicy::contentTypeFor(const QString& relativePath) const {
    return contentTypeByExtension.value(QFileInfo(relativePath).suffix().toLower(),
                                        QStringLiteral("application/octet-stream"));
}

QString ContentPolicy::cacheControlFor(FileKind kind) const {
    switch (kind) {
    case FileKind::Segment:
    case FileKind::InitSegment:
        return segmentCacheControl;
    case FileKind::MediaPlaylist:
    case FileKind::MasterPlaylist:
        return playlistCacheControl;
    default:
        return pageCacheControl;
    }
}

FileKind classifyFile(const QString& relativePath, const QByteArray& firstBytes) {
    const QString ext = QFileInfo(relativePath).suffix().toLower();
    const bool topLevel = !relativePath.contains(QLatin1Char('/'));
    if (ext == QLatin1String("m3u8"))
        return firstBytes.contains("#EXT-X-STREAM-INF") ||
                       firstBytes.contains("#EXT-X-I-FRAME-STREAM-INF") ||
                       firstBytes.contains("#EXT-X-MEDIA:")
                   ? FileKind::MasterPlaylist
                   : FileKind::MediaPlaylist;
    if (ext == QLatin1String("ts") || ext == QLatin1String("m4s") || ext == QLatin1String("aac") ||
        ext == QLatin1String("vtt"))
        return FileKind::Segment;
    if (ext == QLatin1String("mp4"))
        return FileKind::InitSegment;
    const QString name = QFileInfo(relativePath).fileName().toLower();
    if (topLevel && (name == QLatin1String("index.html") || name == QLatin1String("poster.jpg")))
        return FileKind::Page;
    return FileKind::Other;
}

} // namespace hlsforge::publish
