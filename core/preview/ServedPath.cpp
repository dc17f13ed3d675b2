#include "preview/ServedPath.h"

#include <QFileInfo>
#include <QStringList>

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

StatusOr<QString> resolveServedPath(const QByteArray& rawTarget, const QString& canonicalRoot) {
    const QString relative = relativeRequestPath(rawTarget);
    if (relative.isEmpty())
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("refused request path %1")
                                 .arg(QString::fromLatin1(rawTarget.left(200))));
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

} // namespace hlsforge::preview
