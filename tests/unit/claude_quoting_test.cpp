// SPDX-License-Identifier: Apache-2.0
// Property test of claude::pipe_command: random prompts and option values, run by the real bash
// and dash, reach a stand-in `claude` byte for byte (stdin) and element for element (argv).
//
// Each shell runs every case twice: through `sh -c <batch>` (batches under the 128 KiB a single
// argv string may have on Linux), and as the toolbox daemon runs commands, with the text written
// to the stdin of a shell started without arguments (no size limit: the 1 MiB prompt goes there).
// A missing shell is a failure, not a skip. DAYTONA_QUOTING_CASES and DAYTONA_QUOTING_SEED
// change the number of random cases (default 2000) and the seed.
#include <daytona/claude.hpp>

#include <gtest/gtest.h>

#include "text_files.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace dt = daytona;
namespace claude = dt::claude;
namespace fs = std::filesystem;

namespace {

// --- processes and files ---------------------------------------------------------------------

std::string find_program(std::string_view name) {
    std::string path = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
    path += ":/usr/bin:/bin";
    std::istringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
        if (dir.empty()) continue;
        const auto candidate = fs::path(dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    return {};
}

class temp_dir {
public:
    temp_dir() {
        std::string templ = (fs::temp_directory_path() / "daytona-claude-quoting-XXXXXX").string();
        if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = templ;
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const fs::path& path() const noexcept { return path_; }

private:
    fs::path path_;
};

std::optional<std::string> read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct run_outcome {
    int status = -1;     // exit status, or -1 when the process did not exit normally
    std::string output;  // stdout and stderr
};

/// Runs argv with `env`, `stdin_text` (if any) written to its stdin through a pipe, and its
/// stdout and stderr captured.
run_outcome run(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                const std::optional<std::string>& stdin_text, const fs::path& output) {
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<char*> envp;
    for (const auto& e : env)
        envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);

    int fds[2] = {-1, -1};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (stdin_text) {
        if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        posix_spawn_file_actions_addclose(&actions, fds[1]);
    } else {
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    }
    posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = -1;
    const int rc =
        ::posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    run_outcome out;
    if (rc != 0) {
        out.output = "posix_spawn: " + std::string(std::strerror(rc));
        if (stdin_text) {
            ::close(fds[0]);
            ::close(fds[1]);
        }
        return out;
    }
    if (stdin_text) {
        ::close(fds[0]);
        const char* p = stdin_text->data();
        std::size_t left = stdin_text->size();
        while (left > 0) {
            const auto n = ::write(fds[1], p, left);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;  // the shell stopped reading; its output will say why
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        ::close(fds[1]);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    out.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    out.output = read_file(output).value_or("");
    return out;
}

// --- expected argv, written out independently of the library --------------------------------

std::vector<std::string> expected_argv(const claude::options& o) {
    std::vector<std::string> a{"-p", "--output-format"};
    switch (o.output_format) {
        case claude::output_format::json:
            a.push_back("json");
            break;
        case claude::output_format::text:
            a.push_back("text");
            break;
        case claude::output_format::stream_json:
            a.push_back("stream-json");
            a.push_back("--verbose");
            break;
    }
    if (o.model) a.insert(a.end(), {"--model", *o.model});
    if (o.continue_session) a.push_back("--continue");
    if (o.resume) a.push_back("--resume=" + *o.resume);
    if (o.session_id) a.insert(a.end(), {"--session-id", *o.session_id});
    if (o.system_prompt) a.insert(a.end(), {"--system-prompt", *o.system_prompt});
    if (o.append_system_prompt)
        a.insert(a.end(), {"--append-system-prompt", *o.append_system_prompt});
    for (const auto& t : o.allowed_tools)
        a.push_back("--allowedTools=" + t);
    for (const auto& t : o.disallowed_tools)
        a.push_back("--disallowedTools=" + t);
    if (o.max_turns) a.insert(a.end(), {"--max-turns", std::to_string(*o.max_turns)});
    if (o.permission_mode) a.insert(a.end(), {"--permission-mode", *o.permission_mode});
    if (o.skip_permissions) a.push_back("--dangerously-skip-permissions");
    for (const auto& d : o.add_dirs)
        a.push_back("--add-dir=" + d);
    if (o.settings) a.insert(a.end(), {"--settings", *o.settings});
    for (const auto& c : o.mcp_config)
        a.push_back("--mcp-config=" + c);
    a.insert(a.end(), o.extra_args.begin(), o.extra_args.end());
    return a;
}

std::string nul_joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) {
        out += s;
        out += '\0';
    }
    return out;
}

// --- random cases ----------------------------------------------------------------------------

using rng_t = std::mt19937_64;

std::size_t pick(rng_t& rng, std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
}

std::string random_bytes(rng_t& rng, std::size_t n) {
    std::string s(n, 'x');
    std::uniform_int_distribution<int> byte(1, 255);
    for (auto& c : s)
        c = static_cast<char>(byte(rng));
    return s;
}

// Tokens that break naive quoting in bash, dash, zsh, printf or echo.
const std::vector<std::string> hostile_tokens{"'",
                                              "\"",
                                              "`",
                                              "$",
                                              "\\",
                                              "$(id)",
                                              "${HOME}",
                                              "$HOME",
                                              "`id`",
                                              "'\\''",
                                              "\\'",
                                              "\"'\"",
                                              "!",
                                              "!!",
                                              "*",
                                              "?",
                                              "[a-z]",
                                              "{a,b}",
                                              "~",
                                              "~root",
                                              "#",
                                              "&",
                                              "&&",
                                              ";",
                                              "|",
                                              "||",
                                              "<",
                                              ">",
                                              ">>",
                                              "<<EOF",
                                              "(",
                                              ")",
                                              "=",
                                              "%s",
                                              "%d",
                                              "%%",
                                              "%b",
                                              "\\n",
                                              "\\c",
                                              "\\0101",
                                              "\\x41",
                                              "\\e",
                                              "-n",
                                              "-e",
                                              "-E",
                                              "-ne",
                                              "--",
                                              "-",
                                              "-p",
                                              "\n",
                                              "\r\n",
                                              "\t",
                                              " ",
                                              "  ",
                                              "EOF",
                                              "\x01",
                                              "\x7f",
                                              "\x81",
                                              "\x82",
                                              "\x83",
                                              "\x84",
                                              "\x85",
                                              "\x86",
                                              "\x87",
                                              "\x88",
                                              "\x89",
                                              "\x8a",
                                              "\xc0\x80",
                                              "\xed\xa0\x80",
                                              "\xf8\x88\x80\x80\x80",
                                              "\xff",
                                              "\xfe",
                                              "\x80",
                                              "\xe2\x82",
                                              "\xc3\xa9",
                                              "\xe2\x82\xac",
                                              "\xf0\x9f\x98\x80",
                                              "\xe2\x80\xa8",
                                              "\xc2\x85",
                                              "\x1b[31m",
                                              "\x04",
                                              "\x1a",
                                              "\b",
                                              "\f",
                                              "\v",
                                              "IFS=x",
                                              "set -e",
                                              "exit 1",
                                              "claude",
                                              "'$(rm -rf /)'",
                                              "; exit 3 #"};

std::string hostile_soup(rng_t& rng, std::size_t tokens) {
    static const std::string letters = "abcXYZ019 .,/";
    std::string s;
    for (std::size_t i = 0; i < tokens; ++i) {
        if (pick(rng, 3) == 0)
            s += letters[pick(rng, letters.size())];
        else
            s += hostile_tokens[pick(rng, hostile_tokens.size())];
    }
    return s;
}

std::string random_prompt(rng_t& rng) {
    switch (pick(rng, 10)) {
        case 0:
        case 1:
            return random_bytes(rng, pick(rng, 300));
        case 2:
        case 3:
        case 4:
            return hostile_soup(rng, pick(rng, 60));
        case 5: {  // what trips echo: options first, escapes after
            static const char* const starts[] = {"-n", "-e", "-E", "-ne", "-en", "--", "-", "-n "};
            return std::string(starts[pick(rng, 8)]) + (pick(rng, 2) ? " " : "") +
                   hostile_soup(rng, pick(rng, 10));
        }
        case 6: {  // several lines, ending in newlines or not
            std::string s;
            const auto n = pick(rng, 8);
            for (std::size_t i = 0; i < n; ++i)
                s += hostile_soup(rng, pick(rng, 6)) + (pick(rng, 4) ? "\n" : "\r\n");
            return s + std::string(pick(rng, 3), '\n');
        }
        case 7: {  // invalid and valid UTF-8 mixed with text
            static const char* const utf8[] = {"\xc0\x80",     "\xed\xa0\x80",    "\xff\xfe",
                                               "\x80",         "\xe2\x82",        "\xc3\xa9",
                                               "\xe4\xb8\xad", "\xf0\x9f\x98\x80"};
            std::string s;
            const auto n = pick(rng, 20);
            for (std::size_t i = 0; i < n; ++i)
                s += std::string(utf8[pick(rng, 8)]) + (pick(rng, 2) ? "text" : "");
            return s;
        }
        case 8:  // a few kilobytes
            return pick(rng, 2) ? random_bytes(rng, 1000 + pick(rng, 15000))
                                : hostile_soup(rng, 500 + pick(rng, 3000));
        default:
            return std::string(pick(rng, 4), '\'') + hostile_soup(rng, pick(rng, 8)) +
                   std::string(pick(rng, 4), '\'');
    }
}

std::string random_value(rng_t& rng) {
    static const std::vector<std::string> specials{"",
                                                   "'",
                                                   "=",
                                                   "=x",
                                                   "a=b",
                                                   "Bash(git log:*)",
                                                   "Bash(ls:*) Edit",
                                                   "Read,Write",
                                                   "~",
                                                   "~/x",
                                                   "$(id)",
                                                   "`id`",
                                                   "\\",
                                                   "\n",
                                                   " ",
                                                   "-n",
                                                   "-e",
                                                   "--",
                                                   "-",
                                                   "--model",
                                                   "-p",
                                                   "--verbose",
                                                   "-x y",
                                                   R"({"mcpServers":{}})",
                                                   "/workspace/my dir/"};
    switch (pick(rng, 5)) {
        case 0: {
            static const std::string safe =
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:";
            std::string s(1 + pick(rng, 12), 'x');
            for (auto& c : s)
                c = safe[pick(rng, safe.size())];
            return s;
        }
        case 1:
            return random_bytes(rng, pick(rng, 30));
        case 2:
            return hostile_soup(rng, pick(rng, 12));
        default:
            return specials[pick(rng, specials.size())];
    }
}

struct quoting_case {
    std::string prompt;
    claude::options options;
};

claude::options random_options(rng_t& rng, const std::string& odd_executable) {
    claude::options o;
    const auto maybe = [&](std::optional<std::string>& field) {
        if (pick(rng, 4) == 0) field = random_value(rng);
    };
    const auto some = [&](std::vector<std::string>& field) {
        if (pick(rng, 4) != 0) return;
        const auto n = 1 + pick(rng, 3);
        for (std::size_t i = 0; i < n; ++i)
            field.push_back(random_value(rng));
    };
    maybe(o.model);
    o.output_format = static_cast<claude::output_format>(pick(rng, 3));
    o.continue_session = pick(rng, 4) == 0;
    maybe(o.resume);
    maybe(o.session_id);
    maybe(o.system_prompt);
    maybe(o.append_system_prompt);
    some(o.allowed_tools);
    some(o.disallowed_tools);
    if (pick(rng, 4) == 0) {
        static const int extremes[] = {0, -1, 1, INT_MAX, INT_MIN, 20};
        o.max_turns = pick(rng, 2) ? extremes[pick(rng, 6)] : static_cast<int>(pick(rng, 1000));
    }
    maybe(o.permission_mode);
    o.skip_permissions = pick(rng, 4) == 0;
    some(o.add_dirs);
    maybe(o.settings);
    some(o.mcp_config);
    some(o.extra_args);
    maybe(o.cwd);
    if (pick(rng, 2) == 0) o.env["ANTHROPIC_API_KEY"] = "sk-ant-api03-" + std::to_string(rng());
    if (pick(rng, 10) == 0) o.executable = odd_executable;
    return o;
}

std::vector<quoting_case> make_cases(rng_t& rng, std::size_t random_count,
                                     const std::string& odd_executable) {
    std::vector<quoting_case> cases;
    // Fixed cases first: the edges everyone gets wrong, and the long ones.
    for (const char* p : {"",
                          "'",
                          "''",
                          "\\",
                          "\\\\",
                          "\n",
                          "\n\n\n",
                          "-n",
                          "-e",
                          "-n hello",
                          "-e a\\nb\\c",
                          "%s%d%%",
                          "$(echo pwned)",
                          "`echo pwned`",
                          "${PATH}",
                          "a'b\"c`d$e\\f",
                          "\r\n",
                          "EOF\nEOF",
                          "!! !$ ^x^y",
                          "*",
                          "~"})
        cases.push_back({p, {}});
    {
        std::string all;  // every byte 1..255, twice, in both directions
        for (int i = 1; i < 256; ++i)
            all += static_cast<char>(i);
        all += std::string(all.rbegin(), all.rend());
        cases.push_back({all, {}});
    }
    cases.push_back({random_bytes(rng, 1 << 20), random_options(rng, odd_executable)});
    cases.push_back({random_bytes(rng, 200 * 1024), random_options(rng, odd_executable)});
    cases.push_back({std::string(140 * 1024, '\''), {}});
    cases.push_back({hostile_soup(rng, 40000), random_options(rng, odd_executable)});
    for (std::size_t i = 0; i < random_count; ++i) {
        auto prompt = random_prompt(rng);
        cases.push_back({std::move(prompt), random_options(rng, odd_executable)});
    }
    return cases;
}

std::size_t env_size(const char* name, std::size_t fallback) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return fallback;
    return static_cast<std::size_t>(std::strtoull(v, nullptr, 10));
}

std::string hex_excerpt(std::string_view s, std::size_t at) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    const auto from = at > 8 ? at - 8 : 0;
    for (std::size_t i = from; i < s.size() && i < from + 24; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        out += hex[c >> 4];
        out += hex[c & 15];
        out += i + 1 == at ? '|' : ' ';
    }
    return out;
}

