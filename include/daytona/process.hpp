// SPDX-License-Identifier: Apache-2.0
// daytona::process: running commands in a sandbox.
#ifndef DAYTONA_PROCESS_HPP
#define DAYTONA_PROCESS_HPP

#include "daytona/api/toolbox/process.hpp"
#include "daytona/api/toolbox/sessions.hpp"
#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/models/process.hpp"
#include "daytona/models/session.hpp"
#include "daytona/session.hpp"

#include <memory>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/**
 * \brief Command execution in one sandbox (the toolbox `process` API).
 * \par Copying
 * A cheap handle: copies share the client and the sandbox data.
 * \par Thread safety
 * As the client: use from the client's executor, one thread or strand at a time.
 */
class process {
public:
    /**
     * \brief Runs `command` with the sandbox's shell and returns its exit code and output.
     * \details stdout and stderr come back merged. The command text is sent as is: quote any
     * user data you splice into it, and pass secrets in `opts.env`, never in the text.
     * \par Errors
     * condition::timeout (HTTP 408) when the command outlived `opts.timeout`; HTTP errors
     * (404 unknown sandbox, 400 empty command, 401, ...); transport errors. A non-zero exit
     * code is a successful result.
     * \par Retries
     * Never sent twice: a retry could run the command twice.
     * \par Cancellation
     * Cancelling the awaiting coroutine abandons the request (the connection is closed); the
     * command may still run to completion in the sandbox.
     */
    [[nodiscard]] asio::awaitable<result<exec_result>> exec(std::string command, exec_options opts,
                                                            request_options ro = {}) const {
        return exec_impl(client_, sandbox_, std::move(command), std::move(opts), ro);
    }
    /// exec() with default options. An overload rather than a defaulted argument: GCC 12
    /// destroys a defaulted class-type argument twice when the call sits inside `co_await`.
    [[nodiscard]] asio::awaitable<result<exec_result>> exec(std::string command) const {
        return exec_impl(client_, sandbox_, std::move(command), exec_options{}, {});
    }

    /**
     * \brief Runs `command` and returns its exit code with stdout and stderr kept apart.
     * \details Runs in a session of its own (the daemon's execute endpoint merges the two
     * streams), in a subshell with stdin at end of file, so an `exit` or a `set -e` in the
     * command ends only the command. `opts.timeout` ends it (condition::timeout) by deleting
     * its session, which kills everything it started. The session is deleted afterwards.
     * `opts.env` reaches the command without entering any command text: the values go in the
     * body of an execute request (whose traces redact them), which writes them to a file only
     * the sandbox user can read; the command sources the file and removes it first thing.
     * \par Errors
     * errc::invalid_argument for a variable name that is not a shell name; condition::timeout;
     * the session API's errors. A non-zero exit code is a result.
     */
    [[nodiscard]] asio::awaitable<result<exec_output>> exec_split(std::string command,
                                                                  exec_options opts) const {
        return exec_split_impl(client_, sandbox_, std::move(command), std::move(opts));
    }
    /// exec_split() with default options.
    [[nodiscard]] asio::awaitable<result<exec_output>> exec_split(std::string command) const {
        return exec_split_impl(client_, sandbox_, std::move(command), exec_options{});
    }

    /**
     * \brief Runs `code` with the sandbox's language (its `code-toolbox-language` label:
     * python, typescript or javascript), stdout and stderr merged; Python charts come back as
     * artifacts.
     * \par Errors
     * errc::invalid_argument when the sandbox has no language label; condition::timeout (408)
     * after `opts.timeout`. A non-zero exit code is a result.
     */
    [[nodiscard]] asio::awaitable<result<code_run_result>> code_run(std::string code,
                                                                    code_run_options opts) const {
        return code_run_impl(client_, sandbox_, std::move(code), std::move(opts));
    }
    /// code_run() with default options.
    [[nodiscard]] asio::awaitable<result<code_run_result>> code_run(std::string code) const {
        return code_run_impl(client_, sandbox_, std::move(code), code_run_options{});
    }

    /// Creates a session (a persistent shell) named `id`; condition::conflict if it exists.
    /// `ro` overrides the client's timeout and retries for this call (as on every call below;
    /// a timeout fails with condition::timeout naming the operation).
    [[nodiscard]] asio::awaitable<result<daytona::session>> create_session(
        std::string id, request_options ro = {}) const {
        return create_session_impl(client_, sandbox_, std::move(id), ro);
    }
    /// A handle to the existing session `id` (no request is made).
    daytona::session session(std::string id) const {
        return daytona::session(client_, sandbox_, std::move(id));
    }
    /// Every session of the sandbox.
    [[nodiscard]] asio::awaitable<result<std::vector<session_info>>> list_sessions(
        request_options ro = {}) const {
        return toolbox_call<std::vector<session_info>>(client_, sandbox_, ro, &list_sessions_op);
    }
    /// The session that runs the sandbox's entrypoint, and its log.
    [[nodiscard]] asio::awaitable<result<session_info>> entrypoint_session(
        request_options ro = {}) const {
        return toolbox_call<session_info>(client_, sandbox_, ro, &entrypoint_op);
    }
    /// The output of the sandbox's entrypoint so far, stdout and stderr apart.
    [[nodiscard]] asio::awaitable<result<session_logs>> entrypoint_logs(
        request_options ro = {}) const {
        return toolbox_call<session_logs>(client_, sandbox_, ro, &entrypoint_logs_op);
    }

