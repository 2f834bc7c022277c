// SPDX-License-Identifier: Apache-2.0
// JSON codecs of the pseudo-terminal models, both directions, and the pieces of the PTY
// WebSocket protocol: the environment subprotocol and the control messages.
#ifndef DAYTONA_CODEC_PTY_HPP
#define DAYTONA_CODEC_PTY_HPP

#include "daytona/config.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/models/pty.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

DAYTONA_DECL void decode_value(json::value& v, pty_create_request& out, json::decoder& d);
/// `{"id":…,"cwd":…,"envs":{…},"cols":…,"rows":…,"lazyStart":…}`; absent members are left out.
DAYTONA_DECL void encode(json::writer& w, const pty_create_request& r);

DAYTONA_DECL void decode_value(json::value& v, pty_create_response& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const pty_create_response& r);

DAYTONA_DECL void decode_value(json::value& v, pty_session_info& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const pty_session_info& p);

DAYTONA_DECL void decode_value(json::value& v, pty_list_response& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const pty_list_response& l);

DAYTONA_DECL void decode_value(json::value& v, pty_resize_request& out, json::decoder& d);
/// `{"cols":…,"rows":…}`.
DAYTONA_DECL void encode(json::writer& w, const pty_resize_request& r);

namespace pty_protocol {

/// Asks the daemon to send an `exited` control message before it closes.
inline constexpr std::string_view exit_control = "X-Daytona-Pty-Exit-Control";
/// Prefix of the subprotocol that carries the environment of a create-connect.
inline constexpr std::string_view envs_prefix = "X-Daytona-Pty-Envs~";

/// The subprotocols a client offers, in the SDK's order: the environment (base64url without
/// padding of its JSON object, only when there is one), then exit control.
DAYTONA_DECL std::vector<std::string> offers(const std::map<std::string, std::string>& envs);

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

DAYTONA_DECL void decode_value(json::value& v, control_message& out, json::decoder& d);
/// `{"type":…,"status":…}`, then `error`, `exitCode` and `exitReason` when set, as the daemon
/// sends them.
DAYTONA_DECL void encode(json::writer& w, const control_message& m);

/// A text frame that is a control message; nullopt for anything else (terminal output).
DAYTONA_DECL std::optional<control_message> parse_control(std::string_view text);

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

DAYTONA_DECL void decode_value(json::value& v, close_reason& out, json::decoder& d);
/// `{"exitCode":…,"exitReason":…}` or `{"error":…}`: the members that are set, in that order.
DAYTONA_DECL void encode(json::writer& w, const close_reason& r);

/// The close frame's reason as JSON; nullopt when it is not a JSON object.
DAYTONA_DECL std::optional<close_reason> parse_close_reason(std::string_view text);

}  // namespace pty_protocol

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/codec/impl/pty.ipp"
#endif

#endif  // DAYTONA_CODEC_PTY_HPP
