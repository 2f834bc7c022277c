// SPDX-License-Identifier: Apache-2.0
// A fault soak: a mixed workload (create, get, list, exec, upload, download, session commands,
// delete) through daytona::sandbox_pool against the emulator binary, with about 10% of the
// workload's requests hit by one of every fault the emulator injects: resets before and after
// the headers, truncated and dribbled bodies, stalls past the client's deadline, and 429 and
// 503 with Retry-After. Failed calls are expected; what must never happen is counted:
//   - wrong results: a call that succeeded with data other than what was written or asked;
//   - calls that outlived their deadline (one attempt's timeout after the retry budget);
//   - duplicated non-idempotent effects: every exec appends its own token to a file on a
//     volume that all sandboxes mount; a token found twice was executed twice;
//   - file descriptors (sockets included) and sandboxes left behind at the end.
// Exits non-zero when any of them is not zero.
//
//   daytona_soak [calls, default 100000] [sandboxes, default 8]
#include <daytona.hpp>

#include "emulator_process.hpp"

#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>

namespace dt = daytona;
using namespace std::chrono;
namespace fs = std::filesystem;

namespace {

const std::string api_key = "soak-key";
constexpr auto attempt_timeout = 1500ms;
constexpr auto retry_budget = 4000ms;
/// The longest a single-request call may take: the retry budget, one more attempt, and slack
/// for the scheduler.
constexpr auto call_deadline = retry_budget + attempt_timeout + 500ms;
const std::string token_dir = "/tmp/soak-tokens";

/// The operations the faults hit: the workload's own (the soak's setup and checks go clean).
const std::string workload_ops =
    "create_sandbox|get_sandbox|list_sandboxes|delete_sandbox|execute_command|upload_file|"
    "upload_files|download_file|download_files|create_session|execute_session_command|"
    "delete_session";

std::size_t open_fds() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/fd"))
        ++n;
    return n;
}

struct tally {
    std::size_t calls = 0, failed = 0, wrong = 0, late = 0;
    std::map<std::string, std::size_t> failures;  // by error code message
    /// exec token -> whether its call succeeded.
    std::map<std::string, bool> tokens;
    milliseconds slowest{0};

    /// Counts one call that took `took`; `ok` whether it succeeded, `right` whether its
    /// result was the expected one.
    template <class R>
    bool count(const R& r, steady_clock::duration took, bool right = true) {
        ++calls;
        const auto ms = duration_cast<milliseconds>(took);
        slowest = std::max(slowest, ms);
        if (took > call_deadline) ++late;
        if (!r) {
            ++failed;
            ++failures[r.error().code().message()];
            return false;
        }
        if (!right) ++wrong;
        return right;
    }
};

struct soak {
    dt::client& client;
    tally t;
    std::mt19937_64 rng{42};

    std::string bytes(std::size_t n) {
        std::string s(n, '\0');
        for (auto& c : s)
            c = static_cast<char>(rng());
        return s;
    }
};

/// One task: a few calls chosen by its index, each checked and timed.
asio::awaitable<dt::result<void>> work(soak& s, dt::sandbox& sb, std::size_t i) {
    const auto t0 = steady_clock::now();
    switch (i % 4) {
        case 0: {  // exec: a token appended to the shared volume, and echoed
            const std::string token = "T" + std::to_string(i);
            auto r = co_await sb.process().exec("printf '%s\\n' " + token + " >> " + token_dir +
                                                "/log && echo " + token);
            const bool ok = s.t.count(r, steady_clock::now() - t0, r && r->output == token + "\n");
            s.t.tokens[token] = ok;
            break;
        }
        case 1: {  // upload, then download the same bytes
            const std::string data = s.bytes(1 + s.rng() % 4096);
            const std::string path = "soak/" + std::to_string(i) + ".bin";
            auto fsys = sb.fs();
            auto up = co_await fsys.upload(path, dt::upload_source::from_memory(data));
            if (!s.t.count(up, steady_clock::now() - t0)) break;
            const auto t1 = steady_clock::now();
            auto down = co_await fsys.download(path);
            s.t.count(down, steady_clock::now() - t1, down && *down == data);
            break;
        }
        case 2: {  // get and list
            auto got = co_await s.client.get(sb.id());
            s.t.count(got, steady_clock::now() - t0, got && got->id() == sb.id());
            const auto t1 = steady_clock::now();
            dt::list_params lp;
            lp.labels = {{"soak", "yes"}};
            auto page = co_await s.client.list(std::move(lp));
            bool found = false;
            if (page)
                for (const auto& other : page->items)
                    found = found || other.id() == sb.id();
            s.t.count(page, steady_clock::now() - t1,
                      found || (page && !page->next_cursor.empty()));
            break;
        }
        default: {  // a session: create, run a command, delete
            auto proc = sb.process();
            auto made = co_await proc.create_session("s" + std::to_string(i));
            if (!s.t.count(made, steady_clock::now() - t0)) break;
            const auto t1 = steady_clock::now();
            auto ran = co_await made->exec("echo S" + std::to_string(i));
            s.t.count(ran, steady_clock::now() - t1,
                      ran && ran->stdout_text == "S" + std::to_string(i) + "\n");
            const auto t2 = steady_clock::now();
            auto gone = co_await made->destroy();
            s.t.count(gone, steady_clock::now() - t2);
            break;
        }
    }
    co_return dt::result<void>{};
}

