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
    std::string id{};
    std::string cwd{};
    std::string language{};
    std::string created_at{};
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
    std::vector<interpreter_context> contexts{};
};

/// The first (and only) message a client sends on the execute WebSocket.
struct interpreter_execute_request {
    std::string code{};
    /// Absent: the default context.
    std::optional<std::string> context_id{};
    std::map<std::string, std::string> envs{};
    /// Seconds; absent means no limit.
    std::optional<std::int64_t> timeout{};
};

/// An exception the code raised (Python's type name, its message and the formatted traceback).
struct execution_error {
    std::string name{};
    std::string value{};
    std::string traceback{};
};

/// One message the daemon sends while code runs: `stdout`/`stderr` (text), `error` (name,
/// value, traceback) or `control` (text: "completed" or "interrupted").
struct interpreter_message {
    std::string type{};
    std::string text{};
    std::string name{};
    std::string value{};
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
    /// Output as it is written, in order (any size, not necessarily lines).
    std::function<void(std::string_view)> on_stdout{};
    std::function<void(std::string_view)> on_stderr{};
    /// The exception the code raised, when it arrives.
    std::function<void(const execution_error&)> on_error{};
};

/// What an execution produced, all of it.
struct execution_result {
    std::string stdout_text{};
    std::string stderr_text{};
    /// The exception the code raised; absent when it ran to its end.
    std::optional<execution_error> error{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_INTERPRETER_HPP
