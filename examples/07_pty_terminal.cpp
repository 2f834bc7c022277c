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

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/redirect_error.hpp>
#include <asio/signal_set.hpp>

#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <iostream>
#include <utility>

namespace dt = daytona;

namespace {

/// Puts a terminal in raw mode (no echo, no line editing, no signals from keys: Ctrl+C goes to
/// the sandbox) and restores it when destroyed.
class raw_mode {
public:
    explicit raw_mode(int fd) : fd_(fd) {
        if (::tcgetattr(fd_, &saved_) != 0) return;
        termios raw = saved_;
        ::cfmakeraw(&raw);
        active_ = ::tcsetattr(fd_, TCSANOW, &raw) == 0;
    }
    ~raw_mode() {
        if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
    }
    raw_mode(const raw_mode&) = delete;
    raw_mode& operator=(const raw_mode&) = delete;

private:
    int fd_;
    termios saved_{};
    bool active_ = false;
};

/// The local terminal's size (columns, rows), 80×24 when it has none.
std::pair<int, int> window_size() {
    winsize ws{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0)
        return {ws.ws_col, ws.ws_row};
    return {80, 24};
}

void write_out(std::string_view bytes) {
    while (!bytes.empty()) {
        const auto n = ::write(STDOUT_FILENO, bytes.data(), bytes.size());
        if (n <= 0) return;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

//[pty_terminal
/// The shell's output, to this terminal, until the shell ends.
asio::awaitable<void> show_output(dt::pty_handle terminal) {
    for (;;) {
        auto bytes = co_await terminal.read();  // "" once the shell has ended
        if (!bytes) {
            if (bytes.error() != dt::condition::cancelled)
                std::cerr << "\r\nread failed: " << bytes.error() << "\r\n";
            co_return;
        }
        if (bytes->empty()) co_return;
        write_out(*bytes);
    }
}

/// Keys from this terminal to the shell, as typed.
asio::awaitable<void> send_keys(dt::pty_handle terminal) {
    asio::posix::stream_descriptor in(co_await asio::this_coro::executor, ::dup(STDIN_FILENO));
    std::array<char, 4096> buf;
    for (;;) {
        std::error_code ec;
        const std::size_t n = co_await in.async_read_some(
            asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;
        auto sent = co_await terminal.write(std::string(buf.data(), n));
        if (!sent) co_return;
    }
}

/// Window-size changes (SIGWINCH), forwarded as resizes.
asio::awaitable<void> forward_resizes(dt::pty_handle terminal) {
    asio::signal_set winch(co_await asio::this_coro::executor, SIGWINCH);
    for (;;) {
        std::error_code ec;
        co_await winch.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;
        const auto [cols, rows] = window_size();
        (void)co_await terminal.resize(cols, rows);
    }
}

/// Bridges this terminal to `terminal` until its shell ends.
asio::awaitable<void> bridge(dt::pty_handle terminal) {
    using namespace asio::experimental::awaitable_operators;
    raw_mode raw(STDIN_FILENO);
    // The output decides the end: when the shell exits, the key and resize loops are cancelled.
    co_await (show_output(terminal) || (send_keys(terminal) && forward_resizes(terminal)));
}

asio::awaitable<int> terminal_session(dt::client_options options) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};
    auto sb = co_await client.create();
    if (!sb) {
        std::cerr << "create failed: " << sb.error() << '\n';
        co_return 1;
    }
    std::cout.flush();  // what was printed so far comes before the terminal's raw output
    const auto [cols, rows] = window_size();
    dt::pty_options opts{.env = {{"TERM", "xterm-256color"}}, .cols = cols, .rows = rows};
    auto terminal = co_await sb->pty().create(std::move(opts));
    if (!terminal) {
        std::cerr << "cannot open a terminal: " << terminal.error() << '\n';
        (void)co_await sb->destroy();
        co_return 1;
    }
    int status = 0;
    if (::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO)) {
        co_await bridge(*terminal);
    } else {
        // Not interactive: type one command line and show what the terminal shows.
        auto typed = co_await terminal->write("echo hello from the sandbox terminal; exit\n");
        if (!typed) std::cerr << "write failed: " << typed.error() << '\n';
        co_await show_output(*terminal);
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
