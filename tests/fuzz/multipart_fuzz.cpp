// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes into the multipart parser (the bulk-download response
// reader's core), split into pieces whose size the input chooses, then the end of the body.
// Parts with and without Content-Length. Must never crash, hang, hand on more bytes than it
// received, or keep more than a bounded amount buffered.
#include <daytona/http/multipart.hpp>

#include <cstdint>
#include <string_view>

namespace dt = daytona;

namespace {

struct counting_handler final : dt::http::multipart::handler {
    std::size_t parts = 0, bytes = 0, ends = 0;
    bool open = false;
    dt::result<void> on_part(const dt::http::fields&) override {
        if (open) __builtin_trap();  // a part began inside another
        open = true;
        ++parts;
        return {};
    }
    dt::result<void> on_data(std::string_view d) override {
        if (!open) __builtin_trap();  // data outside a part
        bytes += d.size();
        return {};
    }
    dt::result<void> on_part_end() override {
        if (!open) __builtin_trap();
        open = false;
        ++ends;
        return {};
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::size_t step = 1 + data[0] % 64;
    std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
    counting_handler h;
    dt::http::multipart::parser p("DAYTONA-FILE-BOUNDARY", h, 1024);
    bool ok = true;
    for (std::size_t off = 0; ok && off < in.size(); off += step)
        ok = static_cast<bool>(p.feed(in.substr(off, step)));
    if (ok && p.finish() && h.open) __builtin_trap();  // a complete body left a part open
    if (h.bytes > in.size()) __builtin_trap();         // never more than was received
    return 0;
}
