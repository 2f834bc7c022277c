// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of volumes.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_VOLUMES_IPP
#define DAYTONA_IMPL_VOLUMES_IPP

#include "daytona/polling.hpp"
#include "daytona/volumes.hpp"

#include <chrono>
#include <string>

DAYTONA_BEGIN_NAMESPACE

asio::awaitable<result<volume_info>> volume_service::create_impl(
    state_ptr s, std::string name, std::chrono::milliseconds timeout) {
    if (name.empty())
        co_return error(
            make_error_code(errc::invalid_argument),
            error_info{.message = "a volume needs a name", .operation = "create_volume"});
    detail::poll_schedule schedule(s->options.polling, timeout);
    // Watched by name from before the request, so that no state change is missed: the wait
    // resumes on the event channel's volume.state.updated (polling once a second as a safety
    // net), or polls where the channel is off.
    auto watch = s->events->watch_entity(name);
    const create_volume_request body{.name = name};
    auto v = co_await api::create_volume(s->api_channel(), body);
    if (!v) co_return std::move(v).error();
    while (v->state != volume_state::ready) {
        if (v->state == volume_state::error)
            co_return error(
                make_error_code(errc::sandbox_failed),
                error_info{.message = "volume " + v->name + " is in error" +
                                      (v->error_reason ? ": " + *v->error_reason : std::string()),
                           .operation = "create_volume",
                           .reason = v->error_reason.value_or("")});
        if (schedule.expired())
            co_return detail::wait_timed_out(
                "create_volume", "volume " + v->name + " still " + v->state_name, timeout);
        auto p = co_await detail::pause_for_change(watch.get(), schedule, "create_volume");
        if (!p) co_return std::move(p).error();
        if (!p->empty()) {  // the event's DTO saves a request
            auto pushed = json::decode<volume_info>(*p, "volume");
            if (pushed && pushed->id == v->id) {
                v = std::move(pushed);
                continue;
            }
        }
        const std::string id = v->id;
        v = co_await api::get_volume(s->api_channel(), id);
        if (!v) co_return std::move(v).error().with_operation("create_volume");
    }
    co_return v;
}

asio::awaitable<result<volume_info>> volume_service::get_or_create_impl(
    state_ptr s, std::string name, std::chrono::milliseconds timeout) {
    auto found = co_await api::get_volume_by_name(s->api_channel(), name);
    if (found || found.error() != condition::not_found) co_return found;
    auto made = co_await create_impl(s, name, timeout);
    if (!made && made.error() == condition::conflict)  // created meanwhile by someone else
        co_return co_await api::get_volume_by_name(s->api_channel(), name);
    co_return made;
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_VOLUMES_IPP
