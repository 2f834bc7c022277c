// SPDX-License-Identifier: Apache-2.0
// State shared by a client and every handle it hands out (the google-cloud-cpp client /
// connection split): options, the transport stack and the parsed API URL.
#ifndef DAYTONA_DETAIL_CLIENT_STATE_HPP
#define DAYTONA_DETAIL_CLIENT_STATE_HPP

#include "daytona/api/sandboxes.hpp"
#include "daytona/api/toolbox/process.hpp"
#include "daytona/config.hpp"
#include "daytona/http/auth_transport.hpp"
#include "daytona/http/pooled_transport.hpp"
#include "daytona/http/retrying_transport.hpp"
#include "daytona/http/serializer.hpp"
#include "daytona/models/sandbox.hpp"
#include "daytona/options.hpp"

#include <memory>
#include <optional>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

struct client_state {
    client_state(asio::any_io_executor ex, client_options opts)
        : executor(std::move(ex)), options(std::move(opts)) {
        auto url = http::url::parse(options.api_url);
        if (!url) {
            config_error = url.error();
        } else if (url->websocket) {
            config_error = error(make_error_code(errc::invalid_argument),
                                 "api_url must be an http or https URL");
        } else {
            api = std::move(*url);
        }
        http::credentials creds;
        if (!options.api_key.empty()) {
            creds.bearer_token = options.api_key;
        } else if (!options.jwt_token.empty()) {
            creds.bearer_token = options.jwt_token;
            creds.organization_id = options.organization_id;
            if (options.organization_id.empty() && !config_error)
                config_error = error(make_error_code(errc::missing_credentials),
                                     "DAYTONA_ORGANIZATION_ID is required with a JWT");
        } else if (!config_error) {
            config_error = error(make_error_code(errc::missing_credentials),
                                 "set DAYTONA_API_KEY (or DAYTONA_JWT_TOKEN and "
                                 "DAYTONA_ORGANIZATION_ID), or client_options::api_key");
        }
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
        pool = std::make_shared<http::pooled_transport>(executor, std::move(pool_opts));
        auto retry = std::make_shared<http::retrying_transport>(pool, options.retry);
        transport = std::make_shared<http::auth_transport>(std::move(retry), std::move(creds));
    }

    /// The configuration error, named after `operation`, if the options were unusable.
    std::optional<error> check(std::string_view operation) const {
        if (config_error) return config_error->with_operation(operation);
        return std::nullopt;
    }

    asio::any_io_executor executor;
    client_options options;
    std::optional<error> config_error;
    http::url api;
    std::shared_ptr<http::pooled_transport> pool;
    std::shared_ptr<http::transport> transport;
};

/// One sandbox's data, shared by copies of its handle so a refresh is seen by all of them.
struct sandbox_data {
    sandbox_info info;
    /// Toolbox base URL, derived from info.toolbox_proxy_url (empty until known).
    std::optional<http::url> toolbox;

    void update(sandbox_info fresh) {
        const bool proxy_changed =
            fresh.toolbox_proxy_url != info.toolbox_proxy_url || fresh.id != info.id;
        if (fresh.toolbox_proxy_url.empty() && !info.toolbox_proxy_url.empty())
            fresh.toolbox_proxy_url = info.toolbox_proxy_url;  // keep what we learned
        info = std::move(fresh);
        if (proxy_changed || !toolbox) {
            toolbox.reset();
            if (auto b = api::toolbox_base(info.toolbox_proxy_url, info.id))
                toolbox = std::move(*b);
        }
    }
};

/// The toolbox base of a sandbox, asking the API for it when the DTO did not carry it (as the
/// 0.218 SDK does).
inline asio::awaitable<result<http::url>> resolve_toolbox(std::shared_ptr<client_state> c,
                                                          std::shared_ptr<sandbox_data> s,
                                                          request_options ro) {
    if (s->toolbox) co_return *s->toolbox;
    auto url = co_await api::get_toolbox_proxy_url(*c->transport, c->api, s->info.id, ro);
    if (!url) co_return std::move(url).error();
    auto base = api::toolbox_base(*url, s->info.id);
    if (!base) co_return std::move(base).error().with_operation("get_toolbox_proxy_url");
    s->info.toolbox_proxy_url = std::move(*url);
    s->toolbox = *base;
    co_return std::move(*base);
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_DETAIL_CLIENT_STATE_HPP
