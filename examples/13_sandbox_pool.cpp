// SPDX-License-Identifier: Apache-2.0
// A benchmark harness's inner loop: 200 small tasks over at most 8 sandboxes, with a progress
// bar. Each task writes a Python solution into its sandbox, runs it and checks the answer;
// between two tasks a sandbox's work directory is wiped. Ctrl+C stops the run, and every
// sandbox the pool made is deleted on the way out, whichever way the run ends.
//
// With DAYTONA_API_KEY set this talks to Daytona; without it, to an embedded emulator.
#include <daytona.hpp>

#include "example_support.hpp"

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/signal_set.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

namespace dt = daytona;

namespace {

/// Draws the run's progress on one terminal line (or a line per tenth when not a terminal).
void draw(const dt::pool_progress& p) {
    static const bool tty = ::isatty(STDERR_FILENO) != 0;
    static std::size_t last_tenth = 0;
    if (!tty) {
        const std::size_t tenth = p.total ? p.done() * 10 / p.total : 10;
        if (tenth == last_tenth) return;
        last_tenth = tenth;
    }
    constexpr std::size_t width = 30;
    const std::size_t filled = p.total ? p.done() * width / p.total : width;
    std::string line = std::string(tty ? "\r[" : "[") + std::string(filled, '#') +
                       std::string(width - filled, '.') + "] " + std::to_string(p.done()) + "/" +
                       std::to_string(p.total) + "  failed " + std::to_string(p.failed) +
                       "  running " + std::to_string(p.running) + "  sandboxes " +
                       std::to_string(p.sandboxes) + "  limit " + std::to_string(p.concurrency);
    if (p.throttled) line += "  throttled " + std::to_string(p.throttled);
    if (!tty || p.done() == p.total) line += "\n";
    std::fputs(line.c_str(), stderr);
}

}  // namespace

//[sandbox_pool
/// Task i: the sum of 0..i, computed by a program in the sandbox, checked here.
asio::awaitable<dt::result<long>> solve(dt::sandbox& sb, std::size_t i) {
    const std::string program = "import sys\nprint(sum(range(int(sys.argv[1]) + 1)))\n";
    auto fs = sb.fs();
    auto upload = fs.upload("work/solve.py", dt::upload_source::from_memory(program));
    if (auto up = co_await std::move(upload); !up) co_return std::move(up).error();

    auto run = co_await sb.process().exec("cd work && python3 solve.py " + std::to_string(i));
    if (!run) co_return std::move(run).error();
    // A wrong answer is this task's failure, with its own error code.
    char* end = nullptr;
    const long answer = std::strtol(run->output.c_str(), &end, 10);
    if (run->exit_code != 0 || end == run->output.c_str() ||
        answer != static_cast<long>(i * (i + 1) / 2))
        co_return dt::error(std::make_error_code(std::errc::bad_message),
                            "solve.py said: " + run->output);
    co_return answer;
}

asio::awaitable<int> harness(dt::client_options options) {
    using namespace asio::experimental::awaitable_operators;
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};

    dt::pool_options po{.max_sandboxes = 8, .task_timeout = std::chrono::seconds(60)};
    po.sandbox.labels = {{"purpose", "pool-example"}};
    // Between two tasks: an empty work directory.
    po.reset = [](dt::sandbox& sb) -> asio::awaitable<dt::result<void>> {
        auto wiped = co_await sb.process().exec("rm -rf work && mkdir work");
        if (!wiped) co_return std::move(wiped).error();
        co_return dt::result<void>{};
    };
    po.on_progress = draw;
    dt::sandbox_pool pool(client, std::move(po));

    // The run, unless Ctrl+C comes first: then the run is cancelled, and cleans up.
    asio::signal_set interrupt(ex, SIGINT, SIGTERM);
    const auto t0 = std::chrono::steady_clock::now();
    auto run = pool.run(200, solve);
    auto stop = interrupt.async_wait(asio::use_awaitable);
    auto outcome = co_await (std::move(run) || std::move(stop));
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;

    int status = 0;
    if (outcome.index() == 0) {
        const auto& results = std::get<0>(outcome);
        std::size_t ok = 0;
        for (std::size_t i = 0; i < results.size(); ++i) {
            if (results[i])
                ++ok;
            else
                std::cerr << "task " << i << ": " << results[i].error() << '\n';
        }
        std::printf("%zu/%zu tasks solved in %.2f s (%.0f tasks/s)\n", ok, results.size(),
                    took.count(), static_cast<double>(results.size()) / took.count());
        status = ok == results.size() ? 0 : 1;
    } else {
        std::printf("interrupted after %.2f s\n", took.count());
        status = 130;
    }
    auto closed = co_await pool.close();
    if (!closed) std::cerr << "cleanup: " << closed.error() << '\n';
    const auto stats = pool.stats();
    std::printf("sandboxes: %zu created, %zu deleted, %zu left\n", stats.sandboxes_created,
                stats.sandboxes_destroyed, stats.held);
    co_return closed&& stats.held == 0 ? status : 1;
}
//]

int main() {
    std::unique_ptr<dt::emulator::emulator> local;
    dt::client_options options = example::options(local);
    asio::io_context io;
    return dt::run_sync(io, harness(std::move(options)));
}
