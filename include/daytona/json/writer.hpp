// SPDX-License-Identifier: Apache-2.0
// A small streaming JSON writer: appends to a string, escapes strings, builds no DOM.
#ifndef DAYTONA_JSON_WRITER_HPP
#define DAYTONA_JSON_WRITER_HPP

#include "daytona/config.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace json {

/// Appends `s` as a quoted JSON string. Bytes are passed through as they are (UTF-8 in, UTF-8
/// out); quotes, backslashes and control characters are escaped.
DAYTONA_DECL void append_quoted(std::string& out, std::string_view s);

/**
 * \brief Writes JSON into a caller-owned string.
 * \details Commas are placed automatically; the caller is responsible for balancing
 * begin/end calls and for calling key() before each member value.
 */
class writer {
public:
    /// A writer that appends to `out`, which must outlive it.
    explicit writer(std::string& out) : out_(out) {}

    /// Opens an object: `{`.
    writer& begin_object() {
        sep();
        out_ += '{';
        comma_ = false;
        return *this;
    }
    /// Closes the innermost object: `}`.
    writer& end_object() {
        out_ += '}';
        comma_ = true;
        return *this;
    }
    /// Opens an array: `[`.
    writer& begin_array() {
        sep();
        out_ += '[';
        comma_ = false;
        return *this;
    }
    /// Closes the innermost array: `]`.
    writer& end_array() {
        out_ += ']';
        comma_ = true;
        return *this;
    }
    /// Writes the key of the next member, quoted, and its `:`.
    writer& key(std::string_view k) {
        sep();
        append_quoted(out_, k);
        out_ += ':';
        comma_ = false;
        return *this;
    }

    /// A string value, quoted and escaped (see append_quoted()).
    writer& value(std::string_view s) {
        sep();
        append_quoted(out_, s);
        comma_ = true;
        return *this;
    }
    /// A string value; a `const char*` is never taken for a bool.
    writer& value(const char* s) { return value(std::string_view(s)); }
    /// A string value.
    writer& value(const std::string& s) { return value(std::string_view(s)); }
    /// `true` or `false`.
    writer& value(bool b) {
        sep();
        out_.append(b ? "true" : "false");
        comma_ = true;
        return *this;
    }
    /// An integer, in decimal.
    template <class Int,
              std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>, int> = 0>
    writer& value(Int v) {
        sep();
        char buf[24];
        auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
        (void)ec;
        out_.append(buf, p);
        comma_ = true;
        return *this;
    }
    /// Finite numbers in shortest round-trip form; NaN and infinities become null (JSON has none).
    DAYTONA_DECL writer& value(double v);
    /// `null`.
    writer& null() {
        sep();
        out_.append("null");
        comma_ = true;
        return *this;
    }
    /// Inserts already-serialized JSON as one value.
    writer& raw(std::string_view json) {
        sep();
        out_.append(json);
        comma_ = true;
        return *this;
    }

    /// An object of string members, in key order.
    DAYTONA_DECL writer& value(const std::map<std::string, std::string>& m);
    /// An array of strings.
    DAYTONA_DECL writer& value(const std::vector<std::string>& a);

    /// key + value.
    template <class T>
    writer& member(std::string_view k, const T& v) {
        key(k);
        return value(v);
    }
    /// key + value, only when the optional holds one (absent fields are left out, never null).
    template <class T>
    writer& member(std::string_view k, const std::optional<T>& v) {
        if (v) member(k, *v);
        return *this;
    }

    /// The output string.
    std::string& str() noexcept { return out_; }

private:
    void sep() {
        if (comma_) out_ += ',';
    }
    std::string& out_;
    bool comma_ = false;
};

}  // namespace json
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/json/impl/writer.ipp"
#endif

#endif  // DAYTONA_JSON_WRITER_HPP
