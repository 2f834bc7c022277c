// SPDX-License-Identifier: Apache-2.0
#include "image_build.hpp"

#include "process_runner.hpp"

#include <daytona/json/reader.hpp>

#include <sys/mount.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

namespace daytona::emulator {

namespace image_build_impl {

/// A line of the config file: "<key> <value>", the value up to the end of the line (ENV values
/// and paths never hold a newline: the client and the Dockerfile parser refuse them).
std::string escape(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string unescape(std::string_view v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) {
            out += v[i + 1] == 'n' ? '\n' : v[i + 1];
            ++i;
        } else {
            out += v[i];
        }
    }
    return out;
}

/// ENTRYPOINT / CMD / exec-form RUN: a JSON array of strings, or nullopt for the shell form.
std::optional<std::vector<std::string>> exec_form(std::string_view args) {
    auto t = args;
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front())))
        t.remove_prefix(1);
    if (t.empty() || t.front() != '[') return std::nullopt;
    auto v = json::decode<std::vector<std::string>>(std::string(t), "argv");
    if (!v) return std::nullopt;
    return std::move(*v);
}

std::string join_path(const std::string& base, const std::string& p) {
    if (!p.empty() && p.front() == '/') return fs::path(p).lexically_normal().string();
    return (fs::path(base.empty() ? "/" : base) / p).lexically_normal().string();
}

std::string trim_trailing_slash(std::string p) {
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    return p;
}

std::mutex logs_mu;
std::map<std::string, std::shared_ptr<build_log>>& logs() {
    static std::map<std::string, std::shared_ptr<build_log>> instance;
    return instance;
}

std::atomic<std::uint64_t> work_counter{0};

/// Copies a COPY/ADD source (inside the build root, under /tmp/.daytona-context) to its
/// destination as Docker does: a directory's contents into the destination directory, a file
/// into a directory (destination ending in '/') or to the destination name.
constexpr const char* copy_script =
    "set -e; src=$1; dst=$2\n"
    "if [ -d \"$src\" ]; then mkdir -p \"$dst\"; cp -R -P --preserve=mode,timestamps "
    "\"$src/.\" \"$dst\"\n"
    "else case \"$dst\" in */) mkdir -p \"$dst\"; cp -P --preserve=mode,timestamps \"$src\" "
    "\"$dst\";;\n"
    "*) mkdir -p \"$(dirname \"$dst\")\"; if [ -d \"$dst\" ]; then cp -P "
    "--preserve=mode,timestamps \"$src\" \"$dst/\"; else cp -P --preserve=mode,timestamps "
    "\"$src\" \"$dst\"; fi;; esac; fi\n";

struct step_runner {
    const build_spec& spec;
    std::shared_ptr<build_log> log;

