// SPDX-License-Identifier: Apache-2.0
// Builds against the installed package and exercises the client without a network.
#include <daytona.hpp>

#include <iostream>

int main() {
    asio::io_context io;
    daytona::client client{io.get_executor(), {.api_url = "http://127.0.0.1:1/api"}};
    auto r = daytona::run_sync(io, client.list());
    if (r || r.error() != daytona::errc::missing_credentials) return 1;
    std::cout << "consumer ok: " << r.error() << '\n';
    return 0;
}
