// SPDX-License-Identifier: Apache-2.0
// /api/volumes. A volume is a directory under --data-dir, bind-mounted (or symlinked, without
// namespaces) at its mount path in each sandbox using it.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/json/reader.hpp>
#include <daytona/json/writer.hpp>

namespace daytona::emulator {

namespace volumes_impl {

struct volume_body {
    std::optional<std::string> name;
};

void decode_value(json::value& v, volume_body& out, json::decoder& d) {
    d.object(v, "object", json::into("name", out.name));
}

reply volume_reply(const volume_record& v) {
    std::string out;
    json::writer w(out);
    write_volume_json(w, v, context::organization());
    return json_reply(200, std::move(out));
}

class volumes {
public:
    explicit volumes(context& ctx) : ctx_(ctx) {}

    asio::awaitable<void> create(call& c) {
        auto& ex = c.ex;
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
        auto answer = volume_reply(v);
        if (!ctx_.records.insert_volume(std::move(v), &why))
            co_return co_await send(
                ex,
                api_error(ex, why.find("already exists") != std::string::npos ? 409 : 500, why));
        co_await send(ex, std::move(answer));
    }

    asio::awaitable<void> list(call& c) {
        std::string out;
        json::writer w(out);
        w.begin_array();
        for (const auto& v : ctx_.records.volumes())
            write_volume_json(w, v, context::organization());
        w.end_array();
        co_await send(c.ex, json_reply(200, std::move(out)));
    }

    asio::awaitable<void> get_by_name(call& c) {
        const auto& name = c.param("name");
        auto v = ctx_.records.find_volume(name);
        if (!v || v->name != name)
            co_return co_await send(
                c.ex, api_error(c.ex, 404, "Volume with name " + name + " not found"));
        co_await send(c.ex, volume_reply(*v));
    }

    asio::awaitable<void> get(call& c) {
        auto v = co_await find(c);
        if (v) co_await send(c.ex, volume_reply(*v));
    }

    asio::awaitable<void> remove(call& c) {
        auto v = co_await find(c);
        if (!v) co_return;
        for (const auto& r : ctx_.records.all())
            for (const auto& m : r.info.volumes)
                if (m.volume_id == v->id)
                    co_return co_await send(
                        c.ex,
                        api_error(c.ex, 409,
                                  "Volume " + v->name + " is in use by sandbox " + r.info.id));
        ctx_.records.erase_volume(v->id);
        co_await send(c.ex, empty_reply(200));
    }

private:
    /// The volume the path names by id; nullopt after answering 404.
    asio::awaitable<std::optional<volume_record>> find(call& c) {
        const auto& id = c.param("volumeId");
        auto v = ctx_.records.find_volume(id);
        if (v && v->id == id) co_return v;
        co_await send(c.ex, api_error(c.ex, 404, "Volume " + id + " not found"));
        co_return std::nullopt;
    }

    context& ctx_;
};

}  // namespace volumes_impl

void add_volume_routes(route_table& table, context& ctx) {
    using volumes_impl::volumes;
    namespace ops = api::ops;
    table.add(std::make_shared<volumes>(ctx), {{ops::list_volumes, &volumes::list},
                                               {ops::create_volume, &volumes::create},
                                               {ops::get_volume_by_name, &volumes::get_by_name},
                                               {ops::get_volume, &volumes::get},
                                               {ops::delete_volume, &volumes::remove}});
}

}  // namespace daytona::emulator
