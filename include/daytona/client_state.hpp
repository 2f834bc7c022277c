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
#include "daytona/http/pooled_transport.hpp"
#include "daytona/http/rate_limit.hpp"
#include "daytona/http/retrying_transport.hpp"
#include "daytona/models/sandbox.hpp"
#include "daytona/options.hpp"

#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

/// What the client learns from every response: the latest rate limits, and trace lines for the
/// configured files.
class client_observer final : public http::exchange_observer {
public:
    client_observer(std::vector<std::shared_ptr<api::trace_file>> traces, std::string secret)
        : traces_(std::move(traces)), secret_(std::move(secret)) {}

    void on_exchange(const http::exchange_record& rec) noexcept override {
        try {
            if (rec.resp && (rec.resp->status == 429 || rec.resp->status == 503)) {
                const auto wait =
                    http::retry_after(rec.resp->headers).value_or(std::chrono::seconds(0));
                std::lock_guard lock(mu_);
                ++throttling_.responses;
                throttling_.until =
                    std::max(throttling_.until, std::chrono::steady_clock::now() + wait);
            }
            if (rec.resp) {
                auto limits = http::parse_rate_limits(rec.resp->headers);
                if (!limits.empty()) {
                    std::lock_guard lock(mu_);
                    for (auto& l : limits) {
                        auto it = std::find_if(
                            rate_limits_.begin(), rate_limits_.end(),
                            [&](const rate_limit& r) { return r.throttler == l.throttler; });
                        if (it == rate_limits_.end())
                            rate_limits_.push_back(std::move(l));
                        else
                            *it = std::move(l);
                    }
                }
            }
            if (!traces_.empty()) {
                const auto line = api::format_trace_line(rec, secret_);
                for (const auto& t : traces_)
                    t->append(line);
            }
        } catch (...) {
            // Observing must never fail a call (out of memory while tracing, say).
        }
    }

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
    asio::awaitable<result<http::response>> send(http::request&,
                                                 const http::send_options&) override {
        co_return error_;
    }
    asio::awaitable<result<http::upgraded>> upgrade(http::request&,
                                                    const http::send_options&) override {
        co_return error_;
    }

private:
    error error_;
};

struct client_state {
    /// `inner` replaces the connection pool at the bottom of the stack (tests, custom
    /// transports); null uses the pool.
    client_state(asio::any_io_executor ex, client_options opts,
                 std::shared_ptr<http::transport> inner = nullptr)
        : executor(std::move(ex)), options(std::move(opts)) {
        auto url = http::url::parse(options.api_url);
        if (!url) {
            config_error = url.error();
        } else if (url->websocket) {
            config_error = error(make_error_code(errc::invalid_argument),
                                 "api_url must be an http or https URL");
        } else {
            api_base = std::move(*url);
        }
        http::credentials creds = choose_credentials();
        // A CR or LF in a credential would let it inject header lines; never echo the value.
        if (!config_error && (!http::is_valid_field_value(creds.bearer_token) ||
                              !http::is_valid_field_value(creds.organization_id)))
            config_error = error(make_error_code(errc::invalid_argument),
                                 "credentials contain characters not allowed in a header");
        http::pool_options pool_opts{
            .max_connections_per_origin =
                std::max<std::size_t>(1, options.max_connections_per_origin),
            .connect_timeout = options.connect_timeout,
            .request_timeout = options.request_timeout,
            .idle_timeout = options.idle_timeout,
            .limits = {.max_header_bytes = options.max_header_bytes,
                       .max_body_bytes = options.max_body_bytes},
            .tls = options.tls,
        };
        if (!inner) {
            pool = std::make_shared<http::pooled_transport>(executor, std::move(pool_opts));
            inner = pool;
        }
        observer = std::make_shared<client_observer>(open_traces(), creds.bearer_token);
        // Below the retries, so that every attempt is traced and its rate limits seen.
        auto observed = std::make_shared<http::observing_transport>(std::move(inner), observer);
        auto retry = std::make_shared<http::retrying_transport>(std::move(observed), options.retry);
        unauthenticated = retry;
        std::string token = creds.bearer_token, organization = creds.organization_id;
        transport = std::make_shared<http::auth_transport>(std::move(retry), std::move(creds));
        // Unusable options fail every operation with the configuration error, named after it.
        if (config_error) transport = std::make_shared<failing_transport>(*config_error);
        if (config_error) unauthenticated = transport;
        events = std::make_shared<detail::event_channel>(
            executor,
            detail::event_channel::settings{.transport = transport,
                                            .api_base = api_base,
                                            .token = std::move(token),
                                            .organization_id = std::move(organization),
                                            .enabled = options.state_events && !config_error});
    }
    ~client_state() {
        if (events) events->stop();
    }
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
    static std::string env(const char* name) {
        const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read at setup
        return v ? std::string(v) : std::string();
    }

