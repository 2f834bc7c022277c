// SPDX-License-Identifier: Apache-2.0
// Many tasks over a few sandboxes: the scheduler that benchmark harnesses and agent fleets
// write by hand, with warm reuse, per-task time limits, back-off on 429/503 and cleanup on
// every exit path.
#ifndef DAYTONA_SANDBOX_POOL_HPP
#define DAYTONA_SANDBOX_POOL_HPP

#include "daytona/client.hpp"
#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/net/asio_compat.hpp"
#include "daytona/polling.hpp"
#include "daytona/result.hpp"
#include "daytona/sandbox.hpp"

#include <asio/strand.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/// Where a sandbox_pool run stands; handed to pool_options::on_progress after every change.
struct pool_progress {
    /// Tasks in this run.
    std::size_t total = 0;
    /// Tasks that finished with a value.
    std::size_t succeeded = 0;
    /// Tasks that finished with an error (errc::cancelled for those a cancellation stopped).
    std::size_t failed = 0;
    /// Tasks running now.
    std::size_t running = 0;
    /// Sandboxes the pool holds now (busy or idle).
    std::size_t sandboxes = 0;
    /// Tasks allowed to run at once now: max_sandboxes, lowered while the server throttles.
    std::size_t concurrency = 0;
    /// 429 and 503 responses the client received during this run (retried ones included).
    std::uint64_t throttled = 0;

    /// Tasks finished, either way.
    std::size_t done() const noexcept { return succeeded + failed; }
};

/// Totals over a pool's life.
struct pool_stats {
    /// Sandboxes the pool created.
    std::size_t sandboxes_created = 0;
    /// Sandboxes the pool deleted.
    std::size_t sandboxes_destroyed = 0;
    /// Creations, resets and deletions that failed.
    std::size_t sandbox_errors = 0;
    /// Tasks that ran to their end, successful or not, over every run.
    std::size_t tasks_run = 0;
    /// Sandboxes alive now.
    std::size_t held = 0;
};

/// How a sandbox_pool creates its sandboxes and runs tasks on them.
struct pool_options {
    /// At most this many sandboxes exist at once, and at most this many tasks run at once.
    std::size_t max_sandboxes = 8;
    /// How each sandbox is created. Leave `name` empty (names are unique per organization); the
    /// pool adds the label `daytona-pool` (the pool's id) so that leftovers can be found.
    create_params sandbox{};
    /// Limit on each task (its sandbox's reset included, its creation not); zero for none. A
    /// task that exceeds it fails with errc::timeout, and its sandbox, which may still be busy
    /// with it, is deleted.
    std::chrono::milliseconds task_timeout{0};
    /// Runs on a sandbox before each task after its first (cleaning a work directory, say). A
    /// failure deletes the sandbox and the task gets a new one.
    std::function<asio::awaitable<result<void>>(daytona::sandbox&)> reset{};
    /// Called after every change of progress, on the pool's strand: keep it short.
    std::function<void(const pool_progress&)> on_progress{};
    /// Attempts at creating a sandbox before the task that needed it fails with the error.
    int create_attempts = 3;
};

namespace detail {

/// What every run of one pool shares.
struct pool_state {
    DAYTONA_DECL pool_state(client c, pool_options o);

    client cl;
    pool_options opts;
    asio::strand<asio::any_io_executor> strand;
    std::string id;
    /// Sandboxes between runs; during a run each worker holds its own.
    std::vector<sandbox> idle;
    /// Sandboxes whose deletion failed; close() tries again.
    std::vector<sandbox> doomed;
    /// Ids of the sandboxes this pool created and has not deleted.
    std::set<std::string> alive;
    pool_stats stats;
};

/// One run: the task queue, the results, the concurrency limit and the workers' signals.
template <class Task, class Result>
struct pool_run {
    using clock = std::chrono::steady_clock;

    pool_run(std::shared_ptr<pool_state> p, std::size_t count, Task t)
        : pool(std::move(p))
        , task(std::move(t))
        , n(count)
        , results(count)
        , workers(std::min(count, pool->opts.max_sandboxes))
        , signals(new asio::cancellation_signal[workers])
        , gate(pool->strand, clock::time_point::max())
        , all_done(pool->strand, clock::time_point::max()) {
        limit = workers;
        seen_throttling = pool->cl.throttling().responses;
        progress.total = n;
        progress.concurrency = limit;
        progress.sandboxes = pool->stats.held;
    }

