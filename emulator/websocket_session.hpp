// SPDX-License-Identifier: Apache-2.0
// A server-side WebSocket on a connection taken over from an HTTP exchange.
#ifndef DAYTONA_EMULATOR_WEBSOCKET_SESSION_HPP
#define DAYTONA_EMULATOR_WEBSOCKET_SESSION_HPP

#include "http_server.hpp"

#include <daytona/http/websocket.hpp>

#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace daytona::emulator {

/**
 * \brief One accepted WebSocket.
 * \details Reading happens in the handler's coroutine (receive()); sending may come from any
 * thread or strand (send_* post into this connection's strand, where one writer drains a queue).
 * The handler must keep the exchange alive (stay inside handle()) until done() completes.
 */
class ws_session : public std::enable_shared_from_this<ws_session> {
public:
    /// Checks the upgrade request and answers 101; on a bad request answers 400/426 and
    /// returns null. `subprotocol` is the one chosen; when empty, the first one the client
    /// offered is echoed, as the daemon does (a client that offered any rejects an answer
    /// without one).
    static asio::awaitable<std::shared_ptr<ws_session>> accept(exchange& ex,
                                                               std::string subprotocol);
    /// 426 Upgrade Required: the answer to a plain request for a WebSocket endpoint.
    static reply upgrade_required();
    /// The subprotocols a client offered, in order (the header may repeat or hold a list).
    static std::vector<std::string> offered_protocols(const http::fields& headers);

    ws_session(exchange& ex);

    void send_text(std::string text) { enqueue(http::websocket::opcode::text, std::move(text)); }
    void send_binary(std::string data) {
        enqueue(http::websocket::opcode::binary, std::move(data));
    }
    /// Sends a close frame (once); nothing is sent after it.
    void close(std::uint16_t code, std::string reason = {});

    /// The next data message; nullopt once the peer closed or the connection failed. Pings are
    /// answered and a peer's close is echoed here.
    asio::awaitable<std::optional<http::websocket::message>> receive();

    /// Waits until our close frame (and everything queued before it) has been written, or the
    /// connection failed, then gives the peer a moment to answer it.
    asio::awaitable<void> done();

    bool closing() const noexcept { return close_sent_; }

    /// Messages queued but not yet written. Safe from any thread: a producer on another
    /// strand uses it to drop a client that does not keep up.
    std::size_t backlog() const noexcept { return backlog_.load(std::memory_order_relaxed); }

private:
    void enqueue(http::websocket::opcode op, std::string payload);
    asio::awaitable<void> write_loop();

    exchange& ex_;
    asio::any_io_executor strand_;
    http::websocket::decoder decoder_{http::websocket::role::server};
    std::deque<std::string> queue_;
    bool writing_ = false;
    bool close_queued_ = false;
    bool close_sent_ = false;
    bool failed_ = false;
    bool peer_closed_ = false;
    std::atomic<std::size_t> backlog_{0};
};

/// Reads (answering pings) until the client closes the WebSocket or the connection ends; for
/// routes that only send.
asio::awaitable<void> drain_client(std::shared_ptr<ws_session> ws);

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_WEBSOCKET_SESSION_HPP
