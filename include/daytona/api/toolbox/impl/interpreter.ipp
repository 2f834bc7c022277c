// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/toolbox/interpreter.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_TOOLBOX_IMPL_INTERPRETER_IPP
#define DAYTONA_API_TOOLBOX_IMPL_INTERPRETER_IPP

#include "daytona/api/toolbox/interpreter.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace api {

asio::awaitable<result<interpreter_context>> create_interpreter_context(
    const channel& c, const create_context_request& r, request_options ro) {
    return invoke<interpreter_context>(c, ops::create_interpreter_context, {}, json_body(r), ro);
}

asio::awaitable<result<list_contexts_response>> list_interpreter_contexts(const channel& c,
                                                                          request_options ro) {
    return invoke<list_contexts_response>(c, ops::list_interpreter_contexts, {}, ro);
}

asio::awaitable<result<void>> delete_interpreter_context(const channel& c, std::string_view id,
                                                         request_options ro) {
    return invoke<void>(c, ops::delete_interpreter_context, {id}, ro);
}

asio::awaitable<result<http::websocket::connection>> execute_interpreter_code(
    const channel& c, http::websocket::connect_options o) {
    return open_websocket(c, ops::execute_interpreter_code, {}, std::string(), std::move(o));
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_TOOLBOX_IMPL_INTERPRETER_IPP
