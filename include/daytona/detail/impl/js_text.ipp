// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of detail/js_text.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_DETAIL_IMPL_JS_TEXT_IPP
#define DAYTONA_DETAIL_IMPL_JS_TEXT_IPP

#include "daytona/detail/js_text.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace detail::js {

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::u16string to_utf16(std::string_view s) {
    std::u16string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = next_code_point(s, i);
        if (c == bad_code_point) c = 0xFFFD;
        if (c >= 0x10000) {
            c -= 0x10000;
            out += static_cast<char16_t>(0xD800 + (c >> 10));
            out += static_cast<char16_t>(0xDC00 + (c & 0x3FF));
        } else {
            out += static_cast<char16_t>(c);
        }
    }
    return out;
}

bool utf16_less(std::string_view a, std::string_view b) {
    return to_utf16(a) < to_utf16(b);
}

void append_json_quoted(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 0xF];
                } else {
                    out += ch;
                }
        }
    }
    out += '"';
}

std::string json_string_array(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i != 0) out += ", ";
        append_json_quoted(out, items[i]);
    }
    out += ']';
    return out;
}

std::optional<std::vector<std::string>> parse_json_string_array(std::string_view s) {
    std::size_t i = 0;
    auto ws = [&] {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
            ++i;
    };
    auto hex4 = [&](char32_t& v) {
        if (s.size() - i < 4) return false;
        v = 0;
        for (int k = 0; k < 4; ++k) {
            char c = s[i++];
            int d = (c >= '0' && c <= '9')   ? c - '0'
                    : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                    : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                             : -1;
            if (d < 0) return false;
            v = v * 16 + static_cast<char32_t>(d);
        }
        return true;
    };
    std::vector<std::string> out;
    ws();
    if (i >= s.size() || s[i] != '[') return std::nullopt;
    ++i;
    ws();
    if (i < s.size() && s[i] == ']') {
        ++i;
    } else {
        for (;;) {
            ws();
            if (i >= s.size() || s[i] != '"') return std::nullopt;
            ++i;
            std::string item;
            for (;;) {
                if (i >= s.size()) return std::nullopt;
                auto c = static_cast<unsigned char>(s[i]);
                if (c == '"') {
                    ++i;
                    break;
                }
                if (c < 0x20) return std::nullopt;
                if (c != '\\') {
                    std::size_t start = i;
                    if (next_code_point(s, i) == bad_code_point) return std::nullopt;
                    item.append(s.substr(start, i - start));
                    continue;
                }
                if (++i >= s.size()) return std::nullopt;
                char e = s[i++];
                switch (e) {
                    case '"':
                    case '\\':
                    case '/':
                        item += e;
                        break;
                    case 'b':
                        item += '\b';
                        break;
                    case 'f':
                        item += '\f';
                        break;
                    case 'n':
                        item += '\n';
                        break;
                    case 'r':
                        item += '\r';
                        break;
                    case 't':
                        item += '\t';
                        break;
                    case 'u': {
                        char32_t v = 0;
                        if (!hex4(v)) return std::nullopt;
                        if (v >= 0xD800 && v <= 0xDBFF) {
                            char32_t lo = 0;
                            if (s.size() - i < 6 || s[i] != '\\' || s[i + 1] != 'u')
                                return std::nullopt;
                            i += 2;
                            if (!hex4(lo) || lo < 0xDC00 || lo > 0xDFFF) return std::nullopt;
                            v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                        } else if (v >= 0xDC00 && v <= 0xDFFF) {
                            return std::nullopt;
                        }
                        append_utf8(item, v);
                        break;
                    }
                    default:
                        return std::nullopt;
                }
            }
            out.push_back(std::move(item));
            ws();
            if (i < s.size() && s[i] == ',') {
                ++i;
                continue;
            }
            if (i < s.size() && s[i] == ']') {
                ++i;
                break;
            }
            return std::nullopt;
        }
    }
    ws();
    if (i != s.size()) return std::nullopt;
    return out;
}

}  // namespace detail::js
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_DETAIL_IMPL_JS_TEXT_IPP
