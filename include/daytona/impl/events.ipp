// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of events.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_EVENTS_IPP
#define DAYTONA_IMPL_EVENTS_IPP

#include "daytona/events.hpp"

#include <asio/experimental/awaitable_operators.hpp>

#include <algorithm>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

void decode_value(json::value& v, event_entity_fields& out, json::decoder& d) {
    d.object(v, "object", json::into("id", out.id), json::into("name", out.name));
}

void decode_value(json::value& v, event_payload_fields& out, json::decoder& d) {
    d.object(v, "object", json::into("sandbox", out.sandbox), json::into("snapshot", out.snapshot),
             json::into("volume", out.volume), json::into("id", out.id),
             json::into("name", out.name));
}

std::string_view member_text(std::string_view text, std::string_view key) {
    int depth = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            auto lit = api::socket_io::detail_sio::string_prefix(text.substr(i));
            if (!lit) return {};
            const auto end = i + lit->size();
            if (depth == 1 && lit->substr(1, lit->size() - 2) == key) {
                auto rest = text.substr(end);
                const auto colon = rest.find_first_not_of(" \t\r\n");
                if (colon != std::string_view::npos && rest[colon] == ':') {
                    rest.remove_prefix(colon + 1);
                    const auto start = rest.find_first_not_of(" \t\r\n");
                    if (start == std::string_view::npos) return {};
                    return api::socket_io::detail_sio::value_prefix(rest.substr(start));
                }
            }
            i = end - 1;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return {};
}

std::optional<event_entity> entity_of_event(std::string_view payload) {
    auto f = json::decode<event_payload_fields>(payload, "event");
    if (!f) return std::nullopt;
    event_entity e;
    for (auto [key, nested] :
         {std::pair{"sandbox", &f->sandbox}, std::pair{"snapshot", &f->snapshot},
          std::pair{"volume", &f->volume}}) {
        if (!*nested) continue;
        e.id = (*nested)->id;
        e.name = (*nested)->name;
        e.dto = std::string(member_text(payload, key));
        return e;
    }
    e.id = f->id;
    e.name = f->name;
    e.dto = std::string(payload);
    return e;
}

void decode_value(json::value& v, event_heartbeat& h, json::decoder& d) {
    d.object(v, "object", json::into("pingInterval", h.ping_interval),
             json::into("pingTimeout", h.ping_timeout));
}

event_channel::watch::~watch() {
    if (auto ch = channel_.lock()) ch->remove(this);
}

asio::awaitable<result<std::string>> event_channel::watch::pause(std::chrono::milliseconds d,
                                                                 std::string_view operation) {
    if (!woken_) {
        timer_.expires_after(d);
        std::error_code ec;
        co_await timer_.async_wait(net::redirect(ec));
        if (ec && !woken_)
            co_return error(
                make_error_code(errc::cancelled),
                error_info{.message = "wait cancelled", .operation = std::string(operation)});
    }
    woken_ = false;
    co_return std::exchange(dto_, std::string());
}

void event_channel::watch::wake(std::string dto) {
    woken_ = true;
    if (!dto.empty()) dto_ = std::move(dto);
    timer_.cancel();
}

std::unique_ptr<event_channel::watch> event_channel::watch_entity(std::string key) {
    if (!s_.enabled || stopped_) return nullptr;
    std::unique_ptr<watch> w(new watch(shared_from_this(), std::move(key)));
    watches_.push_back(w.get());
    if (!running_) {
        running_ = true;
        asio::co_spawn(ex_, run(shared_from_this()), asio::detached);
    }
    return w;
}

void event_channel::stop() {
    stopped_ = true;
    idle_.cancel();
    if (conn_) conn_->abort();
}

void event_channel::remove(watch* w) {
    watches_.remove(w);
    if (watches_.empty()) idle_.cancel();  // the reader stops and disconnects
}

void event_channel::wake_all() {
    for (auto* w : watches_)
        w->wake({});
}

