// `schedule __complete`: reads a partial command line the way the CLI
// would parse it and says what the word at the cursor may be (the protocol
// is in complete.hpp).

#include "complete.hpp"
#include "invocation.hpp"

#include <schedule/format/export.hpp>
#include <schedule/model/event.hpp>
#include <schedule/model/execution.hpp>
#include <schedule/model/job_builder.hpp>
#include <schedule/model/settings.hpp>
#include <schedule/service/complete.hpp>
#include <schedule/store/store.hpp>
#include <schedule/util/system.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <optional>
#include <set>

namespace schedule::app {

namespace {

using service::Candidate;

enum class Kind { words, files, dirs, users };

// What the word at the cursor may be. For words, the candidates are whole
// values of the text after `before`.
struct Completion {
    Kind kind = Kind::words;
    std::vector<Candidate> candidates;
    std::string before; // the part of the word before the value ("--format=")
};

// --- the command line -------------------------------------------------------

const CommandSpec* find_node(const Grammar& grammar, std::string_view path) {
    for (const auto& node : grammar)
        if (node.path == path)
            return &node;
    return nullptr;
}

// The level above `node`; null for the top level.
const CommandSpec* parent_of(const Grammar& grammar, const CommandSpec& node) {
    if (node.path.empty())
        return nullptr;
    auto space = node.path.rfind(' ');
    return find_node(grammar, space == std::string::npos ? "" : node.path.substr(0, space));
}

// The flag called `name` at `node` or a level above it (their flags work
// after a command too).
const FlagSpec* find_flag(const Grammar& grammar, const CommandSpec& node, std::string_view name) {
    for (const CommandSpec* n = &node; n; n = parent_of(grammar, *n))
        for (const auto& flag : n->flags)
            if (std::find(flag.names.begin(), flag.names.end(), name) != flag.names.end())
                return &flag;
    return nullptr;
}

std::string long_name(const FlagSpec& flag) {
    for (const auto& n : flag.names)
        if (n.starts_with("--"))
            return n;
    return flag.names.empty() ? std::string() : flag.names.front();
}

// The words before the cursor, read as the CLI reads them: the command
// they reach, the arguments it has got so far, a flag still waiting for its
// value, and the store they name.
struct Parsed {
    const CommandSpec* node = nullptr;
    std::vector<std::string> arguments; // of the command, so far
    const FlagSpec* awaiting = nullptr; // the current word is this flag's value
    std::optional<std::string> store;   // --store
    bool lost = false;                  // a word that names no command
};

Parsed parse_words(const Grammar& grammar, const std::vector<std::string>& words) {
    Parsed p;
    p.node = &grammar.front();
    bool options_end = false;
    const std::size_t done = words.empty() ? 0 : words.size() - 1;
    for (std::size_t i = 0; i < done; ++i) {
        const std::string& w = words[i];
        const bool flag_like = !options_end && w.size() > 1 && w.front() == '-';
        if (!options_end && w == "--") {
            options_end = true;
        } else if (flag_like && w.starts_with("--") && w.find('=') != std::string::npos) {
            auto eq = w.find('=');
            if (w.substr(0, eq) == "--store")
                p.store = w.substr(eq + 1);
        } else if (flag_like) {
            const FlagSpec* flag = find_flag(grammar, *p.node, w);
            if (!flag || flag->value_name.empty())
                continue;
            if (i + 1 == done) {
                p.awaiting = flag;
            } else if (long_name(*flag) == "--store") {
                p.store = words[i + 1];
            }
            ++i;
        } else if (!p.node->subcommands.empty()) {
            auto& subs = p.node->subcommands;
            const std::string path = p.node->path.empty() ? w : p.node->path + " " + w;
            const CommandSpec* child = std::find(subs.begin(), subs.end(), w) != subs.end()
                                           ? find_node(grammar, path)
                                           : nullptr;
            if (!child) {
                p.lost = true;
                return p;
            }
            p.node = child;
        } else {
            p.arguments.push_back(w);
        }
    }
    return p;
}

// --- where candidates come from ---------------------------------------------

// The store, opened on first use for reading only (store::Access::peek) where
// the command line, SCHEDULE_STORE or the defaults put it.
class StoreSource {
public:
    explicit StoreSource(std::optional<std::string> flag) : m_flag(std::move(flag)) {}
    store::Store& get() {
        if (!m_store) {
            std::optional<std::string> flag = m_flag;
            // `--store ~/x.db` reaches completion as typed.
            auto home = env_var("HOME");
            if (flag && home && (*flag == "~" || flag->starts_with("~/")))
                flag = *home + flag->substr(1);
            auto path = store::locate({flag, env_var("SCHEDULE_STORE"), util::running_as_root(),
                                       env_var("XDG_STATE_HOME"), home});
            m_store.emplace(store::Store::open(path, store::Access::peek));
        }
        return *m_store;
    }

private:
    std::optional<std::string> m_flag;
    std::optional<store::Store> m_store;
};

Completion words_of(std::vector<Candidate> candidates) {
    return {Kind::words, std::move(candidates), ""};
}

template <class Values, class Name>
std::vector<Candidate> named(const Values& values, Name name, std::string_view prefix) {
    std::vector<std::string_view> names;
    for (auto v : values)
        names.push_back(name(v));
    return service::complete_choices(names, prefix);
}

// Every --format value of `node`: a command's own, or above the commands
// (the command is not known yet) those of any command.
std::vector<Candidate> formats(const Grammar& grammar, const CommandSpec& node,
                               std::string_view prefix) {
    if (!node.formats.empty())
        return service::complete_choices(node.formats, prefix);
    std::vector<std::string_view> all;
    for (const auto& n : grammar)
        for (auto f : n.formats)
            if (std::find(all.begin(), all.end(), f) == all.end())
                all.push_back(f);
    return service::complete_choices(all, prefix);
}

// The values of `flag` of `node`: by the kind of value its help names
// (FILE, ZONE, ...), else the fixed set of the job field it sets.
Completion flag_values(const Grammar& grammar, const CommandSpec& node, const FlagSpec& flag,
                       std::string_view prefix, StoreSource& store) {
    const std::string& kind = flag.value_name;
    if (kind == "PATH" || kind == "FILE")
        return {Kind::files, {}, ""};
    if (kind == "DIR")
        return {Kind::dirs, {}, ""};
    if (kind == "USER")
        return {Kind::users, {}, ""};
    if (kind == "ZONE")
        return words_of(service::complete_zones(prefix));
    if (kind == "FORMAT")
        return words_of(formats(grammar, node, prefix));
    if (kind == "TARGET")
        return words_of(service::complete_choices(format::k_export_target_names, prefix));
    if (kind == "TYPE")
        return words_of(service::complete_task_types(store.get(), prefix));
    if (kind == "EVENT_TYPE")
        return words_of(service::complete_choices(model::k_event_types, prefix));
    if (kind == "JOB" || kind == "JOB[:STATE]" || kind == "JOB[:STATE[:TIMEOUT]]")
        return words_of(service::complete_jobs(store.get(), prefix));
    if (kind == "STATUS") {
        if (node.path == "job list")
            return words_of(named(
                model::k_job_statuses, [](auto s) { return model::to_string(s); }, prefix));
        return words_of(named(
            model::k_execution_statuses, [](auto s) { return model::to_string(s); }, prefix));
    }
    if (auto field = model::field_of_flag(long_name(flag)))
        return words_of(service::complete_choices(model::choices_of(*field), prefix));
    return {};
}

// The value of `config set KEY VALUE` by its key.
Completion setting_values(const std::string& key, std::string_view prefix) {
    if (key == "timezone")
        return words_of(service::complete_zones(prefix));
    if (key == "log.level")
        return words_of(service::complete_choices(model::k_log_levels, prefix));
    if (key == "log.file" || key.starts_with("handlers."))
        return {Kind::files, {}, ""};
    return {};
}

// The argument at `index` of `node`, by the name its help gives it; nullopt
// for free text (a new name, an expression) or past the last argument.
std::optional<Completion> argument_values(const CommandSpec& node, const Parsed& parsed,
                                          std::string_view prefix, StoreSource& store) {
    auto index = parsed.arguments.size();
    if (node.positionals.empty())
        return std::nullopt;
    if (index >= node.positionals.size()) {
        if (!node.last_repeats)
            return std::nullopt;
        index = node.positionals.size() - 1;
    }
    const std::string& name = node.positionals[index];
    if (name == "JOB")
        return words_of(service::complete_jobs(store.get(), prefix));
    if (name == "EXECUTION_ID")
        return words_of(service::complete_executions(store.get(), prefix));
    if (name == "KEY")
        return words_of(service::complete_setting_keys(store.get(), prefix));
    if (name == "FILE")
        return Completion{Kind::files, {}, ""};
    if (name == "VALUE" && index > 0)
        return setting_values(parsed.arguments[index - 1], prefix);
    return std::nullopt;
}

// Every name of every flag of `node` and the levels above it.
std::vector<Candidate> flag_names(const Grammar& grammar, const CommandSpec& node,
                                  std::string_view prefix) {
    std::vector<Candidate> out;
    std::set<std::string> seen;
    for (const CommandSpec* n = &node; n; n = parent_of(grammar, *n))
        for (const auto& flag : n->flags)
            for (const auto& name : flag.names)
                if (name.starts_with(prefix) && seen.insert(name).second)
                    out.push_back({name, flag.help, false});
    return out;
}

std::vector<Candidate> subcommands(const Grammar& grammar, const CommandSpec& node,
                                   std::string_view prefix) {
    std::vector<Candidate> out;
    for (const auto& name : node.subcommands) {
        if (!name.starts_with(prefix))
            continue;
        const auto* child = find_node(grammar, node.path.empty() ? name : node.path + " " + name);
        out.push_back({name, child ? child->summary : "", false});
    }
    return out;
}

// What the last of `words` (after the command name, unquoted) may be.
Completion complete(const Grammar& grammar, const std::vector<std::string>& words) {
    const Parsed parsed = parse_words(grammar, words);
    if (parsed.lost)
        return {};
    const CommandSpec& node = *parsed.node;
    StoreSource store(parsed.store);
    const std::string current = words.empty() ? std::string() : words.back();
    if (parsed.awaiting)
        return flag_values(grammar, node, *parsed.awaiting, current, store);
    const bool flag_like = current.starts_with("-");
    if (current.starts_with("--") && current.find('=') != std::string::npos) {
        const auto eq = current.find('=');
        const FlagSpec* flag = find_flag(grammar, node, current.substr(0, eq));
        if (!flag || flag->value_name.empty())
            return {};
        auto c = flag_values(grammar, node, *flag, current.substr(eq + 1), store);
        c.before = current.substr(0, eq + 1);
        return c;
    }
    if (flag_like)
        return words_of(flag_names(grammar, node, current));
    if (!node.subcommands.empty())
        return words_of(subcommands(grammar, node, current));
    if (auto c = argument_values(node, parsed, current, store))
        return *c;
    // Free text or no argument left: the flags, if nothing is typed yet.
    return current.empty() ? words_of(flag_names(grammar, node, current)) : Completion{};
}

// --- bash: a line as typed --------------------------------------------------

// A word of a shell line: its text without the quoting, and as typed.
struct ShellWord {
    std::string text;
    std::string raw;
};

// Splits `line` into words as the shell would (quotes, backslashes, blanks),
// starting inside `quote` (0 for none); the last word is the one at the end
// of the line, empty after a blank.
std::vector<ShellWord> split_line(std::string_view line, char quote = 0) {
    std::vector<ShellWord> words(1);
    bool in_word = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        ShellWord& w = words.back();
        if (quote == '\'') {
            quote = c == '\'' ? 0 : quote;
            if (quote)
                w.text += c;
            w.raw += c;
        } else if (quote == '"') {
            if (c == '"') {
                quote = 0;
            } else if (c == '\\' && i + 1 < line.size() &&
                       std::string_view("$`\"\\\n").find(line[i + 1]) != std::string_view::npos) {
                w.raw += c;
                w.text += line[++i];
            } else {
                w.text += c;
            }
            w.raw += line[i];
        } else if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word)
                words.emplace_back();
            in_word = false;
        } else {
            in_word = true;
            w.raw += c;
            if (c == '\\') {
                if (i + 1 < line.size()) {
                    w.raw += line[++i];
                    if (line[i] != '\n')
                        w.text += line[i];
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else {
                w.text += c;
            }
        }
    }
    return words;
}

// The part of the raw word `raw` that readline completes and replaces:
// after an unclosed quote, else after the last word-break character that
// is not quoted; and the quote it is in (0 for none).
struct Region {
    std::size_t start = 0;
    char quote = 0;
};

Region readline_region(std::string_view raw, std::string_view wordbreaks) {
    Region r;
    std::size_t opened = 0;
    char quote = 0;
    std::size_t after_break = 0;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (quote != '\'' && c == '\\') {
            ++i;
        } else if (quote) {
            quote = c == quote ? 0 : quote;
        } else if (c == '\'' || c == '"') {
            quote = c;
            opened = i;
        } else if (wordbreaks.find(c) != std::string_view::npos) {
            after_break = i + 1;
        }
    }
    if (quote)
        return {opened + 1, quote};
    r.start = after_break;
    return r;
}

