// SPDX-License-Identifier: Apache-2.0
// /api/volumes. A volume is a directory under --data-dir, bind-mounted (or symlinked, without
// namespaces) at its mount path in each sandbox using it.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/codec/volume.hpp>

namespace daytona::emulator {

namespace volumes_impl {

class volumes {
public:
    explicit volumes(context& ctx) : ctx_(ctx) {}

    asio::awaitable<void> create(call& c) {
        auto& ex = c.ex;
        auto body = co_await read_json<create_volume_request>(ex, false);
        if (!body) co_return;
        if (!valid_resource_name(body->name))
            co_return co_await send(
                ex, api_error(ex, 400, "name is required and must be a valid name"));
        volume_record v;
        v.info.id = new_uuid();
        v.info.name = std::move(body->name);
        v.info.organization_id = organization_id;
        // Daytona answers pending_create and provisions the volume in the background. A
        // directory is ready at once, so without a state delay the answer is `ready`.
        const auto delay = dwell(ctx_.opts, to_string(volume_state::pending_create));
        set_state(v.info, delay.count() > 0 ? volume_state::pending_create : volume_state::ready);
        v.info.created_at = v.info.updated_at;
        std::string why;
        const auto id = v.info.id;
        auto answer = encoded_reply(v.info);
        if (!ctx_.records.insert_volume(std::move(v), &why))
            co_return co_await send(
                ex,
                api_error(ex, why.find("already exists") != std::string::npos ? 409 : 500, why));
        if (delay.count() > 0)
            asio::co_spawn(ex.stream().get_executor(), become_ready(id, delay), asio::detached);
        co_await send(ex, std::move(answer));
    }

    asio::awaitable<void> list(call& c) {
        std::vector<volume_info> all;
        for (auto& v : ctx_.records.volumes())
            all.push_back(std::move(v.info));
        co_await send(c.ex, encoded_reply(all));
    }

    asio::awaitable<void> get_by_name(call& c) {
        const auto& name = c.param("name");
        auto v = ctx_.records.find_volume(name);
        if (!v || v->info.name != name)
            co_return co_await send(
                c.ex, api_error(c.ex, 404, "Volume with name " + name + " not found"));
        co_await send(c.ex, encoded_reply(v->info));
    }

    asio::awaitable<void> get(call& c) {
        auto v = co_await find(c);
        if (v) co_await send(c.ex, encoded_reply(v->info));
    }

    asio::awaitable<void> remove(call& c) {
        auto v = co_await find(c);
        if (!v) co_return;
        if (v->info.state != volume_state::ready && v->info.state != volume_state::error)
            co_return co_await send(
                c.ex,
                api_error(c.ex, 400,
                          "Volume must be in 'ready' or 'error' state in order to be deleted"));
        for (const auto& r : ctx_.records.all())
            for (const auto& m : r.info.volumes)
                if (m.volume_id == v->info.id)
                    co_return co_await send(
                        c.ex,
                        api_error(c.ex, 409,
                                  "Volume " + v->info.name + " is in use by sandbox " + r.info.id));
        ctx_.records.erase_volume(v->info.id);
        co_await send(c.ex, empty_reply(200));
    }

private:
    /// pending_create -> ready after `delay` (unless the volume is deleted meanwhile).
    asio::awaitable<void> become_ready(std::string id, std::chrono::milliseconds delay) {
        asio::steady_timer timer(co_await asio::this_coro::executor);
        timer.expires_after(delay);
        std::error_code ec;
        co_await timer.async_wait(net::redirect(ec));
        if (ec) co_return;
        ctx_.records.modify_volume(id, [](volume_info& v) { set_state(v, volume_state::ready); });
    }

    /// The volume the path names by id; nullopt after answering 404.
    asio::awaitable<std::optional<volume_record>> find(call& c) {
        const auto& id = c.param("volumeId");
        auto v = ctx_.records.find_volume(id);
        if (v && v->info.id == id) co_return v;
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
