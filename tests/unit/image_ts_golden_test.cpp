// SPDX-License-Identifier: Apache-2.0
// daytona::image against the official TypeScript SDK: hundreds of random chains from a fixed
// seed, run through `Image` of @daytonaio/sdk 0.218 by tests/image/ts_image_oracle.mjs, must
// give byte-identical Dockerfiles and context entries; context hashes must equal the SDK's.
//
// Needs `node` on PATH and `npm ci` in tests/conformance. Either missing is a failure, never a
// skip. The sources are found through the compile definition DAYTONA_SOURCE_DIR (the repository
// root), or else relative to this file's path. DAYTONA_NODE may name the node executable
// (default "node"); the environment variable DAYTONA_IMAGE_GOLDEN_SEED overrides the seed.
#include <daytona/image.hpp>

#include <gtest/gtest.h>

#include "text_files.hpp"

#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dt = daytona;
namespace fs = std::filesystem;

namespace {

#ifndef DAYTONA_NODE
#define DAYTONA_NODE "node"
#endif

fs::path source_dir() {
#ifdef DAYTONA_SOURCE_DIR
    return fs::path(DAYTONA_SOURCE_DIR);
#else
    // tests/unit/image_ts_golden_test.cpp -> the repository root.
    return fs::absolute(fs::path(__FILE__)).parent_path().parent_path().parent_path();
#endif
}

// ---- small helpers ---------------------------------------------------------------------------

void json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += ch;
        }
    }
    out += '"';
}

std::string json_list(const std::vector<std::string>& xs) {
    std::string out = "[";
    for (std::size_t i = 0; i < xs.size(); ++i) {
        if (i) out += ',';
        json_string(out, xs[i]);
    }
    return out + "]";
}

std::string json_str(std::string_view s) {
    std::string out;
    json_string(out, s);
    return out;
}

std::string unhex(std::string_view h) {
    std::string out;
    auto v = [](char c) {
        return c <= '9' ? c - '0' : c - 'a' + 10;
    };
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        out += static_cast<char>(v(h[i]) * 16 + v(h[i + 1]));
    return out;
}

/// Makes control and non-ASCII bytes visible in failure messages.
std::string visible(std::string_view s) {
    std::string out;
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (c == '\n') {
            out += "\\n\n";
        } else if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += ch;
        }
    }
    return out;
}

struct run_output {
    int status = -1;
    std::string out;
    std::string err;
};

run_output run_command(const std::string& command, const fs::path& err_file) {
    run_output r;
    std::FILE* p = ::popen((command + " 2>'" + err_file.string() + "'").c_str(), "r");
    if (p == nullptr) return r;
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        r.out.append(buf, n);
    int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    std::ifstream in(err_file, std::ios::binary);
    r.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return r;
}

/// Sets HOME for the lifetime of the object (both the builder and node expand `~` with it).
class scoped_home {
public:
    explicit scoped_home(const fs::path& home) {
        if (const char* old = std::getenv("HOME")) old_ = old;
        ::setenv("HOME", home.c_str(), 1);
    }
    ~scoped_home() {
        if (old_)
            ::setenv("HOME", old_->c_str(), 1);
        else
            ::unsetenv("HOME");
    }
    scoped_home(const scoped_home&) = delete;
    scoped_home& operator=(const scoped_home&) = delete;

private:
    std::optional<std::string> old_;
};

// ---- the oracle --------------------------------------------------------------------------------

struct ts_chain_result {
    bool ok = false;
    std::string dockerfile;  // or the error message
    std::vector<dt::context_entry> context;
};

struct ts_results {
    std::vector<ts_chain_result> chains;
    std::vector<std::pair<bool, std::string>> hashes;  // ok, hash or message
};

