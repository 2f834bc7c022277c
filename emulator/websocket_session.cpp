// SPDX-License-Identifier: Apache-2.0
#include "websocket_session.hpp"

#include <daytona/detail/string.hpp>
#include <daytona/net/crypto.hpp>

namespace daytona::emulator {

namespace ws = http::websocket;

asio::awaitable<std::shared_ptr<ws_session>> ws_session::accept(exchange& ex,
                                                                std::string subprotocol) {
    const auto& h = ex.request().headers;
    const bool upgrade = detail::iequals(h.get("upgrade"), "websocket") &&
                         detail::list_contains_token(h.get("connection"), "upgrade");
    const auto key = h.get("sec-websocket-key");
    if (!upgrade || key.empty() || h.get("sec-websocket-version") != "13") {
        ex.close_after();
        (void)co_await ex.respond(upgrade_required());
        co_return nullptr;
    }
    http::fields head{{"Upgrade", "websocket"},
                      {"Connection", "Upgrade"},
                      {"Sec-WebSocket-Accept", net::websocket_accept(key)}};
    if (subprotocol.empty()) {
        auto offered = offered_protocols(h);
        if (!offered.empty()) subprotocol = std::move(offered.front());
    }
    if (!subprotocol.empty()) head.add("Sec-WebSocket-Protocol", subprotocol);
    std::string out;
    http::serialize_response_head(101, head, {0}, out);
    ex.take_over();
    if (auto w = co_await ex.write_raw(out); !w) co_return nullptr;
    ex.stream().expires_never();
    co_return std::make_shared<ws_session>(ex);
}

reply ws_session::upgrade_required() {
    reply r;
    r.status = 426;
    r.headers.add("Sec-WebSocket-Version", "13");
    r.headers.add("Content-Type", "text/plain");
    r.body = "this endpoint needs a WebSocket upgrade (version 13)\n";
    return r;
}

std::vector<std::string> ws_session::offered_protocols(const http::fields& headers) {
    std::vector<std::string> out;
    for (const auto& f : headers) {
        if (!detail::iequals(f.name, "sec-websocket-protocol")) continue;
        std::string_view rest = f.value;
        while (!rest.empty()) {
            auto comma = rest.find(',');
            auto token = detail::trim(rest.substr(0, comma));
            if (!token.empty()) out.emplace_back(token);
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    return out;
}

ws_session::ws_session(exchange& ex) : ex_(ex), strand_(ex.stream().get_executor()) {
    // Frames the client sent right behind its upgrade request are already buffered.
    decoder_.feed(ex.buffer().data());
    ex.buffer().clear();
}

void ws_session::enqueue(ws::opcode op, std::string payload) {
    backlog_.fetch_add(1, std::memory_order_relaxed);
    asio::post(strand_, [self = shared_from_this(), op, payload = std::move(payload)]() mutable {
        if (self->close_queued_ || self->failed_) {
            self->backlog_.fetch_sub(1, std::memory_order_relaxed);
            return;
        }
        std::string frame;
        ws::append_frame(frame, op, payload);
        self->queue_.push_back(std::move(frame));
        if (op == ws::opcode::close) self->close_queued_ = true;
        if (!self->writing_) {
            self->writing_ = true;
            asio::co_spawn(self->strand_, self->write_loop(), asio::detached);
        }
    });
}

void ws_session::close(std::uint16_t code, std::string reason) {
    enqueue(ws::opcode::close, ws::close_payload(code, reason));
}

asio::awaitable<void> ws_session::write_loop() {
    auto self = shared_from_this();
    while (!queue_.empty() && !failed_) {
        std::string frame = std::move(queue_.front());
        queue_.pop_front();
        const bool is_close = (static_cast<std::uint8_t>(frame[0]) & 0x0F) == 0x8;
        if (auto w = co_await ex_.stream().write(asio::buffer(frame)); !w) failed_ = true;
        if (is_close) close_sent_ = true;
        backlog_.fetch_sub(1, std::memory_order_relaxed);
    }
    // Frames left behind by a failed write are never sent.
    backlog_.fetch_sub(queue_.size(), std::memory_order_relaxed);
    queue_.clear();
    writing_ = false;
}

asio::awaitable<std::optional<ws::message>> ws_session::receive() {
    for (;;) {
        auto m = decoder_.next();
        if (!m) {
            failed_ = true;
            co_return std::nullopt;
        }
        if (*m) {
            auto msg = std::move(**m);
            switch (msg.op) {
                case ws::opcode::ping:
                    enqueue(ws::opcode::pong, std::move(msg.payload));
                    continue;
                case ws::opcode::pong:
                    continue;
                case ws::opcode::close:
                    peer_closed_ = true;
                    if (!close_queued_)
                        close(msg.close_code() == ws::no_status ? std::uint16_t{ws::normal}
                                                                : msg.close_code());
                    co_return std::nullopt;
                default:
                    co_return msg;
            }
        }
        if (peer_closed_ || failed_) co_return std::nullopt;
        char buf[16384];
        auto n = co_await ex_.stream().read_some(asio::buffer(buf));
        if (!n || *n == 0) {
            // A cancelled read (the handler stopped listening, e.g. its other branch of an
            // `||` finished) leaves the connection usable: what is queued must still go out.
            auto cs = co_await asio::this_coro::cancellation_state;
            if (cs.cancelled() == asio::cancellation_type::none) failed_ = true;
            co_return std::nullopt;
        }
        decoder_.feed(std::string_view(buf, *n));
    }
}

asio::awaitable<void> ws_session::done() {
    if (!close_queued_) close(ws::normal);
    asio::steady_timer t(strand_);
    // Let the queue (close frame last) drain.
    for (int i = 0; i < 400 && (writing_ || !close_sent_) && !failed_; ++i) {
        t.expires_after(std::chrono::milliseconds(5));
        std::error_code ec;
        co_await t.async_wait(net::redirect(ec));
    }
    // Give the peer a moment to answer our close, then let the connection go.
    if (!peer_closed_ && !failed_) {
        ex_.stream().expires_after(std::chrono::seconds(1));
        for (;;) {  // not `while (co_await ...)`: GCC 12 miscompiles it
            auto m = co_await receive();
            if (!m) break;
        }
    }
}

asio::awaitable<void> drain_client(std::shared_ptr<ws_session> ws) {
    // Not `while (co_await ...) {}`: GCC 12 miscompiles a co_await in a loop condition (SIGILL).
    for (;;) {
        auto m = co_await ws->receive();
        if (!m) break;
    }
    co_return;
}

}  // namespace daytona::emulator
