// SPDX-License-Identifier: Apache-2.0
// /toolbox/{id}/port...: the TCP ports a sandbox's processes listen on (REFERENCE.md §4.8).
// The daemon sees its container's sockets; here the sandbox's processes are found by the
// DAYTONA_SANDBOX_ID in their environment (runtime.hpp), and their sockets in /proc.
#include "service.hpp"

#include <daytona/detail/string.hpp>
#include <daytona/json/writer.hpp>

#include <algorithm>

namespace daytona::emulator {

asio::awaitable<void> service::port_routes(exchange& ex, const sandbox_record& rec,
                                           const segments& rest) {
    const auto& method = ex.request().method;
    if (rest.size() == 1 && method == "GET") {
        std::string out;
        json::writer w(out);
        w.begin_object().key("ports").begin_array();
        for (int p : sandbox_listening_ports(rec.info.id))
            w.value(p);
        w.end_array().end_object();
        co_return co_await send(ex, json_reply(200, std::move(out)));
    }
    if (rest.size() == 3 && rest[2] == "in-use" && method == "GET") {
        const auto port = detail::parse_uint<unsigned>(rest[1]);
        if (!port || *port == 0 || *port > 65535)
            co_return co_await send(
                ex, toolbox_error(ex, 400, "BAD_REQUEST", "invalid port " + rest[1]));
        const auto ports = sandbox_listening_ports(rec.info.id);
        const bool in_use =
            std::find(ports.begin(), ports.end(), static_cast<int>(*port)) != ports.end();
        std::string out;
        json::writer w(out);
        w.begin_object().member("isInUse", in_use).end_object();
        co_return co_await send(ex, json_reply(200, std::move(out)));
    }
    co_await send(ex, toolbox_error(ex, 404, "NOT_FOUND",
                                    "no route " + method + " " + std::string(ex.path())));
}

}  // namespace daytona::emulator
