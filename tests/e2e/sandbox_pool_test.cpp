// SPDX-License-Identifier: Apache-2.0
// The sandbox pool against the emulator: many tasks over few sandboxes, warm reuse and resets,
// per-task time limits, back-off on 429, and no sandbox left behind on any exit path.
#include "test_support.hpp"

#include <daytona/sandbox_pool.hpp>

#include <gtest/gtest.h>
#include <asio/experimental/awaitable_operators.hpp>

#include <map>
#include <set>
#include <stdexcept>

using namespace daytona_test;
using namespace std::chrono_literals;

namespace {

using text_task = asio::awaitable<dt::result<std::string>>;

/// Task i: echo i and report which sandbox ran it ("<i> <sandbox id>").
text_task echo_index(dt::sandbox& sb, std::size_t i) {
    auto r = co_await sb.process().exec("echo " + std::to_string(i));
    if (!r) co_return std::move(r).error();
    std::string out = r->output;
    while (!out.empty() && out.back() == '\n')
        out.pop_back();
    co_return out + " " + sb.id();
}

class SandboxPool : public ::testing::Test {
protected:
    asio::io_context io;

    template <class T>
    T await(asio::awaitable<T> op) {
        return dt::run_sync(io, std::move(op));
    }

    /// The sandboxes carrying the pool's label (none once it cleaned up).
    std::size_t labelled(dt::client& c, const std::string& pool_id) {
        dt::list_params lp;
        lp.labels = {{"daytona-pool", pool_id}};
        auto all = await(c.list_all(std::move(lp)));
        if (!all) throw std::runtime_error(all.error().to_string());
        std::size_t alive = 0;
        for (const auto& sb : *all)
            if (sb.state() != dt::sandbox_state::destroyed &&
                sb.state() != dt::sandbox_state::destroying)
                ++alive;
        return alive;
    }
};

}  // namespace

TEST_F(SandboxPool, RunsManyTasksOverFewSandboxesInTaskOrderAndCleansUp) {
    own_emulator e({.threads = 2});
    dt::client c{io.get_executor(), e.options()};
    std::vector<dt::pool_progress> seen;
    dt::pool_options o{.max_sandboxes = 4};
    o.on_progress = [&](const dt::pool_progress& p) {
        seen.push_back(p);
    };
    dt::sandbox_pool pool(c, std::move(o));

    auto results = await(pool.run(40, echo_index));
    ASSERT_EQ(results.size(), 40u);
    std::map<std::string, int> per_sandbox;
    for (std::size_t i = 0; i < results.size(); ++i) {
        ASSERT_TRUE(results[i]) << i << ": " << results[i].error();
        const auto space = results[i]->find(' ');
        EXPECT_EQ(results[i]->substr(0, space), std::to_string(i));
        ++per_sandbox[results[i]->substr(space + 1)];
    }
    EXPECT_EQ(per_sandbox.size(), 4u) << "each of the four sandboxes is reused";
    EXPECT_EQ(pool.stats().sandboxes_created, 4u);
    EXPECT_EQ(pool.stats().tasks_run, 40u);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().succeeded, 40u);
    EXPECT_EQ(seen.back().total, 40u);
    for (std::size_t i = 1; i < seen.size(); ++i)
        EXPECT_GE(seen[i].done(), seen[i - 1].done());
    for (const auto& p : seen)
        EXPECT_LE(p.running, 4u);

    // A second run reuses the same sandboxes warm.
    auto again = await(pool.run(8, echo_index));
    for (const auto& r : again)
        ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(pool.stats().sandboxes_created, 4u);
    EXPECT_EQ(labelled(c, pool.id()), 4u);

    ASSERT_TRUE(await(pool.close()));
    EXPECT_EQ(pool.stats().held, 0u);
    EXPECT_EQ(pool.stats().sandboxes_destroyed, 4u);
    EXPECT_EQ(labelled(c, pool.id()), 0u);
}