void event_channel::dispatch(const api::socket_io::packet& p) {
    auto e = entity_of_event(p.data);
    if (!e) return;  // an event we cannot read is one we need not act on
    for (auto* w : watches_) {
        if (w->key_ == e->id || (!e->name.empty() && w->key_ == e->name)) w->wake(e->dto);
    }
}

asio::awaitable<void> event_channel::run(std::shared_ptr<event_channel> self) {
    std::chrono::milliseconds backoff{500};
    while (!self->stopped_ && !self->watches_.empty()) {
        const bool ok = co_await self->session();
        self->live_ = false;
        self->conn_.reset();
        if (self->stopped_ || self->watches_.empty()) break;
        if (ok) {
            backoff = std::chrono::milliseconds(500);
            continue;
        }
        self->idle_.expires_after(backoff);
        std::error_code ec;
        co_await self->idle_.async_wait(net::redirect(ec));
        backoff = std::min(backoff * 2, std::chrono::milliseconds(30'000));
    }
    self->running_ = false;
}

asio::awaitable<bool> event_channel::session() {
    namespace sio = api::socket_io;
    auto target = s_.api_base;
    target.path = s_.api_base.join(sio::endpoint.path).path;
    target.query = sio::query("sdk-cpp", DAYTONA_PROTOCOL_VERSION, s_.organization_id);
    http::websocket::connect_options o;
    o.max_message = 4 * 1024 * 1024;
    o.request.timeout = std::chrono::seconds(10);
    auto c = co_await http::websocket::connection::connect(s_.transport, std::move(target),
                                                           std::move(o), sio::endpoint.name);
    if (!c || stopped_) co_return false;
    conn_.emplace(std::move(*c));
    std::chrono::milliseconds silence_limit{45'000};
    bool connected = false;
    for (;;) {
        auto m = co_await read_or_idle(silence_limit);
        if (!m) co_return connected;  // failed, silent too long, or no watches left
        auto p = sio::parse(m->payload);
        if (!p) co_return connected;
        switch (p->kind) {
            case sio::packet_kind::open: {
                silence_limit = heartbeat_limit(p->data);
                // Named first: GCC 12 destroys a class temporary inside co_await twice.
                const std::string hello = sio::connect_text(s_.token);
                auto w = co_await conn_->write_text(hello);
                if (!w) co_return false;
                break;
            }
            case sio::packet_kind::connect:  // the server's acknowledgment
                connected = true;
                live_ = true;
                wake_all();
                break;
            case sio::packet_kind::ping: {
                auto w = co_await conn_->write_text(sio::pong_text);
                if (!w) co_return connected;
                break;
            }
            case sio::packet_kind::event:
                dispatch(*p);
                break;
            case sio::packet_kind::connect_error:
            case sio::packet_kind::disconnect:
            case sio::packet_kind::close:
                co_return connected;
            default:
                break;
        }
    }
}

asio::awaitable<std::optional<http::websocket::message>> event_channel::read_or_idle(
    std::chrono::milliseconds limit) {
    using namespace asio::experimental::awaitable_operators;
    if (watches_.empty() || stopped_) co_return std::nullopt;
    idle_.expires_after(limit);
    auto winner = co_await (conn_->read() || idle_wait());
    if (winner.index() != 0) co_return std::nullopt;
    auto& m = std::get<0>(winner);
    if (!m || m->op != http::websocket::opcode::text) co_return std::nullopt;
    co_return std::move(*m);
}

asio::awaitable<void> event_channel::idle_wait() {
    std::error_code ec;
    co_await idle_.async_wait(net::redirect(ec));
}

std::chrono::milliseconds event_channel::heartbeat_limit(const std::string& open_json) {
    std::int64_t interval = 25'000, timeout = 20'000;
    if (auto f = json::decode<event_heartbeat>(open_json, "open")) {
        interval = f->ping_interval;
        timeout = f->ping_timeout;
    }
    return std::chrono::milliseconds(std::clamp<std::int64_t>(interval + timeout, 1'000, 600'000));
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_EVENTS_IPP
