// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of pty.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_PTY_IPP
#define DAYTONA_IMPL_PTY_IPP

#include "daytona/api/toolbox/pty.hpp"
#include "daytona/codec/pty.hpp"
#include "daytona/net/crypto.hpp"
#include "daytona/polling.hpp"
#include "daytona/pty.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

error pty_handle::fail(std::error_code code, std::string message, std::string_view operation) {
    return error(code,
                 error_info{.message = std::move(message), .operation = std::string(operation)});
}

result<void> pty_handle::on_close(shared& s, const http::websocket::message& m,
                                  std::string_view operation) {
    s.ended = true;
    const auto code = m.close_code();
    const auto reason = pty_protocol::parse_close_reason(m.close_reason());
    if (reason && reason->error) {
        const bool missing = reason->error->find("not found") != std::string::npos;
        return fail(make_error_code(missing ? errc::not_found : errc::protocol_error),
                    *reason->error, operation);
    }
    if (code == http::websocket::policy_violation)
        return fail(make_error_code(errc::connection_closed),
                    "the daemon dropped this client: " + std::string(m.close_reason()), operation);
    if (s.exit) return {};
    if (reason && reason->exit_code) {
        s.exit = pty_exit{*reason->exit_code, reason->exit_reason.value_or("")};
        return {};
    }
    if (code == http::websocket::normal || code == http::websocket::no_status) {
        s.exit = pty_exit{};  // a clean close without a readable reason: exit 0
        return {};
    }
    return fail(
        make_error_code(errc::protocol_error),
        "the terminal closed with " + std::to_string(code) + ": " + std::string(m.close_reason()),
        operation);
}

asio::awaitable<result<std::string>> pty_handle::next(handle_ptr s, std::string_view operation,
                                                      bool* connected) {
    for (;;) {
        if (s->ended) co_return std::string();
        auto m = co_await s->ws.read();
        if (!m) {
            // The connection broke after the shell's exit was announced: that is the end.
            if (s->exit && m.error() == errc::connection_closed) {
                s->ended = true;
                co_return std::string();
            }
            co_return std::move(m).error().with_operation(operation);
        }
        switch (m->op) {
            case http::websocket::opcode::close: {
                auto c = on_close(*s, *m, operation);
                if (!c) co_return std::move(c).error();
                co_return std::string();
            }
            case http::websocket::opcode::text:
                if (auto control = pty_protocol::parse_control(m->payload)) {
                    if (control->status == "connected") {
                        if (connected) {
                            *connected = true;
                            co_return std::string();
                        }
                    } else if (control->status == "exited") {
                        s->exit = pty_exit{control->exit_code.value_or(0),
                                           control->exit_reason.value_or("")};
                    } else if (control->status == "error") {
                        co_return fail(make_error_code(errc::protocol_error),
                                       "the terminal failed: " + control->error.value_or(""),
                                       operation);
                    }
                    continue;
                }
                [[fallthrough]];
            default:
                if (m->payload.empty()) continue;
                co_return std::move(m->payload);
        }
    }
}

asio::awaitable<result<std::string>> pty_handle::read_impl(handle_ptr s) {
    if (!s->early.empty()) co_return std::exchange(s->early, std::string());
    co_return co_await next(std::move(s), "pty_read", nullptr);
}

asio::awaitable<result<void>> pty_handle::handshake(handle_ptr s) {
    for (;;) {
        bool connected = false;
        auto r = co_await next(s, "connect_pty", &connected);
        if (!r) co_return std::move(r).error();
        if (connected || s->ended) co_return result<void>{};
        s->early += *r;
        if (s->early.size() > max_early_output)
            co_return fail(make_error_code(errc::protocol_error),
                           "more than 1 MiB of output before the connected message", "connect_pty");
    }
}

asio::awaitable<result<pty_handle>> pty_handle::finish_connect(handle_ptr s,
                                                               std::chrono::milliseconds timeout) {
    auto shake = handshake(s);
    auto limit = detail::pause(timeout, "connect_pty");
    auto raced = detail::first_of(std::move(shake), std::move(limit));
    auto outcome = co_await std::move(raced);
    if (outcome.index() == 0) {
        auto r = std::move(std::get<0>(outcome));
        if (!r) {
            s->ws.abort();
            co_return std::move(r).error();
        }
        co_return pty_handle(std::move(s));
    }
    s->ws.abort();
    auto p = std::move(std::get<1>(outcome));
    if (!p) co_return std::move(p).error();
    co_return detail::wait_timed_out("connect_pty", "no connected message from the terminal",
                                     timeout);
}

