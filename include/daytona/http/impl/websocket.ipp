// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/websocket.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_WEBSOCKET_IPP
#define DAYTONA_HTTP_IMPL_WEBSOCKET_IPP

#include "daytona/detail/js_text.hpp"
#include "daytona/http/websocket.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace http::websocket {

void append_frame(std::string& out, opcode op, std::string_view payload, bool fin,
                  std::optional<std::array<std::uint8_t, 4>> mask_key) {
    out += static_cast<char>((fin ? 0x80 : 0x00) | static_cast<std::uint8_t>(op));
    const std::uint8_t mask_bit = mask_key ? 0x80 : 0x00;
    const std::uint64_t n = payload.size();
    if (n < 126) {
        out += static_cast<char>(mask_bit | n);
    } else if (n <= 0xFFFF) {
        out += static_cast<char>(mask_bit | 126);
        out += static_cast<char>((n >> 8) & 0xFF);
        out += static_cast<char>(n & 0xFF);
    } else {
        out += static_cast<char>(mask_bit | 127);
        for (int i = 7; i >= 0; --i)
            out += static_cast<char>((n >> (8 * i)) & 0xFF);
    }
    if (!mask_key) {
        out.append(payload);
        return;
    }
    for (auto b : *mask_key)
        out += static_cast<char>(b);
    const std::size_t start = out.size();
    out.append(payload);
    for (std::size_t i = 0; i < payload.size(); ++i)
        out[start + i] =
            static_cast<char>(static_cast<std::uint8_t>(out[start + i]) ^ (*mask_key)[i % 4]);
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
    std::string p;
    p += static_cast<char>(code >> 8);
    p += static_cast<char>(code & 0xFF);
    if (reason.size() > 123) {
        // Cut before a continuation byte would split a sequence: the peer checks the UTF-8.
        std::size_t n = 123;
        while (n > 0 && (static_cast<std::uint8_t>(reason[n]) & 0xC0) == 0x80)
            --n;
        reason = reason.substr(0, n);
    }
    p.append(reason);
    return p;
}

bool is_valid_close_code(std::uint16_t code) noexcept {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

std::uint16_t message::close_code() const noexcept {
    if (op != opcode::close || payload.size() < 2) return no_status;
    return static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) |
                                      static_cast<std::uint8_t>(payload[1]));
}

std::string_view message::close_reason() const noexcept {
    if (op != opcode::close || payload.size() < 2) return {};
    return std::string_view(payload).substr(2);
}

void decoder::feed(std::string_view data) {
    if (pos_ > 0 && (pos_ == buf_.size() || pos_ > 64 * 1024)) {
        buf_.erase(0, pos_);  // drop what was consumed
        pos_ = 0;
    }
    buf_.append(data);
}

result<std::optional<message>> decoder::next() {
    for (;;) {
        std::string_view in = std::string_view(buf_).substr(pos_);
        if (in.size() < 2) return std::optional<message>{};
        const auto b0 = static_cast<std::uint8_t>(in[0]);
        const auto b1 = static_cast<std::uint8_t>(in[1]);
        const bool fin = (b0 & 0x80) != 0;
        if ((b0 & 0x70) != 0) return fail("reserved bits set (no extension was negotiated)");
        const auto op = static_cast<opcode>(b0 & 0x0F);
        const bool masked = (b1 & 0x80) != 0;
        if (masked != (role_ == role::server))
            return fail(role_ == role::server ? "client frame is not masked"
                                              : "server frame is masked");
        std::uint64_t len = b1 & 0x7F;
        std::size_t head = 2;
        if (len == 126) {
            if (in.size() < 4) return std::optional<message>{};
            len = (static_cast<std::uint64_t>(static_cast<std::uint8_t>(in[2])) << 8) |
                  static_cast<std::uint8_t>(in[3]);
            head = 4;
        } else if (len == 127) {
            if (in.size() < 10) return std::optional<message>{};
            len = 0;
            for (int i = 0; i < 8; ++i)
                len = (len << 8) | static_cast<std::uint8_t>(in[2 + i]);
            head = 10;
            if (len >> 63) return fail("frame length has the top bit set");
        }
        const bool control = (static_cast<std::uint8_t>(op) & 0x8) != 0;
        if (control && (!fin || len > 125)) return fail("fragmented or oversized control frame");
        if (!control && op != opcode::continuation && op != opcode::text && op != opcode::binary)
            return fail("unknown opcode");
        if (len > max_message_ || partial_.size() + len > max_message_) {
            failure_code_ = close_code::too_big;
            return daytona::error(
                make_error_code(errc::body_too_large),
                "WebSocket message exceeds " + std::to_string(max_message_) + " bytes");
        }
        const std::size_t mask_len = masked ? 4 : 0;
        if (in.size() < head + mask_len + len) return std::optional<message>{};
        std::string payload(in.substr(head + mask_len, static_cast<std::size_t>(len)));
        if (masked)
            for (std::size_t i = 0; i < payload.size(); ++i)
                payload[i] = static_cast<char>(static_cast<std::uint8_t>(payload[i]) ^
                                               static_cast<std::uint8_t>(in[head + (i % 4)]));
        pos_ += head + mask_len + static_cast<std::size_t>(len);
        if (op == opcode::close && !payload.empty()) {
            if (payload.size() == 1) return fail("close payload of 1 byte (a code has 2)");
            message m{op, std::move(payload)};
            if (!is_valid_close_code(m.close_code()))
                return fail("close code " + std::to_string(m.close_code()) +
                            " must not be sent on the wire");
            if (!daytona::detail::js::is_valid_utf8(m.close_reason()))
                return fail("close reason is not valid UTF-8", close_code::invalid_payload);
            return std::optional<message>{std::move(m)};
        }
        if (control) return std::optional<message>{message{op, std::move(payload)}};
        if (op == opcode::continuation) {
            if (!in_message_) return fail("continuation frame without a message");
            partial_ += payload;
        } else {
            if (in_message_) return fail("new message before the previous one ended");
            partial_op_ = op;
            partial_ = std::move(payload);
            in_message_ = true;
        }
        if (fin) {
            in_message_ = false;
            if (partial_op_ == opcode::text && !daytona::detail::js::is_valid_utf8(partial_))
                return fail("text message is not valid UTF-8", close_code::invalid_payload);
            return std::optional<message>{message{partial_op_, std::move(partial_)}};
        }
    }
}

daytona::error decoder::fail(std::string_view why, std::uint16_t code) {
    failure_code_ = code;
    return daytona::error(make_error_code(errc::protocol_error),
                          "WebSocket protocol error: " + std::string(why));
}

}  // namespace http::websocket
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_IMPL_WEBSOCKET_IPP
