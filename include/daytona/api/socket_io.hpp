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
#include "daytona/json/writer.hpp"

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
inline std::string query(std::string_view source, std::string_view sdk_version,
                         std::string_view organization_id = {}) {
    std::string q;
    if (!organization_id.empty())
        q += "organizationId=" + detail::percent_encode(organization_id) + "&";
    q += "source=" + detail::percent_encode(source) +
         "&sdkVersion=" + detail::percent_encode(sdk_version) + "&EIO=4&transport=websocket";
    return q;
}

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
inline std::optional<std::string_view> string_prefix(std::string_view text) {
    if (text.empty() || text[0] != '"') return std::nullopt;
    for (std::size_t i = 1; i < text.size(); ++i) {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == '"')
            return text.substr(0, i + 1);
    }
    return std::nullopt;
}

/// An event array's name and first argument, each checked by the JSON decoder.
struct event_array {
    std::string name;
    bool has_name = false;
};

inline void decode_value(json::value& v, event_array& out, json::decoder& d) {
    d.each_element(v, [&](json::value& element) {
        if (out.has_name) return;  // the arguments are checked below, by their own decode
        json::decode_value(element, out.name, d);
        out.has_name = true;
    });
}

/// The JSON value at the start of `text` (an event argument), up to the first comma or closing
/// bracket outside strings and nested values. The text was checked as JSON by then.
inline std::string_view value_prefix(std::string_view text) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (depth == 0) return text.substr(0, i);
            --depth;
        } else if (c == ',' && depth == 0) {
            return text.substr(0, i);
        }
    }
    return text;
}
}  // namespace detail_sio

/**
 * \brief Reads one message of the channel.
 * \details An event's array is `["name", arg, ...]`; only the first argument is kept (every
 * Daytona event has one). The namespace must be the default one.
 * \par Errors
 * errc::protocol_error for an empty message, an unknown packet type, or an event whose array is
 * not valid JSON or has no name.
 */
inline result<packet> parse(std::string_view text) {
    auto bad = [&](std::string why) {
        return error(make_error_code(errc::protocol_error),
                     error_info{.message = "Socket.IO packet: " + std::move(why),
                                .operation = std::string(endpoint.name)});
    };
    if (text.empty()) return bad("empty message");
    packet p;
    const char eio = text[0];
    text.remove_prefix(1);
    switch (eio) {
        case '0':
            p.kind = packet_kind::open;
            p.data = std::string(text);
            return p;
        case '1':
            p.kind = packet_kind::close;
            return p;
        case '2':
            p.kind = packet_kind::ping;
            return p;
        case '3':
            p.kind = packet_kind::pong;
            return p;
        case '5':
        case '6':
            return p;  // upgrade, noop
        case '4':
            break;
        default:
            return bad("unknown Engine.IO packet type");
    }
    if (text.empty()) return bad("message packet without a Socket.IO packet");
    const char sio = text[0];
    text.remove_prefix(1);
    if (!text.empty() && text[0] == '/') {  // a namespace other than the default one
        auto comma = text.find(',');
        if (text.substr(0, comma) != "/") return p;
        text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
    }
    while (!text.empty() && text[0] >= '0' && text[0] <= '9')  // an ack id
        text.remove_prefix(1);
    switch (sio) {
        case '0':
            p.kind = packet_kind::connect;
            p.data = std::string(text);
            return p;
        case '1':
            p.kind = packet_kind::disconnect;
            return p;
        case '4': {
            p.kind = packet_kind::connect_error;
            p.data = std::string(text);
            return p;
        }
        case '2': {
            auto arr = json::decode<detail_sio::event_array>(text, "event");
            if (!arr) return bad(arr.error().message());
            if (!arr->has_name || arr->name.empty()) return bad("event has no name");
            // The first argument, as text: after the name literal and its comma, up to the
            // next top-level comma or the closing bracket.
            auto rest = text.substr(1);
            auto name = detail_sio::string_prefix(rest);
            if (!name) return bad("event has no name");
            rest.remove_prefix(name->size());
            if (!rest.empty() && rest[0] == ',') {
                rest.remove_prefix(1);
                p.data = std::string(detail_sio::value_prefix(rest));
            }
            p.name = std::move(arr->name);
            p.kind = packet_kind::event;
            return p;
        }
        case '3':
        case '5':
        case '6':
            return p;  // acks and binary packets: Daytona sends none
        default:
            return bad("unknown Socket.IO packet type");
    }
}

/// The client's CONNECT with its credential: `40{"token":"…"}`.
inline std::string connect_text(std::string_view token) {
    std::string out = "40";
    json::writer w(out);
    w.begin_object().member("token", token).end_object();
    return out;
}

inline constexpr std::string_view pong_text = "3";
inline constexpr std::string_view ping_text = "2";

/// The server's open packet.
inline std::string open_text(const open_info& o) {
    std::string out = "0";
    json::writer w(out);
    w.begin_object()
        .member("sid", o.sid)
        .key("upgrades")
        .begin_array()
        .end_array()
        .member("pingInterval", static_cast<std::int64_t>(o.ping_interval.count()))
        .member("pingTimeout", static_cast<std::int64_t>(o.ping_timeout.count()))
        .member("maxPayload", std::int64_t{1000000})
        .end_object();
    return out;
}

/// The server's answer to CONNECT: `40{"sid":…}`.
inline std::string connected_text(std::string_view sid) {
    std::string out = "40";
    json::writer w(out);
    w.begin_object().member("sid", sid).end_object();
    return out;
}

/// The server's refusal of CONNECT: `44{"message":…}`.
inline std::string connect_error_text(std::string_view message) {
    std::string out = "44";
    json::writer w(out);
    w.begin_object().member("message", message).end_object();
    return out;
}

/// An event with one argument, already JSON: `42["name",data]`.
inline std::string event_text(std::string_view name, std::string_view data_json) {
    std::string out = "42[";
    json::writer w(out);
    w.value(name);
    out += ',';
    out += data_json;
    out += ']';
    return out;
}

}  // namespace api::socket_io
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_SOCKET_IO_HPP
