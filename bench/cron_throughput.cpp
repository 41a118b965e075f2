// Cron engine throughput: for each expression of
// tests/vectors/bench_expressions.tsv, parses per second and next-fire
// computations per second in its zone, one line per expression.
// Usage: cron_throughput [bench_expressions.tsv] [seconds per measurement]

#include <schedule/cron/next.hpp>
#include <schedule/time/iso8601.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using namespace schedule;
using Clock = std::chrono::steady_clock;

namespace {

// Runs `body` in batches until `seconds` have passed; returns calls per second.
template <class F> double rate(double seconds, F&& body) {
    const auto start = Clock::now();
    std::size_t calls = 0;
    double elapsed = 0;
    do {
        for (int i = 0; i < 1000; ++i)
            body();
        calls += 1000;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < seconds);
    return double(calls) / elapsed;
}

} // namespace

int main(int argc, char** argv) {
    const std::string path = argc > 1 ? argv[1] : "tests/vectors/bench_expressions.tsv";
    const double seconds = argc > 2 ? std::stod(argv[2]) : 0.5;
    std::ifstream in(path);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return 1;
    }
    std::printf("%-34s %-20s %14s %16s\n", "expression", "zone", "parses/s", "next-fires/s");
    std::string line;
    volatile std::size_t sink = 0;
    while (std::getline(in, line)) {
        auto tab = line.find('\t');
        if (line.empty() || tab == std::string::npos)
            continue;
        const std::string expr = line.substr(0, tab);
        const std::string zone_name = line.substr(tab + 1);
        auto zone = time::Zone::locate(zone_name);
        auto parsed = cron::parse(expr);
        if (!zone || !parsed) {
            std::fprintf(stderr, "bad line: %s\n", line.c_str());
            return 1;
        }
        const double parses = rate(seconds, [&] { sink = sink + cron::parse(expr)->minutes; });
        // Chains of 20000 fires from 2025-01-01, as `schedule next --count
        // 20000` computes them.
        const auto start = *time::parse_instant("2025-01-01T00:00:00Z", time::Zone::utc());
        auto t = start;
        int chain = 0;
        const double nexts = rate(seconds, [&] {
            auto f = cron::next_after(*parsed, *zone, t);
            t = (f && ++chain < 20000) ? f->at : start;
            if (t == start)
                chain = 0;
        });
        std::printf("%-34s %-20s %14.0f %16.0f\n", expr.c_str(), zone_name.c_str(), parses, nexts);
    }
    return 0;
}
