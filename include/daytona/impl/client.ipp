// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of client.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_CLIENT_IPP
#define DAYTONA_IMPL_CLIENT_IPP

#include "daytona/build_context.hpp"
#include "daytona/client.hpp"
#include "daytona/polling.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

asio::awaitable<result<sandbox>> client::create_impl(state_ptr s, create_params params,
                                                     log_callback on_build_log,
                                                     request_options ro) {
    // Checked (the image too) and hashed before anything is sent.
    auto body = api::to_request(params, s->options.target);
    if (!body) co_return std::move(body).error();
    detail::poll_schedule clock(s->options.polling, params.wait_timeout);
    if (params.build && !params.build->context().empty()) {
        auto upload = detail::upload_build_context(
            s, params.build->context(), *body->build_info->context_hashes, "create_sandbox");
        auto up = co_await std::move(upload);
        if (!up) co_return std::move(up).error();
    }
    if (!ro.timeout && params.wait_timeout.count() > 0) ro.timeout = clock.left();
    auto info = co_await api::create_sandbox(s->api_channel(), *body, ro);
    if (!info) co_return std::move(info).error();
    sandbox sb(s, std::move(*info));
    // An image build: its log goes to the callback, and its last lines are kept for the
    // error if it fails.
    auto tail = std::make_shared<detail::log_tail>();
    if (body->build_info && (sb.state() == sandbox_state::pending_build ||
                             sb.state() == sandbox_state::building_snapshot)) {
        // The log exists once the build begins: wait out pending_build first, then follow
        // the log until the build is over (all of it, even when the build was quick).
        detail::poll_schedule pending(s->options.polling, clock.left());
        while (sb.state() == sandbox_state::pending_build && !clock.expired()) {
            auto p = co_await detail::pause(pending.next_pause(), "create_sandbox");
            if (!p) co_return std::move(p).error();
            auto r = co_await sb.refresh();
            if (!r) co_return std::move(r).error().with_operation("create_sandbox");
        }
        if (sb.state() != sandbox_state::pending_build) {
            // Followed for what is left of the wait at most (a stuck build does not hang).
            auto follow = sb.build_logs(detail::log_tail::tee(tail, std::move(on_build_log)));
            result<void> logs;
            if (params.wait_timeout.count() > 0) {
                auto limit = detail::pause(clock.left(), "create_sandbox");
                auto raced = detail::first_of(std::move(follow), std::move(limit));
                auto either = co_await std::move(raced);
                if (either.index() == 0) logs = std::get<0>(std::move(either));
            } else {
                logs = co_await std::move(follow);
            }
            if (!logs) co_return std::move(logs).error().with_operation("create_sandbox");
        }
    }
    auto w = co_await sb.wait_until(sandbox_goal::started, clock.left());
    if (!w && sb.state() == sandbox_state::build_failed)
        co_return tail->failure("sandbox " + sb.id(), sb.info().error_reason.value_or(""),
                                "create_sandbox");
    if (!w) co_return std::move(w).error().with_operation("create_sandbox");
    co_return sb;
}

asio::awaitable<result<sandbox>> client::get_impl(state_ptr s, std::string id, request_options ro) {
    auto info = co_await api::get_sandbox(s->api_channel(), id, ro);
    if (!info) co_return std::move(info).error();
    co_return sandbox(s, std::move(*info));
}

asio::awaitable<result<sandbox>> client::get_or_create_impl(state_ptr s, create_params params,
                                                            request_options ro) {
    if (!params.name || params.name->empty())
        co_return error(
            make_error_code(errc::invalid_argument),
            error_info{.message = "get_or_create needs params.name", .operation = "get_or_create"});
    const auto timeout = params.wait_timeout;
    for (int attempt = 0;; ++attempt) {
        auto found = co_await get_impl(s, *params.name, ro);
        if (!found && found.error() == condition::not_found) {
            auto made = co_await create_impl(s, params, log_callback{}, ro);
            // Lost a race with another creator of the same name: take theirs.
            if (!made && made.error() == condition::conflict && attempt == 0) continue;
            co_return made;
        }
        if (!found) co_return found;
        sandbox sb = std::move(*found);
        auto ready = co_await ensure_started(sb, timeout);
        if (!ready) co_return std::move(ready).error().with_operation("get_or_create");
        co_return sb;
    }
}

asio::awaitable<result<void>> client::ensure_started(const sandbox& sb,
                                                     std::chrono::milliseconds timeout) {
    if (is_transitional(sb.state())) {
        auto w = co_await sb.wait_until(sandbox_goal::settled, timeout);
        if (!w) co_return w;
    }
    switch (sb.state()) {
        case sandbox_state::started:
            co_return result<void>{};
        case sandbox_state::stopped:
        case sandbox_state::archived:
        case sandbox_state::paused:
            co_return co_await sb.start(timeout);
        case sandbox_state::error:
            if (sb.info().recoverable.value_or(false)) co_return co_await sb.recover(timeout);
            break;
        default:
            break;
    }
    co_return error(make_error_code(errc::sandbox_failed),
                    error_info{.message = "sandbox " + sb.id() + " is " + sb.info().state_name +
                                          " and cannot be started",
                               .operation = "get_or_create",
                               .reason = sb.info().error_reason.value_or("")});
}

asio::awaitable<result<sandbox_page>> client::list_impl(state_ptr s, list_params params,
                                                        request_options ro) {
    auto page = co_await api::list_sandboxes(s->api_channel(), params, ro);
    if (!page) co_return std::move(page).error();
    sandbox_page out;
    out.next_cursor = std::move(page->next_cursor);
    out.items.reserve(page->items.size());
    for (auto& info : page->items)
        out.items.push_back(sandbox(s, std::move(info)));
    co_return out;
}

asio::awaitable<result<std::vector<sandbox>>> client::list_all_impl(state_ptr s, list_params params,
                                                                    request_options ro) {
    std::vector<sandbox> all;
    for (;;) {
        auto page = co_await list_impl(s, params, ro);
        if (!page) co_return std::move(page).error();
        for (auto& sb : page->items)
            all.push_back(std::move(sb));
        if (page->next_cursor.empty() || page->next_cursor == params.cursor) break;
        params.cursor = std::move(page->next_cursor);
    }
    co_return all;
}

asio::awaitable<result<sandbox>> client::find_impl(state_ptr s,
                                                   std::map<std::string, std::string> labels,
                                                   request_options ro) {
    list_params params;
    params.labels = std::move(labels);
    params.limit = 1;
    auto page = co_await list_impl(s, std::move(params), ro);
    if (!page) co_return std::move(page).error();
    if (page->items.empty())
        co_return error(
            make_error_code(errc::not_found),
            error_info{.message = "no sandbox carries these labels", .operation = "find"});
    co_return std::move(page->items.front());
}

asio::awaitable<result<sandbox_page>> sandbox_pager::next_impl(std::shared_ptr<pager_state> s) {
    auto page = co_await client::list_impl(s->client, s->params, {});
    if (!page) co_return std::move(page).error();
    if (page->next_cursor.empty() || page->next_cursor == s->params.cursor) {
        s->more = false;
    } else {
        s->params.cursor = page->next_cursor;
    }
    co_return page;
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_CLIENT_IPP
