// SPDX-License-Identifier: Apache-2.0
// daytona::process: running commands in a sandbox.
#ifndef DAYTONA_PROCESS_HPP
#define DAYTONA_PROCESS_HPP

#include "daytona/api/toolbox/process.hpp"
#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/models/process.hpp"

#include <memory>
#include <string>

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

private:
    friend class sandbox;
    process(std::shared_ptr<detail::client_state> c, std::shared_ptr<detail::sandbox_data> s)
        : client_(std::move(c)), sandbox_(std::move(s)) {}

    static asio::awaitable<result<exec_result>> exec_impl(std::shared_ptr<detail::client_state> c,
                                                          std::shared_ptr<detail::sandbox_data> s,
                                                          std::string command, exec_options opts,
                                                          request_options ro) {
        if (opts.timeout.count() < 0)
            co_return error(make_error_code(errc::invalid_argument),
                            error_info{.message = "timeout must not be negative",
                                       .operation = "execute_command"});
        auto ch = co_await detail::toolbox_channel(c, s, ro);
        if (!ch) co_return std::move(ch).error();
        const auto req = api::to_request(std::move(command), opts);
        co_return co_await api::execute_command(*ch, req, ro);
    }

    std::shared_ptr<detail::client_state> client_;
    std::shared_ptr<detail::sandbox_data> sandbox_;
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_PROCESS_HPP
