// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/toolbox/pty.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_TOOLBOX_IMPL_PTY_IPP
#define DAYTONA_API_TOOLBOX_IMPL_PTY_IPP

#include "daytona/api/toolbox/pty.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace api {

asio::awaitable<result<pty_list_response>> list_pty_sessions(const channel& c, request_options ro) {
    return invoke<pty_list_response>(c, ops::list_pty_sessions, {}, ro);
}

asio::awaitable<result<pty_create_response>> create_pty_session(const channel& c,
                                                                const pty_create_request& r,
                                                                request_options ro) {
    return invoke<pty_create_response>(c, ops::create_pty_session, {}, json_body(r), ro);
}

asio::awaitable<result<pty_session_info>> get_pty_session(const channel& c, std::string_view id,
                                                          request_options ro) {
    return invoke<pty_session_info>(c, ops::get_pty_session, {id}, ro);
}

asio::awaitable<result<void>> delete_pty_session(const channel& c, std::string_view id,
                                                 request_options ro) {
    return invoke<void>(c, ops::delete_pty_session, {id}, ro);
}

asio::awaitable<result<pty_session_info>> resize_pty_session(const channel& c, std::string_view id,
                                                             const pty_resize_request& r,
                                                             request_options ro) {
    return invoke<pty_session_info>(c, ops::resize_pty_session, {id}, json_body(r), ro);
}

std::string create_connect_pty_query(std::string_view id, int cols, int rows,
                                     std::string_view cwd) {
    http::query_builder q;
    q.add("id", id).add("cols", cols).add("rows", rows);
    if (!cwd.empty()) q.add("cwd", cwd);
    return q.release();
}

asio::awaitable<result<http::websocket::connection>> create_connect_pty(
    const channel& c, std::string query, http::websocket::connect_options o) {
    return open_websocket(c, ops::create_connect_pty, {}, std::move(query), std::move(o));
}

asio::awaitable<result<http::websocket::connection>> connect_pty_session(
    const channel& c, std::string_view id, http::websocket::connect_options o) {
    return open_websocket(c, ops::connect_pty_session, {id}, std::string(), std::move(o));
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_TOOLBOX_IMPL_PTY_IPP
