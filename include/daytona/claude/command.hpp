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

DAYTONA_DECL daytona::error invalid(std::string_view operation, std::string message);

// A shell word cannot hold a NUL byte. The message names the option, never its value.
DAYTONA_DECL std::optional<daytona::error> check_no_nul(std::string_view operation,
                                                        std::string_view what,
                                                        std::string_view value);

// Appends one argv element. `--flag=value` keeps its safe prefix unquoted for readability
// (`--allowedTools='Bash(ls:*)'`); the shell joins the two parts into one word.
DAYTONA_DECL void append_argument(std::string& out, std::string_view arg);

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
[[nodiscard]] DAYTONA_DECL result<std::vector<std::string>> cli_arguments(const options& o);

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
[[nodiscard]] DAYTONA_DECL result<std::string> pipe_command(std::string_view prompt,
                                                            const options& o);

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
[[nodiscard]] DAYTONA_DECL result<invocation> make_invocation(std::string_view prompt,
                                                              const options& o);

}  // namespace claude
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/claude/impl/command.ipp"
#endif

#endif  // DAYTONA_CLAUDE_COMMAND_HPP
