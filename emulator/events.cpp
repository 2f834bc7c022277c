// SPDX-License-Identifier: Apache-2.0
// The event channel: the hub that turns record changes into events, and the /api/socket.io/
// route (Engine.IO 4 over a WebSocket only, the default namespace, auth by {token}).
#include "events.hpp"

#include "areas.hpp"
#include "websocket_session.hpp"

#include <daytona/api/socket_io.hpp>
#include <daytona/codec/sandbox.hpp>
#include <daytona/codec/snapshot.hpp>
#include <daytona/codec/volume.hpp>

#include <asio/experimental/awaitable_operators.hpp>

namespace daytona::emulator {

namespace sio = api::socket_io;

void event_hub::join(const std::shared_ptr<ws_session>& ws, std::string origin) {
    std::lock_guard lock(mu_);
    clients_.push_back(client{ws, std::move(origin)});
}

void event_hub::leave(const ws_session* ws) {
    std::lock_guard lock(mu_);
    std::erase_if(clients_, [&](const client& c) {
        auto p = c.ws.lock();
        return !p || p.get() == ws;
    });
}

std::size_t event_hub::clients() const {
    std::lock_guard lock(mu_);
    return clients_.size();
}

void event_hub::publish(std::string_view name,
                        const std::function<std::string(const std::string&)>& payload) {
    std::lock_guard lock(mu_);
    if (clients_.empty()) return;
    std::string last_origin, text;
    for (auto it = clients_.begin(); it != clients_.end();) {
        auto ws = it->ws.lock();
        if (!ws || ws->closing()) {
            it = clients_.erase(it);
            continue;
        }
        if (ws->backlog() > max_backlog) {  // it does not keep up: drop it, it will reconnect
            ws->close(1008, "event backlog over the limit");
            it = clients_.erase(it);
            continue;
        }
        if (text.empty() || it->origin != last_origin) {
            last_origin = it->origin;
            text = sio::event_text(name, payload(last_origin));
        }
        ws->send_text(text);
        ++it;
    }
}

namespace events_impl {

template <class T>
std::string dto_json(const T& dto) {
    std::string out;
    json::writer w(out);
    encode(w, dto);
    return out;
}

/// `{"<key>": dto, "oldState": …, "newState": …}`
std::string state_change(std::string_view key, const std::string& dto, std::string_view old_state,
                         std::string_view new_state) {
    std::string out;
    json::writer w(out);
    w.begin_object().key(key).raw(dto);
    w.member("oldState", old_state).member("newState", new_state).end_object();
    return out;
}

}  // namespace events_impl

void event_hub::sandbox_changed(const sandbox_info* before, const sandbox_info* after) {
    using events_impl::dto_json;
    if (before == nullptr && after != nullptr) {
        publish("sandbox.created",
                [&](const std::string& origin) { return dto_json(for_origin(*after, origin)); });
        return;
    }
    if (before == nullptr) return;
    // A removed record went to `destroyed` (if it was not there already).
    sandbox_info gone;
    if (after == nullptr) {
        if (before->state == sandbox_state::destroyed) return;
        gone = *before;
        gone.state = sandbox_state::destroyed;
        gone.state_name = "destroyed";
        gone.desired_state = "destroyed";
        after = &gone;
    }
    if (before->state_name != after->state_name) {
        publish("sandbox.state.updated", [&](const std::string& origin) {
            return events_impl::state_change("sandbox", dto_json(for_origin(*after, origin)),
                                             before->state_name, after->state_name);
        });
    }
    if (before->desired_state != after->desired_state) {
        publish("sandbox.desired-state.updated", [&](const std::string& origin) {
            std::string out;
            json::writer w(out);
            w.begin_object().key("sandbox").raw(dto_json(for_origin(*after, origin)));
            w.member("oldDesiredState", before->desired_state)
                .member("newDesiredState", after->desired_state)
                .end_object();
            return out;
        });
    }
}

void event_hub::snapshot_changed(const snapshot_info* before, const snapshot_info* after) {
    using events_impl::dto_json;
    if (before == nullptr && after != nullptr) {
        publish("snapshot.created", [&](const std::string&) { return dto_json(*after); });
    } else if (before != nullptr && after == nullptr) {
        publish("snapshot.removed", [&](const std::string&) { return dto_json(*before); });
    } else if (before != nullptr && before->state_name != after->state_name) {
        publish("snapshot.state.updated", [&](const std::string&) {
            return events_impl::state_change("snapshot", dto_json(*after), before->state_name,
                                             after->state_name);
        });
    }
}

void event_hub::volume_changed(const volume_info* before, const volume_info* after) {
    using events_impl::dto_json;
    if (before == nullptr && after != nullptr) {
        publish("volume.created", [&](const std::string&) { return dto_json(*after); });
    } else if (before != nullptr && after != nullptr && before->state_name != after->state_name) {
        publish("volume.state.updated", [&](const std::string&) {
            return events_impl::state_change("volume", dto_json(*after), before->state_name,
                                             after->state_name);
        });
    }
}

namespace events_impl {

/// Engine.IO's heartbeat: the server pings, the client must answer within the timeout.
constexpr std::chrono::milliseconds ping_interval{25'000};
constexpr std::chrono::milliseconds ping_timeout{20'000};

class socket_io_area {
public:
    explicit socket_io_area(context& ctx) : ctx_(ctx) {}

    asio::awaitable<void> serve(call& c) {
        auto& ex = c.ex;
        if (!ctx_.opts.socket_io) {
            reply off = api_error(ex, 404, "the event channel is turned off");
            co_return co_await send(ex, std::move(off));
        }
        if (ex.query_param("EIO").value_or("") != "4" ||
            ex.query_param("transport").value_or("") != "websocket") {
            // Engine.IO's own error shape; the polling transport is not served.
            co_return co_await send(ex,
                                    json_reply(400, R"({"code":0,"message":"Transport unknown"})"));
        }
        std::string no_subprotocol;
        auto ws = co_await ws_session::accept(ex, std::move(no_subprotocol));
        if (!ws) co_return;
        const std::string origin = ctx_.origin_of(ex);
        ws->send_text(sio::open_text({.sid = random_token(20),
                                      .ping_interval = ping_interval,
                                      .ping_timeout = ping_timeout}));
        using namespace asio::experimental::awaitable_operators;
        auto last_heard = std::make_shared<std::chrono::steady_clock::time_point>(
            std::chrono::steady_clock::now());
        co_await (read(ws, origin, last_heard) || heartbeat(ws, last_heard));
        ctx_.events.leave(ws.get());
        ws->close(1000);
        co_await ws->done();
    }

private:
    asio::awaitable<void> read(std::shared_ptr<ws_session> ws, std::string origin,
                               std::shared_ptr<std::chrono::steady_clock::time_point> heard) {
        bool joined = false;
        for (;;) {
            auto m = co_await ws->receive();
            if (!m) co_return;
            *heard = std::chrono::steady_clock::now();
            if (m->op != http::websocket::opcode::text) continue;
            auto p = sio::parse(m->payload);
            if (!p) {
                ws->close(1002, "not an Engine.IO packet");
                co_return;
            }
            switch (p->kind) {
                case sio::packet_kind::connect: {
                    if (joined) break;
                    auto token = token_of(p->data);
                    if (!ctx_.accepts_token(token)) {
                        ws->send_text(sio::connect_error_text("Unauthorized"));
                        continue;
                    }
                    ws->send_text(sio::connected_text(random_token(20)));
                    ctx_.events.join(ws, origin);
                    joined = true;
                    break;
                }
                case sio::packet_kind::ping:
                    ws->send_text(std::string(sio::pong_text));
                    break;
                case sio::packet_kind::close:
                case sio::packet_kind::disconnect:
                    co_return;
                default:
                    break;  // pongs refresh `heard`; acks and other packets are ignored
            }
        }
    }

    /// Pings every interval; ends the connection when the client has been silent for an
    /// interval plus the timeout.
    static asio::awaitable<void> heartbeat(
        std::shared_ptr<ws_session> ws,
        std::shared_ptr<std::chrono::steady_clock::time_point> heard) {
        asio::steady_timer timer(co_await asio::this_coro::executor);
        for (;;) {
            timer.expires_after(ping_interval);
            std::error_code ec;
            co_await timer.async_wait(net::redirect(ec));
            if (ec) co_return;
            if (std::chrono::steady_clock::now() - *heard > ping_interval + ping_timeout) {
                ws->close(1000, "ping timeout");
                co_return;
            }
            ws->send_text(std::string(sio::ping_text));
        }
    }

    static std::string token_of(const std::string& auth_json);

    context& ctx_;
};

struct connect_auth {
    std::string token;
};

void decode_value(json::value& v, connect_auth& out, json::decoder& d) {
    d.object(v, "object", json::into("token", out.token));
}

std::string socket_io_area::token_of(const std::string& auth_json) {
    if (auth_json.empty()) return {};
    auto a = json::decode<connect_auth>(auth_json, "auth");
    return a ? a->token : std::string();
}

}  // namespace events_impl

void add_event_routes(route_table& table, context& ctx) {
    using events_impl::socket_io_area;
    // Auth travels inside the channel (the CONNECT packet), not on the upgrade request.
    constexpr route_spec any_path{.name = sio::endpoint.name,
                                  .method = "GET",
                                  .path = "/socket.io/*",
                                  .websocket = true,
                                  .authenticated = false};
    table.add(std::make_shared<socket_io_area>(ctx), {{any_path, &socket_io_area::serve}});
}

}  // namespace daytona::emulator
