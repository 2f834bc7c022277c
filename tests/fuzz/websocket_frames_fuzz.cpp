// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes into the WebSocket frame decoder, as a client (unmasked
// server frames) and as a server (masked client frames), fed in pieces of a size the input
// chooses. The payloads of what decodes go through the PTY control and close-reason parsers.
// Must never crash, hang, hand out a message over the limit, a text message that is not UTF-8,
// or a close frame that breaks RFC 6455 §5.5.1 / §7.4.
#include <daytona/codec/pty.hpp>
#include <daytona/detail/js_text.hpp>
#include <daytona/http/websocket.hpp>

#include <cstdint>
#include <string_view>

namespace dt = daytona;
namespace ws = daytona::http::websocket;

namespace {

constexpr std::size_t max_message = 4096;

void run(std::string_view data, ws::role role, std::size_t step) {
    ws::decoder dec(role, max_message);
    std::size_t off = 0;
    while (off < data.size()) {
        dec.feed(data.substr(off, step));
        off += step;
        for (;;) {
            auto m = dec.next();
            if (!m) return;  // a protocol error ends the connection
            if (!*m) break;  // needs more bytes
            const auto& msg = **m;
            if (msg.payload.size() > max_message) __builtin_trap();  // the limit must hold
            if (msg.op == ws::opcode::close) {
                // What decodes is a valid close: no code, or one that may be sent, and UTF-8.
                if (msg.payload.size() == 1) __builtin_trap();
                if (msg.payload.size() >= 2 && !ws::is_valid_close_code(msg.close_code()))
                    __builtin_trap();
                if (!dt::detail::js::is_valid_utf8(msg.close_reason())) __builtin_trap();
                (void)dt::pty_protocol::parse_close_reason(msg.close_reason());
            } else if (msg.op == ws::opcode::text) {
                if (!dt::detail::js::is_valid_utf8(msg.payload)) __builtin_trap();
                (void)dt::pty_protocol::parse_control(msg.payload);
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    // The first byte picks the role and the piece size; the rest is the stream.
    const auto control = data[0];
    const std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
    const ws::role role = (control & 0x80) ? ws::role::server : ws::role::client;
    const std::size_t step = 1 + (control & 0x7F);
    run(stream, role, step);
    run(stream, role, stream.size() + 1);  // all at once
    return 0;
}
