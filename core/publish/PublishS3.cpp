// S3 destination. Per phase, a pool of worker threads (one S3Client, hence one connection,
// each) takes tasks from one queue: a file task either skips the file (same size and ETag
// already there), PUTs it whole, or starts a multipart upload and queues its parts at the
// front, so a big file's parts go out in parallel and only a few uploads are open at once.
// Memory stays at about parallelRequests × max(partSize, multipartThreshold).

#include "publish/Digest.h"
#include "publish/PublishJob.h"

#include <QFile>
#include <QThread>
#include <QXmlStreamReader>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace hlsforge::publish {
namespace {

constexpr qint64 kMinPartBytes = 5 * 1024 * 1024;
constexpr qint64 kMaxParts = 10000;

struct RemoteObject {
    qint64 sizeBytes = 0;
    QByteArray etag; // without quotes
};

struct MultipartUpload {
    const PublishFile* file = nullptr;
    QString key;
    QByteArray uploadId;
    qint64 partSizeBytes = 0;
    // Per-part MD5s: known up front when the file had to be compared with a remote object of
    // the same size (then each part is checked against them), else filled in as parts go.
    std::vector<QByteArray> partMd5s;
    bool partMd5sKnown = false;
    QByteArray wholeMd5; // empty unless computed
    QVector<QByteArray> partEtags;
    std::atomic<int> partsLeft{0};
};

struct Task {
    const PublishFile* file = nullptr;
    std::shared_ptr<MultipartUpload> upload; // set for a part
    int partNumber = 0;
};

// A work queue whose consumers also produce (a file task queues its parts): pop() waits
// while the queue is empty but some task is still running.
class TaskQueue {
public:
    void push(Task task) {
        std::lock_guard lock(m_mutex);
        m_tasks.push_back(std::move(task));
        m_wake.notify_one();
    }
    void pushFront(const QList<Task>& tasks) {
        std::lock_guard lock(m_mutex);
        for (auto it = tasks.rbegin(); it != tasks.rend(); ++it)
            m_tasks.push_front(*it);
        m_wake.notify_all();
    }
    std::optional<Task> pop() {
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [&] { return m_stopped || !m_tasks.empty() || m_running == 0; });
        if (m_stopped || m_tasks.empty())
            return std::nullopt;
        Task task = std::move(m_tasks.front());
        m_tasks.pop_front();
        ++m_running;
        return task;
    }
    void done() {
        std::lock_guard lock(m_mutex);
        --m_running;
        m_wake.notify_all();
    }
    void stop() {
        std::lock_guard lock(m_mutex);
        m_stopped = true;
        m_wake.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Task> m_tasks;
    int m_running = 0;
    bool m_stopped = false;
};

qint64 choosePartSize(qint64 fileBytes, qint64 wantedBytes) {
    qint64 part = std::max(wantedBytes, kMinPartBytes);
    if ((fileBytes + part - 1) / part > kMaxParts) {
        const qint64 mib = 1024 * 1024;
        part = ((fileBytes + kMaxParts - 1) / kMaxParts + mib - 1) / mib * mib;
    }
    return part;
}

// Another S3 implementation may report a multipart object's ETag as the MD5 of the whole
// body (s3rver, some MinIO modes); either value proves the same bytes arrived.
bool etagMatches(const QByteArray& remote, const FileDigest& digest) {
    return remote == digest.etag().toLatin1() ||
           (!digest.md5.isEmpty() && remote == digest.md5.toHex());
}

class S3Run {
public:
    S3Run(const PublishPlan& plan, const PublishOptions& options, PublishState& state,
          PublishResult& result)
        : m_plan(plan), m_options(options), m_state(state), m_result(result) {}