asio::awaitable<result<void>> pty_handle::write_impl(handle_ptr s, std::string data) {
    if (s->ended)
        co_return fail(make_error_code(errc::connection_closed), "the terminal has ended",
                       "pty_write");
    auto w = co_await s->ws.write_binary(data);
    if (!w) co_return std::move(w).error().with_operation("pty_write");
    co_return w;
}

asio::awaitable<result<pty_session_info>> pty_handle::resize_request(state_ptr c, data_ptr d,
                                                                     std::string id, int cols,
                                                                     int rows) {
    if (cols < 1 || rows < 1 || cols > 1000 || rows > 1000)
        co_return fail(make_error_code(errc::invalid_argument),
                       "cols and rows must be between 1 and 1000", "resize_pty_session");
    auto ch = co_await detail::toolbox_channel(c, d, {});
    if (!ch) co_return std::move(ch).error();
    const pty_resize_request body{.cols = cols, .rows = rows};
    co_return co_await api::resize_pty_session(*ch, id, body);
}

asio::awaitable<result<void>> pty_handle::kill_impl(handle_ptr s) {
    auto ch = co_await detail::toolbox_channel(s->client, s->sandbox, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::delete_pty_session(*ch, s->id);
}

asio::awaitable<result<pty_exit>> pty_handle::wait_impl(
    handle_ptr s, std::function<void(std::string_view)> on_output) {
    for (;;) {
        auto r = co_await read_impl(s);
        if (!r) co_return std::move(r).error();
        if (r->empty()) break;
        if (on_output) on_output(*r);
    }
    co_return s->exit.value_or(pty_exit{});
}

asio::awaitable<result<void>> pty_handle::disconnect_impl(handle_ptr s) {
    if (s->ended) co_return result<void>{};
    s->ended = true;
    auto c = co_await s->ws.close();
    if (!c) {
        s->ws.abort();
        co_return result<void>{};
    }
    // Read until the daemon's close answers ours (output still in flight is dropped).
    for (int i = 0; i < 1024; ++i) {
        auto m = co_await s->ws.read();
        if (!m || m->op == http::websocket::opcode::close) break;
    }
    co_return result<void>{};
}

error pty::invalid(std::string message) {
    return error(make_error_code(errc::invalid_argument),
                 error_info{.message = std::move(message), .operation = "create_connect_pty"});
}

asio::awaitable<result<pty_handle>> pty::create_impl(state_ptr c, data_ptr s, pty_options o) {
    if (o.cols < 1 || o.rows < 1 || o.cols > 1000 || o.rows > 1000)
        co_return invalid("cols and rows must be between 1 and 1000");
    if (o.connect_timeout.count() <= 0) co_return invalid("connect_timeout must be positive");
    if (o.id.empty()) {
        std::string hex;
        for (unsigned char b : net::random_bytes(8)) {
            hex += "0123456789abcdef"[b >> 4];
            hex += "0123456789abcdef"[b & 15];
        }
        o.id = "pty-" + hex;
    }
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    http::websocket::connect_options wo;
    wo.subprotocols = pty_protocol::offers(o.env);
    std::string query = api::create_connect_pty_query(o.id, o.cols, o.rows, o.cwd);
    auto ws = co_await api::create_connect_pty(*ch, std::move(query), std::move(wo));
    if (!ws) co_return std::move(ws).error();
    auto shared = std::make_shared<pty_handle::shared>(
        pty_handle::shared{c, s, std::move(o.id), std::move(*ws), {}, {}, false});
    co_return co_await pty_handle::finish_connect(std::move(shared), o.connect_timeout);
}

asio::awaitable<result<pty_handle>> pty::connect_impl(state_ptr c, data_ptr s, std::string id,
                                                      std::chrono::milliseconds timeout) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    http::websocket::connect_options wo;
    wo.subprotocols.emplace_back(pty_protocol::exit_control);
    auto ws = co_await api::connect_pty_session(*ch, id, std::move(wo));
    if (!ws) co_return std::move(ws).error();
    auto shared = std::make_shared<pty_handle::shared>(
        pty_handle::shared{c, s, std::move(id), std::move(*ws), {}, {}, false});
    co_return co_await pty_handle::finish_connect(std::move(shared), timeout);
}

asio::awaitable<result<std::vector<pty_session_info>>> pty::list_impl(state_ptr c, data_ptr s) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    auto r = co_await api::list_pty_sessions(*ch);
    if (!r) co_return std::move(r).error();
    co_return std::move(r->sessions);
}

asio::awaitable<result<pty_session_info>> pty::get_impl(state_ptr c, data_ptr s, std::string id) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::get_pty_session(*ch, id);
}

asio::awaitable<result<void>> pty::kill_impl(state_ptr c, data_ptr s, std::string id) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::delete_pty_session(*ch, id);
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_PTY_IPP