std::size_t first_difference(std::string_view a, std::string_view b) {
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i])
        ++i;
    return i;
}

// --- the harness -----------------------------------------------------------------------------

/// Everything the shells need: a stand-in claude first on PATH, recording into per-run dirs.
class harness {
public:
    harness() {
        bin_ = dir_.path() / "bin";
        odd_ = dir_.path() / "odd dir 'q' $x `y`";
        fs::create_directories(bin_);
        fs::create_directories(odd_);
        dash_ = find_program("dash");
        bash_ = find_program("bash");
        if (dash_.empty()) return;
        // The stand-in: argv (without $0) NUL-separated to <case>.argv, stdin to <case>.in.
        const std::string standin = "#!" + dash_ +
                                    "\n"
                                    "printf '%s\\0' \"$@\" >\"$DT_REC/$DT_CASE.argv\" || exit 98\n"
                                    "exec cat >\"$DT_REC/$DT_CASE.in\"\n";
        daytona_test::write_file(bin_ / "claude", standin, true);
        daytona_test::write_file(odd_ / "my claude", standin, true);
    }

    const std::string& bash() const { return bash_; }
    const std::string& dash() const { return dash_; }
    std::string odd_executable() const { return (odd_ / "my claude").string(); }

    /// What one run of the cases through a shell found.
    struct report {
        std::size_t ran = 0;
        std::vector<std::size_t> failed{};
        std::string details{};
        std::string shell_problems{};
    };

