// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of claude/run.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CLAUDE_IMPL_RUN_IPP
#define DAYTONA_CLAUDE_IMPL_RUN_IPP

#include "daytona/claude/run.hpp"

#include "daytona/net/crypto.hpp"
#include "daytona/polling.hpp"

#include <exception>
#include <memory>
#include <variant>

DAYTONA_BEGIN_NAMESPACE
namespace claude {
namespace detail {

daytona::error cli_error(errc code, std::string message, std::string_view operation,
                         std::string_view output) {
    error_info info{.message = std::move(message), .operation = std::string(operation)};
    if (!output.empty()) info.body_excerpt = daytona::detail::printable_excerpt(output, 512);
    return daytona::error(make_error_code(code), std::move(info));
}

bool looks_missing(int exit_code, std::string_view output) {
    return exit_code == 127 ||
           (exit_code != 0 && output.find("not found") != std::string_view::npos &&
            output.find('{') == std::string_view::npos);
}

std::string env_file_writer(const std::map<std::string, std::string>& env) {
    std::string cmd =
        "umask 077 && f=$(mktemp \"${TMPDIR:-/tmp}/daytona-claude-env.XXXXXXXX\") && {\n";
    for (const auto& [name, value] : env) {
        (void)value;
        // The value, single-quoted: ' becomes '\'' (sed), and a trailing x keeps trailing
        // newlines through the command substitution.
        cmd += "v=$(printf '%sx' \"$" + name + "\" | LC_ALL=C sed \"s/'/'\\\\\\\\''/g\") && ";
        cmd += "printf \"export " + name +
               "='%s'\\n\" \"${v%x}\" >> \"$f\" || { rm -f \"$f\"; exit 1; }\n";
    }
    cmd += "} && printf '%s' \"$f\"";
    return cmd;
}

std::string new_run_marker() {
    return net::base64url_encode(net::random_bytes(9));
}

std::string kill_marked_command(std::string_view marker) {
    std::string cmd = "m=" + std::string(run_marker_name) + "=" + std::string(marker) + "\n";
    cmd +=
        "for d in /proc/[0-9]*; do\n"
        "  tr '\\000' '\\n' < \"$d/environ\" 2>/dev/null | grep -qxF \"$m\" &&"
        " kill -9 \"${d#/proc/}\" 2>/dev/null\n"
        "done\ntrue";
    return cmd;
}

asio::awaitable<void> kill_marked(sandbox sb, std::string marker) {
    (void)co_await sb.process().exec(kill_marked_command(marker));
}

std::string session_command(const invocation& inv, const std::string& env_file,
                            std::string_view marker) {
    std::string cmd = "(\n";
    cmd += "export " + std::string(run_marker_name) + "=" + std::string(marker) + "\n";
    if (!env_file.empty()) {
        std::string q = daytona::detail::shell_quote(env_file);
        cmd += ". " + q + "; rm -f " + q + "\n";
    }
    if (inv.cwd) cmd += "cd -- " + daytona::detail::shell_quote(*inv.cwd) + " || exit 1\n";
    cmd += inv.command;
    cmd += "\n) < /dev/null";
    return cmd;
}

std::string first_word(std::string_view s) {
    s = daytona::detail::trim(s);
    const auto sp = s.find_first_of(" \t\r\n");
    return std::string(s.substr(0, sp));
}

asio::awaitable<result<run_output>> run_raw_impl(sandbox sb, std::string prompt, options o) {
    static constexpr std::string_view op = "claude::run";
    auto inv = make_invocation(prompt, o);
    if (!inv) co_return std::move(inv).error();
    exec_options eo;
    eo.cwd = std::move(inv->cwd);
    eo.env = std::move(inv->env);
    eo.timeout = o.timeout;
    const std::string marker = new_run_marker();
    eo.env[std::string(run_marker_name)] = marker;
    auto exec = sb.process().exec(std::move(inv->command), std::move(eo));
    auto done = co_await daytona::detail::completing(std::move(exec));
    if (done.second || !*done.first) {
        // Past the time limit or cancelled, the CLI and its tools may still run: stop them,
        // even when the caller cancelled.
        const bool stopped = done.second || done.first->error() == condition::timeout ||
                             done.first->error() == errc::cancelled;
        if (stopped) {
            co_await asio::this_coro::reset_cancellation_state();
            co_await asio::this_coro::throw_if_cancelled(false);
            co_await kill_marked(sb, marker);
        }
        if (done.second) std::rethrow_exception(done.second);
        co_return std::move(*done.first).error().with_operation(op);
    }
    auto& r = *done.first;
    run_output out;
    out.exit_code = r->exit_code;
    out.output = std::move(r->output);
    co_return out;
}

result<run_result> read_run(run_output raw, std::string_view op) {
    auto parsed = parse_result(raw.output);
    if (parsed) return parsed;
    if (looks_missing(raw.exit_code, raw.output))
        return cli_error(errc::claude_cli_unavailable,
                         "the Claude Code CLI is not installed in the sandbox (exit code " +
                             std::to_string(raw.exit_code) +
                             "): install it with claude::ensure_installed()",
                         op, raw.output);
    auto e = std::move(parsed).error();
    return daytona::error(
        e.code(), error_info{.message = "the CLI exited with " + std::to_string(raw.exit_code) +
                                        " and printed no result: " + e.message(),
                             .operation = std::string(op),
                             .body_excerpt = e.body_excerpt()});
}

asio::awaitable<result<run_result>> run_impl(sandbox sb, std::string prompt, options o) {
    auto raw = co_await run_raw_impl(std::move(sb), std::move(prompt), std::move(o));
    if (!raw) co_return std::move(raw).error();
    co_return read_run(std::move(*raw), "claude::run");
}

asio::awaitable<void> remove_file(sandbox sb, std::string path) {
    (void)co_await sb.process().exec("rm -f " + daytona::detail::shell_quote(path));
}

asio::awaitable<result<int>> follow_run(sandbox sb, session& s, std::string cid,
                                        output_callback on_out, output_callback on_err,
                                        std::chrono::milliseconds limit, std::string_view op,
                                        std::string marker, std::string env_file) {
    auto followed = s.follow(std::move(cid), std::move(on_out), std::move(on_err));
    if (limit.count() > 0)
        followed = daytona::detail::within(
            std::move(followed), limit, op,
            cli_error(errc::timeout,
                      "the command ran longer than " + std::to_string(limit.count()) +
                          " ms and was stopped",
                      op));
    auto done = co_await daytona::detail::completing(std::move(followed));
    const bool stopped = done.second || !*done.first;
    if (stopped) {
        co_await asio::this_coro::reset_cancellation_state();
        co_await asio::this_coro::throw_if_cancelled(false);
        co_await kill_marked(sb, marker);
    }
    (void)co_await s.destroy();
    if (stopped && !env_file.empty()) co_await remove_file(sb, env_file);
    if (done.second) std::rethrow_exception(done.second);
    co_return std::move(*done.first);
}

asio::awaitable<result<run_result>> stream_impl(sandbox sb, std::string prompt, options o,
                                                event_callback on_event,
                                                std::shared_ptr<run_output> raw) {
    static constexpr std::string_view op = "claude::stream";
    o.output_format = output_format::stream_json;
    auto inv = make_invocation(prompt, o);
    if (!inv) co_return std::move(inv).error();
    auto proc = sb.process();
    std::string env_file;
    if (!inv->env.empty()) {
        exec_options eo;
        eo.env = std::move(inv->env);
        auto w = co_await proc.exec(env_file_writer(eo.env), std::move(eo));
        if (!w) co_return std::move(w).error().with_operation(op);
        if (w->exit_code != 0 || w->output.empty())
            co_return cli_error(errc::io_error,
                                "cannot write the environment file in the sandbox (exit code " +
                                    std::to_string(w->exit_code) + ")",
                                op, w->output);
        env_file = daytona::detail::trim(w->output);
    }
    const std::string sid = "daytona-claude-" + net::base64url_encode(net::random_bytes(9));
    auto s = co_await proc.create_session(sid);
    if (!s) {
        if (!env_file.empty()) co_await remove_file(sb, env_file);
        co_return std::move(s).error().with_operation(op);
    }
    const std::string marker = new_run_marker();
    auto cmd = co_await s->exec_async(session_command(*inv, env_file, marker));
    if (!cmd) {
        (void)co_await s->destroy();
        if (!env_file.empty()) co_await remove_file(sb, env_file);
        co_return std::move(cmd).error().with_operation(op);
    }
    event_parser parser;
    std::optional<run_result> last;
    std::string stderr_text;
    const auto drain = [&]() {
        for (;;) {
            auto ev = parser.next();
            if (!ev) continue;  // a line that is not an event: kept in raw->output only
            if (!*ev) break;
            if (auto* r = std::get_if<result_event>(&**ev)) last = *r;
            if (on_event) on_event(**ev);
        }
    };
    output_callback on_out = [&](std::string_view chunk) {
        raw->output.append(chunk);
        parser.feed(chunk);
        drain();
    };
    output_callback on_err = [&](std::string_view chunk) {
        if (stderr_text.size() < 64 * 1024) stderr_text.append(chunk);
    };
    auto code = co_await follow_run(sb, *s, *cmd, std::move(on_out), std::move(on_err), o.timeout,
                                    op, marker, env_file);
    parser.finish();
    drain();
    if (!code) {
        // The CLI printed its result and then did not exit (a background tool holding its
        // stdout, say): the run itself is over.
        if (last && code.error() == errc::timeout) co_return std::move(*last);
        co_return std::move(code).error().with_operation(op);
    }
    raw->exit_code = *code;
    if (last) co_return std::move(*last);
    if (!env_file.empty()) co_await remove_file(sb, env_file);
    std::string both = raw->output + stderr_text;
    if (looks_missing(*code, both))
        co_return cli_error(errc::claude_cli_unavailable,
                            "the Claude Code CLI is not installed in the sandbox (exit code " +
                                std::to_string(*code) +
                                "): install it with claude::ensure_installed()",
                            op, both);
    co_return cli_error(errc::json_schema_mismatch,
                        "the CLI exited with " + std::to_string(*code) + " without a result event",
                        op, both);
}

asio::awaitable<result<install_info>> ensure_installed_impl(sandbox sb, install_options o) {
    static constexpr std::string_view op = "claude::ensure_installed";
    if (o.executable.empty() || o.executable.find('\0') != std::string::npos)
        co_return cli_error(errc::invalid_argument, "the executable name is empty or has a NUL",
                            op);
    const std::string check = daytona::detail::shell_quote(o.executable) + " --version 2>&1";
    auto proc = sb.process();
    auto v = co_await proc.exec(check);
    if (!v) co_return std::move(v).error().with_operation(op);
    if (v->exit_code == 0) co_return install_info{.version = first_word(v->output)};
    if (o.install_command.empty())
        co_return cli_error(errc::claude_cli_unavailable,
                            "the Claude Code CLI is not installed in the sandbox and installing "
                            "is off (install_options::install_command is empty)",
                            op, v->output);
    // The install runs in a session so that its output can be followed as it comes; its env
    // travels the way stream() sends secrets: through a mode-0600 file, never the text.
    invocation inv;
    inv.command = o.install_command + " 2>&1";
    std::string env_file;
    if (!o.env.empty()) {
        exec_options eo;
        eo.env = o.env;
        auto w = co_await proc.exec(env_file_writer(eo.env), std::move(eo));
        if (!w) co_return std::move(w).error().with_operation(op);
        if (w->exit_code != 0 || w->output.empty())
            co_return cli_error(errc::io_error, "cannot write the environment file", op, w->output);
        env_file = daytona::detail::trim(w->output);
    }
    const std::string sid = "daytona-claude-install-" + net::base64url_encode(net::random_bytes(9));
    auto s = co_await proc.create_session(sid);
    if (!s) {
        if (!env_file.empty()) co_await remove_file(sb, env_file);
        co_return std::move(s).error().with_operation(op);
    }
    const std::string marker = new_run_marker();
    auto cmd = co_await s->exec_async(session_command(inv, env_file, marker));
    if (!cmd) {
        (void)co_await s->destroy();
        if (!env_file.empty()) co_await remove_file(sb, env_file);
        co_return std::move(cmd).error().with_operation(op);
    }
    std::string log;
    output_callback on_out = [&](std::string_view chunk) {
        if (log.size() < 256 * 1024) log.append(chunk);
        if (o.on_progress) o.on_progress(chunk);
    };
    output_callback on_err = on_out;
    auto code = co_await follow_run(sb, *s, *cmd, std::move(on_out), std::move(on_err), o.timeout,
                                    op, marker, env_file);
    if (!code) co_return std::move(code).error().with_operation(op);
    if (*code != 0)
        co_return cli_error(
            errc::claude_cli_unavailable,
            "installing the Claude Code CLI failed with exit code " + std::to_string(*code), op,
            log);
    auto again = co_await proc.exec(check);
    if (!again) co_return std::move(again).error().with_operation(op);
    if (again->exit_code != 0)
        co_return cli_error(errc::claude_cli_unavailable,
                            "the install command succeeded but `" + o.executable +
                                " --version` still fails (exit code " +
                                std::to_string(again->exit_code) + "): is it on PATH?",
                            op, again->output);
    co_return install_info{.version = first_word(again->output), .installed_now = true};
}

}  // namespace detail
}  // namespace claude
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CLAUDE_IMPL_RUN_IPP
