#pragma once
// FFmpeg logs through one global callback. We silence its stderr output and route messages
// to whoever runs on the current thread: a job installs a LogCapture on each of its threads,
// so its warnings end up in its own result, and the last error line explains a failure
// ("moov atom not found") better than the AVERROR code alone.

#include <QMutex>
#include <QString>
#include <QStringList>

#include <memory>

namespace hlsforge::av {

class LogCollector {
public:
    void add(int level, const QString& line);
    QStringList warnings() const; // at most 50, duplicates folded

private:
    mutable QMutex m_mutex;
    QStringList m_lines;
};

// Installs the callback once per process; safe to call from anywhere.
void installLogHandler();

// While alive, FFmpeg messages from this thread go to `collector` (may be null).
class LogCapture {
public:
    explicit LogCapture(std::shared_ptr<LogCollector> collector);
    ~LogCapture();
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

private:
    std::shared_ptr<LogCollector> m_previous;
};

// The last error-level message FFmpeg logged on this thread (trimmed, without the
// "[mov,mp4 @ 0x...]" prefix); cleared by clearLastError().
QString lastError();
void clearLastError();

} // namespace hlsforge::av
