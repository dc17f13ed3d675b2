#include "preview/UpstreamOrigin.h"

#include "playlist/MasterPlaylist.h"

#include <httplib.h>

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

#include <condition_variable>
#include <mutex>

namespace hlsforge::preview {
namespace {

// A player gives up on a segment long before this; the origin is expected to be fast (a CDN
// or a local server) compared with the shaped link. Also bounds how long stop() can wait.
constexpr time_t kConnectTimeoutSeconds = 10;
constexpr time_t kReadTimeoutSeconds = 20;
const QString kLocalMasterName = QStringLiteral("master.m3u8");

QString originOf(const QUrl& url) { // "https://host:port", what httplib::Client takes
    QString origin = url.scheme() + QStringLiteral("://") + url.host(QUrl::FullyEncoded);
    if (url.port() > 0)
        origin += QLatin1Char(':') + QString::number(url.port());
    return origin;
}

bool sameOrigin(const QUrl& a, const QUrl& b) {
    return a.scheme() == b.scheme() && a.host() == b.host() &&
           a.port(a.scheme() == QLatin1String("https") ? 443 : 80) ==
               b.port(b.scheme() == QLatin1String("https") ? 443 : 80);
}

} // namespace

struct UpstreamOrigin::Impl {
    QUrl masterUrl;
    QUrl folderUrl; // the master's folder, path ending in '/'
    QString cacheDir;

    std::mutex mutex;
    std::condition_variable fetched;
    QSet<QString> inFlight;

    QUrl upstreamUrl(const QString& relativePath) const {
        if (relativePath == kLocalMasterName)
            return masterUrl;
        QUrl relative;
        relative.setPath(relativePath, QUrl::DecodedMode);
        return folderUrl.resolved(relative);
    }
    // The URI as it must appear in our copy of a playlist stored at `playlistPath` (relative
    // to the folder), or an error naming why the ladder cannot be proxied.
    StatusOr<QString> localUri(const QString& uri, const QUrl& playlistUrl,
                               const QString& playlistPath) const;
    StatusOr<QByteArray> rewritePlaylist(const QByteArray& text, const QString& playlistPath) const;
    Status fetch(const QString& relativePath);
};

StatusOr<QString> UpstreamOrigin::Impl::localUri(const QString& uri, const QUrl& playlistUrl,
                                                 const QString& playlistPath) const {
    const QUrl reference(uri);
    const QUrl resolved = playlistUrl.resolved(reference);
    if (resolved.hasQuery())
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1 names %2 with a query string (a signed URL?); the "
                                            "preview can only proxy plain file URLs")
                                 .arg(playlistPath, uri));
    const QString folderPath = folderUrl.path(QUrl::FullyDecoded);
    const QString targetPath = resolved.path(QUrl::FullyDecoded);
    if (!sameOrigin(resolved, folderUrl) || !targetPath.startsWith(folderPath) ||
        targetPath.contains(QLatin1String("/../")))
        return Status::error(
            Status::Code::InvalidInput,
            QStringLiteral("%1 names %2, outside %3: the preview proxies one folder of one server")
                .arg(playlistPath, resolved.toDisplayString(),
                     folderUrl.toDisplayString(QUrl::RemoveFilename)));
    if (reference.isRelative() && !uri.startsWith(QLatin1Char('/')))
        return uri; // resolves the same way against our copy
    const QString target = targetPath.mid(folderPath.size());
    const QString playlistDir = QFileInfo(QLatin1Char('/') + playlistPath).path();
    const QString relative = QDir(playlistDir).relativeFilePath(QLatin1Char('/') + target);
    return QString::fromLatin1(QUrl::toPercentEncoding(relative, "/"));
}

StatusOr<QByteArray> UpstreamOrigin::Impl::rewritePlaylist(const QByteArray& text,
                                                           const QString& playlistPath) const {
    static const QRegularExpression uriAttribute(QStringLiteral("URI=\"([^\"]*)\""));
    const QUrl playlistUrl = upstreamUrl(playlistPath);
    QByteArray out;
    out.reserve(text.size());
    const QList<QByteArray> lines = text.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        QString line = QString::fromUtf8(lines[i]);
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(QLatin1Char('#'))) {
            // Tags with a URI attribute: EXT-X-MAP, EXT-X-MEDIA, EXT-X-I-FRAME-STREAM-INF…
            QString rewritten;
            qsizetype last = 0;
            for (auto it = uriAttribute.globalMatch(line); it.hasNext();) {
                const QRegularExpressionMatch m = it.next();
                StatusOr<QString> uri = localUri(m.captured(1), playlistUrl, playlistPath);
                if (!uri.isOk())
                    return uri.status();
                rewritten += line.mid(last, m.capturedStart(1) - last) + uri.value();
                last = m.capturedEnd(1);
            }
            line = rewritten + line.mid(last);
        } else if (!trimmed.isEmpty()) {
            StatusOr<QString> uri = localUri(trimmed, playlistUrl, playlistPath);
            if (!uri.isOk())
                return uri.status();
            line = uri.value();
        }
        out += line.toUtf8();
        if (i + 1 < lines.size())
            out += '\n';
    }
    return out;
}

