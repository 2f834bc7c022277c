// SPDX-License-Identifier: Apache-2.0
// The emulator under load and a crash: N clients (64 by default) create sandboxes and upload
// files to them against the emulator binary; halfway through, the emulator is killed with
// SIGKILL in the middle of the traffic and started again on the same data directory. Every
// sandbox and every file whose call was acknowledged before the kill must be there afterwards,
// byte for byte; then the clients go on against the restarted emulator for the other half.
// Counts and must find zero of: sandboxes lost, files lost or different, calls that failed
// after the restart, temporary files of cut-off uploads left after the restart. Exits non-zero
// otherwise.
//
//   daytona_crash_restart [seconds, default 60] [clients, default 64]
#include <daytona.hpp>

#include "emulator_process.hpp"

#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace dt = daytona;
using namespace std::chrono;
namespace fs = std::filesystem;

namespace {

const std::string api_key = "crash-key";
/// Uploads per sandbox before a worker makes a new one: sandboxes and files both keep coming.
constexpr int files_per_sandbox = 16;

/// What the server acknowledged: sandbox id -> (path -> bytes).
using acknowledged = std::map<std::string, std::map<std::string, std::string>>;

struct phase {
    acknowledged acked;
    std::size_t calls = 0;
    /// Failed calls before the kill (or in a phase without one), and after it (expected).
    std::size_t failed = 0, failed_by_kill = 0;
    std::map<std::string, std::size_t> failures;  // by error code message
    bool stop = false;
    bool killed = false;

    template <class R>
    bool count(const R& r) {
        ++calls;
        if (r) return true;
        ++(killed ? failed_by_kill : failed);
        ++failures[r.error().code().message()];
        return false;
    }
    std::size_t files() const {
        std::size_t n = 0;
        for (const auto& [id, f] : acked)
            n += f.size();
        return n;
    }
};

dt::client_options options(const std::string& api_url) {
    dt::client_options o{.api_url = api_url, .api_key = api_key};
    o.request_timeout = 30s;
    o.connect_timeout = 2s;
    o.retry.max_attempts = 2;
    return o;
}

/// One client: a sandbox, files_per_sandbox uploads into it, the next sandbox, until stopped.
asio::awaitable<void> worker(dt::client& client, phase& p, int w, std::string tag) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(w) * 7919 + static_cast<unsigned char>(tag[0]));
    for (int k = 0; !p.stop; ++k) {
        dt::create_params cp;
        cp.name = tag + "-" + std::to_string(w) + "-" + std::to_string(k);
        cp.labels = {{"crash", "yes"}};
        auto made = co_await client.create(std::move(cp));
        if (!p.count(made)) {
            if (p.stop) break;
            asio::steady_timer pause(co_await asio::this_coro::executor, 100ms);
            co_await pause.async_wait(asio::use_awaitable);
            continue;
        }
        auto& files = p.acked[made->id()];
        auto fsys = made->fs();
        for (int j = 0; j < files_per_sandbox && !p.stop; ++j) {
            std::string data(64 + rng() % 8192, '\0');
            for (auto& c : data)
                c = static_cast<char>(rng());
            const std::string path = "files/" + std::to_string(j) + ".bin";
            auto up = co_await fsys.upload(path, dt::upload_source::from_memory(data));
            if (p.count(up)) files[path] = std::move(data);
        }
    }
}

/// Runs `clients` workers for `length`, then stops them; `kill` (if any) runs at the end of
/// `length` while the workers' calls are in flight.
void drive(const std::string& api_url, int clients, phase& p, std::string tag,
           steady_clock::duration length, const std::function<void()>& kill = {}) {
    asio::io_context io;
    std::vector<std::unique_ptr<dt::client>> all;
    for (int w = 0; w < clients; ++w) {
        all.push_back(std::make_unique<dt::client>(io.get_executor(), options(api_url)));
        asio::co_spawn(io, worker(*all.back(), p, w, tag), asio::detached);
    }
    asio::steady_timer end(io, length);
    end.async_wait([&](std::error_code) {
        if (kill) {
            p.killed = true;
            kill();
        }
        p.stop = true;
    });
    io.run();
}

void report(const char* what, const phase& p, double seconds) {
    std::printf(
        "%s: %zu calls in %.1f s (%.0f/s), %zu sandboxes and %zu files acknowledged, "
        "%zu calls failed, %zu cut off by the kill\n",
        what, p.calls, seconds, static_cast<double>(p.calls) / seconds, p.acked.size(), p.files(),
        p.failed, p.failed_by_kill);
    for (const auto& [why, n] : p.failures)
        std::printf("  failed: %-40s %zu\n", why.c_str(), n);
}

