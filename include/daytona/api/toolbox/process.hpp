// SPDX-License-Identifier: Apache-2.0
// Toolbox operations of the `process` tag, relative to a sandbox's toolbox base URL.
#ifndef DAYTONA_API_TOOLBOX_PROCESS_HPP
#define DAYTONA_API_TOOLBOX_PROCESS_HPP

#include "daytona/api/call.hpp"
#include "daytona/config.hpp"
#include "daytona/http/transport.hpp"
#include "daytona/http/url.hpp"
#include "daytona/models/process.hpp"

#include <string>

DAYTONA_BEGIN_NAMESPACE
namespace api {

/// The toolbox base for a sandbox: toolboxProxyUrl + "/" + id (REFERENCE.md §5.1).
inline result<http::url> toolbox_base(std::string_view toolbox_proxy_url, std::string_view id) {
    if (toolbox_proxy_url.empty())
        return error(make_error_code(errc::invalid_argument), "sandbox has no toolboxProxyUrl");
    auto base = http::url::parse(toolbox_proxy_url);
    if (!base) return base;
    return base->join(segment(id));
}

/// Extra time the HTTP deadline gets beyond a command's own timeout, so the daemon's 408 (with
/// its message) arrives before the client gives up.
inline constexpr std::chrono::seconds exec_deadline_margin{10};

/**
 * \brief `POST /process/execute`: runs a shell command and returns its exit code and output.
 * \details The HTTP deadline is the command timeout plus a margin when a timeout is set, and
 * none otherwise (a command may run long), unless `ro.timeout` says otherwise.
 * \par Errors
 * HTTP 408 (condition::timeout) when the command outlived `opts.timeout`; HTTP 400 for an empty
 * command; transport errors. A non-zero exit code is not an error.
 */
inline asio::awaitable<result<exec_result>> execute_command(http::transport& t, http::url toolbox,
                                                            std::string command, exec_options opts,
                                                            request_options ro = {}) {
    if (opts.timeout.count() < 0)
        co_return error(make_error_code(errc::invalid_argument),
                        "exec: timeout must not be negative")
            .with_operation("exec");
    auto req = make_request(http::verb::post, toolbox, "/process/execute");
    set_json_body(req, execute_request_json(command, opts));
    if (!ro.timeout)
        ro.timeout =
            opts.timeout.count() > 0
                ? std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::seconds(timeout_seconds(opts.timeout)) + exec_deadline_margin)
                : std::chrono::milliseconds(0);
    const http::send_options send{.request = ro};  // named: see README, GCC 12 notes
    auto r = co_await t.send(req, send);
    co_return decode_response<exec_result>(r, "exec", "ExecuteResponse");
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_TOOLBOX_PROCESS_HPP
