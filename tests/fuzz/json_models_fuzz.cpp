// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes into the JSON model decoders. Any input must yield a value
// or a typed error, never a crash.
#include <daytona/codec/config.hpp>
#include <daytona/codec/process.hpp>
#include <daytona/codec/sandbox.hpp>
#include <daytona/codec/snapshot.hpp>
#include <daytona/codec/volume.hpp>
#include <daytona/json/reader.hpp>

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
    check(dt::json::decode<dt::sandbox_info_page>(text, "ListSandboxesResponse"));
    check(dt::json::decode<dt::exec_result>(text, "ExecuteResponse"));
    check(dt::json::decode<std::map<std::string, std::string>>(text, "labels"));
    check(dt::json::decode<dt::create_sandbox_request>(text, "CreateSandbox"));
    check(dt::json::decode<dt::snapshot_page>(text, "PaginatedSnapshots"));
    check(dt::json::decode<dt::volume_info>(text, "VolumeDto"));
    check(dt::json::decode<dt::server_config>(text, "DaytonaConfiguration"));
    check(dt::json::decode<dt::execute_request>(text, "ExecuteRequest"));
    return 0;
}
