// SPDX-License-Identifier: Apache-2.0
// /api/snapshots and /api/volumes. The emulator runs no container engine: a snapshot "build"
// records the Dockerfile, streams one log line per instruction and marks the snapshot active;
// sandboxes created from it still run on the host. A volume is a directory under --data-dir,
// bind-mounted (or symlinked, without namespaces) at its mount path in each sandbox using it.
#include "service.hpp"

#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>
#include <daytona/json/writer.hpp>

#include <algorithm>

namespace daytona::emulator {

namespace registry_impl {

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

struct volume_body {
    std::optional<std::string> name;
};

void decode_value(json::value& v, volume_body& out, json::decoder& d) {
    d.object(v, "object", json::into("name", out.name));
}

bool valid_resource_name(std::string_view n) {
    if (n.empty() || n.size() > 255) return false;
    for (char c : n)
        if (static_cast<unsigned char>(c) < 0x20 || c == '/' || c == '\\') return false;
    return n != "." && n != "..";
}

}  // namespace registry_impl
using namespace registry_impl;

asio::awaitable<void> service::walk_snapshot(std::string id, std::vector<std::string> states,
                                             std::optional<std::string> error_reason) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (std::size_t i = 0; i < states.size(); ++i) {
        timer.expires_after(dwell(i == 0 ? "pending" : states[i - 1]));
        std::error_code ec;
        co_await timer.async_wait(net::redirect(ec));
        if (ec) co_return;
        const bool last = i + 1 == states.size();
        auto still_there = store_.modify_snapshot(id, [&](snapshot_record& s) {
            s.state = states[i];
            s.updated_at = iso_time();
            if (last && error_reason) s.error_reason = error_reason;
        });
        if (!still_there) co_return;
    }
}

asio::awaitable<void> service::snapshot_routes(exchange& ex, const segments& segs) {
    const auto& method = ex.request().method;
    const auto not_found = [&](const std::string& key) {
        return api_error(ex, 404, "Snapshot " + key + " not found");
    };
    const auto reply_with = [&](const snapshot_record& s) {
        std::string out;
        json::writer w(out);
        write_snapshot_json(w, s, organization());
        return json_reply(200, std::move(out));
    };
    if (segs.size() == 2 && method == "POST") {
        auto body = co_await read_json<snapshot_body>(ex, false);
        if (!body) co_return;
        if (!body->name || !valid_resource_name(*body->name))
            co_return co_await send(
                ex, api_error(ex, 400, "name is required and must be a valid name"));
        if (!body->image_name && !body->build_info)
            co_return co_await send(ex, api_error(ex, 400, "imageName or buildInfo is required"));
        if (body->image_name && body->build_info)
            co_return co_await send(
                ex, api_error(ex, 400, "give either imageName or buildInfo, not both"));
        if (body->image_name &&
            (body->image_name->empty() || body->image_name->ends_with(":latest")))
            co_return co_await send(ex,
                                    api_error(ex, 400, "Images with tag latest are not allowed"));
        if (body->build_info && detail::trim(body->build_info->dockerfile_content).empty())
            co_return co_await send(ex,
                                    api_error(ex, 400, "buildInfo.dockerfileContent is required"));
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
            if (s.dockerfile->find("EMULATOR_BUILD_FAIL") != std::string::npos)
                failure = "emulated build failed: the Dockerfile contains EMULATOR_BUILD_FAIL";
        }
        std::vector<std::string> states{s.dockerfile ? "building" : "pulling",
                                        failure ? "build_failed" : "active"};
        if (opts_.state_delay.count() == 0) {
            s.state = states.back();
            s.error_reason = failure;
        } else {
            s.state = "pending";
        }
        std::string why;
        const auto id = s.id;
        auto reply = reply_with(s);
        if (!store_.insert_snapshot(std::move(s), &why))
            co_return co_await send(ex, api_error(ex, 409, why));
        if (opts_.state_delay.count() > 0)
            asio::co_spawn(ex.stream().get_executor(),
                           walk_snapshot(id, std::move(states), std::move(failure)),
                           asio::detached);
        co_return co_await send(ex, std::move(reply));
    }
    if (segs.size() == 2 && method == "GET") {
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
        auto all = store_.snapshots();
        std::erase_if(
            all, [&](const snapshot_record& s) { return s.name.find(name) == std::string::npos; });
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
            write_snapshot_json(w, all[i], organization());
        w.end_array()
            .member("total", all.size())
            .member("page", page)
            .member("totalPages", (all.size() + limit - 1) / limit)
            .end_object();
        co_return co_await send(ex, json_reply(200, std::move(out)));
    }
    if (segs.size() < 3)
        co_return co_await send(
            ex, api_error(ex, 404, "Cannot " + method + " " + std::string(ex.path())));
    auto snap = store_.find_snapshot(segs[2]);
    if (!snap) co_return co_await send(ex, not_found(segs[2]));
    if (segs.size() == 3 && method == "GET") co_return co_await send(ex, reply_with(*snap));
    if (segs.size() == 3 && method == "DELETE") {
        store_.erase_snapshot(snap->id);
        co_return co_await send(ex, empty_reply(200));
    }
    if (segs.size() == 4 && method == "POST" && segs[3] == "activate") {
        if (snap->state == "active")
            co_return co_await send(ex, api_error(ex, 400, "Snapshot is already active"));
        if (snap->state != "inactive")
            co_return co_await send(
                ex, api_error(ex, 400, "Snapshot " + snap->name + " is " + snap->state));
        auto s = store_.modify_snapshot(snap->id, [](snapshot_record& r) {
            r.state = "active";
            r.updated_at = iso_time();
        });
        if (!s) co_return co_await send(ex, not_found(segs[2]));
        co_return co_await send(ex, reply_with(*s));
    }
    if (segs.size() == 4 && method == "POST" && segs[3] == "deactivate") {
        store_.modify_snapshot(snap->id, [](snapshot_record& r) {
            r.state = "inactive";
            r.updated_at = iso_time();
        });
        co_return co_await send(ex, empty_reply(204));
    }
    if (segs.size() == 4 && method == "GET" && segs[3] == "build-logs-url") {
        std::string out;
        json::writer w(out);
        w.begin_object()
            .member("url", origin_of(ex) + "/api/build-logs-stream/snapshot/" + snap->id)
            .end_object();
        co_return co_await send(ex, json_reply(200, std::move(out)));
    }
    co_await send(ex, api_error(ex, 404, "Cannot " + method + " " + std::string(ex.path())));
}

