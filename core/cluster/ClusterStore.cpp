#include "cluster/ClusterStore.h"

#include "publish/ContentPolicy.h"
#include "publish/Credentials.h"
#include "publish/PublishJob.h"
#include "publish/PublishPlan.h"
#include "util/FileUtil.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>
#include <QThread>
#include <QXmlStreamReader>

#include <algorithm>
#include <mutex>
#include <optional>

namespace hlsforge::cluster {

using publish::S3Client;
using publish::S3Request;
using publish::S3Response;

bool isS3Uri(const QString& text) {
    return text.startsWith(QLatin1String("s3://"));
}

StatusOr<S3Place> resolveS3(const QString& uri, const S3Settings& settings) {
    StatusOr<publish::S3Target> target = publish::S3Target::fromUri(uri);
    if (!target.isOk())
        return target.status();
    S3Place place;
    place.target = target.value();
    place.uri = place.target.displayName();
    QUrl endpoint = settings.endpoint;
    QString endpointFrom = QStringLiteral("--endpoint");
    for (const char* name : {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
        if (!endpoint.isEmpty())
            break;
        const QString value = qEnvironmentVariable(name);
        if (!value.isEmpty()) {
            endpoint = QUrl(value, QUrl::StrictMode);
            endpointFrom = QString::fromLatin1(name);
        }
    }
    if (!endpoint.isEmpty() && (!endpoint.isValid() || endpoint.host().isEmpty() ||
                                (endpoint.scheme() != QLatin1String("http") &&
                                 endpoint.scheme() != QLatin1String("https"))))
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("%1 %2 is not an http(s) URL")
                                 .arg(endpointFrom, endpoint.toString(QUrl::RemoveUserInfo)));
    place.target.endpoint = endpoint;
    StatusOr<publish::ResolvedCredentials> credentials =
        publish::resolveCredentials(settings.profile);
    if (!credentials.isOk())
        return credentials.status();
    if (!credentials->credentials.isComplete())
        return Status::error(
            Status::Code::InvalidArgument,
            QStringLiteral("%1: no S3 credentials: set AWS_ACCESS_KEY_ID and "
                           "AWS_SECRET_ACCESS_KEY (the platform's secret or role), or a profile")
                .arg(place.uri));
    place.credentials = credentials->credentials;
    place.target.region = !settings.region.isEmpty()       ? settings.region
                          : !credentials->region.isEmpty() ? credentials->region
                                                           : QStringLiteral("us-east-1");
    return place;
}

namespace {

QString objectUri(const S3Place& place, const QString& key) {
    return QStringLiteral("s3://%1/%2").arg(place.target.bucket, key);
}

} // namespace

StatusOr<QByteArray> getObject(const S3Place& place, const QString& key) {
    S3Client client(place.target, place.credentials, place.retry, nullptr);
    StatusOr<S3Response> r = client.call(S3Request{"GET", key, {}, {}, {}},
                                         QStringLiteral("reading %1").arg(objectUri(place, key)));
    if (!r.isOk())
        return r.status();
    return r->body;
}

Status putObject(const S3Place& place, const QString& key, const QByteArray& body,
                 const QByteArray& contentType) {
    S3Client client(place.target, place.credentials, place.retry, nullptr);
    const QByteArray md5 = QCryptographicHash::hash(body, QCryptographicHash::Md5);
    StatusOr<S3Response> r = client.call(
        S3Request{
            "PUT", key, {}, {{"content-type", contentType}, {"content-md5", md5.toBase64()}}, body},
        QStringLiteral("writing %1").arg(objectUri(place, key)));
    return r.isOk() ? Status::ok() : r.status();
}

Status deleteObject(const S3Place& place, const QString& key) {
    S3Client client(place.target, place.credentials, place.retry, nullptr);
    StatusOr<S3Response> r = client.call(S3Request{"DELETE", key, {}, {}, {}},
                                         QStringLiteral("removing %1").arg(objectUri(place, key)));
    return r.isOk() ? Status::ok() : r.status();
}

StatusOr<QHash<QString, qint64>> listObjects(const S3Place& place, const QString& keyPrefix) {
    S3Client client(place.target, place.credentials, place.retry, nullptr);
    QHash<QString, qint64> objects;
    QByteArray token;
    for (;;) {
        S3Request request{"GET", {}, {{"list-type", "2"}, {"prefix", keyPrefix.toUtf8()}}, {}, {}};
        if (!token.isEmpty())
            request.query.append(std::pair<QByteArray, QByteArray>("continuation-token", token));
        StatusOr<S3Response> r =
            client.call(request, QStringLiteral("listing %1").arg(objectUri(place, keyPrefix)));
        if (!r.isOk())
            return r.status();
        QXmlStreamReader xml(r->body);
        QString key;
        bool truncated = false;
        token.clear();
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == QLatin1String("Key"))
                key = xml.readElementText();
            else if (xml.name() == QLatin1String("Size"))
                objects.insert(key, xml.readElementText().toLongLong());
            else if (xml.name() == QLatin1String("IsTruncated"))
                truncated = xml.readElementText() == QLatin1String("true");
            else if (xml.name() == QLatin1String("NextContinuationToken"))
                token = xml.readElementText().toUtf8();
        }
        if (xml.hasError())
            return Status::error(Status::Code::NetworkError,
                                 QStringLiteral("listing %1: unreadable answer (%2)")
                                     .arg(objectUri(place, keyPrefix), xml.errorString()));
        if (!truncated || token.isEmpty())
            return objects;
    }
}

