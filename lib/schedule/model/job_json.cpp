#include <schedule/model/job_json.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/time/iso8601.hpp>

#include <nlohmann/json.hpp>

namespace schedule::model {

using ojson = nlohmann::ordered_json;

time::Zone zone_of(const Job& job) {
    auto z = time::Zone::locate(job.timezone);
    return z ? *z : time::Zone::utc();
}

namespace {

util::Result<ojson> parse_object(std::string_view text, const char* what) {
    try {
        auto j = ojson::parse(text.begin(), text.end());
        if (!j.is_object())
            return util::fail(std::string(what) + " is not a JSON object");
        return j;
    } catch (const nlohmann::json::exception&) {
        return util::fail(std::string(what) + " is not valid JSON");
    }
}

} // namespace

ojson instant_json(const std::optional<time::Instant>& t, const time::Zone& zone, bool utc) {
    if (!t)
        return nullptr;
    return utc ? time::format_iso_utc(*t) : time::format_iso(*t, zone);
}

ojson trigger_to_json(const Trigger& trigger, const time::Zone& zone, bool utc) {
    ojson j;
    j["type"] = std::string(to_string(trigger.type));
    switch (trigger.type) {
    case TriggerType::cron:
    case TriggerType::reboot:
        j["expression"] = trigger.expression;
        break;
    case TriggerType::daily:
    case TriggerType::weekly:
    case TriggerType::monthly:
        j["at"] = trigger.spec;
        j["expression"] = trigger.expression;
        break;
    case TriggerType::every:
        j["every"] = trigger.every ? time::format_duration(*trigger.every) : std::string();
        j["anchor"] = instant_json(trigger.anchor, zone, utc);
        break;
    case TriggerType::at:
        j["at"] = instant_json(trigger.at, zone, utc);
        break;
    default:
        break;
    }
    return j;
}

std::string trigger_to_json_text(const Trigger& trigger) {
    return dump_json(trigger_to_json(trigger, time::Zone::utc(), true));
}

util::Result<Trigger> trigger_from_json_text(std::string_view text) {
    auto j = parse_object(text, "trigger");
    if (!j)
        return util::fail(j.error());
    Trigger t;
    auto type = j->value("type", std::string("manual"));
    auto parsed = parse_trigger_type(type);
    if (!parsed)
        return util::fail("unknown trigger type " + type);
    t.type = *parsed;
    t.expression = j->value("expression", std::string());
    auto instant = [&](const char* key) -> std::optional<time::Instant> {
        if (!j->contains(key) || !(*j)[key].is_string())
            return std::nullopt;
        auto r = time::parse_instant((*j)[key].get<std::string>(), time::Zone::utc());
        return r ? std::optional(*r) : std::nullopt;
    };
    switch (t.type) {
    case TriggerType::daily:
    case TriggerType::weekly:
    case TriggerType::monthly:
        t.spec = j->value("at", std::string());
        break;
    case TriggerType::every: {
        auto d = time::parse_duration(j->value("every", std::string()));
        if (!d)
            return util::fail("trigger every: " + d.error());
        t.every = *d;
        t.anchor = instant("anchor");
        break;
    }
    case TriggerType::at:
        t.at = instant("at");
        break;
    default:
        break;
    }
    return t;
}

ojson tags_to_json(const std::vector<Tag>& tags) {
    ojson j = ojson::object();
    for (const auto& t : tags)
        j[t.key] = t.value ? ojson(*t.value) : ojson(nullptr);
    return j;
}

std::string tags_to_json_text(const std::vector<Tag>& tags) {
    return dump_json(tags_to_json(tags));
}

util::Result<std::vector<Tag>> tags_from_json_text(std::string_view text) {
    auto j = parse_object(text, "tags");
    if (!j)
        return util::fail(j.error());
    std::vector<Tag> tags;
    for (auto it = j->begin(); it != j->end(); ++it) {
        if (it.value().is_null())
            tags.push_back(Tag{it.key(), std::nullopt});
        else if (it.value().is_string())
            tags.push_back(Tag{it.key(), it.value().get<std::string>()});
        else
            return util::fail("tag " + it.key() + " must be a string or null");
    }
    return tags;
}

ojson env_to_json(const std::vector<EnvVar>& env) {
    ojson j = ojson::object();
    for (const auto& e : env)
        j[e.name] = e.value;
    return j;
}

std::string env_to_json_text(const std::vector<EnvVar>& env) {
    return dump_json(env_to_json(env));
}

util::Result<std::vector<EnvVar>> env_from_json_text(std::string_view text) {
    auto j = parse_object(text, "env");
    if (!j)
        return util::fail(j.error());
    std::vector<EnvVar> env;
    for (auto it = j->begin(); it != j->end(); ++it) {
        if (!it.value().is_string())
            return util::fail("env " + it.key() + " must be a string");
        env.push_back(EnvVar{it.key(), it.value().get<std::string>()});
    }
    return env;
}

ojson job_to_json(const Job& job, bool utc) {
    return job_to_json(job, zone_of(job), utc);
}

ojson job_to_json(const Job& job, const time::Zone& zone, bool utc) {
    ojson j;
    j["job_id"] = job.id;
    j["name"] = job.name;
    j["description"] = job.description;
    auto cron = job.trigger.cron_expression();
    j["cron_expression"] = cron ? ojson(*cron) : ojson(nullptr);
    j["trigger"] = trigger_to_json(job.trigger, zone, utc);
    j["timezone"] = job.timezone;
    j["command"] = job.command ? ojson(*job.command) : ojson(nullptr);
    j["task_type"] = job.task_type ? ojson(*job.task_type) : ojson(nullptr);
    if (job.task_type) {
        auto cfg = parse_object(job.task_config, "task_config");
        j["task_config"] = cfg ? *cfg : ojson::object();
    } else {
        j["task_config"] = nullptr;
    }
    j["priority"] = job.priority;
    j["owner"] = job.owner ? ojson(*job.owner) : ojson(nullptr);
    j["tags"] = tags_to_json(job.tags);
    j["enabled"] = job.enabled;
    j["status"] = std::string(to_string(job.status));
    j["timeout_seconds"] = job.timeout ? ojson(job.timeout->count()) : ojson(nullptr);
    j["env"] = env_to_json(job.env);
    j["working_dir"] = job.working_dir ? ojson(*job.working_dir) : ojson(nullptr);
    j["run_as"] = job.run_as ? ojson(*job.run_as) : ojson(nullptr);
    j["kill_grace_seconds"] = job.kill_grace.count();
    j["overlap"] = std::string(to_string(job.overlap));
    j["max_instances"] = job.max_instances ? ojson(*job.max_instances) : ojson(nullptr);
    j["catchup"] = std::string(to_string(job.catchup));
    j["misfire_grace_seconds"] =
        job.misfire_grace ? ojson(job.misfire_grace->count()) : ojson(nullptr);
    j["max_executions"] = job.max_executions ? ojson(*job.max_executions) : ojson(nullptr);
    j["scheduled_count"] = job.scheduled_count;
    j["max_attempts"] = job.max_attempts;
    j["retry_delay_seconds"] = job.retry_delay.count();
    j["retry_max_delay_seconds"] = job.retry_max_delay.count();
    j["backoff"] = std::string(to_string(job.backoff));
    if (job.retry_on.empty()) {
        j["retry_on"] = nullptr;
    } else {
        j["retry_on"] = ojson::array();
        for (const auto& r : job.retry_on)
            j["retry_on"].push_back(to_string(r));
    }
    j["jitter_seconds"] = job.jitter.count();
    j["dst_gap"] = std::string(to_string(job.dst_gap));
    j["dst_overlap"] = std::string(to_string(job.dst_overlap));
    j["start_date"] = instant_json(job.start_date, zone, utc);
    j["end_date"] = instant_json(job.end_date, zone, utc);
    j["execution_count"] = job.execution_count;
    j["failure_count"] = job.failure_count;
    j["last_execution"] = instant_json(job.last_execution, zone, utc);
    j["last_status"] = job.last_status ? ojson(*job.last_status) : ojson(nullptr);
    j["next_execution"] = instant_json(job.next_execution, zone, utc);
    j["created_at"] = instant_json(job.created_at, zone, utc);
    j["updated_at"] = instant_json(job.updated_at, zone, utc);
    return j;
}

std::string dump_json(const ojson& j, int indent) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace schedule::model
