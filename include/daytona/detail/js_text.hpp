// SPDX-License-Identifier: Apache-2.0
// UTF-8 text helpers that reproduce JavaScript's and Go's notions of whitespace and ordering, and
// JSON string quoting and parsing, for the image builder.
#ifndef DAYTONA_DETAIL_JS_TEXT_HPP
#define DAYTONA_DETAIL_JS_TEXT_HPP

#include "daytona/config.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace detail::js {

// The official TypeScript SDK works on JavaScript strings (UTF-16) and Docker's parser on Go
// strings (UTF-8 runes). Our strings are UTF-8 bytes, so every rule that depends on "whitespace"
// or on string order is restated here in terms of code points.

inline constexpr char32_t bad_code_point = 0xFFFFFFFFu;

/// Decodes the UTF-8 sequence at `s[i]` and advances `i` past it. A malformed sequence (overlong,
/// surrogate, beyond U+10FFFF, truncated) yields bad_code_point and advances by one byte.
constexpr char32_t next_code_point(std::string_view s, std::size_t& i) noexcept {
    auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    std::size_t len = 0;
    char32_t cp = 0, min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2, cp = b0 & 0x1Fu, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, cp = b0 & 0x0Fu, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, cp = b0 & 0x07u, min = 0x10000;
    } else {
        ++i;
        return bad_code_point;
    }
    if (s.size() - i < len) {
        ++i;
        return bad_code_point;
    }
    for (std::size_t k = 1; k < len; ++k) {
        auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return bad_code_point;
        }
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return bad_code_point;
    }
    i += len;
    return cp;
}

constexpr bool is_valid_utf8(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();)
        if (next_code_point(s, i) == bad_code_point) return false;
    return true;
}

DAYTONA_DECL void append_utf8(std::string& out, char32_t cp);

/// JavaScript's `\s` (and what String.prototype.trim removes): ASCII tab, LF, VT, FF, CR, space,
/// U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF.
constexpr bool is_js_space(char32_t c) noexcept {
    return c == 0x20 || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/// Go's unicode.IsSpace, which Docker's Dockerfile parser uses to split words: JavaScript's set
/// without U+FEFF, plus U+0085 (NEL).
constexpr bool is_go_space(char32_t c) noexcept {
    return c == 0x85 || (c != 0xFEFF && is_js_space(c));
}

/// JavaScript's line terminators (what `.` in a regular expression does not match).
constexpr bool is_js_line_terminator(char32_t c) noexcept {
    return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
}

template <class Pred>
constexpr bool any_code_point(std::string_view s, Pred pred) noexcept {
    for (std::size_t i = 0; i < s.size();)
        if (pred(next_code_point(s, i))) return true;
    return false;
}

constexpr bool contains_js_space(std::string_view s) noexcept {
    return any_code_point(s, [](char32_t c) { return is_js_space(c); });
}
constexpr bool contains_go_space(std::string_view s) noexcept {
    return any_code_point(s, [](char32_t c) { return is_go_space(c); });
}

/// String.prototype.trimStart.
constexpr std::string_view trim_start(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t next = i;
        if (!is_js_space(next_code_point(s, next))) break;
        i = next;
    }
    return s.substr(i);
}

/// String.prototype.trimEnd.
constexpr std::string_view trim_end(std::string_view s) noexcept {
    std::size_t end = 0;
    for (std::size_t i = 0; i < s.size();)
        if (!is_js_space(next_code_point(s, i))) end = i;
    return s.substr(0, end);
}

/// String.prototype.trim.
constexpr std::string_view trim(std::string_view s) noexcept {
    return trim_end(trim_start(s));
}

/// Appends the UTF-16 code units of `s` (malformed bytes become U+FFFD, as Node decodes them).
DAYTONA_DECL std::u16string to_utf16(std::string_view s);

/// The order of JavaScript's default Array.prototype.sort: by UTF-16 code units. It differs from
/// UTF-8 byte order once characters outside the Basic Multilingual Plane are involved.
DAYTONA_DECL bool utf16_less(std::string_view a, std::string_view b);

/// Appends `s` as a JSON string, as JSON.stringify writes it: `"` and `\` escaped, control
/// characters as \b \t \n \f \r or \u00XX, everything else (UTF-8 included) as it is.
DAYTONA_DECL void append_json_quoted(std::string& out, std::string_view s);

/// `["a", "b"]`: the exec form of RUN, ENTRYPOINT and CMD (elements separated by ", ", as the
/// official SDK separates ENTRYPOINT and CMD elements).
DAYTONA_DECL std::string json_string_array(const std::vector<std::string>& items);

/// JSON.parse of a whole text that must be an array of strings. nullopt when the text is not
/// valid JSON, is not an array, or holds anything but strings (lone surrogates are refused).
DAYTONA_DECL std::optional<std::vector<std::string>> parse_json_string_array(std::string_view s);

}  // namespace detail::js
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/detail/impl/js_text.ipp"
#endif

#endif  // DAYTONA_DETAIL_JS_TEXT_HPP
