// SPDX-License-Identifier: Apache-2.0
// Quickstart: create a sandbox, run a command in it, print the output, delete it.
//
// With DAYTONA_API_KEY (and optionally DAYTONA_API_URL) set, this talks to Daytona. Without
// it, it starts the emulator embedded in this program and talks to that over loopback.
#include <daytona.hpp>

#include "example_support.hpp"

#include <iostream>

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
    std::unique_ptr<dt::emulator::emulator> local;
    dt::client_options options = example::options(local);
    asio::io_context io;
    return dt::run_sync(io, quickstart(std::move(options)));
}
