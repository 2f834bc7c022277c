// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes into the multipart parser and the bulk-download reader that
// routes parts to files, split into pieces whose size the input chooses, then the end of the
// body. Must never crash, hang or keep more than a bounded amount in memory.
#include <daytona/api/toolbox/files.hpp>
#include <daytona/http/multipart.hpp>

#include <cstdint>
#include <string_view>

namespace dt = daytona;

namespace {

struct counting_handler final : dt::http::multipart::handler {
    std::size_t parts = 0, bytes = 0;
    dt::result<void> on_part(const dt::http::fields&) override {
        ++parts;
        return {};
    }
    dt::result<void> on_data(std::string_view d) override {
        bytes += d.size();
        return {};
    }
    dt::result<void> on_part_end() override { return {}; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::size_t step = 1 + data[0] % 64;
    std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);

    counting_handler h;
    dt::http::multipart::parser p("DAYTONA-FILE-BOUNDARY", h, 1024);
    for (std::size_t off = 0; off < in.size(); off += step)
        if (!p.feed(in.substr(off, step))) break;
    (void)p.finish();

    std::vector<dt::download_entry> entries{{.path = "/tmp/a.txt"}, {.path = "/tmp/missing"}};
    dt::api::bulk_download_reader reader(entries);
    bool ok = true;
    for (std::size_t off = 0; ok && off < in.size(); off += step)
        ok = static_cast<bool>(reader.write(in.substr(off, step)));
    if (ok) (void)reader.finish();
    std::size_t kept = 0;
    for (const auto& o : reader.outcomes())
        kept += o.data.size();
    if (kept > in.size()) __builtin_trap();  // never more than was received
    return 0;
}