    /// The API key, unless a JWT was set explicitly while the key came from the environment
    /// (an explicit setting beats the environment, as in the official SDKs).
    http::credentials choose_credentials() {
        http::credentials creds;
        const bool have_key = !options.api_key.empty();
        const bool have_jwt = !options.jwt_token.empty();
        const bool key_from_env = have_key && options.api_key == env("DAYTONA_API_KEY");
        const bool jwt_explicit = have_jwt && options.jwt_token != env("DAYTONA_JWT_TOKEN");
        if (have_jwt && (!have_key || (key_from_env && jwt_explicit))) {
            creds.bearer_token = options.jwt_token;
            creds.organization_id = options.organization_id;
            if (options.organization_id.empty() && !config_error)
                config_error = error(make_error_code(errc::missing_credentials),
                                     "DAYTONA_ORGANIZATION_ID is required with a JWT");
        } else if (have_key) {
            creds.bearer_token = options.api_key;
        } else if (!config_error) {
            config_error = error(make_error_code(errc::missing_credentials),
                                 "set DAYTONA_API_KEY (or DAYTONA_JWT_TOKEN and "
                                 "DAYTONA_ORGANIZATION_ID), or client_options::api_key");
        }
        return creds;
    }

    /// The trace files: client_options::trace_file and DAYTONA_TRACE (both, when they differ).
    std::vector<std::shared_ptr<api::trace_file>> open_traces() const {
        std::vector<std::shared_ptr<api::trace_file>> out;
        for (const auto& path : {options.trace_file, env("DAYTONA_TRACE")}) {
            if (path.empty()) continue;
            if (auto f = api::trace_file::open(path)) {
                if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(std::move(f));
            }
        }
        return out;
    }
};

/// One sandbox's data, shared by copies of its handle so a refresh is seen by all of them.
struct sandbox_data {
    sandbox_info info;
    /// Toolbox base URL, derived from info.toolbox_proxy_url (empty until known).
    std::optional<http::url> toolbox;

    explicit sandbox_data(sandbox_info i) { update(std::move(i)); }

    void update(sandbox_info fresh) {
        const bool proxy_changed =
            fresh.toolbox_proxy_url != info.toolbox_proxy_url || fresh.id != info.id;
        if (fresh.toolbox_proxy_url.empty() && !info.toolbox_proxy_url.empty() &&
            fresh.id == info.id)
            fresh.toolbox_proxy_url = info.toolbox_proxy_url;  // keep what we learned
        info = std::move(fresh);
        if (proxy_changed || !toolbox) {
            toolbox.reset();
            if (auto b = api::toolbox_base(info.toolbox_proxy_url, info.id))
                toolbox = std::move(*b);
        }
    }
};

/// The toolbox channel of a sandbox, asking the API for the proxy URL when the DTO did not carry
/// it (as the 0.218 SDK does).
inline asio::awaitable<result<api::channel>> toolbox_channel(std::shared_ptr<client_state> c,
                                                             std::shared_ptr<sandbox_data> s,
                                                             request_options ro) {
    if (!s->toolbox) {
        auto url = co_await api::get_toolbox_proxy_url(c->api_channel(), s->info.id, ro);
        if (!url) co_return std::move(url).error();
        auto base = api::toolbox_base(url->url, s->info.id);
        if (!base) co_return std::move(base).error().with_operation("get_toolbox_proxy_url");
        s->info.toolbox_proxy_url = std::move(url->url);
        s->toolbox = std::move(*base);
    }
    co_return api::channel{c->transport, *s->toolbox};
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CLIENT_STATE_HPP
