#include "preview/ServedPath.h"

#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <cerrno>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace hlsforge::preview {
namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Strict percent-decoding: a '%' not followed by two hex digits makes the target invalid.
bool percentDecode(const QByteArray& in, QByteArray* out) {
    out->reserve(in.size());
    for (int i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out->append(in[i]);
            continue;
        }
        if (i + 2 >= in.size())
            return false;
        const int hi = hexValue(in[i + 1]);
        const int lo = hexValue(in[i + 2]);
        if (hi < 0 || lo < 0)
            return false;
        out->append(char(hi * 16 + lo));
        i += 2;
    }
    return true;
}

} // namespace

QString relativeRequestPath(const QByteArray& rawTarget) {
    QByteArray path = rawTarget;
    const int query = path.indexOf('?');
    if (query >= 0)
        path.truncate(query);
    const int fragment = path.indexOf('#');
    if (fragment >= 0)
        path.truncate(fragment);
    if (!path.startsWith('/'))
        return {}; // absolute-form or garbage; a preview player always sends origin-form
    QByteArray decoded;
    if (!percentDecode(path, &decoded))
        return {};
    // Decoding happens once, so "%252e%252e" stays the literal name "%2e%2e": harmless.
    if (decoded.contains('\0') || decoded.contains('\\'))
        return {};
    const QString text = QString::fromUtf8(decoded);
    if (text.toUtf8() != decoded)
        return {}; // invalid UTF-8
    QStringList parts;
    for (const QString& part : text.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        if (part == QLatin1String("."))
            continue;
        if (part == QLatin1String(".."))
            return {}; // refuse rather than normalise: no legitimate player asks for this
        parts.append(part);
    }
    return parts.join(QLatin1Char('/'));
}

namespace {

StatusOr<QString> resolveRelative(const QString& relative, const QString& canonicalRoot) {
    const QFileInfo info(canonicalRoot + QLatin1Char('/') + relative);
    // canonicalFilePath() resolves every symlink; what is left must still be under the root.
    const QString canonical = info.canonicalFilePath();
    if (canonical.isEmpty())
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: no such file").arg(relative));
    if (!canonical.startsWith(canonicalRoot + QLatin1Char('/')))
        return Status::error(
            Status::Code::InvalidArgument,
            QStringLiteral("%1: resolves outside the served folder").arg(relative));
    if (!QFileInfo(canonical).isFile())
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: not a file").arg(relative));
    return canonical;
}

Status notAFile(const QString& relative) {
    return Status::error(Status::Code::InvalidInput,
                         QStringLiteral("%1: not a file").arg(relative));
}

} // namespace

StatusOr<QString> resolveServedPath(const QByteArray& rawTarget, const QString& canonicalRoot) {
    const QString relative = relativeRequestPath(rawTarget);
    if (relative.isEmpty())
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("refused request path %1")
                                 .arg(QString::fromLatin1(rawTarget.left(200))));
    return resolveRelative(relative, canonicalRoot);
}

FileDescriptor::~FileDescriptor() {
    if (m_fd >= 0)
        ::close(m_fd);
}

StatusOr<std::unique_ptr<FileDescriptor>> openServedFile(const QString& relative, int rootFd,
                                                         const QString& canonicalRoot) {
    if (relative.isEmpty())
        return Status::error(Status::Code::InvalidArgument, QStringLiteral("refused request path"));
    const auto regularFile = [&](int fd) -> StatusOr<std::unique_ptr<FileDescriptor>> {
        auto file = std::make_unique<FileDescriptor>(fd);
        struct stat st {};
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
            return notAFile(relative);
        return file;
    };
    if (rootFd >= 0) {
        open_how how{};
        how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
        const QByteArray name = QFile::encodeName(relative);
        long fd;
        do
            fd = ::syscall(SYS_openat2, rootFd, name.constData(), &how, sizeof how);
        while (fd < 0 && errno == EINTR);
        if (fd >= 0)
            return regularFile(int(fd));
        if (errno == ENOENT || errno == ENOTDIR)
            return Status::error(Status::Code::InvalidInput,
                                 QStringLiteral("%1: no such file").arg(relative));
        // EXDEV (a link the kernel will not follow beneath the root), ENOSYS, a seccomp
        // EPERM, ELOOP...: decided below, the long way.
    }
    StatusOr<QString> path = resolveRelative(relative, canonicalRoot);
    if (!path.isOk())
        return path.status();
    const int fd = ::open(QFile::encodeName(path.value()).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: no such file").arg(relative));
    return regularFile(fd);
}

} // namespace hlsforge::preview
