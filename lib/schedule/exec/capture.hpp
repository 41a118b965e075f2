#pragma once
// Bounded capture of one output stream (output.max_bytes): keeps the first
// and the last bytes, counts everything, and never holds more than the
// bound, so a job that prints gigabytes costs neither memory nor disk.

#include <schedule/model/execution.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace schedule::exec {

class BoundedCapture {
public:
    // Keeps at most `max_bytes`: the first half and the last half.
    explicit BoundedCapture(std::size_t max_bytes);

    void append(std::string_view data);
    std::int64_t total_bytes() const { return m_total; }

    // The captured bytes: everything when it fitted, else the head, the
    // marker "\n[... N bytes omitted ...]\n" and the tail.
    model::CapturedOutput finish() const;

private:
    std::size_t m_head_max;
    std::size_t m_tail_max;
    std::string m_head;
    std::string m_tail;         // a ring of m_tail_max bytes once full
    std::size_t m_tail_pos = 0; // where the oldest tail byte is, once full
    std::int64_t m_total = 0;
};

} // namespace schedule::exec
