// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/websocket_client.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_WEBSOCKET_CLIENT_IPP
#define DAYTONA_HTTP_IMPL_WEBSOCKET_CLIENT_IPP

#include "daytona/http/websocket_client.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace http::websocket {

std::string connection::frame(opcode op, std::string_view payload) {
    const auto key_bytes = net::random_bytes(4);
    std::array<std::uint8_t, 4> key{};
    for (std::size_t i = 0; i < 4; ++i)
        key[i] = static_cast<std::uint8_t>(key_bytes[i]);
    std::string out;
    out.reserve(payload.size() + 14);
    append_frame(out, op, payload, true, key);
    return out;
}

daytona::error connection::broken_error() {
    return daytona::error(make_error_code(errc::connection_closed), "the WebSocket is closed");
}

asio::awaitable<result<void>> connection::write_frame(std::shared_ptr<state> s, std::string bytes) {
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

asio::awaitable<result<message>> connection::read_impl(std::shared_ptr<state> s) {
    for (;;) {
        auto next = s->dec.next();
        if (!next) {
            // Say why before going: 1009 for a message too big, 1007 for text that is not
            // UTF-8, 1002 for the rest.
            const std::uint16_t code = s->dec.failure_close_code();
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
                        (void)co_await write_frame(s,
                                                   frame(opcode::close, close_payload(code, "")));
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

namespace detail {
std::string join_protocols(const std::vector<std::string>& protocols) {
    std::string out;
    for (const auto& p : protocols) {
        if (!out.empty()) out += ", ";
        out += p;
    }
    return out;
}
}  // namespace detail

asio::awaitable<result<connection>> connection::connect(std::shared_ptr<transport> t, url target,
                                                        connect_options o,
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

#endif  // DAYTONA_HTTP_IMPL_WEBSOCKET_CLIENT_IPP
