#include "job/Job.h"

#include <QMetaObject>

namespace hlsforge {

QString jobPhaseName(JobPhase phase) {
    switch (phase) {
    case JobPhase::Queued:
        return QStringLiteral("queued");
    case JobPhase::Probing:
        return QStringLiteral("probing");
    case JobPhase::Encoding:
        return QStringLiteral("encoding");
    case JobPhase::Finishing:
        return QStringLiteral("finishing");
    case JobPhase::Uploading:
        return QStringLiteral("uploading");
    case JobPhase::Verifying:
        return QStringLiteral("verifying");
    case JobPhase::Done:
        return QStringLiteral("done");
    }
    return QStringLiteral("unknown");
}

JobOutcome outcomeOf(const Status& status) {
    if (status.isOk())
        return JobOutcome::Succeeded;
    return status.isCancelled() ? JobOutcome::Cancelled : JobOutcome::Failed;
}

QString jobOutcomeName(JobOutcome outcome) {
    switch (outcome) {
    case JobOutcome::Succeeded:
        return QStringLiteral("succeeded");
    case JobOutcome::Failed:
        return QStringLiteral("failed");
    case JobOutcome::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("failed");
}

QJsonObject JobProgress::toJson() const {
    QJsonObject o{{QStringLiteral("phase"), jobPhaseName(phase)},
                  {QStringLiteral("fraction"), fraction},
                  {QStringLiteral("etaSeconds"), etaSeconds},
                  {QStringLiteral("elapsedSeconds"), elapsedSeconds}};
    if (rateUnit == RateUnit::FramesPerSecond)
        o[QStringLiteral("framesPerSecond")] = rate;
    else if (rateUnit == RateUnit::BytesPerSecond)
        o[QStringLiteral("bytesPerSecond")] = rate;
    if (framesDone > 0 || framesTotal > 0) {
        o[QStringLiteral("framesDone")] = framesDone;
        o[QStringLiteral("framesTotal")] = framesTotal;
    }
    if (bytesDone > 0 || bytesTotal > 0) {
        o[QStringLiteral("bytesDone")] = bytesDone;
        o[QStringLiteral("bytesTotal")] = bytesTotal;
    }
    if (!text.isEmpty())
        o[QStringLiteral("text")] = text;
    return o;
}

void ProgressSink::report(const JobProgress& progress) {
    m_job.storeProgress(progress);
}

Job::Job(QObject* parent) : QObject(parent) {
    static const int registered = [] {
        qRegisterMetaType<hlsforge::Status>();
        qRegisterMetaType<hlsforge::JobProgress>();
        return 0;
    }();
    Q_UNUSED(registered);
}

Job::~Job() {
    // Subclasses have already done this (their members die before ours); this covers a
    // subclass that forgot, for the worker's sake if not for the subclass's members.
    waitForWorker();
}

void Job::waitForWorker() {
    m_cancel.m_cancelled.store(true, std::memory_order_release);
    if (m_worker.joinable() && m_worker.get_id() != std::this_thread::get_id())
        m_worker.join();
}

JobProgress Job::progress() const {
    std::lock_guard lock(m_mutex);
    return m_progress;
}

Status Job::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

QJsonObject Job::resultJson() const {
    const Status s = status();
    return {{QStringLiteral("status"), s.codeName()},
            {QStringLiteral("outcome"), jobOutcomeName(outcomeOf(s))},
            {QStringLiteral("message"), s.message()}};
}

void Job::storeProgress(const JobProgress& progress) {
    {
        std::lock_guard lock(m_mutex);
        m_progress = progress;
    }
    // One queued notification at a time: a job reporting per frame cannot flood the
    // owner's event loop; the reader takes the newest snapshot whenever it gets there.
    if (!m_notifyPending.exchange(true))
        QMetaObject::invokeMethod(this, "notifyProgress", Qt::QueuedConnection);
}

void Job::notifyProgress() {
    m_notifyPending.store(false);
    if (!m_finished.load())
        emit progressChanged();
}

void Job::start() {
    if (m_started.exchange(true))
        return; // one job, one run
    {
        std::lock_guard lock(m_mutex);
        m_progress = JobProgress{};
    }
    if (m_cancel.isCancelled()) {
        // Cancelled while queued: the outcome is known without running anything, and it
        // still arrives as a queued signal, like every other finish.
        {
            std::lock_guard lock(m_mutex);
            m_status = Status::cancelled();
            m_progress.phase = JobPhase::Done;
        }
        QMetaObject::invokeMethod(this, "deliverFinished", Qt::QueuedConnection);
        return;
    }
    m_worker = std::thread([this] {
        ProgressSink sink(*this);
        Status status = run(m_cancel, sink);
        {
            std::lock_guard lock(m_mutex);
            m_status = status;
            m_progress.phase = JobPhase::Done;
            if (status.isOk())
                m_progress.fraction = 1;
            m_progress.etaSeconds = status.isOk() ? 0 : -1;
        }
        // The last thing the worker does: deliverFinished() joins it right away.
        QMetaObject::invokeMethod(this, "deliverFinished", Qt::QueuedConnection);
    });
}

void Job::cancel() {
    m_cancel.m_cancelled.store(true, std::memory_order_release);
}

void Job::deliverFinished() {
    Q_ASSERT_X(!m_finishedEmitted, "Job::finished", "emitted twice");
    if (m_finishedEmitted)
        return;
    if (m_worker.joinable())
        m_worker.join();
    m_finishedEmitted = true;
    m_finished.store(true);
    emit finished(status());
}

} // namespace hlsforge
