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
DAYTONA_DECL asio::awaitable<result<pty_list_response>> list_pty_sessions(const channel& c,
                                                                          request_options ro = {});
/// `POST /process/pty` (201); 409 when the id is taken.
DAYTONA_DECL asio::awaitable<result<pty_create_response>> create_pty_session(
    const channel& c, const pty_create_request& r, request_options ro = {});
DAYTONA_DECL asio::awaitable<result<pty_session_info>> get_pty_session(const channel& c,
                                                                       std::string_view id,
                                                                       request_options ro = {});
/// `DELETE /process/pty/{sessionId}`: kills the shell (SIGKILL) and forgets the terminal.
DAYTONA_DECL asio::awaitable<result<void>> delete_pty_session(const channel& c, std::string_view id,
                                                              request_options ro = {});
/// `POST /process/pty/{sessionId}/resize`; 410 once the shell exited.
DAYTONA_DECL asio::awaitable<result<pty_session_info>> resize_pty_session(
    const channel& c, std::string_view id, const pty_resize_request& r, request_options ro = {});
/// The query of create-connect: `id=…&cols=…&rows=…[&cwd=…]`, in the SDK's order.
DAYTONA_DECL std::string create_connect_pty_query(std::string_view id, int cols, int rows,
                                                  std::string_view cwd);
/// WebSocket `GET /process/pty/create-connect?…`: creates the terminal and attaches to it in
/// one round trip. `o.subprotocols` carries the environment and exit control
/// (pty_protocol::offers).
DAYTONA_DECL asio::awaitable<result<http::websocket::connection>> create_connect_pty(
    const channel& c, std::string query, http::websocket::connect_options o);
/// WebSocket `GET /process/pty/{sessionId}/connect`: attaches to an existing terminal.
DAYTONA_DECL asio::awaitable<result<http::websocket::connection>> connect_pty_session(
    const channel& c, std::string_view id, http::websocket::connect_options o);

}  // namespace api
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/toolbox/impl/pty.ipp"
#endif

#endif  // DAYTONA_API_TOOLBOX_PTY_HPP