/// Runs the oracle; a non-empty string is the reason it could not run (a test failure).
std::string run_oracle(const fs::path& work, const std::string& input_json, ts_results& res) {
    fs::path script = source_dir() / "tests" / "image" / "ts_image_oracle.mjs";
    if (!fs::exists(script)) return "oracle script not found at " + script.string();
    auto version = run_command(std::string(DAYTONA_NODE) + " --version", work / "node.err");
    if (version.status != 0)
        return "Node.js is required for the golden test against the TypeScript SDK, but `" +
               std::string(DAYTONA_NODE) + " --version` failed (status " +
               std::to_string(version.status) + "): " + version.err;
    fs::path input = work / "oracle-input.json";
    daytona_test::write_file(input, input_json);
    auto r = run_command(
        std::string(DAYTONA_NODE) + " '" + script.string() + "' '" + input.string() + "'",
        work / "oracle.err");
    if (r.status != 0)
        return "the oracle failed (status " + std::to_string(r.status) + "): " + r.err +
               "\n(does tests/conformance/node_modules exist? run `npm ci` in tests/conformance)";
    std::istringstream lines(r.out);
    std::string line;
    bool ended = false;
    while (std::getline(lines, line)) {
        std::istringstream f(line);
        std::string tag;
        f >> tag;
        if (tag == "CHAIN") {
            std::size_t i;
            std::string status, payload;
            f >> i >> status >> payload;
            ts_chain_result c;
            c.ok = status == "OK";
            c.dockerfile = unhex(payload);
            std::size_t n = 0;
            if (c.ok) f >> n;
            for (std::size_t k = 0; k < n && std::getline(lines, line); ++k) {
                std::istringstream g(line);
                std::string ctx, src, arc;
                g >> ctx >> src >> arc;
                c.context.push_back({unhex(src), unhex(arc)});
            }
            if (res.chains.size() != i) return "the oracle's output is out of order";
            res.chains.push_back(std::move(c));
        } else if (tag == "HASH") {
            std::size_t i;
            std::string status, payload;
            f >> i >> status >> payload;
            res.hashes.emplace_back(status == "OK", status == "OK" ? payload : unhex(payload));
        } else if (tag == "END") {
            ended = true;
        }
    }
    if (!ended) return "the oracle's output has no END line: " + r.out.substr(0, 2000);
    return {};
}

// ---- random chains -----------------------------------------------------------------------------

struct op {
    std::string method;  // the C++ method, for error messages
    std::string json;    // the op for the oracle
    std::function<void(dt::image&)> apply;
};

struct chain {
    std::string start_json;
    std::function<dt::image()> start;
    std::vector<op> ops;
    std::optional<std::size_t> corrupted;  // index into ops of the one invalid call
};

std::string describe(const chain& c) {
    std::string s = "  " + c.start_json + "\n";
    for (std::size_t i = 0; i < c.ops.size(); ++i)
        s += "  " + c.ops[i].json + (c.corrupted == i ? "   <- invalid on purpose" : "") + "\n";
    return s;
}

class generator {
public:
    explicit generator(std::uint64_t seed) : rng_(seed) {}

    std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
    bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }

    /// A string from an alphabet rich in what quoting has to handle: shell metacharacters,
    /// quotes, '!', '\', ':', whitespace of every kind, control and non-ASCII characters.
    std::string text(std::size_t max_len, std::string_view exclude = {}) {
        static const std::vector<std::string> pieces = {
            "a",
            "b",
            "z",
            "A",
            "Q",
            "0",
            "7",
            "_",
            "-",
            ".",
            "/",
            "%",
            "+",
            "x",
            " ",
            " ",
            "\t",
            "'",
            "\"",
            "!",
            "\\",
            ":",
            ":",
            "$",
            "`",
            "#",
            "&",
            "(",
            ")",
            "*",
            ",",
            ";",
            "<",
            "=",
            ">",
            "?",
            "@",
            "[",
            "]",
            "^",
            "{",
            "|",
            "}",
            "~",
            "\xc3\xa9",          // é
            "\xc3\x9f",          // ß
            "\xe4\xb8\xad",      // 中
            "\xf0\x9f\x98\x80",  // 😀 (outside the BMP: UTF-16 order differs)
            "\xef\xbf\xbd",      // U+FFFD
            "\xc2\xa0",          // U+00A0
            "\xe2\x80\xa8",      // U+2028
            "\xe2\x80\xa9",      // U+2029
            "\xe3\x80\x80",      // U+3000
            "\xef\xbb\xbf",      // U+FEFF
            "\xe1\x9a\x80",      // U+1680
            "\xe2\x80\xaf",      // U+202F
            "\xc2\x85",          // U+0085
            "\v",
            "\f",
            "\x01",
            "\x7f",
            "C:",
            "https://",
            "it's",
            "say \"hi\"",
            "a\\b",
            "${X}",
            "$HOME",
            "numpy>=1.0",
            "pkg[extra]",
            "!!",
            "''"};
        std::size_t len = below(max_len + 1);
        std::string s;
        for (std::size_t i = 0; i < len; ++i) {
            const std::string& p = pieces[below(pieces.size())];
            if (p.find_first_of(exclude) != std::string::npos) continue;
            s += p;
        }
        return s;
    }
    std::string word(std::size_t max_len) {
        static constexpr std::string_view chars =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
        std::string s(1, chars[below(52)]);
        for (std::size_t i = below(max_len); i > 0; --i)
            s += chars[below(chars.size())];
        return s;
    }
    std::vector<std::string> texts(std::size_t max_n, std::size_t max_len,
                                   std::string_view exclude = {}) {
        std::vector<std::string> v(below(max_n + 1));
        for (auto& s : v)
            s = text(max_len, exclude);
        return v;
    }

