// SPDX-License-Identifier: Apache-2.0
// The pieces every state wait shares: the polling cadence, the deadline, and a cancellable
// pause. The waits themselves (sandbox, snapshot, volume) are plain loops over these.
#ifndef DAYTONA_POLLING_HPP
#define DAYTONA_POLLING_HPP

#include "daytona/config.hpp"
#include "daytona/detail/backoff.hpp"
#include "daytona/error.hpp"
#include "daytona/events.hpp"
#include "daytona/net/asio_compat.hpp"
#include "daytona/options.hpp"
#include "daytona/result.hpp"

#include <asio/experimental/awaitable_operators.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

/// The cadence and deadline of one wait.
class poll_schedule {
public:
    using clock = std::chrono::steady_clock;

    /// `timeout` 0 waits without limit.
    poll_schedule(const polling_options& p, std::chrono::milliseconds timeout)
        : p_(p), timeout_(timeout), start_(clock::now()), interval_(p.initial_interval) {}

    std::chrono::milliseconds elapsed() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start_);
    }
    bool expired() const { return timeout_.count() > 0 && elapsed() >= timeout_; }
    std::chrono::milliseconds timeout() const noexcept { return timeout_; }

    /// How long to pause before the next poll (never past the deadline), advancing the cadence.
    std::chrono::milliseconds next_pause() {
        auto pause = interval_;
        if (elapsed() >= p_.steady_for)
            interval_ = next_poll_interval(interval_, p_.multiplier, p_.max_interval);
        if (timeout_.count() > 0)
            pause = std::max(std::chrono::milliseconds(1), std::min(pause, timeout_ - elapsed()));
        return pause;
    }

    /// What is left of the timeout (at least 1 ms), for a wait that follows a request.
    std::chrono::milliseconds left() const {
        if (timeout_.count() == 0) return timeout_;
        return std::max(std::chrono::milliseconds(1), timeout_ - elapsed());
    }

private:
    polling_options p_;
    std::chrono::milliseconds timeout_;
    clock::time_point start_;
    std::chrono::milliseconds interval_;
};

/// Pauses for `d`; errc::cancelled (naming `operation`) if the wait is cancelled.
DAYTONA_DECL asio::awaitable<result<void>> pause(std::chrono::milliseconds d,
                                                 std::string_view operation);

/// Awaits `op` and hands back what it returned, or the exception it threw, as a value: an
/// operation that completes either way (see first_of()).
template <class T>
asio::awaitable<std::pair<std::optional<T>, std::exception_ptr>> completing(asio::awaitable<T> op) {
    std::exception_ptr thrown;
    try {
        co_return std::pair<std::optional<T>, std::exception_ptr>{co_await std::move(op), nullptr};
    } catch (...) {
        thrown = std::current_exception();
    }
    co_return std::pair<std::optional<T>, std::exception_ptr>{std::nullopt, thrown};
}

/**
 * \brief Races `a` against `b` as asio's `||` does: the first to finish wins, and the other is
 * cancelled and has finished by then. Unlike `||`, an exception ends the race at once and is
 * rethrown (`||` counts a throwing operation as no winner, waits for the other one and then
 * drops the exception).
 */
template <class A, class B>
asio::awaitable<std::variant<A, B>> first_of(asio::awaitable<A> a, asio::awaitable<B> b) {
    using namespace asio::experimental::awaitable_operators;
    auto first = completing(std::move(a));
    auto second = completing(std::move(b));
    auto raced = co_await (std::move(first) || std::move(second));
    if (raced.index() == 0) {
        auto& [value, thrown] = std::get<0>(raced);
        if (thrown) std::rethrow_exception(thrown);
        co_return std::variant<A, B>(std::in_place_index<0>, std::move(*value));
    }
    auto& [value, thrown] = std::get<1>(raced);
    if (thrown) std::rethrow_exception(thrown);
    co_return std::variant<A, B>(std::in_place_index<1>, std::move(*value));
}

/**
 * \brief Awaits `op` for `limit` at most: its result, or `on_timeout` once `limit` has passed
 * (`op` is cancelled and has finished by then). An exception from `op` is rethrown at once.
 */
template <class T>
asio::awaitable<result<T>> within(asio::awaitable<result<T>> op, std::chrono::milliseconds limit,
                                  std::string_view operation, error on_timeout) {
    auto raced = first_of(std::move(op), pause(limit, operation));
    auto outcome = co_await std::move(raced);
    if (outcome.index() == 0) co_return std::move(std::get<0>(outcome));
    if (auto& paused = std::get<1>(outcome); !paused) co_return std::move(paused).error();
    co_return on_timeout;
}

/**
 * \brief The pause between two looks at a waited-for entity.
 * \details Without a live event channel (`w` null, or not connected): the poll cadence's next
 * step. With one: up to a second (the safety net), ending early when an event about the entity
 * arrives; then the result is the entity's new DTO (JSON text), so the wait needs no request.
 * \return the pushed DTO, or "" when the caller should poll.
 */
DAYTONA_DECL asio::awaitable<result<std::string>> pause_for_change(event_channel::watch* w,
                                                                   poll_schedule& schedule,
                                                                   std::string_view operation);

/// errc::wait_timeout for a wait that ran out of time.
DAYTONA_DECL error wait_timed_out(std::string_view operation, std::string what,
                                  std::chrono::milliseconds timeout);

}  // namespace detail
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/polling.ipp"
#endif

#endif  // DAYTONA_POLLING_HPP
