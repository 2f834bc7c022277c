// SPDX-License-Identifier: Apache-2.0
// Percent-encoding for URL path segments and query components.
#ifndef DAYTONA_DETAIL_PERCENT_HPP
#define DAYTONA_DETAIL_PERCENT_HPP

#include "daytona/config.hpp"

#include <optional>
#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

constexpr bool is_unreserved(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/// Appends `s` with every byte outside the RFC 3986 unreserved set written as %XX. Used for path
/// segments (a sandbox name can never add a path level) and for query keys and values. The
/// official SDKs' URLSearchParams also keeps '*'; we keep it too so logs match theirs.
DAYTONA_DECL void append_percent_encoded(std::string& out, std::string_view s,
                                         bool keep_star = false);

DAYTONA_DECL std::string percent_encode(std::string_view s);

constexpr int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// Decodes %XX escapes (and '+' as space when `plus_is_space`, for query strings). nullopt on a
/// malformed escape.
DAYTONA_DECL std::optional<std::string> percent_decode(std::string_view s,
                                                       bool plus_is_space = false);

}  // namespace detail
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/detail/impl/percent.ipp"
#endif

#endif  // DAYTONA_DETAIL_PERCENT_HPP
