// SPDX-License-Identifier: Apache-2.0
// State shared by a client and every handle it hands out (the google-cloud-cpp client /
// connection split): options, the transport stack, the parsed API URL, what the server said
// about rate limits, and request tracing. Handles hold it by shared_ptr, so operations stay
// valid after the client object itself is gone.
#ifndef DAYTONA_CLIENT_STATE_HPP
#define DAYTONA_CLIENT_STATE_HPP

#include "daytona/api/operation.hpp"
#include "daytona/api/sandboxes.hpp"
#include "daytona/api/toolbox/process.hpp"
#include "daytona/api/trace.hpp"
#include "daytona/config.hpp"
#include "daytona/events.hpp"
#include "daytona/http/auth_transport.hpp"
#include "daytona/http/observing_transport.hpp"
#include "daytona/models/sandbox.hpp"
#include "daytona/options.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace http {
class pooled_transport;
}  // namespace http
namespace detail {

/// What the client learns from every response: the latest rate limits, and trace lines for the
/// configured files.
class client_observer final : public http::exchange_observer {
public:
    client_observer(std::vector<std::shared_ptr<api::trace_file>> traces, std::string secret)
        : traces_(std::move(traces)), secret_(std::move(secret)) {}

    DAYTONA_DECL void on_exchange(const http::exchange_record& rec) noexcept override;

    std::vector<rate_limit> rate_limits() const {
        std::lock_guard lock(mu_);
        return rate_limits_;
    }
    throttling throttled() const {
        std::lock_guard lock(mu_);
        return throttling_;
    }
    bool tracing() const noexcept { return !traces_.empty(); }

private:
    std::vector<std::shared_ptr<api::trace_file>> traces_;
    std::string secret_;
    mutable std::mutex mu_;
    std::vector<rate_limit> rate_limits_;
    throttling throttling_;
};

/// A transport that fails every request with one error (the client's configuration error).
class failing_transport final : public http::transport {
public:
    explicit failing_transport(error e) : error_(std::move(e)) {}
    DAYTONA_DECL asio::awaitable<result<http::response>> send(http::request&,
                                                              const http::send_options&) override;
    DAYTONA_DECL asio::awaitable<result<http::upgraded>> upgrade(
        http::request&, const http::send_options&) override;

private:
    error error_;
};

struct client_state {
    /// `inner` replaces the connection pool at the bottom of the stack (tests, custom
    /// transports); null uses the pool.
    DAYTONA_DECL client_state(asio::any_io_executor ex, client_options opts,
                              std::shared_ptr<http::transport> inner = nullptr);
    DAYTONA_DECL ~client_state();
    client_state(const client_state&) = delete;
    client_state& operator=(const client_state&) = delete;

    /// The configuration error, named after `operation`, if the options were unusable.
    std::optional<error> check(std::string_view operation) const {
        if (config_error) return config_error->with_operation(operation);
        return std::nullopt;
    }

    /// The API surface.
    api::channel api_channel() const { return api::channel{transport, api_base}; }

    asio::any_io_executor executor;
    client_options options;
    std::optional<error> config_error;
    http::url api_base;
    /// The connection pool (null when an inner transport was given).
    std::shared_ptr<http::pooled_transport> pool;
    std::shared_ptr<client_observer> observer;
    std::shared_ptr<http::transport> transport;
    /// Daytona's event channel, shared by every wait of this client.
    std::shared_ptr<detail::event_channel> events;
    /// The same stack without Daytona's credentials (retries, observer, pool): for requests to
    /// other services that authenticate on their own (the object storage, signed with SigV4).
    std::shared_ptr<http::transport> unauthenticated;

private:
    static DAYTONA_DECL std::string env(const char* name);

    /// The API key, unless a JWT was set explicitly while the key came from the environment
    /// (an explicit setting beats the environment, as in the official SDKs).
    DAYTONA_DECL http::credentials choose_credentials();

    /// The trace files: client_options::trace_file and DAYTONA_TRACE (both, when they differ).
    DAYTONA_DECL std::vector<std::shared_ptr<api::trace_file>> open_traces() const;
};

/// One sandbox's data, shared by copies of its handle so a refresh is seen by all of them.
struct sandbox_data {
    sandbox_info info;
    /// Toolbox base URL, derived from info.toolbox_proxy_url (empty until known).
    std::optional<http::url> toolbox;

    explicit sandbox_data(sandbox_info i) { update(std::move(i)); }

    DAYTONA_DECL void update(sandbox_info fresh);
};

/// The toolbox channel of a sandbox, asking the API for the proxy URL when the DTO did not carry
/// it (as the 0.218 SDK does).
DAYTONA_DECL asio::awaitable<result<api::channel>> toolbox_channel(std::shared_ptr<client_state> c,
                                                                   std::shared_ptr<sandbox_data> s,
                                                                   request_options ro);

}  // namespace detail
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/client_state.ipp"
#endif

#endif  // DAYTONA_CLIENT_STATE_HPP
