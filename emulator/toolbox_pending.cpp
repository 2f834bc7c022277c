// SPDX-License-Identifier: Apache-2.0
// Temporary: toolbox areas not yet served answer 501.
#include "service.hpp"
namespace daytona::emulator {
asio::awaitable<void> service::pty_routes(exchange& ex, const sandbox_record&, const segments&) {
    co_await send(ex, toolbox_error(ex, 501, "NOT_IMPLEMENTED", "pty is not served yet"));
}
asio::awaitable<void> service::interpreter_routes(exchange& ex, const sandbox_record&,
                                                  const segments&) {
    co_await send(ex, toolbox_error(ex, 501, "NOT_IMPLEMENTED", "interpreter is not served yet"));
}
}  // namespace daytona::emulator
