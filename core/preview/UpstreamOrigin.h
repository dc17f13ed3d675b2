#pragma once
// UpstreamOrigin: a ladder that lives on a web server (a CDN, a bucket's website endpoint, a
// colleague's server), played through the preview server as if it were a local folder.
//
// The shaping, the request log and the rung map all come from our own server, so a remote
// ladder is proxied rather than played directly: every file is fetched whole from the origin
// the first time a player asks for it, kept in a private cache folder, and from then on served
// from there like any local file (Range, validators and pacing unchanged). Fetching whole
// files keeps the shaped link, not the origin's speed, in charge of what the player sees; the
// first request for a file also waits for the origin (logged as part of its duration).
//
// The master and media playlists are fetched when the origin is opened, so a ladder we could
// not proxy is refused up front with the reason: URIs that leave the master's folder (another
// host, "../"), or carry a query string (signed URLs: the signature would be dropped).
// Absolute URIs inside the folder are rewritten to relative ones.

#include "util/Status.h"

#include <QString>
#include <QUrl>

#include <memory>

namespace hlsforge::preview {

class UpstreamOrigin {
public:
    // "http://…" or "https://…"
    static bool isUrl(const QString& text);

    // `url`: the master playlist (or its folder, ending in "/": master.m3u8 is assumed).
    // `cacheDir`: an empty folder we own. Fetches the master (stored as master.m3u8, whatever
    // its name upstream) and every media playlist it names.
    static StatusOr<std::unique_ptr<UpstreamOrigin>> open(const QString& url,
                                                          const QString& cacheDir);
    ~UpstreamOrigin();

    QUrl masterUrl() const;
    QString cacheDir() const;

    // Makes `relativePath` (as a player asked for it, decoded, no "..") present in the cache.
    // Thread-safe; concurrent requests for the same file fetch it once. InvalidInput when the
    // origin has no such file (answer 404), NetworkError when the origin failed (answer 502).
    Status ensureCached(const QString& relativePath);

private:
    UpstreamOrigin();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace hlsforge::preview
