// SPDX-License-Identifier: Apache-2.0
// Decorator that adds Daytona's credentials and identification headers to every request, and
// keeps the credential out of anything the server sends back.
#ifndef DAYTONA_HTTP_AUTH_TRANSPORT_HPP
#define DAYTONA_HTTP_AUTH_TRANSPORT_HPP

#include "daytona/config.hpp"
#include "daytona/http/transport.hpp"
#include "daytona/version.hpp"

#include <memory>
#include <string>

DAYTONA_BEGIN_NAMESPACE
namespace http {

/// What identifies the caller to Daytona: a Bearer token, and with a JWT the organization.
struct credentials {
    /// API key or JWT, sent as `Authorization: Bearer <token>`.
    std::string bearer_token{};
    /// Sent as X-Daytona-Organization-ID when non-empty (JWT auth).
    std::string organization_id{};
};

/**
 * \brief A transport decorator that identifies the caller: it sets `Authorization`,
 * `X-Daytona-Organization-ID` (when configured), `X-Daytona-Source`, `X-Daytona-SDK-Version` and
 * `User-Agent` on every request, then sends it through the inner transport.
 * \details The token is replaced with `[REDACTED]` in the body of every error response and in
 * every error's server-provided text, so a server that echoes request headers cannot leak it.
 */
class auth_transport final : public transport {
public:
    /// Sends through `inner` with the identity in `creds`.
    auth_transport(std::shared_ptr<transport> inner, credentials creds)
        : inner_(std::move(inner))
        , secret_(creds.bearer_token)
        , authorization_("Bearer " + creds.bearer_token)
        , organization_(std::move(creds.organization_id)) {}

    asio::awaitable<result<response>> send(request& req, const send_options& opts) override {
        identify(req);
        auto r = co_await inner_->send(req, opts);
        if (!r) co_return r.error().redacted(secret_);
        if (!r->ok()) scrub(*r);
        co_return r;
    }

    asio::awaitable<result<upgraded>> upgrade(request& req, const send_options& opts) override {
        identify(req);
        auto r = co_await inner_->upgrade(req, opts);
        if (!r) co_return r.error().redacted(secret_);
        if (r->head.status != 101) scrub(r->head);
        co_return r;
    }

private:
    void identify(request& req) const {
        req.headers.set("Authorization", authorization_);
        if (!organization_.empty()) req.headers.set("X-Daytona-Organization-ID", organization_);
        req.headers.set("X-Daytona-Source", "sdk-cpp");
        req.headers.set("X-Daytona-SDK-Version", DAYTONA_PROTOCOL_VERSION);
        req.headers.set("User-Agent", "daytona-cpp/" DAYTONA_VERSION_STRING);
    }

    /// A server (or a proxy) that echoes request headers into an error body must not leak the
    /// credential into error messages and logs built from that body.
    void scrub(response& r) const {
        if (secret_.empty()) return;
        for (auto pos = r.body.find(secret_); pos != std::string::npos;
             pos = r.body.find(secret_, pos))
            r.body.replace(pos, secret_.size(), "[REDACTED]");
    }

    std::shared_ptr<transport> inner_;
    std::string secret_;
    std::string authorization_;
    std::string organization_;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_AUTH_TRANSPORT_HPP
