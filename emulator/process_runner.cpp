// SPDX-License-Identifier: Apache-2.0
// Output pipes and a pidfd, awaited together through asio.
#include "process_runner.hpp"

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/write.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace daytona::emulator {

namespace process_runner_impl {

struct fd_guard {
    int fd = -1;
    ~fd_guard() {
        if (fd >= 0) ::close(fd);
    }
    int release() { return std::exchange(fd, -1); }
};

/// Reads whatever the pipe holds right now without blocking; false once it reached EOF.
bool drain(int fd, std::string& out, std::size_t max_output) {
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            std::size_t room = max_output > out.size() ? max_output - out.size() : 0;
            out.append(buf, std::min<std::size_t>(room, static_cast<std::size_t>(n)));
            continue;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }
}

struct tracked {
    process_tracker* tracker;
    pid_t pid;
    ~tracked() {
        if (tracker) tracker->ended(pid);
    }
};

/// A named coroutine rather than a capturing coroutine lambda (GCC 12 mishandles those).
/// The references stay valid: the caller awaits the result before they go out of scope.
asio::awaitable<void> wait_readable(asio::posix::stream_descriptor& d, std::error_code& ec) {
    co_await d.async_wait(asio::posix::stream_descriptor::wait_read, net::redirect(ec));
}

/// Feeds `data` to a child's stdin and closes it. Owns both, so it can outlive run_command
/// (a child that never reads keeps it waiting until the child or its group ends).
asio::awaitable<void> feed_stdin(int fd, std::string data) {
    asio::posix::stream_descriptor pipe(co_await asio::this_coro::executor, fd);
    std::error_code ec;  // EPIPE when the child exits without reading everything
    co_await asio::async_write(pipe, asio::buffer(data), net::redirect(ec));
}

}  // namespace process_runner_impl
using namespace process_runner_impl;

int exit_code_of(int code, int status) {
    return code == CLD_EXITED ? status : 128 + status;
}

asio::awaitable<run_outcome> run_command(run_spec spec) {
    using namespace asio::experimental::awaitable_operators;
    run_outcome out;
    auto ex = co_await asio::this_coro::executor;

    int out_pipe[2], err_pipe[2] = {-1, -1};
    if (::pipe2(out_pipe, O_CLOEXEC | O_NONBLOCK) != 0 ||
        (spec.separate_stderr && ::pipe2(err_pipe, O_CLOEXEC | O_NONBLOCK) != 0)) {
        out.spawn_failed = true;
        out.exit_code = -1;
        out.output = std::string("pipe: ") + std::strerror(errno);
        co_return out;
    }
    fd_guard out_r{out_pipe[0]}, out_w{out_pipe[1]}, err_r{err_pipe[0]}, err_w{err_pipe[1]};
    // The child's ends must block: programs do not expect a non-blocking stdout.
    ::fcntl(out_w.fd, F_SETFL, ::fcntl(out_w.fd, F_GETFL) & ~O_NONBLOCK);
    if (err_w.fd >= 0) ::fcntl(err_w.fd, F_SETFL, ::fcntl(err_w.fd, F_GETFL) & ~O_NONBLOCK);

    fd_guard in_r, in_w;
    if (spec.stdin_data) {
        int in_pipe[2];
        if (::pipe2(in_pipe, O_CLOEXEC) != 0) {
            out.spawn_failed = true;
            out.exit_code = -1;
            out.output = std::string("pipe: ") + std::strerror(errno);
            co_return out;
        }
        in_r.fd = in_pipe[0];
        in_w.fd = in_pipe[1];
    }
    spec.process.stdin_fd = in_r.fd;
    spec.process.stdout_fd = out_w.fd;
    spec.process.stderr_fd = spec.separate_stderr ? err_w.fd : out_w.fd;
    std::string why;
    auto child = spawn_process(spec.process, why);
    ::close(out_w.release());
    if (err_w.fd >= 0) ::close(err_w.release());
    if (in_r.fd >= 0) ::close(in_r.release());
    if (child.pid < 0) {
        out.spawn_failed = true;
        out.exit_code = -1;
        out.output = why;
        co_return out;
    }
    if (in_w.fd >= 0)
        asio::co_spawn(ex, feed_stdin(in_w.release(), std::move(*spec.stdin_data)), asio::detached);
    if (spec.tracker) spec.tracker->started(child.pid);
    tracked untrack{spec.tracker, child.pid};

    if (child.pidfd < 0) {
        // No pidfd (very old kernels): read until EOF, then reap.
        asio::posix::stream_descriptor pipe(ex, out_r.release());
        for (;;) {
            std::error_code ec;
            co_await pipe.async_wait(asio::posix::stream_descriptor::wait_read, net::redirect(ec));
            if (ec || !drain(pipe.native_handle(), out.output, spec.max_output)) break;
        }
        int status = 0;
        ::waitpid(child.pid, &status, 0);
        out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        co_return out;
    }

    asio::posix::stream_descriptor pipe(ex, out_r.release());
    std::optional<asio::posix::stream_descriptor> epipe;
    if (err_r.fd >= 0) epipe.emplace(ex, err_r.release());
    asio::posix::stream_descriptor proc(ex, child.pidfd);
    asio::steady_timer timer(ex);
    if (spec.timeout.count() > 0)
        timer.expires_after(spec.timeout);
    else
        timer.expires_at(asio::steady_timer::time_point::max());

    bool out_open = true, err_open = epipe.has_value();
    for (;;) {
        std::error_code e1, e2, e3, e4;
        using sd = asio::posix::stream_descriptor;
        // A pipe that already hit EOF would be readable forever, so once closed it is replaced
        // by a second wait on the process.
        auto a = wait_readable(out_open ? pipe : proc, e1);
        auto b = wait_readable(err_open ? *epipe : proc, e2);
        auto which = co_await (std::move(a) || std::move(b) ||
                               proc.async_wait(sd::wait_read, net::redirect(e3)) ||
                               timer.async_wait(net::redirect(e4)));
        if (which.index() == 0 && out_open) {
            out_open = drain(pipe.native_handle(), out.output, spec.max_output);
            continue;
        }
        if (which.index() == 1 && err_open) {
            err_open = drain(epipe->native_handle(), out.error_output, spec.max_output);
            continue;
        }
        if (which.index() == 3) {
            ::kill(-child.pid, SIGKILL);  // the timer fired: end the whole group
            out.timed_out = true;
        }
        break;  // the process exited (or was just killed)
    }
    // What the command wrote before it exited is already in the pipes.
    if (out_open) drain(pipe.native_handle(), out.output, spec.max_output);
    if (err_open) drain(epipe->native_handle(), out.error_output, spec.max_output);
    siginfo_t info{};
    ::waitid(P_PIDFD, static_cast<id_t>(child.pidfd), &info, WEXITED);
    out.exit_code = exit_code_of(info.si_code, info.si_status);
    co_return out;
}

}  // namespace daytona::emulator
