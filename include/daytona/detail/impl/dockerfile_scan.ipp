// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of detail/dockerfile_scan.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_DETAIL_IMPL_DOCKERFILE_SCAN_IPP
#define DAYTONA_DETAIL_IMPL_DOCKERFILE_SCAN_IPP

#include "daytona/detail/dockerfile_scan.hpp"
#include "daytona/detail/js_path.hpp"
#include "daytona/detail/js_text.hpp"

#include <algorithm>
#include <deque>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

DAYTONA_BEGIN_NAMESPACE
namespace detail::dockerfile {

std::vector<heredoc> heredocs_of(std::string_view line) {
    std::vector<heredoc> out;
    if (line.find("<<") == std::string_view::npos) return out;
    auto words = [](std::string_view s) {  // split at whitespace outside quotes, raw
        std::vector<std::string_view> w;
        std::size_t i = 0;
        while (i < s.size()) {
            std::size_t next = i;
            if (js::is_go_space(js::next_code_point(s, next))) {
                i = next;
                continue;
            }
            std::size_t start = i;
            char quote = 0;
            while (i < s.size()) {
                char c = s[i];
                if (quote != 0) {
                    if (c == quote) quote = 0;
                    i += (c == '\\' && quote == '"' && i + 1 < s.size()) ? 2 : 1;
                    continue;
                }
                if (c == '\'' || c == '"') {
                    quote = c;
                    ++i;
                    continue;
                }
                if (c == '\\') {
                    i = std::min(i + 2, s.size());
                    continue;
                }
                next = i;
                if (js::is_go_space(js::next_code_point(s, next))) break;
                i = next;
            }
            w.push_back(s.substr(start, i - start));
        }
        return w;
    };
    auto all = words(line);
    if (all.empty()) return out;
    if (!ascii_iequals(all[0], "RUN") && !ascii_iequals(all[0], "COPY") &&
        !ascii_iequals(all[0], "ADD"))
        return out;
    std::size_t first = 1;
    while (first < all.size() && all[first].substr(0, 2) == "--")
        ++first;
    if (first < all.size()) {
        auto rest = line.substr(static_cast<std::size_t>(all[first].data() - line.data()));
        if (!rest.empty() && rest.front() == '[' && js::parse_json_string_array(js::trim(rest)))
            return out;
    }
    for (std::size_t k = first; k < all.size(); ++k) {
        std::string_view w = all[k];
        std::size_t i = 0;
        while (i < w.size() && w[i] >= '0' && w[i] <= '9')
            ++i;
        if (w.substr(i, 2) != "<<") continue;
        i += 2;
        bool chomp = i < w.size() && w[i] == '-';
        if (chomp) ++i;
        std::string_view rest = w.substr(i);
        if (rest.empty() || rest.find('<') != std::string_view::npos) continue;
        std::string name;
        char quote = 0;
        for (std::size_t j = 0; j < rest.size(); ++j) {
            char c = rest[j];
            if (quote != 0 && c == quote) {
                quote = 0;
            } else if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == '\\' && quote != '\'' && j + 1 < rest.size()) {
                name += rest[++j];
            } else {
                name += c;
            }
        }
        out.push_back({std::move(name), chomp});
    }
    return out;
}

