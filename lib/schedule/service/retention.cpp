#include <schedule/service/runs.hpp>

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <string>

namespace schedule::service {

namespace {
constexpr const char* k_last_prune = "last_prune";
} // namespace

std::int64_t prune_history(Context& ctx, Force force) {
    auto now = ctx.now();
    if (force == Force::no) {
        if (auto last = ctx.store.meta(k_last_prune)) {
            try {
                if (now - time::from_unix(std::stoll(*last)) < std::chrono::hours(1))
                    return 0;
            } catch (const std::exception&) {
                // An unreadable mark: prune and write a good one.
            }
        }
    }
    auto tx = ctx.store.begin_write();
    auto n = ctx.store.prune_executions(tx, now - ctx.settings.history_retention,
                                        ctx.settings.history_keep_last);
    ctx.store.set_meta(tx, k_last_prune, std::to_string(time::to_unix(now)));
    tx.commit();
    if (n > 0)
        spdlog::info("pruned {} executions older than the retention period", n);
    return n;
}

} // namespace schedule::service
