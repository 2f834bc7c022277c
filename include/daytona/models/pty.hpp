// SPDX-License-Identifier: Apache-2.0
// Pseudo-terminal models (toolbox tag `process`, /process/pty): PtyCreateRequest,
// PtySessionInfo, PtyResizeRequest, and the options and outcome of a terminal. Aggregates only;
// codecs in codec/pty.hpp.
#ifndef DAYTONA_MODELS_PTY_HPP
#define DAYTONA_MODELS_PTY_HPP

#include "daytona/config.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/// How to create a pseudo-terminal (pty::create).
struct pty_options {
    /// The terminal's id, unique in the sandbox (letters, digits, `-`, `_`). Empty: a random
    /// one is made up.
    std::string id{};
    /// Working directory of the shell; empty: the sandbox's work dir.
    std::string cwd{};
    /// Environment variables of the shell (TERM defaults to xterm-256color).
    std::map<std::string, std::string> env{};
    /// Width in characters (1 to 1000).
    int cols = 80;
    /// Height in characters (1 to 1000).
    int rows = 24;
    /// How long to wait for the daemon's `connected` message after the upgrade.
    std::chrono::milliseconds connect_timeout{10000};
};

/// OpenAPI `PtyCreateRequest`, the body of `POST /process/pty`.
struct pty_create_request {
    /// The terminal's id, unique in the sandbox.
    std::string id{};
    /// Working directory of the shell; unset: the daemon's default.
    std::optional<std::string> cwd{};
    /// Environment variables of the shell.
    std::map<std::string, std::string> envs{};
    /// Width in characters.
    std::optional<int> cols{};
    /// Height in characters.
    std::optional<int> rows{};
    /// Start the shell when the first client connects, not now.
    std::optional<bool> lazy_start{};
};

/// OpenAPI `PtyCreateResponse`.
struct pty_create_response {
    /// The new terminal's id (`sessionId`).
    std::string session_id{};
};

/// OpenAPI `PtySessionInfo`: a pseudo-terminal as the daemon describes it.
struct pty_session_info {
    /// The terminal's id.
    std::string id{};
    /// Working directory the shell started in.
    std::string cwd{};
    /// Environment variables of the shell.
    std::map<std::string, std::string> envs{};
    /// Width in characters.
    int cols = 0;
    /// Height in characters.
    int rows = 0;
    /// Creation time, as the daemon formats it.
    std::string created_at{};
    /// The shell runs.
    bool active = false;
    /// The shell starts only when the first client connects (`lazyStart`).
    bool lazy_start = false;
};

/// OpenAPI `PtyListResponse`.
struct pty_list_response {
    /// The sandbox's terminals.
    std::vector<pty_session_info> sessions{};
};

/// OpenAPI `PtyResizeRequest`.
struct pty_resize_request {
    /// New width in characters.
    int cols = 0;
    /// New height in characters.
    int rows = 0;
};

/// How a terminal's shell ended.
struct pty_exit {
    /// The shell's exit code (128 + N after signal N).
    int exit_code = 0;
    /// The daemon's reason for a non-zero code: "Ctrl+C" (130), "SIGKILL" (137), "SIGTERM"
    /// (143), "signal K" (other codes above 128), "non-zero exit"; empty for 0.
    std::string reason{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_PTY_HPP