    /// Runs argv in the build's root; the exit code, or -1 with `why` when it could not start.
    asio::awaitable<int> run(std::vector<std::string> argv, const std::string& cwd,
                             const std::vector<std::pair<std::string, std::string>>& env,
                             const std::string& user, bool quiet, std::string& why) {
        const fs::path work = spec.scratch / ("work-" + std::to_string(++work_counter));
        const fs::path merged = spec.scratch / "root";
        std::error_code ec;
        fs::create_directories(work, ec);
        fs::create_directories(merged, ec);
        run_spec rs;
        rs.process.setup = overlay_root_steps(spec.upper, work, merged, true);
        if (!spec.context_dir.empty()) {
            const auto target = (merged / "tmp/.daytona-context").string();
            rs.process.setup.push_back({setup_step::make_dir, "", target, "", 0, ""});
            rs.process.setup.push_back(
                {setup_step::mount, spec.context_dir.string(), target, "", MS_BIND | MS_REC, ""});
            rs.process.setup.push_back(
                {setup_step::mount, "", target, "", MS_REMOUNT | MS_BIND | MS_RDONLY, ""});
        }
        rs.process.chroot_dir = merged.string();
        rs.process.new_pid_namespace = true;
        rs.process.cwd = cwd.empty() ? "/" : cwd;
        // The host's root stands in for the base image; the official python images' interpreters
        // are not marked externally managed, so `pip install` in a build installs there too.
        std::map<std::string, std::string> vars{{"PATH", container_path},
                                                {"HOME", "/root"},
                                                {"HOSTNAME", "buildkitsandbox"},
                                                {"PIP_BREAK_SYSTEM_PACKAGES", "1"}};
        for (const auto& [k, v] : env)
            vars[k] = v;
        for (const auto& [k, v] : vars)
            rs.process.env.push_back(k + "=" + v);
        if (!user.empty() && user != "root" && user != "0") {
            std::vector<std::string> wrapped{"/usr/sbin/runuser", "-u", user, "--"};
            wrapped.insert(wrapped.end(), argv.begin(), argv.end());
            argv = std::move(wrapped);
        }
        rs.process.argv = std::move(argv);
        rs.timeout = spec.step_timeout;
        rs.tracker = spec.tracker;
        if (!quiet) {
            auto sink = log;
            rs.on_output = [sink](std::string_view s) {
                sink->append(s);
            };
        }
        auto outcome = co_await run_command(std::move(rs));
        fs::remove_all(work, ec);
        if (outcome.spawn_failed) {
            why = outcome.output;
            co_return -1;
        }
        if (outcome.timed_out) {
            why = "timed out";
            co_return -1;
        }
        if (quiet && outcome.exit_code != 0) why = outcome.output;
        co_return outcome.exit_code;
    }
};

}  // namespace image_build_impl

bool write_image_config(const fs::path& file, const image_config& c) {
    using image_build_impl::escape;
    std::ostringstream out;
    for (const auto& [k, v] : c.env)
        out << "env " << escape(k) << "=" << escape(v) << "\n";
    if (!c.workdir.empty()) out << "workdir " << escape(c.workdir) << "\n";
    if (!c.user.empty()) out << "user " << escape(c.user) << "\n";
    for (const auto& a : c.entrypoint)
        out << "entrypoint " << escape(a) << "\n";
    for (const auto& a : c.cmd)
        out << "cmd " << escape(a) << "\n";
    std::ofstream f(file, std::ios::binary | std::ios::trunc);
    f << out.str();
    return static_cast<bool>(f);
}

std::optional<image_config> read_image_config(const fs::path& file) {
    using image_build_impl::unescape;
    std::ifstream f(file, std::ios::binary);
    if (!f) return std::nullopt;
    image_config c;
    for (std::string line; std::getline(f, line);) {
        auto sp = line.find(' ');
        if (sp == std::string::npos) continue;
        const auto key = line.substr(0, sp);
        const auto value = unescape(std::string_view(line).substr(sp + 1));
        if (key == "env") {
            auto eq = value.find('=');
            if (eq != std::string::npos)
                c.env.emplace_back(value.substr(0, eq), value.substr(eq + 1));
        } else if (key == "workdir") {
            c.workdir = value;
        } else if (key == "user") {
            c.user = value;
        } else if (key == "entrypoint") {
            c.entrypoint.push_back(value);
        } else if (key == "cmd") {
            c.cmd.push_back(value);
        }
    }
    return c;
}

std::vector<dockerfile_instruction> parse_dockerfile(std::string_view text) {
    std::vector<dockerfile_instruction> out;
    std::string pending;
    auto flush = [&] {
        std::string_view t = pending;
        while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front())))
            t.remove_prefix(1);
        while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back())))
            t.remove_suffix(1);
        if (!t.empty()) {
            auto sp = t.find_first_of(" \t");
            dockerfile_instruction ins;
            ins.keyword = std::string(t.substr(0, sp));
            for (auto& ch : ins.keyword)
                ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            ins.args = sp == std::string_view::npos ? std::string() : std::string(t.substr(sp + 1));
            ins.text = std::string(t);
            out.push_back(std::move(ins));
        }
        pending.clear();
    };
    std::istringstream in{std::string(text)};
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::string_view t = line;
        while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front())))
            t.remove_prefix(1);
        if (!t.empty() && t.front() == '#') continue;  // comments (also inside continuations)
        std::string_view body = line;
        while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back())))
            body.remove_suffix(1);
        if (!body.empty() && body.back() == '\\') {
            body.remove_suffix(1);
            pending.append(body);
            continue;
        }
        pending.append(line);
        flush();
    }
    flush();
    return out;
}

