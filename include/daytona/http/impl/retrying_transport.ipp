// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/retrying_transport.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_RETRYING_TRANSPORT_IPP
#define DAYTONA_HTTP_IMPL_RETRYING_TRANSPORT_IPP

#include "daytona/http/retrying_transport.hpp"

#include "daytona/detail/backoff.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/http/rate_limit.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

DAYTONA_BEGIN_NAMESPACE
namespace http {

namespace detail_retrying {

// "30 s", "1.5 s", "0.2 s": a wait as people read it (tenths rounded down).
inline std::string seconds_text(std::chrono::milliseconds d) {
    const auto ms = std::max<std::int64_t>(d.count(), 0);
    std::string out = std::to_string(ms / 1000);
    if (ms % 1000 >= 100) {
        out += '.';
        out += static_cast<char>('0' + (ms % 1000) / 100);
    }
    return out + " s";
}

// The pause before the next attempt after a retryable failure; `refused` instead when the
// server asked for a wait that cannot be honoured (the failure is then reported at once).
struct retry_pause {
    std::chrono::milliseconds delay{0};
    std::string refused{};
    bool out_of_time = false;
};

inline retry_pause next_pause(const retry_options& policy, int attempt, const fields* headers,
                              net::clock::duration elapsed) {
    using std::chrono::milliseconds;
    const auto left = policy.max_elapsed - std::chrono::duration_cast<milliseconds>(elapsed);
    if (headers) {
        auto asked = read_retry_after(*headers, std::chrono::system_clock::now());
        if (!asked.unreadable.empty())
            return {.refused = "the server's Retry-After \"" +
                               detail::printable_excerpt(asked.unreadable, 64) +
                               "\" is neither seconds nor an HTTP date, so the wait it asks "
                               "for is unknown"};
        if (asked.wait) {
            const std::string wait = "the server asked to wait " + seconds_text(*asked.wait) +
                                     " before retrying, more than ";
            if (*asked.wait > policy.max_retry_after)
                return {.refused = wait + "max_retry_after (" +
                                   seconds_text(policy.max_retry_after) + ")"};
            if (policy.max_elapsed.count() > 0 && *asked.wait > left)
                return {.refused = wait + "the " + seconds_text(left) + " left of max_elapsed (" +
                                   seconds_text(policy.max_elapsed) + ")"};
            return {.delay = *asked.wait};
        }
    }
    const auto delay = detail::retry_backoff(attempt, policy.initial_backoff, policy.max_backoff,
                                             detail::jitter());
    return {.delay = delay, .out_of_time = policy.max_elapsed.count() > 0 && delay > left};
}

}  // namespace detail_retrying

asio::awaitable<result<response>> retrying_transport::send(request& req, const send_options& opts) {
    const retry_options policy = opts.request.retry.value_or(defaults_);
    const bool idempotent = is_idempotent(req.method) || opts.request.idempotent;
    const auto start = net::clock::now();
    for (int attempt = 1;; ++attempt) {
        auto r = co_await inner_->send(req, opts);
        bool retryable = false;
        if (r) {
            r->attempts = attempt;
            const int s = r->status;
            retryable = s == 429 || (idempotent && (s == 502 || s == 503 || s == 504));
        } else {
            const auto& e = r.error();
            retryable = e == errc::connect_failed || e == errc::resolve_failed ||
                        (idempotent && e == errc::connection_closed);
        }
        if (!retryable) co_return r;
        if (attempt >= policy.max_attempts) co_return exhausted(std::move(r), attempt);
        // A server's wait is honoured in full or not at all: a wait that the policy cannot
        // afford is reported now, saying so, rather than cut short.
        auto p = detail_retrying::next_pause(policy, attempt, r ? &r->headers : nullptr,
                                             net::clock::now() - start);
        if (!p.refused.empty()) {
            r->retry_refused = std::move(p.refused);
            co_return exhausted(std::move(r), attempt);
        }
        if (p.out_of_time) co_return exhausted(std::move(r), attempt);
        if (req.stream && !req.stream->rewind()) co_return r;
        asio::steady_timer timer(co_await asio::this_coro::executor, p.delay);
        std::error_code ec;
        co_await timer.async_wait(net::redirect(ec));
        if (ec)
            co_return error(make_error_code(errc::cancelled), "cancelled while waiting to retry");
    }
}

asio::awaitable<result<upgraded>> retrying_transport::upgrade(request& req,
                                                              const send_options& opts) {
    const retry_options policy = opts.request.retry.value_or(defaults_);
    const auto start = net::clock::now();
    for (int attempt = 1;; ++attempt) {
        auto r = co_await inner_->upgrade(req, opts);
        bool retryable = false;
        if (r) {
            r->head.attempts = attempt;
            retryable = r->head.status == 429;
        } else {
            retryable = r.error() == errc::connect_failed || r.error() == errc::resolve_failed;
        }
        if (!retryable || attempt >= policy.max_attempts) co_return r;
        auto p = detail_retrying::next_pause(policy, attempt, r ? &r->head.headers : nullptr,
                                             net::clock::now() - start);
        if (!p.refused.empty()) {
            r->head.retry_refused = std::move(p.refused);
            co_return r;
        }
        if (p.out_of_time) co_return r;
        asio::steady_timer timer(co_await asio::this_coro::executor, p.delay);
        std::error_code ec;
        co_await timer.async_wait(net::redirect(ec));
        if (ec)
            co_return error(make_error_code(errc::cancelled), "cancelled while waiting to retry");
    }
}

result<response> retrying_transport::exhausted(result<response> r, int attempts) {
    if (attempts == 1) return r;  // retries were not allowed: nothing was exhausted
    if (r) {
        r->retries_exhausted = true;
        return r;
    }
    error_info info = r.error().info();
    info.cause = r.error().code();
    info.message += " (still failing after " + std::to_string(attempts) + " attempts)";
    return error(make_error_code(errc::retry_exhausted), std::move(info));
}

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_IMPL_RETRYING_TRANSPORT_IPP
