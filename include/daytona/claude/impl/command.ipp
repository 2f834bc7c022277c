// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of claude/command.hpp: included by it in the header-only build, compiled
// once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CLAUDE_IMPL_COMMAND_IPP
#define DAYTONA_CLAUDE_IMPL_COMMAND_IPP

#include "daytona/claude/command.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace claude {

namespace detail {

daytona::error invalid(std::string_view operation, std::string message) {
    return daytona::error(
        make_error_code(errc::invalid_argument),
        error_info{.message = std::move(message), .operation = std::string(operation)});
}

std::optional<daytona::error> check_no_nul(std::string_view operation, std::string_view what,
                                           std::string_view value) {
    const auto at = value.find('\0');
    if (at == std::string_view::npos) return std::nullopt;
    return invalid(operation, std::string(what) + " contains a NUL byte at offset " +
                                  std::to_string(at) + ", which no shell can pass");
}

void append_argument(std::string& out, std::string_view arg) {
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

result<std::vector<std::string>> cli_arguments(const options& o) {
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

result<std::string> pipe_command(std::string_view prompt, const options& o) {
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

result<invocation> make_invocation(std::string_view prompt, const options& o) {
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

#endif  // DAYTONA_CLAUDE_IMPL_COMMAND_IPP
