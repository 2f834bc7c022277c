// SPDX-License-Identifier: Apache-2.0
// posix_spawn + pidfd + a pipe, all awaited through asio.
#include "process_runner.hpp"

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/posix/stream_descriptor.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace daytona::emulator {

namespace impl {

struct fd_guard {
    int fd = -1;
    ~fd_guard() {
        if (fd >= 0) ::close(fd);
    }
    int release() { return std::exchange(fd, -1); }
};

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

/// Reads whatever the pipe holds right now without blocking; false once it reached EOF.
bool drain(int fd, run_outcome& out, std::size_t max_output) {
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            std::size_t room = max_output > out.output.size() ? max_output - out.output.size() : 0;
            out.output.append(buf, std::min<std::size_t>(room, static_cast<std::size_t>(n)));
            continue;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }
}

}  // namespace impl
using namespace impl;

asio::awaitable<run_outcome> run_command(run_spec spec) {
    using namespace asio::experimental::awaitable_operators;
    run_outcome out;
    auto ex = co_await asio::this_coro::executor;

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        out.spawn_failed = true;
        out.output = std::string("pipe: ") + std::strerror(errno);
        co_return out;
    }
    fd_guard rd{fds[0]}, wr{fds[1]};
    // The child's end must block: programs do not expect a non-blocking stdout.
    ::fcntl(wr.fd, F_SETFL, ::fcntl(wr.fd, F_GETFL) & ~O_NONBLOCK);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, wr.fd, 1);
    posix_spawn_file_actions_adddup2(&fa, wr.fd, 2);
    std::string cwd = spec.cwd.string();
    if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);  // undo the emulator's SIGPIPE ignore
    posix_spawnattr_setpgroup(&attr, 0);         // own group, so a timeout kills the whole tree
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_USEVFORK);

    std::vector<char*> envp;
    envp.reserve(spec.env.size() + 1);
    for (auto& e : spec.env)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    char sh[] = "/bin/sh", dash_c[] = "-c";
    char* argv[] = {sh, dash_c, spec.command.data(), nullptr};

    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, envp.data());
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    ::close(wr.release());
    if (rc != 0) {
        out.spawn_failed = true;
        out.exit_code = -1;
        out.output = "cannot start /bin/sh in " + cwd + ": " + std::strerror(rc);
        co_return out;
    }

    // glibc's <sys/pidfd.h> lacks C linkage for C++ in 2.36, so call the syscall directly.
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) {
        // Without pidfd (very old kernels) fall back to reading until EOF, then reaping.
        asio::posix::stream_descriptor pipe(ex, rd.release());
        for (;;) {
            std::error_code ec;
            co_await pipe.async_wait(asio::posix::stream_descriptor::wait_read, net::redirect(ec));
            if (ec || !drain(pipe.native_handle(), out, spec.max_output)) break;
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        out.exit_code = decode_status(status);
        co_return out;
    }

    asio::posix::stream_descriptor pipe(ex, rd.release());
    asio::posix::stream_descriptor proc(ex, pidfd);
    asio::steady_timer timer(ex);
    if (spec.timeout.count() > 0)
        timer.expires_after(spec.timeout);
    else
        timer.expires_at(asio::steady_timer::time_point::max());

    bool pipe_open = true;
    bool exited = false;
    while (!exited) {
        std::error_code ec_pipe, ec_proc, ec_timer;
        if (pipe_open) {
            auto which = co_await (pipe.async_wait(asio::posix::stream_descriptor::wait_read,
                                                   net::redirect(ec_pipe)) ||
                                   proc.async_wait(asio::posix::stream_descriptor::wait_read,
                                                   net::redirect(ec_proc)) ||
                                   timer.async_wait(net::redirect(ec_timer)));
            if (which.index() == 0) {
                pipe_open = drain(pipe.native_handle(), out, spec.max_output);
                continue;
            }
            if (which.index() == 1) {
                exited = true;
                break;
            }
        } else {
            auto which = co_await (proc.async_wait(asio::posix::stream_descriptor::wait_read,
                                                   net::redirect(ec_proc)) ||
                                   timer.async_wait(net::redirect(ec_timer)));
            if (which.index() == 0) {
                exited = true;
                break;
            }
        }
        // The timer fired: kill the whole group, then reap.
        ::kill(-pid, SIGKILL);
        out.timed_out = true;
        break;
    }
    // What the command wrote before it exited is already in the pipe.
    if (pipe_open) drain(pipe.native_handle(), out, spec.max_output);
    siginfo_t info{};
    ::waitid(P_PIDFD, static_cast<id_t>(pidfd), &info, WEXITED);
    if (info.si_code == CLD_EXITED)
        out.exit_code = info.si_status;
    else
        out.exit_code = 128 + info.si_status;
    co_return out;
}

}  // namespace daytona::emulator
