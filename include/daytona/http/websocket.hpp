// SPDX-License-Identifier: Apache-2.0
// Sans-io WebSocket framing (RFC 6455): encode frames, decode a byte stream into messages.
#ifndef DAYTONA_HTTP_WEBSOCKET_HPP
#define DAYTONA_HTTP_WEBSOCKET_HPP

#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/result.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace http::websocket {

/// Frame opcodes (RFC 6455 §5.2).
enum class opcode : std::uint8_t {
    continuation = 0x0,
    text = 0x1,
    binary = 0x2,
    close = 0x8,
    ping = 0x9,
    pong = 0xA,
};

/// Close codes used by Daytona (RFC 6455 §7.4 plus the daemon's own).
enum close_code : std::uint16_t {
    normal = 1000,
    going_away = 1001,
    protocol_error_code = 1002,
    no_status = 1005,
    /// A text message (or close reason) that is not valid UTF-8.
    invalid_payload = 1007,
    policy_violation = 1008,
    too_big = 1009,
    internal_error = 1011,
    /// The interpreter's "execution timed out".
    execution_timeout = 4008,
};

/// Which side this endpoint is: clients mask what they send, servers must not.
enum class role { client, server };

/**
 * \brief Appends one frame to `out`.
 * \param mask_key masking key for client frames (4 bytes); nullopt for server frames.
 */
DAYTONA_DECL void append_frame(std::string& out, opcode op, std::string_view payload,
                               bool fin = true,
                               std::optional<std::array<std::uint8_t, 4>> mask_key = std::nullopt);

/// A close frame's payload: the code in network order, then the reason (at most 123 bytes; a
/// longer one is cut at the last whole UTF-8 sequence that fits).
DAYTONA_DECL std::string close_payload(std::uint16_t code, std::string_view reason);

/**
 * \brief True for a close code an endpoint may put on the wire (RFC 6455 §7.4): 1000-1003,
 * 1007-1014 and 3000-4999. 1004 is reserved, 1005, 1006 and 1015 only report a close locally,
 * and the rest of 0-2999 is unassigned.
 */
DAYTONA_DECL bool is_valid_close_code(std::uint16_t code) noexcept;

/// A complete message (fragments reassembled), or a control frame.
struct message {
    /// text or binary for a data message; close, ping or pong for a control frame.
    opcode op = opcode::binary;
    /// The data (unmasked); for close, the code then the reason.
    std::string payload{};

    /// For close messages: the status code (1005 if none was sent).
    DAYTONA_DECL std::uint16_t close_code() const noexcept;
    /// For close messages: the reason text (may be empty).
    DAYTONA_DECL std::string_view close_reason() const noexcept;
};

/**
 * \brief Incremental decoder: feed bytes as they arrive, take messages out as they complete.
 * \details Enforces the masking rule for its role, the control-frame rules (a close payload is
 * empty or a valid close code, then a UTF-8 reason), UTF-8 in text messages (checked once the
 * fragments are reassembled), and a limit on the size of one message (errc::body_too_large).
 * Other violations are errc::protocol_error. After an error, failure_close_code() is the code to
 * close the connection with.
 */
class decoder {
public:
    /// A decoder for the side `r` (which decides the masking rule); a message larger than
    /// `max_message` bytes is errc::body_too_large.
    explicit decoder(role r, std::size_t max_message = 16 * 1024 * 1024)
        : role_(r), max_message_(max_message) {}

    /// Appends received bytes; next() decodes them.
    DAYTONA_DECL void feed(std::string_view data);

    /// The next complete message; nullopt if more bytes are needed.
    DAYTONA_DECL result<std::optional<message>> next();

    /// After next() failed: the close code that answers the failure (1002 protocol_error_code,
    /// 1007 invalid_payload for text that is not UTF-8, 1009 too_big); before: 1000.
    std::uint16_t failure_close_code() const noexcept { return failure_code_; }

private:
    DAYTONA_DECL daytona::error fail(std::string_view why,
                                     std::uint16_t code = close_code::protocol_error_code);

    role role_;
    std::size_t max_message_;
    std::string buf_;
    std::size_t pos_ = 0;
    std::string partial_;
    opcode partial_op_ = opcode::binary;
    bool in_message_ = false;
    std::uint16_t failure_code_ = close_code::normal;
};

}  // namespace http::websocket
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/websocket.ipp"
#endif

#endif  // DAYTONA_HTTP_WEBSOCKET_HPP
