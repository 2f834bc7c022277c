// SPDX-License-Identifier: Apache-2.0
// daytona-emulator: serve the Daytona API and toolbox on loopback until SIGINT/SIGTERM.
#include "emulator.hpp"
#include "messages_api.hpp"

#include <daytona/detail/string.hpp>

#include <signal.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string_view>

namespace {

void usage(std::ostream& os) {
    os << "usage: daytona-emulator [options]\n"
          "  --port N          port to listen on; 0 (default) picks a free one and prints it\n"
          "  --bind ADDR       address to listen on (default 127.0.0.1)\n"
          "  --data-dir DIR    where sandboxes live (default: a temporary directory, removed on "
          "exit)\n"
          "  --api-key KEY     the only Bearer token accepted (default: any non-empty token)\n"
          "  --threads N       request threads (default 1)\n"
          "  --tls-cert FILE   serve HTTPS with this PEM certificate chain ...\n"
          "  --tls-key FILE    ... and this PEM private key\n"
          "  --verbose         log each request to stderr\n"
          "  --state-delay-ms N  time each intermediate sandbox/snapshot state lasts (default 0:\n"
          "                    transitions are immediate)\n"
          "  --fault SPEC      inject a fault on matching requests, e.g. "
          "'status:503;op=start_sandbox;times=2'\n"
          "                    or 'stall:500;path=/api/sandbox*'\n"
          "                    (repeatable; see emulator/faults.hpp)\n"
          "  --fault-seed N    seed for probabilistic faults (rate=P), default 1\n"
          "  --rate-limit SPEC throttler=count/seconds, e.g. sandbox-create=5/60 (repeatable)\n"
          "  --host-dir DIR    a host directory every sandbox sees read-only at the same path\n"
          "                    (repeatable; matters under /home and /tmp, which sandboxes own)\n"
          "  --isolation MODE  auto (default: private mount namespaces when allowed) or none\n"
          "  --builds MODE     auto (default: Dockerfile builds run for real in an overlay root\n"
          "                    over the host's /, when overlay mounts are allowed) or emulated\n"
          "  --proxy-domain D  preview URLs are {port}-{sandboxId}.D (default proxy.localhost)\n"
          "  --no-socket-io    refuse the Socket.IO event channel (SDK waits then poll)\n"
          "  --messages-api PORT  also serve the Anthropic Messages API stand-in (a scripted\n"
          "                    model for the Claude Code CLI) on PORT (0: a free one)\n"
          "The API key may also come from DAYTONA_EMULATOR_API_KEY, so it stays off the command "
          "line.\n";
}

}  // namespace

