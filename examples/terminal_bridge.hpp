// SPDX-License-Identifier: Apache-2.0
// This program's terminal bridged to a pseudo-terminal in a sandbox, shared by the examples
// that attach a user to a remote shell or program: keys go there as typed (the local terminal is
// in raw mode, restored on exit), output comes back, and resizing the window resizes the remote
// terminal.
#ifndef DAYTONA_EXAMPLES_TERMINAL_BRIDGE_HPP
#define DAYTONA_EXAMPLES_TERMINAL_BRIDGE_HPP

#include <daytona/pty.hpp>

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/redirect_error.hpp>
#include <asio/signal_set.hpp>

#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <iostream>
#include <string_view>
#include <utility>

namespace example {

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

/// True when both stdin and stdout are terminals (a person is there to type).
inline bool interactive_terminal() {
    return ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO);
}

/// The local terminal's size (columns, rows), 80×24 when it has none.
inline std::pair<int, int> window_size() {
    winsize ws{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0)
        return {ws.ws_col, ws.ws_row};
    return {80, 24};
}

inline void write_out(std::string_view bytes) {
    while (!bytes.empty()) {
        const auto n = ::write(STDOUT_FILENO, bytes.data(), bytes.size());
        if (n <= 0) return;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

/// The remote program's output, to this terminal, until it ends. What it printed is also
/// appended to `seen` when given.
inline asio::awaitable<void> show_output(daytona::pty_handle terminal,
                                         std::string* seen = nullptr) {
    for (;;) {
        auto bytes = co_await terminal.read();  // "" once the program has ended
        if (!bytes) {
            if (bytes.error() != daytona::condition::cancelled)
                std::cerr << "\r\nread failed: " << bytes.error() << "\r\n";
            co_return;
        }
        if (bytes->empty()) co_return;
        if (seen) seen->append(*bytes);
        write_out(*bytes);
    }
}

/// Keys from this terminal to the remote program, as typed.
inline asio::awaitable<void> send_keys(daytona::pty_handle terminal) {
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
inline asio::awaitable<void> forward_resizes(daytona::pty_handle terminal) {
    asio::signal_set winch(co_await asio::this_coro::executor, SIGWINCH);
    for (;;) {
        std::error_code ec;
        co_await winch.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;
        const auto [cols, rows] = window_size();
        (void)co_await terminal.resize(cols, rows);
    }
}

/// Bridges this terminal to `terminal` until the remote program ends.
inline asio::awaitable<void> bridge(daytona::pty_handle terminal) {
    using namespace asio::experimental::awaitable_operators;
    std::cout.flush();  // what was printed so far comes before the terminal's raw output
    raw_mode raw(STDIN_FILENO);
    // The output decides the end: when the program exits, the key and resize loops are
    // cancelled.
    co_await (show_output(terminal) || (send_keys(terminal) && forward_resizes(terminal)));
}

}  // namespace example

#endif  // DAYTONA_EXAMPLES_TERMINAL_BRIDGE_HPP
