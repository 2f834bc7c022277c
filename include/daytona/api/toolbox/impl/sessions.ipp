// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/toolbox/sessions.hpp: included by it in the header-only build, compiled
// once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_TOOLBOX_IMPL_SESSIONS_IPP
#define DAYTONA_API_TOOLBOX_IMPL_SESSIONS_IPP

#include "daytona/api/toolbox/sessions.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace api {

asio::awaitable<result<void>> create_session(const channel& c, std::string_view id,
                                             request_options ro) {
    return invoke<void>(c, ops::create_session, {},
                        json_body(create_session_request{std::string(id)}), ro);
}

asio::awaitable<result<session_info>> get_session(const channel& c, std::string_view id,
                                                  request_options ro) {
    return invoke<session_info>(c, ops::get_session, {id}, ro);
}

asio::awaitable<result<std::vector<session_info>>> list_sessions(const channel& c,
                                                                 request_options ro) {
    return invoke<std::vector<session_info>>(c, ops::list_sessions, {}, ro);
}

asio::awaitable<result<void>> delete_session(const channel& c, std::string_view id,
                                             request_options ro) {
    return invoke<void>(c, ops::delete_session, {id}, ro);
}

asio::awaitable<result<session_execute_response>> execute_session_command(
    const channel& c, std::string_view session_id, const session_execute_request& r,
    request_options ro) {
    return invoke<session_execute_response>(c, ops::execute_session_command, {session_id},
                                            json_body(r), ro);
}

asio::awaitable<result<session_command>> get_session_command(const channel& c,
                                                             std::string_view session_id,
                                                             std::string_view command_id,
                                                             request_options ro) {
    return invoke<session_command>(c, ops::get_session_command, {session_id, command_id}, ro);
}

asio::awaitable<result<session_logs>> get_session_command_logs(const channel& c,
                                                               std::string_view session_id,
                                                               std::string_view command_id,
                                                               request_options ro) {
    // JSON, or text/plain for old SDK versions: the SDK accepts both, as the spec lists.
    return invoke<session_logs>(c, ops::get_session_command_logs, {session_id, command_id},
                                request_parts{.accept = "application/json,text/plain"}, ro);
}

asio::awaitable<result<void>> send_session_input(const channel& c, std::string_view session_id,
                                                 std::string_view command_id, std::string_view data,
                                                 request_options ro) {
    return invoke<void>(c, ops::send_session_input, {session_id, command_id},
                        json_body(session_input{std::string(data)}), ro);
}

asio::awaitable<result<http::websocket::connection>> follow_session_command_logs(
    const channel& c, std::string_view session_id, std::string_view command_id,
    http::websocket::connect_options o) {
    return open_websocket(c, ops::follow_session_command_logs, {session_id, command_id},
                          "follow=true", std::move(o));
}

asio::awaitable<result<session_info>> get_entrypoint_session(const channel& c, request_options ro) {
    return invoke<session_info>(c, ops::get_entrypoint_session, {}, ro);
}

asio::awaitable<result<session_logs>> get_entrypoint_logs(const channel& c, request_options ro) {
    return invoke<session_logs>(c, ops::get_entrypoint_logs, {},
                                request_parts{.accept = "application/json,text/plain"}, ro);
}

asio::awaitable<result<code_run_result>> code_run(const channel& c, const code_run_request& r,
                                                  request_options ro) {
    return invoke<code_run_result>(c, ops::code_run, {}, json_body(r), ro);
}

asio::awaitable<result<dir_response>> get_user_home_dir(const channel& c, request_options ro) {
    return invoke<dir_response>(c, ops::get_user_home_dir, {}, ro);
}

asio::awaitable<result<dir_response>> get_work_dir(const channel& c, request_options ro) {
    return invoke<dir_response>(c, ops::get_work_dir, {}, ro);
}

asio::awaitable<result<version_response>> get_version(const channel& c, request_options ro) {
    return invoke<version_response>(c, ops::get_version, {}, ro);
}

asio::awaitable<result<port_list>> get_ports(const channel& c, request_options ro) {
    return invoke<port_list>(c, ops::get_ports, {}, ro);
}

asio::awaitable<result<port_in_use>> is_port_in_use(const channel& c, int port,
                                                    request_options ro) {
    const auto p = std::to_string(port);
    return invoke<port_in_use>(c, ops::is_port_in_use, {p}, ro);
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_TOOLBOX_IMPL_SESSIONS_IPP
