#pragma once
// The one Content-Type table of HLS Forge: what the preview server sends, what the publisher
// stores on S3, and what the player page declares, by file extension.

#include <QByteArray>
#include <QList>
#include <QString>

namespace hlsforge {

struct ContentTypeEntry {
    const char* extension; // lowercase, no dot
    const char* contentType;
};

// Every extension a ladder folder can hold (playlists, segments, audio, subtitles, the page,
// its scripts and images, JSON sidecars).
const QList<ContentTypeEntry>& contentTypeTable();

// By the extension of `path` (case-insensitive); application/octet-stream when unknown.
QByteArray contentTypeForPath(const QString& path);

} // namespace hlsforge
