#pragma once
// CheckJob: checkLadder() as a Job (core/job/Job.h), for the CLI's runner and the app's
// queue: progress while segments are read, Cancelled when stopped, the report as its result.

#include "check/LadderCheck.h"
#include "job/Job.h"

#include <mutex>

namespace hlsforge::check {

class CheckJob final : public Job {
    Q_OBJECT
public:
    explicit CheckJob(QString ladder, QObject* parent = nullptr);
    ~CheckJob() override;

    const QString& ladder() const { return m_ladder; }
    // Valid once finished() with Ok.
    CheckReport report() const;
    QString title() const override;
    QJsonObject resultJson() const override; // status + the report's JSON

protected:
    Status run(const CancelToken& cancel, ProgressSink& progress) override;

private:
    const QString m_ladder;
    mutable std::mutex m_resultMutex;
    CheckReport m_report;
};

} // namespace hlsforge::check
