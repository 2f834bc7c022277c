// SPDX-License-Identifier: Apache-2.0
// Compiled against single_include/ only, with -Wall -Wextra -Werror -pedantic, and run against
// the emulator binary: the generated header must stand on its own.
#include <daytona/daytona.hpp>

#include "emulator_process.hpp"

#include <iostream>

namespace dt = daytona;

static asio::awaitable<int> smoke(std::string api_url) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, {.api_url = api_url, .api_key = "smoke"}};
    auto sb = co_await client.create();
    if (!sb) {
        std::cerr << "create: " << sb.error() << '\n';
        co_return 1;
    }
    auto r = co_await sb->process().exec("echo single-include");
    if (!r || r->output != "single-include\n") {
        std::cerr << "exec failed\n";
        co_return 1;
    }
    auto gone = co_await sb->destroy();
    co_return gone ? 0 : 1;
}

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: smoke <daytona-emulator>\n";
        return 2;
    }
    daytona_test::emulator_process emu(argv[1]);
    asio::io_context io;
    int rc = dt::run_sync(io, smoke(emu.api_url()));
    std::cout << (rc == 0 ? "single include: ok\n" : "single include: FAILED\n");
    return rc;
}
