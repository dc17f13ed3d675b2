// tst_job: the contract every long operation keeps (core/job/Job.h), checked with a job that
// only counts: exactly one finished() for success, failure and cancel (before start, while
// running, after finishing), cancel() that never waits for the work, Cancelled distinct from
// Failed, finished() on the owner thread, and a progress snapshot readable from any thread
// while the worker writes it (run this one under -fsanitize=thread too).

#include "job/Job.h"

#include "TestMedia.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <chrono>
#include <thread>

using namespace hlsforge;

namespace {

class CountingJob final : public Job {
public:
    enum class Mode { Succeed, Fail, UntilCancelled };
    // stepMs: how long each step takes; cancel is only seen between steps.
    CountingJob(Mode mode, int steps, int stepMs) : m_mode(mode), m_steps(steps), m_stepMs(stepMs) {
        setObjectName(QStringLiteral("counting"));
    }
    ~CountingJob() override { waitForWorker(); }

    std::atomic<int> runs{0};
    std::atomic<bool> running{false};

protected:
    Status run(const CancelToken& cancel, ProgressSink& progress) override {
        ++runs;
        running = true;
        for (int i = 0; m_mode == Mode::UntilCancelled || i < m_steps; ++i) {
            if (cancel.isCancelled())
                return Status::cancelled();
            JobProgress p;
            p.phase = JobPhase::Encoding;
            p.framesDone = i;
            p.framesTotal = m_steps;
            p.fraction = m_steps > 0 ? std::min(1.0, double(i) / m_steps) : 0;
            p.rate = 1000.0 / std::max(1, m_stepMs);
            p.rateUnit = RateUnit::FramesPerSecond;
            // The text repeats the frame count: a torn snapshot would disagree with itself.
            p.text = QString::number(i);
            progress.report(p);
            std::this_thread::sleep_for(std::chrono::milliseconds(m_stepMs));
        }
        if (m_mode == Mode::Fail)
            return Status::error(Status::Code::IoError, QStringLiteral("out.ts: disk full"));
        return Status::ok();
    }

private:
    const Mode m_mode;
    const int m_steps;
    const int m_stepMs;
};

} // namespace

