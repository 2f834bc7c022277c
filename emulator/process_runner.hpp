// SPDX-License-Identifier: Apache-2.0
// Runs a shell command as a real child process: own process group, merged output, timeout.
#ifndef DAYTONA_EMULATOR_PROCESS_RUNNER_HPP
#define DAYTONA_EMULATOR_PROCESS_RUNNER_HPP

#include <daytona/net/asio_compat.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace daytona::emulator {

struct run_spec {
    /// Passed to `/bin/sh -c`.
    std::string command;
    std::filesystem::path cwd;
    /// "NAME=value" entries; the whole environment of the child.
    std::vector<std::string> env;
    /// 0 means no limit.
    std::chrono::milliseconds timeout{0};
    /// Output beyond this is dropped (the command keeps running).
    std::size_t max_output = 64 * 1024 * 1024;
};

struct run_outcome {
    /// The process could not be started; `output` holds the reason.
    bool spawn_failed = false;
    /// The timeout expired and the process group was killed.
    bool timed_out = false;
    /// Exit status, or 128 + signal number for a signalled process (shell convention).
    int exit_code = 0;
    /// stdout and stderr, interleaved as written.
    std::string output;
};

/// Spawns the command and waits for it on `ex` without blocking the thread.
asio::awaitable<run_outcome> run_command(run_spec spec);

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_PROCESS_RUNNER_HPP
