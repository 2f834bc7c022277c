// SPDX-License-Identifier: Apache-2.0
// Lexical path functions with the exact results of the npm package pathe 2 (which the official
// SDK uses) and of Node's path.posix, plus the SDK's `~` expansion.
#ifndef DAYTONA_DETAIL_JS_PATH_HPP
#define DAYTONA_DETAIL_JS_PATH_HPP

#include "daytona/config.hpp"

#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace detail::js {

// Context entries (paths and archive paths) are part of what the server caches builds by, so the
// lexical rules below follow the TypeScript SDK's libraries rather than std::filesystem.

/// The shared core of Node's and pathe's normalize: resolves `.` and `..` and collapses
/// separators, on `/` only.
DAYTONA_DECL std::string normalize_string(std::string_view path, bool allow_above_root);

/// pathe's normalizeWindowsPath: backslashes become slashes, a leading drive letter is uppercased.
DAYTONA_DECL std::string pathe_slashes(std::string_view p);

/// pathe's isAbsolute: `/x`, `//x` (not `//.`), `C:/` or `C:\`.
constexpr bool pathe_is_absolute(std::string_view p) noexcept {
    auto sep = [](char c) {
        return c == '/' || c == '\\';
    };
    if (!p.empty() && sep(p[0]) && (p.size() == 1 || !sep(p[1]))) return true;
    if (p.size() >= 2 && sep(p[0]) && sep(p[1]) && (p.size() == 2 || p[2] != '.')) return true;
    return p.size() >= 3 && ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) &&
           p[1] == ':' && sep(p[2]);
}

/// pathe's normalize.
DAYTONA_DECL std::string pathe_normalize(std::string_view input);

/// pathe's join: empty segments are skipped, separators are not doubled, then normalize.
DAYTONA_DECL std::string pathe_join(std::string_view a, std::string_view b);

/// The process's working directory, with `/` separators (pathe's cwd()).
DAYTONA_DECL std::string current_directory();

/// pathe's resolve of one path against the working directory.
DAYTONA_DECL std::string pathe_resolve(std::string_view p);

/// pathe's dirname.
DAYTONA_DECL std::string pathe_dirname(std::string_view p);

/// pathe's basename: the last non-empty segment (backslashes count as separators).
DAYTONA_DECL std::string pathe_basename(std::string_view p);

/// Node's path.posix.normalize (no backslash or drive-letter rules, unlike pathe).
DAYTONA_DECL std::string node_normalize(std::string_view path);

/// Node's path.posix.join of two segments.
DAYTONA_DECL std::string node_join(std::string_view a, std::string_view b);

/**
 * `~` expansion as the official SDK does it (npm expand-tilde): `~` and `~/…` are joined onto
 * the home directory (the HOME environment variable, as Node's os.homedir() reads it first),
 * `~+` and `~+/…` onto the working directory, and the result is normalized. Unlike
 * expand-tilde, `~name/…` is left alone (expand-tilde would read it as `$HOME/name/…`). A path
 * without a leading `~`, or any path when HOME is unset or empty, is returned unchanged.
 */
DAYTONA_DECL std::string expand_tilde(std::string_view path);

}  // namespace detail::js
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/detail/impl/js_path.ipp"
#endif

#endif  // DAYTONA_DETAIL_JS_PATH_HPP
