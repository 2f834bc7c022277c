// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/transport.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_TRANSPORT_IPP
#define DAYTONA_HTTP_IMPL_TRANSPORT_IPP

#include "daytona/http/transport.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace http {

asio::awaitable<result<upgraded>> transport::upgrade(request& req, const send_options& opts) {
    (void)req;
    (void)opts;
    co_return error(make_error_code(errc::invalid_argument),
                    "this transport cannot upgrade connections");
}

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_IMPL_TRANSPORT_IPP
