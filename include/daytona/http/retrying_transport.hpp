// SPDX-License-Identifier: Apache-2.0
// Decorator that retries failures which cannot have changed server state, with backoff.
#ifndef DAYTONA_HTTP_RETRYING_TRANSPORT_HPP
#define DAYTONA_HTTP_RETRYING_TRANSPORT_HPP

#include "daytona/config.hpp"
#include "daytona/detail/backoff.hpp"
#include "daytona/http/rate_limit.hpp"
#include "daytona/http/transport.hpp"
#include "daytona/net/stream.hpp"

#include <memory>

DAYTONA_BEGIN_NAMESPACE
namespace http {

/**
 * \brief Retries transient failures according to retry_options.
 * \details What is retried (see retry_options): connect-phase failures for any method (the
 * request never reached the server); a connection closed before the response for idempotent
 * requests; HTTP 429 for any method (the server refused the work before doing it) and
 * 502/503/504 for idempotent ones. A server's `Retry-After` (or the longest
 * `Retry-After-<throttler>`) is honoured exactly: the retry waits that long, never less; a wait
 * longer than `max_retry_after`, or one that would overrun `max_elapsed`, is not waited for but
 * reported at once (the error carries `retry_after`). When the attempts or the time run out on a
 * retryable failure, the outcome says so: errc::retry_exhausted for transport errors (with the
 * last failure as its `cause`), `response::retries_exhausted` for statuses.
 */
class retrying_transport final : public transport {
public:
    /// Sends through `inner`, retrying by `defaults` unless a request's options name a policy.
    retrying_transport(std::shared_ptr<transport> inner, retry_options defaults)
        : inner_(std::move(inner)), defaults_(defaults) {}

    asio::awaitable<result<response>> send(request& req, const send_options& opts) override {
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
                co_return error(make_error_code(errc::cancelled),
                                "cancelled while waiting to retry");
        }
    }

    /// Upgrades are retried only when the request never reached the server (connect-phase
    /// failures) or the server refused it with 429, within the same policy.
    asio::awaitable<result<upgraded>> upgrade(request& req, const send_options& opts) override {
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
                co_return error(make_error_code(errc::cancelled),
                                "cancelled while waiting to retry");
        }
    }

private:
    static result<response> exhausted(result<response> r, int attempts) {
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

    std::shared_ptr<transport> inner_;
    retry_options defaults_;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_RETRYING_TRANSPORT_HPP
