#pragma once
// JobRunner: the one way hlsforge-cli drives long work. Any core Job (transcode, publish,
// probe, ...) goes in; out come a live bar on a terminal, text lines or JSON lines on
// stderr, Ctrl-C / SIGTERM turned into a cancel, and the exit status:
//   0 every job succeeded, 1 any failed, 130 interrupted (or any cancelled).
// (2, bad usage, is the command's own answer before anything runs.)
// It reads each job's progress() snapshot on a timer, as the app's queue does.

#include "job/Job.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace hlsforge::cli {

enum class ProgressStyle { Bar, Text, Json, None };

// `--progress` for every command (CommandLine::addProgressOption): bar | text | json | none;
// the older spellings `lines` (text), `jsonl` / `json-lines` (json) and `quiet` (none) are
// accepted too.
std::optional<ProgressStyle> parseProgressStyle(const QString& value);
// Without --progress: `onATerminal` when stderr is a terminal, else `otherwise`.
ProgressStyle defaultProgressStyle(ProgressStyle onATerminal, ProgressStyle otherwise);
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInterrupted = 130;

class JobRunner : public QObject {
public:
    explicit JobRunner(ProgressStyle style, int concurrency = 1);
    ~JobRunner() override;

    // Jobs start in the order added, `concurrency` at a time. The runner owns them.
    void add(Job* job);
    // Runs until every job has finished (or, after Ctrl-C, every started one has).
    int exec();

    // Called as each job finishes: after its bar/text line, before its JSON result line
    // (so the result stays the last line of a job in JSON mode).
    std::function<void(Job&)> onFinished;

    const QList<Job*>& finishedJobs() const { return m_finished; } // in finishing order
    bool interrupted() const { return m_interrupted; }

    static QString progressLine(const Job& job, const JobProgress& p); // one line, no newline

private:
    void startMore();
    void tick();
    void jobFinished(Job* job);
    void printJson(const QJsonObject& object) const;
    void printProgressJson(const Job& job) const;

    ProgressStyle m_style;
    int m_concurrency;
    QList<Job*> m_all;
    QList<Job*> m_pending;
    QList<Job*> m_running;
    QList<Job*> m_finished;
    bool m_interrupted = false;
    int m_ticks = 0;
    std::function<void()> m_quit;
};

} // namespace hlsforge::cli
