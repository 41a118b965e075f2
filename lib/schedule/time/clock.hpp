#pragma once
// Where "now" comes from. Only clock.cpp reads the system clock; everything
// else receives a Clock& (or an Instant read from one) from its caller.

#include <schedule/time/instant.hpp>

#include <chrono>

namespace schedule::time {

class Clock {
public:
    virtual ~Clock() = default;
    // The current instant, whole seconds, UTC.
    virtual Instant now() const = 0;
};

// The real clock (system_clock).
class SystemClock final : public Clock {
public:
    Instant now() const override;
};

// A clock for tests and simulations: stands still until told to move.
class FixedClock final : public Clock {
public:
    explicit FixedClock(Instant t) : m_now(t) {}
    Instant now() const override { return m_now; }
    void set(Instant t) { m_now = t; }
    void advance(Duration d) { m_now += d; }

private:
    Instant m_now;
};

// SCHEDULE_NOW (schedule(1), ENVIRONMENT): `start` at construction, then moving
// forward with the steady clock, so a long-lived process sees time pass.
class OffsetClock final : public Clock {
public:
    explicit OffsetClock(Instant start);
    Instant now() const override;

private:
    Instant m_start;
    std::chrono::steady_clock::time_point m_steady_start;
};

} // namespace schedule::time
