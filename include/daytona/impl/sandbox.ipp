// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of sandbox.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_SANDBOX_IPP
#define DAYTONA_IMPL_SANDBOX_IPP

#include "daytona/api/snapshots.hpp"
#include "daytona/polling.hpp"
#include "daytona/sandbox.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

DAYTONA_BEGIN_NAMESPACE

asio::awaitable<result<void>> sandbox::refresh_impl(state_ptr c, data_ptr d, request_options ro) {
    if (auto e = c->check("get_sandbox")) co_return std::move(*e);
    auto info = co_await api::get_sandbox(c->api_channel(), d->info.id, ro);
    if (!info) co_return std::move(info).error();
    d->update(std::move(*info));
    co_return result<void>{};
}

asio::awaitable<result<void>> sandbox::update_impl(state_ptr c, data_ptr d, std::string_view name,
                                                   asio::awaitable<result<sandbox_info>> op) {
    if (auto e = c->check(name)) co_return std::move(*e);
    auto info = co_await std::move(op);
    if (!info) co_return std::move(info).error();
    d->update(std::move(*info));
    co_return result<void>{};
}

asio::awaitable<result<void>> sandbox::interval_impl(state_ptr c, data_ptr d,
                                                     const api::operation& op, int minutes,
                                                     request_options ro) {
    if (minutes < 0 && &op != &api::ops::set_autodelete_interval)
        co_return error(make_error_code(errc::invalid_argument),
                        error_info{.message = "interval must not be negative",
                                   .operation = std::string(op.name)});
    auto call = api::set_interval(c->api_channel(), op, d->info.id, minutes, ro);
    co_return co_await update_impl(c, d, op.name, std::move(call));
}

asio::awaitable<result<void>> sandbox::labels_impl(state_ptr c, data_ptr d,
                                                   std::map<std::string, std::string> labels,
                                                   request_options ro) {
    if (auto e = c->check("replace_labels")) co_return std::move(*e);
    const sandbox_labels body{std::move(labels)};
    auto r = co_await api::replace_labels(c->api_channel(), d->info.id, body, ro);
    if (!r) co_return std::move(r).error();
    d->info.labels = std::move(r->labels);
    co_return result<void>{};
}

bool sandbox::reached(sandbox_goal goal, sandbox_state s) {
    switch (goal) {
        case sandbox_goal::started:
            return s == sandbox_state::started;
        case sandbox_goal::stopped:
            return s == sandbox_state::stopped || s == sandbox_state::destroyed;
        case sandbox_goal::archived:
            return s == sandbox_state::archived;
        case sandbox_goal::destroyed:
            return s == sandbox_state::destroyed;
        case sandbox_goal::settled:
            return !is_transitional(s);
        case sandbox_goal::paused:
            return s != sandbox_state::pausing;
    }
    return false;
}

bool sandbox::failed(sandbox_goal goal, sandbox_state s) {
    if (goal == sandbox_goal::settled || goal == sandbox_goal::destroyed) return false;
    return is_failure_state(s);
}

error sandbox::failure_error(const sandbox_info& info, std::string_view operation) {
    const std::string reason = info.error_reason.value_or("");
    return error(make_error_code(errc::sandbox_failed),
                 error_info{.message = "sandbox " + info.id + " is " + info.state_name +
                                       (reason.empty() ? "" : ": " + reason),
                            .operation = std::string(operation),
                            .reason = reason});
}

asio::awaitable<result<void>> sandbox::wait_impl(state_ptr c, data_ptr d, sandbox_goal goal,
                                                 std::chrono::milliseconds timeout,
                                                 std::string_view operation) {
    if (auto e = c->check(operation)) co_return std::move(*e);
    if (timeout.count() < 0)
        co_return error(make_error_code(errc::invalid_argument),
                        error_info{.message = "timeout must not be negative",
                                   .operation = std::string(operation)});
    detail::poll_schedule schedule(c->options.polling, timeout);
    // Deleting and stopping tolerate transient refresh failures (a 502 while the sandbox
    // goes away), as the official SDKs do.
    const bool tolerant = goal == sandbox_goal::destroyed || goal == sandbox_goal::stopped;
    auto watch = c->events->watch_entity(d->info.id);
    std::string pushed;  // the DTO an event brought, which saves a request
    for (bool first = true;; first = false) {
        if (!first) {
            const bool last = schedule.expired();
            if (!pushed.empty()) {
                auto info = json::decode<sandbox_info>(pushed, "sandbox");
                if (info && info->id == d->info.id)
                    d->update(std::move(*info));
                else
                    pushed.clear();
            }
            result<void> r;
            if (pushed.empty()) r = co_await refresh_impl(c, d, request_options{});
            if (!r) {
                if (r.error() == condition::not_found &&
                    (goal == sandbox_goal::destroyed || goal == sandbox_goal::stopped)) {
                    d->info.state = sandbox_state::destroyed;
                    d->info.state_name = "destroyed";
                    co_return result<void>{};
                }
                const bool transient = r.error() == condition::unavailable ||
                                       r.error() == condition::server_error ||
                                       r.error() == condition::timeout;
                if (!(tolerant && transient))
                    co_return std::move(r).error().with_operation(operation);
            }
            if (reached(goal, d->info.state)) co_return result<void>{};
            if (failed(goal, d->info.state)) co_return failure_error(d->info, operation);
            if (last)
                co_return detail::wait_timed_out(operation,
                                                 "sandbox " + d->info.id + " still " +
                                                     d->info.state_name + " (waiting for " +
                                                     std::string(goal_name(goal)) + ")",
                                                 timeout);
        } else {
            if (reached(goal, d->info.state)) co_return result<void>{};
            if (failed(goal, d->info.state)) co_return failure_error(d->info, operation);
        }
        if (schedule.expired()) {  // one last refresh, then report
            pushed.clear();
            continue;
        }
        auto p = co_await detail::pause_for_change(watch.get(), schedule, operation);
        if (!p) co_return std::move(p).error();
        pushed = std::move(*p);
    }
}

