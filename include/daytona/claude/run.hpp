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

DAYTONA_DECL daytona::error cli_error(errc code, std::string message, std::string_view operation,
                                      std::string_view output = {});

/// 127 (or the shell's "not found") means the CLI is not there.
DAYTONA_DECL bool looks_missing(int exit_code, std::string_view output);

/// The commands that put `env` into a new mode-0600 file without the values ever appearing in
/// command text: they come from the request's env field, and the file holds `export` lines.
/// The command prints the file's path.
DAYTONA_DECL std::string env_file_writer(const std::map<std::string, std::string>& env);

/// The variable every process of one run carries in its environment, so that a stopped run
/// can be found whole: the CLI starts its tools in process groups of their own, out of reach of
/// a session's or an exec's kill.
inline constexpr std::string_view run_marker_name = "DAYTONA_CLAUDE_RUN";

/// A new marker value (letters, digits, - and _ only).
DAYTONA_DECL std::string new_run_marker();

/// The command that kills (SIGKILL) every process whose environment holds `marker`.
DAYTONA_DECL std::string kill_marked_command(std::string_view marker);

/// Kills what is left of the run marked `marker` (it ended early). After a cancellation the
/// caller resets its cancellation state first: awaiting any awaitable of a cancelled
/// coroutine throws before that awaitable runs.
DAYTONA_DECL asio::awaitable<void> kill_marked(sandbox sb, std::string marker);

/// The session command: a subshell that marks its processes, reads and removes the env file,
/// goes to the working directory and runs the pipe command, with stdin at end of file.
DAYTONA_DECL std::string session_command(const invocation& inv, const std::string& env_file,
                                         std::string_view marker);

DAYTONA_DECL std::string first_word(std::string_view s);

DAYTONA_DECL asio::awaitable<result<run_output>> run_raw_impl(sandbox sb, std::string prompt,
                                                              options o);

DAYTONA_DECL result<run_result> read_run(run_output raw, std::string_view op);

DAYTONA_DECL asio::awaitable<result<run_result>> run_impl(sandbox sb, std::string prompt,
                                                          options o);

/// Removes the env file when the session command did not (it failed before sourcing it).
DAYTONA_DECL asio::awaitable<void> remove_file(sandbox sb, std::string path);

/**
 * Follows the run's session command `cid` to its end, or for `limit` at most (0: no limit).
 * When it ends early (errc::timeout past the limit, the caller's cancellation, an exception
 * from a callback) every process of the run is killed, even when the caller cancelled. The
 * session is deleted in any case, and the env file removed unless the command ran to its end
 * (it removes the file itself). An exception is rethrown after that.
 */
DAYTONA_DECL asio::awaitable<result<int>> follow_run(sandbox sb, session& s, std::string cid,
                                                     output_callback on_out, output_callback on_err,
                                                     std::chrono::milliseconds limit,
                                                     std::string_view op, std::string marker,
                                                     std::string env_file);

DAYTONA_DECL asio::awaitable<result<run_result>> stream_impl(sandbox sb, std::string prompt,
                                                             options o, event_callback on_event,
                                                             std::shared_ptr<run_output> raw);

DAYTONA_DECL asio::awaitable<result<install_info>> ensure_installed_impl(sandbox sb,
                                                                         install_options o);

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

#if DAYTONA_HEADER_ONLY
#include "daytona/claude/impl/run.ipp"
#endif

#endif  // DAYTONA_CLAUDE_RUN_HPP
