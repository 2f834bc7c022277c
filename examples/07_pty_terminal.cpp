// SPDX-License-Identifier: Apache-2.0
// A terminal into a sandbox: this program's terminal is bridged to a shell on a pseudo-terminal
// in the sandbox. Keys go there as typed (the local terminal is in raw mode, restored on exit),
// the shell's output comes back, and resizing the window resizes the remote terminal. Leave
// the shell with `exit` (or Ctrl+D).
//
// When stdin or stdout is not a terminal (CI, a pipe), it runs one scripted command instead,
// prints what the terminal showed, and exits 0 when the shell exited cleanly.
//
// With DAYTONA_API_KEY (and optionally DAYTONA_API_URL) set, this talks to Daytona. Without
// it, it starts the emulator embedded in this program and talks to that over loopback.
#include <daytona.hpp>

#include "example_support.hpp"
#include "terminal_bridge.hpp"

#include <iostream>

namespace dt = daytona;

namespace {

//[pty_terminal
asio::awaitable<int> terminal_session(dt::client_options options) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};
    auto sb = co_await client.create();
    if (!sb) {
        std::cerr << "create failed: " << sb.error() << '\n';
        co_return 1;
    }
    const auto [cols, rows] = example::window_size();
    dt::pty_options opts{.env = {{"TERM", "xterm-256color"}}, .cols = cols, .rows = rows};
    auto terminal = co_await sb->pty().create(std::move(opts));
    if (!terminal) {
        std::cerr << "cannot open a terminal: " << terminal.error() << '\n';
        (void)co_await sb->destroy();
        co_return 1;
    }
    int status = 0;
    if (example::interactive_terminal()) {
        co_await example::bridge(*terminal);
    } else {
        // Not interactive: type one command line and show what the terminal shows.
        auto typed = co_await terminal->write("echo hello from the sandbox terminal; exit\n");
        if (!typed) std::cerr << "write failed: " << typed.error() << '\n';
        co_await example::show_output(*terminal);
    }
    if (const auto& end = terminal->exit_status()) {
        std::cout << "\r\n[the shell exited with " << end->exit_code
                  << (end->reason.empty() ? "" : " (" + end->reason + ")") << "]\n";
        status = end->exit_code == 0 ? 0 : 1;
    } else {
        // Detached without an exit (the connection broke): end the shell too.
        (void)co_await terminal->kill();
        status = 1;
    }
    auto gone = co_await sb->destroy();
    if (!gone) std::cerr << "destroy failed: " << gone.error() << '\n';
    co_return gone ? status : 1;
}
//]

}  // namespace

int main() {
    std::unique_ptr<dt::emulator::emulator> local;
    dt::client_options options = example::options(local);
    asio::io_context io;
    return dt::run_sync(io, terminal_session(std::move(options)));
}
