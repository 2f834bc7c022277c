// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of process.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_PROCESS_IPP
#define DAYTONA_IMPL_PROCESS_IPP

#include "daytona/net/crypto.hpp"
#include "daytona/polling.hpp"
#include "daytona/process.hpp"

#include <asio/this_coro.hpp>

#include <chrono>
#include <exception>
#include <map>
#include <string>

DAYTONA_BEGIN_NAMESPACE

asio::awaitable<result<std::vector<session_info>>> process::list_sessions_op(api::channel ch,
                                                                             request_options ro) {
    co_return co_await api::list_sessions(ch, ro);
}

asio::awaitable<result<session_info>> process::entrypoint_op(api::channel ch, request_options ro) {
    co_return co_await api::get_entrypoint_session(ch, ro);
}

asio::awaitable<result<session_logs>> process::entrypoint_logs_op(api::channel ch,
                                                                  request_options ro) {
    co_return co_await api::get_entrypoint_logs(ch, ro);
}

asio::awaitable<result<dir_response>> process::home_op(api::channel ch, request_options ro) {
    co_return co_await api::get_user_home_dir(ch, ro);
}

asio::awaitable<result<dir_response>> process::work_dir_op(api::channel ch, request_options ro) {
    co_return co_await api::get_work_dir(ch, ro);
}

asio::awaitable<result<version_response>> process::version_op(api::channel ch, request_options ro) {
    co_return co_await api::get_version(ch, ro);
}

asio::awaitable<result<port_list>> process::ports_op(api::channel ch, request_options ro) {
    co_return co_await api::get_ports(ch, ro);
}

asio::awaitable<result<bool>> process::port_in_use_impl(state_ptr c, data_ptr s, int port,
                                                        request_options ro) {
    auto ch = co_await detail::toolbox_channel(c, s, ro);
    if (!ch) co_return std::move(ch).error();
    auto r = co_await api::is_port_in_use(*ch, port, ro);
    if (!r) co_return std::move(r).error();
    co_return r->is_in_use;
}

asio::awaitable<result<daytona::session>> process::create_session_impl(state_ptr c, data_ptr s,
                                                                       std::string id,
                                                                       request_options ro) {
    auto ch = co_await detail::toolbox_channel(c, s, ro);
    if (!ch) co_return std::move(ch).error();
    auto r = co_await api::create_session(*ch, id, ro);
    if (!r) co_return std::move(r).error();
    co_return daytona::session(c, s, std::move(id));
}

asio::awaitable<result<code_run_result>> process::code_run_impl(state_ptr c, data_ptr s,
                                                                std::string code,
                                                                code_run_options opts) {
    auto lang = s->info.labels.find("code-toolbox-language");
    if (lang == s->info.labels.end())
        co_return error(make_error_code(errc::invalid_argument),
                        error_info{.message = "the sandbox has no code-toolbox-language "
                                              "label: create it with create_params::language",
                                   .operation = "code_run"});
    if (opts.timeout.count() < 0)
        co_return error(
            make_error_code(errc::invalid_argument),
            error_info{.message = "timeout must not be negative", .operation = "code_run"});
    code_run_request body{.code = std::move(code),
                          .language = lang->second,
                          .argv = std::move(opts.argv),
                          .envs = std::move(opts.env)};
    request_options ro;
    if (opts.timeout.count() > 0) {
        body.timeout = timeout_seconds(opts.timeout);
        ro.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::seconds(*body.timeout) + api::exec_deadline_margin);
    } else {
        ro.timeout = std::chrono::milliseconds(0);
    }
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::code_run(*ch, body, ro);
}

std::string process::wrap_in_subshell(const std::string& command, const std::string& cwd) {
    std::string out;
    if (!cwd.empty()) {
        out += "cd -- '";
        for (char ch : cwd) {
            if (ch == '\'')
                out += "'\\''";
            else
                out += ch;
        }
        out += "' && ";
    }
    out += "(\n";
    out += command;
    out += "\n) < /dev/null";
    return out;
}

