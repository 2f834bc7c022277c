// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of snapshots.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_SNAPSHOTS_IPP
#define DAYTONA_IMPL_SNAPSHOTS_IPP

#include "daytona/build_context.hpp"
#include "daytona/polling.hpp"
#include "daytona/snapshots.hpp"

#include <chrono>
#include <memory>
#include <string>

DAYTONA_BEGIN_NAMESPACE

asio::awaitable<result<snapshot_info>> snapshot_service::create(std::string name, image img,
                                                                log_callback on_log) const {
    snapshot_params p;
    p.name = std::move(name);
    p.build = std::move(img);
    return create_impl(state_, std::move(p), std::move(on_log));
}

asio::awaitable<result<snapshot_info>> snapshot_service::create_impl(state_ptr s,
                                                                     snapshot_params params,
                                                                     log_callback on_log) {
    auto body = api::to_request(params, s->options.target);
    if (!body) co_return std::move(body).error();
    if (params.build && !params.build->context().empty()) {
        auto upload = detail::upload_build_context(
            s, params.build->context(), *body->build_info->context_hashes, "create_snapshot");
        auto up = co_await std::move(upload);
        if (!up) co_return std::move(up).error();
    }
    request_options ro;
    if (params.wait_timeout.count() > 0) ro.timeout = params.wait_timeout;
    auto made = co_await api::create_snapshot(s->api_channel(), *body, ro);
    if (!made) co_return std::move(made).error();
    co_return co_await wait_impl(s, made->name, params.wait_timeout, std::move(on_log));
}

error snapshot_service::failed(const snapshot_info& snap, std::string_view operation) {
    const std::string reason = snap.error_reason.value_or("");
    return error(make_error_code(errc::sandbox_failed),
                 error_info{.message = "snapshot " + snap.name + " is " + snap.state_name +
                                       (reason.empty() ? "" : ": " + reason),
                            .operation = std::string(operation),
                            .reason = reason});
}

asio::awaitable<result<snapshot_info>> snapshot_service::wait_impl(
    state_ptr s, std::string name, std::chrono::milliseconds timeout, log_callback on_log) {
    polling_options every_second = s->options.polling;
    every_second.initial_interval = every_second.max_interval = std::chrono::seconds(1);
    detail::poll_schedule schedule(every_second, timeout);
    std::string last_state;
    bool followed = false;
    auto watch = s->events->watch_entity(name);
    std::string pushed;  // the DTO an event brought, which saves a request
    // A build's last log lines, for the error if it fails.
    auto tail = std::make_shared<detail::log_tail>();
    for (;;) {
        result<snapshot_info> snap = error(make_error_code(errc::invalid_argument));
        if (!pushed.empty()) snap = json::decode<snapshot_info>(pushed, "snapshot");
        if (pushed.empty() || !snap || snap->name != name)
            snap = co_await api::get_snapshot(s->api_channel(), name);
        pushed.clear();
        if (!snap) co_return std::move(snap).error().with_operation("wait_until_active");
        if (on_log && snap->state_name != last_state)
            on_log("Creating snapshot " + snap->name + " (" + snap->state_name + ")");
        last_state = snap->state_name;
        // A Dockerfile build has a log once it leaves `pending`: follow it to its end (all
        // of it, even when the build was already over).
        if (!followed && snap->build_info && snap->state != snapshot_state::pending) {
            followed = true;
            auto url = co_await api::get_snapshot_build_logs_url(s->api_channel(), snap->id);
            if (url) {
                auto sink =
                    std::make_shared<detail::line_sink>(detail::log_tail::tee(tail, on_log));
                auto stream = detail::stream_build_log(s->transport, std::move(url->url), sink);
                auto limit = detail::pause(schedule.left(), "wait_until_active");
                if (timeout.count() > 0) {
                    auto raced = detail::first_of(std::move(stream), std::move(limit));
                    (void)co_await std::move(raced);
                } else {
                    (void)co_await std::move(stream);
                }
            }
            continue;
        }
        if (snap->state == snapshot_state::active) co_return std::move(*snap);
        if (snap->state == snapshot_state::build_failed && snap->build_info)
            co_return tail->failure("snapshot " + snap->name, snap->error_reason.value_or(""),
                                    "wait_until_active");
        if (snap->state == snapshot_state::error || snap->state == snapshot_state::build_failed)
            co_return failed(*snap, "wait_until_active");
        if (schedule.expired())
            co_return detail::wait_timed_out("wait_until_active",
                                             "snapshot " + name + " still " + last_state, timeout);
        auto p = co_await detail::pause_for_change(watch.get(), schedule, "wait_until_active");
        if (!p) co_return std::move(p).error();
        pushed = std::move(*p);
    }
}

asio::awaitable<result<void>> snapshot_service::destroy_impl(state_ptr s, std::string id_or_name,
                                                             request_options ro) {
    auto snap = co_await api::get_snapshot(s->api_channel(), id_or_name, ro);
    if (!snap) co_return std::move(snap).error().with_operation("delete_snapshot");
    co_return co_await api::delete_snapshot(s->api_channel(), snap->id, ro);
}

asio::awaitable<result<snapshot_info>> snapshot_service::activate_impl(state_ptr s,
                                                                       std::string id_or_name,
                                                                       request_options ro) {
    // The path takes an id only: a name is resolved first (an id resolves to itself).
    auto snap = co_await api::get_snapshot(s->api_channel(), id_or_name, ro);
    if (!snap) co_return std::move(snap).error().with_operation("activate_snapshot");
    co_return co_await api::activate_snapshot(s->api_channel(), snap->id, ro);
}

asio::awaitable<result<void>> snapshot_service::deactivate_impl(state_ptr s, std::string id_or_name,
                                                                request_options ro) {
    auto snap = co_await api::get_snapshot(s->api_channel(), id_or_name, ro);
    if (!snap) co_return std::move(snap).error().with_operation("deactivate_snapshot");
    co_return co_await api::deactivate_snapshot(s->api_channel(), snap->id, ro);
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_SNAPSHOTS_IPP
