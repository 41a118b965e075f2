#include <schedule/model/crontab.hpp>
#include <schedule/model/validate.hpp>
#include <schedule/time/zone.hpp>
#include <schedule/util/strings.hpp>

#include <algorithm>
#include <map>

namespace schedule::model {

namespace {

// Cron's blanks between fields (Skip_Blanks) and isspace() of the C
// locale (the environment parser).
bool is_blank(char c) {
    return c == ' ' || c == '\t';
}
bool is_c_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string line_prefix(int line) {
    return "line " + std::to_string(line);
}

// A time field or user column longer than this is refused before it is
// quoted in a message.
constexpr std::size_t k_max_word = 256;

// --- environment lines ------------------------------------------------------

struct Assignment {
    std::string name;
    std::string value;
};

// Cron's reading of a line as NAME=value (load_env): the name and the value
// may each be in matching ' or " quotes; blanks may surround `=`; an
// unquoted value runs to the end of the line; nothing but blanks may follow
// a quoted one; an empty value must be quoted. Trailing white space of the
// value is dropped, quoted or not, as Debian's cron does. nullopt: not an
// assignment (cron then reads the line as a job line).
std::optional<Assignment> parse_assignment(std::string_view s) {
    enum State { name_start, name, eq1, eq2, value_start, value, done, error };
    State st = name_start;
    char quote = 0;
    Assignment a;
    std::size_t i = 0;
    while (st != error && i < s.size()) {
        const char c = s[i];
        switch (st) {
        case name_start:
        case value_start:
            if (c == '\'' || c == '"') {
                quote = c;
                ++i;
            }
            st = st == name_start ? name : value;
            break;
        case name:
        case value:
            if (quote) {
                if (c == quote) {
                    st = st == name ? eq1 : done;
                    ++i;
                    break;
                }
                if (st == name && c == '=') {
                    st = error;
                    break;
                }
            } else if (st == name) {
                if (is_c_space(c)) {
                    st = eq1;
                    ++i;
                    break;
                }
                if (c == '=') {
                    st = eq1;
                    break;
                }
            }
            (st == name ? a.name : a.value) += c;
            ++i;
            break;
        case eq1:
            if (c == '=') {
                st = eq2;
                quote = 0;
            } else if (!is_c_space(c)) {
                st = error;
            }
            ++i;
            break;
        case eq2:
        case done:
            if (is_c_space(c))
                ++i;
            else
                st = st == eq2 ? value_start : error;
            break;
        case error:
            break;
        }
    }
    if (st != done && !(st == value && !quote))
        return std::nullopt;
    while (!a.value.empty() && is_c_space(a.value.back()))
        a.value.pop_back();
    return a;
}

// --- naming -------------------------------------------------------------------

struct Token {
    std::string text;
    bool op = false; // ; & | && || ( ) or a newline
};

// The shell words and control operators of a command, quotes removed;
// enough of the shell's grammar to find the words a job is named from.
std::vector<Token> shell_tokens(std::string_view s) {
    std::vector<Token> out;
    std::string word;
    bool in_word = false;
    auto flush = [&] {
        if (in_word)
            out.push_back({word, false});
        word.clear();
        in_word = false;
    };
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            flush();
            ++i;
        } else if (c == '&' && ((!word.empty() && (word.back() == '>' || word.back() == '<')) ||
                                (i + 1 < s.size() && s[i + 1] == '>'))) {
            in_word = true; // >&2, &>file: part of a redirection
            word += c;
            ++i;
        } else if (c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
            flush();
            std::string op(1, c);
            if ((c == '&' || c == '|' || c == ';') && i + 1 < s.size() && s[i + 1] == c)
                op += s[++i];
            out.push_back({op, true});
            ++i;
        } else if (c == '#' && !in_word) {
            while (i < s.size() && s[i] != '\n')
                ++i;
        } else if (c == '\'') {
            in_word = true;
            auto end = s.find('\'', i + 1);
            if (end == std::string_view::npos)
                end = s.size();
            word.append(s.substr(i + 1, end - i - 1));
            i = end + 1;
        } else if (c == '"') {
            in_word = true;
            for (++i; i < s.size() && s[i] != '"'; ++i) {
                if (s[i] == '\\' && i + 1 < s.size())
                    ++i;
                word += s[i];
            }
            ++i;
        } else if (c == '\\') {
            in_word = true;
            if (i + 1 < s.size())
                word += s[i + 1];
            i += 2;
        } else {
            in_word = true;
            word += c;
            ++i;
        }
    }
    flush();
    return out;
}

