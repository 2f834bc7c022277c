// SPDX-License-Identifier: Apache-2.0
// /api/snapshots. A snapshot from a Dockerfile is built for real (image_build.hpp) into the
// snapshot's file tree, which sandboxes created from it copy; with emulated builds the Dockerfile
// is recorded and logged one line per instruction (builds.cpp). An image name is never pulled.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/codec/snapshot.hpp>
#include <daytona/detail/string.hpp>

#include <algorithm>

namespace daytona::emulator {

namespace snapshots_impl {

class snapshots {
public:
    explicit snapshots(context& ctx) : ctx_(ctx) {}

    asio::awaitable<void> create(call& c);
    asio::awaitable<void> list(call& c);
    asio::awaitable<void> get(call& c);
    asio::awaitable<void> remove(call& c);
    asio::awaitable<void> activate(call& c);
    asio::awaitable<void> deactivate(call& c);
    asio::awaitable<void> build_logs_url(call& c);

private:
    /// The snapshot the path names (by id or name); nullopt after answering 404.
    asio::awaitable<std::optional<snapshot_record>> find(call& c) {
        const auto& key = c.param("id");
        auto snap = ctx_.records.find_snapshot(key);
        if (!snap) co_await send(c.ex, api_error(c.ex, 404, "Snapshot " + key + " not found"));
        co_return snap;
    }
    asio::awaitable<void> walk(std::string id, std::vector<snapshot_state> states,
                               std::optional<std::string> error_reason);
    /// Builds the snapshot's Dockerfile into its file tree: pending -> building -> active, or
    /// build_failed with the failing step as errorReason.
    asio::awaitable<void> build(std::string id, sandbox_build_info info);

