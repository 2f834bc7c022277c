// SPDX-License-Identifier: Apache-2.0
// Running the Claude Code CLI in a sandbox: run() (one exec, the JSON result), stream() (a
// session command followed live, one typed event per line) and ensure_installed().
#ifndef DAYTONA_CLAUDE_RUN_HPP
#define DAYTONA_CLAUDE_RUN_HPP

#include "daytona/claude/command.hpp"
#include "daytona/claude/events.hpp"
#include "daytona/claude/options.hpp"
#include "daytona/claude/result.hpp"
#include "daytona/config.hpp"
#include "daytona/detail/shell.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/error.hpp"
#include "daytona/net/crypto.hpp"
#include "daytona/polling.hpp"
#include "daytona/result.hpp"
#include "daytona/sandbox.hpp"
#include "daytona/session.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

DAYTONA_BEGIN_NAMESPACE
namespace claude {

/// What the CLI printed, before parsing (for callers who want the text itself).
struct run_output {
    /// The command's exit code (the CLI exits 1 when the run failed, 127 when it is missing).
    int exit_code = 0;
    /// What the command printed: stdout and stderr merged (run_raw()), or stdout (stream()).
    std::string output{};
};

/// Receives each stream-json event as the CLI prints it.
using event_callback = std::function<void(const event&)>;
/// Receives progress output (lines of `npm install`, for example) as it arrives.
using progress_callback = std::function<void(std::string_view chunk)>;

/// How ensure_installed() checks for and installs the CLI.
struct install_options {
    /// The CLI to look for (a name on PATH or a path). Default: "claude".
    std::string executable = "claude";
    /// The shell command that installs it when missing; empty: never install (a missing CLI
    /// is an error). Default: `npm install -g @anthropic-ai/claude-code`, as Daytona's guide
    /// does.
    std::string install_command = "npm install -g @anthropic-ai/claude-code";
    /// Environment of the install command (a registry token, a proxy), sent in the request's
    /// env field. Default: none.
    std::map<std::string, std::string> env{};
    /// Receives the install command's output as it runs. Default: none.
    progress_callback on_progress{};
    /// Limit for the install. Default: 10 minutes.
    std::chrono::milliseconds timeout = std::chrono::minutes(10);
};

/// What ensure_installed() found.
struct install_info {
    /// `claude --version`'s first word ("2.1.197").
    std::string version{};
    /// True when the CLI was missing and this call installed it.
    bool installed_now = false;
};

namespace detail {

inline daytona::error cli_error(errc code, std::string message, std::string_view operation,
                                std::string_view output = {}) {
    error_info info{.message = std::move(message), .operation = std::string(operation)};
    if (!output.empty()) info.body_excerpt = daytona::detail::printable_excerpt(output, 512);
    return daytona::error(make_error_code(code), std::move(info));
}

/// 127 (or the shell's "not found") means the CLI is not there.
inline bool looks_missing(int exit_code, std::string_view output) {
    return exit_code == 127 ||
           (exit_code != 0 && output.find("not found") != std::string_view::npos &&
            output.find('{') == std::string_view::npos);
}

/// The commands that put `env` into a new mode-0600 file without the values ever appearing in
/// command text: they come from the request's env field, and the file holds `export` lines.
/// The command prints the file's path.
inline std::string env_file_writer(const std::map<std::string, std::string>& env) {
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

/// The variable every process of one run carries in its environment, so that a stopped run
/// can be found whole: the CLI starts its tools in process groups of their own, out of reach of
/// a session's or an exec's kill.
inline constexpr std::string_view run_marker_name = "DAYTONA_CLAUDE_RUN";

/// A new marker value (letters, digits, - and _ only).
inline std::string new_run_marker() {
    return net::base64url_encode(net::random_bytes(9));
}

/// The command that kills (SIGKILL) every process whose environment holds `marker`.
inline std::string kill_marked_command(std::string_view marker) {
    std::string cmd = "m=" + std::string(run_marker_name) + "=" + std::string(marker) + "\n";
    cmd +=
        "for d in /proc/[0-9]*; do\n"
        "  tr '\\000' '\\n' < \"$d/environ\" 2>/dev/null | grep -qxF \"$m\" &&"
        " kill -9 \"${d#/proc/}\" 2>/dev/null\n"
        "done\ntrue";
    return cmd;
}

/// Kills what is left of the run marked `marker` (it ended early). After a cancellation the
/// caller resets its cancellation state first: awaiting any awaitable of a cancelled
/// coroutine throws before that awaitable runs.
inline asio::awaitable<void> kill_marked(sandbox sb, std::string marker) {
    (void)co_await sb.process().exec(kill_marked_command(marker));
}

/// The session command: a subshell that marks its processes, reads and removes the env file,
/// goes to the working directory and runs the pipe command, with stdin at end of file.
inline std::string session_command(const invocation& inv, const std::string& env_file,
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

inline std::string first_word(std::string_view s) {
    s = daytona::detail::trim(s);
    const auto sp = s.find_first_of(" \t\r\n");
    return std::string(s.substr(0, sp));
}

inline asio::awaitable<result<run_output>> run_raw_impl(sandbox sb, std::string prompt, options o) {
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

inline result<run_result> read_run(run_output raw, std::string_view op) {
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

inline asio::awaitable<result<run_result>> run_impl(sandbox sb, std::string prompt, options o) {
    auto raw = co_await run_raw_impl(std::move(sb), std::move(prompt), std::move(o));
    if (!raw) co_return std::move(raw).error();
    co_return read_run(std::move(*raw), "claude::run");
}

/// Removes the env file when the session command did not (it failed before sourcing it).
inline asio::awaitable<void> remove_file(sandbox sb, std::string path) {
    (void)co_await sb.process().exec("rm -f " + daytona::detail::shell_quote(path));
}

/**
 * Follows the run's session command `cid` to its end, or for `limit` at most (0: no limit).
 * When it ends early (errc::timeout past the limit, the caller's cancellation, an exception
 * from a callback) every process of the run is killed, even when the caller cancelled. The
 * session is deleted in any case, and the env file removed unless the command ran to its end
 * (it removes the file itself). An exception is rethrown after that.
 */
inline asio::awaitable<result<int>> follow_run(sandbox sb, session& s, std::string cid,
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

inline asio::awaitable<result<run_result>> stream_impl(sandbox sb, std::string prompt, options o,
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

inline asio::awaitable<result<install_info>> ensure_installed_impl(sandbox sb, install_options o) {
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

/**
 * \brief Runs the CLI in print mode in `sb` with `prompt` on its stdin and returns what it
 * printed, unparsed.
 * \details One `process().exec()` of pipe_command(): `o.env` (ANTHROPIC_API_KEY and any other
 * secret) travels in the request's env field and `o.cwd` in its cwd field, never in the
 * command text. `o.timeout` bounds the run (0: none): past it every process of the run is
 * killed, the tools the CLI started included.
 * \par Errors
 * errc::invalid_argument for a NUL byte in the prompt or a value, or a bad env name;
 * condition::timeout after `o.timeout`; the toolbox's errors. A non-zero exit is a result.
 * \par Lifetimes
 * Every argument is copied into the operation.
 */
[[nodiscard]] inline asio::awaitable<result<run_output>> run_raw(sandbox sb, std::string prompt,
                                                                 options o) {
    return detail::run_raw_impl(std::move(sb), std::move(prompt), std::move(o));
}

/**
 * \brief Runs the CLI in print mode in `sb` and returns its parsed result.
 * \details run_raw(), then parse_result() on the output (json or stream-json). A run that
 * failed in the CLI (an API error: `is_error` with subtype "success"; the turn limit) is a
 * result: check run_result::failed(). For the raw text, use run_raw().
 * \par Errors
 * As run_raw(); errc::claude_cli_unavailable when the CLI is missing (exit code 127);
 * errc::json_parse_error or errc::json_schema_mismatch when the output holds no result event
 * (the message has the exit code, `body_excerpt` the start of the output). Errors never
 * contain env values.
 * \par Cancellation
 * Cancelling stops the CLI and the tools it started in the sandbox before completing.
 */
[[nodiscard]] inline asio::awaitable<result<run_result>> run(sandbox sb, std::string prompt,
                                                             options o) {
    return detail::run_impl(std::move(sb), std::move(prompt), std::move(o));
}
/// run() with default options.
[[nodiscard]] inline asio::awaitable<result<run_result>> run(sandbox sb, std::string prompt) {
    return detail::run_impl(std::move(sb), std::move(prompt), options{});
}

/**
 * \brief Runs the CLI with stream-json output and hands each event to `on_event` as the CLI
 * prints it; returns the final result.
 * \details The CLI runs as an async command of a new session, followed live over the
 * toolbox's WebSocket log stream; each stdout line becomes a typed event (system init,
 * assistant, user with tool results, result) delivered in order while the run goes on.
 * Sessions have no env field, so `o.env` is first written by `process().exec()` (the values in
 * that request's env field) into a mode-0600 file that the session command sources and
 * removes: no value ever appears in a command text. `o.output_format` is ignored (stream-json).
 * The session is deleted afterwards. When `raw` is given it receives stdout and the exit code.
 * `o.timeout` bounds the run (0: none): past it every process of the run is killed (the CLI
 * and the tools it started), and the events printed until then have been delivered.
 * \par Errors
 * As run(), plus the session API's errors; errc::timeout after `o.timeout`; lines that are not
 * events are skipped (they stay in `raw`).
 * \par Lifetimes
 * `on_event` is called on the client's executor, inside this operation, and is copied in.
 */
[[nodiscard]] inline asio::awaitable<result<run_result>> stream(sandbox sb, std::string prompt,
                                                                options o, event_callback on_event,
                                                                std::shared_ptr<run_output> raw) {
    if (!raw) raw = std::make_shared<run_output>();
    return detail::stream_impl(std::move(sb), std::move(prompt), std::move(o), std::move(on_event),
                               std::move(raw));
}
/// stream() without the raw output.
[[nodiscard]] inline asio::awaitable<result<run_result>> stream(sandbox sb, std::string prompt,
                                                                options o,
                                                                event_callback on_event) {
    return detail::stream_impl(std::move(sb), std::move(prompt), std::move(o), std::move(on_event),
                               std::make_shared<run_output>());
}

/**
 * \brief Makes sure the CLI is installed in `sb`: checks `claude --version`, installs it with
 * `o.install_command` when missing (its output to `o.on_progress` as it comes), checks again.
 * The install is stopped after `o.timeout` (0: no limit).
 * \par Errors
 * errc::claude_cli_unavailable when it is missing and cannot be installed (the message has
 * the exit code, `body_excerpt` the end of the install log); errc::timeout when the install
 * ran past `o.timeout`; the toolbox's errors.
 */
[[nodiscard]] inline asio::awaitable<result<install_info>> ensure_installed(sandbox sb,
                                                                            install_options o) {
    return detail::ensure_installed_impl(std::move(sb), std::move(o));
}
/// ensure_installed() with default options.
[[nodiscard]] inline asio::awaitable<result<install_info>> ensure_installed(sandbox sb) {
    return detail::ensure_installed_impl(std::move(sb), install_options{});
}

}  // namespace claude
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CLAUDE_RUN_HPP