    /// Runs the cases through `shell`, in -c batches or as a script on stdin, and checks what
    /// the stand-in recorded.
    report check(const std::string& shell, bool via_stdin, const std::vector<quoting_case>& cases,
                 const std::vector<std::string>& commands) {
        const std::string name = fs::path(shell).filename().string() +
                                 (via_stdin ? "-stdin" : "-c") + "-" + std::to_string(++runs_);
        const auto rec = dir_.path() / ("rec-" + name);
        fs::create_directories(rec);
        std::vector<std::string> env;
        for (char** e = environ; *e != nullptr; ++e) {
            const std::string_view kv(*e);
            if (kv.substr(0, 5) == "PATH=" || kv.substr(0, 7) == "DT_REC=" ||
                kv.substr(0, 8) == "DT_CASE=" || kv.substr(0, 4) == "ENV=" ||
                kv.substr(0, 9) == "BASH_ENV=")
                continue;
            env.emplace_back(kv);
        }
        const char* path = std::getenv("PATH");
        env.push_back("PATH=" + bin_.string() + ":" + (path != nullptr ? path : "/usr/bin:/bin"));
        env.push_back("DT_REC=" + rec.string());
        env.push_back("DT_CASE=none");

        report r;
        std::string batch;
        const auto flush = [&] {
            if (batch.empty()) return;
            std::optional<std::string> input;
            std::vector<std::string> argv{shell};
            if (via_stdin)
                input = batch;
            else
                argv.insert(argv.end(), {"-c", batch});
            const auto out = run(argv, env, input, dir_.path() / ("out-" + name));
            if (out.status != 0 || !out.output.empty())
                r.shell_problems += "exit " + std::to_string(out.status) + ": " +
                                    dt::detail::printable_excerpt(out.output) + "\n";
            batch.clear();
        };
        std::vector<std::size_t> ran;
        for (std::size_t i = 0; i < cases.size(); ++i) {
            std::string text = "DT_CASE=" + std::to_string(i) + "\n" + commands[i] + "\n";
            if (!via_stdin && text.size() > arg_limit) continue;  // stdin mode covers it
            if (!via_stdin && batch.size() + text.size() > arg_limit) flush();
            batch += text;
            ran.push_back(i);
        }
        flush();
        r.ran = ran.size();

        for (std::size_t i : ran) {
            const auto& c = cases[i];
            const auto in = read_file(rec / (std::to_string(i) + ".in"));
            const auto argv = read_file(rec / (std::to_string(i) + ".argv"));
            const auto want_argv = nul_joined(expected_argv(c.options));
            std::ostringstream why;
            if (!in || !argv) {
                why << "the stand-in did not run; ";
            } else {
                if (*in != c.prompt) {
                    const auto at = first_difference(*in, c.prompt);
                    why << "stdin differs at byte " << at << " (got " << in->size()
                        << " bytes, want " << c.prompt.size()
                        << "); want around: " << hex_excerpt(c.prompt, at)
                        << " got around: " << hex_excerpt(*in, at) << "; ";
                }
                if (*argv != want_argv) {
                    const auto at = first_difference(*argv, want_argv);
                    why << "argv differs at byte " << at
                        << "; want: " << dt::detail::printable_excerpt(want_argv.substr(at), 80)
                        << " got: " << dt::detail::printable_excerpt(argv->substr(at), 80);
                }
            }
            if (why.str().empty()) continue;
            r.failed.push_back(i);
            if (r.failed.size() <= 10)
                r.details += name + " case " + std::to_string(i) + ": " + why.str() +
                             "\n  command: " + dt::detail::printable_excerpt(commands[i], 300) +
                             "\n";
        }
        return r;
    }