private:
    std::mt19937_64 rng_;
};

/// Puts a line break or a NUL into one of the strings.
void corrupt(generator& g, std::string& s, bool nul_only) {
    std::string bad = nul_only ? std::string(1, '\0') : (g.chance(50) ? "\n" : "\r");
    if (!nul_only && g.chance(20)) bad = std::string(1, '\0');
    s.insert(g.below(s.size() + 1), bad);
}

struct fixture_paths {
    fs::path home;
    std::string req, pyproject1, pyproject2, pyproject3, df, df_nonl, df_dir, ctx_dir;
    std::vector<std::string> files;  // "~/…" or absolute
    std::vector<std::string> dirs;
};

std::string pip_json(const dt::pip_options& o) {
    return std::string("{\"find_links\":") + json_list(o.find_links) +
           ",\"index_url\":" + json_str(o.index_url) +
           ",\"extra_index_urls\":" + json_list(o.extra_index_urls) +
           ",\"pre\":" + (o.pre ? "true" : "false") +
           ",\"extra_options\":" + json_str(o.extra_options) + "}";
}

dt::pip_options random_pip(generator& g) {
    dt::pip_options o;
    if (g.chance(30)) o.find_links = g.texts(2, 6);
    if (g.chance(30)) o.index_url = g.chance(50) ? "https://x/simple" : g.text(8);
    if (g.chance(20)) o.extra_index_urls = g.texts(2, 6);
    o.pre = g.chance(25);
    if (g.chance(20)) {
        // Verbatim text: no line breaks, never a trailing backslash.
        o.extra_options = g.chance(20) ? std::string(" \t ") : "--" + g.text(6, "\n\r") + "x ";
    }
    return o;
}

