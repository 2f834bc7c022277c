// SPDX-License-Identifier: Apache-2.0
// Small ASCII string helpers used across layers (no locale, no allocation unless stated).
#ifndef DAYTONA_DETAIL_STRING_HPP
#define DAYTONA_DETAIL_STRING_HPP

#include "daytona/config.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

constexpr char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Case-insensitive ASCII comparison (HTTP field names, tokens).
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

constexpr bool is_http_space(char c) noexcept {
    return c == ' ' || c == '\t';
}

constexpr std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (is_http_space(s.front()) || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (is_http_space(s.back()) || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

/// True if the comma-separated token list `list` contains `token` (case-insensitive), as in
/// `Connection: keep-alive, Upgrade`.
constexpr bool list_contains_token(std::string_view list, std::string_view token) noexcept {
    while (!list.empty()) {
        auto comma = list.find(',');
        auto item = trim(list.substr(0, comma));
        if (iequals(item, token)) return true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

/// Parses a whole decimal unsigned number; nullopt on any other character or overflow.
template <class Int = std::uint64_t>
std::optional<Int> parse_uint(std::string_view s) noexcept {
    Int v{};
    if (s.empty()) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

/// Appends the decimal form of an integer without going through iostreams.
template <class Int>
void append_int(std::string& out, Int v) {
    char buf[24];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    (void)ec;
    out.append(buf, p);
}

/// A printable excerpt of untrusted bytes for diagnostics: at most `limit` bytes, control
/// characters other than tab and newline replaced by '?'.
DAYTONA_DECL std::string printable_excerpt(std::string_view s, std::size_t limit = 512);

/// The wire name of `v` in a table of (enumerator, name) pairs; `fallback` if it is not there.
template <class Table, class Enum>
constexpr std::string_view enum_name(const Table& table, Enum v,
                                     std::string_view fallback) noexcept {
    for (const auto& [value, name] : table)
        if (value == v) return name;
    return fallback;
}

/// The enumerator whose wire name is `s`; `fallback` for names the table lacks.
template <class Table, class Enum>
constexpr Enum enum_value(const Table& table, std::string_view s, Enum fallback) noexcept {
    for (const auto& [value, name] : table)
        if (name == s) return value;
    return fallback;
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/detail/impl/string.ipp"
#endif

#endif  // DAYTONA_DETAIL_STRING_HPP
