#pragma once
// One shared, shaped link for every connection of the preview server, like a real access
// link: each write reserves its slice of link time (bytes * 8 / rate) after the slices
// already reserved, and sleeps until that slice ends. Rates come from a ShapingProfile whose
// clock starts when it is applied, so "Step down" steps 20 s after it was chosen.
// Thread-safe; every wait is cancellable so the server can stop promptly.

#include "preview/ShapingProfile.h"

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace hlsforge::preview {

class NetworkShaper {
public:
    using Clock = std::chrono::steady_clock;

    NetworkShaper();

    void setProfile(ShapingProfile profile); // restarts the profile clock
    ShapingProfile profile() const;
    double secondsSinceApplied() const;
    double currentRateKbps() const; // 0: unlimited
    int latencyMs() const;

    // Bytes to hand to one socket write: about 20 ms of link time (so several connections
    // interleave and a rate change takes effect quickly), between 1 KiB and 256 KiB.
    qint64 chunkBytes() const;

    // Blocks until `bytes` may leave on the link. False when cancelled.
    // `continuation` is the caller's own pacing state (one per transfer, starts default): a
    // transfer continues from the end of its previous slice even if its thread woke late (up
    // to 250 ms behind), so scheduling jitter on a loaded machine does not lower the rate,
    // while a new transfer gets no credit for the time the link was idle.
    bool waitToSend(qint64 bytes, Clock::time_point* continuation = nullptr);
    // Sleeps `ms` unless cancelled first. False when cancelled.
    bool sleepMs(int ms);

    void cancelAll(); // wakes every waiter; later waits return false at once
    void reset();     // undoes cancelAll (server restart)

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    ShapingProfile m_profile;
    Clock::time_point m_appliedAt;
    Clock::time_point m_linkFreeAt;
    bool m_cancelled = false;
};

} // namespace hlsforge::preview
