// SPDX-License-Identifier: Apache-2.0
// JSON codecs of the pseudo-terminal models, both directions, and the pieces of the PTY
// WebSocket protocol: the environment subprotocol and the control messages.
#ifndef DAYTONA_CODEC_PTY_HPP
#define DAYTONA_CODEC_PTY_HPP

#include "daytona/config.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/models/pty.hpp"
#include "daytona/net/crypto.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

inline void decode_value(json::value& v, pty_create_request& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("id", out.id, &has), json::into("cwd", out.cwd),
             json::into("envs", out.envs), json::into("cols", out.cols),
             json::into("rows", out.rows), json::into("lazyStart", out.lazy_start));
    if (d.ok() && !has) d.missing("id");
}
/// `{"id":…,"cwd":…,"envs":{…},"cols":…,"rows":…,"lazyStart":…}`; absent members are left out.
inline void encode(json::writer& w, const pty_create_request& r) {
    w.begin_object().member("id", r.id).member("cwd", r.cwd);
    if (!r.envs.empty()) w.member("envs", r.envs);
    w.member("cols", r.cols).member("rows", r.rows).member("lazyStart", r.lazy_start);
    w.end_object();
}

inline void decode_value(json::value& v, pty_create_response& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("sessionId", out.session_id, &has));
    if (d.ok() && !has) d.missing("sessionId");
}
inline void encode(json::writer& w, const pty_create_response& r) {
    w.begin_object().member("sessionId", r.session_id).end_object();
}

inline void decode_value(json::value& v, pty_session_info& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("id", out.id, &has), json::into("cwd", out.cwd),
             json::into("envs", out.envs), json::into("cols", out.cols),
             json::into("rows", out.rows), json::into("createdAt", out.created_at),
             json::into("active", out.active), json::into("lazyStart", out.lazy_start));
    if (d.ok() && !has) d.missing("id");
}
inline void encode(json::writer& w, const pty_session_info& p) {
    w.begin_object()
        .member("id", p.id)
        .member("cwd", p.cwd)
        .member("envs", p.envs)
        .member("cols", p.cols)
        .member("rows", p.rows)
        .member("createdAt", p.created_at)
        .member("active", p.active)
        .member("lazyStart", p.lazy_start)
        .end_object();
}

inline void decode_value(json::value& v, pty_list_response& out, json::decoder& d) {
    d.object(v, "object", json::into("sessions", out.sessions));
}
inline void encode(json::writer& w, const pty_list_response& l) {
    w.begin_object().key("sessions").begin_array();
    for (const auto& s : l.sessions)
        encode(w, s);
    w.end_array().end_object();
}

inline void decode_value(json::value& v, pty_resize_request& out, json::decoder& d) {
    bool has_cols = false, has_rows = false;
    d.object(v, "object", json::into("cols", out.cols, &has_cols),
             json::into("rows", out.rows, &has_rows));
    if (d.ok() && !has_cols) d.missing("cols");
    if (d.ok() && !has_rows) d.missing("rows");
}
/// `{"cols":…,"rows":…}`.
inline void encode(json::writer& w, const pty_resize_request& r) {
    w.begin_object().member("cols", r.cols).member("rows", r.rows).end_object();
}

namespace pty_protocol {

/// Asks the daemon to send an `exited` control message before it closes.
inline constexpr std::string_view exit_control = "X-Daytona-Pty-Exit-Control";
/// Prefix of the subprotocol that carries the environment of a create-connect.
inline constexpr std::string_view envs_prefix = "X-Daytona-Pty-Envs~";

/// The subprotocols a client offers, in the SDK's order: the environment (base64url without
/// padding of its JSON object, only when there is one), then exit control.
inline std::vector<std::string> offers(const std::map<std::string, std::string>& envs) {
    std::vector<std::string> out;
    if (!envs.empty()) {
        std::string j;
        json::writer w(j);
        w.value(envs);
        out.push_back(std::string(envs_prefix) + net::base64url_encode(j));
    }
    out.emplace_back(exit_control);
    return out;
}

/// A text frame of the PTY protocol: `{"type":"control","status":…}`.
struct control_message {
    /// "control"; parse_control() answers nullopt for any other type.
    std::string type{};
    /// "connected", "exited" or "error".
    std::string status{};
    /// With "error": what went wrong.
    std::optional<std::string> error{};
    /// With "exited": the shell's exit code (`exitCode`).
    std::optional<int> exit_code{};
    /// With "exited": why it ended, e.g. "SIGKILL" (`exitReason`).
    std::optional<std::string> exit_reason{};
};

inline void decode_value(json::value& v, control_message& out, json::decoder& d) {
    d.object(v, "object", json::into("type", out.type), json::into("status", out.status),
             json::into("error", out.error), json::into("exitCode", out.exit_code),
             json::into("exitReason", out.exit_reason));
}

/// A text frame that is a control message; nullopt for anything else (terminal output).
inline std::optional<control_message> parse_control(std::string_view text) {
    if (text.empty() || text.front() != '{') return std::nullopt;
    auto m = json::decode<control_message>(text, "control");
    if (!m || m->type != "control") return std::nullopt;
    return std::move(*m);
}

/// The JSON reason of the daemon's close frame: `{"exitCode":N,"exitReason":R}` or
/// `{"error":…}`.
struct close_reason {
    /// The shell's exit code (`exitCode`).
    std::optional<int> exit_code{};
    /// Why the shell ended, e.g. "Ctrl+C" (`exitReason`).
    std::optional<std::string> exit_reason{};
    /// What went wrong, when the daemon closed because of an error.
    std::optional<std::string> error{};
};

inline void decode_value(json::value& v, close_reason& out, json::decoder& d) {
    d.object(v, "object", json::into("exitCode", out.exit_code),
             json::into("exitReason", out.exit_reason), json::into("error", out.error));
}

/// The close frame's reason as JSON; nullopt when it is not a JSON object.
inline std::optional<close_reason> parse_close_reason(std::string_view text) {
    if (text.empty() || text.front() != '{') return std::nullopt;
    auto r = json::decode<close_reason>(text, "reason");
    if (!r) return std::nullopt;
    return std::move(*r);
}

}  // namespace pty_protocol

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CODEC_PTY_HPP