TEST_F(SandboxPool, ResetRunsBetweenTasksOnTheSameSandbox) {
    own_emulator e({.threads = 2});
    dt::client c{io.get_executor(), e.options()};
    int resets = 0;
    dt::pool_options o{.max_sandboxes = 2};
    o.reset = [&resets](dt::sandbox& sb) -> asio::awaitable<dt::result<void>> {
        ++resets;
        auto r = co_await sb.process().exec("rm -f $HOME/dirty");
        if (!r) co_return std::move(r).error();
        co_return dt::result<void>{};
    };
    dt::sandbox_pool pool(c, std::move(o));
    // Each task fails if a previous task's file is still there, then leaves one behind.
    auto results = await(pool.run(10, [](dt::sandbox& sb, std::size_t) -> text_task {
        auto r =
            co_await sb.process().exec("test ! -e $HOME/dirty && touch $HOME/dirty && echo clean");
        if (!r) co_return std::move(r).error();
        co_return r->output;
    }));
    for (const auto& r : results) {
        ASSERT_TRUE(r) << r.error();
        EXPECT_EQ(*r, "clean\n");
    }
    EXPECT_EQ(resets, 10 - 2);
    ASSERT_TRUE(await(pool.close()));
}

TEST_F(SandboxPool, ATaskPastItsTimeLimitFailsAndItsSandboxIsReplaced) {
    own_emulator e({.threads = 2});
    dt::client c{io.get_executor(), e.options()};
    dt::pool_options o{.max_sandboxes = 2, .task_timeout = 1500ms};
    dt::sandbox_pool pool(c, std::move(o));
    auto results = await(pool.run(6, [](dt::sandbox& sb, std::size_t i) -> text_task {
        auto r = co_await sb.process().exec(i == 1 ? "sleep 20" : "echo ok");
        if (!r) co_return std::move(r).error();
        co_return r->output;
    }));
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (i == 1) {
            ASSERT_FALSE(results[i]);
            EXPECT_EQ(results[i].error(), dt::errc::timeout) << results[i].error();
            EXPECT_EQ(results[i].error().operation(), "sandbox_pool.run");
        } else {
            ASSERT_TRUE(results[i]) << i << ": " << results[i].error();
        }
    }
    // The timed-out task's sandbox was deleted at once; the pool holds the others.
    EXPECT_EQ(pool.stats().sandboxes_destroyed, 1u);
    EXPECT_EQ(pool.stats().held, pool.stats().sandboxes_created - 1);
    ASSERT_TRUE(await(pool.close()));
    EXPECT_EQ(labelled(c, pool.id()), 0u);
}

namespace {

/// The pool's run raced against a timer: the timer wins, which cancels the run.
asio::awaitable<std::size_t> cancelled_run(dt::sandbox_pool& pool) {
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer timer(co_await asio::this_coro::executor, 800ms);
    auto run = pool.run(100, [](dt::sandbox& sb, std::size_t) -> text_task {
        auto r = co_await sb.process().exec("sleep 5");
        if (!r) co_return std::move(r).error();
        co_return r->output;
    });
    auto limit = timer.async_wait(asio::use_awaitable);
    auto either = co_await (std::move(run) || std::move(limit));
    co_return either.index();
}

}  // namespace

TEST_F(SandboxPool, CancellingARunDeletesTheSandboxesOfItsRunningTasks) {
    own_emulator e({.threads = 2});
    dt::client c{io.get_executor(), e.options()};
    dt::sandbox_pool pool(c, dt::pool_options{.max_sandboxes = 3});
    EXPECT_EQ(await(cancelled_run(pool)), 1u) << "the timer ends the run";
    // Every sandbox was busy with a task when the run was cancelled: all are gone already.
    EXPECT_EQ(pool.stats().sandboxes_created, 3u);
    EXPECT_EQ(pool.stats().held, 0u);
    EXPECT_EQ(labelled(c, pool.id()), 0u);
    ASSERT_TRUE(await(pool.close()));
}