    context& ctx_;
};

asio::awaitable<void> snapshots::walk(std::string id, std::vector<snapshot_state> states,
                                      std::optional<std::string> error_reason) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (std::size_t i = 0; i < states.size(); ++i) {
        timer.expires_after(
            dwell(ctx_.opts, to_string(i == 0 ? snapshot_state::pending : states[i - 1])));
        std::error_code ec;
        co_await timer.async_wait(net::redirect(ec));
        if (ec) co_return;
        const bool last = i + 1 == states.size();
        auto still_there = ctx_.records.modify_snapshot(id, [&](snapshot_info& s) {
            set_state(s, states[i]);
            if (last && error_reason) s.error_reason = error_reason;
        });
        if (!still_there) co_return;
    }
}

asio::awaitable<void> snapshots::build(std::string id, sandbox_build_info info) {
    const auto set = [&](snapshot_state state, std::optional<std::string> reason) {
        return ctx_.records
            .modify_snapshot(id,
                             [&](snapshot_info& s) {
                                 set_state(s, state);
                                 s.error_reason = std::move(reason);
                             })
            .has_value();
    };
    // With --state-delay-ms the states last at least as long as emulated ones, so the SDKs'
    // 1 s polls see `building` and follow the log (a real build can be quicker than a poll).
    asio::steady_timer dwell_timer(co_await asio::this_coro::executor);
    const auto linger = [&](snapshot_state state) -> asio::awaitable<void> {
        const auto d = dwell(ctx_.opts, to_string(state));
        if (d.count() == 0) co_return;
        dwell_timer.expires_after(d);
        std::error_code wait_ec;
        co_await dwell_timer.async_wait(net::redirect(wait_ec));
    };
    auto pending = linger(snapshot_state::pending);  // named: GCC 12
    co_await std::move(pending);
    if (!set(snapshot_state::building, std::nullopt)) co_return;
    auto building = linger(snapshot_state::building);
    co_await std::move(building);
    const auto scratch = ctx_.records.data_dir() / "snapshots" / (id + ".build");
    auto outcome = co_await run_image_build(ctx_, "snapshot/" + id, std::move(info),
                                            ctx_.records.snapshot_files(id), scratch, nullptr);
    std::error_code ec;
    fs::remove_all(scratch, ec);
    if (!outcome.ok) {
        set(snapshot_state::build_failed, outcome.error_reason);
        co_return;
    }
    write_image_config(image_config_of_snapshot(ctx_, id), outcome.config);
    set(snapshot_state::active, std::nullopt);
}

asio::awaitable<void> snapshots::create(call& c) {
    auto& ex = c.ex;
    auto body = co_await read_json<create_snapshot_request>(ex, false);
    if (!body) co_return;
    if (!valid_resource_name(body->name))
        co_return co_await send(ex,
                                api_error(ex, 400, "name is required and must be a valid name"));
    if (!body->image_name && !body->build_info)
        co_return co_await send(ex, api_error(ex, 400, "imageName or buildInfo is required"));
    if (body->image_name && body->build_info)
        co_return co_await send(ex,
                                api_error(ex, 400, "give either imageName or buildInfo, not both"));
    if (body->image_name && (body->image_name->empty() || body->image_name->ends_with(":latest")))
        co_return co_await send(ex, api_error(ex, 400, "Images with tag latest are not allowed"));
    if (body->build_info && detail::trim(body->build_info->dockerfile_content).empty())
        co_return co_await send(ex, api_error(ex, 400, "buildInfo.dockerfileContent is required"));
    for (auto v : {body->cpu, body->gpu, body->memory, body->disk})
        if (v && *v < 0)
            co_return co_await send(ex, api_error(ex, 400, "resources must not be negative"));
    snapshot_record rec;
    auto& s = rec.info;
    s.id = new_uuid();
    s.organization_id = organization_id;
    s.name = body->name;
    s.image_name = body->image_name.value_or("");
    s.entrypoint = body->entrypoint;
    s.cpu = body->cpu.value_or(1);
    s.gpu = body->gpu.value_or(0);
    s.memory = body->memory.value_or(1);
    s.disk = body->disk.value_or(3);
    s.sandbox_class = body->sandbox_class.value_or("container");
    s.region_ids = {body->region_id.value_or("us")};
    s.created_at = iso_time();
    std::optional<std::string> failure;
    if (body->build_info) {
        s.build_info = sandbox_build_info{
            .dockerfile_content = std::move(body->build_info->dockerfile_content),
            .context_hashes = body->build_info->context_hashes.value_or(std::vector<std::string>{}),
            .snapshot_ref = s.id,
            .created_at = s.created_at,
            .updated_at = s.created_at};
        if (s.build_info->dockerfile_content.find(build_fail_marker) != std::string::npos)
            failure =
                "emulated build failed: the Dockerfile contains " + std::string(build_fail_marker);
    }
    if (s.build_info && ctx_.real_builds()) {
        // A real build: pending at once, then as the build goes.
        set_state(s, snapshot_state::pending);
        const auto id = s.id;
        auto info = *s.build_info;
        auto answer = encoded_reply(s);
        std::string why;
        if (!ctx_.records.insert_snapshot(std::move(rec), &why))
            co_return co_await send(ex, api_error(ex, 409, why));
        asio::co_spawn(ex.stream().get_executor(), build(id, std::move(info)), asio::detached);
        co_return co_await send(ex, std::move(answer));
    }
    std::vector<snapshot_state> states{
        s.build_info ? snapshot_state::building : snapshot_state::pulling,
        failure ? snapshot_state::build_failed : snapshot_state::active};
    const bool delayed = ctx_.opts.state_delay.count() > 0;
    set_state(s, delayed ? snapshot_state::pending : states.back());
    if (!delayed) s.error_reason = failure;
    s.updated_at = s.created_at;
    std::string why;
    const auto id = s.id;
    auto answer = encoded_reply(s);
    if (!ctx_.records.insert_snapshot(std::move(rec), &why))
        co_return co_await send(ex, api_error(ex, 409, why));
    if (delayed)
        asio::co_spawn(ex.stream().get_executor(), walk(id, std::move(states), std::move(failure)),
                       asio::detached);
    co_await send(ex, std::move(answer));
}

asio::awaitable<void> snapshots::list(call& c) {
    auto& ex = c.ex;
    std::size_t page = 1, limit = 100;
    if (auto p = ex.query_param("page")) {
        auto v = detail::parse_uint<std::size_t>(*p);
        if (!v || *v == 0)
            co_return co_await send(ex, api_error(ex, 400, "page must be a positive integer"));
        page = *v;
    }
    if (auto l = ex.query_param("limit")) {
        auto v = detail::parse_uint<std::size_t>(*l);
        if (!v || *v == 0 || *v > 200)
            co_return co_await send(ex, api_error(ex, 400, "limit must be between 1 and 200"));
        limit = *v;
    }
    const auto name = ex.query_param("name").value_or("");
    const auto sort = ex.query_param("sort").value_or("createdAt");
    const bool desc =
        ex.query_param("order").value_or(sort == "createdAt" ? "desc" : "asc") == "desc";
    auto all = ctx_.records.snapshots();
    std::erase_if(
        all, [&](const snapshot_record& s) { return s.info.name.find(name) == std::string::npos; });
    std::stable_sort(all.begin(), all.end(),
                     [&](const snapshot_record& a, const snapshot_record& b) {
                         auto key = [&](const snapshot_info& s) {
                             if (sort == "name") return s.name;
                             if (sort == "state") return s.state_name;
                             if (sort == "lastUsedAt") return s.last_used_at.value_or("");
                             return s.created_at + s.id;
                         };
                         return desc ? key(b.info) < key(a.info) : key(a.info) < key(b.info);
                     });
    snapshot_page out;
    const std::size_t first = std::min(all.size(), (page - 1) * limit);
    const std::size_t last = std::min(all.size(), first + limit);
    for (std::size_t i = first; i < last; ++i)
        out.items.push_back(std::move(all[i].info));
    out.total = static_cast<std::int64_t>(all.size());
    out.page = static_cast<std::int64_t>(page);
    out.total_pages = static_cast<std::int64_t>((all.size() + limit - 1) / limit);
    co_await send(ex, encoded_reply(out));
}

asio::awaitable<void> snapshots::get(call& c) {
    auto snap = co_await find(c);
    if (snap) co_await send(c.ex, encoded_reply(snap->info));
}

asio::awaitable<void> snapshots::remove(call& c) {
    auto snap = co_await find(c);
    if (!snap) co_return;
    ctx_.records.erase_snapshot(snap->info.id);
    co_await send(c.ex, empty_reply(200));
}

asio::awaitable<void> snapshots::activate(call& c) {
    auto snap = co_await find(c);
    if (!snap) co_return;
    const auto& info = snap->info;
    if (info.state == snapshot_state::active)
        co_return co_await send(c.ex, api_error(c.ex, 400, "Snapshot is already active"));
    if (info.state != snapshot_state::inactive)
        co_return co_await send(
            c.ex, api_error(c.ex, 400, "Snapshot " + info.name + " is " + info.state_name));
    auto s = ctx_.records.modify_snapshot(
        info.id, [](snapshot_info& r) { set_state(r, snapshot_state::active); });
    if (!s)
        co_return co_await send(c.ex,
                                api_error(c.ex, 404, "Snapshot " + c.param("id") + " not found"));
    co_await send(c.ex, encoded_reply(*s));
}

asio::awaitable<void> snapshots::deactivate(call& c) {
    auto snap = co_await find(c);
    if (!snap) co_return;
    ctx_.records.modify_snapshot(snap->info.id,
                                 [](snapshot_info& r) { set_state(r, snapshot_state::inactive); });
    co_await send(c.ex, empty_reply(204));
}

asio::awaitable<void> snapshots::build_logs_url(call& c) {
    auto snap = co_await find(c);
    if (!snap) co_return;
    const url_response logs{.url = ctx_.origin_of(c.ex) + "/api/build-logs-stream/snapshot/" +
                                   snap->info.id};
    co_await send(c.ex, encoded_reply(logs));
}

}  // namespace snapshots_impl

void add_snapshot_routes(route_table& table, context& ctx) {
    using snapshots_impl::snapshots;
    namespace ops = api::ops;
    table.add(std::make_shared<snapshots>(ctx),
              {{ops::list_snapshots, &snapshots::list},
               {ops::create_snapshot, &snapshots::create},
               {ops::get_snapshot, &snapshots::get},
               {ops::delete_snapshot, &snapshots::remove},
               {ops::activate_snapshot, &snapshots::activate},
               {ops::deactivate_snapshot, &snapshots::deactivate},
               {ops::get_snapshot_build_logs_url, &snapshots::build_logs_url}});
}

}  // namespace daytona::emulator
