// SPDX-License-Identifier: Apache-2.0
// A harness's workload through daytona::sandbox_pool, side by side with the official TypeScript
// SDK doing the same with Promise-based concurrency, against the same emulator binary: N short
// tasks (exec, a 1 KiB upload and its download, checked) over M sandboxes, creation and
// deletion included. Prints tasks/s, the ratio, and each client's CPU time per task.
//
//   daytona_pool_bench [tasks, default 1000] [sandboxes, default 16]
#include <daytona.hpp>

#include "bench_support.hpp"
#include "emulator_process.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

namespace dt = daytona;
using namespace std::chrono;

namespace {

using daytona_bench::cpu_seconds;

const std::string api_key = "bench-key";

struct outcome {
    double seconds = 0;
    double tasks_per_s = 0;
    double cpu_us_per_task = 0;
    std::size_t failed = 0;
};

std::string payload(std::size_t i) {
    std::string p = "task " + std::to_string(i) + " ";
    p.resize(1024, 'x');
    return p;
}

asio::awaitable<dt::result<void>> task(dt::sandbox& sb, std::size_t i) {
    auto r = co_await sb.process().exec("echo " + std::to_string(i));
    if (!r) co_return std::move(r).error();
    const std::string path = "bench/" + std::to_string(i) + ".txt";
    auto fs = sb.fs();
    auto up = co_await fs.upload(path, dt::upload_source::from_memory(payload(i)));
    if (!up) co_return std::move(up).error();
    auto back = co_await fs.download(path);
    if (!back) co_return std::move(back).error();
    if (r->output != std::to_string(i) + "\n" || *back != payload(i))
        co_return dt::error(std::make_error_code(std::errc::bad_message), "wrong bytes");
    co_return dt::result<void>{};
}

asio::awaitable<outcome> run_ours(dt::client& client, std::size_t tasks, std::size_t sandboxes) {
    dt::pool_options po{.max_sandboxes = sandboxes};
    po.sandbox.labels = {{"bench", "cpp-pool"}};
    dt::sandbox_pool pool(client, std::move(po));
    const double cpu0 = cpu_seconds();
    const auto t0 = steady_clock::now();
    auto results = co_await pool.run(tasks, task);
    auto closed = co_await pool.close();
    outcome o;
    o.seconds = duration<double>(steady_clock::now() - t0).count();
    for (const auto& r : results)
        if (!r) {
            if (o.failed++ == 0) std::cerr << "ours: " << r.error() << '\n';
        }
    if (!closed) std::cerr << "ours: close: " << closed.error() << '\n';
    const auto ok = static_cast<double>(tasks - o.failed);
    o.tasks_per_s = ok / o.seconds;
    o.cpu_us_per_task = ok > 0 ? (cpu_seconds() - cpu0) * 1e6 / ok : 0;
    co_return o;
}

std::optional<outcome> run_ts(const std::string& api_url, std::size_t tasks,
                              std::size_t sandboxes) {
    const std::filesystem::path root = DAYTONA_BENCH_DIR;
    if (!std::filesystem::exists(root.parent_path() /
                                 "tests/conformance/node_modules/@daytonaio/sdk"))
        return std::nullopt;
    const std::string cmd = "node " + (root / "ts_pool_bench.mjs").string() + " " + api_url + " " +
                            api_key + " " + std::to_string(tasks) + " " +
                            std::to_string(sandboxes) + " 2>&1";
    const std::string text = daytona_bench::run_capture(cmd);
    std::istringstream in(text.substr(std::min(text.size(), text.rfind("seconds "))));
    std::string key;
    outcome o;
    if (!(in >> key >> o.seconds >> key >> o.tasks_per_s >> key >> o.cpu_us_per_task >> key >>
          o.failed)) {
        std::cerr << "TS SDK said:\n" << text << '\n';
        return std::nullopt;
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t tasks = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1000;
    const std::size_t sandboxes = argc > 2 ? std::max(1, std::atoi(argv[2])) : 16;
    daytona_test::emulator_process emu(DAYTONA_EMULATOR_BINARY,
                                       {"--api-key", api_key, "--threads", "2"});
    asio::io_context io;
    dt::client client{io.get_executor(), {.api_url = emu.api_url(), .api_key = api_key}};

    std::printf(
        "pool benchmark: %zu tasks (exec, 1 KiB upload, download) over %zu sandboxes,\n"
        "creation and deletion included\n",
        tasks, sandboxes);
    auto ours = dt::run_sync(io, run_ours(client, tasks, sandboxes));
    auto ts = run_ts(emu.api_url(), tasks, sandboxes);
    std::printf("%-8s %9s %9s %14s %7s\n", "client", "seconds", "tasks/s", "CPU/task", "failed");
    std::printf("%-8s %9.2f %9.0f %11.0f us %7zu\n", "ours", ours.seconds, ours.tasks_per_s,
                ours.cpu_us_per_task, ours.failed);
    if (ts) {
        std::printf("%-8s %9.2f %9.0f %11.0f us %7zu\n", "TS SDK", ts->seconds, ts->tasks_per_s,
                    ts->cpu_us_per_task, ts->failed);
        std::printf("ours/TS: %.2fx tasks/s, %.2fx less CPU per task\n",
                    ts->tasks_per_s > 0 ? ours.tasks_per_s / ts->tasks_per_s : 0.0,
                    ours.cpu_us_per_task > 0 ? ts->cpu_us_per_task / ours.cpu_us_per_task : 0.0);
    } else {
        std::printf("TS SDK: not installed (npm ci in tests/conformance)\n");
    }
    return ours.failed == 0 ? 0 : 1;
}
