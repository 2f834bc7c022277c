// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of detail/pyproject.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_DETAIL_IMPL_PYPROJECT_IPP
#define DAYTONA_DETAIL_IMPL_PYPROJECT_IPP

#include "daytona/detail/js_text.hpp"
#include "daytona/detail/pyproject.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace detail::toml {

value* value::find(std::string_view key) const {
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (keys[i] == key) return members[i].get();
    return nullptr;
}

std::optional<std::string> parser::parse(value& root) {
    root.k = value::kind::table;
    value* current = &root;
    for (;;) {
        skip_blank_lines();
        if (eof()) return std::nullopt;
        if (peek() == '[') {
            bool array_of_tables = s_.substr(i_, 2) == "[[";
            i_ += array_of_tables ? 2 : 1;
            std::vector<std::string> path;
            if (!key_path(path)) return fail("invalid table header");
            skip_ws();
            if (s_.substr(i_, array_of_tables ? 2 : 1) != (array_of_tables ? "]]" : "]"))
                return fail("unterminated table header");
            i_ += array_of_tables ? 2 : 1;
            if (array_of_tables) {
                // Arrays of tables never hold what we read; parse into a scratch table.
                scratch_.push_back(std::make_unique<value>());
                scratch_.back()->k = value::kind::table;
                current = scratch_.back().get();
            } else {
                current = &root;
                for (const auto& k : path) {
                    current = child_table(*current, k);
                    if (current == nullptr) return fail("'" + k + "' is not a table");
                }
            }
        } else {
            if (auto err = key_value(*current)) return err;
        }
        if (!end_of_line()) return fail("expected the end of the line");
    }
}

std::optional<std::string> parser::fail(std::string what) const {
    std::size_t line = 1;
    for (std::size_t k = 0; k < i_ && k < s_.size(); ++k)
        if (s_[k] == '\n') ++line;
    return what + " at line " + std::to_string(line);
}

void parser::skip_ws() {
    while (!eof() && (peek() == ' ' || peek() == '\t'))
        ++i_;
}

void parser::skip_comment() {
    if (!eof() && peek() == '#')
        while (!eof() && peek() != '\n')
            ++i_;
}

void parser::skip_blank_lines() {
    for (;;) {
        skip_ws();
        skip_comment();
        if (!eof() && peek() == '\r' && i_ + 1 < s_.size() && s_[i_ + 1] == '\n') ++i_;
        if (!eof() && peek() == '\n') {
            ++i_;
            continue;
        }
        return;
    }
}

bool parser::end_of_line() {
    skip_ws();
    skip_comment();
    if (eof()) return true;
    if (peek() == '\r' && i_ + 1 < s_.size() && s_[i_ + 1] == '\n') ++i_;
    if (peek() == '\n') {
        ++i_;
        return true;
    }
    return false;
}

bool parser::key_path(std::vector<std::string>& path) {
    for (;;) {
        skip_ws();
        if (eof()) return false;
        std::string k;
        if (peek() == '"' || peek() == '\'') {
            if (s_.substr(i_, 3) == "\"\"\"" || s_.substr(i_, 3) == "'''") return false;
            if (!string_value(k)) return false;
        } else {
            std::size_t start = i_;
            while (!eof() && bare_key_char(peek()))
                ++i_;
            if (i_ == start) return false;
            k.assign(s_.substr(start, i_ - start));
        }
        path.push_back(std::move(k));
        skip_ws();
        if (!eof() && peek() == '.') {
            ++i_;
            continue;
        }
        return true;
    }
}

value* parser::child_table(value& parent, const std::string& key) {
    if (value* v = parent.find(key)) return v->k == value::kind::table ? v : nullptr;
    parent.keys.push_back(key);
    parent.members.push_back(std::make_unique<value>());
    parent.members.back()->k = value::kind::table;
    return parent.members.back().get();
}

std::optional<std::string> parser::key_value(value& table) {
    std::vector<std::string> path;
    if (!key_path(path)) return fail("invalid key");
    skip_ws();
    if (eof() || peek() != '=') return fail("expected '=' after a key");
    ++i_;
    skip_ws();
    value v;
    if (auto err = parse_value(v)) return err;
    value* target = &table;
    for (std::size_t k = 0; k + 1 < path.size(); ++k) {
        target = child_table(*target, path[k]);
        if (target == nullptr) return fail("'" + path[k] + "' is not a table");
    }
    if (target->find(path.back()) != nullptr) return fail("duplicate key '" + path.back() + "'");
    target->keys.push_back(path.back());
    target->members.push_back(std::make_unique<value>(std::move(v)));
    return std::nullopt;
}

