// SPDX-License-Identifier: Apache-2.0
// Owning file descriptors and pipes: every descriptor the emulator opens is closed by its owner.
#ifndef DAYTONA_EMULATOR_FD_HPP
#define DAYTONA_EMULATOR_FD_HPP

#include <string_view>
#include <utility>

namespace daytona::emulator {

/// Owns one file descriptor: closed when destroyed or reset; moves, never copies.
class unique_fd {
public:
    unique_fd() noexcept = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& other) noexcept : fd_(other.release()) {}
    unique_fd& operator=(unique_fd&& other) noexcept {
        reset(other.release());
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    /// Gives the descriptor up without closing it.
    int release() noexcept { return std::exchange(fd_, -1); }
    /// Closes the descriptor held, if any, and takes `fd`.
    void reset(int fd = -1) noexcept;
    /// A close-on-exec duplicate for an owner of its own (an asio descriptor); -1 on failure.
    int duplicate() const noexcept;

private:
    int fd_ = -1;
};

/// Both ends of a pipe.
struct pipe_fds {
    unique_fd read, write;
};

/// pipe2(O_CLOEXEC | flags); on failure both ends are empty and errno says why. With `lowest`,
/// both descriptors are numbered at least that (so handing them to a child as low numbers
/// cannot overwrite one with the other).
pipe_fds make_pipe(int flags = 0, int lowest = 0);

/// Sets or clears O_NONBLOCK.
void set_nonblocking(int fd, bool on = true);

/// Writes all of `data`, retrying short writes; false (errno says why) if a write fails, which
/// on a non-blocking descriptor includes EAGAIN.
bool write_all(int fd, std::string_view data);

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_FD_HPP
