// SPDX-License-Identifier: Apache-2.0
// Session models (toolbox tag `process`): persistent shells, their commands and logs; and the
// small process info shapes (code-run, directories, ports). Codecs in codec/session.hpp.
#ifndef DAYTONA_MODELS_SESSION_HPP
#define DAYTONA_MODELS_SESSION_HPP

#include "daytona/config.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/// OpenAPI `Command`: one command run in a session.
struct session_command {
    std::string id{};
    std::string command{};
    /// Absent while the command runs.
    std::optional<int> exit_code{};
};

/// OpenAPI `Session`: a persistent shell and the commands it ran.
struct session_info {
    std::string session_id{};
    std::vector<session_command> commands{};
};

/// OpenAPI `CreateSessionRequest`.
struct create_session_request {
    std::string session_id{};
};

/// OpenAPI `SessionExecuteRequest`.
struct session_execute_request {
    std::string command{};
    /// Answer at once (202) with the command id instead of waiting for it to finish.
    bool run_async = false;
    /// Do not echo what is sent to the command's stdin into its output.
    std::optional<bool> suppress_input_echo{};
};

/// OpenAPI `SessionExecuteResponse`: a finished command (or only `cmd_id` for an async one).
struct session_execute_response {
    std::string cmd_id{};
    std::optional<int> exit_code{};
    /// The raw log: stdout and stderr lines, each behind its 3-byte marker.
    std::string output{};
    std::string stdout_text{};
    std::string stderr_text{};
};

/// OpenAPI `SessionCommandLogsResponse`.
struct session_logs {
    /// The raw log, markers included.
    std::string output{};
    std::string stdout_text{};
    std::string stderr_text{};
};

/// OpenAPI `SessionSendInputRequest`.
struct session_input {
    std::string data{};
};

/// The outcome of a command whose stdout and stderr were kept apart. A non-zero exit code is
/// data, not an error.
struct exec_output {
    int exit_code = 0;
    std::string stdout_text{};
    std::string stderr_text{};
};

/// OpenAPI `CodeRunRequest`.
struct code_run_request {
    std::string code{};
    /// "python", "typescript" or "javascript".
    std::string language{};
    std::vector<std::string> argv{};
    std::map<std::string, std::string> envs{};
    /// Seconds; absent means no limit.
    std::optional<std::int64_t> timeout{};
};

/// A chart a Python run produced (matplotlib), as JSON text.
struct code_run_chart {
    std::string json{};
};

/// OpenAPI `CodeRunResponse`.
struct code_run_result {
    int exit_code = 0;
    /// stdout and stderr, merged.
    std::string output{};
    std::vector<code_run_chart> charts{};
};

/// Options of process::code_run.
struct code_run_options {
    /// Arguments for the program (sys.argv[1:] / process.argv.slice(2)).
    std::vector<std::string> argv{};
    /// Environment variables for this run.
    std::map<std::string, std::string> env{};
    /// Kill the run after this long (HTTP 408, condition::timeout). 0: no limit.
    std::chrono::milliseconds timeout{0};
};

/// `{"dir": ...}`: the user's home or the working directory.
struct dir_response {
    std::string dir{};
};

/// OpenAPI `PortList`.
struct port_list {
    std::vector<int> ports{};
};

/// OpenAPI `IsPortInUseResponse`.
struct port_in_use {
    bool is_in_use = false;
};

/// `{"version": ...}` of the toolbox daemon.
struct version_response {
    std::string version{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_SESSION_HPP