TEST_F(SandboxPool, ATaskThatThrowsStopsTheRunWhichRethrowsAfterCleaningUp) {
    own_emulator e({.threads = 2});
    dt::client c{io.get_executor(), e.options()};
    // Without a time limit, and with one far longer than the test may take: the throw must
    // not wait for the limit.
    for (auto limit : {0min, 10min}) {
        dt::sandbox_pool pool(c, dt::pool_options{.max_sandboxes = 2, .task_timeout = limit});
        EXPECT_THROW(await(pool.run(20,
                                    [](dt::sandbox& sb, std::size_t i) -> text_task {
                                        if (i == 3) throw std::runtime_error("task 3 broke");
                                        auto r = co_await sb.process().exec("echo ok");
                                        if (!r) co_return std::move(r).error();
                                        co_return r->output;
                                    })),
                     std::runtime_error);
        ASSERT_TRUE(await(pool.close()));
        EXPECT_EQ(pool.stats().held, 0u);
        EXPECT_EQ(labelled(c, pool.id()), 0u);
    }
}

TEST_F(SandboxPool, SlowsDownWhenTheServerThrottles) {
    // A fifth of the execs are refused with 429 (no Retry-After: the client's own backoff
    // retries them); every task still succeeds, and the pool lowers its concurrency.
    own_emulator e({.threads = 2, .faults = {"status:429;op=execute_command;rate=0.2"}});
    auto opts = e.options();
    opts.retry.max_attempts = 12;
    opts.retry.initial_backoff = 20ms;
    dt::client c{io.get_executor(), opts};
    std::size_t lowest = 99;
    std::uint64_t throttled = 0;
    dt::pool_options o{.max_sandboxes = 6};
    o.on_progress = [&](const dt::pool_progress& p) {
        if (p.done() > 0) lowest = std::min(lowest, p.concurrency);
        throttled = p.throttled;
    };
    dt::sandbox_pool pool(c, std::move(o));
    auto results = await(pool.run(60, echo_index));
    for (const auto& r : results)
        ASSERT_TRUE(r) << r.error();
    EXPECT_GT(throttled, 0u);
    EXPECT_EQ(throttled, c.throttling().responses);
    EXPECT_LT(lowest, 6u) << "concurrency was never lowered";
    ASSERT_TRUE(await(pool.close()));
}

TEST_F(SandboxPool, ACreationFailureFailsTheTasksThatNeededItAndCloseSweepsTheWreck) {
    own_emulator e({.threads = 2});
    dt::client c{io.get_executor(), e.options()};
    dt::pool_options o{.max_sandboxes = 2, .create_attempts = 2};
    // The emulator makes such a sandbox end in `error`: it exists, but create() fails.
    o.sandbox.labels["daytona-emulator/fail"] = "true";
    dt::sandbox_pool pool(c, std::move(o));
    auto results = await(pool.run(3, echo_index));
    for (const auto& r : results) {
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error(), dt::errc::sandbox_failed) << r.error();
    }
    EXPECT_EQ(pool.stats().sandboxes_created, 0u);
    EXPECT_EQ(pool.stats().sandbox_errors, 6u);
    EXPECT_EQ(labelled(c, pool.id()), 6u);
    ASSERT_TRUE(await(pool.close()));
    EXPECT_EQ(labelled(c, pool.id()), 0u);
    EXPECT_EQ(pool.stats().held, 0u);
}

TEST_F(SandboxPool, ANamedSandboxIsRefusedBeforeAnyRequest) {
    own_emulator e({.threads = 2});
    dt::client c{io.get_executor(), e.options()};
    dt::pool_options o{.max_sandboxes = 2};
    o.sandbox.name = "only-one-can-have-it";
    dt::sandbox_pool pool(c, std::move(o));
    auto results = await(pool.run(2, echo_index));
    for (const auto& r : results) {
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error(), dt::errc::invalid_argument) << r.error();
    }
    EXPECT_EQ(labelled(c, pool.id()), 0u);
    EXPECT_EQ(pool.stats().sandbox_errors, 0u);
}
