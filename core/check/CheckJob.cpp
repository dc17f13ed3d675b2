#include "check/CheckJob.h"

#include <QElapsedTimer>
#include <QFileInfo>

namespace hlsforge::check {

CheckJob::CheckJob(QString ladder, QObject* parent) : Job(parent), m_ladder(std::move(ladder)) {}

CheckJob::~CheckJob() {
    waitForWorker();
}

CheckReport CheckJob::report() const {
    const std::lock_guard lock(m_resultMutex);
    return m_report;
}

QString CheckJob::title() const {
    const QFileInfo info(m_ladder);
    return info.fileName().isEmpty() ? m_ladder : info.fileName();
}

QJsonObject CheckJob::resultJson() const {
    QJsonObject o = Job::resultJson();
    if (status().isOk()) {
        const QJsonObject report = this->report().toJson();
        for (auto it = report.begin(); it != report.end(); ++it)
            o.insert(it.key(), it.value());
    }
    return o;
}

Status CheckJob::run(const CancelToken& cancel, ProgressSink& progress) {
    QElapsedTimer clock;
    clock.start();
    CheckOptions options;
    options.progress = [&](double fraction) {
        JobProgress p;
        p.phase = JobPhase::Verifying;
        p.fraction = fraction;
        p.elapsedSeconds = clock.nsecsElapsed() / 1e9;
        if (fraction > 0.05)
            p.etaSeconds = p.elapsedSeconds * (1 - fraction) / fraction;
        progress.report(p);
        return !cancel.isCancelled();
    };
    StatusOr<CheckReport> result = checkLadder(m_ladder, options);
    if (!result.isOk())
        return result.status();
    const std::lock_guard lock(m_resultMutex);
    m_report = result.value();
    return Status::ok();
}

} // namespace hlsforge::check