    std::shared_ptr<pool_state> pool;
    Task task;
    std::size_t n;
    std::vector<std::optional<Result>> results;
    std::size_t workers;
    std::unique_ptr<asio::cancellation_signal[]> signals;
    /// Wakes workers waiting for a slot (cancel() wakes all; each looks again).
    asio::steady_timer gate;
    /// Wakes the supervisor when the last worker ends.
    asio::steady_timer all_done;
    std::size_t live = 0, next = 0, running = 0, limit = 0;
    /// Successes since the limit last changed; the limit grows by one after `limit` of them.
    std::size_t streak = 0;
    /// Bumped whenever the limit is cut; a task started before a cut cannot cut it again.
    std::uint64_t epoch = 0;
    std::uint64_t seen_throttling = 0;
    clock::time_point paused_until{};
    bool stopping = false;
    std::exception_ptr failure;
    pool_progress progress;

    void report() {
        progress.running = running;
        progress.sandboxes = pool->stats.held;
        progress.concurrency = limit;
        if (pool->opts.on_progress) pool->opts.on_progress(progress);
    }

    /// Ends the run early: no task starts any more, and running ones are cancelled.
    void stop() {
        stopping = true;
        for (std::size_t i = 0; i < workers; ++i)
            signals[i].emit(asio::cancellation_type::terminal);
        gate.cancel();
    }

    /// Multiplicative decrease when the server pushed back while the task ran, additive
    /// increase after a full window of tasks without push-back (TCP's rule, for the same
    /// reason: find the rate the server sustains instead of hammering it).
    void adapt(std::uint64_t started_in_epoch) {
        const auto t = pool->cl.throttling();
        if (t.responses > seen_throttling) {
            progress.throttled += t.responses - seen_throttling;
            seen_throttling = t.responses;
            paused_until = std::max(paused_until, t.until);
            streak = 0;
            if (started_in_epoch == epoch) {
                limit = std::max<std::size_t>(1, limit / 2);
                ++epoch;
            }
        } else if (++streak >= limit && limit < workers) {
            ++limit;
            streak = 0;
        }
    }

    void finish(std::size_t index, Result r, std::uint64_t started_in_epoch) {
        --running;
        ++pool->stats.tasks_run;
        if (r)
            ++progress.succeeded;
        else
            ++progress.failed;
        results[index].emplace(std::move(r));
        adapt(started_in_epoch);
        report();
        gate.cancel();
    }

    /// The next task's index once a slot is free and no Retry-After is pending; nullopt when
    /// the queue is empty or the run is stopping.
    asio::awaitable<std::optional<std::size_t>> acquire() {
        for (;;) {
            if (stopping || next >= n) co_return std::nullopt;
            std::error_code ec;
            if (clock::now() < paused_until) {
                asio::steady_timer pause(pool->strand, paused_until);
                co_await pause.async_wait(net::redirect(ec));
            } else if (running < limit) {
                ++running;
                co_return next++;
            } else {
                co_await gate.async_wait(net::redirect(ec));
            }
            asio::cancellation_state st = co_await asio::this_coro::cancellation_state;
            if (st.cancelled() != asio::cancellation_type::none) co_return std::nullopt;
        }
    }
};

}  // namespace detail

/**
 * \brief Runs N tasks over at most M sandboxes: created on first need, reused warm (with an
 * optional reset between tasks), deleted by close().
 * \details
 * - A task is any callable `(sandbox&, std::size_t index) -> asio::awaitable<result<T>>`;
 *   run() hands back one result per task, in task order.
 * - Concurrency starts at max_sandboxes. When the server answers 429 or 503 (retries
 *   included: the client's observer counts every attempt), the pool halves it and starts
 *   nothing before the Retry-After has passed; after a window of tasks without push-back it
 *   grows by one again.
 * - Cancelling run() (asio per-operation cancellation, `||` with a timer, ...) cancels the
 *   running tasks, deletes their sandboxes, whose state is unknown, and completes once that is
 *   done; tasks that never started report errc::cancelled.
 * - A task that throws stops the run the same way; run() then rethrows the exception.
 * - The pool works on a strand of the client's executor, so a multi-threaded io_context is
 *   fine. One run at a time per pool.
 * - The destructor deletes idle sandboxes in the background (detached, on the executor) when
 *   close() was not awaited; await close() to know it happened.
 *
 * \code
 * dt::sandbox_pool pool(client, {.max_sandboxes = 16});
 * auto results = co_await pool.run(1000, [](dt::sandbox& sb, std::size_t i)
 *                                            -> asio::awaitable<dt::result<std::string>> {
 *     auto r = co_await sb.process().exec("echo " + std::to_string(i));
 *     if (!r) co_return std::move(r).error();
 *     co_return r->output;
 * });
 * co_await pool.close();
 * \endcode
 */
