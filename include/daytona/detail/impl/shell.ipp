// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of detail/shell.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_DETAIL_IMPL_SHELL_IPP
#define DAYTONA_DETAIL_IMPL_SHELL_IPP

#include "daytona/detail/shell.hpp"

#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

void append_single_quoted(std::string& out, std::string_view s) {
    out += '\'';
    for (std::size_t pos = 0;;) {
        const auto quote = s.find('\'', pos);
        if (quote == std::string_view::npos) {
            out.append(s.substr(pos));
            break;
        }
        out.append(s.substr(pos, quote - pos));
        out.append("'\\''");
        pos = quote + 1;
    }
    out += '\'';
}

void append_shell_word(std::string& out, std::string_view s) {
    if (is_shell_safe_word(s))
        out.append(s);
    else
        append_single_quoted(out, s);
}

std::string shell_quote(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    append_shell_word(out, s);
    return out;
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_DETAIL_IMPL_SHELL_IPP
