#pragma once
// File-system helpers: creating files and directories with exact modes, and
// the permission rules a store must meet before it may run jobs.

#include <schedule/util/error.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace schedule::util {

// Creates `dir` and any missing parents; each directory this call creates
// gets exactly `mode`, whatever the umask (the XDG rule for state
// directories is 0700). Throws std::filesystem::filesystem_error on failure.
void create_directories(const std::filesystem::path& dir, unsigned mode);

// Creates a new empty file `<dir>/.<stem>.XXXXXX` with exactly `mode` and
// returns its path (for a file that another library opens by name, in a
// directory only this user or root can change). A stem longer than 64
// bytes is cut there (at a character's start), so that a file name of any
// length has a temporary name beside it. Throws
// std::filesystem::filesystem_error.
std::filesystem::path create_temp_file(const std::filesystem::path& dir, const std::string& stem,
                                       unsigned mode);

// Gives `from` the additional name `to` unless `to` exists (link(2), which
// never replaces). Returns false when `to` already existed. Throws on other
// errors.
bool link_if_absent(const std::filesystem::path& from, const std::filesystem::path& to);

// Whether a write may replace a file that exists.
enum class Replace { no, yes };

// Writes `content` to `path` as a whole: into a new temporary file beside
// it (named as by create_temp_file) with exactly `mode` (whatever the umask), written and flushed
// to disk through the descriptor that created it (never opened again by name), then renamed over
// `path` (Replace::yes) or linked to it only when nothing is there (Replace::no: returns false when
// `path` exists, and writes nothing), and the directory flushed so that the new name survives a
// crash; every step relative to one descriptor of the directory. Readers see the old file or the
// new one, never a part; a symbolic link at `path` is replaced, never followed. Throws
// RuntimeFailure when the temporary name no longer names the file created (someone who may write
// the directory put another file there), else std::filesystem::filesystem_error.
bool write_file_atomically(const std::filesystem::path& path, std::string_view content,
                           unsigned mode, Replace replace);

// The error for a file that could not be written (`doing`: "cannot write
// F"): exit 5, like a store that cannot be written, when its disk is full
// or a file-size limit is reached (ENOSPC, EDQUOT, EFBIG); else exit 1.
Error write_failure(const std::string& doing, const std::error_code& code);

// What is at `path`, looked at without following a symbolic link: its
// type (file_type::not_found when nothing is there) and, for a regular
// file, its first `max` bytes (read without blocking, so a FIFO put in its
// place since cannot hang the caller). Throws
// std::filesystem::filesystem_error.
struct FileHead {
    std::filesystem::file_type type = std::filesystem::file_type::not_found;
    std::string head;
};
FileHead peek_file(const std::filesystem::path& path, std::size_t max);

// Opens `path` for appending (O_APPEND, close-on-exec, non-blocking), never
// through a symbolic link (someone who can write its directory cannot
// redirect our writes to another file), and only when it is a regular file
// owned by this user. A file it creates gets exactly `mode`, whatever the
// umask. Returns the descriptor, which the caller closes. Throws
// std::filesystem::filesystem_error.
int open_append(const std::filesystem::path& path, unsigned mode);

// Sets the modification time of the file at `path` to `seconds` since the
// epoch, creating it empty with exactly `mode` when nothing is there: never
// through a symbolic link, and only on a regular file owned by this user
// (a FIFO or device there is opened without blocking and left alone).
// Returns whether the time was set; never throws.
bool stamp_file(const std::filesystem::path& path, std::int64_t seconds, unsigned mode) noexcept;

// The modification time, in seconds since the epoch, of the regular file
// at `path` (a symbolic link is not followed); nullopt when there is none.
std::optional<std::int64_t> modification_time(const std::filesystem::path& path) noexcept;

// Moves `replacement` over `target` when `target` is an empty regular file,
// and returns true; returns false, leaving both alone, when `target` is no
// longer empty or no longer there. Processes doing this at once take turns
// (flock on the target), so only the first one replaces it and the others
// see its result. Throws std::filesystem::filesystem_error on other errors.
bool replace_empty_file(const std::filesystem::path& target,
                        const std::filesystem::path& replacement);

// Why a store may not be trusted to say what runs as this user: the file,
// directory or link at fault, what is wrong with it, the fix to suggest,
// and what it stops.
struct Distrust {
    enum class Stops {
        running,    // commands that run jobs refuse the store; others warn
        writing,    // also every write: someone else controls where writes go
        everything, // no command can use it (a FIFO would hang SQLite, a path
                    // that cannot be checked)
    };
    std::filesystem::path path;
    std::string why; // "writable by group or others", "owned by nobody (uid 65534)", ...
    std::string fix; // "chmod go-w /srv/jobs"
    Stops stops = Stops::running;
};

// The worse of two findings (the first when they are equal).
std::optional<Distrust> worse(std::optional<Distrust> a, std::optional<Distrust> b);

// A store path resolved as the kernel would resolve it, and what was wrong
// with the symbolic links on the way.
struct ResolvedStore {
    // Absolute, with every symbolic link of its existing part followed (the
    // rest appended as given): the one path that is checked, opened and
    // handed to supervisors, so that nothing can change which file it
    // names between the check and the open without writing to a
    // directory the check has found trusted.
    std::filesystem::path path;
    // A link owned by someone other than this user or root, or in a
    // directory that others may write without the sticky bit (Stops::
    // writing: someone else chooses where the store is); too many links
    // (Stops::everything).
    std::optional<Distrust> links;
};
ResolvedStore resolve_store(const std::filesystem::path& given);

// Checks, with lstat(2) only and before anything opens the store, whether
// someone other than this user (or root) could have written what SQLite
// reads for the store at the resolved path `store`, like cron refusing a
// foreign crontab:
//   - the store file and any existing `-wal`, `-shm` or `-journal` file
//     next to it must be regular files (else Stops::everything) owned by
//     this user and not writable by group or others (else Stops::running);
//   - the directory holding it must be owned by this user or root and not
//     writable by group or others, sticky bit or not (else Stops::writing:
//     others could plant a -wal or -journal file, or a link in its place);
//   - every directory above that must be owned by this user or root, and
//     writable by group or others only with the sticky bit (like /tmp), so
//     that nobody else can rename the store's directory away (else
//     Stops::writing).
// Missing files and directories are fine (a store that does not exist yet
// is created 0600 in a 0700 directory). Returns the worst problem found, or
// nullopt.
std::optional<Distrust> untrusted_store(const std::filesystem::path& store);

// A directory that files are to be written into, resolved as resolve_store()
// resolves a store path, and why someone other than this user or root could
// choose where the files go: a symbolic link on the way that they own or may
// replace, or an existing directory of the resolved path (the one written
// into, or one above it) that they own or may write without the sticky bit
// (they could rename a file, or a directory on the way, and put theirs in
// its place). Directories that do not exist yet are fine. Looks with
// lstat(2) and stat(2) only.
struct OutputDirectory {
    std::filesystem::path path;       // absolute, its existing part without links
    std::optional<Distrust> distrust; // nullopt: only this user or root decide
};
OutputDirectory resolve_output_directory(const std::filesystem::path& dir);

} // namespace schedule::util
