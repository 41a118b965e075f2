#pragma once
// The audit log (`schedule events`) as a table, JSON and JSON lines. Pure:
// strings out. Instants are in the default zone, or UTC under --utc.

#include <schedule/format/style.hpp>
#include <schedule/model/event.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace schedule::format {

// An event's detail object as short text: "key=value" pairs separated by
// spaces, strings unquoted, lists joined by commas, null as "-"
// ("changed=command,timeout_seconds"). Text that is not a JSON object is
// returned as it is.
std::string event_detail_text(std::string_view detail);

// TIME (with seconds), TYPE, JOB, EXECUTION, USER and DETAIL (the detail
// text cut to 60 columns, ending in "…" when cut) columns, one row per
// event in the given order.
std::string events_table(const std::vector<model::Event>& events, const Style& style);
// One event as a line of the same fields, separated by two spaces, the
// type padded to the longest type (`events --follow` without JSON).
std::string event_line(const model::Event& event, const Style& style);

// The man page's Event object: event_id, time, type, job_id, job_name,
// execution_id, user, detail (the stored detail object).
// A JSON array of event objects, one per line.
std::string events_json(const std::vector<model::Event>& events, const Style& style);
// One event object on one line, with its newline (JSON lines).
std::string event_json_line(const model::Event& event, const Style& style);

} // namespace schedule::format
