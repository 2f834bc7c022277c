// SPDX-License-Identifier: Apache-2.0
// Decorator that retries failures which cannot have changed server state, with backoff.
#ifndef DAYTONA_HTTP_RETRYING_TRANSPORT_HPP
#define DAYTONA_HTTP_RETRYING_TRANSPORT_HPP

#include "daytona/config.hpp"
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
 * 502/503/504 for idempotent ones. A server's wait is honoured exactly, never cut short: the
 * longest of `Retry-After` and every `Retry-After-<throttler>`, in seconds or as an HTTP date.
 * A wait longer than `max_retry_after`, one longer than what is left of `max_elapsed` (the call's
 * deadline), or one that cannot be read, is not waited for: the response is answered at once
 * with `response::retry_refused` saying why ("the server asked to wait 30 s before retrying,
 * more than the 2 s left of max_elapsed (2 s)"), and the error built from it carries the wait in
 * `retry_after`. When the attempts or the time run out on a retryable failure, the outcome says
 * so: errc::retry_exhausted for transport errors (with the last failure as its `cause`),
 * `response::retries_exhausted` for statuses.
 */
class retrying_transport final : public transport {
public:
    /// Sends through `inner`, retrying by `defaults` unless a request's options name a policy.
    retrying_transport(std::shared_ptr<transport> inner, retry_options defaults)
        : inner_(std::move(inner)), defaults_(defaults) {}

    DAYTONA_DECL asio::awaitable<result<response>> send(request& req,
                                                        const send_options& opts) override;

    /// Upgrades are retried only when the request never reached the server (connect-phase
    /// failures) or the server refused it with 429, within the same policy.
    DAYTONA_DECL asio::awaitable<result<upgraded>> upgrade(request& req,
                                                           const send_options& opts) override;

private:
    static DAYTONA_DECL result<response> exhausted(result<response> r, int attempts);

    std::shared_ptr<transport> inner_;
    retry_options defaults_;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/retrying_transport.ipp"
#endif

#endif  // DAYTONA_HTTP_RETRYING_TRANSPORT_HPP