    Status run();

private:
    Status listRemote(S3Client& client);
    void abortStaleUploads(S3Client& client);
    void abortOpenUploads();
    void worker();
    Status uploadFile(S3Client& client, const PublishFile& file);
    Status uploadPart(S3Client& client, const Task& task);
    Status completeUpload(S3Client& client, MultipartUpload& upload);
    void fileDone(const PublishFile& file, bool skipped);
    HeaderList objectHeaders(const PublishFile& file) const;
    void fail(const Status& status) {
        {
            std::lock_guard lock(m_mutex);
            m_firstError.update(status);
        }
        m_queue->stop();
    }
    QString prefixForListing() const {
        return m_options.s3.prefix.isEmpty() ? QString() : m_options.s3.prefix + '/';
    }

    const PublishPlan& m_plan;
    const PublishOptions& m_options;
    PublishState& m_state;
    PublishResult& m_result;
    QHash<QString, RemoteObject> m_remote;
    std::mutex m_mutex;
    Status m_firstError;
    QHash<QByteArray, QString> m_openUploads; // uploadId → key
    std::unique_ptr<TaskQueue> m_queue;
};

Status S3Run::listRemote(S3Client& client) {
    QByteArray token;
    for (int page = 0; page < 100000; ++page) {
        S3Request request{
            "GET", {}, {{"list-type", "2"}, {"prefix", prefixForListing().toUtf8()}}, {}, {}};
        if (!token.isEmpty())
            request.query.append(std::pair<QByteArray, QByteArray>("continuation-token", token));
        StatusOr<S3Response> response =
            client.call(request, QStringLiteral("listing %1").arg(m_options.s3.displayName()));
        if (!response.isOk())
            return response.status();
        QXmlStreamReader xml(response->body);
        QString key;
        RemoteObject object;
        bool truncated = false;
        token.clear();
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement()) {
                const auto name = xml.name();
                if (name == QLatin1String("Key"))
                    key = xml.readElementText();
                else if (name == QLatin1String("Size"))
                    object.sizeBytes = xml.readElementText().toLongLong();
                else if (name == QLatin1String("ETag"))
                    object.etag = xml.readElementText().remove(QLatin1Char('"')).toLatin1();
                else if (name == QLatin1String("IsTruncated"))
                    truncated = xml.readElementText() == QLatin1String("true");
                else if (name == QLatin1String("NextContinuationToken"))
                    token = xml.readElementText().toUtf8();
            } else if (xml.isEndElement() && xml.name() == QLatin1String("Contents")) {
                m_remote.insert(key, object);
                object = {};
            }
        }
        if (xml.hasError())
            return Status::error(Status::Code::NetworkError,
                                 QStringLiteral("listing %1: unreadable answer (%2)")
                                     .arg(m_options.s3.displayName(), xml.errorString()));
        if (!truncated || token.isEmpty())
            return Status::ok();
    }
    return Status::error(
        Status::Code::NetworkError,
        QStringLiteral("listing %1: too many pages").arg(m_options.s3.displayName()));
}

// A publish that crashed may have left multipart uploads open (they cost storage until
// aborted). Abort those for keys this publish writes. Stores without ListMultipartUploads
// (s3rver) answer NotImplemented: nothing to clean then.
void S3Run::abortStaleUploads(S3Client& client) {
    S3Request request{
        "GET", {}, {{"uploads", {}}, {"prefix", prefixForListing().toUtf8()}}, {}, {}};
    const S3Response response = client.send(request);
    if (!response.isSuccess())
        return;
    QSet<QString> ours;
    for (const PublishFile& f : m_plan.files)
        ours.insert(m_options.s3.keyFor(f.relativePath));
    QXmlStreamReader xml(response.body);
    QString key;
    QByteArray uploadId;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("Key"))
            key = xml.readElementText();
        else if (xml.isStartElement() && xml.name() == QLatin1String("UploadId"))
            uploadId = xml.readElementText().toUtf8();
        else if (xml.isEndElement() && xml.name() == QLatin1String("Upload")) {
            if (ours.contains(key))
                client.call({"DELETE", key, {{"uploadId", uploadId}}, {}, {}},
                            QStringLiteral("aborting an old upload of %1").arg(key));
            key.clear();
            uploadId.clear();
        }
    }
}