// NAME=value with NAME a shell variable name.
bool is_assignment(std::string_view w) {
    auto eq = w.find('=');
    if (eq == std::string_view::npos || eq == 0 || (w.front() >= '0' && w.front() <= '9'))
        return false;
    return std::all_of(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(eq), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    });
}

// A redirection word: "> file" takes the next word too.
bool is_redirection(std::string_view w, bool& takes_next) {
    std::size_t i = 0;
    while (i < w.size() && w[i] >= '0' && w[i] <= '9')
        ++i;
    if (i == w.size() || !(w[i] == '<' || w[i] == '>' || (w[i] == '&' && i == 0)))
        return false;
    while (i < w.size() &&
           (w[i] == '<' || w[i] == '>' || w[i] == '&' || w[i] == '|' || w[i] == '-'))
        ++i;
    takes_next = i == w.size();
    return true;
}

bool is_keyword(std::string_view w) {
    static constexpr std::string_view k_words[] = {"{",     "}",     "!",    "if",    "then",
                                                   "else",  "elif",  "fi",   "do",    "done",
                                                   "while", "until", "exec", "nohup", "time"};
    return std::find(std::begin(k_words), std::end(k_words), w) != std::end(k_words);
}

// A command run to decide whether to run the real one (`test -x FILE &&`).
bool is_guard(const std::vector<std::string>& words) {
    static constexpr std::string_view k_guards[] = {"test", "[",     "[[",   "cd",
                                                    "type", "which", "true", ":"};
    const std::string& w = words.front();
    if (w == "command")
        return words.size() > 1 && (words[1].rfind("-v", 0) == 0 || words[1].rfind("-V", 0) == 0);
    return std::find(std::begin(k_guards), std::end(k_guards), w) != std::end(k_guards);
}

// The words of each simple command, without leading keywords,
// assignments and every redirection.
std::vector<std::vector<std::string>> simple_commands(const std::vector<Token>& tokens) {
    std::vector<std::vector<std::string>> out(1);
    bool leading = true;
    bool skip_next = false;
    for (const auto& t : tokens) {
        if (t.op) {
            out.emplace_back();
            leading = true;
            skip_next = false;
            continue;
        }
        if (skip_next) {
            skip_next = false;
            continue;
        }
        bool takes_next = false;
        if (is_redirection(t.text, takes_next)) {
            skip_next = takes_next;
            continue;
        }
        if (leading && (is_keyword(t.text) || is_assignment(t.text)))
            continue;
        leading = false;
        out.back().push_back(t.text);
    }
    std::erase_if(out, [](const auto& words) { return words.empty(); });
    return out;
}

std::string base_name(std::string_view word) {
    while (!word.empty() && word.back() == '/')
        word.remove_suffix(1);
    auto slash = word.rfind('/');
    return std::string(slash == std::string_view::npos ? word : word.substr(slash + 1));
}

