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
inline void append_percent_encoded(std::string& out, std::string_view s, bool keep_star = false) {
    static constexpr char hex[] = "0123456789ABCDEF";
    for (char c : s) {
        if (is_unreserved(c) || (keep_star && c == '*')) {
            out += c;
        } else {
            auto u = static_cast<unsigned char>(c);
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 0xF];
        }
    }
}

inline std::string percent_encode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    append_percent_encoded(out, s);
    return out;
}

constexpr int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// Decodes %XX escapes (and '+' as space when `plus_is_space`, for query strings). nullopt on a
/// malformed escape.
inline std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space = false) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            if (s.size() - i < 3) return std::nullopt;
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_DETAIL_PERCENT_HPP
