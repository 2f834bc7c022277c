// SPDX-License-Identifier: Apache-2.0
// Toolbox operations of the stateful code interpreter, one line each, on a sandbox's toolbox
// channel.
#ifndef DAYTONA_API_TOOLBOX_INTERPRETER_HPP
#define DAYTONA_API_TOOLBOX_INTERPRETER_HPP

#include "daytona/api/operation.hpp"
#include "daytona/api/operations.hpp"
#include "daytona/codec/interpreter.hpp"
#include "daytona/config.hpp"
#include "daytona/models/interpreter.hpp"

#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace api {

/// `POST /process/interpreter/context` (200 with the context).
DAYTONA_DECL asio::awaitable<result<interpreter_context>> create_interpreter_context(
    const channel& c, const create_context_request& r, request_options ro = {});
/// `GET /process/interpreter/context`: the contexts made by clients (not the default one).
DAYTONA_DECL asio::awaitable<result<list_contexts_response>> list_interpreter_contexts(
    const channel& c, request_options ro = {});
/// `DELETE /process/interpreter/context/{id}`: stops the interpreter; its state is gone.
DAYTONA_DECL asio::awaitable<result<void>> delete_interpreter_context(const channel& c,
                                                                      std::string_view id,
                                                                      request_options ro = {});
/// WebSocket `GET /process/interpreter/execute`: send one interpreter_execute_request, then
/// read interpreter_message frames until the close (4008: timed out).
DAYTONA_DECL asio::awaitable<result<http::websocket::connection>> execute_interpreter_code(
    const channel& c, http::websocket::connect_options o);

}  // namespace api
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/toolbox/impl/interpreter.ipp"
#endif

#endif  // DAYTONA_API_TOOLBOX_INTERPRETER_HPP
