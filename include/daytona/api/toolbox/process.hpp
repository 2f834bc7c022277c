// SPDX-License-Identifier: Apache-2.0
// Toolbox operations of the `process` tag, on a sandbox's toolbox channel.
#ifndef DAYTONA_API_TOOLBOX_PROCESS_HPP
#define DAYTONA_API_TOOLBOX_PROCESS_HPP

#include "daytona/api/operation.hpp"
#include "daytona/api/operations.hpp"
#include "daytona/codec/process.hpp"
#include "daytona/config.hpp"
#include "daytona/http/url.hpp"
#include "daytona/models/process.hpp"

#include <chrono>
#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace api {

/// The toolbox base of sandbox `id`: its toolboxProxyUrl, a '/', and the id (never the name).
DAYTONA_DECL result<http::url> toolbox_base(std::string_view toolbox_proxy_url,
                                            std::string_view id);

/// Extra time the HTTP deadline gets beyond a command's own timeout, so the daemon's 408 (with
/// its message) arrives before the client gives up.
inline constexpr std::chrono::seconds exec_deadline_margin{10};

/// The ExecuteRequest for `command` with `o`.
DAYTONA_DECL execute_request to_request(std::string command, const exec_options& o);

/**
 * \brief `POST /process/execute`: runs a shell command and returns its exit code and output.
 * \details The HTTP deadline is the command timeout plus a margin when a timeout is set, and
 * none otherwise (a command may run long), unless `ro.timeout` says otherwise.
 * \par Errors
 * HTTP 408 (condition::timeout) when the command outlived its timeout; HTTP 400 for an empty
 * command; transport errors. A non-zero exit code is not an error.
 */
DAYTONA_DECL asio::awaitable<result<exec_result>> execute_command(const channel& c,
                                                                  const execute_request& r,
                                                                  request_options ro = {});

}  // namespace api
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/toolbox/impl/process.ipp"
#endif

#endif  // DAYTONA_API_TOOLBOX_PROCESS_HPP