asio::awaitable<void> service::volume_routes(exchange& ex, const segments& segs) {
    const auto& method = ex.request().method;
    const auto reply_with = [&](const volume_record& v) {
        std::string out;
        json::writer w(out);
        write_volume_json(w, v, organization());
        return json_reply(200, std::move(out));
    };
    if (segs.size() == 2 && method == "POST") {
        auto body = co_await read_json<volume_body>(ex, false);
        if (!body) co_return;
        if (!body->name || !valid_resource_name(*body->name))
            co_return co_await send(
                ex, api_error(ex, 400, "name is required and must be a valid name"));
        volume_record v;
        v.id = new_uuid();
        v.name = *body->name;
        v.created_at = v.updated_at = iso_time();
        v.state = "ready";  // a directory is ready at once
        std::string why;
        auto reply = reply_with(v);
        if (!store_.insert_volume(std::move(v), &why))
            co_return co_await send(
                ex,
                api_error(ex, why.find("already exists") != std::string::npos ? 409 : 500, why));
        co_return co_await send(ex, std::move(reply));
    }
    if (segs.size() == 2 && method == "GET") {
        std::string out;
        json::writer w(out);
        w.begin_array();
        for (const auto& v : store_.volumes())
            write_volume_json(w, v, organization());
        w.end_array();
        co_return co_await send(ex, json_reply(200, std::move(out)));
    }
    if (segs.size() == 4 && segs[2] == "by-name" && method == "GET") {
        auto v = store_.find_volume(segs[3]);
        if (!v || v->name != segs[3])
            co_return co_await send(
                ex, api_error(ex, 404, "Volume with name " + segs[3] + " not found"));
        co_return co_await send(ex, reply_with(*v));
    }
    if (segs.size() != 3)
        co_return co_await send(
            ex, api_error(ex, 404, "Cannot " + method + " " + std::string(ex.path())));
    auto v = store_.find_volume(segs[2]);
    if (!v || v->id != segs[2])
        co_return co_await send(ex, api_error(ex, 404, "Volume " + segs[2] + " not found"));
    if (method == "GET") co_return co_await send(ex, reply_with(*v));
    if (method == "DELETE") {
        for (const auto& r : store_.all())
            for (const auto& m : r.info.volumes)
                if (m.volume_id == v->id)
                    co_return co_await send(
                        ex, api_error(ex, 409,
                                      "Volume " + v->name + " is in use by sandbox " + r.info.id));
        store_.erase_volume(v->id);
        co_return co_await send(ex, empty_reply(200));
    }
    co_await send(ex, api_error(ex, 404, "Cannot " + method + " " + std::string(ex.path())));
}

}  // namespace daytona::emulator