/// Every acknowledged sandbox and file, read back from the restarted emulator.
asio::awaitable<std::size_t> verify(dt::client& client, const acknowledged& acked) {
    std::size_t lost_sandboxes = 0, lost_files = 0, different = 0;
    for (const auto& [id, files] : acked) {
        auto sb = co_await client.get(id);
        if (!sb || sb->state() != dt::sandbox_state::started) {
            if (lost_sandboxes++ < 3)
                std::cerr << "sandbox " << id << ": "
                          << (sb ? std::string(sb->info().state_name) : sb.error().to_string())
                          << '\n';
            lost_files += files.size();
            continue;
        }
        auto fsys = sb->fs();
        for (const auto& [path, data] : files) {
            auto got = co_await fsys.download(path);
            if (!got) {
                if (lost_files++ < 3) std::cerr << id << "/" << path << ": " << got.error() << '\n';
            } else if (*got != data) {
                ++different;
            }
        }
    }
    std::size_t files = 0;
    for (const auto& [id, f] : acked)
        files += f.size();
    std::printf(
        "after the restart: %zu of %zu sandboxes and %zu of %zu files there, %zu files "
        "different\n",
        acked.size() - lost_sandboxes, acked.size(), files - lost_files, files, different);
    co_return lost_sandboxes + lost_files + different;
}

/// Uploads the emulator had recorded as in flight (what a kill cuts off), and the temporary
/// files of uploads found in the sandboxes' trees.
struct unfinished_uploads {
    std::size_t recorded = 0, temporary_files = 0;
};

unfinished_uploads count_unfinished_uploads(const fs::path& data_dir) {
    unfinished_uploads n;
    std::error_code ec;
    for (const auto& sb : fs::directory_iterator(data_dir / "sandboxes", ec)) {
        n.recorded += static_cast<std::size_t>(
            std::distance(fs::directory_iterator(sb.path() / "uploads", ec), {}));
        for (auto it = fs::recursive_directory_iterator(
                 sb.path() / "fs", fs::directory_options::skip_permission_denied, ec);
             it != fs::recursive_directory_iterator(); it.increment(ec))
            n.temporary_files +=
                it->path().filename().string().find(".upload-") != std::string::npos;
    }
    return n;
}

}  // namespace

int main(int argc, char** argv) {
    const int seconds = argc > 1 ? std::max(2, std::atoi(argv[1])) : 60;
    const int clients = argc > 2 ? std::max(1, std::atoi(argv[2])) : 64;
    const fs::path data_dir =
        fs::temp_directory_path() / ("daytona-crash-" + std::to_string(::getpid()));
    fs::create_directories(data_dir);
    const std::vector<std::string> args{"--api-key", api_key,      "--threads",
                                        "2",         "--data-dir", data_dir.string()};
    const auto half = duration_cast<steady_clock::duration>(duration<double>(seconds / 2.0));
    std::size_t bad = 0;
    {
        phase before;
        auto emu = std::make_unique<daytona_test::emulator_process>(DAYTONA_EMULATOR_BINARY, args);
        auto t0 = steady_clock::now();
        drive(emu->api_url(), clients, before, "a", half, [&] { emu->kill_now(); });
        report("before the kill", before, duration<double>(steady_clock::now() - t0).count());
        // No call may fail before the kill, and there must be something to lose.
        bad += before.failed;
        if (before.files() == 0) {
            std::printf("nothing was acknowledged before the kill: nothing was tested\n");
            ++bad;
        }

        const auto cut_off = count_unfinished_uploads(data_dir);
        t0 = steady_clock::now();
        emu = std::make_unique<daytona_test::emulator_process>(DAYTONA_EMULATOR_BINARY, args);
        std::printf("restarted on the same data directory in %.0f ms\n",
                    duration<double, std::milli>(steady_clock::now() - t0).count());
        // The restart removes what the uploads cut off by the kill had written.
        const auto left = count_unfinished_uploads(data_dir);
        std::printf(
            "uploads cut off by the kill: %zu (%zu temporary files); after the restart: %zu "
            "records, %zu temporary files\n",
            cut_off.recorded, cut_off.temporary_files, left.recorded, left.temporary_files);
        bad += left.recorded + left.temporary_files;
        {
            asio::io_context io;
            dt::client client{io.get_executor(), options(emu->api_url())};
            bad += dt::run_sync(io, verify(client, before.acked));
        }

        phase after;
        t0 = steady_clock::now();
        drive(emu->api_url(), clients, after, "b", half);
        report("after the restart", after, duration<double>(steady_clock::now() - t0).count());
        // Stopping lets every call in flight finish: none may fail against the restarted server.
        bad += after.failed;
    }
    std::error_code ec;
    if (bad == 0)
        fs::remove_all(data_dir, ec);
    else
        std::printf("the data directory is kept for a look: %s\n", data_dir.c_str());
    std::printf("%s\n",
                bad == 0 ? "nothing acknowledged was lost" : "LOSSES OR FAILURES (see above)");
    return bad == 0 ? 0 : 1;
}
