#include "JobRunner.h"

#include "CliCommand.h"

#include "util/Format.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace hlsforge::cli {

namespace {
constexpr int kTickMs = 100;             // how soon Ctrl-C becomes a cancel
constexpr int kBarAndJsonEveryTicks = 2; // 5 updates a second, as the engines report
constexpr int kTextEveryTicks = 10;      // text lines once a second: a log, not an animation
} // namespace

std::optional<ProgressStyle> parseProgressStyle(const QString& value) {
    const QString v = value.trimmed().toLower();
    if (v == QLatin1String("bar"))
        return ProgressStyle::Bar;
    if (v == QLatin1String("text") || v == QLatin1String("lines"))
        return ProgressStyle::Text;
    if (v == QLatin1String("json") || v == QLatin1String("jsonl") ||
        v == QLatin1String("json-lines"))
        return ProgressStyle::Json;
    if (v == QLatin1String("none") || v == QLatin1String("quiet"))
        return ProgressStyle::None;
    return std::nullopt;
}

ProgressStyle defaultProgressStyle(ProgressStyle onATerminal, ProgressStyle otherwise) {
    return isatty(fileno(stderr)) ? onATerminal : otherwise;
}

JobRunner::JobRunner(ProgressStyle style, int concurrency)
    : m_style(style), m_concurrency(std::max(1, concurrency)) {}

JobRunner::~JobRunner() {
    // Jobs cancel and join in their destructors; nothing half-written stays behind.
    qDeleteAll(m_all);
}

void JobRunner::add(Job* job) {
    m_all.append(job);
    m_pending.append(job);
}

QString JobRunner::progressLine(const Job& job, const JobProgress& p) {
    QString line = QStringLiteral("%1: %2% %3")
                       .arg(job.title())
                       .arg(int(p.fraction * 100))
                       .arg(jobPhaseName(p.phase));
    if (!p.text.isEmpty())
        line += QStringLiteral(", ") + p.text;
    if (p.rate > 0 && p.rateUnit == RateUnit::FramesPerSecond)
        line += QStringLiteral(", %1 fps").arg(p.rate, 0, 'f', 0);
    else if (p.rate > 0 && p.rateUnit == RateUnit::BytesPerSecond)
        line += QStringLiteral(", ") + formatBytesPerSecond(p.rate);
    if (p.etaSeconds >= 0 && p.phase != JobPhase::Done)
        line += QStringLiteral(", ETA ") + formatDuration(p.etaSeconds);
    return line;
}

void JobRunner::printJson(const QJsonObject& object) const {
    printErr(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) +
             QLatin1Char('\n'));
}

void JobRunner::printProgressJson(const Job& job) const {
    QJsonObject o = job.progress().toJson();
    const QJsonObject detail = job.progressDetailJson();
    for (auto it = detail.begin(); it != detail.end(); ++it)
        o.insert(it.key(), it.value());
    o[QStringLiteral("event")] = QStringLiteral("progress");
    o[QStringLiteral("job")] = job.title();
    printJson(o);
}

int JobRunner::exec() {
    QEventLoop loop;
    m_quit = [&loop] { loop.quit(); };
    installStopSignals();
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, this, [this] { tick(); });
    timer.start(kTickMs);
    QTimer::singleShot(0, this, [this] {
        startMore();
        if (m_running.isEmpty())
            m_quit();
    });
    loop.exec();
    timer.stop();
    restoreStopSignals();
    if (m_style == ProgressStyle::Bar)
        printErr(QStringLiteral("\r\033[K"));

    if (m_interrupted)
        return kExitInterrupted;
    bool failed = false, cancelled = false;
    for (const Job* job : std::as_const(m_finished)) {
        failed = failed || job->outcome() == JobOutcome::Failed;
        cancelled = cancelled || job->outcome() == JobOutcome::Cancelled;
    }
    return failed ? kExitFailed : cancelled ? kExitInterrupted : kExitOk;
}

