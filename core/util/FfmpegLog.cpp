#include "util/FfmpegLog.h"

extern "C" {
#include <libavutil/log.h>
}

#include <cstdio>
#include <mutex>

namespace hlsforge::av {

namespace {

thread_local std::shared_ptr<LogCollector> t_collector;
thread_local QString t_lastError;

void logCallback(void* avcl, int level, const char* fmt, va_list args) {
    if (level > AV_LOG_WARNING)
        return;
    char line[1024];
    int printPrefix = 0;
    av_log_format_line2(avcl, level, fmt, args, line, sizeof line, &printPrefix);
    QString text = QString::fromUtf8(line).trimmed();
    if (text.isEmpty())
        return;
    // Drop the "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d...] " context prefix for users.
    if (text.startsWith(QLatin1Char('['))) {
        const int close = text.indexOf(QLatin1String("] "));
        if (close > 0)
            text = text.mid(close + 2);
    }
    // swscale says this whenever a JPEG-range format is involved; we do set the range.
    if (text.startsWith(QLatin1String("deprecated pixel format used")))
        return;
    if (level <= AV_LOG_ERROR)
        t_lastError = text;
    if (t_collector)
        t_collector->add(level, text);
    else if (level <= AV_LOG_ERROR && qEnvironmentVariableIsSet("HLSFORGE_FFMPEG_LOG"))
        std::fprintf(stderr, "ffmpeg: %s\n", line);
}

} // namespace

void LogCollector::add(int level, const QString& line) {
    QMutexLocker lock(&m_mutex);
    const QString entry =
        (level <= AV_LOG_ERROR ? QStringLiteral("error: ") : QStringLiteral("warning: ")) + line;
    if (m_lines.size() < 50 && !m_lines.contains(entry))
        m_lines.append(entry);
}

QStringList LogCollector::warnings() const {
    QMutexLocker lock(&m_mutex);
    return m_lines;
}

void installLogHandler() {
    static std::once_flag once;
    std::call_once(once, [] {
        av_log_set_level(AV_LOG_WARNING);
        av_log_set_callback(logCallback);
    });
}

LogCapture::LogCapture(std::shared_ptr<LogCollector> collector)
    : m_previous(std::move(t_collector)) {
    installLogHandler();
    t_collector = std::move(collector);
}

LogCapture::~LogCapture() {
    t_collector = std::move(m_previous);
}

QString lastError() {
    return t_lastError;
}
void clearLastError() {
    t_lastError.clear();
}

} // namespace hlsforge::av