int main(int argc, char** argv) {
    namespace emu = daytona::emulator;
    emu::emulator_options opts;
    int messages_port = -1;
    if (const char* k = std::getenv("DAYTONA_EMULATOR_API_KEY")) opts.api_key = k;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        auto next = [&]() -> std::string_view {
            if (i + 1 >= argc) {
                std::cerr << "daytona-emulator: " << a << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--port") {
            auto v = daytona::detail::parse_uint<unsigned>(next());
            if (!v || *v > 65535) {
                std::cerr << "daytona-emulator: invalid port\n";
                return 2;
            }
            opts.port = static_cast<std::uint16_t>(*v);
        } else if (a == "--bind") {
            opts.bind_address = std::string(next());
        } else if (a == "--data-dir") {
            opts.data_dir = std::string(next());
        } else if (a == "--api-key") {
            opts.api_key = std::string(next());
        } else if (a == "--threads") {
            auto v = daytona::detail::parse_uint<unsigned>(next());
            if (!v || *v == 0 || *v > 256) {
                std::cerr << "daytona-emulator: invalid thread count\n";
                return 2;
            }
            opts.threads = *v;
        } else if (a == "--tls-cert") {
            opts.tls_cert_file = std::string(next());
        } else if (a == "--tls-key") {
            opts.tls_key_file = std::string(next());
        } else if (a == "--state-delay-ms") {
            auto v = daytona::detail::parse_uint<unsigned>(next());
            if (!v || *v > 600000) {
                std::cerr << "daytona-emulator: invalid --state-delay-ms\n";
                return 2;
            }
            opts.state_delay = std::chrono::milliseconds(*v);
        } else if (a == "--fault") {
            opts.faults.emplace_back(next());
        } else if (a == "--fault-seed") {
            auto v = daytona::detail::parse_uint<std::uint64_t>(next());
            if (!v) {
                std::cerr << "daytona-emulator: invalid --fault-seed\n";
                return 2;
            }
            opts.fault_seed = *v;
        } else if (a == "--rate-limit") {
            opts.rate_limits.emplace_back(next());
        } else if (a == "--isolation") {
            opts.isolation = std::string(next());
            if (opts.isolation != "auto" && opts.isolation != "none") {
                std::cerr << "daytona-emulator: --isolation is auto or none\n";
                return 2;
            }
        } else if (a == "--builds") {
            opts.builds = std::string(next());
            if (opts.builds != "auto" && opts.builds != "emulated") {
                std::cerr << "daytona-emulator: --builds is auto or emulated\n";
                return 2;
            }
        } else if (a == "--proxy-domain") {
            opts.proxy_domain = std::string(next());
            if (opts.proxy_domain.empty() || opts.proxy_domain.front() == '.') {
                std::cerr << "daytona-emulator: invalid --proxy-domain\n";
                return 2;
            }
        } else if (a == "--messages-api") {
            const std::string v(next());
            char* end = nullptr;
            const long p = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end != '\0' || p < 0 || p > 65535) {
                std::cerr << "daytona-emulator: invalid --messages-api port\n";
                return 2;
            }
            messages_port = static_cast<int>(p);
        } else if (a == "--host-dir") {
            // As given (made absolute), not resolved: sandboxes see it at the path they are told.
            std::error_code ec;
            auto dir = std::filesystem::absolute(std::string(next()), ec).lexically_normal();
            if (ec || !std::filesystem::is_directory(dir)) {
                std::cerr << "daytona-emulator: --host-dir needs an existing directory\n";
                return 2;
            }
            opts.host_dirs.push_back(std::move(dir));
        } else if (a == "--verbose") {
            opts.verbose = true;
        } else if (a == "--no-socket-io") {
            opts.socket_io = false;
        } else if (a == "--help" || a == "-h") {
            usage(std::cout);
            return 0;
        } else {
            std::cerr << "daytona-emulator: unknown option " << a << "\n";
            usage(std::cerr);
            return 2;
        }
    }
    if (opts.tls_cert_file.empty() != opts.tls_key_file.empty()) {
        std::cerr << "daytona-emulator: --tls-cert and --tls-key go together\n";
        return 2;
    }

    // Block the signals in every thread, then wait for them here.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    emu::emulator server(opts);
    if (auto r = server.start(); !r) {
        std::cerr << "daytona-emulator: " << r.error() << '\n';
        return 1;
    }
    // The first line is machine-readable: scripts and benchmarks parse the URL from it.
    std::cout << "daytona-emulator listening on " << server.base_url()
              << " (api: " << server.api_url() << ", data: " << server.data_dir().string() << ")"
              << std::endl;
    std::cerr << "daytona-emulator: process isolation: " << server.isolation() << '\n';
    std::unique_ptr<emu::messages_api> messages;
    if (messages_port >= 0) {
        messages = std::make_unique<emu::messages_api>(emu::messages_api_options{
            .port = static_cast<std::uint16_t>(messages_port), .verbose = opts.verbose});
        if (auto r = messages->start(); !r) {
            std::cerr << "daytona-emulator: messages API: " << r.error() << '\n';
            return 1;
        }
        std::cout << "messages API stand-in listening on " << messages->base_url()
                  << " (ANTHROPIC_BASE_URL)" << std::endl;
    }
    int sig = 0;
    sigwait(&stop_signals, &sig);
    if (messages) messages->stop();
    server.stop();
    return 0;
}
