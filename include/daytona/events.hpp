// SPDX-License-Identifier: Apache-2.0
// The client's Daytona event channel: one Socket.IO connection per client, open while any state
// wait runs, that wakes the waits watching a sandbox, snapshot or volume the moment the server
// reports a change. A wait that resumes on an event carries the new DTO, so it needs no request.
#ifndef DAYTONA_EVENTS_HPP
#define DAYTONA_EVENTS_HPP

#include "daytona/api/operation.hpp"
#include "daytona/api/socket_io.hpp"
#include "daytona/config.hpp"
#include "daytona/detail/backoff.hpp"
#include "daytona/error.hpp"
#include "daytona/http/websocket_client.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/net/asio_compat.hpp"
#include "daytona/result.hpp"
#include "daytona/version.hpp"

#include <asio/experimental/awaitable_operators.hpp>

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

/// The entity an event is about: its id, name and DTO (JSON text), from any of Daytona's event
/// payloads: `{sandbox|snapshot|volume: {...}, oldState, newState}` or the DTO itself.
struct event_entity {
    std::string id;
    std::string name;
    std::string dto;
};

struct event_entity_fields {
    std::string id, name;
};

inline void decode_value(json::value& v, event_entity_fields& out, json::decoder& d) {
    d.object(v, "object", json::into("id", out.id), json::into("name", out.name));
}

/// An event's payload: `{sandbox|snapshot|volume: {...}, oldState, newState}`, or the DTO.
struct event_payload_fields {
    std::optional<event_entity_fields> sandbox, snapshot, volume;
    std::string id, name;
};

inline void decode_value(json::value& v, event_payload_fields& out, json::decoder& d) {
    d.object(v, "object", json::into("sandbox", out.sandbox), json::into("snapshot", out.snapshot),
             json::into("volume", out.volume), json::into("id", out.id),
             json::into("name", out.name));
}

