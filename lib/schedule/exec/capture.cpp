#include <schedule/exec/capture.hpp>

#include <algorithm>

namespace schedule::exec {

BoundedCapture::BoundedCapture(std::size_t max_bytes)
    : m_head_max(max_bytes - max_bytes / 2), m_tail_max(max_bytes / 2) {}

void BoundedCapture::append(std::string_view data) {
    m_total += static_cast<std::int64_t>(data.size());
    if (m_head.size() < m_head_max) {
        auto n = std::min(data.size(), m_head_max - m_head.size());
        m_head.append(data.substr(0, n));
        data.remove_prefix(n);
    }
    if (data.empty() || m_tail_max == 0)
        return;
    // Only the last m_tail_max bytes of this chunk can survive.
    if (data.size() >= m_tail_max) {
        m_tail.assign(data.substr(data.size() - m_tail_max));
        m_tail_pos = 0;
        return;
    }
    if (m_tail.size() < m_tail_max) {
        auto n = std::min(data.size(), m_tail_max - m_tail.size());
        m_tail.append(data.substr(0, n));
        data.remove_prefix(n);
    }
    // The ring is full: overwrite the oldest bytes.
    while (!data.empty()) {
        auto n = std::min(data.size(), m_tail_max - m_tail_pos);
        m_tail.replace(m_tail_pos, n, data.substr(0, n));
        m_tail_pos = (m_tail_pos + n) % m_tail_max;
        data.remove_prefix(n);
    }
}

model::CapturedOutput BoundedCapture::finish() const {
    model::CapturedOutput out;
    out.total_bytes = m_total;
    std::string tail = m_tail.substr(m_tail_pos) + m_tail.substr(0, m_tail_pos);
    auto kept = static_cast<std::int64_t>(m_head.size() + tail.size());
    out.data = m_head;
    if (kept < m_total) {
        out.truncated = true;
        out.data += "\n[... " + std::to_string(m_total - kept) + " bytes omitted ...]\n";
    }
    out.data += tail;
    return out;
}

} // namespace schedule::exec