std::vector<std::string> dockerfile_words(std::string_view s) {
    std::vector<std::string> words;
    std::string cur;
    bool in_word = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (in_word) words.push_back(std::move(cur));
            cur.clear();
            in_word = false;
            continue;
        }
        in_word = true;
        if (c == '\\' && i + 1 < s.size()) {
            cur += s[++i];
        } else if (c == '\'') {
            for (++i; i < s.size() && s[i] != '\''; ++i)
                cur += s[i];
        } else if (c == '"') {
            for (++i; i < s.size() && s[i] != '"'; ++i) {
                if (s[i] == '\\' && i + 1 < s.size() &&
                    (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == '$' || s[i + 1] == '`'))
                    ++i;
                cur += s[i];
            }
        } else {
            cur += c;
        }
    }
    if (in_word) words.push_back(std::move(cur));
    return words;
}

void build_log::append(std::string_view text) {
    std::lock_guard lock(mu_);
    for (char c : text) {
        if (c == '\n') {
            if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
            lines_.push_back(std::move(partial_));
            partial_.clear();
        } else {
            partial_ += c;
        }
    }
}

void build_log::line(std::string text) {
    std::lock_guard lock(mu_);
    if (!partial_.empty()) {
        lines_.push_back(std::move(partial_));
        partial_.clear();
    }
    lines_.push_back(std::move(text));
}

void build_log::finish() {
    std::lock_guard lock(mu_);
    if (!partial_.empty()) {
        lines_.push_back(std::move(partial_));
        partial_.clear();
    }
    done_ = true;
}

std::pair<std::vector<std::string>, bool> build_log::read_from(std::size_t from) const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (std::size_t i = from; i < lines_.size(); ++i)
        out.push_back(lines_[i]);
    return {std::move(out), done_};
}

std::vector<std::string> build_log::tail(std::size_t n) const {
    std::lock_guard lock(mu_);
    const std::size_t from = lines_.size() > n ? lines_.size() - n : 0;
    return {lines_.begin() + static_cast<std::ptrdiff_t>(from), lines_.end()};
}

std::shared_ptr<build_log> build_log_of(const std::string& key) {
    std::lock_guard lock(image_build_impl::logs_mu);
    auto& slot = image_build_impl::logs()[key];
    if (!slot) slot = std::make_shared<build_log>();
    return slot;
}

