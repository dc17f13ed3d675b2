#pragma once
// Mapping a request path onto a file inside the served folder, refusing every way out of it:
// "..", percent-encoded dots and slashes, backslashes, NUL, and symlinks that resolve outside
// the folder. (Content types come from core/util/ContentTypes.h, shared with the publisher.)

#include "util/Status.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace hlsforge::preview {

// `rawTarget` is the request-target as received (still percent-encoded, may hold a query).
// `canonicalRoot` must be QFileInfo(root).canonicalFilePath(). Returns the canonical path of
// an existing regular file inside the root, or NotFound-style errors:
//   InvalidArgument: the path tries to leave the folder or is malformed (-> 403/400)
//   InvalidInput:    no such file, or a directory (-> 404)
StatusOr<QString> resolveServedPath(const QByteArray& rawTarget, const QString& canonicalRoot);

// An open file descriptor, closed when destroyed.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    ~FileDescriptor();
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

// Opens the regular file `relative` (from relativeRequestPath) names, read-only, with the same
// rule and errors as resolveServedPath. `rootFd` is the served folder opened once (O_PATH).
// The common case is one system call: openat2() with RESOLVE_BENEATH, where the kernel itself
// refuses "..", and symlinks leaving the folder, instead of our resolving each path component
// for every request. Whatever the kernel will not decide alone (an absolute symlink, which it
// refuses even when it points inside the folder; a kernel without openat2) falls back to
// resolveServedPath's canonical-path check, so what is served never differs.
StatusOr<std::unique_ptr<FileDescriptor>> openServedFile(const QString& relative, int rootFd,
                                                         const QString& canonicalRoot);

// The decoded, normalised path relative to the root ("720p/seg_001.ts"), or empty when the
// target is not acceptable. Used both for files and for virtual playlists.
QString relativeRequestPath(const QByteArray& rawTarget);

} // namespace hlsforge::preview
