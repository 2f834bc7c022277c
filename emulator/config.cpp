// SPDX-License-Identifier: Apache-2.0
// /api/config and /api/health.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/codec/config.hpp>

namespace daytona::emulator {

namespace config_impl {

class config_area {
public:
    explicit config_area(context& ctx) : ctx_(ctx) {}

    asio::awaitable<void> config(call& c) {
        const auto origin = ctx_.origin_of(c.ex);
        const server_config config{
            .version = "emulator",
            .proxy_template_url = ctx_.preview_origin("{{PORT}}", "{{sandboxId}}"),
            .proxy_toolbox_url = origin + "/toolbox",
            .default_snapshot = "daytona-emulator",
            .dashboard_url = origin,
            .max_auto_archive_interval = 43200,
            .maintenance_mode = false,
            .environment = "emulator"};
        co_await send(c.ex, encoded_reply(config));
    }

    asio::awaitable<void> health(call& c) {
        co_await send(c.ex, json_reply(200, R"({"status":"ok"})"));
    }

private:
    context& ctx_;
};

}  // namespace config_impl

void add_config_routes(route_table& table, context& ctx) {
    using config_impl::config_area;
    namespace ops = api::ops;
    const auto open = [](const api::operation& op) {  // no API key needed
        auto spec = route_of(op);
        spec.authenticated = false;
        return spec;
    };
    table.add(std::make_shared<config_area>(ctx), {{open(ops::get_config), &config_area::config},
                                                   {open(ops::get_health), &config_area::health}});
}

}  // namespace daytona::emulator
