#pragma once
// Ends the test process (SIGALRM) if a test that runs real processes hangs,
// instead of hanging the whole suite.

#include <unistd.h>

namespace schedule::test {

struct Watchdog {
    Watchdog() { ::alarm(120); }
    ~Watchdog() { ::alarm(0); }
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;
};

} // namespace schedule::test
