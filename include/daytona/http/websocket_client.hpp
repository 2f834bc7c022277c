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
    static asio::awaitable<result<connection>> connect(std::shared_ptr<transport> t, url target,
                                                       connect_options o,
                                                       std::string_view operation,
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

    static std::string frame(opcode op, std::string_view payload) {
        const auto key_bytes = net::random_bytes(4);
        std::array<std::uint8_t, 4> key{};
        for (std::size_t i = 0; i < 4; ++i)
            key[i] = static_cast<std::uint8_t>(key_bytes[i]);
        std::string out;
        out.reserve(payload.size() + 14);
        append_frame(out, op, payload, true, key);
        return out;
    }

    static daytona::error broken_error() {
        return daytona::error(make_error_code(errc::connection_closed), "the WebSocket is closed");
    }

    static asio::awaitable<result<void>> write_frame(std::shared_ptr<state> s, std::string bytes) {
        if (s->broken) co_return broken_error();
        if (s->writing) {
            // Wait for our turn; the writer before us hands it over directly.
            asio::steady_timer timer(s->stream->get_executor(), net::clock::time_point::max());
            write_waiter w{&timer};
            s->write_waiters.push_back(&w);
            std::error_code ec;
            co_await timer.async_wait(net::redirect(ec));
            if (!w.turn) {
                std::erase(s->write_waiters, &w);
                co_return daytona::error(make_error_code(errc::cancelled),
                                         "WebSocket write cancelled before it was sent");
            }
        }
        s->writing = true;
        result<void> w = broken_error();
        if (!s->broken) w = co_await s->stream->write(asio::buffer(bytes));
        if (!w) {
            s->broken = true;
            s->stream->close();
        }
        if (s->write_waiters.empty()) {
            s->writing = false;
        } else {
            write_waiter* next = s->write_waiters.front();
            s->write_waiters.pop_front();
            next->turn = true;
            next->timer->cancel();
        }
        co_return w;
    }

    static asio::awaitable<result<message>> read_impl(std::shared_ptr<state> s) {
        for (;;) {
            auto next = s->dec.next();
            if (!next) {
                // Say why before going: 1009 for a message too big, 1002 for the rest.
                const std::uint16_t code = next.error() == errc::body_too_large
                                               ? std::uint16_t{close_code::too_big}
                                               : std::uint16_t{protocol_error_code};
                if (!s->close_sent && !s->broken) {
                    s->close_sent = true;
                    (void)co_await write_frame(s, frame(opcode::close, close_payload(code, "")));
                }
                s->broken = true;
                s->stream->close();
                co_return std::move(next).error();
            }
            if (*next) {
                message m = std::move(**next);
                switch (m.op) {
                    case opcode::ping: {
                        auto pong = co_await write_frame(s, frame(opcode::pong, m.payload));
                        if (!pong) co_return std::move(pong).error();
                        continue;
                    }
                    case opcode::pong:
                        continue;
                    case opcode::close:
                        s->close_received = true;
                        if (!s->close_sent) {
                            // Echo the code, as RFC 6455 asks, then the server closes TCP.
                            s->close_sent = true;
                            std::uint16_t code = m.close_code();
                            if (code == no_status) code = close_code::normal;
                            (void)co_await write_frame(
                                s, frame(opcode::close, close_payload(code, "")));
                        }
                        s->stream->close();
                        co_return m;
                    default:
                        co_return m;
                }
            }
            if (s->broken || s->close_received) co_return broken_error();
            auto n = co_await s->stream->read_some(asio::buffer(s->read_buffer));
            if (!n) {
                if (n.error() != errc::cancelled) {
                    s->broken = true;
                    s->stream->close();
                }
                co_return std::move(n).error();
            }
            if (*n == 0) {
                s->broken = true;
                s->stream->close();
                co_return daytona::error(make_error_code(errc::connection_closed),
                                         "the server closed the WebSocket without a close frame");
            }
            s->dec.feed(std::string_view(s->read_buffer.data(), *n));
        }
    }

    std::shared_ptr<state> state_;
};

namespace detail {
/// The subprotocol list as offered: "a, b".
inline std::string join_protocols(const std::vector<std::string>& protocols) {
    std::string out;
    for (const auto& p : protocols) {
        if (!out.empty()) out += ", ";
        out += p;
    }
    return out;
}
}  // namespace detail

inline asio::awaitable<result<connection>> connection::connect(std::shared_ptr<transport> t,
                                                               url target, connect_options o,
                                                               std::string_view operation,
                                                               refusal_mapper on_refusal) {
    auto fail = [&](std::string why) {
        return daytona::error(make_error_code(errc::protocol_error),
                              error_info{.message = "WebSocket handshake: " + std::move(why),
                                         .operation = std::string(operation)});
    };
    for (const auto& p : o.subprotocols)
        if (p.empty() || !is_valid_field_value(p) || p.find(',') != std::string::npos)
            co_return daytona::error(
                make_error_code(errc::invalid_argument),
                error_info{.message = "a subprotocol must be a non-empty token without commas",
                           .operation = std::string(operation)});
    request req;
    req.method = verb::get;
    req.origin = target.origin;
    req.target = target.target();
    for (const auto f : o.headers)
        req.headers.add(f.name, f.value);
    const std::string key = net::base64_encode(net::random_bytes(16));
    req.headers.set("Connection", "Upgrade");
    req.headers.set("Upgrade", "websocket");
    req.headers.set("Sec-WebSocket-Version", "13");
    req.headers.set("Sec-WebSocket-Key", key);
    if (!o.subprotocols.empty())
        req.headers.set("Sec-WebSocket-Protocol", detail::join_protocols(o.subprotocols));
    const send_options so{.request = o.request, .operation = operation};
    auto up = co_await t->upgrade(req, so);
    if (!up) co_return std::move(up).error().with_operation(operation);
    if (up->head.status != 101 || !up->stream) {
        if (on_refusal) co_return on_refusal(up->head, operation);
        error_info info;
        info.http_status = up->head.status;
        info.operation = std::string(operation);
        info.message = up->head.body.empty() ? std::string(http_reason_phrase(up->head.status))
                                             : daytona::detail::printable_excerpt(up->head.body);
        info.body_excerpt = daytona::detail::printable_excerpt(up->head.body, 512);
        co_return daytona::error(make_http_error_code(up->head.status), std::move(info));
    }
    const auto& h = up->head.headers;
    if (!daytona::detail::list_contains_token(h.get("upgrade"), "websocket"))
        co_return fail("the server did not switch to websocket");
    if (h.get("sec-websocket-accept") != net::websocket_accept(key))
        co_return fail("Sec-WebSocket-Accept does not match the key");
    std::string chosen(daytona::detail::trim(h.get("sec-websocket-protocol")));
    if (!chosen.empty() &&
        std::find(o.subprotocols.begin(), o.subprotocols.end(), chosen) == o.subprotocols.end())
        co_return fail("the server chose a subprotocol that was not offered");
    if (chosen.empty() && !o.subprotocols.empty())
        co_return fail("the server chose none of the offered subprotocols");
    auto s = std::make_shared<state>(std::move(up->stream), o.max_message);
    s->subprotocol = std::move(chosen);
    s->dec.feed(up->leftover);
    co_return connection(std::move(s));
}

}  // namespace http::websocket
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_WEBSOCKET_CLIENT_HPP
