#include <schedule/model/job_json.hpp>
#include <schedule/model/validate.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace schedule::model {

namespace {
bool has_nul(std::string_view s) {
    return s.find('\0') != std::string_view::npos;
}

bool has_outer_space(std::string_view s) {
    return !s.empty() && (s.front() == ' ' || s.back() == ' ');
}

// Rejects text that is not fit for a one-line identifier-like field.
std::optional<util::Failure> check_label(std::string_view text, std::size_t max_chars) {
    if (text.empty())
        return util::fail("must not be empty");
    if (!util::is_valid_utf8(text))
        return util::fail("must be valid UTF-8");
    if (util::codepoint_count(text) > max_chars)
        return util::fail("must be at most " + std::to_string(max_chars) + " characters");
    if (util::has_control(text))
        return util::fail(util::quoted(text) + " contains a control character");
    if (has_outer_space(text))
        return util::fail(util::quoted(text) + " must not start or end with a space");
    return std::nullopt;
}
} // namespace

util::Result<std::string> validate_name(std::string_view name) {
    if (auto f = check_label(name, 64))
        return *f;
    if (name.find(':') != std::string_view::npos)
        return util::fail(util::quoted(name) + " must not contain ':' (it separates JOB:STATE)");
    if (looks_like_job_id(name))
        return util::fail(util::quoted(name) +
                          " looks like a job id (8 hex digits); choose another name");
    return std::string(name);
}

bool looks_like_job_id(std::string_view ref) {
    return util::is_hex(ref, 8);
}

util::Result<int> parse_priority(std::string_view text) {
    auto lower = util::to_lower(util::trim(text));
    for (int level : k_priority_levels)
        if (priority_name(level) == lower)
            return level;
    auto v = util::parse_uint(lower, 1000);
    if (!v || *v > 100)
        return util::fail(util::quoted(text) +
                          " is not a priority (use 0-100 or low, normal, high, critical)");
    return int(*v);
}

std::optional<std::string_view> priority_name(int priority) {
    switch (priority) {
    case k_priority_low:
        return "low";
    case k_priority_normal:
        return "normal";
    case k_priority_high:
        return "high";
    case k_priority_critical:
        return "critical";
    default:
        return std::nullopt;
    }
}

util::Result<Tag> parse_tag(std::string_view text) {
    auto eq = text.find('=');
    Tag tag{std::string(text.substr(0, eq)), std::nullopt};
    if (eq != std::string_view::npos)
        tag.value = std::string(text.substr(eq + 1));
    if (auto f = check_tag(tag))
        return *f;
    return tag;
}

std::optional<util::Failure> check_tag(const Tag& tag) {
    const std::string_view key = tag.key;
    const std::string text = tag.key + (tag.value ? "=" + *tag.value : std::string());
    if (key.empty())
        return util::fail(util::quoted(text) + ": the tag key must not be empty");
    if (auto f = check_label(key, 64))
        return util::fail("key " + f->message);
    for (char c : {',', '='})
        if (key.find(c) != std::string_view::npos)
            return util::fail(util::quoted(key) + ": the tag key must not contain '" + c + "'");
    if (tag.value) {
        const std::string_view value = *tag.value;
        if (!util::is_valid_utf8(value) || util::has_control(value) ||
            util::codepoint_count(value) > 256)
            return util::fail(util::quoted(text) +
                              ": the tag value must be valid UTF-8 without control characters, "
                              "at most 256 characters");
    }
    return std::nullopt;
}

util::Result<std::vector<Tag>> normalise_tags(std::vector<Tag> tags) {
    std::sort(tags.begin(), tags.end(), [](const Tag& a, const Tag& b) { return a.key < b.key; });
    for (std::size_t i = 1; i < tags.size(); ++i)
        if (tags[i].key == tags[i - 1].key)
            return util::fail("tag " + util::quoted(tags[i].key) + " is given twice");
    return tags;
}