    /// The sandbox user's home directory.
    [[nodiscard]] asio::awaitable<result<dir_response>> user_home_dir(
        request_options ro = {}) const {
        return toolbox_call<dir_response>(client_, sandbox_, ro, &home_op);
    }
    /// The directory commands start in.
    [[nodiscard]] asio::awaitable<result<dir_response>> work_dir(request_options ro = {}) const {
        return toolbox_call<dir_response>(client_, sandbox_, ro, &work_dir_op);
    }
    /// The toolbox daemon's version.
    [[nodiscard]] asio::awaitable<result<version_response>> daemon_version(
        request_options ro = {}) const {
        return toolbox_call<version_response>(client_, sandbox_, ro, &version_op);
    }
    /// The TCP ports the sandbox's processes listen on.
    [[nodiscard]] asio::awaitable<result<port_list>> listening_ports(
        request_options ro = {}) const {
        return toolbox_call<port_list>(client_, sandbox_, ro, &ports_op);
    }
    /// Whether a process of the sandbox listens on `port`.
    [[nodiscard]] asio::awaitable<result<bool>> is_port_in_use(int port,
                                                               request_options ro = {}) const {
        return port_in_use_impl(client_, sandbox_, port, ro);
    }

private:
    friend class sandbox;
    using state_ptr = std::shared_ptr<detail::client_state>;
    using data_ptr = std::shared_ptr<detail::sandbox_data>;

    static DAYTONA_DECL asio::awaitable<result<std::vector<session_info>>> list_sessions_op(
        api::channel ch, request_options ro);
    static DAYTONA_DECL asio::awaitable<result<session_info>> entrypoint_op(api::channel ch,
                                                                            request_options ro);
    static DAYTONA_DECL asio::awaitable<result<session_logs>> entrypoint_logs_op(
        api::channel ch, request_options ro);
    static DAYTONA_DECL asio::awaitable<result<dir_response>> home_op(api::channel ch,
                                                                      request_options ro);
    static DAYTONA_DECL asio::awaitable<result<dir_response>> work_dir_op(api::channel ch,
                                                                          request_options ro);
    static DAYTONA_DECL asio::awaitable<result<version_response>> version_op(api::channel ch,
                                                                             request_options ro);
    static DAYTONA_DECL asio::awaitable<result<port_list>> ports_op(api::channel ch,
                                                                    request_options ro);

    /// Resolves the toolbox channel, then runs `op` on it.
    template <class T>
    static asio::awaitable<result<T>> toolbox_call(
        state_ptr c, data_ptr s, request_options ro,
        asio::awaitable<result<T>> (*op)(api::channel, request_options)) {
        auto ch = co_await detail::toolbox_channel(c, s, ro);
        if (!ch) co_return std::move(ch).error();
        co_return co_await op(std::move(*ch), ro);
    }

    static DAYTONA_DECL asio::awaitable<result<bool>> port_in_use_impl(state_ptr c, data_ptr s,
                                                                       int port,
                                                                       request_options ro);

    static DAYTONA_DECL asio::awaitable<result<daytona::session>> create_session_impl(
        state_ptr c, data_ptr s, std::string id, request_options ro);

    static DAYTONA_DECL asio::awaitable<result<code_run_result>> code_run_impl(
        state_ptr c, data_ptr s, std::string code, code_run_options opts);

    /// `( command ) < /dev/null` after a `cd` to the working directory: a subshell, so the
    /// session's shell survives an `exit` or `set -e` in the command.
    static DAYTONA_DECL std::string wrap_in_subshell(const std::string& command,
                                                     const std::string& cwd);

    /// A POSIX shell variable name.
    static DAYTONA_DECL bool is_env_name(const std::string& name);

    /// The request that writes `env` as `export NAME='value'` lines to `file` (mode 0600). The
    /// values travel in the request's `envs`; the command text names only the variables.
    static DAYTONA_DECL execute_request
    env_file_writer(const std::string& file, const std::map<std::string, std::string>& env);
    static DAYTONA_DECL execute_request env_cleanup(const std::string& file);

    static DAYTONA_DECL asio::awaitable<result<exec_output>> exec_split_impl(state_ptr c,
                                                                             data_ptr s,
                                                                             std::string command,
                                                                             exec_options opts);

    process(state_ptr c, data_ptr s) : client_(std::move(c)), sandbox_(std::move(s)) {}

    static DAYTONA_DECL asio::awaitable<result<exec_result>> exec_impl(
        std::shared_ptr<detail::client_state> c, std::shared_ptr<detail::sandbox_data> s,
        std::string command, exec_options opts, request_options ro);

    std::shared_ptr<detail::client_state> client_;
    std::shared_ptr<detail::sandbox_data> sandbox_;
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/process.ipp"
#endif

#endif  // DAYTONA_PROCESS_HPP
