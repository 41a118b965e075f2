#pragma once
// Result<T>: the return type of parsers (cron, durations, ISO-8601, ...).
// A parser does not know which flag or JSON path its input came from, so its
// failure carries only the reason; the service that called it wraps the
// reason in a ValidationError naming the field.

#include <string>
#include <utility>
#include <variant>

namespace schedule::util {

// Why a parse failed, phrased for a person: "minute field: 60 is out of range 0-59".
struct Failure {
    std::string message;
};

// Either a value or a Failure. Accessing the wrong alternative is a logic
// error (std::bad_variant_access).
template <class T> class Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Failure failure) : m_v(std::move(failure)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const std::string& error() const { return std::get<1>(m_v).message; }

private:
    std::variant<T, Failure> m_v;
};

inline Failure fail(std::string message) {
    return Failure{std::move(message)};
}

} // namespace schedule::util