asio::awaitable<result<void>> sandbox::lifecycle_impl(state_ptr c, data_ptr d, lifecycle what,
                                                      std::chrono::milliseconds timeout,
                                                      bool force) {
    static constexpr std::string_view names[] = {"start_sandbox", "stop_sandbox", "archive_sandbox",
                                                 "recover_sandbox", "pause_sandbox"};
    const auto name = names[static_cast<int>(what)];
    if (auto e = c->check(name)) co_return std::move(*e);
    if (timeout.count() < 0)
        co_return error(
            make_error_code(errc::invalid_argument),
            error_info{.message = "timeout must not be negative", .operation = std::string(name)});
    detail::poll_schedule clock(c->options.polling, timeout);
    // The request gets the whole timeout, the wait what is left of it (as the official SDKs).
    request_options ro;
    if (timeout.count() > 0) ro.timeout = timeout;
    auto call =
        what == lifecycle::start     ? api::start_sandbox(c->api_channel(), d->info.id, ro)
        : what == lifecycle::stop    ? api::stop_sandbox(c->api_channel(), d->info.id, force, ro)
        : what == lifecycle::archive ? api::archive_sandbox(c->api_channel(), d->info.id, ro)
        : what == lifecycle::pause   ? api::pause_sandbox(c->api_channel(), d->info.id, ro)
                                     : api::recover_sandbox(c->api_channel(), d->info.id, ro);
    auto info = co_await std::move(call);
    if (!info) co_return std::move(info).error();
    d->update(std::move(*info));
    const auto goal = what == lifecycle::stop      ? sandbox_goal::stopped
                      : what == lifecycle::archive ? sandbox_goal::archived
                      : what == lifecycle::pause   ? sandbox_goal::paused
                                                   : sandbox_goal::started;
    co_return co_await wait_impl(c, d, goal, clock.left(), name);
}

asio::awaitable<result<void>> sandbox::resize_impl(state_ptr c, data_ptr d, resize_params r,
                                                   std::chrono::milliseconds timeout) {
    if (auto e = c->check("resize_sandbox")) co_return std::move(*e);
    if (auto v = check_resize(d->info, r); !v) co_return v;
    detail::poll_schedule clock(c->options.polling, timeout);
    request_options ro;
    if (timeout.count() > 0) ro.timeout = timeout;
    auto info = co_await api::resize_sandbox(c->api_channel(), d->info.id, r, ro);
    if (!info) co_return std::move(info).error();
    d->update(std::move(*info));
    co_return co_await wait_impl(c, d, sandbox_goal::settled, clock.left(), "resize_sandbox");
}

result<void> sandbox::check_resize(const sandbox_info& s, const resize_params& r) {
    auto bad = [](std::string why) {
        return error(make_error_code(errc::invalid_argument),
                     error_info{.message = std::move(why), .operation = "resize_sandbox"});
    };
    if (r.gpu) return bad("the GPU cannot be resized");
    if (!r.cpu && !r.memory_gib && !r.disk_gib)
        return bad("give at least one of cpu, memory_gib and disk_gib");
    for (auto v : {r.cpu, r.memory_gib, r.disk_gib})
        if (v && *v <= 0) return bad("resources must be positive");
    if (r.disk_gib && *r.disk_gib < s.disk) return bad("the disk cannot shrink");
    if (s.state == sandbox_state::started) {
        if ((r.cpu && *r.cpu < s.cpu) || (r.memory_gib && *r.memory_gib < s.memory))
            return bad("a started sandbox can only grow CPU and memory; stop it first");
        if (r.disk_gib && *r.disk_gib != s.disk)
            return bad("the disk can only be resized while the sandbox is stopped");
    } else if (s.state != sandbox_state::stopped) {
        return bad("a sandbox can be resized only when started or stopped, not " + s.state_name);
    }
    return {};
}