/// One random operation. With `bad`, one of its strings is made invalid (returns false when
/// this operation has nothing that can be made invalid).
bool random_op(generator& g, const fixture_paths& fx, op& o, bool bad) {
    switch (g.below(18)) {
        case 0: {
            auto pkgs = g.texts(4, 8);
            for (auto& p : pkgs)
                if (p.empty()) p = "pkg";
            if (bad) {
                if (pkgs.empty()) return false;
                corrupt(g, pkgs[g.below(pkgs.size())], false);
            }
            o = {"apt_get", "[\"apt_get\"," + json_list(pkgs) + "]", [pkgs](dt::image& i) {
                     i.apt_get(pkgs);
                 }};
            return true;
        }
        case 1:
        case 2: {
            auto pkgs = g.texts(5, 8);
            if (g.chance(30)) {
                // Sorting is by UTF-16 code units: U+FFFD and U+FEFF sort after an emoji there,
                // before it in UTF-8 byte order.
                pkgs.push_back("\xef\xbf\xbd" + g.word(2));
                pkgs.push_back("\xf0\x9f\x98\x80" + g.word(2));
                pkgs.push_back("\xef\xbb\xbf" + g.word(2));
            }
            auto opts = random_pip(g);
            if (bad) {
                if (pkgs.empty()) return false;
                corrupt(g, pkgs[g.below(pkgs.size())], false);
            }
            o = {"pip_install", "[\"pip_install\"," + json_list(pkgs) + "," + pip_json(opts) + "]",
                 [pkgs, opts](dt::image& i) {
                     i.pip_install(pkgs, opts);
                 }};
            return true;
        }
        case 3: {
            // Shell form: verbatim, so no line breaks, no heredoc, no trailing backslash.
            std::string cmd = "echo " + g.text(12, "\n\r<") + "x";
            if (bad) corrupt(g, cmd, false);
            o = {"run", "[\"run\"," + json_str(cmd) + "]", [cmd](dt::image& i) {
                     i.run(cmd);
                 }};
            return true;
        }
        case 4: {
            auto argv = g.texts(4, 10);
            argv.insert(argv.begin(), g.chance(50) ? "bash" : g.text(5));
            if (g.chance(30)) argv.push_back("line\nbreak");  // allowed: JSON-escaped
            if (bad) corrupt(g, argv[g.below(argv.size())], true);
            o = {"run", "[\"run_exec\"," + json_list(argv) + "]", [argv](dt::image& i) {
                     i.run(argv);
                 }};
            return true;
        }
        case 5: {
            std::vector<std::string> cmds(1 + g.below(3));
            for (auto& c : cmds)
                c = "echo " + g.text(8, "\n\r<") + "y";
            if (bad) corrupt(g, cmds[g.below(cmds.size())], false);
            o = {"run_commands", "[\"run_commands\"," + json_list(cmds) + "]",
                 [cmds](dt::image& i) {
                     i.run_commands(cmds);
                 }};
            return true;
        }
        case 6: {
            std::string p = g.text(10);
            if (p.empty()) p = "/w";
            if (bad) corrupt(g, p, false);
            o = {"workdir", "[\"workdir\"," + json_str(p) + "]", [p](dt::image& i) {
                     i.workdir(p);
                 }};
            return true;
        }
        case 7:
        case 8: {
            std::vector<std::pair<std::string, std::string>> pairs(1 + g.below(3));
            for (auto& [k, v] : pairs) {
                k = g.word(6);
                v = g.text(12);
            }
            if (bad) corrupt(g, pairs[g.below(pairs.size())].second, false);
            std::string j = "[\"env\",[";
            for (std::size_t k = 0; k < pairs.size(); ++k)
                j += (k ? ",[" : "[") + json_str(pairs[k].first) + "," + json_str(pairs[k].second) +
                     "]";
            j += "]]";
            if (pairs.size() == 1)
                o = {"env", j, [pairs](dt::image& i) {
                         i.env(pairs[0].first, pairs[0].second);
                     }};
            else
                o = {"env", j, [pairs](dt::image& i) {
                         i.env(pairs);
                     }};
            return true;
        }
        case 9:
        case 10: {
            bool entry = g.chance(50);
            auto argv = g.texts(3, 10);
            if (g.chance(10)) argv.push_back("tab\there\nnewline");
            if (bad) {
                if (argv.empty()) return false;
                corrupt(g, argv[g.below(argv.size())], true);
            }
            std::string name = entry ? "entrypoint" : "cmd";
            o = {name, "[\"" + name + "\"," + json_list(argv) + "]", [argv, entry](dt::image& i) {
                     if (entry)
                         i.entrypoint(argv);
                     else
                         i.cmd(argv);
                 }};
            return true;
        }
        case 11: {
            static constexpr std::string_view chars = "abcdefxyz0123456789_-.:";
            std::string u(1, 'u');
            for (std::size_t k = g.below(8); k > 0; --k)
                u += chars[g.below(chars.size())];
            if (g.chance(20)) u += "\xc3\xa9";
            if (bad) corrupt(g, u, false);
            o = {"user", "[\"user\"," + json_str(u) + "]", [u](dt::image& i) {
                     i.user(u);
                 }};
            return true;
        }
        case 12: {
            std::vector<std::string> lines(1 + g.below(3));
            for (auto& l : lines)
                l = g.chance(50) ? "RUN echo " + g.text(8) : "LABEL x=" + g.text(6, "\n");
            if (bad) corrupt(g, lines[g.below(lines.size())], true);
            o = {"dockerfile_commands", "[\"dockerfile_commands\"," + json_list(lines) + ",\"\"]",
                 [lines](dt::image& i) {
                     i.dockerfile_commands(lines);
                 }};
            return true;
        }
        case 13: {
            const std::string& f = fx.files[g.below(fx.files.size())];
            std::string remote = g.chance(50) ? "/app/" : "/app/" + g.word(5) + ".txt";
            if (bad) corrupt(g, remote, false);
            o = {"add_local_file",
                 "[\"add_local_file\"," + json_str(f) + "," + json_str(remote) + "]",
                 [f, remote](dt::image& i) {
                     i.add_local_file(f, remote);
                 }};
            return true;
        }
        case 14: {
            if (bad) return false;
            const std::string& d = fx.dirs[g.below(fx.dirs.size())];
            std::string remote = "/srv/" + g.word(4);
            o = {"add_local_dir",
                 "[\"add_local_dir\"," + json_str(d) + "," + json_str(remote) + "]",
                 [d, remote](dt::image& i) {
                     i.add_local_dir(d, remote);
                 }};
            return true;
        }
        case 15: {
            if (bad) return false;
            auto opts = random_pip(g);
            std::string path = fx.req;
            o = {
                "pip_install_from_requirements",
                "[\"pip_install_from_requirements\"," + json_str(path) + "," + pip_json(opts) + "]",
                [path, opts](dt::image& i) {
                    i.pip_install_from_requirements(path, opts);
                }};
            return true;
        }
        case 16: {
            if (bad) return false;
            const std::string& path =
                g.chance(40) ? fx.pyproject1 : (g.chance(50) ? fx.pyproject2 : fx.pyproject3);
            std::vector<std::string> groups;
            for (const char* grp : {"dev", "docs", "extra", "g", "missing"})
                if (g.chance(40)) groups.push_back(grp);
            auto opts = random_pip(g);
            o = {"pip_install_from_pyproject",
                 "[\"pip_install_from_pyproject\"," + json_str(path) + "," + json_list(groups) +
                     "," + pip_json(opts) + "]",
                 [path, groups, opts](dt::image& i) {
                     i.pip_install_from_pyproject(path, groups, opts);
                 }};
            return true;
        }
        default: {
            if (bad) return false;
            // COPY lines against an explicit (absolute) context directory.
            std::vector<std::string> lines = {"COPY a.txt /a.txt", "RUN true",
                                              "COPY [\"sub/*.py\", \"/py/\"]", "COPY dir /dir"};
            lines.resize(1 + g.below(lines.size()));
            std::string ctx = fx.ctx_dir;
            o = {"dockerfile_commands",
                 "[\"dockerfile_commands\"," + json_list(lines) + "," + json_str(ctx) + "]",
                 [lines, ctx](dt::image& i) {
                     i.dockerfile_commands(lines, ctx);
                 }};
            return true;
        }
    }
}