class sandbox_pool {
public:
    /// A pool that creates its sandboxes through `c` as `options` say; no sandbox exists yet.
    sandbox_pool(client c, pool_options options)
        : state_(std::make_shared<detail::pool_state>(std::move(c), std::move(options))) {}
    sandbox_pool(const sandbox_pool&) = delete;
    sandbox_pool& operator=(const sandbox_pool&) = delete;
    /// Moves the pool and its sandboxes; the moved-from pool must not be used except to be
    /// destroyed or assigned to.
    sandbox_pool(sandbox_pool&&) noexcept = default;
    /// Moves the pool and its sandboxes in; the sandboxes this pool held are not deleted, so
    /// await close() first.
    sandbox_pool& operator=(sandbox_pool&&) noexcept = default;
    DAYTONA_DECL ~sandbox_pool();

    /// Runs `count` tasks; `task(sb, i)` runs task i on sandbox `sb`. See the class comment.
    template <class Task>
    [[nodiscard]] auto run(std::size_t count, Task task) {
        using awaitable_type = std::invoke_result_t<Task&, sandbox&, std::size_t>;
        using result_type = typename awaitable_type::value_type;
        static_assert(is_result<result_type>::value,
                      "a pool task returns asio::awaitable<daytona::result<T>>");
        auto run =
            std::make_shared<detail::pool_run<Task, result_type>>(state_, count, std::move(task));
        return asio::co_spawn(state_->strand, supervise(std::move(run)), asio::use_awaitable);
    }

    /// Deletes every sandbox of the pool (all are idle between runs), including any that a
    /// failed creation left on the server (found by the pool's label). The first failure, if
    /// any; the others are counted in stats().sandbox_errors.
    [[nodiscard]] DAYTONA_DECL asio::awaitable<result<void>> close();

    /// The label value every sandbox of this pool carries under `daytona-pool`.
    const std::string& id() const noexcept { return state_->id; }
    /// Totals so far. Read it from the client's executor (or after the run).
    pool_stats stats() const { return state_->stats; }

private:
    using state_ptr = std::shared_ptr<detail::pool_state>;

    template <class R>
    struct is_result : std::false_type {};
    template <class T>
    struct is_result<result<T>> : std::true_type {};

    template <class Task, class Result>
    static asio::awaitable<std::vector<Result>> supervise(
        std::shared_ptr<detail::pool_run<Task, Result>> run) {
        for (std::size_t i = 0; i < run->workers; ++i) {
            ++run->live;
            asio::co_spawn(
                run->pool->strand, worker(run),
                asio::bind_cancellation_slot(run->signals[i].slot(), [run](std::exception_ptr e) {
                    if (e && !run->failure) run->failure = e;
                    if (--run->live == 0) run->all_done.cancel();
                }));
        }
        run->report();
        std::error_code ec;
        if (run->live > 0) co_await run->all_done.async_wait(net::redirect(ec));
        if (run->live > 0) {
            // Cancelled from outside: stop the workers and wait until they have cleaned up.
            co_await asio::this_coro::reset_cancellation_state();
            run->stop();
            while (run->live > 0)
                co_await run->all_done.async_wait(net::redirect(ec));
        }
        if (run->failure) std::rethrow_exception(run->failure);
        std::vector<Result> out;
        out.reserve(run->n);
        for (auto& r : run->results) {
            if (r)
                out.push_back(std::move(*r));
            else
                out.push_back(Result(
                    error(make_error_code(errc::cancelled),
                          error_info{.message = "the pool's run ended before this task started",
                                     .operation = "sandbox_pool.run"})));
        }
        co_return out;
    }

