// SPDX-License-Identifier: Apache-2.0
// Finding the local files a Dockerfile's COPY instructions need: logical lines, COPY sources,
// and glob expansion on the local file system.
#ifndef DAYTONA_DETAIL_DOCKERFILE_SCAN_HPP
#define DAYTONA_DETAIL_DOCKERFILE_SCAN_HPP

#include "daytona/config.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace detail::dockerfile {

constexpr bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
        if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
        if (x != y) return false;
    }
    return true;
}

struct heredoc {
    std::string name;
    bool chomp = false;  // `<<-`: leading tabs are ignored on the terminator line
};

/// The heredocs a Dockerfile instruction opens, as Docker finds them: only RUN, COPY and ADD in
/// shell form, each word `[n]<<[-]WORD` (WORD possibly quoted) opens one.
DAYTONA_DECL std::vector<heredoc> heredocs_of(std::string_view line);

/**
 * The logical lines of a Dockerfile, as the official SDK joins them: physical lines split at
 * LF or CRLF; a line whose end (trailing whitespace ignored) is a backslash continues onto the
 * next one without the backslash; empty and comment lines inside a continuation are dropped; a
 * comment line never continues. With `skip_heredoc_bodies`, the body lines of the heredocs an
 * instruction opens (`RUN <<EOF` … `EOF`) are not lines of their own, as in Docker; the official
 * SDK scans them like instructions.
 */
DAYTONA_DECL std::vector<std::string> logical_lines(std::string_view content,
                                                    bool skip_heredoc_bodies = false);

/// The SDK's test `/^\s*COPY\s+(?!.*--from=)/i`: a COPY instruction that does not copy from
/// another build stage or image.
DAYTONA_DECL bool is_local_copy(std::string_view line);

/**
 * The words of a shell-form COPY, split as Docker splits them: on whitespace outside quotes;
 * single quotes keep everything; inside double quotes a backslash escapes `"`, `\` and `$`;
 * outside quotes a backslash escapes any character; `$NAME`, `${…}` and `$` followed by one of
 * `*@#?$!-` expand to the empty string (no build arguments are known locally).
 */
DAYTONA_DECL std::vector<std::string> copy_words(std::string_view s);

/// The source operands of a local COPY line (JSON or shell form, leading `--flag` tokens
/// skipped), or nothing when the line has fewer than two operands.
DAYTONA_DECL std::optional<std::vector<std::string>> copy_sources(std::string_view line);

// ---- glob expansion ------------------------------------------------------------------------

constexpr bool has_glob_magic(std::string_view p) noexcept {
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (p[i] == '\\') {
            ++i;
            continue;
        }
        if (p[i] == '*' || p[i] == '?' || p[i] == '[') return true;
    }
    return false;
}

/// One path segment against one glob segment: `*`, `?`, `[…]` (with `!`/`^` negation and
/// ranges) and `\` escapes, on code points. Leading dots are matched like any character.
DAYTONA_DECL bool segment_match(std::string_view pat, std::string_view name);

DAYTONA_DECL std::vector<std::string> split_segments(std::string_view p);

/// Whether path segments `rel` match glob segments `pat` (`**` spans any number of segments);
/// with `partial`, whether some path below `rel` could still match.
DAYTONA_DECL bool path_match(const std::vector<std::string>& pat, std::size_t pi,
                             const std::vector<std::string>& rel, std::size_t ri, bool partial);

DAYTONA_DECL std::string collapse_slashes(std::string_view p);

/**
 * The regular files (symbolic links followed) that `pattern` names, in the order fast-glob lists
 * them for the official SDK: breadth first from the pattern's literal leading directories, each
 * directory's entries in byte order. A pattern without `*`, `?` or `[` names at most one file.
 */
DAYTONA_DECL std::vector<std::string> glob_files(std::string_view pattern);

/// A COPY source found in Dockerfile text: the local path (a match or the unmatched pattern)
/// and the source operand as written.
struct copy_source {
    std::string path;
    std::string operand;
};

/**
 * The SDK's extractCopySources: for each local COPY line, each source operand is resolved
 * against `prefix` (unless absolute) and glob-expanded; every matching file is one entry, and an
 * operand that matches no file (a directory, or a missing path) is one entry for itself. Unlike
 * the SDK, heredoc bodies are not scanned, and shell-form sources with `*` or `?` are expanded
 * (the SDK drops them).
 */
DAYTONA_DECL std::vector<copy_source> extract_copy_sources(std::string_view content,
                                                           std::string_view prefix);

}  // namespace detail::dockerfile
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/detail/impl/dockerfile_scan.ipp"
#endif

#endif  // DAYTONA_DETAIL_DOCKERFILE_SCAN_HPP
