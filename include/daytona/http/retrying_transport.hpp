// SPDX-License-Identifier: Apache-2.0
// Decorator that retries failures which cannot have changed server state, with backoff.
#ifndef DAYTONA_HTTP_RETRYING_TRANSPORT_HPP
#define DAYTONA_HTTP_RETRYING_TRANSPORT_HPP

#include "daytona/config.hpp"
#include "daytona/detail/backoff.hpp"
#include "daytona/http/transport.hpp"
#include "daytona/net/stream.hpp"

#include <memory>

DAYTONA_BEGIN_NAMESPACE
namespace http {

/**
 * \brief Retries transient failures according to retry_options.
 * \details What is retried (see retry_options): connect-phase failures for any method; a
 * connection closed before the response for idempotent requests; HTTP 429 for any method
 * (the server refused the work) and 502/503/504 for idempotent ones. `Retry-After` in seconds
 * replaces the computed backoff, capped by `max_backoff`. The last outcome is returned as is,
 * so conditions keep working (`e == condition::unavailable`); its message notes the attempts.
 */
class retrying_transport final : public transport {
public:
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
                const int s = r->status;
                retryable = s == 429 || (idempotent && (s == 502 || s == 503 || s == 504));
                if (retryable)
                    if (auto ra = r->headers.find("retry-after"))
                        server_delay = detail::parse_retry_after(*ra);
            } else {
                const auto& e = r.error();
                retryable = e == errc::connect_failed || e == errc::resolve_failed ||
                            (idempotent && e == errc::connection_closed);
            }
            if (!retryable || attempt >= policy.max_attempts)
                co_return annotate(std::move(r), attempt);
            auto delay = server_delay ? std::min(*server_delay, policy.max_backoff)
                                      : detail::retry_backoff(attempt, policy.initial_backoff,
                                                              policy.max_backoff, detail::jitter());
            if (policy.max_elapsed.count() > 0 &&
                net::clock::now() + delay - start > policy.max_elapsed)
                co_return annotate(std::move(r), attempt);
            if (req.stream && !req.stream->rewind()) co_return annotate(std::move(r), attempt);
            asio::steady_timer timer(co_await asio::this_coro::executor, delay);
            std::error_code ec;
            co_await timer.async_wait(net::redirect(ec));
            if (ec)
                co_return error(make_error_code(errc::cancelled),
                                "cancelled while waiting to retry");
        }
    }

private:
    static result<response> annotate(result<response> r, int attempts) {
        if (r || attempts == 1) return r;
        error_info info = r.error().info();
        info.message += " (after " + std::to_string(attempts) + " attempts)";
        return error(r.error().code(), std::move(info));
    }

    std::shared_ptr<transport> inner_;
    retry_options defaults_;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_RETRYING_TRANSPORT_HPP
