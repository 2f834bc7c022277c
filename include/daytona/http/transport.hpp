// SPDX-License-Identifier: Apache-2.0
// The transport seam: one virtual call that sends a request and returns the response. Pools,
// retries and credentials are decorators over it; tests can put a fake in its place.
#ifndef DAYTONA_HTTP_TRANSPORT_HPP
#define DAYTONA_HTTP_TRANSPORT_HPP

#include "daytona/config.hpp"
#include "daytona/http/body.hpp"
#include "daytona/http/request.hpp"
#include "daytona/http/response.hpp"
#include "daytona/net/asio_compat.hpp"
#include "daytona/net/stream.hpp"
#include "daytona/options.hpp"
#include "daytona/result.hpp"

#include <memory>
#include <string>

DAYTONA_BEGIN_NAMESPACE
namespace http {

/// How one request is to be sent.
struct send_options {
    /// Per-call overrides (timeout, retry policy, idempotency).
    request_options request{};
    /// Where the response body goes; unset means response::body. Error responses (non-2xx)
    /// are always buffered instead, so their message can be reported.
    std::shared_ptr<body_sink> sink{};
    /// The library operation this request belongs to ("start_sandbox"), for traces; may be empty.
    std::string_view operation{};
};

/// A connection taken over after a protocol upgrade (`101 Switching Protocols`).
struct upgraded {
    /// The server's answer. When it is not 101, `stream` is null and this is an ordinary
    /// response (401, 404, ...) whose body says why.
    response head{};
    /// The connection, now speaking the new protocol.
    std::unique_ptr<net::stream> stream{};
    /// Bytes the server sent right after the head (the first frames).
    std::string leftover{};
};

/**
 * \brief Sends HTTP requests.
 * \details `send` may add header fields to `req` (credentials, identification) and reads its
 * body source. Both `req` and `opts` must stay valid until the returned awaitable completes,
 * which holds whenever it is awaited at once.
 *
 * A non-2xx response is a successful send: the caller decides what a status means. Errors are
 * transport failures only (errc::connect_failed, errc::timeout, errc::cancelled, ...).
 */
class transport {
public:
    virtual ~transport() = default;
    /// Sends `req` and answers the response, whatever its status; fails only when no complete
    /// response arrived.
    virtual asio::awaitable<result<response>> send(request& req, const send_options& opts) = 0;

    /**
     * \brief Sends an upgrade request (WebSocket) and hands over the connection when the server
     * switches protocols. The connection leaves the pool: it no longer counts against
     * max_connections_per_origin.
     * \details Transports that cannot upgrade fail with errc::invalid_argument.
     */
    DAYTONA_DECL virtual asio::awaitable<result<upgraded>> upgrade(request& req,
                                                                   const send_options& opts);
};

}  // namespace http
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/transport.ipp"
#endif

#endif  // DAYTONA_HTTP_TRANSPORT_HPP