asio::awaitable<result<void>> sandbox::destroy_impl(state_ptr c, data_ptr d, request_options ro,
                                                    std::optional<std::chrono::milliseconds> wait) {
    if (auto e = c->check("delete_sandbox")) co_return std::move(*e);
    if (wait && wait->count() > 0 && !ro.timeout) ro.timeout = *wait;
    detail::poll_schedule clock(c->options.polling, wait.value_or(std::chrono::milliseconds(0)));
    auto r = co_await api::delete_sandbox(c->api_channel(), d->info.id, ro);
    if (!r) co_return r;
    if (!wait) {
        d->info.state = sandbox_state::destroying;
        d->info.state_name = "destroying";
        co_return r;
    }
    co_return co_await wait_impl(c, d, sandbox_goal::destroyed, clock.left(), "delete_sandbox");
}

asio::awaitable<result<void>> sandbox::build_logs_impl(state_ptr c, data_ptr d,
                                                       log_callback on_line) {
    if (auto e = c->check("get_build_logs_url")) co_return std::move(*e);
    auto url = co_await api::get_build_logs_url(c->api_channel(), d->info.id);
    if (!url) co_return std::move(url).error();
    auto sink = std::make_shared<detail::line_sink>(std::move(on_line));
    auto stream = detail::stream_build_log(c->transport, std::move(url->url), sink);
    auto watch = watch_build(c, d, sink);
    auto raced = detail::first_of(std::move(stream), std::move(watch));
    auto outcome = co_await std::move(raced);
    if (outcome.index() == 0) co_return std::move(std::get<0>(outcome));
    co_return std::move(std::get<1>(outcome));
}

asio::awaitable<result<void>> sandbox::watch_build(state_ptr c, data_ptr d,
                                                   std::shared_ptr<detail::line_sink> sink) {
    constexpr auto idle = std::chrono::seconds(2);
    int settled = 0;
    for (;;) {
        auto p = co_await detail::pause(idle, "build_logs");
        if (!p) co_return p;
        if (std::chrono::steady_clock::now() - sink->last_data() < idle) {
            settled = 0;
            continue;
        }
        auto r = co_await refresh_impl(c, d, request_options{});
        if (!r) co_return r;
        const auto s = d->info.state;
        const bool past_build =
            s == sandbox_state::started || s == sandbox_state::starting || is_failure_state(s);
        settled = past_build ? settled + 1 : 0;
        if (settled >= 2) co_return result<void>{};
    }
}

asio::awaitable<result<sandbox>> sandbox::fork_impl(state_ptr c, data_ptr d, std::string name,
                                                    std::chrono::milliseconds timeout) {
    if (auto e = c->check("fork_sandbox")) co_return std::move(*e);
    detail::poll_schedule clock(c->options.polling, timeout);
    fork_request body;
    if (!name.empty()) body.name = std::move(name);
    request_options ro;
    if (timeout.count() > 0) ro.timeout = timeout;
    auto info = co_await api::fork_sandbox(c->api_channel(), d->info.id, body, ro);
    if (!info) co_return std::move(info).error();
    sandbox child(c, std::move(*info));
    auto w =
        co_await wait_impl(c, child.data_, sandbox_goal::started, clock.left(), "fork_sandbox");
    if (!w) co_return std::move(w).error();
    co_return child;
}

asio::awaitable<result<snapshot_info>> sandbox::snapshot_impl(state_ptr c, data_ptr d,
                                                              std::string snapshot_name,
                                                              std::chrono::milliseconds timeout) {
    if (auto e = c->check("snapshot_sandbox")) co_return std::move(*e);
    if (snapshot_name.empty())
        co_return error(
            make_error_code(errc::invalid_argument),
            error_info{.message = "a snapshot needs a name", .operation = "snapshot_sandbox"});
    detail::poll_schedule clock(c->options.polling, timeout);
    const sandbox_snapshot_request body{.name = snapshot_name};
    request_options ro;
    if (timeout.count() > 0) ro.timeout = timeout;
    auto info = co_await api::snapshot_sandbox(c->api_channel(), d->info.id, body, ro);
    if (!info) co_return std::move(info).error();
    d->update(std::move(*info));
    auto w = co_await wait_impl(c, d, sandbox_goal::settled, clock.left(), "snapshot_sandbox");
    if (!w) co_return std::move(w).error();
    co_return co_await api::get_snapshot(c->api_channel(), snapshot_name);
}

asio::awaitable<result<std::vector<sandbox>>> sandbox::family_impl(
    state_ptr c, asio::awaitable<result<std::vector<sandbox_info>>> op) {
    if (auto e = c->check("get_sandbox_forks")) co_return std::move(*e);
    auto infos = co_await std::move(op);
    if (!infos) co_return std::move(infos).error();
    std::vector<sandbox> out;
    out.reserve(infos->size());
    for (auto& i : *infos)
        out.push_back(sandbox(c, std::move(i)));
    co_return out;
}

asio::awaitable<result<sandbox>> sandbox::parent_impl(state_ptr c,
                                                      asio::awaitable<result<sandbox_info>> op) {
    if (auto e = c->check("get_sandbox_parent")) co_return std::move(*e);
    auto info = co_await std::move(op);
    if (!info) co_return std::move(info).error();
    co_return sandbox(c, std::move(*info));
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_SANDBOX_IPP
