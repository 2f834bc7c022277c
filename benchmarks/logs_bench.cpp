// SPDX-License-Identifier: Apache-2.0
// A session command's output followed live over the WebSocket, through the emulator binary:
//  - throughput: a command that prints MB megabytes (100-byte lines) on stdout and one line on
//    stderr, followed to its end; every byte counted, the streams kept apart. The official TS
//    SDK follows the same command on the same endpoint, for scale.
//  - latency: a command that prints its clock (ns) every 10 ms; for each line, the time from
//    the stamp to its arrival in this process (the emulator runs on the same host and clock).
//
//   daytona_logs_bench [MB, default 100] [latency lines, default 200]
#include <daytona.hpp>

#include "bench_support.hpp"
#include "emulator_process.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <vector>

namespace dt = daytona;
using namespace std::chrono;

namespace {

const std::string api_key = "bench-key";

// Splits chunks into lines and hands each complete line on.
struct line_splitter {
    std::string partial;
    template <class F>
    void feed(std::string_view chunk, F&& on_line) {
        for (std::size_t nl; (nl = chunk.find('\n')) != std::string_view::npos;) {
            partial.append(chunk.substr(0, nl));
            on_line(partial);
            partial.clear();
            chunk.remove_prefix(nl + 1);
        }
        partial.append(chunk);
    }
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
    const std::uint64_t mb = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100;
    const int latency_lines = argc > 2 ? std::atoi(argv[2]) : 200;
    const std::uint64_t bytes = mb * 1000 * 1000;

    daytona_test::emulator_process emu(DAYTONA_EMULATOR_BINARY,
                                       {"--api-key", api_key, "--threads", "2"});
    asio::io_context io;
    dt::client client{io.get_executor(), {.api_url = emu.api_url(), .api_key = api_key}};
    auto sb = dt::run_sync(io, client.create());
    if (!sb) {
        std::cerr << "create failed: " << sb.error() << '\n';
        return 1;
    }
    auto session = dt::run_sync(io, sb->process().create_session("logs-bench"));
    if (!session) {
        std::cerr << "session failed: " << session.error() << '\n';
        return 1;
    }

    // Throughput: `bytes` of 100-byte lines on stdout, then one line on stderr.
    const std::string flood = "yes " + std::string(99, 'x') + " | head -c " +
                              std::to_string(bytes) + "; echo end-of-flood >&2";
    std::uint64_t out_bytes = 0;
    std::string err_text;
    const double cpu0 = daytona_bench::cpu_seconds();
    const auto t0 = steady_clock::now();
    auto flood_id = dt::run_sync(io, session->exec_async(flood));
    if (!flood_id) {
        std::cerr << "exec_async failed: " << flood_id.error() << '\n';
        return 1;
    }
    auto flood_exit =
        dt::run_sync(io, session->follow(
                             *flood_id, [&](std::string_view c) { out_bytes += c.size(); },
                             [&](std::string_view c) { err_text.append(c); }));
    const double flood_s = duration<double>(steady_clock::now() - t0).count();
    const double flood_cpu = daytona_bench::cpu_seconds() - cpu0;
    if (!flood_exit) {
        std::cerr << "follow failed: " << flood_exit.error() << '\n';
        return 1;
    }
    if (out_bytes != bytes || err_text != "end-of-flood\n" || *flood_exit != 0)
        std::printf("flood: %llu of %llu bytes, stderr \"%s\", exit %d\n",
                    static_cast<unsigned long long>(out_bytes),
                    static_cast<unsigned long long>(bytes), err_text.c_str(), *flood_exit);
    const bool flood_complete =
        out_bytes == bytes && err_text == "end-of-flood\n" && *flood_exit == 0;

    // Latency: a stamped line every 10 ms.
    const std::string stamps =
        "for i in $(seq " + std::to_string(latency_lines) + "); do date +%s%N; sleep 0.01; done";
    std::vector<double> latency_ms;
    line_splitter lines;
    auto stamp_id = dt::run_sync(io, session->exec_async(stamps));
    if (!stamp_id) {
        std::cerr << "exec_async failed: " << stamp_id.error() << '\n';
        return 1;
    }
    auto stamp_exit = dt::run_sync(
        io,
        session->follow(
            *stamp_id,
            [&](std::string_view c) {
                const auto now =
                    duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
                lines.feed(c, [&](const std::string& line) {
                    latency_ms.push_back(static_cast<double>(now - std::atoll(line.c_str())) / 1e6);
                });
            },
            [](std::string_view) {}));
    if (!stamp_exit) {
        std::cerr << "follow failed: " << stamp_exit.error() << '\n';
        return 1;
    }

    // The TS SDK following the same kind of flood. Its demultiplexer copies its whole buffer
    // for every frame (quadratic): past about 5 MB it takes minutes or breaks, so it follows
    // at most 4 MB and the comparison is per MB.
    const std::uint64_t ts_want = std::min<std::uint64_t>(bytes, 4'000'000);
    const std::string ts_flood = "yes " + std::string(99, 'x') + " | head -c " +
                                 std::to_string(ts_want) + "; echo end-of-flood >&2";
    const std::string ts_line = daytona_bench::run_capture(
        "node " DAYTONA_BENCH_DIR "/ts_transfer_bench.mjs " + emu.api_url() + " " + api_key + " " +
        sb->id() + " logs \"" + ts_flood + "\" " + std::to_string(ts_want) + " 2>&1");
    unsigned long long ts_bytes = 0;
    double ts_s = 0;
    char ts_complete[8] = {};
    const bool ts_ran = std::sscanf(ts_line.c_str(), "stdout_bytes %llu seconds %lf complete %7s",
                                    &ts_bytes, &ts_s, ts_complete) == 3;
    const double ours_mb_s = static_cast<double>(bytes) / 1e6 / flood_s,
                 ts_mb_s = ts_ran ? static_cast<double>(ts_bytes) / 1e6 / ts_s : 0;

    std::printf("live logs over the WebSocket, 100-byte lines\n");
    std::printf("%-12s %8s %10s %14s %10s\n", "", "MB", "MB/s", "CPU us per MB", "complete");
    std::printf("%-12s %8llu %10.1f %14.0f %10s\n", "daytona-cpp",
                static_cast<unsigned long long>(mb), ours_mb_s,
                flood_cpu * 1e6 / static_cast<double>(mb), flood_complete ? "yes" : "NO");
    if (ts_ran) {
        std::printf("%-12s %8.0f %10.1f %14s %10s\n", "TS SDK", static_cast<double>(ts_want) / 1e6,
                    ts_mb_s, "-", std::string_view(ts_complete) == "true" ? "yes" : "NO");
        std::printf("ratio (MB/s, ours / TS SDK): %.1f\n", ours_mb_s / ts_mb_s);
    } else {
        std::printf("TS SDK did not run: %s\n", ts_line.c_str());
    }
    std::printf("per-line latency over %zu lines: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                latency_ms.size(), percentile(latency_ms, 0.5), percentile(latency_ms, 0.99),
                percentile(latency_ms, 1.0));
    (void)dt::run_sync(io, sb->destroy());
    const bool stamps_complete =
        static_cast<int>(latency_ms.size()) == latency_lines && *stamp_exit == 0;
    return flood_complete && stamps_complete ? 0 : 1;
}
