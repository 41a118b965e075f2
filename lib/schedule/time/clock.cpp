#include <schedule/time/clock.hpp>

namespace schedule::time {

Instant SystemClock::now() const {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

OffsetClock::OffsetClock(Instant start)
    : m_start(start), m_steady_start(std::chrono::steady_clock::now()) {}

Instant OffsetClock::now() const {
    auto elapsed = std::chrono::steady_clock::now() - m_steady_start;
    return m_start + std::chrono::floor<std::chrono::seconds>(elapsed);
}

} // namespace schedule::time
