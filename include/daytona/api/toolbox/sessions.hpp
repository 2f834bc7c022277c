// SPDX-License-Identifier: Apache-2.0
// Toolbox operations on sessions (persistent shells), code runs, and the sandbox's directories
// and ports, one line each, on a sandbox's toolbox channel.
#ifndef DAYTONA_API_TOOLBOX_SESSIONS_HPP
#define DAYTONA_API_TOOLBOX_SESSIONS_HPP

#include "daytona/api/operation.hpp"
#include "daytona/api/operations.hpp"
#include "daytona/codec/session.hpp"
#include "daytona/config.hpp"
#include "daytona/models/session.hpp"

#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace api {

/// `POST /process/session` (201); 409 when the id is taken.
DAYTONA_DECL asio::awaitable<result<void>> create_session(const channel& c, std::string_view id,
                                                          request_options ro = {});
DAYTONA_DECL asio::awaitable<result<session_info>> get_session(const channel& c,
                                                               std::string_view id,
                                                               request_options ro = {});
DAYTONA_DECL asio::awaitable<result<std::vector<session_info>>> list_sessions(
    const channel& c, request_options ro = {});
/// `DELETE /process/session/{sessionId}`: ends the shell and everything it started.
DAYTONA_DECL asio::awaitable<result<void>> delete_session(const channel& c, std::string_view id,
                                                          request_options ro = {});
/// `POST /process/session/{sessionId}/exec`: 200 with the finished command, or 202 with its id
/// when `r.run_async`. No server-side timeout: `ro.timeout` bounds the wait.
DAYTONA_DECL asio::awaitable<result<session_execute_response>> execute_session_command(
    const channel& c, std::string_view session_id, const session_execute_request& r,
    request_options ro = {});
DAYTONA_DECL asio::awaitable<result<session_command>> get_session_command(
    const channel& c, std::string_view session_id, std::string_view command_id,
    request_options ro = {});
/// The whole log so far, demultiplexed by the daemon (it needs the SDK version header, which
/// every request of this library carries).
DAYTONA_DECL asio::awaitable<result<session_logs>> get_session_command_logs(
    const channel& c, std::string_view session_id, std::string_view command_id,
    request_options ro = {});
/// Writes `data` to an async command's stdin; 410 once the command has finished.
DAYTONA_DECL asio::awaitable<result<void>> send_session_input(const channel& c,
                                                              std::string_view session_id,
                                                              std::string_view command_id,
                                                              std::string_view data,
                                                              request_options ro = {});
/// The log of a command as it is written: binary frames with the stdout/stderr markers, from
/// the start of the log, until the command ends (then a normal close).
DAYTONA_DECL asio::awaitable<result<http::websocket::connection>> follow_session_command_logs(
    const channel& c, std::string_view session_id, std::string_view command_id,
    http::websocket::connect_options o);
DAYTONA_DECL asio::awaitable<result<session_info>> get_entrypoint_session(const channel& c,
                                                                          request_options ro = {});
DAYTONA_DECL asio::awaitable<result<session_logs>> get_entrypoint_logs(const channel& c,
                                                                       request_options ro = {});

/// `POST /process/code-run`. A non-zero exit code is data; the run's timeout is HTTP 408.
DAYTONA_DECL asio::awaitable<result<code_run_result>> code_run(const channel& c,
                                                               const code_run_request& r,
                                                               request_options ro = {});
DAYTONA_DECL asio::awaitable<result<dir_response>> get_user_home_dir(const channel& c,
                                                                     request_options ro = {});
DAYTONA_DECL asio::awaitable<result<dir_response>> get_work_dir(const channel& c,
                                                                request_options ro = {});
DAYTONA_DECL asio::awaitable<result<version_response>> get_version(const channel& c,
                                                                   request_options ro = {});
DAYTONA_DECL asio::awaitable<result<port_list>> get_ports(const channel& c,
                                                          request_options ro = {});
DAYTONA_DECL asio::awaitable<result<port_in_use>> is_port_in_use(const channel& c, int port,
                                                                 request_options ro = {});

}  // namespace api
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/toolbox/impl/sessions.ipp"
#endif

#endif  // DAYTONA_API_TOOLBOX_SESSIONS_HPP