StatusOr<QString> openableSource(const QString& source, const S3Settings& settings,
                                 int validSeconds) {
    if (!isS3Uri(source))
        return source;
    StatusOr<S3Place> place = resolveS3(source, settings);
    if (!place.isOk())
        return place.status();
    const QString key = place->target.prefix;
    if (key.isEmpty())
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("%1: names a bucket, not an object").arg(source));
    // Asked first, so a missing or forbidden object is named here in words, not by FFmpeg's
    // HTTP reader (which would also print the presigned URL).
    S3Client client(place->target, place->credentials, place->retry, nullptr);
    S3Response head = client.send(S3Request{"HEAD", key, {}, {}, {}});
    if (!head.isSuccess() && head.isRetryable()) {
        StatusOr<S3Response> again =
            client.call(S3Request{"HEAD", key, {}, {}, {}},
                        QStringLiteral("%1: cannot read the source").arg(source));
        if (!again.isOk())
            return again.status();
        head = again.value();
    }
    if (!head.isSuccess()) {
        const QString why = head.httpStatus == 404   ? QStringLiteral("no such object")
                            : head.httpStatus == 403 ? QStringLiteral("access denied")
                                                     : QString();
        return Status::error(
            Status::Code::InvalidInput,
            why.isEmpty() ? publish::describeS3Failure(
                                head, QStringLiteral("%1: cannot read the source").arg(source))
                          : QStringLiteral("%1: cannot read the source: %2 (HTTP %3)")
                                .arg(source, why)
                                .arg(head.httpStatus));
    }
    return publish::presignGetUrl(place->target, key, place->credentials, validSeconds,
                                  QDateTime::currentDateTimeUtc())
        .toString(QUrl::FullyEncoded);
}

StatusOr<ClusterPlan> loadPlan(const QString& location, const S3Settings& settings) {
    QByteArray bytes;
    if (isS3Uri(location)) {
        QString uri = location;
        while (uri.endsWith(QLatin1Char('/')))
            uri.chop(1);
        if (!uri.endsWith(QLatin1String(".json")))
            uri += QStringLiteral("/plan.json");
        StatusOr<S3Place> place = resolveS3(uri, settings);
        if (!place.isOk())
            return place.status();
        StatusOr<QByteArray> got = getObject(place.value(), place->target.prefix);
        if (!got.isOk())
            return Status::error(
                got.status().code(),
                QStringLiteral("cannot read the plan: %1").arg(got.status().message()));
        bytes = got.value();
    } else {
        QFile file(location);
        if (!file.open(QIODevice::ReadOnly))
            return Status::error(
                Status::Code::InvalidArgument,
                QStringLiteral("%1: cannot read the plan (%2)").arg(location, file.errorString()));
        bytes = file.readAll();
    }
    QJsonParseError error;
    const QJsonDocument json = QJsonDocument::fromJson(bytes, &error);
    if (!json.isObject())
        return Status::error(
            Status::Code::InvalidArgument,
            QStringLiteral("%1: not a plan (%2)").arg(location, error.errorString()));
    StatusOr<ClusterPlan> plan = ClusterPlan::fromJson(json.object());
    if (!plan.isOk())
        return Status::error(plan.status().code(),
                             QStringLiteral("%1: %2").arg(location, plan.status().message()));
    return plan;
}

