// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of json/writer.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_JSON_IMPL_WRITER_IPP
#define DAYTONA_JSON_IMPL_WRITER_IPP

#include "daytona/json/writer.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace json {

void append_quoted(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"':
                out.append("\\\"", 2);
                break;
            case '\\':
                out.append("\\\\", 2);
                break;
            case '\n':
                out.append("\\n", 2);
                break;
            case '\r':
                out.append("\\r", 2);
                break;
            case '\t':
                out.append("\\t", 2);
                break;
            case '\b':
                out.append("\\b", 2);
                break;
            case '\f':
                out.append("\\f", 2);
                break;
            default: {
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
                out.append(u, 6);
            }
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

writer& writer::value(double v) {
    sep();
    if (!std::isfinite(v)) {
        out_.append("null");
    } else {
        char buf[32];
        auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
        (void)ec;
        out_.append(buf, p);
    }
    comma_ = true;
    return *this;
}

writer& writer::value(const std::map<std::string, std::string>& m) {
    begin_object();
    for (const auto& [k, v] : m)
        key(k).value(v);
    return end_object();
}

writer& writer::value(const std::vector<std::string>& a) {
    begin_array();
    for (const auto& v : a)
        value(v);
    return end_array();
}

}  // namespace json
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_JSON_IMPL_WRITER_IPP