// ASCII letters, digits, '_' and '-' kept, runs of anything else one '-',
// no '-' at either end.
std::string sanitise(std::string_view s) {
    std::string out;
    for (char c : s) {
        const bool keep =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (keep)
            out += c;
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out;
}

constexpr std::size_t k_max_name = 64;

std::string shorten(std::string s, std::size_t max) {
    if (s.size() > max)
        s.resize(max);
    while (!s.empty() && s.back() == '-')
        s.pop_back();
    return s;
}

std::string single_quoted(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

} // namespace

bool is_system_crontab(std::string_view path) {
    constexpr std::string_view k_dir = "/etc/cron.d/";
    if (path == "/etc/crontab")
        return true;
    return path.size() > k_dir.size() && path.substr(0, k_dir.size()) == k_dir &&
           path.find('/', k_dir.size()) == std::string_view::npos;
}

CrontabCommand split_crontab_command(std::string_view text) {
    CrontabCommand out;
    // The command: up to the first unescaped '%'; "\%" and "\\" lose
    // their backslash (Debian's cron; cronie keeps "\\").
    bool escaped = false;
    std::size_t i = 0;
    bool has_input = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (escaped) {
            escaped = false;
            if (c == '%' || c == '\\')
                out.command.back() = c;
            else
                out.command += c;
            continue;
        }
        if (c == '%') {
            has_input = true;
            break;
        }
        escaped = c == '\\';
        out.command += c;
    }
    if (!has_input || i + 1 == text.size())
        return out;
    // The input: '%' a newline, "\%" a '%', a backslash before anything
    // else kept; a final newline unless the last character written was
    // one (a final lone backslash is written after that check).
    std::string input;
    escaped = false;
    bool need_newline = false;
    for (char c : text.substr(i + 1)) {
        if (escaped) {
            if (c != '%')
                input += '\\';
        } else if (c == '%') {
            c = '\n';
        }
        escaped = c == '\\';
        if (!escaped) {
            input += c;
            need_newline = c != '\n';
        }
    }
    if (escaped)
        input += '\\';
    if (need_newline)
        input += '\n';
    out.input = std::move(input);
    return out;
}

std::string command_with_input(std::string_view command, const std::optional<std::string>& input) {
    if (!input || input->empty())
        return std::string(command);
    const std::string shell = "exec /bin/sh -c " + single_quoted(command);
    if (input->back() != '\n')
        return "printf '%s' " + single_quoted(*input) + " | " + shell;
    // A here-document ends at a line equal to its delimiter: choose one
    // that no line of the input equals.
    std::vector<std::string_view> lines = util::split(*input, '\n');
    std::string delimiter = "CRONTAB_INPUT";
    for (int n = 2; std::find(lines.begin(), lines.end(), delimiter) != lines.end(); ++n)
        delimiter = "CRONTAB_INPUT_" + std::to_string(n);
    return shell + " <<'" + delimiter + "'\n" + *input + delimiter + "\n";
}

std::string crontab_job_name(std::string_view command) {
    auto commands = simple_commands(shell_tokens(command));
    const std::vector<std::string>* chosen = nullptr;
    for (const auto& words : commands)
        if (!is_guard(words)) {
            chosen = &words;
            break;
        }
    if (!chosen && !commands.empty())
        chosen = &commands.front();
    std::string name;
    if (chosen) {
        name = sanitise(base_name(chosen->front()));
        for (std::size_t i = 1; i < chosen->size(); ++i) {
            const std::string& arg = (*chosen)[i];
            if (arg.empty() || arg.front() == '-')
                continue;
            auto more = sanitise(base_name(arg));
            if (!more.empty()) {
                name = sanitise(name + "-" + more);
                break;
            }
        }
    }
    name = shorten(std::move(name), k_max_name);
    if (name.empty())
        return "job";
    if (looks_like_job_id(name))
        name += "-job";
    return name;
}

std::string numbered_job_name(std::string_view base, int n) {
    const std::string suffix = "-" + std::to_string(n);
    std::string head = shorten(std::string(base), k_max_name - suffix.size());
    if (head.empty())
        head = "job";
    return head + suffix;
}