Status savePlan(const ClusterPlan& plan, const S3Settings& settings) {
    const QByteArray json = QJsonDocument(plan.toJson()).toJson(QJsonDocument::Indented);
    if (isS3Uri(plan.output)) {
        StatusOr<S3Place> place = resolveS3(plan.output, settings);
        if (!place.isOk())
            return place.status();
        return putObject(place.value(), place->target.keyFor(QStringLiteral("plan.json")), json,
                         "application/json");
    }
    const QString path = QDir(plan.output).filePath(QStringLiteral("plan.json"));
    QSaveFile file(path);
    if (!QDir().mkpath(plan.output) || !file.open(QIODevice::WriteOnly) || file.write(json) < 0 ||
        !file.commit())
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot write the plan (%2)")
                                 .arg(QDir::toNativeSeparators(path), file.errorString()));
    return Status::ok();
}

Status storePlanInputs(ClusterPlan* plan, const QVector<subtitles::SubtitleInput>& files,
                       const S3Settings& settings) {
    std::optional<S3Place> place;
    if (isS3Uri(plan->output)) {
        StatusOr<S3Place> resolved = resolveS3(plan->output, settings);
        if (!resolved.isOk())
            return resolved.status();
        place = resolved.value();
    }
    QVector<subtitles::SubtitleInput> stored;
    QSet<QString> names;
    for (const subtitles::SubtitleInput& in : files) {
        QFile file(in.path);
        if (!file.open(QIODevice::ReadOnly))
            return Status::error(Status::Code::InvalidArgument,
                                 QStringLiteral("%1: cannot read (%2)")
                                     .arg(QDir::toNativeSeparators(in.path), file.errorString()));
        const QByteArray bytes = file.readAll();
        // The file's own name (the language it may carry, the origin messages name); a second
        // file of the same name from elsewhere goes into a numbered folder.
        const QString fileName = QFileInfo(in.path).fileName();
        QString relative = QStringLiteral("inputs/") + fileName;
        for (int n = 2; names.contains(relative); ++n)
            relative = QStringLiteral("inputs/%1/%2").arg(n).arg(fileName);
        names.insert(relative);
        if (place) {
            Status s = putObject(*place, place->target.keyFor(relative), bytes,
                                 "application/octet-stream");
            if (!s.isOk())
                return s;
        } else {
            Status s = writeFileAtomically(QDir(plan->output).filePath(relative), bytes);
            if (!s.isOk())
                return s;
        }
        subtitles::SubtitleInput entry = in;
        entry.path = relative;
        stored.append(entry);
    }
    plan->subtitleFiles = stored;
    return Status::ok();
}

StatusOr<QVector<subtitles::SubtitleInput>>
fetchPlanInputs(const ClusterPlan& plan, const QString& scratchDir, const S3Settings& settings) {
    QVector<subtitles::SubtitleInput> local = plan.subtitleFiles;
    if (!isS3Uri(plan.output)) {
        for (subtitles::SubtitleInput& in : local)
            in.path = QDir(plan.output).filePath(in.path); // an absolute path stays as it is
        return local;
    }
    if (local.isEmpty())
        return local;
    StatusOr<S3Place> place = resolveS3(plan.output, settings);
    if (!place.isOk())
        return place.status();
    for (subtitles::SubtitleInput& in : local) {
        StatusOr<QByteArray> bytes = getObject(place.value(), place->target.keyFor(in.path));
        if (!bytes.isOk())
            return bytes.status();
        const QString to = QDir(scratchDir).filePath(in.path);
        Status s = writeFileAtomically(to, bytes.value());
        if (!s.isOk())
            return s;
        in.path = to;
    }
    return local;
}

