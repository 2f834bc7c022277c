// SPDX-License-Identifier: Apache-2.0
// Toolbox operations on pseudo-terminals, one line each, on a sandbox's toolbox channel.
#ifndef DAYTONA_API_TOOLBOX_PTY_HPP
#define DAYTONA_API_TOOLBOX_PTY_HPP

#include "daytona/api/operation.hpp"
#include "daytona/api/operations.hpp"
#include "daytona/codec/pty.hpp"
#include "daytona/config.hpp"
#include "daytona/http/url.hpp"
#include "daytona/models/pty.hpp"

#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace api {

/// `GET /process/pty`.
inline asio::awaitable<result<pty_list_response>> list_pty_sessions(const channel& c,
                                                                    request_options ro = {}) {
    return invoke<pty_list_response>(c, ops::list_pty_sessions, {}, ro);
}
/// `POST /process/pty` (201); 409 when the id is taken.
inline asio::awaitable<result<pty_create_response>> create_pty_session(const channel& c,
                                                                       const pty_create_request& r,
                                                                       request_options ro = {}) {
    return invoke<pty_create_response>(c, ops::create_pty_session, {}, json_body(r), ro);
}
inline asio::awaitable<result<pty_session_info>> get_pty_session(const channel& c,
                                                                 std::string_view id,
                                                                 request_options ro = {}) {
    return invoke<pty_session_info>(c, ops::get_pty_session, {id}, ro);
}
/// `DELETE /process/pty/{sessionId}`: kills the shell (SIGKILL) and forgets the terminal.
inline asio::awaitable<result<void>> delete_pty_session(const channel& c, std::string_view id,
                                                        request_options ro = {}) {
    return invoke<void>(c, ops::delete_pty_session, {id}, ro);
}
/// `POST /process/pty/{sessionId}/resize`; 410 once the shell exited.
inline asio::awaitable<result<pty_session_info>> resize_pty_session(const channel& c,
                                                                    std::string_view id,
                                                                    const pty_resize_request& r,
                                                                    request_options ro = {}) {
    return invoke<pty_session_info>(c, ops::resize_pty_session, {id}, json_body(r), ro);
}
/// The query of create-connect: `id=…&cols=…&rows=…[&cwd=…]`, in the SDK's order.
inline std::string create_connect_pty_query(std::string_view id, int cols, int rows,
                                            std::string_view cwd) {
    http::query_builder q;
    q.add("id", id).add("cols", cols).add("rows", rows);
    if (!cwd.empty()) q.add("cwd", cwd);
    return q.release();
}
/// WebSocket `GET /process/pty/create-connect?…`: creates the terminal and attaches to it in
/// one round trip. `o.subprotocols` carries the environment and exit control
/// (pty_protocol::offers).
inline asio::awaitable<result<http::websocket::connection>> create_connect_pty(
    const channel& c, std::string query, http::websocket::connect_options o) {
    return open_websocket(c, ops::create_connect_pty, {}, std::move(query), std::move(o));
}
/// WebSocket `GET /process/pty/{sessionId}/connect`: attaches to an existing terminal.
inline asio::awaitable<result<http::websocket::connection>> connect_pty_session(
    const channel& c, std::string_view id, http::websocket::connect_options o) {
    return open_websocket(c, ops::connect_pty_session, {id}, std::string(), std::move(o));
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_TOOLBOX_PTY_HPP
