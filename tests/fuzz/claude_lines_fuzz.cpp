// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the Claude Code CLI's output as the library reads it. parse_result() takes
// the whole text; claude::event_parser takes it in chunks whose sizes the input chooses. Neither
// may crash, hang or read out of bounds, and the chunking must not change what the event parser
// sees: fed whole or in pieces, the same sequence of events and refused lines comes out.
#include <daytona/claude/events.hpp>
#include <daytona/claude/result.hpp>

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace claude = daytona::claude;

namespace {

/// What an event parser yields for `pieces`: one word per event ("assistant", ...) or "!" per
/// refused line.
std::vector<std::string> events_of(const std::vector<std::string>& pieces) {
    claude::event_parser p(4096);
    std::vector<std::string> out;
    auto drain = [&] {
        for (;;) {
            auto ev = p.next();
            if (!ev) {
                out.push_back("!");
                continue;
            }
            if (!*ev) return;
            out.emplace_back(claude::event_type(**ev));
        }
    };
    for (const auto& piece : pieces) {
        p.feed(piece);
        drain();
    }
    p.finish();
    drain();
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    (void)claude::parse_result(text);

    FuzzedDataProvider fdp(data, size);
    std::vector<std::string> pieces;
    std::string rest = text;
    std::size_t at = 0;
    while (at < rest.size()) {
        const std::size_t n = fdp.ConsumeIntegralInRange<std::size_t>(1, 64);
        pieces.push_back(rest.substr(at, n));
        at += n;
    }
    if (events_of({text}) != events_of(pieces)) {
        std::fprintf(stderr, "claude_lines_fuzz: chunking changed the events\n");
        std::abort();
    }
    return 0;
}
