// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: whatever the input, the text daytona::image writes for ENV, WORKDIR, USER,
// the exec forms (RUN, ENTRYPOINT, CMD) and the quoted package lists (apt_get, pip_install)
// parses back to exactly the values given, or validate() refuses the call. The parsers below
// are written from the consumers' rules (Docker's word lexer, JSON, a POSIX shell), not from the
// builder's code. A finding aborts with the values that broke.
#include <daytona/image.hpp>

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dt = daytona;

namespace {

[[noreturn]] void fail(const char* what, std::string_view text) {
    std::fprintf(stderr, "image_quote_fuzz: %s\n--- text ---\n%.*s\n", what,
                 static_cast<int>(text.size()), text.data());
    std::abort();
}

// ---- UTF-8 -------------------------------------------------------------------------------------

/// Decodes one code point at s[i] (advancing i), or returns -1 for malformed UTF-8.
long decode(std::string_view s, std::size_t& i) {
    auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) return -1;
    long cp = len == 1 ? b : b & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
        auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((c & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr long min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    i += static_cast<std::size_t>(len);
    return cp;
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();)
        if (decode(s, i) < 0) return false;
    return true;
}

/// Go's unicode.IsSpace: where Docker's lexer ends a word.
bool go_space(long c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

// ---- Docker's word lexer (ENV values, WORKDIR, USER) --------------------------------------------

/// One word as Docker's lexer reads it with no variables defined: single quotes keep
/// everything; in double quotes a backslash escapes only `"`, `$` and `\`; outside quotes a
/// backslash escapes any character. A `$` that would expand, a word break, or an unterminated
/// quote is a failure (nullopt).
std::optional<std::string> docker_word(std::string_view w) {
    std::string out;
    std::size_t i = 0;
    while (i < w.size()) {
        char c = w[i];
        if (c == '\'') {
            auto end = w.find('\'', i + 1);
            if (end == std::string_view::npos) return std::nullopt;
            out.append(w.substr(i + 1, end - i - 1));
            i = end + 1;
        } else if (c == '"') {
            ++i;
            for (;;) {
                if (i >= w.size()) return std::nullopt;
                char d = w[i];
                if (d == '"') {
                    ++i;
                    break;
                }
                if (d == '$') return std::nullopt;
                if (d == '\\' && i + 1 < w.size() &&
                    (w[i + 1] == '"' || w[i + 1] == '$' || w[i + 1] == '\\')) {
                    out += w[i + 1];
                    i += 2;
                } else {
                    out += d;
                    ++i;
                }
            }
        } else if (c == '\\') {
            if (++i >= w.size()) return std::nullopt;
            std::size_t start = i;
            if (decode(w, i) < 0) return std::nullopt;
            out.append(w.substr(start, i - start));
        } else if (c == '$') {
            return std::nullopt;
        } else {
            std::size_t start = i;
            long cp = decode(w, i);
            if (cp < 0 || go_space(cp)) return std::nullopt;
            out.append(w.substr(start, i - start));
        }
    }
    return out;
}

// ---- JSON (the exec forms) ---------------------------------------------------------------------

void put_utf8(std::string& out, long cp) {
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

std::optional<std::vector<std::string>> json_strings(std::string_view s) {
    std::size_t i = 0;
    auto ws = [&] {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
            ++i;
    };
    auto hex4 = [&](long& v) {
        if (i + 4 > s.size()) return false;
        v = 0;
        for (int k = 0; k < 4; ++k) {
            char c = s[i++];
            int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
            if (d < 0) return false;
            v = v * 16 + d;
        }
        return true;
    };
    std::vector<std::string> out;
    ws();
    if (i >= s.size() || s[i++] != '[') return std::nullopt;
    ws();
    if (i < s.size() && s[i] == ']') return ++i == s.size() ? std::optional(out) : std::nullopt;
    for (;;) {
        ws();
        if (i >= s.size() || s[i++] != '"') return std::nullopt;
        std::string v;
        for (;;) {
            if (i >= s.size()) return std::nullopt;
            char c = s[i++];
            if (c == '"') break;
            if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
            if (c != '\\') {
                v += c;
                continue;
            }
            if (i >= s.size()) return std::nullopt;
            char e = s[i++];
            long cp = 0;
            switch (e) {
                case '"':
                    v += '"';
                    break;
                case '\\':
                    v += '\\';
                    break;
                case '/':
                    v += '/';
                    break;
                case 'b':
                    v += '\b';
                    break;
                case 'f':
                    v += '\f';
                    break;
                case 'n':
                    v += '\n';
                    break;
                case 'r':
                    v += '\r';
                    break;
                case 't':
                    v += '\t';
                    break;
                case 'u':
                    if (!hex4(cp)) return std::nullopt;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        long lo = 0;
                        if (i + 2 > s.size() || s[i] != '\\' || s[i + 1] != 'u')
                            return std::nullopt;
                        i += 2;
                        if (!hex4(lo) || lo < 0xDC00 || lo > 0xDFFF) return std::nullopt;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    put_utf8(v, cp);
                    break;
                default:
                    return std::nullopt;
            }
        }
        out.push_back(std::move(v));
        ws();
        if (i >= s.size()) return std::nullopt;
        char c = s[i++];
        if (c == ']') break;
        if (c != ',') return std::nullopt;
    }
    ws();
    if (i != s.size()) return std::nullopt;
    return out;
}

// ---- a POSIX shell's words (RUN lines) ---------------------------------------------------------

/// The words of `s` as sh reads them, where every character that sh would interpret (an
/// expansion, a glob, an operator, a comment, a line break) must be quoted or escaped; nullopt
/// when one is not.
std::optional<std::vector<std::string>> sh_words(std::string_view s) {
    std::vector<std::string> words;
    std::string cur;
    bool in_word = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == ' ' || c == '\t') {
            if (in_word) words.push_back(std::move(cur));
            cur.clear();
            in_word = false;
            continue;
        }
        in_word = true;
        if (c == '\'') {
            auto end = s.find('\'', i + 1);
            if (end == std::string_view::npos) return std::nullopt;
            cur.append(s.substr(i + 1, end - i - 1));
            i = end;
        } else if (c == '"') {
            for (++i;; ++i) {
                if (i >= s.size()) return std::nullopt;
                char d = s[i];
                if (d == '"') break;
                if (d == '$' || d == '`') return std::nullopt;
                if (d == '\\' && i + 1 < s.size() &&
                    std::string_view("$`\"\\\n").find(s[i + 1]) != std::string_view::npos) {
                    cur += s[++i];
                } else {
                    cur += d;
                }
            }
        } else if (c == '\\') {
            if (++i >= s.size() || s[i] == '\n') return std::nullopt;
            cur += s[i];
        } else if (std::string_view("$`*?[{}~#|&;<>()!\n\"").find(c) != std::string_view::npos) {
            return std::nullopt;
        } else {
            cur += c;
        }
    }
    if (in_word) words.push_back(std::move(cur));
    return words;
}

// ---- checks ------------------------------------------------------------------------------------

/// The one line the call appended after "FROM b\n", without its final newline.
std::string_view appended_line(const dt::image& img) {
    std::string_view t = img.dockerfile();
    if (t.substr(0, 7) != "FROM b\n") fail("the base line changed", t);
    t.remove_prefix(7);
    if (t.empty() || t.back() != '\n') fail("the instruction does not end with a newline", t);
    t.remove_suffix(1);
    if (t.find('\n') != std::string_view::npos || t.find('\r') != std::string_view::npos)
        fail("the instruction spans lines", img.dockerfile());
    std::string_view u = t;
    while (!u.empty() && (u.back() == ' ' || u.back() == '\t'))
        u.remove_suffix(1);
    if (!u.empty() && u.back() == '\\') fail("the instruction continues onto the next line", t);
    return t;
}

bool carries_anything(std::string_view s) {  // what a JSON-escaped value may hold
    return s.find('\0') == std::string_view::npos && valid_utf8(s);
}
bool one_line(std::string_view s) {  // what a quoted single-line value may hold
    return carries_anything(s) && s.find_first_of("\n\r") == std::string_view::npos;
}

void check_env(const std::string& key, const std::string& value) {
    auto img = dt::image::base("b").env(key, value);
    bool key_ok =
        !key.empty() && one_line(key) && key.find_first_of("='\"\\$ \t\v\f") == std::string::npos;
    if (key_ok) {  // no Unicode whitespace either (JavaScript's U+FEFF included)
        for (std::size_t i = 0; i < key.size();) {
            long cp = decode(key, i);
            if (go_space(cp) || cp == 0xFEFF) key_ok = false;
        }
    }
    if (!img.validate()) {
        if (key_ok && one_line(value)) fail("env: a valid value was refused", value);
        return;
    }
    if (!key_ok || !one_line(value)) fail("env: an invalid value was accepted", img.dockerfile());
    auto line = appended_line(img);
    std::string prefix = "ENV " + key + "=";
    if (line.substr(0, prefix.size()) != prefix) fail("env: unexpected prefix", line);
    auto parsed = docker_word(line.substr(prefix.size()));
    if (!parsed || *parsed != value) fail("env: the value does not read back", line);
}

void check_workdir(const std::string& path) {
    auto img = dt::image::base("b").workdir(path);
    if (!img.validate()) {
        if (!path.empty() && one_line(path)) fail("workdir: a valid path was refused", path);
        return;
    }
    auto line = appended_line(img);
    if (line.substr(0, 8) != "WORKDIR ") fail("workdir: unexpected prefix", line);
    auto parsed = docker_word(line.substr(8));
    if (!parsed || *parsed != path) fail("workdir: the path does not read back", line);
}

void check_user(const std::string& name) {
    auto img = dt::image::base("b").user(name);
    if (!img.validate()) return;
    auto line = appended_line(img);
    if (line.substr(0, 5) != "USER ") fail("user: unexpected prefix", line);
    auto parsed = docker_word(line.substr(5));
    if (!parsed || *parsed != name) fail("user: the name does not read back", line);
}

void check_exec(const std::vector<std::string>& argv, int which) {
    static constexpr std::string_view prefixes[] = {"RUN ", "ENTRYPOINT ", "CMD "};
    auto img = dt::image::base("b");
    if (which == 0)
        img.run(argv);
    else if (which == 1)
        img.entrypoint(argv);
    else
        img.cmd(argv);
    bool ok =
        std::all_of(argv.begin(), argv.end(), carries_anything) && (which != 0 || !argv.empty());
    if (!img.validate()) {
        if (ok) fail("exec form: valid arguments were refused", img.dockerfile());
        return;
    }
    if (!ok) fail("exec form: invalid arguments were accepted", img.dockerfile());
    auto line = appended_line(img);
    auto prefix = prefixes[which];
    if (line.substr(0, prefix.size()) != prefix) fail("exec form: unexpected prefix", line);
    auto parsed = json_strings(line.substr(prefix.size()));
    if (!parsed || *parsed != argv) fail("exec form: the arguments do not read back", line);
}

void check_packages(const std::vector<std::string>& pkgs, bool apt) {
    auto img = apt ? dt::image::base("b").apt_get(pkgs) : dt::image::base("b").pip_install(pkgs);
    bool ok = std::all_of(pkgs.begin(), pkgs.end(), one_line) &&
              (!apt || std::none_of(pkgs.begin(), pkgs.end(),
                                    [](const std::string& p) { return p.empty(); }));
    if (!img.validate()) {
        if (ok) fail("packages: valid names were refused", img.dockerfile());
        return;
    }
    if (!ok) fail("packages: invalid names were accepted", img.dockerfile());
    if (pkgs.empty()) {
        if (img.dockerfile() != "FROM b\n")
            fail("packages: an empty list wrote something", img.dockerfile());
        return;
    }
    auto line = appended_line(img);
    std::string_view head =
        apt ? "RUN apt-get update && apt-get install -y " : "RUN python -m pip install ";
    std::string_view tail = apt ? " && rm -rf /var/lib/apt/lists/*" : "";
    if (line.substr(0, head.size()) != head || line.size() < head.size() + tail.size() ||
        line.substr(line.size() - tail.size()) != tail)
        fail("packages: unexpected line", line);
    auto words = sh_words(line.substr(head.size(), line.size() - head.size() - tail.size()));
    if (!words) fail("packages: a shell would interpret part of the line", line);
    auto expected = pkgs;
    if (!apt) {  // pip_install sorts; compare as multisets
        std::sort(expected.begin(), expected.end());
        std::sort(words->begin(), words->end());
    }
    if (*words != expected) fail("packages: the names do not read back", line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    int what = in.ConsumeIntegralInRange(0, 7);
    auto list = [&] {
        std::vector<std::string> v(in.ConsumeIntegralInRange(0, 5));
        for (auto& s : v)
            s = in.ConsumeRandomLengthString(64);
        return v;
    };
    switch (what) {
        case 0: {
            std::string key = in.ConsumeRandomLengthString(16);
            check_env(key, in.ConsumeRemainingBytesAsString());
            break;
        }
        case 1: {
            // A valid key, so that every value gets through to the parse-back.
            check_env("K", in.ConsumeRemainingBytesAsString());
            break;
        }
        case 2:
            check_workdir(in.ConsumeRemainingBytesAsString());
            break;
        case 3:
            check_user(in.ConsumeRemainingBytesAsString());
            break;
        case 4:
        case 5:
            check_exec(list(), what == 4 ? 0 : in.ConsumeIntegralInRange(1, 2));
            break;
        case 6:
            check_packages(list(), true);
            break;
        default:
            check_packages(list(), false);
            break;
    }
    return 0;
}