util::Result<EnvVar> parse_env(std::string_view text) {
    auto eq = text.find('=');
    if (eq == std::string_view::npos)
        return util::fail(util::quoted(text) + " must be NAME=value");
    EnvVar var{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
    if (auto f = check_env(var))
        return *f;
    return var;
}

std::optional<util::Failure> check_env(const EnvVar& var) {
    const std::string_view name = var.name;
    bool ok = !name.empty() && !(name.front() >= '0' && name.front() <= '9');
    for (char c : name)
        ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_');
    if (!ok)
        return util::fail(util::quoted(name) +
                          " is not a valid variable name (letters, digits and _, not starting "
                          "with a digit)");
    if (name.size() > 256)
        return util::fail(util::quoted(name) + ": a variable name is at most 256 characters");
    if (name.substr(0, 9) == "SCHEDULE_")
        return util::fail(util::quoted(name) +
                          ": SCHEDULE_* variables are set by the scheduler for every run");
    // The store keeps variables as JSON text, which has no other bytes.
    if (has_nul(var.value) || var.value.size() > 65536 || !util::is_valid_utf8(var.value))
        return util::fail(util::quoted(name) + ": the value must be valid UTF-8 without NUL, at "
                                               "most 64 KiB");
    return std::nullopt;
}

util::Result<std::vector<EnvVar>> normalise_env(std::vector<EnvVar> env) {
    std::sort(env.begin(), env.end(),
              [](const EnvVar& a, const EnvVar& b) { return a.name < b.name; });
    for (std::size_t i = 1; i < env.size(); ++i)
        if (env[i].name == env[i - 1].name)
            return util::fail("variable " + util::quoted(env[i].name) + " is given twice");
    return env;
}

util::Result<std::string> validate_description(std::string_view text) {
    if (has_nul(text))
        return util::fail("must not contain NUL");
    if (text.size() > 4096)
        return util::fail("must be at most 4096 bytes");
    return std::string(text);
}

util::Result<std::string> validate_command(std::string_view text) {
    if (util::trim(text).empty())
        return util::fail("must not be empty");
    if (has_nul(text))
        return util::fail("must not contain NUL");
    if (text.size() > 65536)
        return util::fail("must be at most 64 KiB");
    return std::string(text);
}

util::Result<std::string> validate_task_type(std::string_view text) {
    bool ok = !text.empty() && text.size() <= 64 &&
              ((text.front() >= 'a' && text.front() <= 'z') ||
               (text.front() >= 'A' && text.front() <= 'Z') ||
               (text.front() >= '0' && text.front() <= '9'));
    for (char c : text)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.');
    if (!ok)
        return util::fail(util::quoted(text) +
                          " is not a task type (1-64 of A-Z a-z 0-9 _ - ., starting with a letter "
                          "or digit)");
    return std::string(text);
}

util::Result<std::string> validate_task_config(std::string_view text) {
    if (text.size() > 65536)
        return util::fail("must be at most 64 KiB");
    bool too_deep = false;
    int depth = 0;
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text.begin(), text.end(),
                                  [&](int, nlohmann::json::parse_event_t event, nlohmann::json&) {
                                      using E = nlohmann::json::parse_event_t;
                                      if (event == E::object_start || event == E::array_start)
                                          too_deep = too_deep || ++depth > 64;
                                      else if (event == E::object_end || event == E::array_end)
                                          --depth;
                                      return !too_deep;
                                  });
    } catch (const nlohmann::json::exception& e) {
        return util::fail(json_refusal(e.what()));
    }
    if (too_deep)
        return util::fail("nested more than 64 levels deep");
    if (!j.is_object())
        return util::fail("must be a JSON object, e.g. {\"path\": \"/srv\"}");
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

util::Result<std::string> validate_owner(std::string_view text) {
    if (auto f = check_label(text, 64))
        return *f;
    return std::string(text);
}

util::Result<std::string> validate_working_dir(std::string_view text) {
    if (text.empty() || text.front() != '/')
        return util::fail(util::quoted(text) + " must be an absolute path");
    if (has_nul(text) || text.find('\n') != std::string_view::npos || text.size() > 4096)
        return util::fail(util::quoted(text) + " must not contain NUL or newlines");
    return std::string(text);
}

util::Result<std::string> validate_user_name(std::string_view text) {
    if (text.empty() || text.size() > 32 || text.front() == '-')
        return util::fail(util::quoted(text) + " is not a user name");
    for (char c : text)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
            return util::fail(util::quoted(text) + " is not a user name");
    return std::string(text);
}

util::Result<std::int64_t> parse_count(std::string_view text, std::int64_t min, std::int64_t max) {
    auto v = util::parse_uint(util::trim(text), static_cast<std::uint64_t>(max));
    if (!v || static_cast<std::int64_t>(*v) < min)
        return util::fail(util::quoted(text) + " is not a whole number from " +
                          std::to_string(min) + " to " + std::to_string(max));
    return static_cast<std::int64_t>(*v);
}

util::Result<time::Duration> parse_duration_at_least(std::string_view text, std::int64_t min) {
    auto d = time::parse_duration(text);
    if (!d)
        return util::fail(d.error());
    if (d->count() < min)
        return util::fail(min == 0
                              ? std::string("must not be negative")
                              : "must be at least " + time::format_duration(time::Duration{min}));
    return *d;
}

util::Result<std::vector<RetryOn>> parse_retry_on(std::string_view text) {
    return parse_retry_on(util::split(text, ','));
}

util::Result<std::vector<RetryOn>> parse_retry_on(const std::vector<std::string_view>& items) {
    std::vector<RetryOn> out;
    for (auto item : items) {
        auto t = util::trim(item);
        auto r = parse_retry_on_item(t);
        if (!r)
            return util::fail(util::quoted(t) +
                              " is not timeout, lost, signal or exit:N (N from 1 to 255)");
        out.push_back(*r);
    }
    if (out.empty())
        return util::fail("give timeout, lost, signal or exit:N, comma-separated");
    std::sort(out.begin(), out.end(), [](const RetryOn& a, const RetryOn& b) {
        return std::pair(int(a.kind), a.code) < std::pair(int(b.kind), b.code);
    });
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

util::Result<bool> parse_bool(std::string_view text) {
    auto t = util::to_lower(util::trim(text));
    if (t == "true" || t == "yes" || t == "1" || t == "on")
        return true;
    if (t == "false" || t == "no" || t == "0" || t == "off")
        return false;
    return util::fail(util::quoted(text) + " is not a boolean (use true or false)");
}

} // namespace schedule::model
