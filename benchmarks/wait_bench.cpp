// SPDX-License-Identifier: Apache-2.0
// State waits, side by side in one run against the same emulator binary: this client listening
// on the event channel, this client polling, and (when installed) the official TypeScript SDK
// with its events and with its deprecated polling.
//
//  1. Wake-up latency: a coroutine waits for `stopped` while another stops the sandbox; the time
//     from sending the stop to the waiter resuming (events target <= 5 ms; polling's first
//     steps are 100 ms apart).
//  2. Requests while N sandboxes start at once (states last 300 ms each): the GET /sandbox/{id}
//     polls the emulator served, counted from its --verbose log.
//
//   daytona_wait_bench [sandboxes, default 200]
#include <daytona.hpp>

#include "bench_support.hpp"
#include "emulator_process.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

namespace dt = daytona;
using namespace std::chrono;

namespace {

using daytona_bench::run_capture;

const std::string api_key = "bench-key";

std::size_t count_polls(const std::filesystem::path& log) {
    std::ifstream in(log);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);)
        if (line.find("(get_sandbox)") != std::string::npos) ++n;
    return n;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

dt::client_options options(const std::string& api_url, bool events) {
    dt::client_options o;
    o.api_url = api_url;
    o.api_key = api_key;
    o.state_events = events;
    o.request_timeout = 120s;
    return o;
}

/// Milliseconds from sending a stop to a concurrent wait_until_stopped() resuming, `rounds`
/// times.
std::vector<double> wake_latencies(const std::string& api_url, bool events, int rounds) {
    asio::io_context io;
    dt::client c{io.get_executor(), options(api_url, events)};
    auto sb = dt::run_sync(io, c.create());
    if (!sb) throw std::runtime_error("create: " + sb.error().to_string());
    std::vector<double> out;
    for (int i = 0; i < rounds; ++i) {
        steady_clock::time_point sent, resumed;
        auto waiter = [&]() -> asio::awaitable<void> {
            // A handle of its own: the waiter learns the state only by asking or being told.
            auto mine = co_await c.get(sb->id());
            if (!mine) throw std::runtime_error("get: " + mine.error().to_string());
            auto r = co_await mine->wait_until_stopped(30s);
            resumed = steady_clock::now();
            if (!r) throw std::runtime_error("wait: " + r.error().to_string());
        };
        auto stopper = [&]() -> asio::awaitable<void> {
            asio::steady_timer t(co_await asio::this_coro::executor, 150ms);
            co_await t.async_wait(asio::use_awaitable);  // the waiter is listening by now
            sent = steady_clock::now();
            auto r = co_await sb->stop();
            if (!r) throw std::runtime_error("stop: " + r.error().to_string());
        };
        auto both = [&]() -> asio::awaitable<void> {
            using namespace asio::experimental::awaitable_operators;
            co_await (waiter() && stopper());
        };
        dt::run_sync(io, both());
        out.push_back(duration<double, std::milli>(resumed - sent).count());
        if (auto r = dt::run_sync(io, sb->start()); !r)
            throw std::runtime_error("start: " + r.error().to_string());
    }
    (void)dt::run_sync(io, sb->destroy());
    return out;
}

struct start_run {
    double seconds = 0;
    std::size_t polls = 0;
    std::size_t failed = 0;
};

/// N sandboxes created at once by this client; each create waits until started.
start_run start_many(const std::string& api_url, const std::filesystem::path& log, bool events,
                     int n) {
    asio::io_context io;
    dt::client c{io.get_executor(), options(api_url, events)};
    std::vector<dt::sandbox> made;
    start_run r;
    const auto polls0 = count_polls(log);
    const auto t0 = steady_clock::now();
    for (int i = 0; i < n; ++i)
        asio::co_spawn(io, c.create(), [&](std::exception_ptr e, dt::result<dt::sandbox> sb) {
            if (e || !sb)
                ++r.failed;
            else
                made.push_back(std::move(*sb));
        });
    io.run();
    r.seconds = duration<double>(steady_clock::now() - t0).count();
    r.polls = count_polls(log) - polls0;
    for (auto& sb : made)
        asio::co_spawn(io, sb.destroy(), asio::detached);
    io.restart();
    io.run();
    return r;
}

