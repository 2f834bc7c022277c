// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of client_state.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_CLIENT_STATE_IPP
#define DAYTONA_IMPL_CLIENT_STATE_IPP

#include "daytona/client_state.hpp"
#include "daytona/http/pooled_transport.hpp"
#include "daytona/http/rate_limit.hpp"
#include "daytona/http/retrying_transport.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdlib>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

void client_observer::on_exchange(const http::exchange_record& rec) noexcept {
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

asio::awaitable<result<http::response>> failing_transport::send(http::request&,
                                                                const http::send_options&) {
    co_return error_;
}

asio::awaitable<result<http::upgraded>> failing_transport::upgrade(http::request&,
                                                                   const http::send_options&) {
    co_return error_;
}

client_state::client_state(asio::any_io_executor ex, client_options opts,
                           std::shared_ptr<http::transport> inner)
    : executor(std::move(ex)), options(std::move(opts)) {
    auto url = http::url::parse(options.api_url);
    if (!url) {
        config_error = url.error();
    } else if (url->websocket) {
        config_error =
            error(make_error_code(errc::invalid_argument), "api_url must be an http or https URL");
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
        .max_connections_per_origin = std::max<std::size_t>(1, options.max_connections_per_origin),
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

client_state::~client_state() {
    if (events) events->stop();
}

std::string client_state::env(const char* name) {
    const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read at setup
    return v ? std::string(v) : std::string();
}

http::credentials client_state::choose_credentials() {
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

std::vector<std::shared_ptr<api::trace_file>> client_state::open_traces() const {
    std::vector<std::shared_ptr<api::trace_file>> out;
    for (const auto& path : {options.trace_file, env("DAYTONA_TRACE")}) {
        if (path.empty()) continue;
        if (auto f = api::trace_file::open(path)) {
            if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(std::move(f));
        }
    }
    return out;
}

void sandbox_data::update(sandbox_info fresh) {
    const bool proxy_changed =
        fresh.toolbox_proxy_url != info.toolbox_proxy_url || fresh.id != info.id;
    if (fresh.toolbox_proxy_url.empty() && !info.toolbox_proxy_url.empty() && fresh.id == info.id)
        fresh.toolbox_proxy_url = info.toolbox_proxy_url;  // keep what we learned
    info = std::move(fresh);
    if (proxy_changed || !toolbox) {
        toolbox.reset();
        if (auto b = api::toolbox_base(info.toolbox_proxy_url, info.id)) toolbox = std::move(*b);
    }
}

asio::awaitable<result<api::channel>> toolbox_channel(std::shared_ptr<client_state> c,
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

#endif  // DAYTONA_IMPL_CLIENT_STATE_IPP
