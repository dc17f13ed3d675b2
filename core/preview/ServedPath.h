#pragma once
// Mapping a request path onto a file inside the served folder, refusing every way out of it:
// "..", percent-encoded dots and slashes, backslashes, NUL, and symlinks that resolve outside
// the folder. (Content types come from core/util/ContentTypes.h, shared with the publisher.)

#include "util/Status.h"

#include <QByteArray>
#include <QString>

namespace hlsforge::preview {

// `rawTarget` is the request-target as received (still percent-encoded, may hold a query).
// `canonicalRoot` must be QFileInfo(root).canonicalFilePath(). Returns the canonical path of
// an existing regular file inside the root, or NotFound-style errors:
//   InvalidArgument: the path tries to leave the folder or is malformed (-> 403/400)
//   InvalidInput:    no such file, or a directory (-> 404)
StatusOr<QString> resolveServedPath(const QByteArray& rawTarget, const QString& canonicalRoot);

// The decoded, normalised path relative to the root ("720p/seg_001.ts"), or empty when the
// target is not acceptable. Used both for files and for virtual playlists.
QString relativeRequestPath(const QByteArray& rawTarget);

} // namespace hlsforge::preview