void JobRunner::startMore() {
    while (m_running.size() < m_concurrency && !m_pending.isEmpty()) {
        Job* job = m_pending.takeFirst();
        m_running.append(job);
        QObject::connect(job, &Job::finished, this, [this, job] { jobFinished(job); });
        job->start();
    }
}

void JobRunner::tick() {
    if (stopRequested() && !m_interrupted) {
        m_interrupted = true;
        m_pending.clear(); // never started, so they never finish
        for (Job* job : std::as_const(m_running))
            job->cancel();
        if (m_running.isEmpty())
            m_quit();
    }
    ++m_ticks;
    if (m_running.isEmpty())
        return;
    switch (m_style) {
    case ProgressStyle::Bar: {
        if (m_ticks % kBarAndJsonEveryTicks != 0)
            return;
        // One line: the oldest running job, with where the batch is.
        const Job* job = m_running.first();
        const JobProgress p = job->progress();
        if (p.phase == JobPhase::Queued)
            return; // nothing to draw until the job has said where it is
        const int width = 30;
        const int filled = std::clamp(int(p.fraction * width), 0, width);
        const QString bar =
            QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('-'));
        QString rate;
        if (p.rateUnit == RateUnit::FramesPerSecond)
            rate = QStringLiteral("%1 fps").arg(p.rate, 0, 'f', 0);
        else if (p.rateUnit == RateUnit::BytesPerSecond)
            rate = formatBytesPerSecond(p.rate);
        QString line = QStringLiteral("\r\033[K[%1/%2] %3 [%4] %5% %6 ETA %7")
                           .arg(m_finished.size() + 1)
                           .arg(m_all.size())
                           .arg(job->title().left(24), bar)
                           .arg(int(p.fraction * 100), 3)
                           .arg(rate, formatDuration(p.etaSeconds, QStringLiteral("--:--")));
        if (!p.text.isEmpty())
            line += QLatin1Char(' ') + p.text;
        printErr(line);
        return;
    }
    case ProgressStyle::Json:
        if (m_ticks % kBarAndJsonEveryTicks != 0)
            return;
        for (const Job* job : std::as_const(m_running)) {
            if (job->isRunning())
                printProgressJson(*job);
        }
        return;
    case ProgressStyle::Text:
        if (m_ticks % kTextEveryTicks != 0)
            return;
        for (const Job* job : std::as_const(m_running))
            printErr(progressLine(*job, job->progress()) + QLatin1Char('\n'));
        return;
    case ProgressStyle::None:
        return;
    }
}

void JobRunner::jobFinished(Job* job) {
    m_running.removeOne(job);
    m_finished.append(job);
    const JobOutcome outcome = job->outcome();
    if (m_style == ProgressStyle::Bar) {
        // "cancelled" for a cancel, never FAILED: the user asked for it.
        const QString word = outcome == JobOutcome::Succeeded   ? QStringLiteral("done     ")
                             : outcome == JobOutcome::Cancelled ? QStringLiteral("cancelled")
                                                                : QStringLiteral("FAILED   ");
        printErr(QStringLiteral("\r\033[K%1 %2\n").arg(word, job->title()));
    } else if (m_style == ProgressStyle::Text) {
        printErr(progressLine(*job, job->progress()) +
                 QStringLiteral(" (%1)\n").arg(jobOutcomeName(outcome)));
    }
    if (onFinished)
        onFinished(*job);
    if (m_style == ProgressStyle::Json) {
        // Every job's stream ends with its final progress, then its result: a job quicker
        // than one tick still reports where it got to (a reader need not time its ticks).
        printProgressJson(*job);
        QJsonObject o = job->resultJson();
        o[QStringLiteral("event")] = QStringLiteral("result");
        o[QStringLiteral("job")] = job->title();
        if (!o.contains(QStringLiteral("outcome")))
            o[QStringLiteral("outcome")] = jobOutcomeName(outcome);
        printJson(o);
    }
    if (!m_interrupted)
        startMore();
    if (m_running.isEmpty() && (m_pending.isEmpty() || m_interrupted))
        m_quit();
}

} // namespace hlsforge::cli
