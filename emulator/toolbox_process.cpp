// SPDX-License-Identifier: Apache-2.0
// /toolbox/{id}/...: the proxy's checks, how sandbox paths map to host paths, and the
// one-shot process routes (execute, code-run) plus the daemon's info routes.
#include "service.hpp"

#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>
#include <daytona/json/writer.hpp>

#include <cstdlib>
#include <fstream>

namespace daytona::emulator {

namespace toolbox_impl {

/// ExecuteRequest.
struct execute_body {
    std::string command;
    std::optional<std::string> cwd;
    std::map<std::string, std::string> envs;
    std::optional<std::int64_t> timeout;
};

void decode_value(json::value& v, execute_body& out, json::decoder& d) {
    d.object(v, "object", json::into("command", out.command), json::into("cwd", out.cwd),
             json::into("envs", out.envs), json::into("timeout", out.timeout));
}

/// CodeRunRequest.
struct code_run_body {
    std::string code;
    std::optional<std::string> language;
    std::vector<std::string> argv;
    std::map<std::string, std::string> envs;
    std::optional<std::int64_t> timeout;
};

void decode_value(json::value& v, code_run_body& out, json::decoder& d) {
    d.object(v, "object", json::into("code", out.code), json::into("language", out.language),
             json::into("argv", out.argv), json::into("envs", out.envs),
             json::into("timeout", out.timeout));
}

bool within(const fs::path& p, const fs::path& base) {
    auto rel = p.lexically_relative(base);
    return !rel.empty() && *rel.begin() != "..";
}

}  // namespace toolbox_impl
using namespace toolbox_impl;

std::string service::absolute_in_sandbox(const sandbox_record& rec, std::string_view p) {
    std::string joined =
        !p.empty() && p.front() == '/' ? std::string(p) : rec.home_path() + "/" + std::string(p);
    // Resolve "." and ".." lexically, clamping at "/" as chroot does.
    std::vector<std::string_view> parts;
    std::string_view rest = joined;
    while (!rest.empty()) {
        auto slash = rest.find('/');
        auto part = rest.substr(0, slash);
        if (part == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    std::string out;
    for (auto part : parts)
        out.append("/").append(part);
    return out.empty() ? "/" : out;
}

std::optional<fs::path> service::host_path(const sandbox_record& rec, std::string_view p,
                                           std::string* why) const {
    if (p.find('\0') != std::string_view::npos) {
        if (why) *why = "path contains a NUL byte";
        return std::nullopt;
    }
    const auto abs = absolute_in_sandbox(rec, p);
    // A path inside a mounted volume lives in the volume's directory.
    fs::path base = rec.root();
    std::string rel = abs.substr(1);
    std::size_t best = 0;
    std::vector<fs::path> allowed{rec.root()};
    for (const auto& m : rec.info.volumes) {
        fs::path dir = volume_source(m);
        allowed.push_back(dir);
        const auto& mp = m.mount_path;
        if (mp.size() > best && (abs == mp || (abs.starts_with(mp) && abs[mp.size()] == '/'))) {
            best = mp.size();
            base = dir;
            rel = abs.size() > mp.size() ? abs.substr(mp.size() + 1) : std::string();
        }
    }
    fs::path candidate = rel.empty() ? base : base / rel;
    // Symbolic links are followed the way the kernel would, then the result must still be inside
    // the sandbox (or one of its volumes): a link to /etc is refused, not followed out.
    std::error_code ec;
    fs::path real = fs::weakly_canonical(candidate, ec);
    if (ec) real = candidate.lexically_normal();
    // The bases are compared as built, not resolved: the data directory is canonical (see
    // emulator::start), and a volume subpath that is itself a link must not widen what is allowed.
    for (const auto& a : allowed)
        if (real == a || within(real, a)) return candidate;
    if (why) *why = "path " + std::string(p) + " leaves the sandbox through a symbolic link";
    return std::nullopt;
}

std::string service::sandbox_path(const sandbox_record& rec, const fs::path& host) const {
    for (const auto& m : rec.info.volumes) {
        fs::path dir = volume_source(m);
        if (host == dir) return m.mount_path;
        if (within(host, dir)) return m.mount_path + "/" + host.lexically_relative(dir).string();
    }
    if (host == rec.root()) return "/";
    return "/" + host.lexically_relative(rec.root()).string();
}

std::string service::process_path(const sandbox_record& rec, std::string_view sandbox_abs) const {
    // With a mount namespace the sandbox's /home and /tmp are mounted where they belong.
    if (namespaces_ && (sandbox_abs == "/home" || sandbox_abs.starts_with("/home/") ||
                        sandbox_abs == "/tmp" || sandbox_abs.starts_with("/tmp/")))
        return std::string(sandbox_abs);
    if (sandbox_abs == "/") return rec.root().string();
    return (rec.root() / std::string(sandbox_abs.substr(1))).string();
}

spawn_spec service::process_spec(const sandbox_record& rec, std::vector<std::string> argv,
                                 std::string_view cwd,
                                 const std::map<std::string, std::string>& extra_env) const {
    std::map<std::string, std::string> env;
    const char* path = std::getenv("PATH");
    env["PATH"] = path ? path : "/usr/local/bin:/usr/bin:/bin";
    env["HOME"] = process_path(rec, rec.home_path());
    env["USER"] = env["LOGNAME"] = rec.user();
    env["SHELL"] = "/bin/bash";
    env["LANG"] = "C.UTF-8";
    env["HOSTNAME"] = rec.info.name;
    env["TMPDIR"] = process_path(rec, "/tmp");
    env["DAYTONA_SANDBOX_ID"] = rec.info.id;
    env["DAYTONA_SANDBOX_USER"] = rec.user();
    env["DAYTONA_SANDBOX_ROOT"] = rec.root().string();
    for (const auto& [k, v] : rec.info.env)
        env[k] = v;
    for (const auto& [k, v] : extra_env)
        env[k] = v;
    spawn_spec spec;
    spec.argv = std::move(argv);
    for (auto& [k, v] : env)
        spec.env.push_back(k + "=" + v);
    spec.cwd = process_path(rec, absolute_in_sandbox(rec, cwd));
    if (namespaces_) {
        // Volumes first, into the sandbox tree, so the /home and /tmp binds (recursive) carry them.
        for (const auto& m : rec.info.volumes) {
            fs::path dir = volume_source(m);
            spec.mounts.push_back({dir.string(), (rec.root() / m.mount_path.substr(1)).string()});
        }
        spec.mounts.push_back({(rec.root() / "home").string(), "/home"});
        spec.mounts.push_back({(rec.root() / "tmp").string(), "/tmp"});
    }
    return spec;
}

fs::path service::volume_source(const volume_mount& m) const {
    fs::path dir = store_.volume_dir(m.volume_id);
    if (m.subpath) dir /= fs::path(*m.subpath).relative_path();
    return dir;
}

void service::prepare_volumes(const sandbox_record& rec) const {
    for (const auto& m : rec.info.volumes) {
        fs::path dir = volume_source(m);
        std::error_code ec;
        fs::create_directories(dir, ec);
        fs::path point = rec.root() / m.mount_path.substr(1);
        fs::create_directories(point.parent_path(), ec);
        // A bind mount needs a directory to mount on; without namespaces a link stands in for it.
        if (namespaces_)
            fs::create_directories(point, ec);
        else
            fs::create_directory_symlink(dir, point, ec);
    }
}

asio::awaitable<void> service::toolbox(exchange& ex, const segments& segs) {
    // The API key, or this sandbox's preview token (checked after the lookup; an unknown
    // sandbox without the key is still 401, so its existence is not revealed).
    auto rec = segs.size() >= 2 ? store_.find(segs[1]) : std::nullopt;
    if (!authorized(ex) && !(rec && has_preview_token(ex, rec->info.id)))
        co_return co_await send(
            ex, toolbox_error(ex, 401, "UNAUTHORIZED", "Unauthorized", "DAYTONA_PROXY"));
    if (segs.size() < 2)
        co_return co_await send(
            ex, toolbox_error(ex, 404, "NOT_FOUND", "sandbox id missing", "DAYTONA_PROXY"));
    if (!rec)
        co_return co_await send(
            ex, toolbox_error(ex, 404, "NOT_FOUND", "sandbox " + segs[1] + " not found",
                              "DAYTONA_PROXY"));
    if (rec->info.state != sandbox_state::started)
        co_return co_await send(
            ex, toolbox_error(ex, 409, "CONFLICT",
                              "sandbox " + rec->info.id + " is not started (state " +
                                  rec->info.state_name + ")",
                              "DAYTONA_PROXY"));
    const segments rest = segs.subspan(2);
    const auto& method = ex.request().method;
    if (!rest.empty() && rest[0] == "process") co_return co_await process_routes(ex, *rec, rest);
    if (!rest.empty() && rest[0] == "files") co_return co_await file_routes(ex, *rec, rest);
    if (!rest.empty() && rest[0] == "git") co_return co_await git_routes(ex, *rec, rest);
    if (!rest.empty() && rest[0] == "lsp") co_return co_await lsp_routes(ex, *rec, rest);
    if (!rest.empty() && rest[0] == "port") co_return co_await port_routes(ex, *rec, rest);
    if (!rest.empty() && rest[0] == "computeruse")
        // What the daemon answers when its desktop plugin is not available (REFERENCE.md §5.12).
        co_return co_await send(ex, toolbox_error(ex, 503, "SERVICE_UNAVAILABLE",
                                                  "computer use is not available: the emulator "
                                                  "runs no desktop"));
    if (rest.size() == 1 && method == "GET") {
        std::string out;
        json::writer w(out);
        if (rest[0] == "version")
            w.begin_object().member("version", "v0.218.0-emulator").end_object();
        else if (rest[0] == "user-home-dir" || rest[0] == "project-dir")
            w.begin_object().member("dir", rec->home_path()).end_object();
        else if (rest[0] == "work-dir")
            w.begin_object().member("dir", rec->home_path()).end_object();
        if (!out.empty()) co_return co_await send(ex, json_reply(200, std::move(out)));
    }
    co_await send(ex, toolbox_error(ex, 404, "NOT_FOUND",
                                    "no route " + method + " " + std::string(ex.path())));
}

asio::awaitable<void> service::process_routes(exchange& ex, const sandbox_record& rec,
                                              const segments& rest) {
    const auto& method = ex.request().method;
    if (rest.size() == 2 && rest[1] == "execute" && method == "POST")
        co_return co_await execute(ex, rec);
    if (rest.size() == 2 && rest[1] == "code-run" && method == "POST")
        co_return co_await code_run(ex, rec);
    if (rest.size() >= 2 && rest[1] == "session") co_return co_await session_routes(ex, rec, rest);
    if (rest.size() >= 2 && rest[1] == "pty") co_return co_await pty_routes(ex, rec, rest);
    if (rest.size() >= 2 && rest[1] == "interpreter")
        co_return co_await interpreter_routes(ex, rec, rest);
    co_await send(ex, toolbox_error(ex, 404, "NOT_FOUND",
                                    "no route " + method + " " + std::string(ex.path())));
}

asio::awaitable<void> service::execute(exchange& ex, const sandbox_record& rec) {
    auto body = co_await read_json<execute_body>(ex, true);
    if (!body) co_return;
    if (detail::trim(body->command).empty())
        co_return co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST", "command is required"));
    for (const auto& [k, v] : body->envs)
        if (!valid_env_name(k))
            co_return co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST",
                                                      "invalid environment variable name: " + k));
    if (body->timeout && *body->timeout < 0)
        co_return co_await send(
            ex, toolbox_error(ex, 400, "BAD_REQUEST", "timeout must not be negative"));
    std::string why;
    auto cwd = host_path(rec, body->cwd.value_or(""), &why);
    if (!cwd) co_return co_await send(ex, toolbox_error(ex, 400, "INVALID_FILE_PATH", why));
    std::error_code ec;
    if (!fs::is_directory(*cwd, ec))
        co_return co_await send(
            ex, toolbox_error(ex, 400, "INVALID_FILE_PATH",
                              "cwd " + absolute_in_sandbox(rec, body->cwd.value_or("")) +
                                  " is not a directory"));
    run_spec spec;
    // As the daemon does: the command goes to a plain shell's stdin, not to `-c`.
    std::vector<std::string> argv{"/bin/bash"};
    spec.process = process_spec(rec, std::move(argv), body->cwd.value_or(""), body->envs);
    spec.stdin_data = body->command + "\n";
    spec.timeout = std::chrono::seconds(body->timeout.value_or(0));
    spec.tracker = runtime_of(rec.info.id).get();
    auto outcome = co_await run_command(std::move(spec));
    if (outcome.timed_out)
        co_return co_await send(
            ex, toolbox_error(ex, 408, "REQUEST_TIMEOUT", "command execution timeout"));
    std::string out;
    json::writer w(out);
    w.begin_object()
        .member("exitCode", outcome.spawn_failed ? -1 : outcome.exit_code)
        .member("result", valid_utf8(outcome.output))
        .end_object();
    co_await send(ex, json_reply(200, std::move(out)));
}

asio::awaitable<void> service::code_run(exchange& ex, const sandbox_record& rec) {
    auto body = co_await read_json<code_run_body>(ex, true);
    if (!body) co_return;
    auto language = body->language.value_or("");
    if (language.empty()) {
        auto it = rec.info.labels.find("code-toolbox-language");
        language = it == rec.info.labels.end() ? "python" : it->second;
    }
    std::string interpreter;
    if (language == "python")
        interpreter = find_program("python3");
    else if (language == "javascript")
        interpreter = find_program("node");
    else if (language == "typescript") {
        // Node 20 cannot strip types itself; a tsx or ts-node on PATH is used when there is one.
        interpreter = find_program("tsx");
        if (interpreter.empty()) interpreter = find_program("ts-node");
        if (interpreter.empty()) interpreter = find_program("node");
    } else {
        co_return co_await send(
            ex, toolbox_error(ex, 400, "BAD_REQUEST", "unsupported language: " + language));
    }
    if (interpreter.empty())
        co_return co_await send(
            ex, toolbox_error(ex, 500, "INTERNAL_SERVER_ERROR",
                              "no interpreter for " + language + " on this machine"));
    for (const auto& [k, v] : body->envs)
        if (!valid_env_name(k))
            co_return co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST",
                                                      "invalid environment variable name: " + k));
    // The code goes to a file in the sandbox's /tmp (the daemon pipes it; a file keeps stdin free).
    const std::string ext = language == "python" ? ".py" : language == "typescript" ? ".ts" : ".js";
    const std::string script = "/tmp/.daytona/code-run-" + new_uuid() + ext;
    auto host = rec.root() / script.substr(1);
    std::error_code ec;
    fs::create_directories(host.parent_path(), ec);
    {
        std::ofstream f(host, std::ios::binary);
        f << body->code;
        if (!f)
            co_return co_await send(
                ex, toolbox_error(ex, 500, "INTERNAL_SERVER_ERROR", "cannot write the code file"));
    }
    std::vector<std::string> argv{interpreter};
    if (language == "python") argv.push_back("-u");
    argv.push_back(process_path(rec, script));
    for (auto& a : body->argv)
        argv.push_back(a);
    run_spec spec;
    spec.process = process_spec(rec, std::move(argv), "", body->envs);
    spec.timeout = std::chrono::seconds(body->timeout.value_or(0));
    spec.tracker = runtime_of(rec.info.id).get();
    auto outcome = co_await run_command(std::move(spec));
    fs::remove(host, ec);
    if (outcome.timed_out)
        co_return co_await send(
            ex, toolbox_error(ex, 408, "REQUEST_TIMEOUT", "command execution timeout"));
    // Chart lines (matplotlib wrapper of the real daemon) are not produced here; any line with
    // the artifact prefix is still moved out of the result, as the daemon does.
    constexpr std::string_view artifact_prefix = "dtn_artifact_k39fd2:";
    std::string result;
    std::string_view all = outcome.output;
    while (!all.empty()) {
        auto nl = all.find('\n');
        auto line = all.substr(0, nl == std::string_view::npos ? all.size() : nl + 1);
        if (!line.starts_with(artifact_prefix)) result.append(line);
        all.remove_prefix(line.size());
    }
    std::string out;
    json::writer w(out);
    w.begin_object()
        .member("exitCode", outcome.spawn_failed ? -1 : outcome.exit_code)
        .member("result", valid_utf8(result));
    w.key("artifacts")
        .begin_object()
        .key("charts")
        .begin_array()
        .end_array()
        .end_object()
        .end_object();
    co_await send(ex, json_reply(200, std::move(out)));
}

}  // namespace daytona::emulator
