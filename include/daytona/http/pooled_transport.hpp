// SPDX-License-Identifier: Apache-2.0
// HTTP/1.1 keep-alive connection pool: one bounded set of connections per origin.
#ifndef DAYTONA_HTTP_POOLED_TRANSPORT_HPP
#define DAYTONA_HTTP_POOLED_TRANSPORT_HPP

#include "daytona/config.hpp"
#include "daytona/http/buffer.hpp"
#include "daytona/http/io.hpp"
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

    asio::awaitable<result<response>> send(request& req, const send_options& opts) override {
        using namespace std::chrono;
        const auto timeout = opts.request.timeout.value_or(opts_.request_timeout);
        const auto deadline =
            timeout.count() > 0 ? net::clock::now() + timeout : net::clock::time_point::max();
        auto& pool = pools_[req.origin.key()];
        bool retried = false;
        for (;;) {
            auto acquired = co_await acquire(pool, req.origin, deadline);
            if (!acquired) co_return std::move(acquired).error();
            auto conn = std::move(acquired->conn);
            auto r = co_await exchange(*conn, req, opts, deadline);
            if (r) {
                if (r->keep_alive && !conn->parser.upgrade())
                    release(pool, std::move(conn));
                else
                    discard(pool);
                co_return r;
            }
            const bool nothing_received = conn->parser.bytes_seen() == 0;
            discard(pool);
            const bool replayable = !req.stream || req.stream->rewind();
            if (acquired->reused && !retried && nothing_received &&
                r.error() == errc::connection_closed &&
                (is_idempotent(req.method) || opts.request.idempotent) && replayable) {
                retried = true;  // the server closed the idle connection under us
                continue;
            }
            co_return r;
        }
    }

    asio::awaitable<result<upgraded>> upgrade(request& req, const send_options& opts) override {
        const auto timeout = opts.request.timeout.value_or(opts_.request_timeout);
        const auto deadline =
            timeout.count() > 0 ? net::clock::now() + timeout : net::clock::time_point::max();
        auto& pool = pools_[req.origin.key()];
        for (bool retried = false;; retried = true) {
            auto acquired = co_await acquire(pool, req.origin, deadline);
            if (!acquired) co_return std::move(acquired).error();
            auto conn = std::move(acquired->conn);
            conn->stream.expires_at(deadline);
            auto head = co_await exchange_head(*conn, req);
            if (!head) {
                const bool nothing_received = conn->parser.bytes_seen() == 0;
                discard(pool);
                if (acquired->reused && !retried && nothing_received &&
                    head.error() == errc::connection_closed)
                    continue;  // the server closed the idle connection under us
                co_return std::move(head).error();
            }
            upgraded out;
            out.head = conn->parser.release();
            if (!conn->parser.upgrade() || out.head.status != 101) {
                // A refused upgrade: servers differ in whether they keep such a connection
                // open, so it is never reused.
                discard(pool);
                co_return out;
            }
            conn->stream.expires_never();
            out.leftover.assign(conn->buffer.data());
            out.stream = std::make_unique<net::stream>(std::move(conn->stream));
            discard(pool);  // it is the caller's connection now
            co_return out;
        }
    }

    /// Open connections to `o` (idle and in use).
    std::size_t open_connections(const origin& o) const {
        auto it = pools_.find(o.key());
        return it == pools_.end() ? 0 : it->second.open;
    }
    /// Idle connections to `o`.
    std::size_t idle_connections(const origin& o) const {
        auto it = pools_.find(o.key());
        return it == pools_.end() ? 0 : it->second.idle.size();
    }
    /// Closes every idle connection.
    void close_idle() {
        for (auto& [key, pool] : pools_) {
            pool.open -= pool.idle.size();
            pool.idle.clear();
        }
    }

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

    asio::awaitable<result<acquired_connection>> acquire(origin_pool& pool, const origin& o,
                                                         net::clock::time_point deadline) {
        for (;;) {
            while (!pool.idle.empty()) {
                auto conn = std::move(pool.idle.back());
                pool.idle.pop_back();
                const auto idle = net::clock::now() - conn->idle_since;
                // Peeking costs a syscall per request; a server closes a keep-alive connection
                // after seconds of idleness, not milliseconds, so only check ones that rested.
                // The replay below covers the rare race for idempotent requests.
                const bool stale = idle > opts_.idle_timeout ||
                                   (idle > peek_after_idle && conn->stream.peer_closed());
                if (stale) {
                    --pool.open;  // dropped; the unique_ptr closes it
                    continue;
                }
                co_return acquired_connection{std::move(conn), true};
            }
            if (pool.open < opts_.max_connections_per_origin) {
                ++pool.open;
                auto conn = std::make_unique<connection>(ex_, opts_.limits);
                auto c = co_await connect(*conn, o, deadline);
                if (!c) {
                    discard(pool);
                    co_return std::move(c).error();
                }
                co_return acquired_connection{std::move(conn), false};
            }
            // Every connection is busy: wait for one to come back (or for the deadline).
            asio::steady_timer timer(ex_, deadline);
            waiter w{&timer};
            pool.waiters.push_back(&w);
            std::error_code ec;
            co_await timer.async_wait(net::redirect(ec));
            std::erase(pool.waiters, &w);
            if (w.notified) continue;
            if (!ec)
                co_return error(make_error_code(errc::timeout),
                                "no connection to " + o.key() + " became free before the deadline");
            co_return error(make_error_code(errc::cancelled),
                            "waiting for a connection: cancelled");
        }
    }

    asio::awaitable<result<void>> connect(connection& c, const origin& o,
                                          net::clock::time_point deadline) {
        std::shared_ptr<asio::ssl::context> tls;
        if (o.secure()) {
            if (!tls_) {
                auto made = net::make_tls_context(opts_.tls);
                if (!made) co_return std::move(made).error();
                tls_ = std::move(*made);
            }
            tls = tls_;
        }
        c.stream.expires_at(std::min(deadline, net::clock::now() + opts_.connect_timeout));
        co_return co_await c.stream.connect(o.host, o.port, std::move(tls),
                                            !opts_.tls.danger_accept_invalid_certificates);
    }

    asio::awaitable<result<response>> exchange(connection& c, request& req,
                                               const send_options& opts,
                                               net::clock::time_point deadline) {
        c.stream.expires_at(deadline);
        if (auto w = co_await write_request(c.stream, req, c.scratch); !w)
            co_return std::move(w).error();
        for (;;) {
            c.parser.reset();
            if (req.method == verb::head) c.parser.skip_body();
            if (opts.sink) {
                // Choose where the body goes once the status is known: error bodies are
                // buffered so they can be reported.
                c.parser.pause_after_header();
                if (auto h = co_await read_header(c.stream, c.parser, c.buffer); !h)
                    co_return std::move(h).error();
                if (c.parser.get().ok()) c.parser.set_sink(opts.sink.get());
            }
            if (auto r = co_await read_message(c.stream, c.parser, c.buffer); !r)
                co_return std::move(r).error();
            const int status = c.parser.get().status;
            // Interim 1xx responses (other than 101) precede the real one.
            if (status >= 100 && status < 200 && status != 101) continue;
            break;
        }
        c.stream.expires_never();
        co_return c.parser.release();
    }

    /// Writes `req` and reads the response (for a 101: only its head; the rest of the bytes
    /// stay in the connection's buffer).
    asio::awaitable<result<void>> exchange_head(connection& c, request& req) {
        if (auto w = co_await write_request(c.stream, req, c.scratch); !w) co_return w;
        for (;;) {
            c.parser.reset();
            if (auto r = co_await read_message(c.stream, c.parser, c.buffer); !r) co_return r;
            const int status = c.parser.get().status;
            if (status >= 100 && status < 200 && status != 101) continue;
            co_return result<void>{};
        }
    }

    void release(origin_pool& pool, std::unique_ptr<connection> conn) {
        conn->idle_since = net::clock::now();
        pool.idle.push_back(std::move(conn));
        notify_one(pool);
    }
    void discard(origin_pool& pool) {
        --pool.open;
        notify_one(pool);
    }
    static void notify_one(origin_pool& pool) {
        if (pool.waiters.empty()) return;
        waiter* w = pool.waiters.front();
        pool.waiters.pop_front();
        w->notified = true;
        w->timer->cancel();
    }

    asio::any_io_executor ex_;
    pool_options opts_;
    std::shared_ptr<asio::ssl::context> tls_;
    std::unordered_map<std::string, origin_pool> pools_;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_POOLED_TRANSPORT_HPP
