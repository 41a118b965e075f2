#pragma once
// The error hierarchy. Every error a user can see is one of these types; each
// carries its process exit code (schedule(1), EXIT STATUS) and an optional
// hint. app/cli.cpp catches Error once and prints
// `schedule: error: MESSAGE (hint: HINT)`.

#include <stdexcept>
#include <string>

namespace schedule::util {

enum class ExitCode : int {
    ok = 0,
    failure = 1,
    usage = 2,
    not_found = 3,
    conflict = 4,
    store = 5,
};

class Error : public std::runtime_error {
public:
    Error(ExitCode code, const std::string& message, std::string hint = {})
        : std::runtime_error(message), m_code(code), m_hint(std::move(hint)) {}
    ExitCode code() const { return m_code; }
    const std::string& hint() const { return m_hint; }

private:
    ExitCode m_code;
    std::string m_hint;
};

// Exit 1: the command could not do its work for a reason that is not the
// user's input (a process could not be started, a file not written, ...).
class RuntimeFailure : public Error {
public:
    explicit RuntimeFailure(const std::string& message, std::string hint = {})
        : Error(ExitCode::failure, message, std::move(hint)) {}
};

// Exit 2: the command line itself is wrong (unknown format, missing argument).
class UsageError : public Error {
public:
    explicit UsageError(const std::string& message, std::string hint = {})
        : Error(ExitCode::usage, message, std::move(hint)) {}
};

// Exit 2: a value is invalid. The message reads "FIELD: REASON".
class ValidationError : public Error {
public:
    ValidationError(std::string field, const std::string& reason, std::string hint = {})
        : Error(ExitCode::usage, field + ": " + reason, std::move(hint)),
          m_field(std::move(field)) {}
    const std::string& field() const { return m_field; }

private:
    std::string m_field;
};

// Exit 3: a job, execution or setting does not exist.
class NotFound : public Error {
public:
    explicit NotFound(const std::string& message, std::string hint = {})
        : Error(ExitCode::not_found, message, std::move(hint)) {}
};

// Exit 4: the request collides with existing state (name taken, overlap, ...).
class Conflict : public Error {
public:
    explicit Conflict(const std::string& message, std::string hint = {})
        : Error(ExitCode::conflict, message, std::move(hint)) {}
};

// Exit 5: the store cannot be used (locked, corrupt, permissions, newer
// schema), or the disk is full (also for a backup or export file).
class StoreError : public Error {
public:
    explicit StoreError(const std::string& message, std::string hint = {})
        : Error(ExitCode::store, message, std::move(hint)) {}
};

} // namespace schedule::util
