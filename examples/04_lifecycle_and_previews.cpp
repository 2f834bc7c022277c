// SPDX-License-Identifier: Apache-2.0
// A sandbox's life: labels and auto-stop, a web server behind a preview link and a signed link,
// stop and start (files survive), a resize, and deletion waited out.
//
// With DAYTONA_API_KEY set this talks to Daytona; without it, to an embedded emulator.
#include <daytona.hpp>

#include "example_support.hpp"

#include <iostream>

namespace dt = daytona;
using namespace std::chrono_literals;

//[lifecycle
asio::awaitable<int> lifecycle(dt::client_options options) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};

    dt::create_params params{.labels = {{"example", "lifecycle"}}, .auto_stop_interval = 30};
    dt::result<dt::sandbox> sb = co_await client.create(std::move(params));
    if (!sb) {
        std::cerr << "create failed: " << sb.error() << '\n';
        co_return 1;
    }

    // A web server in the sandbox, and the links that reach it from outside.
    auto server = co_await sb->process().exec(
        "nohup python3 -m http.server 8765 >/dev/null 2>&1 & "
        "for i in $(seq 50); do curl -sf localhost:8765 >/dev/null && break; sleep 0.1; done; "
        "echo 'hello from the sandbox' > index.txt");
    if (!server) std::cerr << "server: " << server.error() << '\n';
    auto link = co_await sb->preview_link(8765);
    if (link)  // the token is a credential: send it as X-Daytona-Preview-Token, never log it
        std::cout << "preview link: " << link->url << " (token of " << link->token.size()
                  << " characters)\n";
    auto shared = co_await sb->signed_preview_link(8765, 10min);
    if (shared) {
        std::cout << "signed link, no token needed for 10 minutes: " << shared->url << '\n';
        auto revoked = co_await sb->expire_signed_preview_link(8765, shared->token);
        std::cout << "signed link revoked: " << (revoked ? "yes" : revoked.error().to_string())
                  << '\n';
    }

    // Stop and start: processes end, files stay.
    std::map<std::string, std::string> labels{{"example", "lifecycle"}, {"stage", "restarted"}};
    if (auto r = co_await sb->set_labels(std::move(labels)); !r) std::cerr << r.error() << '\n';
    if (auto r = co_await sb->stop(); !r) {
        std::cerr << "stop failed: " << r.error() << '\n';
        co_return 1;
    }
    std::cout << "after stop: " << dt::to_string(sb->state()) << '\n';
    if (auto r = co_await sb->start(); !r) {
        std::cerr << "start failed: " << r.error() << '\n';
        co_return 1;
    }
    auto kept = co_await sb->process().exec("cat index.txt");
    std::cout << "after start: " << dt::to_string(sb->state())
              << ", index.txt: " << (kept ? kept->output : kept.error().to_string() + "\n");

    // A hot resize: a started sandbox may grow its CPU.
    const int cpu = static_cast<int>(sb->info().cpu) + 1;
    auto resized = co_await sb->resize({.cpu = cpu});
    std::cout << "resize to " << cpu << " CPU: " << (resized ? "done" : resized.error().to_string())
              << '\n';

    auto gone = co_await sb->destroy_and_wait();
    std::cout << "deleted: " << (gone ? dt::to_string(sb->state()) : gone.error().to_string())
              << '\n';
    co_return kept&& gone ? 0 : 1;
}
//]

int main() {
    std::unique_ptr<dt::emulator::emulator> local;
    dt::client_options options = example::options(local);
    asio::io_context io;
    return dt::run_sync(io, lifecycle(std::move(options)));
}
