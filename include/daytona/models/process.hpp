// SPDX-License-Identifier: Apache-2.0
// Command execution models (toolbox tag `process`): ExecuteRequest, ExecuteResponse and the
// options of process::exec. Aggregates only; codecs in codec/process.hpp.
#ifndef DAYTONA_MODELS_PROCESS_HPP
#define DAYTONA_MODELS_PROCESS_HPP

#include "daytona/config.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

DAYTONA_BEGIN_NAMESPACE

/// Options of process::exec.
struct exec_options {
    /// Working directory inside the sandbox; default: the sandbox's work dir.
    std::optional<std::string> cwd{};
    /// Extra environment variables for this command. Secrets belong here rather than in the
    /// command text: traces and errors never show these values.
    std::map<std::string, std::string> env{};
    /// Kill the command (its whole process group) after this long and fail with HTTP 408
    /// (condition::timeout). 0 means no limit. Whole seconds on the wire; rounded up.
    std::chrono::milliseconds timeout{0};
};

/// The outcome of a command that ran. A non-zero exit code is data, not an error.
struct exec_result {
    /// The command's exit code.
    int exit_code = 0;
    /// stdout and stderr, merged in the order the command wrote them.
    std::string output{};
};

/// OpenAPI `ExecuteRequest`, the wire body of `POST /process/execute`.
struct execute_request {
    /// The command line, run with the sandbox's shell.
    std::string command{};
    /// Working directory; unset: the sandbox's work dir.
    std::optional<std::string> cwd{};
    /// Extra environment variables for the command.
    std::map<std::string, std::string> envs{};
    /// Seconds; absent means no limit.
    std::optional<std::int64_t> timeout{};
};

/// Whole seconds for the wire, rounding a partial second up so a 1500 ms limit is not 1 s.
constexpr std::int64_t timeout_seconds(std::chrono::milliseconds t) {
    return (t.count() + 999) / 1000;
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_PROCESS_HPP
