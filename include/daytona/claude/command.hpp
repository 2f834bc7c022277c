// SPDX-License-Identifier: Apache-2.0
// The safe pipe command: `printf '%s' '<prompt>' | claude -p <flags>`, with every byte quoted.
#ifndef DAYTONA_CLAUDE_COMMAND_HPP
#define DAYTONA_CLAUDE_COMMAND_HPP

#include "daytona/claude/options.hpp"
#include "daytona/config.hpp"
#include "daytona/detail/shell.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/error.hpp"
#include "daytona/result.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace claude {

namespace detail {

inline daytona::error invalid(std::string_view operation, std::string message) {
    return daytona::error(
        make_error_code(errc::invalid_argument),
        error_info{.message = std::move(message), .operation = std::string(operation)});
}

// A shell word cannot hold a NUL byte. The message names the option, never its value.
inline std::optional<daytona::error> check_no_nul(std::string_view operation, std::string_view what,
                                                  std::string_view value) {
    const auto at = value.find('\0');
    if (at == std::string_view::npos) return std::nullopt;
    return invalid(operation, std::string(what) + " contains a NUL byte at offset " +
                                  std::to_string(at) + ", which no shell can pass");
}

// Appends one argv element. `--flag=value` keeps its safe prefix unquoted for readability
// (`--allowedTools='Bash(ls:*)'`); the shell joins the two parts into one word.
inline void append_argument(std::string& out, std::string_view arg) {
    const auto eq = arg.find('=');
    if (eq != std::string_view::npos && eq > 0 && arg.front() == '-' &&
        daytona::detail::is_shell_safe_word(arg.substr(0, eq + 1)) &&
        !daytona::detail::is_shell_safe_word(arg)) {
        out.append(arg.substr(0, eq + 1));
        daytona::detail::append_single_quoted(out, arg.substr(eq + 1));
        return;
    }
    daytona::detail::append_shell_word(out, arg);
}

}  // namespace detail

/**
 * \brief The CLI arguments `o` stands for, after the executable and before any redirection:
 * `-p --output-format <fmt> [--verbose] [--model <m>] ...`, one element per argv entry.
 * \details The order is fixed: `-p`, `--output-format`, `--verbose` (stream-json only),
 * `--model`, `--continue`, `--resume=`, `--session-id`, `--system-prompt`,
 * `--append-system-prompt`, `--allowedTools=` (one per tool), `--disallowedTools=`,
 * `--max-turns`, `--permission-mode`, `--dangerously-skip-permissions`, `--add-dir=`,
 * `--settings`, `--mcp-config=`, then `extra_args`. Options whose CLI value is optional or
 * variadic (`--resume [value]`, `--allowedTools <tools...>`, ...) are written as
 * `--flag=value`: the CLI (commander) would not take a value that starts with `-` for
 * `--resume`, and a variadic flag would swallow the arguments that follow it.
 * \par Errors
 * errc::invalid_argument when a value contains a NUL byte (the message names the option).
 */
[[nodiscard]] inline result<std::vector<std::string>> cli_arguments(const options& o) {
    static constexpr std::string_view op = "claude::pipe_command";
    std::vector<std::string> args;
    std::optional<daytona::error> bad;
    const auto value = [&](std::string_view flag, const std::string& v) {
        if (!bad) bad = detail::check_no_nul(op, flag, v);
        args.emplace_back(flag);
        args.push_back(v);
    };
    const auto joined = [&](std::string_view flag, const std::string& v) {
        if (!bad) bad = detail::check_no_nul(op, flag, v);
        std::string a(flag);
        a += '=';
        a += v;
        args.push_back(std::move(a));
    };
    args.emplace_back("-p");
    args.emplace_back("--output-format");
    args.emplace_back(to_string(o.output_format));
    // Print mode refuses stream-json without --verbose.
    if (o.output_format == output_format::stream_json) args.emplace_back("--verbose");
    if (o.model) value("--model", *o.model);
    if (o.continue_session) args.emplace_back("--continue");
    if (o.resume) joined("--resume", *o.resume);
    if (o.session_id) value("--session-id", *o.session_id);
    if (o.system_prompt) value("--system-prompt", *o.system_prompt);
    if (o.append_system_prompt) value("--append-system-prompt", *o.append_system_prompt);
    for (const auto& t : o.allowed_tools)
        joined("--allowedTools", t);
    for (const auto& t : o.disallowed_tools)
        joined("--disallowedTools", t);
    if (o.max_turns) {
        args.emplace_back("--max-turns");
        args.push_back(std::to_string(*o.max_turns));
    }
    if (o.permission_mode) value("--permission-mode", *o.permission_mode);
    if (o.skip_permissions) args.emplace_back("--dangerously-skip-permissions");
    for (const auto& d : o.add_dirs)
        joined("--add-dir", d);
    if (o.settings) value("--settings", *o.settings);
    for (const auto& c : o.mcp_config)
        joined("--mcp-config", c);
    for (const auto& a : o.extra_args) {
        if (!bad) bad = detail::check_no_nul(op, "an extra argument", a);
        args.push_back(a);
    }
    if (bad) return std::move(*bad);
    return args;
}