// `text` as it must be typed inside `quote` (0: outside quotes, where the
// word-break characters are escaped too, so that the word stays one).
std::string shell_quoted(std::string_view text, char quote, std::string_view wordbreaks) {
    std::string out;
    for (char c : text) {
        if (quote == '\'') {
            out += c == '\'' ? std::string("'\\''") : std::string(1, c);
            continue;
        }
        const bool special = quote == '"'
                                 ? std::string_view("\"\\$`").find(c) != std::string_view::npos
                                 : std::string_view(" \t\n!\"#$&'()*;<>?[\\]^`{|}~").find(c) !=
                                           std::string_view::npos ||
                                       wordbreaks.find(c) != std::string_view::npos;
        if (special)
            out += '\\';
        out += c;
    }
    return out;
}

const char* kind_name(Kind k) {
    switch (k) {
    case Kind::files:
        return "files";
    case Kind::dirs:
        return "dirs";
    case Kind::users:
        return "users";
    case Kind::words:
        break;
    }
    return "words";
}

// The header of a block of the answer.
std::string header(Kind kind, bool partial, std::string_view text) {
    return std::string(":") + kind_name(kind) + "\t" + (partial ? "nospace" : "space") + "\t" +
           std::string(text) + "\n";
}

std::string answer_zsh(const Completion& c) {
    if (c.kind != Kind::words)
        return header(c.kind, false, c.before);
    std::string out;
    for (bool partial : {false, true}) {
        std::string lines;
        for (const auto& cand : c.candidates)
            if (cand.partial == partial)
                lines += cand.value + "\t" + cand.description + "\n";
        if (!lines.empty() || !partial)
            out += header(Kind::words, partial, c.before) + lines;
    }
    return out;
}

