// SPDX-License-Identifier: Apache-2.0
// Runs a command as a real child process and waits for it without blocking a thread: merged
// output, exit status, timeout that kills the whole process group.
#ifndef DAYTONA_EMULATOR_PROCESS_RUNNER_HPP
#define DAYTONA_EMULATOR_PROCESS_RUNNER_HPP

#include "spawn.hpp"

#include <daytona/net/asio_compat.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daytona::emulator {

/// Told about every process group a sandbox starts, so stopping the sandbox can end them.
class process_tracker {
public:
    virtual ~process_tracker() = default;
    virtual void started(pid_t pgid) = 0;
    virtual void ended(pid_t pgid) = 0;
};

struct run_spec {
    /// What to run and where (argv, env, cwd, namespace mounts). stdio fields are ignored.
    spawn_spec process;
    /// 0 means no limit.
    std::chrono::milliseconds timeout{0};
    /// Output beyond this is dropped (the command keeps running).
    std::size_t max_output = 64 * 1024 * 1024;
    /// Keep stdout and stderr apart (otherwise both go to `output`).
    bool separate_stderr = false;
    /// Written to the process's stdin through a pipe, which is then closed (nullopt: stdin is
    /// /dev/null). How the daemon hands a command to its shell: no ARG_MAX limit, and a
    /// command that reads stdin reads the rest of the script.
    std::optional<std::string> stdin_data;
    /// Shared, so that a command still running when its sandbox is deleted can report its end.
    std::shared_ptr<process_tracker> tracker{};
    /// When set, stdout (merged with stderr unless separate_stderr) goes here as it arrives,
    /// chunk by chunk, instead of into run_outcome::output.
    std::function<void(std::string_view)> on_output{};
};

struct run_outcome {
    /// The process could not be started; `output` holds the reason.
    bool spawn_failed = false;
    /// The timeout expired and the process group was killed.
    bool timed_out = false;
    /// Exit status, or 128 + signal number for a signalled process (shell convention).
    int exit_code = 0;
    /// stdout (and stderr, unless separate_stderr), interleaved as written.
    std::string output;
    std::string error_output;
};

/// Spawns the process and waits for it on the calling coroutine's executor.
asio::awaitable<run_outcome> run_command(run_spec spec);

/// Waits until the child exits without blocking a thread (its pidfd becoming readable; a
/// waitpid poll every 50 ms on kernels without pidfds), reaps it and returns its exit code: the
/// status, or 128 + signal for a signalled process (shell convention).
asio::awaitable<int> wait_for_exit(spawned child);

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_PROCESS_RUNNER_HPP
