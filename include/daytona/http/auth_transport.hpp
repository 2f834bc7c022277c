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
    DAYTONA_DECL auth_transport(std::shared_ptr<transport> inner, credentials creds);

    DAYTONA_DECL asio::awaitable<result<response>> send(request& req,
                                                        const send_options& opts) override;

    DAYTONA_DECL asio::awaitable<result<upgraded>> upgrade(request& req,
                                                           const send_options& opts) override;

private:
    DAYTONA_DECL void identify(request& req) const;

    /// A server (or a proxy) that echoes request headers into an error body must not leak the
    /// credential into error messages and logs built from that body.
    DAYTONA_DECL void scrub(response& r) const;

    std::shared_ptr<transport> inner_;
    std::string secret_;
    std::string authorization_;
    std::string organization_;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/auth_transport.ipp"
#endif

#endif  // DAYTONA_HTTP_AUTH_TRANSPORT_HPP
