// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of detail/percent.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_DETAIL_IMPL_PERCENT_IPP
#define DAYTONA_DETAIL_IMPL_PERCENT_IPP

#include "daytona/detail/percent.hpp"

#include <optional>
#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

void append_percent_encoded(std::string& out, std::string_view s, bool keep_star) {
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

std::string percent_encode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    append_percent_encoded(out, s);
    return out;
}

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
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

#endif  // DAYTONA_DETAIL_IMPL_PERCENT_IPP
