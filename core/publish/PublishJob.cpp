#include "publish/PublishJob.h"

#include <QDir>
#include <QMetaObject>
#include <QUrl>

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
    : QObject(parent), m_options(std::move(options)) {
    qRegisterMetaType<hlsforge::publish::PublishResult>();
}

PublishJob::~PublishJob() {
    cancel();
    if (m_thread.joinable())
        m_thread.join();
}

void PublishJob::start() {
    if (m_thread.joinable())
        return; // one job, one run
    m_thread = std::thread([this] {
        PublishResult result = run();
        {
            std::lock_guard lock(m_resultMutex);
            m_result = std::move(result);
        }
        m_state.finished = true;
        // The receiving thread takes the result through result(), under the mutex it was
        // written under, not as a copy carried by Qt's event queue: the strings in it were
        // allocated here, and a hand-off through libQt6Core's (uninstrumented) lock is one
        // ThreadSanitizer cannot see, while this one it checks.
        QMetaObject::invokeMethod(
            this, [this] { emit finished(this->result()); }, Qt::QueuedConnection);
    });
}

void PublishJob::cancel() {
    m_state.cancel = true;
}

PublishResult PublishJob::result() const {
    std::lock_guard lock(m_resultMutex);
    return m_result;
}

PublishProgress PublishJob::progress() const {
    PublishProgress p;
    p.bytesDone = m_state.bytesDone;
    p.bytesTotal = m_state.bytesTotal;
    p.bytesTransferred = m_state.bytesTransferred;
    p.filesDone = m_state.filesDone;
    p.filesSkipped = m_state.filesSkipped;
    p.filesTotal = m_state.filesTotal;
    p.retries = m_state.retries;
    p.phase = m_state.phase;
    p.finished = m_state.finished;
    const double seconds = m_state.secondsSinceStart();
    if (seconds > 0.2 && p.bytesTransferred > 0) {
        p.bytesPerSecond = p.bytesTransferred / seconds;
        p.etaSeconds = (p.bytesTotal - p.bytesDone) / p.bytesPerSecond;
    }
    return p;
}

PublishResult PublishJob::run() {
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