Crontab parse_crontab(std::string_view text, CrontabKind kind) {
    Crontab out;
    std::map<std::string, std::string> env; // sorted by name, as the job keeps it
    std::optional<std::string> zone;
    std::map<std::string, int> broken; // variable -> the line of its invalid assignment

    int number = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++number;

        std::size_t start = 0;
        while (start < line.size() && is_blank(line[start]))
            ++start;
        line.remove_prefix(start);
        if (line.empty() || line.front() == '#')
            continue;

        const std::string where = line_prefix(number);
        auto error = [&](const std::string& message, std::string hint = {}) {
            out.errors.push_back({number, where + ": " + message, std::move(hint)});
        };
        auto warn = [&](const std::string& message, std::string hint = {}) {
            out.warnings.push_back({number, where + ": " + message, std::move(hint)});
        };

        if (line.find('\0') != std::string_view::npos) {
            error("contains a NUL byte");
            continue;
        }
        if (line.back() == '\r') {
            error("ends with a carriage return",
                  "the file has DOS line ends: convert it, e.g. with sed 's/\\r$//'");
            continue;
        }

        if (auto a = parse_assignment(line)) {
            if (a->name.size() > k_max_word) {
                error("environment: a variable name of " + std::to_string(a->name.size()) +
                      " bytes");
                broken[a->name] = number;
            } else if (a->name == "CRON_TZ") {
                if (a->value.empty()) {
                    zone.reset();
                    broken.erase(a->name);
                } else if (auto z = time::Zone::locate(a->value); !z) {
                    error("CRON_TZ: " + z.error(), "give an IANA zone such as Europe/Berlin");
                    broken[a->name] = number;
                } else {
                    zone = a->value;
                    broken.erase(a->name);
                }
            } else if (a->name == "MAILTO") {
                if (!a->value.empty())
                    warn("MAILTO=" + util::quoted(a->value) +
                             " is not carried over: schedule mails nothing; it records each "
                             "run's output",
                         "see a run's output with `schedule job output`");
            } else if (a->name == "SHELL") {
                if (a->value != "/bin/sh")
                    warn("SHELL=" + util::quoted(a->value) +
                             " is not carried over: jobs run with /bin/sh -c",
                         "to use another shell, make the command call it");
            } else if (auto f = check_env({a->name, a->value})) {
                error("environment: " + f->message);
                broken[a->name] = number;
            } else {
                env[a->name] = a->value;
                broken.erase(a->name);
            }
            continue;
        }

        if (!broken.empty()) {
            int first = broken.begin()->second;
            for (const auto& [name, at] : broken)
                first = std::min(first, at);
            error("follows line " + std::to_string(first) + ", which is invalid",
                  "a job line takes the variables set before it");
            continue;
        }

        // The time fields (or a macro), the user column, the command.
        std::string_view rest = line;
        auto next_word = [&rest]() {
            std::size_t n = 0;
            while (n < rest.size() && !is_blank(rest[n]))
                ++n;
            std::string_view word = rest.substr(0, n);
            rest.remove_prefix(n);
            while (!rest.empty() && is_blank(rest.front()))
                rest.remove_prefix(1);
            return word;
        };
        const std::string columns = kind == CrontabKind::system
                                        ? "five time fields (or a @macro), a user and a command"
                                        : "five time fields (or a @macro) and a command";
        const std::string shape = kind == CrontabKind::system
                                      ? "minute hour day-of-month month day-of-week user command"
                                      : "minute hour day-of-month month day-of-week command";
        CrontabEntry entry;
        entry.line = number;
        std::vector<std::string_view> fields;
        const std::size_t count = line.front() == '@' ? 1 : 5;
        bool too_long = false;
        while (fields.size() < count && !rest.empty()) {
            fields.push_back(next_word());
            too_long = too_long || fields.back().size() > k_max_word;
        }
        if (too_long) {
            error("a time field longer than " + std::to_string(k_max_word) + " bytes");
            continue;
        }
        if (fields.size() < count || rest.empty()) {
            error("expected " + columns, "a line reads: " + shape);
            continue;
        }
        std::vector<std::string> texts(fields.begin(), fields.end());
        entry.schedule = util::join(texts, " ");
        if (rest.front() == '*') {
            error("'*' after the time fields: six time fields?",
                  "seconds are not supported: tick runs once a minute");
            continue;
        }
        if (kind == CrontabKind::system) {
            auto user = next_word();
            if (user.size() > k_max_word) {
                error("user: longer than " + std::to_string(k_max_word) + " bytes");
                continue;
            }
            if (rest.empty()) {
                error("expected " + columns + ": the command is missing", "a line reads: " + shape);
                continue;
            }
            entry.user = std::string(user);
        }
        auto cmd = split_crontab_command(rest);
        if (find_tick_call(cmd.command)) {
            // As a job it would tick from inside its own run.
            warn("runs `schedule tick`: not imported",
                 "keep ticking from this crontab line, or from the schedule-tick.timer unit");
            continue;
        }
        entry.command = std::move(cmd.command);
        entry.input = std::move(cmd.input);
        entry.timezone = zone;
        for (const auto& [name, value] : env)
            entry.env.push_back({name, value});
        out.entries.push_back(std::move(entry));
    }
    return out;
}

