#pragma once
// One run of the `schedule` executable: the global flags, the environment
// and terminal facts, and the store and service context opened as the
// command's registry entry says. Run functions get one of these.

#include "registry.hpp"

#include <schedule/exec/launcher.hpp>
#include <schedule/format/style.hpp>
#include <schedule/service/context.hpp>
#include <schedule/store/store.hpp>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace schedule::app {

struct GlobalOptions {
    std::optional<std::string> store; // --store; an empty path is refused
    std::string format = "table";
    bool utc = false;
    bool quiet = false;
    int verbose = 0;
    bool no_color = false;
};

class Invocation {
public:
    // Throws UsageError for an empty --store.
    Invocation(const GlobalOptions& options, const CommandInfo& command);
    ~Invocation();

    // The service context over the store (opened on first use for reading
    // or writing as the command's entry says).
    service::Context& context();

    // Where the store is (--store, $SCHEDULE_STORE or the default), before
    // it is opened. Throws StoreError when there is no default.
    std::filesystem::path store_location() const;

    // For a run that writes and runs nothing (a --dry-run): opens the store
    // for reading, so a store that the command would refuse to run jobs
    // from is only warned about. Call before context().
    void open_read_only() { m_read_only = true; }

    // Makes `value` the instant the context's clock starts at (`tick --now`),
    // instead of $SCHEDULE_NOW; errors about it name `source`. Call before
    // context().
    void override_now(std::string value, std::string source);

    // The output style: colour on a terminal unless --no-color or NO_COLOR,
    // --utc, and now from the context's clock.
    format::Style style();

    // Whether stdout gets colour: a terminal, and neither --no-color nor a
    // non-empty NO_COLOR.
    bool color() const;

    // The selected --format (already checked against the command).
    const std::string& output_format() const { return m_options.format; }
    bool quiet() const { return m_options.quiet; }

    // The launcher of background supervisors for this store; with
    // SCHEDULE_NOW in force their clock continues this process's.
    exec::SupervisorLauncher supervisor_launcher();

    // Shows log lines of `level` and above on stderr unless -v asked for
    // more (tick's one line per fire, skip and recovery).
    void raise_stderr_logging(int level);

    // Writes to stdout.
    void print(std::string_view text) const;
    // Writes to stdout at once; false when that failed (a closed pipe).
    bool print_now(std::string_view text) const;

    bool stdin_is_terminal() const;
    bool stderr_is_terminal() const;
    // Asks `question` on stderr and reads one line from stdin; true for y/yes.
    bool confirm(std::string_view question) const;

private:
    void configure_logging(const model::Settings& settings);

    GlobalOptions m_options;
    const CommandInfo& m_command;
    std::optional<store::Store> m_store;
    std::unique_ptr<service::Context> m_context;
    std::optional<std::pair<std::string, std::string>> m_now_override;
    bool m_read_only = false;
};

// The most read_input() reads: 1 GiB.
inline constexpr std::size_t k_max_input_bytes = std::size_t{1} << 30;

// The whole of an input file, or of stdin for "-". Errors (exit 2) name
// `flag`, the option that gave the path ("--input"); an input larger than
// k_max_input_bytes is one (a regular file is refused by its size, before
// it is read).
std::string read_input(const std::string& path, std::string_view flag);

// The directory `dir` resolved (util::resolve_output_directory), for writing
// `given`, the value of `flag` ("--output", "--output-dir"). Throws
// ValidationError (exit 2) naming both when someone other than this user or
// root could choose where the files go.
std::filesystem::path output_directory(const std::filesystem::path& dir, std::string_view flag,
                                       const std::string& given);

// Reads an environment variable; nullopt when unset.
std::optional<std::string> env_var(const char* name);

// Sets up stderr logging from -q/-v before any store is opened.
void configure_stderr_logging(const GlobalOptions& options);

} // namespace schedule::app