std::optional<std::string> parser::parse_value(value& v) {
    if (eof()) return fail("missing value");
    char c = peek();
    if (c == '"' || c == '\'') {
        v.k = value::kind::string;
        if (!string_value(v.str)) return fail("invalid string");
        return std::nullopt;
    }
    if (c == '[') {
        ++i_;
        v.k = value::kind::array;
        for (;;) {
            skip_array_space();
            if (eof()) return fail("unterminated array");
            if (peek() == ']') {
                ++i_;
                return std::nullopt;
            }
            value item;
            if (auto err = parse_value(item)) return err;
            v.items.push_back(std::move(item));
            skip_array_space();
            if (eof()) return fail("unterminated array");
            if (peek() == ',') {
                ++i_;
                continue;
            }
            if (peek() != ']') return fail("expected ',' or ']' in an array");
        }
    }
    if (c == '{') {
        ++i_;
        v.k = value::kind::table;
        skip_ws();
        if (!eof() && peek() == '}') {
            ++i_;
            return std::nullopt;
        }
        for (;;) {
            if (auto err = key_value(v)) return err;
            skip_ws();
            if (eof()) return fail("unterminated inline table");
            if (peek() == ',') {
                ++i_;
                skip_ws();
                continue;
            }
            if (peek() == '}') {
                ++i_;
                return std::nullopt;
            }
            return fail("expected ',' or '}' in an inline table");
        }
    }
    // Numbers, booleans and dates: skipped, we never need their values.
    std::size_t start = i_;
    while (!eof() && peek() != ',' && peek() != ']' && peek() != '}' && peek() != '#' &&
           peek() != '\n' && peek() != '\r')
        ++i_;
    if (detail::js::trim(s_.substr(start, i_ - start)).empty()) return fail("missing value");
    v.k = value::kind::other;
    return std::nullopt;
}

bool parser::hex_escape(std::string& out, int digits) {
    if (s_.size() - i_ < static_cast<std::size_t>(digits)) return false;
    char32_t cp = 0;
    for (int k = 0; k < digits; ++k) {
        char c = s_[i_++];
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (d < 0) return false;
        cp = cp * 16 + static_cast<char32_t>(d);
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    detail::js::append_utf8(out, cp);
    return true;
}

bool parser::string_value(std::string& out) {
    char q = peek();
    bool multi = s_.substr(i_, 3) == std::string(3, q);
    i_ += multi ? 3 : 1;
    if (multi) {  // a newline right after the opening delimiter is trimmed
        if (!eof() && peek() == '\r' && i_ + 1 < s_.size() && s_[i_ + 1] == '\n') ++i_;
        if (!eof() && peek() == '\n') ++i_;
    }
    for (;;) {
        if (eof()) return false;
        char c = peek();
        if (c == q) {
            if (!multi) {
                ++i_;
                return true;
            }
            if (s_.substr(i_, 3) == std::string(3, q)) {
                i_ += 3;
                // Up to two more quotes right before the closing delimiter belong to the text.
                for (int extra = 0; extra < 2 && !eof() && peek() == q; ++extra) {
                    out += q;
                    ++i_;
                }
                return true;
            }
            out += c;
            ++i_;
            continue;
        }
        if (c == '\n' && !multi) return false;
        if (c == '\\' && q == '"') {
            ++i_;
            if (eof()) return false;
            char e = s_[i_++];
            switch (e) {
                case 'b':
                    out += '\b';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case 'u':
                    if (!hex_escape(out, 4)) return false;
                    break;
                case 'U':
                    if (!hex_escape(out, 8)) return false;
                    break;
                default: {
                    // A line-ending backslash in a multi-line string eats the line break
                    // and the whitespace that follows.
                    if (!multi) return false;
                    std::size_t k = i_ - 1;
                    while (k < s_.size() && (s_[k] == ' ' || s_[k] == '\t'))
                        ++k;
                    if (k < s_.size() && s_[k] == '\r') ++k;
                    if (k >= s_.size() || s_[k] != '\n') return false;
                    while (k < s_.size() &&
                           (s_[k] == ' ' || s_[k] == '\t' || s_[k] == '\n' || s_[k] == '\r'))
                        ++k;
                    i_ = k;
                }
            }
            continue;
        }
        out += c;
        ++i_;
    }
}

std::pair<pyproject_requirements, std::string> read_pyproject(
    std::string_view text, const std::vector<std::string>& groups) {
    value root;
    parser p(text);
    if (auto err = p.parse(root)) return {{}, "not valid TOML: " + *err};
    const value* project = root.find("project");
    const value* deps = project != nullptr && project->k == value::kind::table
                            ? project->find("dependencies")
                            : nullptr;
    if (deps == nullptr || deps->k != value::kind::array)
        return {{},
                "No [project.dependencies] section in pyproject.toml file. See "
                "https://packaging.python.org/en/latest/guides/writing-pyproject-toml for further "
                "file format guidelines."};
    pyproject_requirements out;
    auto take = [&](const value& list) {
        for (const auto& item : list.items) {
            if (item.k != value::kind::string) return false;
            out.packages.push_back(item.str);
        }
        return true;
    };
    if (!take(*deps)) return {{}, "packages must only contain strings"};
    const value* optional = project->find("optional-dependencies");
    if (!groups.empty() && optional != nullptr) {
        if (optional->k != value::kind::table)
            return {{}, "optional-dependencies must be a mapping in pyproject.toml"};
        for (const auto& g : groups) {
            const value* list = optional->find(g);
            if (list != nullptr && list->k == value::kind::array && !take(*list))
                return {{}, "packages must only contain strings"};
        }
    }
    return {std::move(out), {}};
}

}  // namespace detail::toml
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_DETAIL_IMPL_PYPROJECT_IPP