/// The official TypeScript SDK doing the same, if `npm ci` has been run in tests/conformance.
std::optional<start_run> ts_start_many(const std::string& api_url, const std::filesystem::path& log,
                                       bool events, int n) {
    std::filesystem::path root = DAYTONA_BENCH_DIR;
    auto sdk = root.parent_path() / "tests" / "conformance" / "node_modules" / "@daytonaio" / "sdk";
    if (!std::filesystem::exists(sdk)) return std::nullopt;
    const auto polls0 = count_polls(log);
    auto text = run_capture(std::string(events ? "" : "DAYTONA_USE_DEPRECATED_POLLING=true ") +
                            "node " + (root / "ts_wait_bench.mjs").string() + " " + api_url + " " +
                            api_key + " " + std::to_string(n) + " 2>&1");
    start_run r;
    std::istringstream in(text);
    for (std::string word; in >> word;) {
        if (word == "seconds") in >> r.seconds;
        if (word == "failed") in >> r.failed;
    }
    if (r.seconds == 0) {
        std::cerr << "TS SDK run said:\n" << text << '\n';
        return std::nullopt;
    }
    r.polls = count_polls(log) - polls0;
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
    const auto log = std::filesystem::temp_directory_path() / "daytona_wait_bench.log";
    bool ok = true;
    {
        daytona_test::emulator_process emu(DAYTONA_EMULATOR_BINARY,
                                           {"--api-key", api_key, "--threads", "2"});
        std::printf("wake-up latency: stop sent -> wait_until_stopped() resumed (20 rounds)\n");
        std::printf("%-22s %10s %10s %10s\n", "", "median ms", "p90 ms", "max ms");
        for (bool events : {true, false}) {
            auto v = wake_latencies(emu.api_url(), events, 20);
            std::printf("%-22s %10.2f %10.2f %10.2f\n", events ? "ours, events" : "ours, polling",
                        percentile(v, 0.5), percentile(v, 0.9), percentile(v, 1.0));
            if (events && percentile(v, 0.5) > 5.0) ok = false;
        }
    }
    daytona_test::emulator_process emu(
        DAYTONA_EMULATOR_BINARY,
        {"--api-key", api_key, "--threads", "2", "--state-delay-ms", "300", "--verbose"},
        log.string());
    std::printf("\n%d sandboxes created at once (creating -> starting -> started, 300 ms each)\n",
                n);
    std::printf("%-26s %9s %14s %9s %7s\n", "", "seconds", "GET /sandbox", "per box", "failed");
    auto row = [&](const char* who, const start_run& r) {
        std::printf("%-26s %9.2f %14zu %9.1f %7zu\n", who, r.seconds, r.polls,
                    static_cast<double>(r.polls) / n, r.failed);
    };
    const auto ours_events = start_many(emu.api_url(), log, true, n);
    row("ours, events", ours_events);
    const auto ours_polling = start_many(emu.api_url(), log, false, n);
    row("ours, polling", ours_polling);
    if (auto t = ts_start_many(emu.api_url(), log, true, n))
        row("TS SDK 0.218, events", *t);
    else
        std::printf("%-26s %9s\n", "TS SDK 0.218, events", "n/a");
    if (auto t = ts_start_many(emu.api_url(), log, false, n))
        row("TS SDK 0.218, polling", *t);
    else
        std::printf("%-26s %9s\n", "TS SDK 0.218, polling", "n/a");
    if (ours_polling.polls > 0)
        std::printf("polls, events / polling: %.3f\n", static_cast<double>(ours_events.polls) /
                                                           static_cast<double>(ours_polling.polls));
    ok = ok && ours_events.failed == 0 && ours_polling.failed == 0;
    std::filesystem::remove(log);
    std::printf("targets: events wake-up median <= 5 ms; no failed creates\n");
    return ok ? 0 : 1;
}