std::optional<TickCall> find_tick_call(std::string_view command) {
    // Words, quotes removed (a quoted blank or operator is part of its
    // word); operators end a command: they stay as empty words.
    std::vector<std::string> marked;
    {
        std::string word;
        bool in_word = false;
        char quote = 0;
        for (char c : command) {
            if (quote) {
                if (c == quote)
                    quote = 0;
                else
                    word += c;
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                in_word = true;
                continue;
            }
            const bool op = c == ';' || c == '&' || c == '|' || c == '(' || c == ')';
            const bool blank = c == ' ' || c == '\t';
            if (op || blank) {
                if (in_word)
                    marked.push_back(word);
                word.clear();
                in_word = false;
                if (op && (marked.empty() || !marked.back().empty()))
                    marked.emplace_back();
            } else {
                word += c;
                in_word = true;
            }
        }
        if (in_word)
            marked.push_back(word);
    }
    for (std::size_t i = 0; i < marked.size(); ++i) {
        const auto& word = marked[i];
        if (word.empty() || word.substr(word.rfind('/') + 1) != "schedule")
            continue;
        TickCall call;
        // Assignments just before it, in the same simple command.
        for (std::size_t j = i; j-- > 0 && !marked[j].empty();)
            if (marked[j].starts_with("SCHEDULE_STORE="))
                call.store_env = marked[j].substr(15);
        bool tick = false;
        for (std::size_t j = i + 1; j < marked.size() && !marked[j].empty(); ++j) {
            const auto& w = marked[j];
            if (!tick) {
                if (w == "--store" && j + 1 < marked.size())
                    call.store_flag = marked[++j];
                else if (w.starts_with("--store="))
                    call.store_flag = w.substr(8);
                else if (w == "--format")
                    ++j;
                else if (w == "tick")
                    tick = true;
                else if (!w.starts_with("-"))
                    break; // another command
            } else if (w == "--dry-run" || w == "-n") {
                tick = false;
                break;
            } else if (w == "--store" && j + 1 < marked.size()) {
                call.store_flag = marked[++j];
            } else if (w.starts_with("--store=")) {
                call.store_flag = w.substr(8);
            }
        }
        if (tick)
            return call;
    }
    return std::nullopt;
}

std::string CrontabNamer::name(Field f) const {
    if (f == Field::cron)
        return line_prefix(m_line);
    return line_prefix(m_line) + ": " + mention(f);
}

std::string CrontabNamer::mention(Field f) const {
    switch (f) {
    case Field::cron:
        return "schedule";
    case Field::command:
        return "command";
    case Field::timezone:
        return "CRON_TZ";
    case Field::env:
        return "environment";
    case Field::run_as:
        return "user";
    case Field::working_dir:
        return "HOME";
    case Field::name:
        return "job name";
    default:
        return std::string(json_key_of(f));
    }
}

std::string CrontabNamer::setting(Field f, std::string_view value) const {
    return FlagNamer{}.setting(f, value);
}

std::string CrontabNamer::clearing(Field f) const {
    return FlagNamer{}.clearing(f);
}

JobSpec crontab_job_spec(const CrontabEntry& entry, std::string_view source,
                         const std::optional<std::string>& run_as) {
    JobSpec spec;
    spec.name = crontab_job_name(entry.command);
    spec.description = "imported from " +
                       (source == "-" ? std::string("standard input") : std::string(source)) +
                       ", line " + std::to_string(entry.line);
    spec.cron = entry.schedule;
    spec.command = command_with_input(entry.command, entry.input);
    spec.timezone = entry.timezone;
    if (!entry.env.empty())
        spec.env = entry.env;
    for (const auto& var : entry.env)
        if (var.name == "HOME" && !var.value.empty() && var.value.front() == '/')
            spec.working_dir = var.value;
    spec.run_as = entry.user ? entry.user : run_as;
    spec.tags = std::vector<Tag>{{"imported", "crontab"}};
    return spec;
}

std::string_view to_string(ImportStatus s) {
    switch (s) {
    case ImportStatus::created:
        return "created";
    case ImportStatus::unchanged:
        return "unchanged";
    case ImportStatus::would_create:
        return "would_create";
    }
    return "created";
}

} // namespace schedule::model