std::string answer_bash(const Completion& c, std::string_view raw, std::string_view wordbreaks) {
    const Region region = readline_region(raw, wordbreaks);
    if (c.kind != Kind::words) {
        return header(c.kind, false,
                      split_line(raw.substr(region.start), region.quote).front().text);
    }
    // The text before the region, unquoted: every candidate starts with it.
    const std::string kept = split_line(raw.substr(0, region.start)).front().text;
    std::string out;
    for (bool partial : {false, true}) {
        std::string lines;
        for (const auto& cand : c.candidates) {
            const std::string value = c.before + cand.value;
            if (cand.partial == partial && value.starts_with(kept))
                lines += shell_quoted(std::string_view(value).substr(kept.size()), region.quote,
                                      wordbreaks) +
                         "\n";
        }
        if (!lines.empty() || !partial)
            out += header(Kind::words, partial, "") + lines;
    }
    return out;
}

} // namespace

int run_complete(const Grammar& grammar, const std::vector<std::string>& args) {
    // Completion runs at every TAB: whatever goes wrong, it says nothing.
    spdlog::set_level(spdlog::level::off);
    try {
        std::string answer;
        if (args.size() == 3 && args[0] == "bash") {
            auto words = split_line(args[2]);
            std::vector<std::string> texts;
            for (std::size_t i = 1; i < words.size(); ++i)
                texts.push_back(words[i].text);
            if (texts.empty())
                return 0; // the cursor is on the command name
            answer = answer_bash(complete(grammar, texts), words.back().raw, args[1]);
        } else if (!args.empty() && args[0] == "zsh") {
            std::vector<std::string> words(args.begin() + 1, args.end());
            if (words.empty())
                words.emplace_back();
            answer = answer_zsh(complete(grammar, words));
        } else {
            return 2;
        }
        std::cout << answer << std::flush;
        return 0;
    } catch (...) {
        return 0;
    }
}

} // namespace schedule::app
