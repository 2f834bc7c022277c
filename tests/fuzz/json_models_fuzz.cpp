// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes into the JSON model decoders. Any input must yield a value
// or a typed error, never a crash.
#include <daytona/json/reader.hpp>
#include <daytona/models/process.hpp>
#include <daytona/models/sandbox.hpp>

#include <cstdint>
#include <string>

namespace dt = daytona;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto check = [](const auto& r) {
        if (!r && r.error() != dt::errc::json_parse_error &&
            r.error() != dt::errc::json_schema_mismatch)
            __builtin_trap();
    };
    check(dt::json::decode<dt::sandbox_info>(text, "Sandbox"));
    check(dt::json::decode<dt::sandbox_page>(text, "ListSandboxesResponse"));
    check(dt::json::decode<dt::exec_result>(text, "ExecuteResponse"));
    check(dt::json::decode<std::map<std::string, std::string>>(text, "labels"));
    return 0;
}
