// SPDX-License-Identifier: Apache-2.0
// Errors are values: compare with portable conditions, read the diagnostics, or throw on demand.
#include <daytona.hpp>

#include "example_support.hpp"

#include <iostream>

namespace dt = daytona;
using namespace std::chrono_literals;

//[errors
asio::awaitable<int> errors(dt::client_options options) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, options};

    // A 404 is routine control flow, not an exception.
    dt::result<dt::sandbox> missing = co_await client.get("no-such-sandbox");
    if (!missing && missing.error() == dt::condition::not_found) {
        const dt::error& e = missing.error();
        std::cout << "not found: http=" << e.http_status() << " message=" << e.message()
                  << " operation=" << e.operation() << '\n';
    }

    dt::result<dt::sandbox> sb = co_await client.create();
    if (!sb) {
        std::cerr << sb.error() << '\n';
        co_return 1;
    }

    // A command that outlives its timeout: HTTP 408 from the toolbox, condition::timeout.
    dt::exec_options slow{.timeout = 1s};
    dt::result<dt::exec_result> r = co_await sb->process().exec("sleep 10", std::move(slow));
    if (!r && r.error() == dt::condition::timeout) std::cout << "timed out: " << r.error() << '\n';

    // A non-zero exit code is data.
    dt::result<dt::exec_result> failed = co_await sb->process().exec("exit 3");
    if (failed) std::cout << "exit code " << failed->exit_code << '\n';

    // Per-call overrides: a short deadline and no retries for this one request.
    dt::request_options quick{.timeout = 5s, .retry = dt::retry_options::none()};
    dt::list_params all;  // named, never a braced temporary inside co_await (GCC 12)
    dt::result<dt::sandbox_page> page = co_await client.list(std::move(all), quick);
    if (page) std::cout << page->items.size() << " sandbox(es)\n";

    // Wrong credentials: a typed 401 whose text never contains the key.
    options.api_key = "not-the-key";
    dt::client stranger{ex, std::move(options)};
    dt::result<dt::sandbox_page> denied = co_await stranger.list();
    if (!denied && denied.error() == dt::condition::unauthorized)
        std::cout << denied.error() << '\n';

    // Exceptions on demand: value() throws dt::api_error (a std::system_error).
    try {
        dt::sandbox again = (co_await client.get(sb->id())).value();  // parentheses required
        (co_await again.destroy()).value();
        (co_await again.destroy()).value();  // already gone: throws
    } catch (const dt::api_error& e) {
        std::cout << "caught: " << e.what() << '\n';
    }
    co_return 0;
}
//]

int main() {
    std::unique_ptr<dt::emulator::emulator> local;
    dt::client_options options = example::options(local);
    asio::io_context io;
    return dt::run_sync(io, errors(std::move(options)));
}