Status uploadFiles(const S3Place& place, const QString& localDir, const QStringList& files,
                   const QStringList& last, const std::atomic_bool& cancel) {
    publish::PublishPlan plan;
    plan.sourceDir = localDir;
    for (const QString& rel : files + last) {
        publish::PublishFile f;
        f.relativePath = rel;
        f.absolutePath = QDir(localDir).filePath(rel);
        f.sizeBytes = QFileInfo(f.absolutePath).size();
        QByteArray head;
        if (rel.endsWith(QLatin1String(".m3u8"))) {
            QFile in(f.absolutePath);
            if (in.open(QIODevice::ReadOnly))
                head = in.read(64 * 1024);
        }
        f.kind = publish::classifyFile(rel, head);
        // `last` goes in the last phase, alone (the caller gives no master playlist with it).
        f.phase =
            last.contains(rel) ? publish::kPublishPhaseCount - 1 : publish::publishPhase(f.kind);
        plan.totalBytes += f.sizeBytes;
        plan.files.append(f);
    }
    std::sort(plan.files.begin(), plan.files.end(),
              [](const publish::PublishFile& a, const publish::PublishFile& b) {
                  return a.phase != b.phase ? a.phase < b.phase : a.relativePath < b.relativePath;
              });
    publish::PublishOptions options;
    options.destination = publish::PublishOptions::Destination::S3;
    options.s3 = place.target;
    options.credentials = place.credentials;
    options.retry = place.retry;
    options.parallelRequests = 4;
    publish::PublishState state(cancel);
    publish::PublishResult result;
    return publish::publishToS3(plan, options, state, result);
}

StatusOr<QStringList> downloadAll(const S3Place& place, const QString& localDir,
                                  const QStringList& skip, const std::atomic_bool& cancel) {
    const QString prefix = place.target.prefix.isEmpty() ? QString() : place.target.prefix + '/';
    StatusOr<QHash<QString, qint64>> listed = listObjects(place, prefix);
    if (!listed.isOk())
        return listed.status();
    QStringList keys;
    for (auto it = listed->cbegin(); it != listed->cend(); ++it) {
        const QString rel = it.key().mid(prefix.size());
        if (!rel.isEmpty() && !skip.contains(rel) && !rel.endsWith(QLatin1Char('/')))
            keys.append(it.key());
    }
    keys.sort();
    std::atomic<int> next{0};
    std::mutex mutex;
    Status firstError;
    const auto worker = [&] {
        S3Client client(place.target, place.credentials, place.retry, &cancel);
        for (int i = next++; i < keys.size(); i = next++) {
            {
                std::lock_guard lock(mutex);
                if (!firstError.isOk())
                    return;
            }
            const QString& key = keys[i];
            StatusOr<S3Response> r =
                client.call(S3Request{"GET", key, {}, {}, {}},
                            QStringLiteral("reading %1").arg(objectUri(place, key)));
            Status s = r.isOk() ? Status::ok() : r.status();
            if (s.isOk()) {
                const QString path = QDir(localDir).filePath(key.mid(prefix.size()));
                QSaveFile file(path);
                if (!QDir().mkpath(QFileInfo(path).absolutePath()) ||
                    !file.open(QIODevice::WriteOnly) || file.write(r->body) < 0 || !file.commit())
                    s = Status::error(
                        Status::Code::IoError,
                        QStringLiteral("%1: cannot write (%2)").arg(path, file.errorString()));
            }
            if (!s.isOk()) {
                std::lock_guard lock(mutex);
                firstError.update(s);
                return;
            }
        }
    };
    QList<QThread*> threads;
    for (int i = 0; i < 4; ++i) {
        threads.append(QThread::create(worker));
        threads.last()->start();
    }
    for (QThread* t : threads) {
        t->wait();
        delete t;
    }
    if (!firstError.isOk())
        return firstError;
    if (cancel)
        return Status::cancelled();
    QStringList written;
    for (const QString& key : std::as_const(keys))
        written.append(key.mid(prefix.size()));
    return written;
}

} // namespace hlsforge::cluster
