// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/retrying_transport.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_RETRYING_TRANSPORT_IPP
#define DAYTONA_HTTP_IMPL_RETRYING_TRANSPORT_IPP

#include "daytona/http/retrying_transport.hpp"

#include "daytona/detail/backoff.hpp"
#include "daytona/http/rate_limit.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <utility>

DAYTONA_BEGIN_NAMESPACE
namespace http {

asio::awaitable<result<response>> retrying_transport::send(request& req, const send_options& opts) {
    const retry_options policy = opts.request.retry.value_or(defaults_);
    const bool idempotent = is_idempotent(req.method) || opts.request.idempotent;
    const auto start = net::clock::now();
    for (int attempt = 1;; ++attempt) {
        auto r = co_await inner_->send(req, opts);
        std::optional<std::chrono::milliseconds> server_delay;
        bool retryable = false;
        if (r) {
            r->attempts = attempt;
            const int s = r->status;
            retryable = s == 429 || (idempotent && (s == 502 || s == 503 || s == 504));
            if (retryable)
                if (auto ra = http::retry_after(r->headers)) server_delay = *ra;
        } else {
            const auto& e = r.error();
            retryable = e == errc::connect_failed || e == errc::resolve_failed ||
                        (idempotent && e == errc::connection_closed);
        }
        if (!retryable) co_return r;
        if (attempt >= policy.max_attempts) co_return exhausted(std::move(r), attempt);
        // A server that asks for a long pause is answered now rather than after the pause:
        // the caller decides (the error carries retry_after).
        if (server_delay && *server_delay > policy.max_retry_after) co_return r;
        auto delay = server_delay ? *server_delay
                                  : detail::retry_backoff(attempt, policy.initial_backoff,
                                                          policy.max_backoff, detail::jitter());
        if (policy.max_elapsed.count() > 0 &&
            net::clock::now() + delay - start > policy.max_elapsed)
            co_return exhausted(std::move(r), attempt);
        if (req.stream && !req.stream->rewind()) co_return r;
        asio::steady_timer timer(co_await asio::this_coro::executor, delay);
        std::error_code ec;
        co_await timer.async_wait(net::redirect(ec));
        if (ec)
            co_return error(make_error_code(errc::cancelled), "cancelled while waiting to retry");
    }
}

asio::awaitable<result<upgraded>> retrying_transport::upgrade(request& req,
                                                              const send_options& opts) {
    const retry_options policy = opts.request.retry.value_or(defaults_);
    for (int attempt = 1;; ++attempt) {
        auto r = co_await inner_->upgrade(req, opts);
        std::optional<std::chrono::milliseconds> server_delay;
        bool retryable = false;
        if (r) {
            r->head.attempts = attempt;
            retryable = r->head.status == 429;
            if (retryable)
                if (auto ra = http::retry_after(r->head.headers)) server_delay = *ra;
        } else {
            retryable = r.error() == errc::connect_failed || r.error() == errc::resolve_failed;
        }
        if (!retryable || attempt >= policy.max_attempts ||
            (server_delay && *server_delay > policy.max_retry_after))
            co_return r;
        auto delay = server_delay ? *server_delay
                                  : detail::retry_backoff(attempt, policy.initial_backoff,
                                                          policy.max_backoff, detail::jitter());
        asio::steady_timer timer(co_await asio::this_coro::executor, delay);
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
