// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/pooled_transport.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_POOLED_TRANSPORT_IPP
#define DAYTONA_HTTP_IMPL_POOLED_TRANSPORT_IPP

#include "daytona/http/pooled_transport.hpp"

#include "daytona/http/io.hpp"

#include <algorithm>
#include <utility>

DAYTONA_BEGIN_NAMESPACE
namespace http {

asio::awaitable<result<response>> pooled_transport::send(request& req, const send_options& opts) {
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

asio::awaitable<result<upgraded>> pooled_transport::upgrade(request& req,
                                                            const send_options& opts) {
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

std::size_t pooled_transport::open_connections(const origin& o) const {
    auto it = pools_.find(o.key());
    return it == pools_.end() ? 0 : it->second.open;
}

std::size_t pooled_transport::idle_connections(const origin& o) const {
    auto it = pools_.find(o.key());
    return it == pools_.end() ? 0 : it->second.idle.size();
}

void pooled_transport::close_idle() {
    for (auto& [key, pool] : pools_) {
        pool.open -= pool.idle.size();
        pool.idle.clear();
    }
}

asio::awaitable<result<pooled_transport::acquired_connection>> pooled_transport::acquire(
    origin_pool& pool, const origin& o, net::clock::time_point deadline) {
    for (;;) {
        while (!pool.idle.empty()) {
            auto conn = std::move(pool.idle.back());
            pool.idle.pop_back();
            const auto idle = net::clock::now() - conn->idle_since;
            // Peeking costs a syscall per request; a server closes a keep-alive connection
            // after seconds of idleness, not milliseconds, so only check ones that rested.
            // The replay below covers the rare race for idempotent requests.
            const bool stale =
                idle > opts_.idle_timeout || (idle > peek_after_idle && conn->stream.peer_closed());
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
        co_return error(make_error_code(errc::cancelled), "waiting for a connection: cancelled");
    }
}

asio::awaitable<result<void>> pooled_transport::connect(connection& c, const origin& o,
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

asio::awaitable<result<response>> pooled_transport::exchange(connection& c, request& req,
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

asio::awaitable<result<void>> pooled_transport::exchange_head(connection& c, request& req) {
    if (auto w = co_await write_request(c.stream, req, c.scratch); !w) co_return w;
    for (;;) {
        c.parser.reset();
        if (auto r = co_await read_message(c.stream, c.parser, c.buffer); !r) co_return r;
        const int status = c.parser.get().status;
        if (status >= 100 && status < 200 && status != 101) continue;
        co_return result<void>{};
    }
}

void pooled_transport::release(origin_pool& pool, std::unique_ptr<connection> conn) {
    conn->idle_since = net::clock::now();
    pool.idle.push_back(std::move(conn));
    notify_one(pool);
}

void pooled_transport::discard(origin_pool& pool) {
    --pool.open;
    notify_one(pool);
}

void pooled_transport::notify_one(origin_pool& pool) {
    if (pool.waiters.empty()) return;
    waiter* w = pool.waiters.front();
    pool.waiters.pop_front();
    w->notified = true;
    w->timer->cancel();
}

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_IMPL_POOLED_TRANSPORT_IPP