std::vector<std::string> logical_lines(std::string_view content, bool skip_heredoc_bodies) {
    std::vector<std::string> lines;
    std::optional<std::string> current;
    std::vector<heredoc> pending;  // heredocs whose bodies are being skipped
    std::size_t pos = 0;
    for (;;) {
        std::size_t nl = content.find('\n', pos);
        std::string_view line = content.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
        if (nl != std::string_view::npos && !line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (!pending.empty()) {
            std::string_view t = line;
            if (!t.empty() && t.back() == '\r') t.remove_suffix(1);
            if (pending.front().chomp)
                while (!t.empty() && t.front() == '\t')
                    t.remove_prefix(1);
            if (t == pending.front().name) pending.erase(pending.begin());
        } else {
            bool comment = !js::trim_start(line).empty() && js::trim_start(line).front() == '#';
            if (!(current && (js::trim(line).empty() || comment))) {
                std::string_view stripped = js::trim_end(line);
                bool continued = !comment && !stripped.empty() && stripped.back() == '\\';
                std::string_view segment =
                    continued ? stripped.substr(0, stripped.size() - 1) : line;
                if (current)
                    current->append(segment);
                else
                    current.emplace(segment);
                if (!continued) {
                    if (skip_heredoc_bodies && !comment) pending = heredocs_of(*current);
                    lines.push_back(std::move(*current));
                    current.reset();
                }
            }
        }
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    if (current) lines.push_back(std::move(*current));
    return lines;
}

bool is_local_copy(std::string_view line) {
    std::size_t i = 0;
    auto space_at = [&](std::size_t at, std::size_t& next) {
        if (at >= line.size()) return false;
        next = at;
        return js::is_js_space(js::next_code_point(line, next));
    };
    std::size_t next = 0;
    while (space_at(i, next))
        i = next;
    if (line.size() - i < 4 || !ascii_iequals(line.substr(i, 4), "COPY")) return false;
    i += 4;
    // Every end of the `\s+` run is a candidate for the negative lookahead.
    while (space_at(i, next)) {
        i = next;
        std::size_t end = i;
        while (end < line.size()) {
            std::size_t after = end;
            if (js::is_js_line_terminator(js::next_code_point(line, after))) break;
            end = after;
        }
        if (line.substr(i, end - i).find("--from=") == std::string_view::npos) return true;
    }
    return false;
}

std::vector<std::string> copy_words(std::string_view s) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    auto variable = [&](std::size_t& i) {  // s[i] == '$'; returns false if `$` is literal
        std::size_t j = i + 1;
        if (j < s.size() && s[j] == '{') {
            int depth = 1;
            std::size_t k = j + 1;
            for (; k < s.size() && depth > 0; ++k) {
                if (s[k] == '{' && s[k - 1] == '$') ++depth;
                if (s[k] == '}') --depth;
            }
            if (depth != 0) return false;
            i = k - 1;
            return true;
        }
        if (j < s.size() && std::string_view("*@#?$!-").find(s[j]) != std::string_view::npos) {
            i = j;
            return true;
        }
        std::size_t k = j;
        while (k < s.size() && ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z') ||
                                (s[k] >= '0' && s[k] <= '9') || s[k] == '_'))
            ++k;
        if (k == j) return false;
        i = k - 1;
        return true;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\'') {
            in_word = true;
            for (++i; i < s.size() && s[i] != '\''; ++i)
                word += s[i];
            continue;
        }
        if (c == '"') {
            in_word = true;
            for (++i; i < s.size() && s[i] != '"'; ++i) {
                if (s[i] == '\\' && i + 1 < s.size() &&
                    (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == '$')) {
                    word += s[++i];
                } else if (s[i] == '$' && variable(i)) {
                    // expanded to nothing
                } else {
                    word += s[i];
                }
            }
            continue;
        }
        if (c == '\\') {
            in_word = true;
            if (i + 1 < s.size()) word += s[++i];
            continue;
        }
        if (c == '$' && variable(i)) {
            in_word = true;
            continue;
        }
        std::size_t next = i;
        if (js::is_js_space(js::next_code_point(s, next))) {
            if (in_word) words.push_back(std::move(word));
            word.clear();
            in_word = false;
            i = next - 1;
            continue;
        }
        in_word = true;
        word.append(s.substr(i, next - i));
        i = next - 1;
    }
    if (in_word) words.push_back(std::move(word));
    return words;
}

std::optional<std::vector<std::string>> copy_sources(std::string_view line) {
    std::string_view parts = js::trim(js::trim(line).substr(4));
    while (parts.substr(0, 2) == "--") {
        std::size_t i = 0, next = 0;
        while (i < parts.size() && !js::is_js_space(js::next_code_point(parts, next = i)))
            i = next;
        parts = js::trim_start(parts.substr(i));
    }
    // As Docker does, text that starts with '[' but is not a JSON array of strings is the
    // shell form (the official SDK finds no sources in it at all).
    std::vector<std::string> words;
    std::optional<std::vector<std::string>> decoded;
    if (!parts.empty() && parts.front() == '[') decoded = js::parse_json_string_array(parts);
    words = decoded ? std::move(*decoded) : copy_words(parts);
    if (words.size() < 2) return std::nullopt;
    words.pop_back();
    return words;
}

bool segment_match(std::string_view pat, std::string_view name) {
    std::size_t p = 0, n = 0;
    std::size_t star_p = std::string_view::npos, star_n = 0;
    while (n < name.size()) {
        if (p < pat.size()) {
            char c = pat[p];
            if (c == '*') {
                star_p = ++p;
                star_n = n;
                continue;
            }
            std::size_t n_next = n;
            char32_t nc = js::next_code_point(name, n_next);
            if (c == '?') {
                ++p;
                n = n_next;
                continue;
            }
            if (c == '[') {
                std::size_t q = p + 1;
                bool negate = q < pat.size() && (pat[q] == '!' || pat[q] == '^');
                if (negate) ++q;
                bool matched = false, closed = false;
                bool first = true;
                while (q < pat.size()) {
                    if (pat[q] == ']' && !first) {
                        closed = true;
                        ++q;
                        break;
                    }
                    first = false;
                    if (pat[q] == '\\' && q + 1 < pat.size()) ++q;
                    char32_t lo = js::next_code_point(pat, q);
                    char32_t hi = lo;
                    if (q + 1 < pat.size() && pat[q] == '-' && pat[q + 1] != ']') {
                        ++q;
                        if (pat[q] == '\\' && q + 1 < pat.size()) ++q;
                        hi = js::next_code_point(pat, q);
                    }
                    if (nc >= lo && nc <= hi) matched = true;
                }
                if (closed) {
                    if (matched != negate) {
                        p = q;
                        n = n_next;
                        continue;
                    }
                } else if (nc == '[') {  // an unclosed '[' is literal
                    ++p;
                    n = n_next;
                    continue;
                }
            } else {
                std::size_t lit = p;
                if (c == '\\' && p + 1 < pat.size()) ++lit;
                std::size_t lit_next = lit;
                char32_t pc = js::next_code_point(pat, lit_next);
                if (pc == nc) {
                    p = lit_next;
                    n = n_next;
                    continue;
                }
            }
        }
        if (star_p == std::string_view::npos) return false;
        p = star_p;
        js::next_code_point(name, star_n);
        n = star_n;
    }
    while (p < pat.size() && pat[p] == '*')
        ++p;
    return p == pat.size();
}

