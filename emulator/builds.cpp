// SPDX-License-Identifier: Apache-2.0
// /api/build-logs-stream/{sandbox|snapshot}/{id}: where build-logs-url points, and the real
// builds (image_build.hpp) that write those logs. When builds are emulated (--builds emulated, or
// no overlay mounts here) a build's log is one step per Dockerfile instruction, nothing executed.
#include "areas.hpp"

#include "process_runner.hpp"

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
        std::string log_key;  // set when a real build writes the log
        if (kind == "sandbox") {
            auto rec = ctx_.records.find(id);
            if (!rec) co_return co_await send(ex, sandbox_not_found(ex, id));
            if (rec->info.build_info) dockerfile = rec->info.build_info->dockerfile_content;
            if (rec->info.build_info && ctx_.real_builds()) log_key = "sandbox/" + rec->info.id;
        } else if (kind == "snapshot") {
            auto snap = ctx_.records.find_snapshot(id);
            if (!snap)
                co_return co_await send(ex, api_error(ex, 404, "Snapshot " + id + " not found"));
            const auto& info = snap->info;
            if (info.build_info && ctx_.real_builds()) log_key = "snapshot/" + info.id;
            dockerfile = info.build_info ? info.build_info->dockerfile_content
                                         : "FROM " + info.image_name + "\n";
        } else {
            co_return co_await send(ex, api_error(ex, 404, "Cannot GET " + std::string(ex.path())));
        }
        http::fields headers;
        headers.add("Content-Type", "text/plain; charset=utf-8");
        if (auto r = co_await ex.begin_chunked(200, std::move(headers)); !r) co_return;
        if (!log_key.empty()) co_return co_await follow(ex, build_log_of(log_key));
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
    /// Streams a real build's log: what is there, then each line as it comes, until the build
    /// is over (?follow=true) or at once (without it).
    asio::awaitable<void> follow(exchange& ex, std::shared_ptr<build_log> log) {
        const bool follow = ex.query_param("follow").value_or("") == "true";
        asio::steady_timer wait(ex.stream().get_executor());
        std::size_t next = 0;
        for (;;) {
            auto [lines, done] = log->read_from(next);
            next += lines.size();
            std::string chunk;
            for (auto& l : lines)
                chunk += l + "\n";
            if (!chunk.empty())
                if (auto r = co_await ex.write_chunk(chunk); !r) co_return;
            if (done || !follow) break;
            wait.expires_after(std::chrono::milliseconds(100));
            std::error_code ec;
            co_await wait.async_wait(net::redirect(ec));
        }
        (void)co_await ex.end_chunked();
    }

    context& ctx_;
};

}  // namespace builds_impl

asio::awaitable<build_outcome> run_image_build(context& ctx, std::string log_key,
                                               sandbox_build_info info, fs::path upper,
                                               fs::path scratch,
                                               std::shared_ptr<process_tracker> tracker) {
    auto log = build_log_of(log_key);
    build_spec spec;
    spec.dockerfile = info.dockerfile_content;
    spec.upper = std::move(upper);
    spec.scratch = std::move(scratch);
    spec.tracker = std::move(tracker);
    if (!info.context_hashes.empty()) {
        // One tar per context entry, uploaded by the client; together they are the context.
        spec.context_dir = spec.scratch / "context";
        std::error_code ec;
        fs::create_directories(spec.context_dir, ec);
        for (const auto& hash : info.context_hashes) {
            const auto object =
                stored_object(ctx, std::string(organization_id) + "/" + hash + "/context.tar");
            std::string why;
            if (!fs::is_regular_file(object, ec)) {
                why = "build context " + hash + " was not uploaded to the object storage";
            } else {
                run_spec tar;
                tar.process.argv = {"/bin/tar",      "-x", "--no-same-owner",        "-f",
                                    object.string(), "-C", spec.context_dir.string()};
                tar.process.env = {"PATH=/usr/bin:/bin", "LC_ALL=C"};
                tar.process.cwd = "/";
                tar.timeout = std::chrono::minutes(10);
                tar.max_output = 64 * 1024;
                auto out = co_await run_command(std::move(tar));
                if (out.spawn_failed || out.timed_out || out.exit_code != 0)
                    why = "unpacking build context " + hash + " failed: " + out.output;
            }
            if (!why.empty()) {
                log->line("ERROR: " + why);
                log->finish();
                build_outcome failed;
                failed.error_reason = why;
                co_return failed;
            }
        }
        log->line("Build context: " + std::to_string(info.context_hashes.size()) +
                  " uploaded entr" + (info.context_hashes.size() == 1 ? "y" : "ies"));
    }
    co_return co_await run_build(std::move(spec), std::move(log));
}

void add_build_routes(route_table& table, context& ctx) {
    using builds_impl::builds;
    table.add(std::make_shared<builds>(ctx), {{builds_impl::stream_build_logs, &builds::stream}});
}

}  // namespace daytona::emulator
