// SPDX-License-Identifier: Apache-2.0
// Quickstart: create a sandbox, run a command in it, print the output, delete it.
//
// With DAYTONA_API_KEY (and optionally DAYTONA_API_URL) set, this talks to Daytona. Without
// it, it starts the emulator embedded in this program and talks to that over loopback.
#include <daytona.hpp>
#include <emulator.hpp>

#include <iostream>
#include <memory>
#include <random>

namespace dt = daytona;

//[quickstart
asio::awaitable<int> quickstart(dt::client_options options) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};

    dt::create_params params{.labels = {{"purpose", "quickstart"}}};
    dt::result<dt::sandbox> sb = co_await client.create(std::move(params));  // waits for 'started'
    if (!sb) {
        std::cerr << "create failed: " << sb.error() << '\n';  // operation, HTTP status, message
        co_return 1;
    }
    std::cout << "sandbox " << sb->id() << " is " << dt::to_string(sb->state()) << '\n';

    dt::result<dt::exec_result> r = co_await sb->process().exec("echo hello from $(uname -s)");
    if (!r)
        std::cerr << "exec failed: " << r.error() << '\n';
    else
        std::cout << "exit " << r->exit_code << ": " << r->output;  // a non-zero exit is data

    dt::result<void> gone = co_await sb->destroy();  // explicit: no I/O in destructors
    if (!gone) std::cerr << "destroy failed: " << gone.error() << '\n';
    co_return r&& gone ? 0 : 1;
}
//]

int main() {
    dt::client_options options = dt::client_options::from_env();
    std::unique_ptr<dt::emulator::emulator> local;
    if (options.api_key.empty() && options.jwt_token.empty()) {
        // No credentials: run against the embedded emulator with a throwaway key.
        std::random_device rd;
        std::string key = "quickstart-" + std::to_string(rd()) + std::to_string(rd());
        local = std::make_unique<dt::emulator::emulator>(
            dt::emulator::emulator_options{.api_key = key});
        if (auto started = local->start(); !started) {
            std::cerr << "cannot start the embedded emulator: " << started.error() << '\n';
            return 1;
        }
        options.api_url = local->api_url();
        options.api_key = key;
        std::cout << "DAYTONA_API_KEY is not set: using the embedded emulator at "
                  << options.api_url << '\n';
    }
    asio::io_context io;
    return dt::run_sync(io, quickstart(std::move(options)));
}