    /// One worker: takes tasks while there are any, on its own sandbox.
    template <class Task, class Result>
    static asio::awaitable<void> worker(std::shared_ptr<detail::pool_run<Task, Result>> run) {
        auto& pool = *run->pool;
        std::optional<sandbox> sb;
        bool used = false;     // sb ran a task already: reset it before the next
        bool tainted = false;  // sb's state is unknown: delete it
        if (!pool.idle.empty()) {
            sb.emplace(std::move(pool.idle.back()));
            pool.idle.pop_back();
            used = true;
        }
        try {
            for (;;) {
                auto next = run->acquire();
                auto index = co_await std::move(next);
                if (!index) break;
                const auto epoch = run->epoch;
                auto one = run_one(run, sb, used, tainted, *index);
                auto r = co_await std::move(one);
                // A task that timed out or was cancelled may still be running in its sandbox.
                if (!r && (r.error() == errc::cancelled || r.error() == errc::timeout))
                    tainted = true;
                run->finish(*index, std::move(r), epoch);
                if (tainted && sb) {
                    auto gone = destroy_sandbox(run->pool, *sb);
                    (void)co_await std::move(gone);
                    sb.reset();
                    used = tainted = false;
                    run->report();
                }
            }
        } catch (const std::system_error& e) {
            // asio reports a co_await after cancellation as an exception; anything else the
            // task threw stops the run and is rethrown by run().
            if (e.code() != asio::error::operation_aborted && !run->failure)
                run->failure = std::current_exception();
            tainted = true;
        } catch (...) {
            if (!run->failure) run->failure = std::current_exception();
            tainted = true;
        }
        if (run->failure && !run->stopping) run->stop();
        // The cleanup must not be cancelled by whatever cancelled the run.
        co_await asio::this_coro::reset_cancellation_state();
        co_await asio::this_coro::throw_if_cancelled(false);
        if (sb && tainted) {
            auto gone = destroy_sandbox(run->pool, *sb);
            (void)co_await std::move(gone);
            sb.reset();
        }
        if (sb) pool.idle.push_back(std::move(*sb));
        run->report();
    }

    /// Gets `sb` ready (reset, or created) and runs task `index` on it under its time limit.
    template <class Task, class Result>
    static asio::awaitable<Result> run_one(std::shared_ptr<detail::pool_run<Task, Result>> run,
                                           std::optional<sandbox>& sb, bool& used, bool& tainted,
                                           std::size_t index) {
        auto& pool = *run->pool;
        const auto limit = pool.opts.task_timeout;
        const auto started = std::chrono::steady_clock::now();
        if (sb && used && pool.opts.reset) {
            auto reset = pool.opts.reset(*sb);
            auto r = co_await std::move(reset);
            if (!r) {
                ++pool.stats.sandbox_errors;
                auto gone = destroy_sandbox(run->pool, *sb);
                (void)co_await std::move(gone);
                sb.reset();
            }
        }
        if (!sb) {
            auto create = create_sandbox(run->pool);
            auto made = co_await std::move(create);
            if (!made) co_return Result(std::move(made).error());
            sb.emplace(std::move(*made));
            run->report();
        }
        used = true;
        auto work = std::invoke(run->task, *sb, index);
        if (limit.count() <= 0) co_return co_await std::move(work);

        const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        const auto left = std::max(std::chrono::milliseconds(1), limit - spent);
        auto bounded =
            detail::within(std::move(work), left, "sandbox_pool.run",
                           error(make_error_code(errc::timeout),
                                 error_info{.message = "the task ran past the pool's task_timeout",
                                            .operation = "sandbox_pool.run"}));
        auto r = co_await std::move(bounded);
        if (!r && r.error() == errc::timeout) tainted = true;
        co_return r;
    }

    static DAYTONA_DECL asio::awaitable<result<sandbox>> create_sandbox(state_ptr pool);

    /// Deletes `sb`; one that could not be deleted is kept for close() to try again.
    static DAYTONA_DECL asio::awaitable<result<void>> destroy_sandbox(state_ptr pool, sandbox sb);

    static DAYTONA_DECL asio::awaitable<result<void>> close_impl(state_ptr pool);

    state_ptr state_;
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/sandbox_pool.ipp"
#endif

#endif  // DAYTONA_SANDBOX_POOL_HPP
