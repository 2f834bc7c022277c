// SPDX-License-Identifier: Apache-2.0
// /toolbox/{id}/process/execute and /process/code-run: one-shot processes.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/codec/process.hpp>
#include <daytona/codec/session.hpp>
#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>

#include <fstream>

namespace daytona::emulator {

namespace process_impl {

class process {
public:
    explicit process(context& ctx) : ctx_(ctx) {}

    asio::awaitable<void> execute(call& c);
    asio::awaitable<void> code_run(call& c);

private:
    context& ctx_;
};

asio::awaitable<void> process::execute(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    auto body = co_await read_json<execute_request>(ex, true);
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
    auto cwd = ctx_.host.host_path(rec, body->cwd.value_or(""), &why);
    if (!cwd) co_return co_await send(ex, toolbox_error(ex, 400, "INVALID_FILE_PATH", why));
    std::error_code ec;
    if (!fs::is_directory(*cwd, ec))
        co_return co_await send(
            ex, toolbox_error(ex, 400, "INVALID_FILE_PATH",
                              "cwd " + ctx_.host.absolute_in_sandbox(rec, body->cwd.value_or("")) +
                                  " is not a directory"));
    run_spec spec;
    // As the daemon does: the command goes to a plain shell's stdin, not to `-c`.
    std::vector<std::string> argv{"/bin/bash"};
    spec.process = ctx_.host.process_spec(rec, std::move(argv), body->cwd.value_or(""), body->envs);
    spec.stdin_data = body->command + "\n";
    spec.timeout = std::chrono::seconds(body->timeout.value_or(0));
    spec.tracker = ctx_.runtime_of(rec.info.id);
    auto outcome = co_await run_command(std::move(spec));
    if (outcome.timed_out)
        co_return co_await send(
            ex, toolbox_error(ex, 408, "REQUEST_TIMEOUT", "command execution timeout"));
    const exec_result result{.exit_code = outcome.spawn_failed ? -1 : outcome.exit_code,
                             .output = valid_utf8(outcome.output)};
    co_await send(ex, encoded_reply(result));
}

asio::awaitable<void> process::code_run(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    auto body = co_await read_json<code_run_request>(ex, true);
    if (!body) co_return;
    auto language = body->language;
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
    argv.push_back(ctx_.host.process_path(rec, script));
    for (auto& a : body->argv)
        argv.push_back(a);
    run_spec spec;
    spec.process = ctx_.host.process_spec(rec, std::move(argv), "", body->envs);
    spec.timeout = std::chrono::seconds(body->timeout.value_or(0));
    spec.tracker = ctx_.runtime_of(rec.info.id);
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
    // No charts: `artifacts` is left out, and the SDKs read that as no charts.
    const code_run_result ran{.exit_code = outcome.spawn_failed ? -1 : outcome.exit_code,
                              .output = valid_utf8(result)};
    co_await send(ex, encoded_reply(ran));
}

}  // namespace process_impl

void add_process_routes(route_table& table, context& ctx) {
    using process_impl::process;
    table.add(std::make_shared<process>(ctx), {{api::ops::execute_command, &process::execute},
                                               {api::ops::code_run, &process::code_run}});
}

}  // namespace daytona::emulator
