// SPDX-License-Identifier: Apache-2.0
// POSIX shell quoting: words that bash, dash and zsh all read back as exactly the bytes given.
#ifndef DAYTONA_DETAIL_SHELL_HPP
#define DAYTONA_DETAIL_SHELL_HPP

#include "daytona/config.hpp"

#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

// Single quotes are the only POSIX quoting in which no byte is special except the closing quote
// itself: no expansion, no backslash escapes, newlines kept. A quote inside the text closes the
// string, adds an escaped quote and reopens it ('it'\''s'). A NUL byte cannot be represented (a
// shell word is a C string); callers must refuse it before quoting.

/// Bytes a word may consist of and still need no quotes in bash, dash or zsh.
constexpr bool is_shell_safe_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == '/' || c == ':' || c == ',' || c == '+' || c == '@' ||
           c == '%' || c == '=';
}

/// True when `s` can stand unquoted: non-empty, safe bytes only, and not starting with `=`
/// (zsh expands a leading `=cmd` to the command's path).
constexpr bool is_shell_safe_word(std::string_view s) noexcept {
    if (s.empty() || s.front() == '=') return false;
    for (char c : s)
        if (!is_shell_safe_char(c)) return false;
    return true;
}

/// Appends `s` in single quotes, whatever it contains (NUL excepted).
DAYTONA_DECL void append_single_quoted(std::string& out, std::string_view s);

/// Appends `s` as one shell word: as it is when that is safe, otherwise single-quoted.
DAYTONA_DECL void append_shell_word(std::string& out, std::string_view s);

/// `s` as one shell word (see append_shell_word).
DAYTONA_DECL std::string shell_quote(std::string_view s);

/// True for a portable environment variable name: [A-Za-z_][A-Za-z0-9_]*.
constexpr bool is_env_name(std::string_view s) noexcept {
    if (s.empty() || (s.front() >= '0' && s.front() <= '9')) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    return true;
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/detail/impl/shell.ipp"
#endif

#endif  // DAYTONA_DETAIL_SHELL_HPP
