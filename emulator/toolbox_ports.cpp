// SPDX-License-Identifier: Apache-2.0
// /toolbox/{id}/port...: the TCP ports a sandbox's processes listen on, which preview URLs reach.
// The daemon sees its container's sockets; here the sandbox's processes are found by the
// DAYTONA_SANDBOX_ID in their environment (runtime.hpp), and their sockets in /proc.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/detail/string.hpp>
#include <daytona/json/writer.hpp>

#include <algorithm>

namespace daytona::emulator {

namespace ports_impl {

class ports {
public:
    asio::awaitable<void> list(call& c) {
        std::string out;
        json::writer w(out);
        w.begin_object().key("ports").begin_array();
        for (int p : sandbox_listening_ports(c.sandbox().info.id))
            w.value(p);
        w.end_array().end_object();
        co_await send(c.ex, json_reply(200, std::move(out)));
    }

    asio::awaitable<void> in_use(call& c) {
        const auto& text = c.param("port");
        const auto port = detail::parse_uint<unsigned>(text);
        if (!port || *port == 0 || *port > 65535)
            co_return co_await send(
                c.ex, toolbox_error(c.ex, 400, "BAD_REQUEST", "invalid port " + text));
        const auto listening = sandbox_listening_ports(c.sandbox().info.id);
        const bool used = std::find(listening.begin(), listening.end(), static_cast<int>(*port)) !=
                          listening.end();
        std::string out;
        json::writer w(out);
        w.begin_object().member("isInUse", used).end_object();
        co_await send(c.ex, json_reply(200, std::move(out)));
    }
};

}  // namespace ports_impl

void add_port_routes(route_table& table, context&) {
    using ports_impl::ports;
    table.add(std::make_shared<ports>(),
              {{api::ops::get_ports, &ports::list}, {api::ops::is_port_in_use, &ports::in_use}});
}

}  // namespace daytona::emulator
