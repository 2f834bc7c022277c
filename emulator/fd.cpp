// SPDX-License-Identifier: Apache-2.0
#include "fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace daytona::emulator {

void unique_fd::reset(int fd) noexcept {
    if (fd_ >= 0 && fd_ != fd) ::close(fd_);
    fd_ = fd;
}

int unique_fd::duplicate() const noexcept {
    return fd_ < 0 ? -1 : ::fcntl(fd_, F_DUPFD_CLOEXEC, 0);
}

pipe_fds make_pipe(int flags, int lowest) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | flags) != 0) return {};
    pipe_fds out{unique_fd(fds[0]), unique_fd(fds[1])};
    if (lowest <= 0) return out;
    pipe_fds high{unique_fd(::fcntl(fds[0], F_DUPFD_CLOEXEC, lowest)),
                  unique_fd(::fcntl(fds[1], F_DUPFD_CLOEXEC, lowest))};
    if (!high.read || !high.write) return {};
    return high;
}

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const auto n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void set_nonblocking(int fd, bool on) {
    const int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
}

}  // namespace daytona::emulator
