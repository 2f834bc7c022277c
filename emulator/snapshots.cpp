// SPDX-License-Identifier: Apache-2.0
// /api/snapshots. The emulator runs no container engine: a snapshot "build" records the
// Dockerfile, streams one log line per instruction (builds.cpp) and marks the snapshot active;
// sandboxes created from it still run on the host.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>
#include <daytona/json/writer.hpp>

#include <algorithm>

namespace daytona::emulator {

namespace snapshots_impl {

/// CreateSnapshot.
struct snapshot_body {
    std::optional<std::string> name, image_name, region_id, sandbox_class;
    std::vector<std::string> entrypoint;
    std::optional<double> cpu, gpu, memory, disk;
    std::optional<sandbox_build_info> build_info;
};

void decode_value(json::value& v, snapshot_body& out, json::decoder& d) {
    d.object(v, "object", json::into("name", out.name), json::into("imageName", out.image_name),
             json::into("regionId", out.region_id), json::into("sandboxClass", out.sandbox_class),
             json::into("entrypoint", out.entrypoint), json::into("cpu", out.cpu),
             json::into("gpu", out.gpu), json::into("memory", out.memory),
             json::into("disk", out.disk), json::into("buildInfo", out.build_info));
}

reply snapshot_reply(const snapshot_record& s) {
    std::string out;
    json::writer w(out);
    write_snapshot_json(w, s, context::organization());
    return json_reply(200, std::move(out));
}

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
    asio::awaitable<void> walk(std::string id, std::vector<std::string> states,
                               std::optional<std::string> error_reason);

    context& ctx_;
};

asio::awaitable<void> snapshots::walk(std::string id, std::vector<std::string> states,
                                      std::optional<std::string> error_reason) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (std::size_t i = 0; i < states.size(); ++i) {
        timer.expires_after(dwell(ctx_.opts, i == 0 ? "pending" : states[i - 1]));
        std::error_code ec;
        co_await timer.async_wait(net::redirect(ec));
        if (ec) co_return;
        const bool last = i + 1 == states.size();
        auto still_there = ctx_.records.modify_snapshot(id, [&](snapshot_record& s) {
            s.state = states[i];
            s.updated_at = iso_time();
            if (last && error_reason) s.error_reason = error_reason;
        });
        if (!still_there) co_return;
    }
}

asio::awaitable<void> snapshots::create(call& c) {
    auto& ex = c.ex;
    auto body = co_await read_json<snapshot_body>(ex, false);
    if (!body) co_return;
    if (!body->name || !valid_resource_name(*body->name))
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
    snapshot_record s;
    s.id = new_uuid();
    s.name = *body->name;
    s.image_name = body->image_name.value_or("");
    s.entrypoint = body->entrypoint;
    s.cpu = body->cpu.value_or(1);
    s.gpu = body->gpu.value_or(0);
    s.mem = body->memory.value_or(1);
    s.disk = body->disk.value_or(3);
    s.sandbox_class = body->sandbox_class.value_or("container");
    s.region_ids = {body->region_id.value_or("us")};
    s.created_at = s.updated_at = iso_time();
    std::optional<std::string> failure;
    if (body->build_info) {
        s.dockerfile = body->build_info->dockerfile_content;
        s.context_hashes = body->build_info->context_hashes;
        if (s.dockerfile->find(build_fail_marker) != std::string::npos)
            failure =
                "emulated build failed: the Dockerfile contains " + std::string(build_fail_marker);
    }
    std::vector<std::string> states{s.dockerfile ? "building" : "pulling",
                                    failure ? "build_failed" : "active"};
    const bool delayed = ctx_.opts.state_delay.count() > 0;
    if (delayed) {
        s.state = "pending";
    } else {
        s.state = states.back();
        s.error_reason = failure;
    }
    std::string why;
    const auto id = s.id;
    auto answer = snapshot_reply(s);
    if (!ctx_.records.insert_snapshot(std::move(s), &why))
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
    std::erase_if(all,
                  [&](const snapshot_record& s) { return s.name.find(name) == std::string::npos; });
    std::stable_sort(all.begin(), all.end(),
                     [&](const snapshot_record& a, const snapshot_record& b) {
                         auto key = [&](const snapshot_record& s) {
                             if (sort == "name") return s.name;
                             if (sort == "state") return s.state;
                             if (sort == "lastUsedAt") return s.last_used_at.value_or("");
                             return s.created_at + s.id;
                         };
                         return desc ? key(b) < key(a) : key(a) < key(b);
                     });
    std::string out;
    json::writer w(out);
    w.begin_object().key("items").begin_array();
    const std::size_t first = std::min(all.size(), (page - 1) * limit);
    const std::size_t last = std::min(all.size(), first + limit);
    for (std::size_t i = first; i < last; ++i)
        write_snapshot_json(w, all[i], context::organization());
    w.end_array()
        .member("total", all.size())
        .member("page", page)
        .member("totalPages", (all.size() + limit - 1) / limit)
        .end_object();
    co_await send(ex, json_reply(200, std::move(out)));
}

asio::awaitable<void> snapshots::get(call& c) {
    auto snap = co_await find(c);
    if (snap) co_await send(c.ex, snapshot_reply(*snap));
}

asio::awaitable<void> snapshots::remove(call& c) {
    auto snap = co_await find(c);
    if (!snap) co_return;
    ctx_.records.erase_snapshot(snap->id);
    co_await send(c.ex, empty_reply(200));
}

asio::awaitable<void> snapshots::activate(call& c) {
    auto snap = co_await find(c);
    if (!snap) co_return;
    if (snap->state == "active")
        co_return co_await send(c.ex, api_error(c.ex, 400, "Snapshot is already active"));
    if (snap->state != "inactive")
        co_return co_await send(
            c.ex, api_error(c.ex, 400, "Snapshot " + snap->name + " is " + snap->state));
    auto s = ctx_.records.modify_snapshot(snap->id, [](snapshot_record& r) {
        r.state = "active";
        r.updated_at = iso_time();
    });
    if (!s)
        co_return co_await send(c.ex,
                                api_error(c.ex, 404, "Snapshot " + c.param("id") + " not found"));
    co_await send(c.ex, snapshot_reply(*s));
}

asio::awaitable<void> snapshots::deactivate(call& c) {
    auto snap = co_await find(c);
    if (!snap) co_return;
    ctx_.records.modify_snapshot(snap->id, [](snapshot_record& r) {
        r.state = "inactive";
        r.updated_at = iso_time();
    });
    co_await send(c.ex, empty_reply(204));
}

asio::awaitable<void> snapshots::build_logs_url(call& c) {
    auto snap = co_await find(c);
    if (!snap) co_return;
    std::string out;
    json::writer w(out);
    w.begin_object()
        .member("url", ctx_.origin_of(c.ex) + "/api/build-logs-stream/snapshot/" + snap->id)
        .end_object();
    co_await send(c.ex, json_reply(200, std::move(out)));
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