    /// A single argv string is limited to 128 KiB on Linux (MAX_ARG_STRLEN); batches for -c
    /// stay under this.
    static constexpr std::size_t arg_limit = 120 * 1024;

private:
    temp_dir dir_;
    fs::path bin_;
    fs::path odd_;
    std::string dash_;
    std::string bash_;
    int runs_ = 0;
};

struct sigpipe_ignored {
    sigpipe_ignored() { old = std::signal(SIGPIPE, SIG_IGN); }
    ~sigpipe_ignored() { std::signal(SIGPIPE, old); }
    void (*old)(int);
};

}  // namespace

TEST(ClaudeQuoting, RandomPromptsAndOptionsReachTheCliIntactUnderBashAndDash) {
    harness h;
    ASSERT_FALSE(h.bash().empty()) << "bash is required for this test and was not found";
    ASSERT_FALSE(h.dash().empty()) << "dash is required for this test and was not found";
    const sigpipe_ignored guard;

    const auto seed = env_size("DAYTONA_QUOTING_SEED", 20240612);
    const auto count = env_size("DAYTONA_QUOTING_CASES", 2000);
    rng_t rng(seed);
    const auto cases = make_cases(rng, count, h.odd_executable());
    std::vector<std::string> commands;
    commands.reserve(cases.size());
    for (const auto& c : cases) {
        auto inv = claude::make_invocation(c.prompt, c.options);
        ASSERT_TRUE(inv) << inv.error();
        // Secrets stay out of the command text.
        for (const auto& [k, v] : c.options.env)
            ASSERT_EQ(inv->command.find(v), std::string::npos);
        commands.push_back(std::move(inv->command));
    }

    std::size_t over_limit = 0;  // cases only the stdin mode can carry
    for (const auto& cmd : commands)
        if (cmd.size() + 16 > harness::arg_limit) ++over_limit;
    for (const auto& shell : {h.bash(), h.dash()}) {
        for (bool via_stdin : {false, true}) {
            const auto start = std::chrono::steady_clock::now();
            const auto r = h.check(shell, via_stdin, cases, commands);
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - start)
                                .count();
            std::printf("[ quoting  ] %s %s: %zu of %zu cases in %lld ms (seed %zu)\n",
                        shell.c_str(), via_stdin ? "(script on stdin)" : "-c", r.ran, cases.size(),
                        static_cast<long long>(ms), static_cast<std::size_t>(seed));
            EXPECT_EQ(r.shell_problems, "") << shell;
            EXPECT_EQ(r.failed.size(), 0u) << r.details;
            EXPECT_EQ(r.ran, via_stdin ? cases.size() : cases.size() - over_limit) << shell;
        }
    }
    EXPECT_GE(over_limit, 3u);  // the 1 MiB, 200 KiB and 140 KiB prompts at least
}

