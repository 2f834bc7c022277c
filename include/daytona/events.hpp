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

DAYTONA_DECL void decode_value(json::value& v, event_entity_fields& out, json::decoder& d);

/// An event's payload: `{sandbox|snapshot|volume: {...}, oldState, newState}`, or the DTO.
struct event_payload_fields {
    std::optional<event_entity_fields> sandbox, snapshot, volume;
    std::string id, name;
};

DAYTONA_DECL void decode_value(json::value& v, event_payload_fields& out, json::decoder& d);

/// The text of member `key` of the JSON object `text` (already checked as JSON), or "".
DAYTONA_DECL std::string_view member_text(std::string_view text, std::string_view key);

/// The entity an event is about, or nullopt for a payload that is not JSON of a known shape.
DAYTONA_DECL std::optional<event_entity> entity_of_event(std::string_view payload);

/// The open packet's heartbeat settings.
struct event_heartbeat {
    std::int64_t ping_interval = 25'000, ping_timeout = 20'000;
};

DAYTONA_DECL void decode_value(json::value& v, event_heartbeat& h, json::decoder& d);

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
        DAYTONA_DECL ~watch();
        /**
         * \brief Waits up to `d`, or until an event about the watched entity arrives.
         * \return the entity's DTO (JSON text) when an event woke the wait, "" when the time
         * ran out or the channel (re)connected.
         * \par Errors
         * errc::cancelled when the awaiting coroutine is cancelled.
         */
        DAYTONA_DECL asio::awaitable<result<std::string>> pause(std::chrono::milliseconds d,
                                                                std::string_view operation);
        /// The channel is connected: events will wake this watch.
        bool live() const {
            auto ch = channel_.lock();
            return ch && ch->live_;
        }

    private:
        friend class event_channel;
        watch(std::shared_ptr<event_channel> ch, std::string key)
            : channel_(ch), key_(std::move(key)), timer_(ch->ex_) {}
        DAYTONA_DECL void wake(std::string dto);

        std::weak_ptr<event_channel> channel_;
        std::string key_;
        asio::steady_timer timer_;
        bool woken_ = false;
        std::string dto_;
    };

    /// Watches the entity with this id (or name); connects the channel if needed. Null when the
    /// channel is disabled.
    DAYTONA_DECL std::unique_ptr<watch> watch_entity(std::string key);

    /// Connected, authenticated and reading.
    bool live() const noexcept { return live_; }

    /// Closes the connection for good (the client is going away).
    DAYTONA_DECL void stop();

private:
    DAYTONA_DECL void remove(watch* w);

    DAYTONA_DECL void wake_all();

    DAYTONA_DECL void dispatch(const api::socket_io::packet& p);

    /// Connects, reads until the last watch goes or the connection fails, and tries again
    /// (after a backoff) while watches remain.
    static DAYTONA_DECL asio::awaitable<void> run(std::shared_ptr<event_channel> self);

    /// One connection; true if it was established (and then ended), false if it never was.
    DAYTONA_DECL asio::awaitable<bool> session();

    /// The next message, or nullopt when the connection failed, stayed silent past `limit`
    /// (the server's heartbeat stopped) or the last watch went away.
    DAYTONA_DECL asio::awaitable<std::optional<http::websocket::message>> read_or_idle(
        std::chrono::milliseconds limit);

    /// Waits for the idle timer; never throws, so that `||` takes its end (expiry or cancel) as
    /// the winner.
    DAYTONA_DECL asio::awaitable<void> idle_wait();

    /// pingInterval + pingTimeout from the open packet (the server's heartbeat deadline).
    static DAYTONA_DECL std::chrono::milliseconds heartbeat_limit(const std::string& open_json);

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

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/events.ipp"
#endif

#endif  // DAYTONA_EVENTS_HPP
