// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/auth_transport.hpp: included by it in the header-only build, compiled
// once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_AUTH_TRANSPORT_IPP
#define DAYTONA_HTTP_IMPL_AUTH_TRANSPORT_IPP

#include "daytona/http/auth_transport.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace http {

auth_transport::auth_transport(std::shared_ptr<transport> inner, credentials creds)
    : inner_(std::move(inner))
    , secret_(creds.bearer_token)
    , authorization_("Bearer " + creds.bearer_token)
    , organization_(std::move(creds.organization_id)) {}

asio::awaitable<result<response>> auth_transport::send(request& req, const send_options& opts) {
    identify(req);
    auto r = co_await inner_->send(req, opts);
    if (!r) co_return r.error().redacted(secret_);
    if (!r->ok()) scrub(*r);
    co_return r;
}

asio::awaitable<result<upgraded>> auth_transport::upgrade(request& req, const send_options& opts) {
    identify(req);
    auto r = co_await inner_->upgrade(req, opts);
    if (!r) co_return r.error().redacted(secret_);
    if (r->head.status != 101) scrub(r->head);
    co_return r;
}

void auth_transport::identify(request& req) const {
    req.headers.set("Authorization", authorization_);
    if (!organization_.empty()) req.headers.set("X-Daytona-Organization-ID", organization_);
    req.headers.set("X-Daytona-Source", "sdk-cpp");
    req.headers.set("X-Daytona-SDK-Version", DAYTONA_PROTOCOL_VERSION);
    req.headers.set("User-Agent", "daytona-cpp/" DAYTONA_VERSION_STRING);
}

void auth_transport::scrub(response& r) const {
    if (secret_.empty()) return;
    for (auto pos = r.body.find(secret_); pos != std::string::npos; pos = r.body.find(secret_, pos))
        r.body.replace(pos, secret_.size(), "[REDACTED]");
}

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_IMPL_AUTH_TRANSPORT_IPP
