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
#include <optional>

namespace daytona::emulator {

namespace process_runner_impl {

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
    std::shared_ptr<process_tracker> tracker;
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

/// Reaps a child whose pidfd is readable (it has exited): its exit code by shell convention.
/// The exit code of the process behind `pidfd` if it has ended (reaping it), nullopt if it is
/// still running; -1 if it was reaped elsewhere.
std::optional<int> try_reap(int pidfd, bool block) {
    for (;;) {
        siginfo_t info{};
        const int r =
            ::waitid(P_PIDFD, static_cast<id_t>(pidfd), &info, WEXITED | (block ? 0 : WNOHANG));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -1;
        if (info.si_pid == 0) return std::nullopt;  // WNOHANG: not yet
        return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
    }
}

}  // namespace process_runner_impl
using namespace process_runner_impl;

asio::awaitable<int> wait_for_exit(spawned child) {
    auto ex = co_await asio::this_coro::executor;
    if (child.pidfd) {
        asio::posix::stream_descriptor proc(ex, child.pidfd.release());
        // Readable means ended; but check, so that a wake-up without an exit (or a cancelled
        // wait) never reports a running process as gone.
        for (;;) {
            std::error_code ec;
            co_await proc.async_wait(asio::posix::stream_descriptor::wait_read, net::redirect(ec));
            if (auto code = try_reap(proc.native_handle(), static_cast<bool>(ec))) co_return *code;
        }
    }
    asio::steady_timer poll(ex);
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(child.pid, &status, WNOHANG);
        if (r == child.pid)
            co_return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
        if (r < 0) co_return -1;  // not our child (any more)
        poll.expires_after(std::chrono::milliseconds(50));
        std::error_code ec;
        co_await poll.async_wait(net::redirect(ec));
    }
}

asio::awaitable<run_outcome> run_command(run_spec spec) {
    using namespace asio::experimental::awaitable_operators;
    run_outcome out;
    auto ex = co_await asio::this_coro::executor;

    auto stdout_pipe = make_pipe(O_NONBLOCK);
    auto stderr_pipe = spec.separate_stderr ? make_pipe(O_NONBLOCK) : pipe_fds{};
    auto stdin_pipe = spec.stdin_data ? make_pipe() : pipe_fds{};
    if (!stdout_pipe.read || (spec.separate_stderr && !stderr_pipe.read) ||
        (spec.stdin_data && !stdin_pipe.read)) {
        out.spawn_failed = true;
        out.exit_code = -1;
        out.output = std::string("pipe: ") + std::strerror(errno);
        co_return out;
    }
    // The child's ends must block: programs do not expect a non-blocking stdout.
    set_nonblocking(stdout_pipe.write.get(), false);
    if (stderr_pipe.write) set_nonblocking(stderr_pipe.write.get(), false);
    spec.process.stdin_fd = stdin_pipe.read.get();
    spec.process.stdout_fd = stdout_pipe.write.get();
    spec.process.stderr_fd =
        spec.separate_stderr ? stderr_pipe.write.get() : stdout_pipe.write.get();
    std::string why;
    auto child = spawn_process(spec.process, why);
    stdout_pipe.write.reset();
    stderr_pipe.write.reset();
    stdin_pipe.read.reset();
    if (child.pid < 0) {
        out.spawn_failed = true;
        out.exit_code = -1;
        out.output = why;
        co_return out;
    }
    if (stdin_pipe.write)
        asio::co_spawn(ex, feed_stdin(stdin_pipe.write.release(), std::move(*spec.stdin_data)),
                       asio::detached);
    if (spec.tracker) spec.tracker->started(child.pid);
    tracked untrack{spec.tracker, child.pid};

    asio::posix::stream_descriptor pipe(ex, stdout_pipe.read.release());
    // Drains stdout, handing it to on_output when there is one.
    auto drain_out = [&] {
        const auto before = out.output.size();
        const bool open = drain(pipe.native_handle(), out.output, spec.max_output);
        if (spec.on_output && out.output.size() > before) {
            spec.on_output(std::string_view(out.output).substr(before));
            out.output.clear();
        }
        return open;
    };
    if (!child.pidfd) {
        // No pidfd (very old kernels): read until EOF, then reap.
        for (;;) {
            std::error_code ec;
            co_await pipe.async_wait(asio::posix::stream_descriptor::wait_read, net::redirect(ec));
            if (ec || !drain_out()) break;
        }
        out.exit_code = co_await wait_for_exit(std::move(child));
        co_return out;
    }

    std::optional<asio::posix::stream_descriptor> epipe;
    if (stderr_pipe.read) epipe.emplace(ex, stderr_pipe.read.release());
    asio::posix::stream_descriptor proc(ex, child.pidfd.release());
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
            out_open = drain_out();
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
    if (out_open) drain_out();
    if (err_open) drain(epipe->native_handle(), out.error_output, spec.max_output);
    out.exit_code = *try_reap(proc.native_handle(), true);
    co_return out;
}

}  // namespace daytona::emulator
