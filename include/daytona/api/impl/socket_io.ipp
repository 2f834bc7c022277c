// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/socket_io.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_IMPL_SOCKET_IO_IPP
#define DAYTONA_API_IMPL_SOCKET_IO_IPP

#include "daytona/api/socket_io.hpp"
#include "daytona/detail/percent.hpp"
#include "daytona/json/writer.hpp"

#include <cstdint>

DAYTONA_BEGIN_NAMESPACE
namespace api::socket_io {

std::string query(std::string_view source, std::string_view sdk_version,
                  std::string_view organization_id) {
    std::string q;
    if (!organization_id.empty())
        q += "organizationId=" + detail::percent_encode(organization_id) + "&";
    q += "source=" + detail::percent_encode(source) +
         "&sdkVersion=" + detail::percent_encode(sdk_version) + "&EIO=4&transport=websocket";
    return q;
}

namespace detail_sio {

std::optional<std::string_view> string_prefix(std::string_view text) {
    if (text.empty() || text[0] != '"') return std::nullopt;
    for (std::size_t i = 1; i < text.size(); ++i) {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == '"')
            return text.substr(0, i + 1);
    }
    return std::nullopt;
}

void decode_value(json::value& v, event_array& out, json::decoder& d) {
    d.each_element(v, [&](json::value& element) {
        if (out.has_name) return;  // the arguments are checked below, by their own decode
        json::decode_value(element, out.name, d);
        out.has_name = true;
    });
}

std::string_view value_prefix(std::string_view text) {
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

result<packet> parse(std::string_view text) {
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

std::string connect_text(std::string_view token) {
    std::string out = "40";
    json::writer w(out);
    w.begin_object().member("token", token).end_object();
    return out;
}

std::string open_text(const open_info& o) {
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

std::string connected_text(std::string_view sid) {
    std::string out = "40";
    json::writer w(out);
    w.begin_object().member("sid", sid).end_object();
    return out;
}

std::string connect_error_text(std::string_view message) {
    std::string out = "44";
    json::writer w(out);
    w.begin_object().member("message", message).end_object();
    return out;
}

std::string event_text(std::string_view name, std::string_view data_json) {
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

#endif  // DAYTONA_API_IMPL_SOCKET_IO_IPP
