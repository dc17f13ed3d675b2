#pragma once
// A blocking queue with a capacity, between pipeline stages: a fast producer waits for a
// slow consumer instead of filling memory. close() wakes everyone; after it, push fails and
// pop drains what is left, then returns false.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace hlsforge {

template <typename T> class BoundedQueue {
public:
    explicit BoundedQueue(size_t capacity) : m_capacity(capacity) {}

    // Waits at most `timeout` for room. Returns false on timeout (item untouched, try again)
    // or when closed (sets *closed).
    template <typename Rep, typename Period>
    bool pushFor(T& item, std::chrono::duration<Rep, Period> timeout, bool* closed) {
        std::unique_lock lock(m_mutex);
        const bool room = m_notFull.wait_for(
            lock, timeout, [&] { return m_closed || m_items.size() < m_capacity; });
        *closed = m_closed;
        if (m_closed || !room)
            return false;
        m_items.push_back(std::move(item));
        m_notEmpty.notify_one();
        return true;
    }

    // Blocks until an item arrives or the queue is closed and empty.
    bool pop(T* out) {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [&] { return m_closed || !m_items.empty(); });
        if (m_items.empty())
            return false;
        *out = std::move(m_items.front());
        m_items.pop_front();
        m_notFull.notify_one();
        return true;
    }

    void close() {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_notEmpty.notify_all();
        m_notFull.notify_all();
    }

    // Closes and drops what is queued (cancel: nobody will consume it).
    void abort() {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_items.clear();
        m_notEmpty.notify_all();
        m_notFull.notify_all();
    }

private:
    const size_t m_capacity;
    std::mutex m_mutex;
    std::condition_variable m_notEmpty;
    std::condition_variable m_notFull;
    std::deque<T> m_items;
    bool m_closed = false;
};

} // namespace hlsforge