chain random_chain(generator& g, const fixture_paths& fx, bool with_invalid) {
    chain c;
    switch (g.below(10)) {
        case 0:
        case 1:
        case 2: {
            static const char* versions[] = {"", "3.9", "3.10", "3.11", "3.12", "3.13"};
            std::string v = versions[g.below(6)];
            c.start_json = "[\"debian_slim\"," + json_str(v) + "]";
            c.start = [v] {
                return dt::image::debian_slim(v);
            };
            break;
        }
        case 3: {
            std::string path = g.chance(50) ? fx.df : fx.df_nonl;
            c.start_json = "[\"from_dockerfile\"," + json_str(path) + "]";
            c.start = [path] {
                return dt::image::from_dockerfile(path);
            };
            break;
        }
        default: {
            std::string ref = g.chance(60) ? "node:20-slim" : "r" + g.text(10, "\n\r") + "x";
            c.start_json = "[\"base\"," + json_str(ref) + "]";
            c.start = [ref] {
                return dt::image::base(ref);
            };
        }
    }
    std::size_t n = 1 + g.below(10);
    std::size_t bad_at = with_invalid ? g.below(n) : n;
    for (std::size_t i = 0; i < n; ++i) {
        op o;
        if (i == bad_at) {
            while (!random_op(g, fx, o, true)) {
            }
            c.corrupted = i;
        } else {
            random_op(g, fx, o, false);
        }
        c.ops.push_back(std::move(o));
    }
    return c;
}