void S3Run::abortOpenUploads() {
    QHash<QByteArray, QString> open;
    {
        std::lock_guard lock(m_mutex);
        open.swap(m_openUploads);
    }
    if (open.isEmpty())
        return;
    RetryPolicy quick = m_options.retry;
    quick.maxAttempts = 2;
    quick.transferTimeoutMs = std::min(quick.transferTimeoutMs, 10000);
    S3Client client(m_options.s3, m_options.credentials, quick, nullptr); // must run after a cancel
    for (auto it = open.cbegin(); it != open.cend(); ++it)
        client.call({"DELETE", it.value(), {{"uploadId", it.key()}}, {}, {}},
                    QStringLiteral("aborting upload of %1").arg(it.value()));
}

HeaderList S3Run::objectHeaders(const PublishFile& file) const {
    HeaderList headers{
        {"content-type", m_options.contentPolicy.contentTypeFor(file.relativePath).toUtf8()},
        {"cache-control", m_options.contentPolicy.cacheControlFor(file.kind).toUtf8()}};
    if (m_options.publicRead)
        headers.append(std::pair<QByteArray, QByteArray>("x-amz-acl", "public-read"));
    return headers;
}

void S3Run::fileDone(const PublishFile& file, bool skipped) {
    ++m_state.filesDone;
    if (skipped) {
        ++m_state.filesSkipped;
        m_state.bytesDone += file.sizeBytes;
    } else {
        std::lock_guard lock(m_mutex);
        ++m_result.filesUploaded;
    }
}

Status S3Run::uploadFile(S3Client& client, const PublishFile& file) {
    const QString key = m_options.s3.keyFor(file.relativePath);
    const RemoteObject remote = m_remote.value(key, RemoteObject{-1, {}});
    if (file.sizeBytes < m_options.multipartThresholdBytes) {
        QFile in(file.absolutePath);
        if (!in.open(QIODevice::ReadOnly))
            return Status::error(
                Status::Code::IoError,
                QStringLiteral("%1: cannot read (%2)").arg(file.absolutePath, in.errorString()));
        const QByteArray body = in.readAll();
        if (body.size() != file.sizeBytes)
            return Status::error(
                Status::Code::IoError,
                QStringLiteral("%1: changed while publishing").arg(file.absolutePath));
        const QByteArray md5 = md5Raw(body);
        if (remote.sizeBytes == file.sizeBytes && remote.etag == md5.toHex()) {
            fileDone(file, true);
            return Status::ok();
        }
        HeaderList headers = objectHeaders(file);
        headers.append(std::pair<QByteArray, QByteArray>("content-md5", md5.toBase64()));
        StatusOr<S3Response> response =
            client.call({"PUT", key, {}, headers, body}, QStringLiteral("uploading %1").arg(key));
        if (!response.isOk())
            return response.status();
        if (response->etag() != md5.toHex())
            return Status::error(
                Status::Code::NetworkError,
                QStringLiteral(
                    "uploading %1: the server stored different bytes (ETag %2, expected MD5 %3)")
                    .arg(key, QString::fromLatin1(response->etag()),
                         QString::fromLatin1(md5.toHex())));
        m_state.bytesDone += body.size();
        m_state.bytesTransferred += body.size();
        fileDone(file, false);
        return Status::ok();
    }

    const qint64 partSize = choosePartSize(file.sizeBytes, m_options.partSizeBytes);
    const int parts = static_cast<int>(partCount(file.sizeBytes, partSize));
    // Reading a big file an extra time only pays when an object of the same size is there
    // and might be this very file; otherwise part MD5s are computed as the parts go out.
    std::optional<FileDigest> digest;
    if (remote.sizeBytes == file.sizeBytes) {
        StatusOr<FileDigest> computed = digestFile(file.absolutePath, partSize, &m_state.cancel);
        if (!computed.isOk())
            return computed.status();
        if (etagMatches(remote.etag, computed.value())) {
            fileDone(file, true);
            return Status::ok();
        }
        digest = computed.value();
    }
    StatusOr<S3Response> created =
        client.call({"POST", key, {{"uploads", {}}}, objectHeaders(file), {}},
                    QStringLiteral("starting upload of %1").arg(key));
    if (!created.isOk())
        return created.status();
    auto upload = std::make_shared<MultipartUpload>();
    upload->file = &file;
    upload->key = key;
    upload->uploadId = xmlFirstText(created->body, QStringLiteral("UploadId")).toUtf8();
    if (upload->uploadId.isEmpty())
        return Status::error(
            Status::Code::NetworkError,
            QStringLiteral("starting upload of %1: no UploadId in the answer").arg(key));
    upload->partSizeBytes = partSize;
    upload->partMd5s.resize(parts);
    if (digest) {
        upload->partMd5s.assign(digest->partMd5s.begin(), digest->partMd5s.end());
        upload->partMd5sKnown = true;
        upload->wholeMd5 = digest->md5;
    }
    upload->partEtags.resize(parts);
    upload->partsLeft = parts;
    {
        std::lock_guard lock(m_mutex);
        m_openUploads.insert(upload->uploadId, key);
    }
    QList<Task> partTasks;
    for (int n = 1; n <= parts; ++n)
        partTasks.append(Task{&file, upload, n});
    m_queue->pushFront(partTasks);
    return Status::ok();
}

