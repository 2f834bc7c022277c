// SPDX-License-Identifier: Apache-2.0
// claude::options: how to run the Claude Code CLI in print mode (flags, environment, directory).
#ifndef DAYTONA_CLAUDE_OPTIONS_HPP
#define DAYTONA_CLAUDE_OPTIONS_HPP

#include "daytona/config.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace claude {

/// What the CLI prints on stdout (`--output-format`).
enum class output_format {
    /// One JSON object, the `result` event, when the run ends (parse it with parse_result()).
    json,
    /// The answer text only.
    text,
    /// One JSON event per line while the run goes on (see event_parser); the last line is the
    /// `result` event, so parse_result() reads the whole output too. Implies `--verbose`, which
    /// the CLI requires for this format in print mode.
    stream_json,
};

/// The CLI's name of a format: "json", "text" or "stream-json".
constexpr std::string_view to_string(output_format f) noexcept {
    switch (f) {
        case output_format::json:
            return "json";
        case output_format::text:
            return "text";
        case output_format::stream_json:
            return "stream-json";
    }
    return "json";
}

/**
 * \brief How to run `claude -p`: CLI flags, plus the environment and directory of the command.
 * \details Every field is optional; a default-constructed value runs
 * `claude -p --output-format json` with the CLI's own defaults for everything else. Each set
 * field becomes the flag named in its comment, with its value as one argv element whatever bytes
 * it holds (values with a NUL byte are rejected: a shell cannot pass them).
 *
 * `env` and `cwd` are not part of the command line: they belong in the exec request (see
 * claude::invocation), so secrets such as `ANTHROPIC_API_KEY` never appear in the command text,
 * in process listings or in error messages.
 *
 * Fields are appended, never reordered (designated initializers follow declaration order).
 */
struct options {
    /// `--model`: an alias ("sonnet", "opus") or a full model name. Default: the CLI's choice.
    std::optional<std::string> model{};
    /// `--output-format`. Default: json (one result object, read with parse_result()).
    claude::output_format output_format = claude::output_format::json;
    /// `--continue`: continue the most recent conversation in the working directory. Default: off.
    bool continue_session = false;
    /// `--resume=<id>`: resume the conversation with this session id. Default: a new session.
    std::optional<std::string> resume{};
    /// `--session-id`: the UUID the new conversation gets. Default: the CLI makes one.
    std::optional<std::string> session_id{};
    /// `--system-prompt`: replaces the default system prompt. Default: the CLI's prompt.
    std::optional<std::string> system_prompt{};
    /// `--append-system-prompt`: text appended to the system prompt. Default: none.
    std::optional<std::string> append_system_prompt{};
    /// `--allowedTools=<tool>`, once per entry ("Read", "Bash(git log:*)"). Default: none.
    std::vector<std::string> allowed_tools{};
    /// `--disallowedTools=<tool>`, once per entry. Default: none.
    std::vector<std::string> disallowed_tools{};
    /// `--max-turns`: stop after this many agentic turns (the result's subtype is then
    /// "error_max_turns"). Accepted by the CLI in print mode although `claude --help` does not
    /// list it. Default: no limit.
    std::optional<int> max_turns{};
    /// `--permission-mode`: "acceptEdits", "auto", "bypassPermissions", "default", "dontAsk" or
    /// "plan" (the CLI validates the name). Default: the CLI's setting.
    std::optional<std::string> permission_mode{};
    /// `--dangerously-skip-permissions`. The CLI refuses it when running as root unless
    /// `IS_SANDBOX=1` is in its environment (put it in `env`). Default: off.
    bool skip_permissions = false;
    /// `--add-dir=<dir>`, once per entry: more directories the tools may access. Default: none.
    std::vector<std::string> add_dirs{};
    /// `--settings`: a settings file path or a JSON string. Default: none.
    std::optional<std::string> settings{};
    /// `--mcp-config=<config>`, once per entry: MCP server JSON files or strings. Default: none.
    std::vector<std::string> mcp_config{};
    /// More arguments passed to the CLI after the ones above, each as one argv element (e.g.
    /// {"--fallback-model", "haiku"}). Default: none.
    std::vector<std::string> extra_args{};
    /// Working directory of the command, sent as the exec request's `cwd` (not in the command
    /// text). `--continue` finds conversations by directory, so keep it stable across turns.
    /// Default: the sandbox's working directory.
    std::optional<std::string> cwd{};
    /// Environment of the command (`ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`, ...), sent in the
    /// exec request's env field, never in the command text. Default: none.
    std::map<std::string, std::string> env{};
    /// The CLI to run: a name looked up on PATH or a path, used as one word. Default: "claude".
    std::string executable = "claude";
    /// Limit for the whole run: the command is killed after it and the call fails with
    /// condition::timeout (claude::stream delivers the events printed until then).
    /// Default: 0, no limit.
    std::chrono::milliseconds timeout{0};
};

}  // namespace claude
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CLAUDE_OPTIONS_HPP
