// SPDX-License-Identifier: Apache-2.0
// Code interpreter models (toolbox tag `interpreter`): InterpreterContext, CreateContextRequest,
// ListContextsResponse, the execute request and what an execution produced. Aggregates only;
// codecs in codec/interpreter.hpp.
#ifndef DAYTONA_MODELS_INTERPRETER_HPP
#define DAYTONA_MODELS_INTERPRETER_HPP

#include "daytona/config.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/// OpenAPI `InterpreterContext`: an interpreter whose variables live until it is deleted.
struct interpreter_context {
    /// The context's id, for run_code_options::context_id and code_interpreter::delete_context().
    std::string id{};
    /// The interpreter's working directory.
    std::string cwd{};
    /// The interpreter's language ("python").
    std::string language{};
    /// Creation time, as the daemon formats it.
    std::string created_at{};
    /// Whether the interpreter process is still running.
    bool active = false;
};

/// OpenAPI `CreateContextRequest`.
struct create_context_request {
    /// Working directory; absent: the sandbox user's home.
    std::optional<std::string> cwd{};
    /// "python" (the only language the daemon runs); absent: python.
    std::optional<std::string> language{};
};

/// OpenAPI `ListContextsResponse` (the default context is not listed).
struct list_contexts_response {
    /// The contexts created by clients.
    std::vector<interpreter_context> contexts{};
};

/// The first (and only) message a client sends on the execute WebSocket.
struct interpreter_execute_request {
    /// The source text to run.
    std::string code{};
    /// Absent: the default context.
    std::optional<std::string> context_id{};
    /// Environment variables for this execution; sent only when not empty.
    std::map<std::string, std::string> envs{};
    /// Seconds; absent means no limit.
    std::optional<std::int64_t> timeout{};
};

/// An exception the code raised (Python's type name, its message and the formatted traceback).
struct execution_error {
    /// The exception's type name, e.g. `ZeroDivisionError`.
    std::string name{};
    /// The exception's message, e.g. `division by zero`.
    std::string value{};
    /// The formatted traceback, as Python prints it.
    std::string traceback{};
};

/// One message the daemon sends while code runs: `stdout`/`stderr` (text), `error` (name,
/// value, traceback) or `control` (text: "completed" or "interrupted").
struct interpreter_message {
    /// `stdout`, `stderr`, `error` or `control`.
    std::string type{};
    /// The output text (`stdout`, `stderr`), or "completed" / "interrupted" (`control`).
    std::string text{};
    /// The exception's type name (`error`).
    std::string name{};
    /// The exception's message (`error`).
    std::string value{};
    /// The formatted traceback (`error`).
    std::string traceback{};
};

/// Options of code_interpreter::run_code.
struct run_code_options {
    /// The context to run in (code_interpreter::create_context); empty: the default context.
    std::string context_id{};
    /// Environment variables for this execution only.
    std::map<std::string, std::string> env{};
    /// Interrupt the code after this long (whole seconds on the wire, rounded up); the
    /// context and its variables stay. 0: no limit.
    std::chrono::milliseconds timeout{0};
    /// Output to stdout as it is written, in order (any size, not necessarily lines).
    std::function<void(std::string_view)> on_stdout{};
    /// Output to stderr as it is written, in order (any size, not necessarily lines).
    std::function<void(std::string_view)> on_stderr{};
    /// The exception the code raised, when it arrives.
    std::function<void(const execution_error&)> on_error{};
};

/// What an execution produced, all of it.
struct execution_result {
    /// Everything the code wrote to stdout.
    std::string stdout_text{};
    /// Everything the code wrote to stderr.
    std::string stderr_text{};
    /// The exception the code raised; absent when it ran to its end.
    std::optional<execution_error> error{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_INTERPRETER_HPP
