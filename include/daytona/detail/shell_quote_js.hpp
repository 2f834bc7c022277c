// SPDX-License-Identifier: Apache-2.0
// The `quote` function of the npm package shell-quote 1.12, byte for byte, plus the variant the
// image builder writes into ENV and WORKDIR (words that Docker's own lexer reads, not a shell).
#ifndef DAYTONA_DETAIL_SHELL_QUOTE_JS_HPP
#define DAYTONA_DETAIL_SHELL_QUOTE_JS_HPP

#include "daytona/config.hpp"
#include "daytona/detail/js_text.hpp"

#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace detail::js {

/// The characters shell-quote's last rule escapes with a backslash.
constexpr bool is_shell_quote_special(char c) noexcept {
    switch (c) {
        case '#':
        case '!':
        case '"':
        case '$':
        case '&':
        case '\'':
        case '(':
        case ')':
        case '*':
        case ',':
        case ':':
        case ';':
        case '<':
        case '=':
        case '>':
        case '?':
        case '@':
        case '[':
        case '\\':
        case ']':
        case '^':
        case '`':
        case '{':
        case '|':
        case '}':
        case '~':
            return true;
        default:
            return false;
    }
}

constexpr bool is_ascii_letter(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/// Which of shell-quote's forms a string gets.
enum class quote_form {
    empty,             ///< `''`
    single_with_glue,  ///< `'it'"'"'s!'`: contains both ' and !
    single,            ///< `'a b'`: contains ", whitespace or \, and no '
    double_quoted,     ///< `"it's"`: contains ' (and no !)
    escaped,           ///< `a\:b`: no quote or whitespace at all
};

constexpr quote_form shell_quote_form(std::string_view s) noexcept {
    if (s.empty()) return quote_form::empty;
    bool sq = s.find('\'') != std::string_view::npos;
    bool bang = s.find('!') != std::string_view::npos;
    bool dq = s.find('"') != std::string_view::npos;
    bool bs = s.find('\\') != std::string_view::npos;
    bool ws = contains_js_space(s);
    if (sq && bang) return quote_form::single_with_glue;
    if ((dq || ws || bs) && !sq) return quote_form::single;
    if (dq || sq || ws) return quote_form::double_quoted;
    return quote_form::escaped;
}

DAYTONA_DECL void append_single_quoted_glued(std::string& out, std::string_view s);

/**
 * shell-quote 1.12 `quote([s])`:
 * 1. empty: `''`;
 * 2. contains both `'` and `!`: `'` + s with each `'` written `'"'"'` + `'`;
 * 3. contains `"`, whitespace (JavaScript's `\s`, Unicode included) or `\`, and no `'`:
 *    `'` + s + `'`;
 * 4. contains `"`, `'` or whitespace: `"` + s with `"`, `\`, `$` and backquote backslash-escaped
 *    + `"`;
 * 5. otherwise each of ``#!"$&'()*,:;<=>?@[\]^`{|}~`` is backslash-escaped, except a `:` that
 *    follows an ASCII letter and precedes another such character (`C:;` gives `C:\;`).
 */
DAYTONA_DECL void append_shell_quoted(std::string& out, std::string_view s);

DAYTONA_DECL std::string shell_quote(std::string_view s);

/**
 * The quoting of ENV values and WORKDIR paths. These words are read by Docker's lexer, which
 * differs from a POSIX shell in two ways that shell-quote does not know about: inside double
 * quotes a backslash before a backquote stays in the value, and U+0085 (NEL) separates words.
 * So a string that shell-quote would double-quote and that holds a backquote is written in the
 * single-quoted form with `'"'"'` glue instead, and an unquoted string that holds U+0085 is
 * wrapped in single quotes. Every other string is written exactly as shell-quote writes it.
 */
DAYTONA_DECL void append_docker_word(std::string& out, std::string_view s);

}  // namespace detail::js
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/detail/impl/shell_quote_js.ipp"
#endif

#endif  // DAYTONA_DETAIL_SHELL_QUOTE_JS_HPP
