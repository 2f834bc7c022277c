// SPDX-License-Identifier: Apache-2.0
// exec over loopback, side by side in one run: wrk, this client and (when installed) the
// official TypeScript SDK, all against the same emulator endpoint. Prints requests/s, the
// ratio to wrk, and this client's CPU time per call.
//
//   daytona_exec_bench [seconds per run, default 5]
#include <daytona.hpp>

#include "bench_support.hpp"
#include "emulator_process.hpp"

#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace dt = daytona;
using namespace std::chrono;

namespace {

using daytona_bench::cpu_seconds;
using daytona_bench::run_capture;

const std::string api_key = "bench-key";
const std::string command = "true";

struct outcome {
    double rps = 0;
    double cpu_us_per_call = 0;
    std::uint64_t ok = 0, failed = 0;
};

outcome run_wrk(const std::string& url, int connections, int seconds) {
    auto script = std::filesystem::temp_directory_path() / "daytona_exec_bench.lua";
    std::ofstream(script) << "wrk.method = \"POST\"\n"
                          << "wrk.body = '{\"command\":\"" << command << "\"}'\n"
                          << "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                          << "wrk.headers[\"Authorization\"] = \"Bearer " << api_key << "\"\n";
    int threads = connections > 1 ? 2 : 1;
    const double cpu0 = cpu_seconds(RUSAGE_CHILDREN);
    auto text = run_capture("wrk -t" + std::to_string(threads) + " -c" +
                            std::to_string(connections) + " -d" + std::to_string(seconds) +
                            "s -s " + script.string() + " " + url + " 2>&1");
    outcome o;
    if (auto at = text.find("Requests/sec:"); at != std::string::npos)
        o.rps = std::stod(text.substr(at + 13));
    // wrk's own CPU per request on this machine: the floor any client pays for the syscalls.
    if (auto at = text.find(" requests in "); at != std::string::npos) {
        auto line_start = text.rfind('\n', at);
        auto n = std::stod(text.substr(line_start == std::string::npos ? 0 : line_start + 1));
        if (n > 0) o.cpu_us_per_call = (cpu_seconds(RUSAGE_CHILDREN) - cpu0) * 1e6 / n;
    }
    if (text.find("Non-2xx") != std::string::npos) o.failed = 1;
    if (o.rps == 0) std::cerr << "wrk said:\n" << text << '\n';
    return o;
}

struct counters {
    std::uint64_t ok = 0, failed = 0;
};

asio::awaitable<void> worker(dt::process p, steady_clock::time_point until,
                             std::shared_ptr<counters> c) {
    while (steady_clock::now() < until) {
        auto r = co_await p.exec(command);
        if (r && r->exit_code == 0)
            ++c->ok;
        else
            ++c->failed;
    }
}

outcome run_ours(asio::io_context& io, const dt::sandbox& sb, int concurrency, int seconds) {
    // Warm up: open the connections the run will use.
    auto warm = std::make_shared<counters>();
    for (int i = 0; i < concurrency; ++i)
        asio::co_spawn(io, worker(sb.process(), steady_clock::now() + milliseconds(300), warm),
                       asio::detached);
    io.restart();
    io.run();
    auto c = std::make_shared<counters>();
    const double cpu0 = cpu_seconds();
    const auto t0 = steady_clock::now();
    const auto until = t0 + seconds * 1s;
    for (int i = 0; i < concurrency; ++i)
        asio::co_spawn(io, worker(sb.process(), until, c), asio::detached);
    io.restart();
    io.run();
    const double wall = duration<double>(steady_clock::now() - t0).count();
    const double cpu = cpu_seconds() - cpu0;
    outcome o;
    o.ok = c->ok;
    o.failed = c->failed;
    o.rps = static_cast<double>(c->ok) / wall;
    o.cpu_us_per_call = c->ok ? cpu * 1e6 / static_cast<double>(c->ok) : 0;
    return o;
}

/// The official TypeScript SDK, if `npm ci` has been run in tests/conformance.
std::optional<outcome> run_ts(const std::string& api_url, const std::string& sandbox_id,
                              int concurrency, int seconds) {
    std::filesystem::path root = DAYTONA_BENCH_DIR;
    auto sdk = root.parent_path() / "tests" / "conformance" / "node_modules" / "@daytonaio" / "sdk";
    if (!std::filesystem::exists(sdk)) return std::nullopt;
    auto text = run_capture("node " + (root / "ts_exec_bench.mjs").string() + " " + api_url + " " +
                            api_key + " " + sandbox_id + " " + std::to_string(concurrency) + " " +
                            std::to_string(seconds) + " 2>&1");
    outcome o;
    std::istringstream in(text);
    std::string word;
    while (in >> word) {
        if (word == "rps") in >> o.rps;
        if (word == "cpu_us_per_call") in >> o.cpu_us_per_call;
        if (word == "failed") in >> o.failed;
    }
    if (o.rps == 0) {
        std::cerr << "TS SDK run said:\n" << text << '\n';
        return std::nullopt;
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    const int seconds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    daytona_test::emulator_process emu(DAYTONA_EMULATOR_BINARY,
                                       {"--api-key", api_key, "--threads", "2"});
    asio::io_context io;
    dt::client client{
        io.get_executor(),
        {.api_url = emu.api_url(), .api_key = api_key, .request_timeout = seconds * 2000ms + 30s}};
    auto sb = dt::run_sync(io, client.create());
    if (!sb) {
        std::cerr << "create failed: " << sb.error() << '\n';
        return 1;
    }
    const std::string url = sb->info().toolbox_proxy_url + "/" + sb->id() + "/process/execute";
    std::printf("exec benchmark: POST %s {\"command\":\"%s\"}, %d s per run\n", url.c_str(),
                command.c_str(), seconds);
    std::printf("%-6s %10s %12s %10s %9s %14s %9s %7s %12s\n", "conns", "wrk req/s", "wrk CPU/req",
                "ours req/s", "ours/wrk", "ours CPU/call", "TS req/s", "TS/wrk", "TS CPU/call");
    bool ok = true;
    for (int conc : {1, 64}) {
        auto w = run_wrk(url, conc, seconds);
        auto o = run_ours(io, *sb, conc, seconds);
        auto t = run_ts(emu.api_url(), sb->id(), conc, seconds);
        ok = ok && o.failed == 0 && w.rps > 0;
        std::printf("%-6d %10.0f %9.1f us %10.0f %9.2f %11.1f us", conc, w.rps, w.cpu_us_per_call,
                    o.rps, w.rps > 0 ? o.rps / w.rps : 0.0, o.cpu_us_per_call);
        if (t)
            std::printf(" %9.0f %7.2f %9.1f us\n", t->rps, w.rps > 0 ? t->rps / w.rps : 0.0,
                        t->cpu_us_per_call);
        else
            std::printf(" %9s %7s %12s\n", "n/a", "n/a", "n/a");
        if (o.failed)
            std::printf("  (ours: %llu failed calls)\n", static_cast<unsigned long long>(o.failed));
    }
    std::printf("targets: ours/wrk >= 0.90, ours CPU/call <= 20 us\n");
    (void)dt::run_sync(io, sb->destroy());
    return ok ? 0 : 1;
}