class JobTest : public QObject {
    Q_OBJECT
private slots:
    void outcomes_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("expected");
        QTest::newRow("success") << int(CountingJob::Mode::Succeed) << int(JobOutcome::Succeeded);
        QTest::newRow("failure") << int(CountingJob::Mode::Fail) << int(JobOutcome::Failed);
    }
    void outcomes() {
        QFETCH(int, mode);
        QFETCH(int, expected);
        CountingJob job(CountingJob::Mode(mode), 5, 1);
        QSignalSpy finished(&job, &Job::finished);
        QVERIFY(!job.isStarted());
        job.start();
        QVERIFY(job.isRunning());
        QVERIFY(finished.wait(5000));
        QTest::qWait(50); // a second emission would be queued right behind the first
        QCOMPARE(finished.size(), 1);
        QCOMPARE(int(job.outcome()), expected);
        QCOMPARE(int(outcomeOf(finished.first().first().value<Status>())), expected);
        QVERIFY(job.isFinished());
        QVERIFY(!job.isRunning());
        QCOMPARE(job.progress().phase, JobPhase::Done);
        if (JobOutcome(expected) == JobOutcome::Succeeded) {
            QCOMPARE(job.progress().fraction, 1.0);
        } else {
            QCOMPARE(job.status().code(), Status::Code::IoError);
            QVERIFY(job.status().message().contains(QLatin1String("disk full")));
        }
    }

    void startTwiceRunsOnce() {
        CountingJob job(CountingJob::Mode::Succeed, 3, 1);
        QSignalSpy finished(&job, &Job::finished);
        job.start();
        job.start();
        QVERIFY(finished.wait(5000));
        job.start();
        QTest::qWait(50);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(job.runs.load(), 1);
    }

    void cancelBeforeStart() {
        CountingJob job(CountingJob::Mode::Succeed, 3, 1);
        QSignalSpy finished(&job, &Job::finished);
        job.cancel();
        job.cancel(); // idempotent
        QTest::qWait(20);
        QCOMPARE(finished.size(), 0); // never started: never finished
        job.start();
        QCOMPARE(finished.size(), 0); // queued, like every finish: connect after start() works
        QVERIFY(finished.wait(5000));
        QTest::qWait(50);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(job.outcome(), JobOutcome::Cancelled);
        QCOMPARE(job.runs.load(), 0); // the work never ran
    }

    // cancel() only sets the flag: it returns at once even though the job notices it only
    // after its current 400 ms step. A cancel that waited for the worker would take ~400 ms.
    void cancelWhileRunningDoesNotBlock() {
        CountingJob job(CountingJob::Mode::UntilCancelled, 0, 400);
        QSignalSpy finished(&job, &Job::finished);
        job.start();
        QTRY_VERIFY_WITH_TIMEOUT(job.running.load(), 5000);
        QElapsedTimer clock;
        clock.start();
        job.cancel();
        const qint64 cancelMs = clock.elapsed();
        QVERIFY2(cancelMs < hlsforge::test::timingBudgetMs(50),
                 qPrintable(QStringLiteral("cancel() took %1 ms").arg(cancelMs)));
        QVERIFY(job.isCancelRequested());
        QCOMPARE(finished.size(), 0); // the outcome comes later, as a signal
        QVERIFY(finished.wait(5000));
        job.cancel(); // after the end: nothing more happens
        QTest::qWait(50);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(job.outcome(), JobOutcome::Cancelled);
        QVERIFY(job.status().isCancelled());
    }

    void cancelAfterFinishKeepsTheOutcome() {
        CountingJob job(CountingJob::Mode::Succeed, 2, 1);
        QSignalSpy finished(&job, &Job::finished);
        job.start();
        QVERIFY(finished.wait(5000));
        job.cancel();
        QTest::qWait(50);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(job.outcome(), JobOutcome::Succeeded);
    }

    // Cancelled is its own outcome: neither an error nor a success.
    void cancelledIsNotFailed() {
        QCOMPARE(outcomeOf(Status::cancelled()), JobOutcome::Cancelled);
        QCOMPARE(outcomeOf(Status::error(Status::Code::Internal, QStringLiteral("x"))),
                 JobOutcome::Failed);
        QCOMPARE(outcomeOf(Status::ok()), JobOutcome::Succeeded);
        QCOMPARE(jobOutcomeName(JobOutcome::Cancelled), QStringLiteral("cancelled"));
    }

    void finishedArrivesOnTheOwnerThread() {
        CountingJob job(CountingJob::Mode::Succeed, 2, 1);
        QThread* seen = nullptr;
        connect(
            &job, &Job::finished, this, [&] { seen = QThread::currentThread(); },
            Qt::DirectConnection);
        job.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen != nullptr, 5000);
        QCOMPARE(seen, QThread::currentThread());
    }

    // Another thread reads the snapshot while the worker writes it: every copy is whole
    // (text and frame count agree) and the count never goes back.
    void progressIsReadableFromAnyThread() {
        CountingJob job(CountingJob::Mode::Succeed, 300, 1);
        QSignalSpy finished(&job, &Job::finished);
        QSignalSpy changed(&job, &Job::progressChanged);
        std::atomic<bool> stop{false};
        std::atomic<int> reads{0}, torn{0}, backwards{0};
        std::thread reader([&] {
            qint64 last = -1;
            while (!stop.load()) {
                const JobProgress p = job.progress();
                if (p.phase == JobPhase::Encoding) {
                    if (p.text != QString::number(p.framesDone))
                        ++torn;
                    if (p.framesDone < last)
                        ++backwards;
                    last = p.framesDone;
                    ++reads;
                }
            }
        });
        job.start();
        const bool done = finished.wait(20000);
        stop = true;
        reader.join();
        QVERIFY(done);
        QVERIFY2(reads.load() > 10, qPrintable(QString::number(reads.load())));
        QCOMPARE(torn.load(), 0);
        QCOMPARE(backwards.load(), 0);
        // progressChanged is coalesced: some, never one per report flooding the loop.
        QVERIFY(changed.size() >= 1);
        QVERIFY(changed.size() <= 300);
        const QJsonObject json = job.progress().toJson();
        QCOMPARE(json.value(QStringLiteral("phase")).toString(), QStringLiteral("done"));
        QCOMPARE(json.value(QStringLiteral("fraction")).toDouble(), 1.0);
        QVERIFY(json.contains(QStringLiteral("framesPerSecond")));
    }

    // Deleting a running job cancels it and waits for its worker; no finished() follows.
    void destroyingARunningJobCancelsIt() {
        auto* job = new CountingJob(CountingJob::Mode::UntilCancelled, 0, 5);
        QSignalSpy finished(job, &Job::finished);
        job->start();
        QTRY_VERIFY_WITH_TIMEOUT(job->running.load(), 5000);
        QElapsedTimer clock;
        clock.start();
        delete job;
        QVERIFY(clock.elapsed() < 2000);
        QTest::qWait(50);
        QCOMPARE(finished.size(), 0);
    }
};

QTEST_GUILESS_MAIN(JobTest)
#include "tst_job.moc"
