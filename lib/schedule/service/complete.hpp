#pragma once
// What a word of a command line may name, for shell completion (schedule(1),
// COMPLETION): jobs, executions, settings and task types from the store,
// zones from the tz database. Reads only; the caller opens the store with
// store::Access::peek, so completing never writes or creates one.

#include <schedule/store/store.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace schedule::service {

struct Candidate {
    std::string value;
    std::string description; // shown beside the value where the shell can (zsh)
    bool partial = false;    // the start of a value ("handlers."): no space after it
};

// Jobs whose name starts with `prefix`, by name (described by their id);
// when `prefix` is not empty, also those whose id starts with it (described
// by their name).
std::vector<Candidate> complete_jobs(store::Store& store, std::string_view prefix);

// The ids of the newest executions (at most 100 looked at) that start with
// `prefix`, newest first, described by job name and status.
std::vector<Candidate> complete_executions(store::Store& store, std::string_view prefix);

// Setting keys that start with `prefix`: every key of model::setting_specs(),
// a key pattern ("handlers.*") as its fixed start ("handlers.", partial),
// and the stored keys the pattern stands for.
std::vector<Candidate> complete_setting_keys(store::Store& store, std::string_view prefix);

// The task types with a handler in the store (the TYPE of handlers.TYPE)
// that start with `prefix`, described by the handler.
std::vector<Candidate> complete_task_types(store::Store& store, std::string_view prefix);

// The names of time::zone_names(prefix).
std::vector<Candidate> complete_zones(std::string_view prefix);

// The words of `choices` that start with `prefix`, in order.
template <class Names>
std::vector<Candidate> complete_choices(const Names& choices, std::string_view prefix) {
    std::vector<Candidate> out;
    for (std::string_view c : choices)
        if (c.starts_with(prefix))
            out.push_back({std::string(c), "", false});
    return out;
}

} // namespace schedule::service