Status UpstreamOrigin::Impl::fetch(const QString& relativePath) {
    const QUrl url = upstreamUrl(relativePath);
    httplib::Client client(originOf(url).toStdString());
    client.set_follow_location(true);
    client.set_connection_timeout(kConnectTimeoutSeconds, 0);
    client.set_read_timeout(kReadTimeoutSeconds, 0);
    const QByteArray target = url.path(QUrl::FullyEncoded).toUtf8();
    httplib::Result result = client.Get(target.toStdString());
    if (!result)
        return Status::error(Status::Code::NetworkError,
                             QStringLiteral("cannot fetch %1: %2")
                                 .arg(url.toDisplayString(),
                                      QString::fromStdString(httplib::to_string(result.error()))));
    if (result->status == 404 || result->status == 410)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: not found on the origin (HTTP %2)")
                                 .arg(url.toDisplayString())
                                 .arg(result->status));
    if (result->status != 200)
        return Status::error(Status::Code::NetworkError,
                             QStringLiteral("%1: the origin answered HTTP %2")
                                 .arg(url.toDisplayString())
                                 .arg(result->status));
    QByteArray body = QByteArray::fromStdString(result->body);
    if (relativePath.endsWith(QLatin1String(".m3u8"), Qt::CaseInsensitive)) {
        StatusOr<QByteArray> rewritten = rewritePlaylist(body, relativePath);
        if (!rewritten.isOk())
            return rewritten.status();
        body = rewritten.value();
    }
    const QString localPath = cacheDir + QLatin1Char('/') + relativePath;
    QDir().mkpath(QFileInfo(localPath).path());
    QSaveFile file(localPath); // a player never sees half a file
    if (!file.open(QIODevice::WriteOnly) || file.write(body) != body.size() || !file.commit())
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot write (%2)").arg(localPath, file.errorString()));
    return Status::ok();
}

bool UpstreamOrigin::isUrl(const QString& text) {
    return text.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ||
           text.startsWith(QLatin1String("https://"), Qt::CaseInsensitive);
}

UpstreamOrigin::UpstreamOrigin() : d(std::make_unique<Impl>()) {}
UpstreamOrigin::~UpstreamOrigin() = default;

StatusOr<std::unique_ptr<UpstreamOrigin>> UpstreamOrigin::open(const QString& url,
                                                               const QString& cacheDir) {
    QUrl master(url, QUrl::StrictMode);
    if (!master.isValid() || master.host().isEmpty() || !isUrl(url))
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("%1: not an http(s) URL").arg(url));
    if (master.hasQuery())
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("%1: URLs with a query string (signed URLs) cannot be "
                                            "proxied")
                                 .arg(url));
    master.setFragment({});
    if (master.path().isEmpty() || master.path().endsWith(QLatin1Char('/')))
        master.setPath(master.path() + kLocalMasterName);
    std::unique_ptr<UpstreamOrigin> origin(new UpstreamOrigin);
    origin->d->masterUrl = master;
    origin->d->folderUrl = master.resolved(QUrl(QStringLiteral(".")));
    origin->d->cacheDir = cacheDir;

    Status status = origin->d->fetch(kLocalMasterName);
    if (!status.isOk())
        return status;
    StatusOr<MasterPlaylist> parsed =
        MasterPlaylist::load(cacheDir + QLatin1Char('/') + kLocalMasterName);
    if (!parsed.isOk())
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: %2").arg(url, parsed.status().message()));
    // The rung map and the session's media-time table need every variant's playlist now.
    for (const VariantStream& v : parsed.value().variants) {
        const QString path = QDir::cleanPath(QUrl(v.uri).path(QUrl::FullyDecoded));
        if (path.startsWith(QLatin1String("..")) || path.startsWith(QLatin1Char('/')))
            continue; // already refused by the rewrite; kept for safety
        status = origin->ensureCached(path);
        if (!status.isOk())
            return status;
    }
    return origin;
}

QUrl UpstreamOrigin::masterUrl() const {
    return d->masterUrl;
}

QString UpstreamOrigin::cacheDir() const {
    return d->cacheDir;
}

Status UpstreamOrigin::ensureCached(const QString& relativePath) {
    const QString localPath = d->cacheDir + QLatin1Char('/') + relativePath;
    {
        std::unique_lock lock(d->mutex);
        d->fetched.wait(lock, [&] { return !d->inFlight.contains(relativePath); });
        if (QFileInfo(localPath).isFile())
            return Status::ok();
        d->inFlight.insert(relativePath);
    }
    const Status status = d->fetch(relativePath);
    {
        const std::lock_guard lock(d->mutex);
        d->inFlight.remove(relativePath);
    }
    d->fetched.notify_all();
    return status;
}

} // namespace hlsforge::preview
