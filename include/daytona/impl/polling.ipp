// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of polling.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_POLLING_IPP
#define DAYTONA_IMPL_POLLING_IPP

#include "daytona/polling.hpp"

#include <algorithm>
#include <string>
#include <system_error>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

asio::awaitable<result<void>> pause(std::chrono::milliseconds d, std::string_view operation) {
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    std::error_code ec;
    co_await timer.async_wait(net::redirect(ec));
    if (ec)
        co_return error(
            make_error_code(errc::cancelled),
            error_info{.message = "wait cancelled", .operation = std::string(operation)});
    co_return result<void>{};
}

asio::awaitable<result<std::string>> pause_for_change(event_channel::watch* w,
                                                      poll_schedule& schedule,
                                                      std::string_view operation) {
    if (w == nullptr) {
        auto p = co_await pause(schedule.next_pause(), operation);
        if (!p) co_return std::move(p).error();
        co_return std::string();
    }
    std::chrono::milliseconds d = schedule.next_pause();
    if (w->live()) {
        d = std::chrono::seconds(1);
        if (schedule.timeout().count() > 0) d = std::min(d, schedule.left());
    }
    co_return co_await w->pause(d, operation);
}

error wait_timed_out(std::string_view operation, std::string what,
                     std::chrono::milliseconds timeout) {
    return error(
        make_error_code(errc::wait_timeout),
        error_info{.message = std::move(what) + " after " + std::to_string(timeout.count()) + " ms",
                   .operation = std::string(operation)});
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_POLLING_IPP