/// The text of member `key` of the JSON object `text` (already checked as JSON), or "".
inline std::string_view member_text(std::string_view text, std::string_view key) {
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

/// The entity an event is about, or nullopt for a payload that is not JSON of a known shape.
inline std::optional<event_entity> entity_of_event(std::string_view payload) {
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

/// The open packet's heartbeat settings.
struct event_heartbeat {
    std::int64_t ping_interval = 25'000, ping_timeout = 20'000;
};

inline void decode_value(json::value& v, event_heartbeat& h, json::decoder& d) {
    d.object(v, "object", json::into("pingInterval", h.ping_interval),
             json::into("pingTimeout", h.ping_timeout));
}

/**
 * \brief One client's event channel.
 * \details Waits register a watch (an id or a name); the channel connects when the first watch
 * appears and disconnects when the last one goes, so an idle client holds no connection and
 * keeps no io_context busy. While connected it answers the server's heartbeats and drops a
 * connection that misses them. When the connection opens, every watch is woken once (a change
 * may have happened while it was opening); when it fails, waits poll at their own cadence and
 * the channel tries again after a backoff.
 * \par Thread safety
 * As the client: one thread or strand.
 */
class event_channel : public std::enable_shared_from_this<event_channel> {
public:
    struct settings {
        std::shared_ptr<http::transport> transport;
        http::url api_base;
        std::string token;
        std::string organization_id;  ///< only with a JWT
        bool enabled = true;
    };

    event_channel(asio::any_io_executor ex, settings s) : ex_(std::move(ex)), s_(std::move(s)) {}
    event_channel(const event_channel&) = delete;
    event_channel& operator=(const event_channel&) = delete;

    /// A registration of interest in one entity; waking it makes the next pause() return.
    class watch {
    public:
        watch(watch&& other) noexcept = delete;
        watch(const watch&) = delete;
        ~watch() {
            if (auto ch = channel_.lock()) ch->remove(this);
        }
        /**
         * \brief Waits up to `d`, or until an event about the watched entity arrives.
         * \return the entity's DTO (JSON text) when an event woke the wait, "" when the time
         * ran out or the channel (re)connected.
         * \par Errors
         * errc::cancelled when the awaiting coroutine is cancelled.
         */
        asio::awaitable<result<std::string>> pause(std::chrono::milliseconds d,
                                                   std::string_view operation) {
            if (!woken_) {
                timer_.expires_after(d);
                std::error_code ec;
                co_await timer_.async_wait(net::redirect(ec));
                if (ec && !woken_)
                    co_return error(make_error_code(errc::cancelled),
                                    error_info{.message = "wait cancelled",
                                               .operation = std::string(operation)});
            }
            woken_ = false;
            co_return std::exchange(dto_, std::string());
        }
        /// The channel is connected: events will wake this watch.
        bool live() const {
            auto ch = channel_.lock();
            return ch && ch->live_;
        }

    private:
        friend class event_channel;
        watch(std::shared_ptr<event_channel> ch, std::string key)
            : channel_(ch), key_(std::move(key)), timer_(ch->ex_) {}
        void wake(std::string dto) {
            woken_ = true;
            if (!dto.empty()) dto_ = std::move(dto);
            timer_.cancel();
        }

        std::weak_ptr<event_channel> channel_;
        std::string key_;
        asio::steady_timer timer_;
        bool woken_ = false;
        std::string dto_;
    };

    /// Watches the entity with this id (or name); connects the channel if needed. Null when the
    /// channel is disabled.
    std::unique_ptr<watch> watch_entity(std::string key) {
        if (!s_.enabled || stopped_) return nullptr;
        std::unique_ptr<watch> w(new watch(shared_from_this(), std::move(key)));
        watches_.push_back(w.get());
        if (!running_) {
            running_ = true;
            asio::co_spawn(ex_, run(shared_from_this()), asio::detached);
        }
        return w;
    }

    /// Connected, authenticated and reading.
    bool live() const noexcept { return live_; }

    /// Closes the connection for good (the client is going away).
    void stop() {
        stopped_ = true;
        idle_.cancel();
        if (conn_) conn_->abort();
    }

private:
    void remove(watch* w) {
        watches_.remove(w);
        if (watches_.empty()) idle_.cancel();  // the reader stops and disconnects
    }

    void wake_all() {
        for (auto* w : watches_)
            w->wake({});
    }

    void dispatch(const api::socket_io::packet& p) {
        auto e = entity_of_event(p.data);
        if (!e) return;  // an event we cannot read is one we need not act on
        for (auto* w : watches_) {
            if (w->key_ == e->id || (!e->name.empty() && w->key_ == e->name)) w->wake(e->dto);
        }
    }

    /// Connects, reads until the last watch goes or the connection fails, and tries again
    /// (after a backoff) while watches remain.
    static asio::awaitable<void> run(std::shared_ptr<event_channel> self) {
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

    /// One connection; true if it was established (and then ended), false if it never was.
    asio::awaitable<bool> session() {
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

    /// The next message, or nullopt when the connection failed, stayed silent past `limit`
    /// (the server's heartbeat stopped) or the last watch went away.
    asio::awaitable<std::optional<http::websocket::message>> read_or_idle(
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

    /// Waits for the idle timer; never throws, so that `||` takes its end (expiry or cancel) as
    /// the winner.
    asio::awaitable<void> idle_wait() {
        std::error_code ec;
        co_await idle_.async_wait(net::redirect(ec));
    }

    /// pingInterval + pingTimeout from the open packet (the server's heartbeat deadline).
    static std::chrono::milliseconds heartbeat_limit(const std::string& open_json) {
        std::int64_t interval = 25'000, timeout = 20'000;
        if (auto f = json::decode<event_heartbeat>(open_json, "open")) {
            interval = f->ping_interval;
            timeout = f->ping_timeout;
        }
        return std::chrono::milliseconds(
            std::clamp<std::int64_t>(interval + timeout, 1'000, 600'000));
    }

private:
    asio::any_io_executor ex_;
    settings s_;
    std::list<watch*> watches_;
    std::optional<http::websocket::connection> conn_;
    asio::steady_timer idle_{ex_};
    bool running_ = false;
    bool live_ = false;
    bool stopped_ = false;
};

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_EVENTS_HPP
