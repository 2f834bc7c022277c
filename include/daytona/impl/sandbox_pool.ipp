// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of sandbox_pool.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_SANDBOX_POOL_IPP
#define DAYTONA_IMPL_SANDBOX_POOL_IPP

#include "daytona/sandbox_pool.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

namespace detail {

pool_state::pool_state(client c, pool_options o)
    : cl(std::move(c)), opts(std::move(o)), strand(asio::make_strand(cl.get_executor())) {
    std::random_device rd;
    const auto bits = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    constexpr char hex[] = "0123456789abcdef";
    for (int i = 0; i < 12; ++i)
        id += hex[(bits >> (4 * i)) & 0xf];
    opts.max_sandboxes = std::max<std::size_t>(1, opts.max_sandboxes);
    opts.sandbox.labels["daytona-pool"] = id;
}

}  // namespace detail

sandbox_pool::~sandbox_pool() {
    if (state_ && (!state_->idle.empty() || !state_->doomed.empty()))
        asio::co_spawn(state_->strand, close_impl(state_), asio::detached);
}

asio::awaitable<result<void>> sandbox_pool::close() {
    return asio::co_spawn(state_->strand, close_impl(state_), asio::use_awaitable);
}

asio::awaitable<result<sandbox>> sandbox_pool::create_sandbox(state_ptr pool) {
    // Refused before any request: a name would make every creation after the first a 409.
    if (pool->opts.sandbox.name)
        co_return error(make_error_code(errc::invalid_argument),
                        error_info{.message = "pool_options::sandbox.name must be unset (names "
                                              "are unique; the pool makes many sandboxes)",
                                   .operation = "sandbox_pool.create"});
    result<sandbox> made = error(make_error_code(errc::invalid_argument),
                                 "pool_options::create_attempts must be at least 1");
    for (int attempt = 0; attempt < pool->opts.create_attempts; ++attempt) {
        if (attempt > 0) {
            // The client retried already; wait out any Retry-After before the next try.
            const auto until = pool->cl.throttling().until;
            auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
                until - std::chrono::steady_clock::now());
            wait = std::max(wait, std::chrono::milliseconds(200 * attempt));
            auto p = co_await detail::pause(wait, "sandbox_pool.create");
            if (!p) co_return std::move(p).error();
        }
        auto create = pool->cl.create(pool->opts.sandbox);
        made = co_await std::move(create);
        if (made) {
            ++pool->stats.sandboxes_created;
            pool->alive.insert(made->id());
            pool->stats.held = pool->alive.size();
            co_return made;
        }
        ++pool->stats.sandbox_errors;
        if (made.error() == errc::invalid_argument || made.error() == errc::cancelled) break;
    }
    co_return made;
}

asio::awaitable<result<void>> sandbox_pool::destroy_sandbox(state_ptr pool, sandbox sb) {
    if (!pool->alive.count(sb.id())) co_return result<void>{};
    request_options ro;
    auto destroy = sb.destroy(ro);
    auto r = co_await std::move(destroy);
    // Gone already is as good as deleted.
    if (r || r.error() == condition::not_found) {
        if (pool->alive.erase(sb.id())) ++pool->stats.sandboxes_destroyed;
        pool->stats.held = pool->alive.size();
        co_return result<void>{};
    }
    ++pool->stats.sandbox_errors;
    pool->doomed.push_back(std::move(sb));
    co_return r;
}

asio::awaitable<result<void>> sandbox_pool::close_impl(state_ptr pool) {
    auto idle = std::move(pool->idle);
    pool->idle.clear();
    for (auto& sb : pool->doomed)
        idle.push_back(std::move(sb));
    pool->doomed.clear();
    result<void> first{};
    for (auto& sb : idle) {
        auto gone = destroy_sandbox(pool, sb);
        auto r = co_await std::move(gone);
        if (!r && first) first = std::move(r);
    }
    // A creation that failed after the server made the sandbox (it ended in `error`, or
    // its wait timed out) left one the pool never held: find those by the pool's label.
    list_params mine;
    mine.labels = {{"daytona-pool", pool->id}};
    request_options ro;
    auto listing = pool->cl.list_all(std::move(mine), ro);
    auto left = co_await std::move(listing);
    if (!left) {
        if (first) first = std::move(left).error();
        co_return first;
    }
    for (auto& sb : *left) {
        if (sb.state() == sandbox_state::destroyed || sb.state() == sandbox_state::destroying)
            continue;
        pool->alive.insert(sb.id());
        auto gone = destroy_sandbox(pool, sb);
        auto r = co_await std::move(gone);
        if (!r && first) first = std::move(r);
    }
    pool->stats.held = pool->alive.size();
    co_return first;
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_SANDBOX_POOL_IPP
