// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the I/O tests: running coroutines, the in-process emulator, TLS material.
#ifndef DAYTONA_TESTS_TEST_SUPPORT_HPP
#define DAYTONA_TESTS_TEST_SUPPORT_HPP

#include <daytona.hpp>
#include <emulator.hpp>

#include <gtest/gtest.h>

#include <asio/cancellation_signal.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace daytona_test {

namespace dt = daytona;

/// Runs an awaitable to completion on a fresh io_context.
template <class T>
T run(asio::awaitable<T> op) {
    asio::io_context io;
    return dt::run_sync(io, std::move(op));
}

inline constexpr const char* emulator_key = "test-key-7f3a9c1e";

/// The Claude Code CLI that tools/run.sh installs (npm ci in tests/claude), shown to sandboxes
/// even when this checkout lies under /home or /tmp, of which sandboxes have their own.
inline std::vector<std::filesystem::path> claude_cli_host_dirs() {
    const std::filesystem::path dir =
        std::string(DAYTONA_SOURCE_DIR) + "/tests/claude/node_modules";
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return {};
    return {dir};
}

/// One emulator per test binary, started on first use (loopback, ephemeral port, temp dir).
inline std::unique_ptr<dt::emulator::emulator>& shared_emulator_slot() {
    static std::unique_ptr<dt::emulator::emulator> emu;
    return emu;
}

inline dt::emulator::emulator& shared_emulator() {
    auto& emu = shared_emulator_slot();
    if (!emu) {
        auto e = std::make_unique<dt::emulator::emulator>(dt::emulator::emulator_options{
            .api_key = emulator_key, .threads = 2, .host_dirs = claude_cli_host_dirs()});
        if (auto r = e->start(); !r) throw std::runtime_error(r.error().to_string());
        emu = std::move(e);
    }
    return *emu;
}

/// Stops the shared emulator when the tests are done, inside RUN_ALL_TESTS: left to static
/// destruction, its threads would still be failing connections while other statics (error
/// categories, asio's services) are already gone.
struct shared_emulator_teardown : ::testing::Environment {
    void TearDown() override { shared_emulator_slot().reset(); }
};
inline auto* const shared_emulator_teardown_registration =
    ::testing::AddGlobalTestEnvironment(new shared_emulator_teardown);

/// Client options pointing at the shared emulator.
inline dt::client_options emulator_options() {
    dt::client_options o;
    o.api_url = shared_emulator().api_url();
    o.api_key = emulator_key;
    o.request_timeout = std::chrono::seconds(30);
    return o;
}

/// An emulator of its own, with realistic state delays (or rate limits, faults).
struct own_emulator {
    dt::emulator::emulator emu;
    explicit own_emulator(dt::emulator::emulator_options o) : emu(with_key(std::move(o))) {
        if (auto r = emu.start(); !r) throw std::runtime_error(r.error().to_string());
    }
    dt::client_options options() const {
        dt::client_options o;
        o.api_url = emu.api_url();
        o.api_key = emulator_key;
        o.polling.initial_interval =
            std::chrono::milliseconds(20);  // keep the polls quick; their count is what matters
        return o;
    }
    static dt::emulator::emulator_options with_key(dt::emulator::emulator_options o) {
        o.api_key = emulator_key;
        return o;
    }
};

/// A test with an io_context, a client of the shared emulator, and a way to await.
class emulator_test : public ::testing::Test {
protected:
    asio::io_context io;
    dt::client client{io.get_executor(), emulator_options()};

    template <class T>
    T await(asio::awaitable<T> op) {
        return dt::run_sync(io, std::move(op));
    }
    /// A started sandbox; throws (failing the test) when it cannot be made.
    dt::sandbox make(dt::create_params p = {}) {
        auto sb = await(client.create(std::move(p)));
        if (!sb) throw std::runtime_error(sb.error().to_string());
        return *sb;
    }
};

/// Emits `cancel` once `check`, a command run in `sb`, prints "yes" (or after `tries` checks
/// `every` apart): how the cancellation tests cancel an operation once its command runs.
inline asio::awaitable<void> cancel_when(dt::sandbox sb, std::string check,
                                         asio::cancellation_signal& cancel, int tries,
                                         std::chrono::milliseconds every) {
    for (int i = 0; i < tries; ++i) {
        auto seen = co_await sb.process().exec(check);
        if (seen && seen->output == "yes\n") break;
        asio::steady_timer pause(co_await asio::this_coro::executor, every);
        co_await pause.async_wait(asio::use_awaitable);
    }
    cancel.emit(asio::cancellation_type::terminal);
}

/// A temporary directory removed on destruction.
struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "daytona-test-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path = tmpl;
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

/// A test CA and a server certificate for DNS:localhost only, made with the openssl CLI at
/// test time (no keys are committed).
struct test_certs {
    temp_dir dir;
    std::string ca_file, cert_file, key_file;
    test_certs() {
        auto p = [&](const char* f) {
            return (dir.path / f).string();
        };
        ca_file = p("ca.pem");
        cert_file = p("server.pem");
        key_file = p("server.key");
        std::string d = dir.path.string();
        std::string cmd =
            "cd '" + d +
            "' && "
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
            "-keyout ca.key -out ca.pem -days 2 -subj '/CN=daytona-test-ca' >/dev/null 2>&1 && "
            "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
            "-keyout server.key -out server.csr -subj '/CN=localhost' >/dev/null 2>&1 && "
            "printf 'subjectAltName=DNS:localhost\\n' > ext.cnf && "
            "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
            "-out server.pem -days 2 -extfile ext.cnf >/dev/null 2>&1";
        if (std::system(cmd.c_str()) != 0)
            throw std::runtime_error("openssl failed to make test certificates");
    }
};

}  // namespace daytona_test

#endif  // DAYTONA_TESTS_TEST_SUPPORT_HPP