// ---- fixtures ----------------------------------------------------------------------------------

fixture_paths make_fixtures(const fs::path& root) {
    fixture_paths fx;
    fx.home = root / "home";
    const fs::path& h = fx.home;
    daytona_test::write_file(h / "req.txt", "numpy\npandas>=2\n");
    daytona_test::write_file(h / "ctx" / "a.txt", "alpha\n");
    daytona_test::write_file(h / "ctx" / "sub" / "b.py", "print('b')\n");
    daytona_test::write_file(h / "ctx" / "sub" / "deeper" / "c.py", "print('c')\n");
    daytona_test::write_file(h / "ctx" / ".hidden", "h");
    fs::create_directories(h / "ctx" / "empty");
    daytona_test::write_file(h / "notes.md", "# notes\n");
    daytona_test::write_file(h / "pyproject1.toml", R"([build-system]
requires = ["setuptools>=61"]

[project]
name = "demo"
version = "1.0"
# a comment
dependencies = [
  "numpy>=1.26",  # trailing comment
  'pandas[excel] ; python_version >= "3.9"',
  "requests",
  "zeta",
  "Alpha",
]

[project.optional-dependencies]
dev = ["pytest>=8", "black"]
"docs" = ['sphinx', "furo"]
)");
    daytona_test::write_file(h / "pyproject2.toml",
                             "[project]\n"
                             "dependencies = [\"tqdm\", \"rich \\u00e9\", \"\"\"multi\"\"\", "
                             "'''lit'''] # c\n"
                             "optional-dependencies = { extra = [\"httpx\"], other = [\"z\"] }\n");
    daytona_test::write_file(h / "pyproject3.toml",
                             "[project]\n"
                             "optional-dependencies.g = [\"c>1\", \"\\U0001F600pkg\"]\n"
                             "dependencies = [\"a\", 'b']\n"
                             "[tool.other]\nx = 1\n");
    // Dockerfiles whose COPY sources become context entries.
    const fs::path df = h / "df";
    daytona_test::write_file(df / "a.txt", "a");
    daytona_test::write_file(df / "b.txt", "b");
    daytona_test::write_file(df / "quoted name.txt", "q");
    daytona_test::write_file(df / "sub" / "x.py", "x");
    daytona_test::write_file(df / "sub" / "y.py", "y");
    daytona_test::write_file(df / "sub" / "z.txt", "z");
    daytona_test::write_file(df / "dir" / "inner" / "f.txt", "f");
    daytona_test::write_file(df / "Dockerfile", R"(FROM python:3.12
# COPY nothing.txt /comment
COPY a.txt /app/
COPY --chown=1000:1000 sub/x.py /app/x.py
COPY ["sub/*.py", "/app/py/"]
copy ./[ab].txt /x/
COPY --from=builder /x /y
COPY <<EOF /etc/conf
hello
EOF
COPY "quoted name.txt" \
     missing.txt /app/
COPY dir /app/dir
COPY $VAR /app/var
RUN echo done
)");
    daytona_test::write_file(df / "Dockerfile.nonl", "FROM alpine\nCOPY a.txt /a.txt\nWORKDIR /x");
    fx.req = "~/req.txt";
    fx.pyproject1 = "~/pyproject1.toml";
    fx.pyproject2 = (h / "pyproject2.toml").string();
    fx.pyproject3 = "~/pyproject3.toml";
    fx.df = "~/df/Dockerfile";
    fx.df_nonl = (df / "Dockerfile.nonl").string();
    fx.ctx_dir = df.string();
    fx.files = {"~/req.txt", (h / "ctx" / "a.txt").string(), "~/ctx/sub/b.py", "~/notes.md"};
    fx.dirs = {"~/ctx", (h / "ctx" / "sub").string(), "~/ctx/empty"};
    return fx;
}

