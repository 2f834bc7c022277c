// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of detail/shell_quote_js.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_DETAIL_IMPL_SHELL_QUOTE_JS_IPP
#define DAYTONA_DETAIL_IMPL_SHELL_QUOTE_JS_IPP

#include "daytona/detail/shell_quote_js.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace detail::js {

void append_single_quoted_glued(std::string& out, std::string_view s) {
    out += '\'';
    for (char c : s) {
        if (c == '\'')
            out += "'\"'\"'";
        else
            out += c;
    }
    out += '\'';
}

void append_shell_quoted(std::string& out, std::string_view s) {
    switch (shell_quote_form(s)) {
        case quote_form::empty:
            out += "''";
            return;
        case quote_form::single_with_glue:
            append_single_quoted_glued(out, s);
            return;
        case quote_form::single:
            out += '\'';
            out += s;
            out += '\'';
            return;
        case quote_form::double_quoted:
            out += '"';
            for (char c : s) {
                if (c == '"' || c == '\\' || c == '$' || c == '`') out += '\\';
                out += c;
            }
            out += '"';
            return;
        case quote_form::escaped:
            break;
    }
    // The regular expression /([A-Za-z]:)?([special])/g, scanned left to right.
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (is_ascii_letter(c) && i + 2 < s.size() && s[i + 1] == ':' &&
            is_shell_quote_special(s[i + 2])) {
            out += c;
            out += ':';
            out += '\\';
            out += s[i + 2];
            i += 2;
        } else if (is_shell_quote_special(c)) {
            out += '\\';
            out += c;
        } else {
            out += c;
        }
    }
}

std::string shell_quote(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    append_shell_quoted(out, s);
    return out;
}

void append_docker_word(std::string& out, std::string_view s) {
    auto form = shell_quote_form(s);
    if (form == quote_form::double_quoted && s.find('`') != std::string_view::npos) {
        append_single_quoted_glued(out, s);
        return;
    }
    if (form == quote_form::escaped && any_code_point(s, [](char32_t c) { return c == 0x85; })) {
        out += '\'';
        out += s;
        out += '\'';
        return;
    }
    append_shell_quoted(out, s);
}

}  // namespace detail::js
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_DETAIL_IMPL_SHELL_QUOTE_JS_IPP
