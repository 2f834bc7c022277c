// SPDX-License-Identifier: Apache-2.0
// Daytona's event channel on the wire: Socket.IO 5 packets inside Engine.IO 4 packets, one per
// WebSocket text message (no polling transport, no binary attachments). Sans-io: the client's
// event channel and the emulator's server both speak through these functions.
//
//   server: 0{"sid":…,"pingInterval":25000,"pingTimeout":20000,…}   Engine.IO open
//   client: 40{"token":"<api key or JWT>"}                           Socket.IO connect, auth
//   server: 40{"sid":…} or 44{"message":…}                           connected / refused
//   server: 42["sandbox.state.updated",{sandbox,oldState,newState}]  an event
//   server: 2   client: 3                                            heartbeat (server pings)
#ifndef DAYTONA_API_SOCKET_IO_HPP
#define DAYTONA_API_SOCKET_IO_HPP

#include "daytona/api/operation.hpp"
#include "daytona/config.hpp"
#include "daytona/json/reader.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace api::socket_io {

/// The channel's endpoint: `<api_url>/socket.io/`, WebSocket transport only. Not a REST
/// operation (the OpenAPI spec does not list it); declared here so errors and traces name it.
inline constexpr operation endpoint{.name = "socket_io",
                                    .method = http::verb::get,
                                    .path = "/socket.io/",
                                    .where = surface::api,
                                    .idempotent = true,
                                    .websocket = true};

/// The query string the official SDK sends (its order: the organization first, for a JWT).
DAYTONA_DECL std::string query(std::string_view source, std::string_view sdk_version,
                               std::string_view organization_id = {});

/// What one WebSocket text message carries.
enum class packet_kind {
    open,           ///< Engine.IO open: the heartbeat settings
    ping,           ///< Engine.IO ping (the server's heartbeat; answer with pong_text)
    pong,           ///< Engine.IO pong
    close,          ///< Engine.IO close
    connect_error,  ///< Socket.IO CONNECT refused; `data` is the message
    disconnect,     ///< Socket.IO DISCONNECT
    event,          ///< Socket.IO EVENT: `name` and `data` (the first argument, JSON text)
    connect,        ///< Socket.IO CONNECT: a client's, `data` its auth object (JSON text), or the
                    ///< server's acknowledgment, `data` {"sid": …}
    other,          ///< anything else valid (noop, upgrade, acks): ignored
};

/// One WebSocket text message, decoded (see parse()).
struct packet {
    /// What the message is; `other` for packets that carry nothing to act on.
    packet_kind kind = packet_kind::other;
    std::string name;  ///< event name
    std::string data;  ///< JSON text: the event's first argument, the open or connect object
};

/// The open packet's heartbeat settings.
struct open_info {
    /// The Engine.IO session id.
    std::string sid;
    /// How often the server sends a ping (`pingInterval`). Default 25 s.
    std::chrono::milliseconds ping_interval{25000};
    /// How long after a missed ping the connection counts as dead (`pingTimeout`). Default 20 s.
    std::chrono::milliseconds ping_timeout{20000};
};

namespace detail_sio {
/// The JSON string literal at the start of `text` (quotes included), or nullopt.
DAYTONA_DECL std::optional<std::string_view> string_prefix(std::string_view text);

/// An event array's name and first argument, each checked by the JSON decoder.
struct event_array {
    std::string name;
    bool has_name = false;
};

DAYTONA_DECL void decode_value(json::value& v, event_array& out, json::decoder& d);

/// The JSON value at the start of `text` (an event argument), up to the first comma or closing
/// bracket outside strings and nested values. The text was checked as JSON by then.
DAYTONA_DECL std::string_view value_prefix(std::string_view text);
}  // namespace detail_sio

/**
 * \brief Reads one message of the channel.
 * \details An event's array is `["name", arg, ...]`; only the first argument is kept (every
 * Daytona event has one). The namespace must be the default one.
 * \par Errors
 * errc::protocol_error for an empty message, an unknown packet type, or an event whose array is
 * not valid JSON or has no name.
 */
DAYTONA_DECL result<packet> parse(std::string_view text);

/// The client's CONNECT with its credential: `40{"token":"…"}`.
DAYTONA_DECL std::string connect_text(std::string_view token);

inline constexpr std::string_view pong_text = "3";
inline constexpr std::string_view ping_text = "2";

/// The server's open packet.
DAYTONA_DECL std::string open_text(const open_info& o);

/// The server's answer to CONNECT: `40{"sid":…}`.
DAYTONA_DECL std::string connected_text(std::string_view sid);

/// The server's refusal of CONNECT: `44{"message":…}`.
DAYTONA_DECL std::string connect_error_text(std::string_view message);

/// An event with one argument, already JSON: `42["name",data]`.
DAYTONA_DECL std::string event_text(std::string_view name, std::string_view data_json);

}  // namespace api::socket_io
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/impl/socket_io.ipp"
#endif

#endif  // DAYTONA_API_SOCKET_IO_HPP