asio::awaitable<int> run(dt::client& client, std::size_t calls, std::size_t sandboxes,
                         const fs::path& data_dir) {
    soak s{client, {}};
    auto vol = co_await client.volumes().create("soak-tokens");
    if (!vol) {
        std::cerr << "volume: " << vol.error() << '\n';
        co_return 2;
    }
    dt::pool_options po{.max_sandboxes = sandboxes};
    po.sandbox.labels = {{"soak", "yes"}};
    po.sandbox.volumes = {{.volume_id = vol->id, .mount_path = token_dir}};
    // Every 16th reset retires its sandbox, so creation and deletion stay in the mix.
    std::size_t resets = 0;
    po.reset = [&resets](dt::sandbox&) -> asio::awaitable<dt::result<void>> {
        if (++resets % 16 == 0)
            co_return dt::error(std::make_error_code(std::errc::operation_canceled), "retire");
        co_return dt::result<void>{};
    };
    dt::sandbox_pool pool(client, std::move(po));

    // About two calls per task.
    const auto t0 = steady_clock::now();
    std::size_t tasks = std::max<std::size_t>(1, calls / 2);
    auto results =
        co_await pool.run(tasks, [&s](dt::sandbox& sb, std::size_t i) { return work(s, sb, i); });
    std::size_t task_failures = 0;
    for (const auto& r : results)
        if (!r) {
            if (task_failures++ < 3) std::cerr << "task: " << r.error() << '\n';
        }
    // Deleting what is left (and sweeping what failed creations left) with faults still on.
    auto closed = co_await pool.close();
    for (int again = 0; !closed && again < 5; ++again)
        closed = co_await pool.close();
    const double seconds = duration<double>(steady_clock::now() - t0).count();

    // Tokens: each succeeded exec's exactly once, no failed exec's more than once.
    std::map<std::string, int> seen;
    for (const auto& e : fs::recursive_directory_iterator(data_dir / "volumes"))
        if (e.path().filename() == "log") {
            std::ifstream in(e.path());
            for (std::string line; std::getline(in, line);)
                ++seen[line];
        }
    std::size_t duplicated = 0, lost = 0;
    for (const auto& [token, ok] : s.t.tokens) {
        const int n = seen.count(token) ? seen[token] : 0;
        if (n > 1) ++duplicated;
        if (ok && n != 1) ++lost;
    }

    // Sandboxes left: listed without faults (a clean client would see the same).
    dt::list_params mine;
    mine.labels = {{"soak", "yes"}};
    // The listing itself may meet a fault (a stall is not retried): ask again.
    dt::result<std::vector<dt::sandbox>> left = dt::error(make_error_code(dt::errc::cancelled));
    for (int attempt = 0; !left && attempt < 5; ++attempt) {
        auto listing = client.list_all(mine);
        left = co_await std::move(listing);
    }
    std::size_t leaked = 0;
    if (left)
        for (const auto& sb : *left)
            if (sb.state() != dt::sandbox_state::destroyed &&
                sb.state() != dt::sandbox_state::destroying)
                ++leaked;
    (void)co_await client.volumes().destroy(vol->id);

    std::printf(
        "soak: %zu calls in %.1f s (%zu tasks, %zu sandboxes created), %zu failed as "
        "faults made them fail, slowest call %lld ms\n",
        s.t.calls, seconds, tasks, pool.stats().sandboxes_created, s.t.failed,
        static_cast<long long>(s.t.slowest.count()));
    for (const auto& [why, n] : s.t.failures)
        std::printf("  failed: %-40s %zu\n", why.c_str(), n);
    std::printf(
        "  wrong results %zu, past deadline %zu, duplicated execs %zu, lost execs %zu, "
        "sandboxes left %zu%s\n",
        s.t.wrong, s.t.late, duplicated, lost, leaked, left ? "" : " (list failed)");
    co_return s.t.wrong + s.t.late + duplicated + lost + leaked == 0 && left ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t calls = argc > 1 ? std::max(1, std::atoi(argv[1])) : 100000;
    const std::size_t sandboxes = argc > 2 ? std::max(1, std::atoi(argv[2])) : 8;
    const fs::path data_dir =
        fs::temp_directory_path() / ("daytona-soak-" + std::to_string(::getpid()));
    fs::create_directories(data_dir);
    // Seven faults at 1.43% each: about 10% of the workload's requests.
    std::vector<std::string> args{"--api-key",  api_key,           "--threads",    "2",
                                  "--data-dir", data_dir.string(), "--fault-seed", "7"};
    for (const std::string kind :
         {"reset-before-headers", "reset-after-headers", "truncate-body", "drip:1", "stall:2000",
          "status:429;retry-after=1", "status:503;retry-after=1"}) {
        args.push_back("--fault");
        args.push_back(kind + ";rate=0.0143;op=" + workload_ops);
    }
    int status = 0;
    std::size_t fds_before = 0, fds_after = 0;
    {
        daytona_test::emulator_process emu(DAYTONA_EMULATOR_BINARY, args);
        fds_before = open_fds();
        {
            asio::io_context io;
            dt::client_options o{.api_url = emu.api_url(), .api_key = api_key};
            o.request_timeout = attempt_timeout;
            o.retry.max_attempts = 4;
            o.retry.max_elapsed = retry_budget;
            o.retry.initial_backoff = 50ms;
            dt::client client{io.get_executor(), o};
            status = dt::run_sync(io, run(client, calls, sandboxes, data_dir));
        }
        fds_after = open_fds();
    }
    std::error_code ec;
    fs::remove_all(data_dir, ec);
    std::printf("  file descriptors: %zu before, %zu after the client\n", fds_before, fds_after);
    if (fds_after != fds_before) status = 1;
    return status;
}
