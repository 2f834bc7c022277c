// SPDX-License-Identifier: Apache-2.0
// A WebSocket client (RFC 6455) over the library's TCP and TLS streams. The upgrade request goes
// through the transport stack, so credentials, retries of connect failures and traces apply to
// it as to any request; then the connection leaves the pool and belongs to the client.
#ifndef DAYTONA_HTTP_WEBSOCKET_CLIENT_HPP
#define DAYTONA_HTTP_WEBSOCKET_CLIENT_HPP

#include "daytona/config.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/error.hpp"
#include "daytona/http/request.hpp"
#include "daytona/http/serializer.hpp"
#include "daytona/http/transport.hpp"
#include "daytona/http/url.hpp"
#include "daytona/http/websocket.hpp"
#include "daytona/net/crypto.hpp"
#include "daytona/net/stream.hpp"
#include "daytona/result.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace http::websocket {

/// How to open a WebSocket.
struct connect_options {
    /// Subprotocols to offer, in order of preference; the server must pick one of them (or,
    /// when this is empty, none).
    std::vector<std::string> subprotocols{};
    /// Extra header fields of the upgrade request.
    http::fields headers{};
    /// Largest message accepted, after reassembling fragments (errc::body_too_large beyond).
    /// Default 16 MiB. Reading is pulled by read(), so a slow reader holds at most this plus
    /// one socket read in memory; the rest waits in the kernel and TCP slows the sender.
    std::size_t max_message = 16 * 1024 * 1024;
    /// Deadline of the upgrade (connect, TLS, request, 101). Default: the client's request
    /// timeout.
    request_options request{};
};

/**
 * \brief An open WebSocket: read messages, write messages, close.
 * \details Pings are answered while reading; control frames may arrive between fragments.
 * Frames this client sends are masked with fresh random keys. One read() and one write() may be
 * outstanding at the same time (from different coroutines); several writes queue up and go out
 * in order, each as whole frames.
 * \par Cancellation
 * Cancelling a pending read() or write() through asio's per-operation cancellation fails it with
 * errc::cancelled. A cancelled read leaves the connection usable; a cancelled write may have sent
 * part of a frame, so the connection is closed.
 * \par Copying
 * Move-only in spirit: copies share the one connection.
 * \par Thread safety
 * One thread or strand, as the client.
 */
class connection {
public:
    /// The subprotocol the server chose ("" when none was offered).
    const std::string& subprotocol() const noexcept { return state_->subprotocol; }
    /// True until a close frame went both ways or the connection failed.
    bool is_open() const noexcept { return !state_->broken && !state_->close_received; }

    /**
     * \brief The next data message (text or binary), or the server's close message.
     * \details After the close message (op == opcode::close, with close_code() and
     * close_reason()), the close handshake is complete and further reads fail.
     * \par Errors
     * errc::protocol_error for a frame that breaks RFC 6455 (the connection is then closed
     * with 1002), errc::body_too_large for a message over max_message (closed with 1009),
     * errc::connection_closed when the server went away without a close frame, errc::cancelled.
     */
    [[nodiscard]] asio::awaitable<result<message>> read() { return read_impl(state_); }

    /// Sends one text message.
    [[nodiscard]] asio::awaitable<result<void>> write_text(std::string_view payload) {
        return write_frame(state_, frame(opcode::text, payload));
    }
    /// Sends one binary message.
    [[nodiscard]] asio::awaitable<result<void>> write_binary(std::string_view payload) {
        return write_frame(state_, frame(opcode::binary, payload));
    }
    /// Sends a ping (the server answers with a pong, which read() consumes).
    [[nodiscard]] asio::awaitable<result<void>> ping(std::string_view payload = {}) {
        return write_frame(state_, frame(opcode::ping, payload.substr(0, 125)));
    }
    /**
     * \brief Starts the close handshake: sends a close frame with `code` and `reason` (at most
     * 123 bytes). Keep calling read() to receive the server's close; or drop the connection.
     */
    [[nodiscard]] asio::awaitable<result<void>> close(std::uint16_t code = close_code::normal,
                                                      std::string_view reason = {}) {
        state_->close_sent = true;
        return write_frame(state_, frame(opcode::close, close_payload(code, reason)));
    }
    /// Drops the connection at once, without a close handshake.
    void abort() noexcept {
        state_->broken = true;
        if (state_->stream) state_->stream->abort();
    }

    /// Turns a refused upgrade (any status but 101) into an error; the API layer passes one
    /// that reads Daytona's error bodies.
    using refusal_mapper = daytona::error (*)(response& answer, std::string_view operation);

    /**
     * \brief Opens a WebSocket to `target` (ws://, wss://, or the http(s) URL of the same
     * place).
     * \param t the transport that sends the upgrade request and hands over the connection.
     * \param target where to connect.
     * \param o subprotocols, extra header fields, the message size limit and the deadline.
     * \param operation the library operation, for errors and traces.
     * \param on_refusal turns an answer other than 101 into the error; null: its HTTP status and
     * body.
     * \par Errors
     * The transport's errors; the server's answer when it is not 101 (`on_refusal`: by default
     * its HTTP status and body); errc::protocol_error when the 101 is not a valid WebSocket
     * handshake (wrong Sec-WebSocket-Accept, a subprotocol that was not offered).
     */
    static DAYTONA_DECL asio::awaitable<result<connection>> connect(
        std::shared_ptr<transport> t, url target, connect_options o, std::string_view operation,
        refusal_mapper on_refusal = nullptr);

private:
    struct write_waiter {
        asio::steady_timer* timer;
        bool turn = false;
    };
    struct state {
        std::unique_ptr<net::stream> stream;
        decoder dec;
        std::string subprotocol;
        bool close_sent = false;
        bool close_received = false;
        bool broken = false;
        // Writes in flight: one at a time, the others wait on their timers in order.
        bool writing = false;
        std::deque<write_waiter*> write_waiters;
        std::string read_buffer = std::string(64 * 1024, '\0');

        state(std::unique_ptr<net::stream> s, std::size_t max_message)
            : stream(std::move(s)), dec(role::client, max_message) {}
    };

    explicit connection(std::shared_ptr<state> s) : state_(std::move(s)) {}

    static DAYTONA_DECL std::string frame(opcode op, std::string_view payload);

    static DAYTONA_DECL daytona::error broken_error();

    static DAYTONA_DECL asio::awaitable<result<void>> write_frame(std::shared_ptr<state> s,
                                                                  std::string bytes);

    static DAYTONA_DECL asio::awaitable<result<message>> read_impl(std::shared_ptr<state> s);

    std::shared_ptr<state> state_;
};

namespace detail {
/// The subprotocol list as offered: "a, b".
DAYTONA_DECL std::string join_protocols(const std::vector<std::string>& protocols);
}  // namespace detail

}  // namespace http::websocket
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/websocket_client.ipp"
#endif

#endif  // DAYTONA_HTTP_WEBSOCKET_CLIENT_HPP