/// Directories and files for the hash comparison: names created out of order (so that the
/// listing order differs from byte order), nesting, empty directories, links, binary content.
std::vector<dt::context_entry> make_hash_cases(const fs::path& root) {
    const fs::path t = root / "hashes";
    std::vector<std::string> names = {"zeta", "b",     "a",        "Q",        "_x",
                                      "10",   "9",     "\xc3\xa9", "\xc3\xa4", "with space",
                                      ".dot", "A-b.c", "m"};
    for (std::size_t i = 0; i < names.size(); ++i)
        daytona_test::write_file(t / "tree" / names[i],
                                 "content of " + names[i] + std::string(i, '!'));
    for (int i = 0; i < 40; ++i)
        daytona_test::write_file(t / "tree" / "many" / ("f" + std::to_string((i * 7919) % 97)),
                                 std::to_string(i));
    daytona_test::write_file(t / "tree" / "sub" / "deep" / "deeper" / "leaf.txt", "leaf");
    fs::create_directories(t / "tree" / "sub" / "empty");
    fs::create_directories(t / "tree" / "onlylink");
    fs::create_symlink(t / "tree" / "a", t / "tree" / "onlylink" / "ln");
    fs::create_symlink(t / "tree" / "sub", t / "tree" / "dirlink");
    std::string binary;
    for (int i = 0; i < 256; ++i)
        binary += static_cast<char>(i);
    daytona_test::write_file(t / "tree" / "bin" / "all-bytes", binary);
    std::string big;
    for (int i = 0; i < 300000; ++i)
        big += static_cast<char>('a' + (i * 31 + i / 7) % 26);
    daytona_test::write_file(t / "big.bin", big);
    daytona_test::write_file(t / "empty-file", "");
    fs::create_directories(t / "emptydir");
    fs::create_symlink(t / "tree", t / "treelink");

    std::string tree = (t / "tree").string();
    std::string rel = fs::relative(t / "tree", fs::current_path()).string();
    return {
        {tree, tree},
        {tree, "tree"},
        {tree + "/", "ctx"},
        {rel, rel},
        {(t / "tree" / "sub").string(), "sub"},
        {(t / "big.bin").string(), (t / "big.bin").string()},
        {(t / "big.bin").string(), ""},
        {(t / "empty-file").string(), "empty-file"},
        {(t / "emptydir").string(), "emptydir"},
        {(t / "treelink").string(), "treelink"},
        {(t / "tree" / "bin" / "all-bytes").string(), "\xc3\xa9/x y"},
        {(t / "tree" / "onlylink").string(), "onlylink"},
    };
}

class ImageTsGolden : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("daytona-image-golden-" + std::to_string(::getpid()));
        fs::remove_all(root_);
        fs::create_directories(root_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(root_, ec);
    }
    fs::path root_;
};

