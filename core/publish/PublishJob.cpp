#include "publish/PublishJob.h"

#include <QDir>
#include <QJsonObject>
#include <QMetaObject>
#include <QUrl>

#include <algorithm>
#include <chrono>

namespace hlsforge::publish {
namespace {
qint64 steadyNowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

double PublishState::secondsSinceStart() const {
    const qint64 started = startedAtNs.load();
    return started == 0 ? 0.0 : double(steadyNowNs() - started) / 1e9;
}

PublishJob::PublishJob(PublishOptions options, QObject* parent)
    : Job(parent), m_options(std::move(options)), m_state(*cancelToken().flag()) {
    qRegisterMetaType<hlsforge::publish::PublishResult>();
    setObjectName(QStringLiteral("publish"));
}

PublishJob::~PublishJob() {
    waitForWorker();
}

PublishResult PublishJob::result() const {
    std::lock_guard lock(m_resultMutex);
    PublishResult r = m_result;
    // Cancelled before it ran: publish() never wrote a result, the base knows the status.
    if (isFinished() && r.status.isOk() && !status().isOk())
        r.status = status();
    return r;
}

PublishProgress PublishJob::publishProgress() const {
    PublishProgress p;
    p.bytesDone = m_state.bytesDone;
    p.bytesTotal = m_state.bytesTotal;
    p.bytesTransferred = m_state.bytesTransferred;
    p.filesDone = m_state.filesDone;
    p.filesSkipped = m_state.filesSkipped;
    p.filesTotal = m_state.filesTotal;
    p.retries = m_state.retries;
    p.phase = m_state.phase;
    p.finished = isFinished();
    const double seconds = m_state.secondsSinceStart();
    if (seconds > 0.2 && p.bytesTransferred > 0) {
        p.bytesPerSecond = p.bytesTransferred / seconds;
        p.etaSeconds = (p.bytesTotal - p.bytesDone) / p.bytesPerSecond;
    }
    return p;
}

namespace {
QString stepName(int phase) {
    static const char* names[] = {"segments", "media playlists", "page", "master playlist"};
    return QLatin1String(names[std::clamp(phase, 0, 3)]);
}
} // namespace

JobProgress PublishJob::progress() const {
    const PublishProgress p = publishProgress();
    JobProgress j;
    j.phase = p.finished                        ? JobPhase::Done
              : m_state.startedAtNs.load() == 0 ? JobPhase::Queued
                                                : JobPhase::Uploading;
    j.fraction = p.bytesTotal > 0 ? double(p.bytesDone) / double(p.bytesTotal) : 0.0;
    if (p.finished && status().isOk())
        j.fraction = 1;
    j.rate = p.bytesPerSecond;
    j.rateUnit = RateUnit::BytesPerSecond;
    j.etaSeconds = p.etaSeconds;
    j.elapsedSeconds = m_state.secondsSinceStart();
    j.bytesDone = p.bytesDone;
    j.bytesTotal = p.bytesTotal;
    j.text = QStringLiteral("%1/%2 files (%3 unchanged), %4")
                 .arg(p.filesDone)
                 .arg(p.filesTotal)
                 .arg(p.filesSkipped)
                 .arg(stepName(p.phase));
    if (p.retries > 0)
        j.text += QStringLiteral(", %1 retries").arg(p.retries);
    return j;
}

QString PublishJob::title() const {
    return QDir(m_options.sourceDir).dirName();
}

QJsonObject PublishJob::progressDetailJson() const {
    const PublishProgress p = publishProgress();
    return {{QStringLiteral("step"), stepName(p.phase)},
            {QStringLiteral("filesDone"), p.filesDone},
            {QStringLiteral("filesSkipped"), p.filesSkipped},
            {QStringLiteral("filesTotal"), p.filesTotal},
            {QStringLiteral("bytesTransferred"), p.bytesTransferred},
            {QStringLiteral("retries"), p.retries}};
}

QJsonObject PublishJob::resultJson() const {
    const PublishResult r = result();
    const PublishProgress p = publishProgress();
    QJsonObject o = progress().toJson();
    const QJsonObject detail = progressDetailJson();
    for (auto it = detail.begin(); it != detail.end(); ++it)
        o.insert(it.key(), it.value());
    // Always present (the shared snapshot leaves zero byte counts out).
    o[QStringLiteral("bytesDone")] = p.bytesDone;
    o[QStringLiteral("bytesTotal")] = p.bytesTotal;
    o[QStringLiteral("status")] = r.status.codeName();
    o[QStringLiteral("outcome")] = jobOutcomeName(outcomeOf(r.status));
    o[QStringLiteral("message")] = r.status.message();
    o[QStringLiteral("filesUploaded")] = r.filesUploaded;
    o[QStringLiteral("seconds")] = r.seconds;
    o[QStringLiteral("playbackUrl")] = r.playbackUrl;
    o[QStringLiteral("pageUrl")] = r.pageUrl;
    return o;
}

Status PublishJob::run(const CancelToken&, ProgressSink& sink) {
    // The engines count into m_state's atomics (cancel is the CancelToken itself) and
    // progress() reads those directly; the sink only tells listeners it has begun.
    sink.report(progress());
    PublishResult result = publish();
    {
        std::lock_guard lock(m_resultMutex);
        m_result = result;
    }
    return result.status;
}

PublishResult PublishJob::publish() {
    PublishResult result;
    m_state.startedAtNs = steadyNowNs();
    StatusOr<PublishPlan> plan = planPublish(m_options.sourceDir);
    if (!plan.isOk()) {
        result.status = plan.status();
        return result;
    }
    m_state.bytesTotal = plan->totalBytes;
    m_state.filesTotal = static_cast<int>(plan->files.size());
    if (m_options.destination == PublishOptions::Destination::Folder)
        result.status = publishToFolder(plan.value(), m_options, m_state, result);
    else
        result.status = publishToS3(plan.value(), m_options, m_state, result);
    if (result.status.isOk() && m_state.cancel)
        result.status = Status::cancelled();
    result.filesSkipped = m_state.filesSkipped;
    result.bytesTransferred = m_state.bytesTransferred;
    result.seconds = m_state.secondsSinceStart();
    if (result.status.isOk()) {
        if (!plan->masterRelativePath.isEmpty())
            result.playbackUrl = publicUrlFor(m_options, plan->masterRelativePath);
        if (!plan->pageRelativePath.isEmpty())
            result.pageUrl = publicUrlFor(m_options, plan->pageRelativePath);
    }
    return result;
}

QString publicUrlFor(const PublishOptions& options, const QString& relativePath) {
    if (!options.publicBaseUrl.isEmpty()) {
        QString base = options.publicBaseUrl;
        while (base.endsWith(QLatin1Char('/')))
            base.chop(1);
        return base + QLatin1Char('/') +
               QString::fromLatin1(awsUriEncode(relativePath.toUtf8(), true));
    }
    if (options.destination == PublishOptions::Destination::S3)
        return options.s3.url(options.s3.keyFor(relativePath)).toString(QUrl::FullyEncoded);
    return QUrl::fromLocalFile(QDir(options.folderPath).absoluteFilePath(relativePath))
        .toString(QUrl::FullyEncoded);
}

} // namespace hlsforge::publish
