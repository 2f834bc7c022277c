// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of detail/string.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_DETAIL_IMPL_STRING_IPP
#define DAYTONA_DETAIL_IMPL_STRING_IPP

#include "daytona/detail/string.hpp"

#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

std::string printable_excerpt(std::string_view s, std::size_t limit) {
    std::string out(s.substr(0, limit));
    for (char& c : out) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\n' && c != '\t') c = '?';
        if (u == 0x7f) c = '?';
    }
    if (s.size() > limit) out += "...";
    return out;
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_DETAIL_IMPL_STRING_IPP
