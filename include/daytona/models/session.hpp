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
    /// The command's id (`cmdId` when it was started), for its logs and its stdin.
    std::string id{};
    /// The command line as it was sent.
    std::string command{};
    /// Absent while the command runs.
    std::optional<int> exit_code{};
};

/// OpenAPI `Session`: a persistent shell and the commands it ran.
struct session_info {
    /// The session's name, chosen by whoever created it (`sessionId`).
    std::string session_id{};
    /// The commands run in the session so far, oldest first.
    std::vector<session_command> commands{};
};

/// OpenAPI `CreateSessionRequest`.
struct create_session_request {
    /// Name of the new session, unique in the sandbox (`sessionId`).
    std::string session_id{};
};

/// OpenAPI `SessionExecuteRequest`.
struct session_execute_request {
    /// The shell command line to run.
    std::string command{};
    /// Answer at once (202) with the command id instead of waiting for it to finish.
    bool run_async = false;
    /// Do not echo what is sent to the command's stdin into its output.
    std::optional<bool> suppress_input_echo{};
};

/// OpenAPI `SessionExecuteResponse`: a finished command (or only `cmd_id` for an async one).
struct session_execute_response {
    /// The command's id (`cmdId`), for its logs and its stdin.
    std::string cmd_id{};
    /// The command's exit code; absent for an async command.
    std::optional<int> exit_code{};
    /// The raw log: stdout and stderr lines, each behind its 3-byte marker.
    std::string output{};
    /// What the command wrote to stdout (`stdout`).
    std::string stdout_text{};
    /// What the command wrote to stderr (`stderr`).
    std::string stderr_text{};
};

/// OpenAPI `SessionCommandLogsResponse`.
struct session_logs {
    /// The raw log, markers included.
    std::string output{};
    /// What the command wrote to stdout so far (`stdout`).
    std::string stdout_text{};
    /// What the command wrote to stderr so far (`stderr`).
    std::string stderr_text{};
};

/// OpenAPI `SessionSendInputRequest`.
struct session_input {
    /// Text written to the command's stdin as it is (no newline is added).
    std::string data{};
};

/// The outcome of a command whose stdout and stderr were kept apart. A non-zero exit code is
/// data, not an error.
struct exec_output {
    /// The command's exit code; -1 when the daemon reported none.
    int exit_code = 0;
    /// Everything the command wrote to stdout.
    std::string stdout_text{};
    /// Everything the command wrote to stderr.
    std::string stderr_text{};
};

/// OpenAPI `CodeRunRequest`.
struct code_run_request {
    /// The program's source text.
    std::string code{};
    /// "python", "typescript" or "javascript".
    std::string language{};
    /// Arguments for the program; sent only when not empty.
    std::vector<std::string> argv{};
    /// Environment variables for this run; sent only when not empty.
    std::map<std::string, std::string> envs{};
    /// Seconds; absent means no limit.
    std::optional<std::int64_t> timeout{};
};

/// A chart a Python run produced (matplotlib), as JSON text.
struct code_run_chart {
    /// One entry of `artifacts.charts`, the JSON object exactly as the daemon sent it.
    std::string json{};
};

/// OpenAPI `CodeRunResponse`.
struct code_run_result {
    /// The program's exit code (`exitCode`).
    int exit_code = 0;
    /// stdout and stderr, merged.
    std::string output{};
    /// Charts the run produced (`artifacts.charts`: matplotlib figures of a Python run).
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
    /// Absolute path of the directory in the sandbox.
    std::string dir{};
};

/// OpenAPI `PortList`.
struct port_list {
    /// Ports something listens on in the sandbox.
    std::vector<int> ports{};
};

/// OpenAPI `IsPortInUseResponse`.
struct port_in_use {
    /// Whether something listens on the port (`isInUse`).
    bool is_in_use = false;
};

/// `{"version": ...}` of the toolbox daemon.
struct version_response {
    /// The daemon's version string.
    std::string version{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_SESSION_HPP
