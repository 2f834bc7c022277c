// SPDX-License-Identifier: Apache-2.0
// /api/build-logs-stream/{sandbox|snapshot}/{id}: where build-logs-url points. The emulator runs
// no container engine: a build's log is one step per Dockerfile instruction, nothing executed.
#include "areas.hpp"

#include <daytona/detail/string.hpp>

#include <sstream>

namespace daytona::emulator {

namespace builds_impl {

/// The stream the build-logs-url operations hand out; the SDKs read it with ?follow=true.
constexpr route_spec stream_build_logs{
    .name = "stream_build_logs", .method = "GET", .path = "/build-logs-stream/{kind}/{id}"};

/// The emulated build's log: one step per Dockerfile instruction.
std::vector<std::string> build_log_lines(std::string_view dockerfile) {
    std::vector<std::string> steps;
    std::istringstream in{std::string(dockerfile)};
    for (std::string line; std::getline(in, line);) {
        auto t = detail::trim(line);
        if (!t.empty() && t.front() != '#') steps.emplace_back(t);
    }
    std::vector<std::string> out;
    out.push_back("daytona-emulator: emulated build (the Dockerfile is recorded, not executed)");
    for (std::size_t i = 0; i < steps.size(); ++i) {
        out.push_back("Step " + std::to_string(i + 1) + "/" + std::to_string(steps.size()) + " : " +
                      steps[i]);
        if (steps[i].find(build_fail_marker) != std::string::npos) {
            out.push_back("ERROR: step failed (" + std::string(build_fail_marker) + ")");
            return out;
        }
        out.push_back(" ---> done");
    }
    out.push_back("Successfully built emulated snapshot");
    return out;
}

class builds {
public:
    explicit builds(context& ctx) : ctx_(ctx) {}

    asio::awaitable<void> stream(call& c) {
        auto& ex = c.ex;
        const auto& kind = c.param("kind");
        const auto& id = c.param("id");
        std::string dockerfile;
        if (kind == "sandbox") {
            auto rec = ctx_.records.find(id);
            if (!rec) co_return co_await send(ex, sandbox_not_found(ex, id));
            if (rec->info.build_info) dockerfile = rec->info.build_info->dockerfile_content;
        } else if (kind == "snapshot") {
            auto snap = ctx_.records.find_snapshot(id);
            if (!snap)
                co_return co_await send(ex, api_error(ex, 404, "Snapshot " + id + " not found"));
            const auto& info = snap->info;
            dockerfile = info.build_info ? info.build_info->dockerfile_content
                                         : "FROM " + info.image_name + "\n";
        } else {
            co_return co_await send(ex, api_error(ex, 404, "Cannot GET " + std::string(ex.path())));
        }
        http::fields headers;
        headers.add("Content-Type", "text/plain; charset=utf-8");
        if (auto r = co_await ex.begin_chunked(200, std::move(headers)); !r) co_return;
        // With a state delay the lines are paced across the build, so a follower sees them
        // arrive.
        asio::steady_timer pace(ex.stream().get_executor());
        const auto delay = ctx_.opts.state_delay;
        for (const auto& line : build_log_lines(dockerfile)) {
            if (delay.count() > 0) {
                pace.expires_after(
                    std::min<std::chrono::milliseconds>(delay / 4, std::chrono::milliseconds(250)));
                std::error_code ec;
                co_await pace.async_wait(net::redirect(ec));
            }
            if (auto r = co_await ex.write_chunk(line + "\n"); !r) co_return;
        }
        (void)co_await ex.end_chunked();
    }

private:
    context& ctx_;
};

}  // namespace builds_impl

void add_build_routes(route_table& table, context& ctx) {
    using builds_impl::builds;
    table.add(std::make_shared<builds>(ctx), {{builds_impl::stream_build_logs, &builds::stream}});
}

}  // namespace daytona::emulator
