// SPDX-License-Identifier: Apache-2.0
// clone(CLONE_VM | CLONE_VFORK) spawning, like posix_spawn, with an optional CLONE_NEWNS.
#include "spawn.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>

namespace daytona::emulator {

namespace spawn_impl {

/// Everything the child needs, prepared by the parent: the child shares the parent's memory
/// until it execs, so it must not allocate.
struct child_args {
    char* const* argv;
    char* const* envp;
    const char* cwd;
    int in, out, err, tty;
    const std::pair<int, int>* extra;
    std::size_t extra_count;
    const std::pair<const char*, const char*>* mounts;
    std::size_t mount_count;
    const setup_step* setup;
    std::size_t setup_count;
    const char* chroot_dir;
    const process_identity* identity;  // null: stay the emulator's user
    int report_fd;                     // close-on-exec: stays silent when exec succeeds
};

struct report {
    int stage;
    int err;
};

enum stage : int {
    stage_mount_private = 1,
    stage_bind,
    stage_fds,
    stage_chdir,
    stage_exec,
    stage_tty,
    stage_setup,
    stage_chroot,
    stage_identity
};

// The child runs on a heap-allocated stack that the parent frees later: it must not leave
// AddressSanitizer stack poison in that memory, so its two functions are not instrumented.
#define DAYTONA_CHILD_FN __attribute__((no_sanitize_address))

[[noreturn]] DAYTONA_CHILD_FN void child_fail(const child_args& a, int stage) {
    report r{stage, errno};
    ssize_t ignored = ::write(a.report_fd, &r, sizeof r);
    (void)ignored;
    ::_exit(127);
}

/// Nothing of the emulator's may outlive exec in a sandbox process: not its listening socket
/// (a background server would keep the port bound after the emulator exits), not other
/// clients' connections (their peers would wait for a FIN that never comes). Everything but
/// 0-2 and the requested descriptors becomes close-on-exec; marking instead of closing keeps
/// the report pipe usable if exec fails.
DAYTONA_CHILD_FN void close_inherited_on_exec(const child_args& a) {
    int highest_kept = 2;
    for (std::size_t i = 0; i < a.extra_count; ++i)
        highest_kept = std::max(highest_kept, a.extra[i].second);
    for (int fd = 3; fd <= highest_kept; ++fd) {
        bool kept = false;
        for (std::size_t i = 0; i < a.extra_count; ++i)
            kept = kept || a.extra[i].second == fd;
        if (!kept) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    if (::close_range(static_cast<unsigned>(highest_kept) + 1, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return;
    // Kernels before 5.11: mark them one by one.
    struct rlimit lim {};
    rlim_t end = ::getrlimit(RLIMIT_NOFILE, &lim) == 0 ? lim.rlim_cur : 1024;
    if (end > (1u << 20)) end = 1u << 20;
    for (int fd = highest_kept + 1; static_cast<rlim_t>(fd) < end; ++fd)
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
}

DAYTONA_CHILD_FN int child_main(void* p) {
    const auto& a = *static_cast<const child_args*>(p);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < NSIG; ++sig)
        ::signal(sig, SIG_DFL);  // undo the emulator's SIG_IGN
    if (a.tty >= 0) {
        if (::setsid() < 0 || ::ioctl(a.tty, TIOCSCTTY, 0) < 0) child_fail(a, stage_tty);
    } else {
        ::setpgid(0, 0);  // own group, so one kill() ends the whole tree
    }
    if (a.mount_count > 0 || a.setup_count > 0) {
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
            child_fail(a, stage_mount_private);
        for (std::size_t i = 0; i < a.setup_count; ++i) {
            const auto& s = a.setup[i];
            int rc = 0;
            switch (s.kind) {
                case setup_step::mount:
                    rc = ::mount(s.source.empty() ? nullptr : s.source.c_str(), s.target.c_str(),
                                 s.fstype.empty() ? nullptr : s.fstype.c_str(), s.flags,
                                 s.data.empty() ? nullptr : s.data.c_str());
                    break;
                case setup_step::make_dir:
                    rc = ::mkdir(s.target.c_str(), 0755);
                    if (rc != 0 && errno == EEXIST) rc = 0;
                    break;
                case setup_step::make_file: {
                    int fd = ::open(s.target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
                    rc = fd < 0 ? -1 : ::close(fd);
                    break;
                }
                case setup_step::make_symlink:
                    rc = ::symlink(s.source.c_str(), s.target.c_str());
                    if (rc != 0 && errno == EEXIST) rc = 0;
                    break;
            }
            if (rc != 0) child_fail(a, stage_setup);
        }
        for (std::size_t i = 0; i < a.mount_count; ++i)
            if (::mount(a.mounts[i].first, a.mounts[i].second, nullptr, MS_BIND | MS_REC,
                        nullptr) != 0)
                child_fail(a, stage_bind);
    }
    if (a.chroot_dir != nullptr && *a.chroot_dir != '\0') {
        if (::chroot(a.chroot_dir) != 0 || ::chdir("/") != 0) child_fail(a, stage_chroot);
    }
    if (a.identity != nullptr) {
        // Raw system calls: glibc's wrappers would change the credentials of every thread of the
        // emulator, whose memory this child shares.
        const auto& id = *a.identity;
        if (::syscall(SYS_setgroups, id.groups.size(), id.groups.data()) != 0 ||
            ::syscall(SYS_setgid, id.gid) != 0 || ::syscall(SYS_setuid, id.uid) != 0)
            child_fail(a, stage_identity);
    }
    int null_fd = -1;
    auto source = [&](int fd) {
        if (fd >= 0) return fd;
        if (null_fd < 0) null_fd = ::open("/dev/null", O_RDWR);
        return null_fd;
    };
    if (::dup2(source(a.in), 0) < 0 || ::dup2(source(a.out), 1) < 0 || ::dup2(source(a.err), 2) < 0)
        child_fail(a, stage_fds);
    for (std::size_t i = 0; i < a.extra_count; ++i)
        if (::dup2(a.extra[i].first, a.extra[i].second) < 0) child_fail(a, stage_fds);
    close_inherited_on_exec(a);
    if (a.cwd != nullptr && *a.cwd != '\0' && ::chdir(a.cwd) != 0) child_fail(a, stage_chdir);
    ::execve(a.argv[0], a.argv, a.envp);
    child_fail(a, stage_exec);
}

const char* stage_name(int stage) {
    switch (stage) {
        case stage_mount_private:
            return "making mounts private";
        case stage_bind:
            return "bind-mounting the sandbox";
        case stage_fds:
            return "setting up file descriptors";
        case stage_chdir:
            return "changing to the working directory";
        case stage_exec:
            return "executing";
        case stage_tty:
            return "attaching the terminal";
        case stage_setup:
            return "preparing the root file system";
        case stage_chroot:
            return "entering the root file system";
        case stage_identity:
            return "becoming the image's user to run";
    }
    return "starting";
}

}  // namespace spawn_impl

spawned spawn_process(const spawn_spec& spec, std::string& error) {
    using namespace spawn_impl;
    spawned out;
    if (spec.argv.empty()) {
        error = "nothing to run";
        return out;
    }
    if (!spec.refusal.empty()) {
        error = spec.refusal;
        return out;
    }
    std::vector<std::string> argv_store = spec.argv, env_store = spec.env;
    std::vector<char*> argv, envp;
    for (auto& s : argv_store)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    for (auto& s : env_store)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::pair<const char*, const char*>> mounts;
    for (const auto& m : spec.mounts)
        mounts.emplace_back(m.source.c_str(), m.target.c_str());

    auto report_pipe = make_pipe();
    if (!report_pipe.read) {
        error = std::string("pipe: ") + std::strerror(errno);
        return out;
    }
    child_args args{argv.data(),
                    envp.data(),
                    spec.cwd.c_str(),
                    spec.stdin_fd,
                    spec.stdout_fd,
                    spec.stderr_fd,
                    spec.controlling_tty,
                    spec.extra_fds.data(),
                    spec.extra_fds.size(),
                    mounts.data(),
                    mounts.size(),
                    spec.setup.data(),
                    spec.setup.size(),
                    spec.chroot_dir.c_str(),
                    spec.identity ? &*spec.identity : nullptr,
                    report_pipe.write.get()};
    std::vector<char> stack(256 * 1024);
#if defined(__SANITIZE_THREAD__)
    // ThreadSanitizer keeps its state in this process's memory, which a child sharing it
    // (CLONE_VM) would corrupt through the interceptors of the calls it makes: under TSan the
    // child gets a copy, as with fork().
    int flags = SIGCHLD;
#else
    int flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
#endif
    if (!mounts.empty() || !spec.setup.empty()) flags |= CLONE_NEWNS;
    if (spec.new_pid_namespace) flags |= CLONE_NEWPID;
    pid_t pid = ::clone(&child_main, stack.data() + stack.size(), flags, &args);
    int clone_errno = errno;
    report_pipe.write.reset();
    if (pid < 0) {
        error = std::string("clone: ") + std::strerror(clone_errno);
        return out;
    }
    report r{};
    ssize_t n = ::read(report_pipe.read.get(), &r, sizeof r);
    if (n == static_cast<ssize_t>(sizeof r)) {
        int status;
        ::waitpid(pid, &status, 0);
        error = std::string(stage_name(r.stage)) + " " + argv_store[0] +
                (r.stage == stage_chdir ? " in " + spec.cwd : std::string()) + ": " +
                std::strerror(r.err);
        return out;
    }
    out.pid = pid;
    out.pidfd.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    return out;
}

void end_process_group(pid_t& pid) {
    if (pid <= 0) return;
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    pid = -1;
}

bool mount_namespaces_available(std::string* why_not) {
    static std::once_flag once;
    static bool available = false;
    static std::string reason;
    std::call_once(once, [] {
        spawn_spec probe;
        probe.argv = {"/bin/true"};
        probe.mounts = {{"/tmp", "/tmp"}};
        std::string err;
        auto p = spawn_process(probe, err);
        if (p.pid < 0) {
            reason = err;
            return;
        }
        int status = 0;
        ::waitpid(p.pid, &status, 0);
        available = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (!available) reason = "probe process failed";
    });
    if (why_not) *why_not = reason;
    return available;
}

}  // namespace daytona::emulator