bool process::is_env_name(const std::string& name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
    for (char ch : name)
        if (!(ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9')))
            return false;
    return true;
}

execute_request process::env_file_writer(const std::string& file,
                                         const std::map<std::string, std::string>& env) {
    std::string cmd = "umask 077 && : > '" + file + "' && for k in";
    for (const auto& [name, value] : env)
        cmd += " " + name;
    // `e` is the value with each ' written as '\'' ; the trailing '.' keeps trailing
    // newlines through the command substitution.
    cmd +=
        "; do eval \"v=\\${$k}\"; e=$(printf '%s.' \"$v\" | sed \"s/'/'\\\\\\\\''/g\"); "
        "e=${e%.}; printf \"export %s='%s'\\n\" \"$k\" \"$e\" >> '" +
        file + "' || exit 1; done";
    return execute_request{.command = std::move(cmd), .envs = env, .timeout = 60};
}

execute_request process::env_cleanup(const std::string& file) {
    return execute_request{.command = "rm -f '" + file + "'", .timeout = 60};
}

asio::awaitable<result<exec_output>> process::exec_split_impl(state_ptr c, data_ptr s,
                                                              std::string command,
                                                              exec_options opts) {
    auto bad = [](std::string why) {
        return error(make_error_code(errc::invalid_argument),
                     error_info{.message = std::move(why), .operation = "exec_split"});
    };
    for (const auto& [name, value] : opts.env)
        if (!is_env_name(name)) co_return bad("invalid environment variable name: " + name);
    if (opts.timeout.count() < 0) co_return bad("timeout must not be negative");
    if (command.find_first_not_of(" \t\r\n") == std::string::npos)
        co_return bad("the command is empty");
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    const std::string sid = "daytona-cpp-exec-" + net::base64url_encode(net::random_bytes(9));
    auto made = co_await api::create_session(*ch, sid);
    if (!made) co_return std::move(made).error().with_operation("exec_split");
    std::string script = wrap_in_subshell(command, opts.cwd.value_or(""));
    std::string env_file;
    if (!opts.env.empty()) {
        // A session has no environment field, and secrets must not travel in command text:
        // an execute request carries the values in its `envs` (traces redact them) and
        // writes them to a file only the sandbox user can read, which the session command
        // sources and removes before anything else runs.
        env_file = "/tmp/." + sid + ".env";
        const auto written =
            co_await api::execute_command(*ch, env_file_writer(env_file, opts.env));
        if (!written || written->exit_code != 0) {
            (void)co_await api::delete_session(*ch, sid);
            if (!written) co_return std::move(written).error().with_operation("exec_split");
            co_return bad("cannot pass the environment: " + written->output);
        }
        script = ". '" + env_file + "'; rm -f '" + env_file + "'\n" + script;
    }
    const session_execute_request body{.command = std::move(script)};
    request_options ro;
    ro.timeout = opts.timeout;
    auto call = api::execute_session_command(*ch, sid, body, ro);
    auto done = co_await detail::completing(std::move(call));
    if (done.second || (!*done.first && done.first->error() == errc::cancelled)) {
        // Cancelled by the caller: the command is still running in the session. The clean-up
        // below runs anyway (awaiting in a cancelled coroutine would throw before it starts).
        co_await asio::this_coro::reset_cancellation_state();
        co_await asio::this_coro::throw_if_cancelled(false);
    }
    // Deleting the session ends the command if it is still running (after a timeout or a
    // cancellation).
    (void)co_await api::delete_session(*ch, sid);
    if (!env_file.empty() && (done.second || !*done.first)) {
        // The command may never have started: make sure the file is gone.
        const auto cleanup = env_cleanup(env_file);
        (void)co_await api::execute_command(*ch, cleanup);
    }
    if (done.second) std::rethrow_exception(done.second);
    auto& r = *done.first;
    if (!r) co_return std::move(r).error().with_operation("exec_split");
    co_return exec_output{.exit_code = r->exit_code.value_or(-1),
                          .stdout_text = std::move(r->stdout_text),
                          .stderr_text = std::move(r->stderr_text)};
}

asio::awaitable<result<exec_result>> process::exec_impl(std::shared_ptr<detail::client_state> c,
                                                        std::shared_ptr<detail::sandbox_data> s,
                                                        std::string command, exec_options opts,
                                                        request_options ro) {
    if (opts.timeout.count() < 0)
        co_return error(
            make_error_code(errc::invalid_argument),
            error_info{.message = "timeout must not be negative", .operation = "execute_command"});
    auto ch = co_await detail::toolbox_channel(c, s, ro);
    if (!ch) co_return std::move(ch).error();
    const auto req = api::to_request(std::move(command), opts);
    co_return co_await api::execute_command(*ch, req, ro);
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_PROCESS_IPP