Status S3Run::uploadPart(S3Client& client, const Task& task) {
    MultipartUpload& upload = *task.upload;
    const PublishFile& file = *upload.file;
    QFile in(file.absolutePath);
    if (!in.open(QIODevice::ReadOnly) || !in.seek((task.partNumber - 1) * upload.partSizeBytes))
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot read (%2)").arg(file.absolutePath, in.errorString()));
    const QByteArray body = in.read(upload.partSizeBytes);
    const QByteArray md5 = md5Raw(body);
    if (body.isEmpty() || (upload.partMd5sKnown && md5 != upload.partMd5s[task.partNumber - 1]))
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: changed while publishing").arg(file.absolutePath));
    const QString what = QStringLiteral("uploading part %1/%2 of %3")
                             .arg(task.partNumber)
                             .arg(upload.partEtags.size())
                             .arg(upload.key);
    StatusOr<S3Response> response = client.call(
        {"PUT",
         upload.key,
         {{"partNumber", QByteArray::number(task.partNumber)}, {"uploadId", upload.uploadId}},
         {{"content-md5", md5.toBase64()}},
         body},
        what);
    if (!response.isOk())
        return response.status();
    if (response->etag() != md5.toHex())
        return Status::error(
            Status::Code::NetworkError,
            QStringLiteral("%1: the server stored different bytes (ETag %2, expected MD5 %3)")
                .arg(what, QString::fromLatin1(response->etag()),
                     QString::fromLatin1(md5.toHex())));
    upload.partEtags[task.partNumber - 1] = response->etag();
    upload.partMd5s[task.partNumber - 1] = md5; // each task writes only its own slot
    m_state.bytesDone += body.size();
    m_state.bytesTransferred += body.size();
    if (--upload.partsLeft == 0)
        return completeUpload(client, upload);
    return Status::ok();
}

