// SPDX-License-Identifier: Apache-2.0
// HTTP/1.1 keep-alive connection pool: one bounded set of connections per origin.
#ifndef DAYTONA_HTTP_POOLED_TRANSPORT_HPP
#define DAYTONA_HTTP_POOLED_TRANSPORT_HPP

#include "daytona/config.hpp"
#include "daytona/http/buffer.hpp"
#include "daytona/http/parser.hpp"
#include "daytona/http/transport.hpp"
#include "daytona/net/stream.hpp"
#include "daytona/net/tls_context.hpp"

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace http {

/// Settings of a pooled_transport.
struct pool_options {
    /// Open connections per origin; further requests wait for one. Default 64.
    std::size_t max_connections_per_origin = 64;
    /// Resolve + connect + TLS handshake deadline. Default 10 s.
    std::chrono::milliseconds connect_timeout{10'000};
    /// Default deadline of one request when send_options sets none; 0 means none. Default 60 s.
    std::chrono::milliseconds request_timeout{60'000};
    /// Idle connections older than this are closed rather than reused. Default 30 s.
    std::chrono::milliseconds idle_timeout{30'000};
    /// Response size limits.
    parser_limits limits{};
    /// TLS settings for https origins.
    tls_options tls{};
};

/**
 * \brief A transport that keeps connections open and reuses them.
 * \details Each origin has at most `max_connections_per_origin` open connections. An idle
 * connection is checked before reuse (a non-blocking peek finds one the server has closed).
 * If a reused connection still fails before any response byte arrives, the request is sent
 * once more on a fresh connection, when it is idempotent (or marked so) and its body can be
 * replayed. Connections that saw an error, a cancellation, `Connection: close` or a protocol
 * upgrade are closed, never returned.
 *
 * \par Thread safety
 * Use from one thread or strand at a time (the client's executor).
 */
class pooled_transport final : public transport {
public:
    /// A pool with no connections yet; they are opened on `ex` as requests need them.
    pooled_transport(asio::any_io_executor ex, pool_options opts)
        : ex_(std::move(ex)), opts_(std::move(opts)) {}

    DAYTONA_DECL asio::awaitable<result<response>> send(request& req,
                                                        const send_options& opts) override;

    DAYTONA_DECL asio::awaitable<result<upgraded>> upgrade(request& req,
                                                           const send_options& opts) override;

    /// Open connections to `o` (idle and in use).
    DAYTONA_DECL std::size_t open_connections(const origin& o) const;
    /// Idle connections to `o`.
    DAYTONA_DECL std::size_t idle_connections(const origin& o) const;
    /// Closes every idle connection.
    DAYTONA_DECL void close_idle();

private:
    static constexpr auto peek_after_idle = std::chrono::milliseconds(250);

    struct connection {
        connection(asio::any_io_executor ex, parser_limits limits)
            : stream(std::move(ex)), parser(limits) {}
        net::stream stream;
        flat_buffer buffer;
        response_parser parser;
        std::string scratch;
        net::clock::time_point idle_since{};
    };
    struct waiter {
        asio::steady_timer* timer;
        bool notified = false;
    };
    struct origin_pool {
        std::vector<std::unique_ptr<connection>> idle;
        std::size_t open = 0;
        std::deque<waiter*> waiters;
    };
    struct acquired_connection {
        std::unique_ptr<connection> conn;
        bool reused = false;
    };

    DAYTONA_DECL asio::awaitable<result<acquired_connection>> acquire(
        origin_pool& pool, const origin& o, net::clock::time_point deadline);

    DAYTONA_DECL asio::awaitable<result<void>> connect(connection& c, const origin& o,
                                                       net::clock::time_point deadline);

    DAYTONA_DECL asio::awaitable<result<response>> exchange(connection& c, request& req,
                                                            const send_options& opts,
                                                            net::clock::time_point deadline);

    /// Writes `req` and reads the response (for a 101: only its head; the rest of the bytes
    /// stay in the connection's buffer).
    DAYTONA_DECL asio::awaitable<result<void>> exchange_head(connection& c, request& req);

    DAYTONA_DECL void release(origin_pool& pool, std::unique_ptr<connection> conn);
    DAYTONA_DECL void discard(origin_pool& pool);
    static DAYTONA_DECL void notify_one(origin_pool& pool);

    asio::any_io_executor ex_;
    pool_options opts_;
    std::shared_ptr<asio::ssl::context> tls_;
    std::unordered_map<std::string, origin_pool> pools_;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/pooled_transport.ipp"
#endif

#endif  // DAYTONA_HTTP_POOLED_TRANSPORT_HPP
