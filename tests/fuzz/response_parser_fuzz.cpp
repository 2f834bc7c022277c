// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes into the response and request parsers, split at a point the
// input chooses, with and without a sink, then EOF. Must never crash, hang or exceed limits.
#include <daytona/http/parser.hpp>

#include <cstdint>
#include <string_view>

namespace dt = daytona;

namespace {

struct bounded_sink final : dt::http::body_sink {
    std::size_t bytes = 0;
    dt::result<void> write(std::string_view d) override {
        bytes += d.size();
        return {};
    }
};

template <class Parser>
void run(std::string_view data, std::size_t step, bool use_sink) {
    Parser p({.max_header_bytes = 4096, .max_body_bytes = 1 << 16});
    bounded_sink sink;
    if (use_sink) p.set_sink(&sink);
    std::size_t off = 0;
    while (off < data.size()) {
        auto piece = data.substr(off, step);
        auto n = p.feed(piece);
        if (!n) return;
        if (p.done()) {
            // Parse what follows as the next message, as a keep-alive connection would.
            p.reset();
            if (use_sink) p.set_sink(&sink);
        }
        off += *n == 0 ? piece.size() : *n;
    }
    (void)p.feed_eof();
    if (p.get().body.size() > (1u << 16)) __builtin_trap();  // the limit must hold
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::size_t step = 1 + data[0] % 64;
    std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    run<dt::http::response_parser>(input, step, false);
    run<dt::http::response_parser>(input, input.size() + 1, true);
    run<dt::http::request_parser>(input, step, false);
    return 0;
}
