#pragma once
// A service context for the use-case tests, with settings of their own.

#include <schedule/service/context.hpp>
#include <schedule/service/jobs.hpp>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace schedule::test {

using Config = std::vector<std::pair<std::string, std::string>>;

// Stores `config` (key, value) in `store`, then makes a context over it
// with `clock`, acting user "tester", TZ=UTC and `host`: a context reads
// the settings when it is built, so the config goes first.
inline std::unique_ptr<service::Context> context_with(store::Store& store, const time::Clock& clock,
                                                      const Config& config,
                                                      exec::Host& host = exec::system_host()) {
    if (!config.empty()) {
        auto tx = store.begin_write();
        for (const auto& [k, v] : config)
            store.set_config(tx, k, v, clock.now());
        tx.commit();
    }
    return std::make_unique<service::Context>(
        store, clock, service::Environment{"tester", std::string("UTC"), std::nullopt}, host);
}

// Creates the job `name`, a command job running `true` with what `change`
// sets, as `job create` would.
inline model::Job new_job(service::Context& ctx, const std::string& name,
                          const std::function<void(service::JobSpec&)>& change) {
    service::JobSpec s;
    s.name = name;
    s.command = "true";
    change(s);
    return service::create_job(ctx, s);
}

} // namespace schedule::test