std::vector<std::string> split_segments(std::string_view p) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        auto slash = p.find('/', start);
        out.emplace_back(p.substr(start, slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return out;
}

bool path_match(const std::vector<std::string>& pat, std::size_t pi,
                const std::vector<std::string>& rel, std::size_t ri, bool partial) {
    if (ri == rel.size()) {
        if (partial) return pi < pat.size();
        for (; pi < pat.size(); ++pi)
            if (pat[pi] != "**") return false;
        return true;
    }
    if (pi == pat.size()) return false;
    if (pat[pi] == "**")
        return path_match(pat, pi + 1, rel, ri, partial) ||
               path_match(pat, pi, rel, ri + 1, partial);
    return segment_match(pat[pi], rel[ri]) && path_match(pat, pi + 1, rel, ri + 1, partial);
}

std::string collapse_slashes(std::string_view p) {
    std::string out;
    for (char c : p)
        if (!(c == '/' && !out.empty() && out.back() == '/')) out += c;
    return out;
}

std::vector<std::string> glob_files(std::string_view pattern) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<std::string> out;
    if (!has_glob_magic(pattern)) {
        std::string path = collapse_slashes(pattern);
        if (fs::is_regular_file(fs::path(path), ec)) out.push_back(std::move(path));
        return out;
    }
    auto segments = split_segments(collapse_slashes(pattern));
    std::size_t first_magic = 0;
    while (!has_glob_magic(segments[first_magic]))
        ++first_magic;
    std::string base;
    for (std::size_t i = 0; i < first_magic; ++i) {
        if (i != 0) base += '/';
        base += segments[i];
    }
    if (first_magic == 1 && segments[0].empty()) base = "/";
    std::vector<std::string> pat(segments.begin() + static_cast<std::ptrdiff_t>(first_magic),
                                 segments.end());
    if (!pat.empty() && pat.back().empty()) pat.pop_back();  // a trailing slash

    struct pending {
        fs::path dir;
        std::vector<std::string> rel;
    };
    std::deque<pending> queue;
    queue.push_back({base.empty() ? fs::path(".") : fs::path(base), {}});
    std::set<fs::path> visited;
    while (!queue.empty()) {
        pending cur = std::move(queue.front());
        queue.pop_front();
        auto canonical = fs::weakly_canonical(cur.dir, ec);
        if (!ec && !visited.insert(canonical).second) continue;
        std::vector<std::pair<std::string, fs::path>> entries;
        for (fs::directory_iterator it(cur.dir, ec), end; !ec && it != end; it.increment(ec))
            entries.emplace_back(it->path().filename().string(), it->path());
        std::sort(entries.begin(), entries.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto& [name, full] : entries) {
            auto rel = cur.rel;
            rel.push_back(name);
            auto st = fs::status(full, ec);
            if (ec) continue;
            if (fs::is_regular_file(st) && path_match(pat, 0, rel, 0, false)) {
                std::string r;
                if (!base.empty()) r = base == "/" ? "/" : base + "/";
                for (std::size_t i = 0; i < rel.size(); ++i) {
                    if (i != 0) r += '/';
                    r += rel[i];
                }
                out.push_back(std::move(r));
            } else if (fs::is_directory(st) && path_match(pat, 0, rel, 0, true)) {
                queue.push_back({full, std::move(rel)});
            }
        }
    }
    return out;
}

std::vector<copy_source> extract_copy_sources(std::string_view content, std::string_view prefix) {
    std::vector<copy_source> out;
    for (const auto& line : logical_lines(content, true)) {
        auto trimmed = js::trim(line);
        if (trimmed.empty() || trimmed.front() == '#') continue;
        if (!is_local_copy(line) || line.find("<<") != std::string::npos) continue;
        auto sources = copy_sources(line);
        if (!sources) continue;
        for (auto& source : *sources) {
            std::string full =
                js::pathe_is_absolute(source) ? source : js::pathe_join(prefix, source);
            auto matches = glob_files(full);
            if (matches.empty()) {
                out.push_back({std::move(full), source});
            } else {
                for (auto& m : matches)
                    out.push_back({std::move(m), source});
            }
        }
    }
    return out;
}

}  // namespace detail::dockerfile
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_DETAIL_IMPL_DOCKERFILE_SCAN_IPP