std::vector<setup_step> overlay_root_steps(const fs::path& upper, const fs::path& work,
                                           const fs::path& merged, bool build) {
    std::vector<setup_step> steps;
    const auto at = [&](std::string_view rel) {
        return (merged / rel).string();
    };
    steps.push_back({setup_step::mount, "overlay", merged.string(), "overlay", 0,
                     "lowerdir=/,upperdir=" + upper.string() + ",workdir=" + work.string()});
    if (!build) {
        for (const char* d : {"proc", "dev", "sys"})
            steps.push_back(
                {setup_step::mount, std::string("/") + d, at(d), "", MS_BIND | MS_REC, ""});
        return steps;
    }
    steps.push_back(
        {setup_step::mount, "proc", at("proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, ""});
    steps.push_back({setup_step::mount, "tmpfs", at("dev"), "tmpfs", MS_NOSUID, "mode=755"});
    for (const char* d : {"null", "zero", "full", "random", "urandom", "tty"}) {
        const auto target = at(std::string("dev/") + d);
        steps.push_back({setup_step::make_file, "", target, "", 0, ""});
        steps.push_back({setup_step::mount, std::string("/dev/") + d, target, "", MS_BIND, ""});
    }
    for (const auto& [link, to] : {std::pair{"fd", "/proc/self/fd"},
                                   {"stdin", "/proc/self/fd/0"},
                                   {"stdout", "/proc/self/fd/1"},
                                   {"stderr", "/proc/self/fd/2"}})
        steps.push_back({setup_step::make_symlink, to, at(std::string("dev/") + link), "", 0, ""});
    steps.push_back({setup_step::make_dir, "", at("dev/shm"), "", 0, ""});
    steps.push_back(
        {setup_step::mount, "tmpfs", at("dev/shm"), "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"});
    steps.push_back({setup_step::make_dir, "", at("dev/pts"), "", 0, ""});
    steps.push_back(
        {setup_step::mount, "tmpfs", at("tmp"), "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"});
    return steps;
}

bool real_builds_available(const fs::path& scratch, std::string* why_not) {
    static std::once_flag once;
    static bool available = false;
    static std::string reason;
    std::call_once(once, [&] {
        if (!mount_namespaces_available(&reason)) {
            reason = "no private mount namespaces (" + reason + ")";
            return;
        }
        const fs::path dir = scratch / "overlay-probe";
        std::error_code ec;
        fs::remove_all(dir, ec);
        for (const char* d : {"upper", "work", "root"})
            fs::create_directories(dir / d, ec);
        spawn_spec probe;
        probe.argv = {"/bin/true"};
        probe.setup = overlay_root_steps(dir / "upper", dir / "work", dir / "root", true);
        probe.chroot_dir = (dir / "root").string();
        probe.new_pid_namespace = true;
        probe.cwd = "/";
        std::string err;
        auto p = spawn_process(probe, err);
        if (p.pid < 0) {
            reason = "no overlay root (" + err + ")";
        } else {
            int status = 0;
            ::waitpid(p.pid, &status, 0);
            available = WIFEXITED(status) && WEXITSTATUS(status) == 0;
            if (!available) reason = "the overlay probe failed";
        }
        fs::remove_all(dir, ec);
    });
    if (why_not) *why_not = reason;
    return available;
}

asio::awaitable<build_outcome> run_build(build_spec spec, std::shared_ptr<build_log> log) {
    using namespace image_build_impl;
    build_outcome out;
    const auto steps = parse_dockerfile(spec.dockerfile);
    auto failed = [&](std::string reason) {
        log->line("ERROR: " + reason);
        log->finish();
        out.error_reason = std::move(reason);
        return out;
    };
    std::error_code ec;
    fs::create_directories(spec.upper, ec);
    fs::create_directories(spec.scratch, ec);
    if (steps.empty() || steps.front().keyword != "FROM")
        co_return failed("the Dockerfile must start with FROM");
    step_runner runner{spec, log};
    auto& cfg = out.config;
    std::string cwd = "/", user;
    const auto n = std::to_string(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto& ins = steps[i];
        log->line("Step " + std::to_string(i + 1) + "/" + n + " : " + ins.text);
        const auto& kw = ins.keyword;
        if (kw == "FROM") {
            auto words = dockerfile_words(ins.args);
            if (i != 0) co_return failed("multi-stage builds are not supported by the emulator");
            log->line(" ---> " + (words.empty() ? std::string() : words.front()) +
                      ": not pulled (no registry here); the host's root file system stands in");
        } else if (kw == "RUN") {
            std::vector<std::string> argv;
            std::string shown;
            if (auto exec = exec_form(ins.args)) {
                if (exec->empty()) co_return failed("RUN with an empty argument list");
                argv = {"/usr/bin/env", "--"};
                argv.insert(argv.end(), exec->begin(), exec->end());
                shown = ins.args;
            } else {
                argv = {"/bin/sh", "-c", ins.args};
                shown = "/bin/sh -c " + ins.args;
            }
            std::string why;
            const int code = co_await runner.run(std::move(argv), cwd, cfg.env, user, false, why);
            if (code < 0) co_return failed("The command '" + shown + "' could not run: " + why);
            if (code != 0)
                co_return failed("The command '" + shown +
                                 "' returned a non-zero code: " + std::to_string(code));
        } else if (kw == "WORKDIR") {
            auto words = dockerfile_words(ins.args);
            if (words.size() != 1) co_return failed("WORKDIR takes one path");
            cwd = join_path(cwd, words.front());
            cfg.workdir = cwd;
            std::string why;
            std::vector<std::string> argv{"/bin/mkdir", "-p", "--", cwd};
            const int code = co_await runner.run(std::move(argv), "/", cfg.env, "", true, why);
            if (code != 0) co_return failed("WORKDIR " + cwd + ": " + why);
        } else if (kw == "ENV") {
            auto words = dockerfile_words(ins.args);
            if (words.empty()) co_return failed("ENV needs a name");
            if (words.front().find('=') == std::string::npos) {
                // Legacy form: ENV NAME value with spaces
                auto rest = ins.args.substr(ins.args.find(words.front()) + words.front().size());
                auto value = dockerfile_words(rest);
                std::string joined;
                for (const auto& w : value)
                    joined += (joined.empty() ? "" : " ") + w;
                cfg.env.emplace_back(words.front(), joined);
            } else {
                for (const auto& w : words) {
                    auto eq = w.find('=');
                    if (eq == std::string::npos || eq == 0)
                        co_return failed("ENV expects NAME=value, not '" + w + "'");
                    cfg.env.emplace_back(w.substr(0, eq), w.substr(eq + 1));
                }
            }
        } else if (kw == "USER") {
            auto words = dockerfile_words(ins.args);
            if (words.size() != 1) co_return failed("USER takes one name");
            user = words.front();
            cfg.user = user;
        } else if (kw == "COPY" || kw == "ADD") {
            std::vector<std::string> words;
            if (auto exec = exec_form(ins.args))
                words = std::move(*exec);
            else
                words = dockerfile_words(ins.args);
            while (!words.empty() && words.front().starts_with("--")) {
                if (words.front().starts_with("--from"))
                    co_return failed(kw + " --from is not supported by the emulator");
                words.erase(words.begin());
            }
            if (words.size() < 2) co_return failed(kw + " needs a source and a destination");
            if (spec.context_dir.empty())
                co_return failed(kw + ": no build context was uploaded for this build");
            std::string dest = words.back();
            const bool dir_dest = dest.ends_with('/') || words.size() > 2;
            dest = join_path(cwd, dest);
            if (dir_dest) dest = trim_trailing_slash(dest) + "/";
            for (std::size_t k = 0; k + 1 < words.size(); ++k) {
                auto src = fs::path(words[k]).relative_path().lexically_normal().string();
                if (src.starts_with("..")) co_return failed(kw + " source leaves the context");
                std::error_code sec;
                if (!fs::exists(fs::symlink_status(spec.context_dir / src, sec)))
                    co_return failed(kw + " failed: file not found in build context: " + words[k]);
                std::vector<std::string> argv{
                    "/bin/sh", "-c", copy_script, "sh", "/tmp/.daytona-context/" + src, dest};
                std::string why;
                const int code = co_await runner.run(std::move(argv), "/", {}, "", true, why);
                if (code != 0) co_return failed(kw + " " + words[k] + " failed: " + why);
            }
        } else if (kw == "ENTRYPOINT" || kw == "CMD") {
            std::vector<std::string> argv;
            if (auto exec = exec_form(ins.args))
                argv = std::move(*exec);
            else
                argv = {"/bin/sh", "-c", ins.args};
            (kw == "ENTRYPOINT" ? cfg.entrypoint : cfg.cmd) = std::move(argv);
        } else if (kw == "ARG" || kw == "LABEL" || kw == "EXPOSE" || kw == "VOLUME" ||
                   kw == "STOPSIGNAL" || kw == "HEALTHCHECK" || kw == "SHELL" || kw == "ONBUILD" ||
                   kw == "MAINTAINER") {
            log->line(" ---> recorded; it has no effect in the emulator");
            continue;
        } else {
            co_return failed("unknown instruction: " + kw);
        }
        log->line(" ---> done");
    }
    log->line("Successfully built " + std::to_string(steps.size()) + " steps");
    log->finish();
    out.ok = true;
    co_return out;
}

}  // namespace daytona::emulator