/**
 * \brief The shell command that runs the CLI in print mode with `prompt` on its stdin.
 * \details The shape is
 * \code
 * printf '%s' '<prompt>' | claude -p --output-format json [flags...]
 * \endcode
 * The prompt travels on stdin, not in argv: every byte arrives unchanged (quotes, `$`,
 * backticks, backslashes, newlines, a leading `-n`, invalid UTF-8), at any length, under bash
 * and dash (both property-tested) and zsh (same single-quote rules; words starting with `=` are
 * quoted for it). `printf` is a builtin in all three, and `%s` never interprets its argument
 * (`echo` would, under dash). Every flag value is one argv element (see cli_arguments()). The
 * command uses POSIX syntax only.
 *
 * Not part of the command: `o.env` (secrets) and `o.cwd`. Send those in the exec request; see
 * make_invocation(). The command can be longer than the 128 KiB a single `sh -c` argument may
 * have on Linux; the toolbox writes commands to the shell's stdin, where no such limit applies.
 * \par Errors
 * errc::invalid_argument when the prompt or a value contains a NUL byte (refused: a shell
 * cannot pass it), or when `o.executable` is empty. Messages name the offending option, never
 * its value.
 */
[[nodiscard]] inline result<std::string> pipe_command(std::string_view prompt, const options& o) {
    static constexpr std::string_view op = "claude::pipe_command";
    if (auto e = detail::check_no_nul(op, "the prompt", prompt)) return std::move(*e);
    if (o.executable.empty()) return detail::invalid(op, "the executable name is empty");
    if (auto e = detail::check_no_nul(op, "the executable", o.executable)) return std::move(*e);
    auto args = cli_arguments(o);
    if (!args) return std::move(args).error();
    std::size_t size = prompt.size() + o.executable.size() + 32;
    for (const auto& a : *args)
        size += a.size() + 3;
    std::string cmd;
    cmd.reserve(size);
    cmd += "printf '%s' ";
    daytona::detail::append_single_quoted(cmd, prompt);
    cmd += " | ";
    daytona::detail::append_shell_word(cmd, o.executable);
    for (const auto& a : *args) {
        cmd += ' ';
        detail::append_argument(cmd, a);
    }
    return cmd;
}

/**
 * \brief Everything an exec request needs to run the CLI: the command text, and the env and
 * working directory that travel beside it.
 * \details `run` sends `command` with `env` in the request's env field and `cwd` in its cwd
 * field. Session commands have no env field; there the values must come from the sandbox's env
 * or from a file with mode 0600 that the command sources and removes, never from the text.
 */
struct invocation {
    /// The pipe command (pipe_command()); contains no env value.
    std::string command{};
    /// The options' `env`, for the request's env field.
    std::map<std::string, std::string> env{};
    /// The options' `cwd`, for the request's cwd field; empty means the sandbox's default.
    std::optional<std::string> cwd{};
    /// The format the command asks for: json and stream-json output are read by parse_result().
    claude::output_format output_format = claude::output_format::json;
};

/**
 * \brief The invocation for `prompt` under `o`: pipe_command() plus `o.env` and `o.cwd`.
 * \par Errors
 * As pipe_command(); also errc::invalid_argument when an env name is not
 * `[A-Za-z_][A-Za-z0-9_]*` or an env value contains a NUL byte (the message names the variable,
 * never its value).
 */
[[nodiscard]] inline result<invocation> make_invocation(std::string_view prompt, const options& o) {
    static constexpr std::string_view op = "claude::make_invocation";
    for (const auto& [name, value] : o.env) {
        if (!daytona::detail::is_env_name(name))
            return detail::invalid(op, "invalid environment variable name '" +
                                           daytona::detail::printable_excerpt(name, 64) + "'");
        if (auto e = detail::check_no_nul(op, "environment variable " + name, value))
            return std::move(*e);
    }
    if (o.cwd)
        if (auto e = detail::check_no_nul(op, "cwd", *o.cwd)) return std::move(*e);
    auto cmd = pipe_command(prompt, o);
    if (!cmd) return std::move(cmd).error();
    return invocation{
        .command = std::move(*cmd), .env = o.env, .cwd = o.cwd, .output_format = o.output_format};
}

}  // namespace claude
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CLAUDE_COMMAND_HPP
