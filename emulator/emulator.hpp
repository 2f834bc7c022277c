// SPDX-License-Identifier: Apache-2.0
// The Daytona emulator: the API and toolbox wire protocol on loopback, backed by real
// directories and processes. Embeddable (tests, examples) and the daytona-emulator binary.
#ifndef DAYTONA_EMULATOR_EMULATOR_HPP
#define DAYTONA_EMULATOR_EMULATOR_HPP

#include <daytona/result.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace daytona::emulator {

struct emulator_options {
    /// Address to listen on. Default loopback only.
    std::string bind_address = "127.0.0.1";
    /// 0 picks a free port.
    std::uint16_t port = 0;
    /// Where sandboxes live. Empty: a fresh temporary directory, removed by stop().
    std::filesystem::path data_dir{};
    /// The only Bearer token accepted. Empty: any non-empty token is accepted.
    std::string api_key{};
    /// Threads serving requests.
    unsigned threads = 1;
    /// PEM files; both set serves HTTPS instead of HTTP.
    std::string tls_cert_file{};
    std::string tls_key_file{};
    /// Log one line per request to stderr.
    bool verbose = false;
    /// Time each intermediate state lasts (creating, starting, stopping, pending_build, ...).
    /// 0 (default) makes every transition immediate, so SDK waits need no polls.
    std::chrono::milliseconds state_delay{0};
    /// Fault specifications applied to matching routes (see faults.hpp), and the seed of the
    /// generator that decides probabilistic ones.
    std::vector<std::string> faults{};
    std::uint64_t fault_seed = 1;
    /// Rate limits, "throttler=count/seconds" (authenticated, sandbox-create, sandbox-lifecycle).
    std::vector<std::string> rate_limits{};
    /// "auto": private mount namespaces when the machine allows them; "none": plain processes.
    std::string isolation = "auto";
    /// "auto": Dockerfile builds run for real (an overlay root over the host's /, see
    /// image_build.hpp) when the machine allows overlay mounts in private namespaces, else they
    /// are emulated (recorded and logged, nothing executed); "emulated": always emulated.
    std::string builds = "auto";
    /// Preview URLs are {port}-{sandboxId}.{proxy_domain}:{emulator port}; a request with such a
    /// Host is relayed to that port in the sandbox. Names under "localhost" resolve to loopback
    /// in browsers and curl; other clients need the Host header set (or a wildcard DNS name).
    std::string proxy_domain = "proxy.localhost";
    /// Host directories that every sandbox sees, read-only, at the same path. Each sandbox has
    /// /home and /tmp of its own, which hide the host's; a tool installed under them that
    /// sandbox processes run (a Claude Code CLI in a checkout under /home, say) is named here.
    /// Directories elsewhere are visible anyway.
    std::vector<std::filesystem::path> host_dirs{};
    /// Serve the Socket.IO event channel (state changes pushed to the SDKs' waits); off, the
    /// upgrade is refused and the SDKs poll.
    bool socket_io = true;
};

class service;
class http_server;

/**
 * \brief A running emulator.
 * \details start() binds and serves on background threads; stop() (or the destructor) shuts
 * it down and kills the processes it started. If SIGPIPE is at its default action, start()
 * ignores it process-wide: writes to pipes of sandbox processes that died must fail, not end
 * the host program.
 */
class emulator {
public:
    explicit emulator(emulator_options opts = {});
    ~emulator();
    emulator(const emulator&) = delete;
    emulator& operator=(const emulator&) = delete;

    result<void> start();
    void stop();

    std::uint16_t port() const noexcept;
    /// "http://127.0.0.1:PORT" (https with TLS).
    std::string base_url() const;
    /// base_url() + "/api", what DAYTONA_API_URL should be.
    std::string api_url() const { return base_url() + "/api"; }
    const std::filesystem::path& data_dir() const noexcept { return data_dir_; }
    const emulator_options& options() const noexcept { return opts_; }
    /// How sandbox processes are isolated here (for the startup line).
    std::string isolation() const;
    /// Whether Dockerfile builds run for real here (see emulator_options::builds); when they
    /// are emulated, `why_not` says why ("--builds emulated", no private mount namespaces, no
    /// overlay mounts, or the emulator is not started).
    bool real_builds(std::string* why_not = nullptr) const;

private:
    emulator_options opts_;
    std::filesystem::path data_dir_;
    bool owns_data_dir_ = false;
    std::shared_ptr<service> service_;
    std::unique_ptr<http_server> server_;
};

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_EMULATOR_HPP
