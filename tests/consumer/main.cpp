// SPDX-License-Identifier: Apache-2.0
// Builds against the installed package and exercises the client without a network.
#include <daytona.hpp>
#include <daytona/codec/sandbox.hpp>

#include <iostream>

int main() {
    asio::io_context io;
    daytona::client client{io.get_executor(), {.api_url = "http://127.0.0.1:1/api"}};
    auto r = daytona::run_sync(io, client.list());
    if (r || r.error() != daytona::errc::missing_credentials) return 1;
    // A JSON-layer template instantiated here, over codecs that a separately compiled library
    // holds: it links only if this TU and the library agree on simdjson's kernel (the SIMD flags
    // the package hands its users).
    std::string text = R"({"id":"s1","name":"consumer","state":"started"})";
    auto info = daytona::json::decode<daytona::sandbox_info>(text, "Sandbox");
    if (!info || info->id != "s1") return 1;
    std::cout << "consumer ok: " << r.error() << '\n';
    return 0;
}
