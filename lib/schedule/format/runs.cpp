#include <schedule/format/executions.hpp>
#include <schedule/format/runs.hpp>

#include <algorithm>
#include <array>
#include <cmath>

namespace schedule::format {

using model::ExecutionStatus;

Color status_color(ExecutionStatus s) {
    switch (s) {
    case ExecutionStatus::completed:
        return Color::green;
    case ExecutionStatus::failed:
    case ExecutionStatus::timed_out:
    case ExecutionStatus::lost:
        return Color::red;
    case ExecutionStatus::running:
        return Color::cyan;
    case ExecutionStatus::cancelled:
    case ExecutionStatus::skipped:
        return Color::dim;
    case ExecutionStatus::queued:
    case ExecutionStatus::waiting:
        return Color::yellow;
    }
    return Color::none;
}

char status_mark(ExecutionStatus s) {
    switch (s) {
    case ExecutionStatus::completed:
        return '+';
    case ExecutionStatus::failed:
        return 'x';
    case ExecutionStatus::timed_out:
        return 'T';
    case ExecutionStatus::lost:
        return 'L';
    case ExecutionStatus::cancelled:
        return 'c';
    case ExecutionStatus::skipped:
        return '-';
    case ExecutionStatus::queued:
    case ExecutionStatus::waiting:
    case ExecutionStatus::running:
        break;
    }
    return '?';
}

std::vector<Span> run_strip(const std::vector<model::RunOutcome>& runs, bool color) {
    std::vector<Span> spans;
    for (const auto& r : runs) {
        if (!color) {
            if (spans.empty())
                spans.emplace_back();
            spans.back().text += status_mark(r.status);
            continue;
        }
        auto c = status_color(r.status);
        if (spans.empty() || spans.back().color != c)
            spans.push_back({"", c});
        spans.back().text += "\u25cf";
    }
    return spans;
}

std::string duration_sparkline(const std::vector<model::RunOutcome>& runs) {
    std::optional<std::int64_t> lo, hi;
    for (const auto& r : runs) {
        if (!r.duration_ms)
            continue;
        lo = std::min(lo.value_or(*r.duration_ms), *r.duration_ms);
        hi = std::max(hi.value_or(*r.duration_ms), *r.duration_ms);
    }
    if (!lo)
        return "";
    static constexpr std::array<const char*, 8> k_blocks = {"\u2581", "\u2582", "\u2583", "\u2584",
                                                            "\u2585", "\u2586", "\u2587", "\u2588"};
    const auto span = static_cast<double>(*hi - *lo);
    std::string line;
    for (const auto& r : runs) {
        if (!r.duration_ms) {
            line += ' ';
            continue;
        }
        auto level = span == 0 ? 0
                               : std::llround(static_cast<double>(*r.duration_ms - *lo) / span *
                                              (k_blocks.size() - 1));
        line += k_blocks[static_cast<std::size_t>(level)];
    }
    return line + "  min " + duration_text(lo) + "  max " + duration_text(hi);
}

} // namespace schedule::format