TEST_F(ImageTsGolden, RandomChainsMatchTheTypeScriptSdkByteForByte) {
    std::uint64_t seed = 0x0DA7'0218'2025'0011ull;
    if (const char* s = std::getenv("DAYTONA_IMAGE_GOLDEN_SEED"))
        seed = std::strtoull(s, nullptr, 0);
    constexpr std::size_t chain_count = 800;

    fixture_paths fx = make_fixtures(root_);
    scoped_home home(fx.home);
    generator g(seed);

    std::vector<chain> chains;
    for (std::size_t i = 0; i < chain_count; ++i)
        chains.push_back(random_chain(g, fx, g.chance(12)));
    auto hash_cases = make_hash_cases(root_);

    // What the C++ builder makes of each chain.
    struct cpp_result {
        dt::image img;
        dt::result<void> valid;
    };
    std::vector<cpp_result> cpp;
    std::set<std::pair<std::string, std::string>> entries;
    for (const auto& c : chains) {
        dt::image img = c.start();
        for (const auto& o : c.ops)
            o.apply(img);
        auto v = img.validate();
        for (const auto& e : img.context())
            entries.insert({e.source_path, e.archive_path});
        cpp.push_back({std::move(img), std::move(v)});
    }
    for (const auto& [s, a] : entries)
        hash_cases.push_back({s, a});

    // The oracle sees every chain without its deliberately invalid call.
    std::string input = "{\"chains\":[";
    for (std::size_t i = 0; i < chains.size(); ++i) {
        input += i ? ",[" : "[";
        input += chains[i].start_json;
        for (std::size_t k = 0; k < chains[i].ops.size(); ++k)
            if (chains[i].corrupted != k) input += "," + chains[i].ops[k].json;
        input += "]";
    }
    input += "],\"hashes\":[";
    for (std::size_t i = 0; i < hash_cases.size(); ++i)
        input += (i ? "," : "") + std::string("{\"source\":") +
                 json_str(hash_cases[i].source_path) +
                 ",\"archive\":" + json_str(hash_cases[i].archive_path) + "}";
    input += "]}";

    ts_results ts;
    std::string why = run_oracle(root_, input, ts);
    ASSERT_TRUE(why.empty()) << why;
    ASSERT_EQ(ts.chains.size(), chains.size());
    ASSERT_EQ(ts.hashes.size(), hash_cases.size());

    std::size_t compared = 0, invalid_checked = 0, mismatches = 0;
    for (std::size_t i = 0; i < chains.size(); ++i) {
        const auto& c = chains[i];
        const auto& mine = cpp[i];
        const auto& theirs = ts.chains[i];
        std::string problem;
        if (!theirs.ok) {
            problem = "the TypeScript SDK threw: " + theirs.dockerfile;
        } else if (c.corrupted) {
            if (mine.valid)
                problem = "validate() accepted the invalid call";
            else if (mine.valid.error() != dt::errc::invalid_argument ||
                     mine.valid.error().message().find("image::" + c.ops[*c.corrupted].method) ==
                         std::string::npos)
                problem = "validate() gave an unexpected error: " + mine.valid.error().to_string();
        } else if (!mine.valid) {
            problem = "validate() refused a valid chain: " + mine.valid.error().to_string();
        }
        if (problem.empty() && mine.img.dockerfile() != theirs.dockerfile)
            problem = "the Dockerfiles differ";
        if (problem.empty() && mine.img.context() != theirs.context)
            problem = "the context entries differ";
        if (!problem.empty()) {
            if (mismatches++ == 0) {
                std::string ctx_mine, ctx_ts;
                for (const auto& e : mine.img.context())
                    ctx_mine += "  " + e.source_path + " -> " + e.archive_path + "\n";
                for (const auto& e : theirs.context)
                    ctx_ts += "  " + e.source_path + " -> " + e.archive_path + "\n";
                ADD_FAILURE() << "chain " << i << " (seed " << seed << "): " << problem
                              << "\nops:\n"
                              << describe(c) << "--- C++ ---\n"
                              << visible(mine.img.dockerfile()) << "\n--- TypeScript SDK ---\n"
                              << visible(theirs.dockerfile) << "\n--- C++ context ---\n"
                              << ctx_mine << "--- TypeScript context ---\n"
                              << ctx_ts;
            }
            continue;
        }
        ++compared;
        if (c.corrupted) ++invalid_checked;
    }
    EXPECT_EQ(mismatches, 0u) << mismatches << " of " << chains.size() << " chains differ";

    std::size_t hashed = 0;
    for (std::size_t i = 0; i < hash_cases.size(); ++i) {
        auto mine = dt::context_hash(hash_cases[i]);
        const auto& [ok, theirs] = ts.hashes[i];
        if (!ok) {
            EXPECT_FALSE(mine.has_value())
                << "the SDK could not hash " << hash_cases[i].source_path << ": " << theirs;
            continue;
        }
        ASSERT_TRUE(mine.has_value()) << hash_cases[i].source_path << ": " << mine.error();
        EXPECT_EQ(*mine, theirs) << "context hash of " << hash_cases[i].source_path << " as '"
                                 << hash_cases[i].archive_path << "'";
        ++hashed;
    }
    EXPECT_GE(hashed, 12u);
    std::printf(
        "[ golden  ] %zu random chains compared byte for byte (%zu with an invalid call "
        "refused), %zu context hashes compared\n",
        compared, invalid_checked, hashed);
    EXPECT_GE(compared, 700u);
    EXPECT_GE(invalid_checked, 50u);
}

}  // namespace
