// SPDX-License-Identifier: Apache-2.0
// A decorator that tells an observer about every exchange it passes on (traces, rate limits),
// and the observer interface, which WebSocket upgrades report to as well.
#ifndef DAYTONA_HTTP_OBSERVING_TRANSPORT_HPP
#define DAYTONA_HTTP_OBSERVING_TRANSPORT_HPP

#include "daytona/config.hpp"
#include "daytona/http/transport.hpp"

#include <chrono>
#include <memory>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace http {

/// One request as it went out, and what came back.
struct exchange_record {
    /// The library operation ("start_sandbox"); may be empty.
    std::string_view operation;
    /// The request as sent, with the fields the transports above added (`Authorization` too).
    const request& req;
    /// The response, or null when none arrived (the failure says why).
    const response* resp = nullptr;
    /// Why no response arrived; null when one did.
    const daytona::error* failure = nullptr;
    /// From sending the request to the end of the response (or the failure).
    std::chrono::steady_clock::duration elapsed{};
    /// The request was a WebSocket upgrade.
    bool websocket = false;
};

/**
 * \brief Receives a record of every exchange. Implementations must not throw and must not keep
 * the references in the record beyond the call.
 */
class exchange_observer {
public:
    virtual ~exchange_observer() = default;
    /// Called once per exchange, when it ends; the references in `record` are valid only
    /// during the call.
    virtual void on_exchange(const exchange_record& record) noexcept = 0;
};

/// Reports each attempt that reaches it (place it below the retrying transport to see every
/// attempt) to an observer.
class observing_transport final : public transport {
public:
    /// Sends through `inner` and reports every exchange to `observer`.
    observing_transport(std::shared_ptr<transport> inner,
                        std::shared_ptr<exchange_observer> observer)
        : inner_(std::move(inner)), observer_(std::move(observer)) {}

    DAYTONA_DECL asio::awaitable<result<response>> send(request& req,
                                                        const send_options& opts) override;

    DAYTONA_DECL asio::awaitable<result<upgraded>> upgrade(request& req,
                                                           const send_options& opts) override;

private:
    std::shared_ptr<transport> inner_;
    std::shared_ptr<exchange_observer> observer_;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/observing_transport.ipp"
#endif

#endif  // DAYTONA_HTTP_OBSERVING_TRANSPORT_HPP
