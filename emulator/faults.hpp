// SPDX-License-Identifier: Apache-2.0
// Deterministic fault injection and Daytona-style rate limiting for the emulator.
//
// A fault is asked for per request with the header
//     X-Daytona-Emulator-Fault: <kind>[:<arg>][;times=N][;key=K][;retry-after=S]
// or for matching requests with
//     --fault '<kind>[:<arg>][;op=<operation>[|<operation>...]][;path=<glob>][;rate=P][;times=N]'
// (several faults: repeat the flag, or separate them with ','). op= names operations as the
// route table does: the catalogue's names (create_sandbox, get_sandbox, execute_command,
// upload_files, ... in daytona/api/operations.hpp) and the emulator's own (stream_build_logs,
// relay_preview, ...); an unknown name is refused at start-up. path= is a glob over the request
// path ("/api/sandbox*"). With both, a request must match both; with neither, every request
// matches. A header fault may carry op= and path= too, and then applies only where they match.
// Kinds:
//     reset-before-headers   read the request, then reset the connection (no response)
//     reset-after-headers    send the status line and headers, then reset
//     truncate-body          send half the body, then close the connection
//     drip:<ms>              send the response 16 bytes at a time, <ms> apart
//     stall:<ms>             wait <ms> before handling the request
//     status:<code>          answer <code> with Daytona's error body (and Retry-After=S if given)
// times=N applies the fault to the first N matching requests only (counted per key, so a retry
// test can fail twice and then succeed); rate=P applies it with probability P, drawn from a
// generator seeded by --fault-seed, so a run is reproducible. For example,
//     --fault 'status:503;op=start_sandbox|stop_sandbox;times=2;retry-after=1'
// fails the first two starts or stops with 503 and Retry-After: 1, then lets them through.
#ifndef DAYTONA_EMULATOR_FAULTS_HPP
#define DAYTONA_EMULATOR_FAULTS_HPP

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace daytona::emulator {

struct fault {
    enum class kind {
        reset_before_headers,
        reset_after_headers,
        truncate_body,
        drip,
        stall,
        status
    };
    kind what = kind::status;
    int arg = 0;  ///< milliseconds for drip/stall, the HTTP status for status
    std::optional<int> retry_after;
    std::optional<int> times;
    std::string key;
    std::string path_glob = "*";
    /// Operation names (op=); empty matches every request.
    std::vector<std::string> operations{};
    double rate = 1.0;
};

/// Parses one fault specification; nullopt (with `why`) if it is malformed.
std::optional<fault> parse_fault(std::string_view spec, std::string* why);

class fault_injector {
public:
    /// Faults that apply to every request they match (from --fault).
    void configure(std::vector<fault> faults, std::uint64_t seed);
    /// The fault to apply to this request, if any: from its header first, else the configured.
    /// `operation` is the name of the request's route (empty when no route matched).
    std::optional<fault> decide(std::string_view path, std::string_view operation,
                                std::string_view header);

private:
    bool take(const fault& f);
    static bool applies(const fault& f, std::string_view path, std::string_view operation);
    std::mutex mu_;
    std::vector<fault> configured_;
    std::map<std::string, int, std::less<>> used_;
    std::mt19937_64 rng_{0};
};

/// Fixed-window throttlers named as Daytona names them, configured with --rate-limit
/// name=count/seconds. Every authenticated API request counts against `authenticated`; a
/// request counts against `sandbox-create` or `sandbox-lifecycle` by its operation:
/// create_sandbox, and delete/start/stop/archive/recover/resize_sandbox.
class rate_limiter {
public:
    struct limit {
        std::string name;
        int count = 0;
        int window_seconds = 60;
    };
    struct verdict {
        /// X-RateLimit-* headers to add to the response.
        std::vector<std::pair<std::string, std::string>> headers;
        /// Set when a limit was exceeded: seconds until its window resets, and its name.
        std::optional<int> retry_after;
        std::string throttler;
    };
    /// Parses "name=count/seconds".
    static std::optional<limit> parse(std::string_view spec, std::string* why);
    void configure(std::vector<limit> limits) { limits_ = std::move(limits); }
    bool enabled() const noexcept { return !limits_.empty(); }
    /// Counts one authenticated API request, of the operation named (empty when no route
    /// matched), against its throttlers.
    verdict check(std::string_view operation);

private:
    struct window {
        std::int64_t start = 0;
        int used = 0;
    };
    std::mutex mu_;
    std::vector<limit> limits_;
    std::map<std::string, window, std::less<>> windows_;
};

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_FAULTS_HPP
