// SPDX-License-Identifier: Apache-2.0
// /toolbox/{id}/version | user-home-dir | work-dir | project-dir, and computer use, which the
// emulator answers as the daemon does without its desktop plugin (503).
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/json/writer.hpp>

namespace daytona::emulator {

namespace toolbox_info_impl {

/// The daemon's older name for the home directory.
constexpr route_spec project_dir{
    .name = "get_project_dir", .method = "GET", .path = "/project-dir", .where = surface::toolbox};
/// Everything under /computeruse, whatever the method.
constexpr route_spec computer_use{
    .name = "computer_use", .method = "*", .path = "/computeruse/*", .where = surface::toolbox};

class toolbox_info {
public:
    asio::awaitable<void> version(call& c) {
        co_await send(c.ex, json_reply(200, R"({"version":"v0.218.0-emulator"})"));
    }

    /// user-home-dir, work-dir and project-dir: the sandbox user's home.
    asio::awaitable<void> home_dir(call& c) {
        std::string out;
        json::writer w(out);
        w.begin_object().member("dir", c.sandbox().home_path()).end_object();
        co_await send(c.ex, json_reply(200, std::move(out)));
    }

    asio::awaitable<void> computer_use_unavailable(call& c) {
        co_await send(c.ex, toolbox_error(c.ex, 503, "SERVICE_UNAVAILABLE",
                                          "computer use is not available: the emulator runs no "
                                          "desktop"));
    }
};

}  // namespace toolbox_info_impl

void add_toolbox_info_routes(route_table& table, context&) {
    using toolbox_info_impl::toolbox_info;
    namespace ops = api::ops;
    table.add(std::make_shared<toolbox_info>(),
              {{ops::get_version, &toolbox_info::version},
               {ops::get_user_home_dir, &toolbox_info::home_dir},
               {ops::get_work_dir, &toolbox_info::home_dir},
               {toolbox_info_impl::project_dir, &toolbox_info::home_dir},
               {toolbox_info_impl::computer_use, &toolbox_info::computer_use_unavailable}});
}

}  // namespace daytona::emulator
