#include "preview/NetworkShaper.h"

#include <algorithm>

namespace hlsforge::preview {

namespace {
constexpr auto kMaxCatchUp = std::chrono::milliseconds(250);
}

NetworkShaper::NetworkShaper()
    : m_profile(ShapingProfile::unlimited()), m_appliedAt(Clock::now()), m_linkFreeAt(m_appliedAt) {
}

void NetworkShaper::setProfile(ShapingProfile profile) {
    std::lock_guard lock(m_mutex);
    m_profile = std::move(profile);
    m_appliedAt = Clock::now();
    // Reservations made at the old rate are abandoned: the new rate applies from now on.
    m_linkFreeAt = m_appliedAt;
    m_wake.notify_all();
}

ShapingProfile NetworkShaper::profile() const {
    std::lock_guard lock(m_mutex);
    return m_profile;
}

double NetworkShaper::secondsSinceApplied() const {
    std::lock_guard lock(m_mutex);
    return std::chrono::duration<double>(Clock::now() - m_appliedAt).count();
}

double NetworkShaper::currentRateKbps() const {
    std::lock_guard lock(m_mutex);
    return m_profile.rateKbpsAt(std::chrono::duration<double>(Clock::now() - m_appliedAt).count());
}

int NetworkShaper::latencyMs() const {
    std::lock_guard lock(m_mutex);
    return m_profile.latencyMs;
}

qint64 NetworkShaper::chunkBytes() const {
    const double rateKbps = currentRateKbps();
    if (rateKbps <= 0)
        return 256 * 1024;
    const qint64 bytesPer20Ms = qint64(rateKbps * 1000.0 / 8.0 * 0.020);
    return std::clamp<qint64>(bytesPer20Ms, 1024, 256 * 1024);
}

bool NetworkShaper::waitToSend(qint64 bytes, Clock::time_point* continuation) {
    std::unique_lock lock(m_mutex);
    if (m_cancelled)
        return false;
    const Clock::time_point now = Clock::now();
    const double rateKbps =
        m_profile.rateKbpsAt(std::chrono::duration<double>(now - m_appliedAt).count());
    if (rateKbps <= 0)
        return true;
    // A new transfer starts now: an idle link gives no burst, which keeps short fetches
    // (playlists, small segments) honest. A running transfer continues where its last slice
    // ended, so a thread that wakes late catches up instead of losing that time.
    Clock::time_point earliest = now;
    if (continuation && *continuation != Clock::time_point{})
        earliest = std::clamp(*continuation, now - kMaxCatchUp, now);
    const Clock::time_point start = std::max(earliest, m_linkFreeAt);
    const auto slice = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(double(bytes) * 8.0 / (rateKbps * 1000.0)));
    m_linkFreeAt = start + slice;
    const Clock::time_point until = m_linkFreeAt;
    if (continuation)
        *continuation = until;
    const Clock::time_point appliedAt = m_appliedAt;
    m_wake.wait_until(lock, until, [&] { return m_cancelled || m_appliedAt != appliedAt; });
    return !m_cancelled;
}

bool NetworkShaper::sleepMs(int ms) {
    std::unique_lock lock(m_mutex);
    if (ms <= 0)
        return !m_cancelled;
    m_wake.wait_for(lock, std::chrono::milliseconds(ms), [&] { return m_cancelled; });
    return !m_cancelled;
}

void NetworkShaper::cancelAll() {
    std::lock_guard lock(m_mutex);
    m_cancelled = true;
    m_wake.notify_all();
}

void NetworkShaper::reset() {
    std::lock_guard lock(m_mutex);
    m_cancelled = false;
}

} // namespace hlsforge::preview