// The harness must be able to fail: the guide's way of quoting (double quotes, only `"`
// escaped) loses `$`, backquotes and backslashes, and the harness has to notice.
TEST(ClaudeQuoting, HarnessCatchesNaiveQuoting) {
    harness h;
    ASSERT_FALSE(h.bash().empty()) << "bash is required for this test and was not found";
    ASSERT_FALSE(h.dash().empty()) << "dash is required for this test and was not found";
    const sigpipe_ignored guard;
    const std::vector<quoting_case> cases{{"plain words", {}},
                                          {"cost: $HOME", {}},
                                          {"run `echo hi`", {}},
                                          {"two \\\\ backslashes", {}},
                                          {"it's fine", {}}};
    std::vector<std::string> naive;
    for (const auto& c : cases) {
        std::string escaped;
        for (char ch : c.prompt) {
            if (ch == '"') escaped += '\\';
            escaped += ch;
        }
        naive.push_back("printf '%s' \"" + escaped + "\" | claude -p --output-format json");
    }
    for (const auto& shell : {h.bash(), h.dash()}) {
        const auto r = h.check(shell, false, cases, naive);
        EXPECT_EQ(r.failed, (std::vector<std::size_t>{1, 2, 3})) << shell << "\n" << r.details;
        const auto echo = [&] {  // the guide's echo adds a newline: every case fails
            std::vector<std::string> v;
            for (const auto& c : cases)
                v.push_back("echo \"" + c.prompt + "\" | claude -p --output-format json");
            return v;
        }();
        EXPECT_EQ(h.check(shell, true, cases, echo).failed.size(), cases.size()) << shell;
    }
}

TEST(ClaudeQuoting, NulBytesAreRefusedNotTruncated) {
    rng_t rng(7);
    for (int i = 0; i < 200; ++i) {
        std::string prompt = random_bytes(rng, 1 + pick(rng, 100));
        const auto at = pick(rng, prompt.size());
        prompt[at] = '\0';
        auto cmd = claude::pipe_command(prompt, {});
        ASSERT_FALSE(cmd);
        EXPECT_EQ(cmd.error(), dt::errc::invalid_argument);
        EXPECT_NE(cmd.error().message().find("offset " + std::to_string(at)), std::string::npos);
    }
}
