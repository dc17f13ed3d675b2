#pragma once
// What each file of a ladder is, in which order it is published, and the HTTP headers it
// gets. Order is the point: segments and init segments first, media playlists next, the
// master playlist (with the player page and poster) last, so a viewer never loads a
// playlist that names a file not yet there.

#include <QHash>
#include <QList>
#include <QString>

namespace hlsforge::publish {

enum class FileKind {
    Segment,        // .ts .m4s .aac .vtt: immutable once written
    InitSegment,    // .mp4 (EXT-X-MAP)
    MediaPlaylist,  // a .m3u8 without EXT-X-STREAM-INF
    MasterPlaylist, // a .m3u8 with EXT-X-STREAM-INF
    Page,           // index.html / poster.jpg at the top: go live with the master
    Other,
};

// 0: segments, init segments and other files; 1: media playlists; 2: the page and poster
// (they name only the master); 3: the master playlist, strictly last.
int publishPhase(FileKind kind);
constexpr int kPublishPhaseCount = 4;

struct ContentPolicy {
    // lowercase ext, no dot; by default core/util/ContentTypes' table, shared with the preview
    QHash<QString, QString> contentTypeByExtension = defaultContentTypes();
    QString segmentCacheControl = QStringLiteral("max-age=31536000, immutable");
    QString playlistCacheControl = QStringLiteral("max-age=60");
    QString pageCacheControl = QStringLiteral("max-age=60");

    static QHash<QString, QString> defaultContentTypes();
    QString contentTypeFor(const QString& relativePath) const;
    QString cacheControlFor(FileKind kind) const;
};

// `firstBytes`: the start of the file (for .m3u8: is it a master playlist?).
FileKind classifyFile(const QString& relativePath, const QByteArray& firstBytes);

} // namespace hlsforge::publish