Status S3Run::completeUpload(S3Client& client, MultipartUpload& upload) {
    QByteArray xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
    for (int n = 0; n < upload.partEtags.size(); ++n)
        xml += "<Part><PartNumber>" + QByteArray::number(n + 1) + "</PartNumber><ETag>\"" +
               upload.partEtags[n] + "\"</ETag></Part>";
    xml += "</CompleteMultipartUpload>";
    StatusOr<S3Response> response =
        client.call({"POST",
                     upload.key,
                     {{"uploadId", upload.uploadId}},
                     {{"content-type", "application/xml"}},
                     xml},
                    QStringLiteral("finishing upload of %1").arg(upload.key));
    QByteArray etag;
    if (response.isOk()) {
        etag = xmlFirstText(response->body, QStringLiteral("ETag"))
                   .remove(QLatin1Char('"'))
                   .toLatin1();
    } else if (response.status().message().contains(QLatin1String("NoSuchUpload"))) {
        // An earlier attempt may have completed the upload and only its answer was lost (a
        // dropped connection): then the object is there, and its size and ETag tell.
        const S3Response head = client.send({"HEAD", upload.key, {}, {}, {}});
        if (!head.isSuccess() ||
            head.headers.value("content-length").toLongLong() != upload.file->sizeBytes)
            return response.status();
        etag = head.etag();
    } else {
        return response.status();
    }
    {
        std::lock_guard lock(m_mutex);
        m_openUploads.remove(upload.uploadId);
    }
    FileDigest digest;
    digest.partMd5s = QList<QByteArray>(upload.partMd5s.begin(), upload.partMd5s.end());
    digest.md5 = upload.wholeMd5;
    if (etag != digest.etag().toLatin1() && !etag.contains('-') && digest.md5.isEmpty()) {
        // The store reports a whole-body MD5 (s3rver, some MinIO modes): compute ours to compare.
        StatusOr<FileDigest> whole = digestFile(upload.file->absolutePath, 0, &m_state.cancel);
        if (!whole.isOk())
            return whole.status();
        digest.md5 = whole->md5;
    }
    if (!etagMatches(etag, digest))
        return Status::error(Status::Code::NetworkError,
                             QStringLiteral("finishing upload of %1: the server assembled "
                                            "different bytes (ETag %2, expected %3)")
                                 .arg(upload.key, QString::fromLatin1(etag), digest.etag()));
    fileDone(*upload.file, false);
    return Status::ok();
}

void S3Run::worker() {
    S3Client client(m_options.s3, m_options.credentials, m_options.retry, &m_state.cancel);
    client.setRetryCounter(&m_state.retries);
    while (std::optional<Task> task = m_queue->pop()) {
        const Status status =
            task->upload ? uploadPart(client, *task) : uploadFile(client, *task->file);
        if (!status.isOk())
            fail(status);
        m_queue->done();
    }
}

Status S3Run::run() {
    if (!m_options.credentials.isComplete())
        return Status::error(
            Status::Code::InvalidArgument,
            QStringLiteral("%1: no S3 credentials (access key ID and secret access key)")
                .arg(m_options.s3.displayName()));
    {
        S3Client control(m_options.s3, m_options.credentials, m_options.retry, &m_state.cancel);
        control.setRetryCounter(&m_state.retries);
        const Status listed = listRemote(control);
        if (!listed.isOk())
            return listed;
        abortStaleUploads(control);
    }
    const int workers = std::clamp(m_options.parallelRequests, 1, 64);
    for (int phase = 0; phase < kPublishPhaseCount && m_firstError.isOk(); ++phase) {
        const auto files = m_plan.filesInPhase(phase);
        if (files.isEmpty())
            continue;
        m_state.phase = phase;
        m_queue = std::make_unique<TaskQueue>();
        for (const PublishFile* f : files)
            m_queue->push(Task{f, nullptr, 0});
        QList<QThread*> threads;
        for (int i = 0; i < workers; ++i) {
            threads.append(QThread::create([this] { worker(); }));
            threads.last()->start();
        }
        for (QThread* t : threads) {
            t->wait();
            delete t;
        }
        if (m_state.cancel)
            break;
    }
    Status status;
    {
        std::lock_guard lock(m_mutex);
        status = m_firstError;
    }
    if (status.isOk() && m_state.cancel)
        status = Status::cancelled();
    if (!status.isOk())
        abortOpenUploads(); // a re-run starts those files afresh; nothing is left billed
    return status;
}

} // namespace

Status publishToS3(const PublishPlan& plan, const PublishOptions& options, PublishState& state,
                   PublishResult& result) {
    S3Run run(plan, options, state, result);
    return run.run();
}

} // namespace hlsforge::publish
