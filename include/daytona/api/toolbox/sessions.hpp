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
inline asio::awaitable<result<void>> create_session(const channel& c, std::string_view id,
                                                    request_options ro = {}) {
    return invoke<void>(c, ops::create_session, {},
                        json_body(create_session_request{std::string(id)}), ro);
}
inline asio::awaitable<result<session_info>> get_session(const channel& c, std::string_view id,
                                                         request_options ro = {}) {
    return invoke<session_info>(c, ops::get_session, {id}, ro);
}
inline asio::awaitable<result<std::vector<session_info>>> list_sessions(const channel& c,
                                                                        request_options ro = {}) {
    return invoke<std::vector<session_info>>(c, ops::list_sessions, {}, ro);
}
/// `DELETE /process/session/{sessionId}`: ends the shell and everything it started.
inline asio::awaitable<result<void>> delete_session(const channel& c, std::string_view id,
                                                    request_options ro = {}) {
    return invoke<void>(c, ops::delete_session, {id}, ro);
}
/// `POST /process/session/{sessionId}/exec`: 200 with the finished command, or 202 with its id
/// when `r.run_async`. No server-side timeout: `ro.timeout` bounds the wait.
inline asio::awaitable<result<session_execute_response>> execute_session_command(
    const channel& c, std::string_view session_id, const session_execute_request& r,
    request_options ro = {}) {
    return invoke<session_execute_response>(c, ops::execute_session_command, {session_id},
                                            json_body(r), ro);
}
inline asio::awaitable<result<session_command>> get_session_command(const channel& c,
                                                                    std::string_view session_id,
                                                                    std::string_view command_id,
                                                                    request_options ro = {}) {
    return invoke<session_command>(c, ops::get_session_command, {session_id, command_id}, ro);
}
/// The whole log so far, demultiplexed by the daemon (it needs the SDK version header, which
/// every request of this library carries).
inline asio::awaitable<result<session_logs>> get_session_command_logs(const channel& c,
                                                                      std::string_view session_id,
                                                                      std::string_view command_id,
                                                                      request_options ro = {}) {
    return invoke<session_logs>(c, ops::get_session_command_logs, {session_id, command_id}, ro);
}
/// Writes `data` to an async command's stdin; 410 once the command has finished.
inline asio::awaitable<result<void>> send_session_input(const channel& c,
                                                        std::string_view session_id,
                                                        std::string_view command_id,
                                                        std::string_view data,
                                                        request_options ro = {}) {
    return invoke<void>(c, ops::send_session_input, {session_id, command_id},
                        json_body(session_input{std::string(data)}), ro);
}
/// The log of a command as it is written: binary frames with the stdout/stderr markers, from
/// the start of the log, until the command ends (then a normal close).
inline asio::awaitable<result<http::websocket::connection>> follow_session_command_logs(
    const channel& c, std::string_view session_id, std::string_view command_id,
    http::websocket::connect_options o) {
    return open_websocket(c, ops::follow_session_command_logs, {session_id, command_id},
                          "follow=true", std::move(o));
}
inline asio::awaitable<result<session_info>> get_entrypoint_session(const channel& c,
                                                                    request_options ro = {}) {
    return invoke<session_info>(c, ops::get_entrypoint_session, {}, ro);
}
inline asio::awaitable<result<session_logs>> get_entrypoint_logs(const channel& c,
                                                                 request_options ro = {}) {
    return invoke<session_logs>(c, ops::get_entrypoint_logs, {}, ro);
}

/// `POST /process/code-run`. A non-zero exit code is data; the run's timeout is HTTP 408.
inline asio::awaitable<result<code_run_result>> code_run(const channel& c,
                                                         const code_run_request& r,
                                                         request_options ro = {}) {
    return invoke<code_run_result>(c, ops::code_run, {}, json_body(r), ro);
}
inline asio::awaitable<result<dir_response>> get_user_home_dir(const channel& c,
                                                               request_options ro = {}) {
    return invoke<dir_response>(c, ops::get_user_home_dir, {}, ro);
}
inline asio::awaitable<result<dir_response>> get_work_dir(const channel& c,
                                                          request_options ro = {}) {
    return invoke<dir_response>(c, ops::get_work_dir, {}, ro);
}
inline asio::awaitable<result<version_response>> get_version(const channel& c,
                                                             request_options ro = {}) {
    return invoke<version_response>(c, ops::get_version, {}, ro);
}
inline asio::awaitable<result<port_list>> get_ports(const channel& c, request_options ro = {}) {
    return invoke<port_list>(c, ops::get_ports, {}, ro);
}
inline asio::awaitable<result<port_in_use>> is_port_in_use(const channel& c, int port,
                                                           request_options ro = {}) {
    const auto p = std::to_string(port);
    return invoke<port_in_use>(c, ops::is_port_in_use, {p}, ro);
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_TOOLBOX_SESSIONS_HPP
