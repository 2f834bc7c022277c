// SPDX-License-Identifier: Apache-2.0
// Command execution DTOs (toolbox `ExecuteRequest` / `ExecuteResponse`) and their JSON coding.
#ifndef DAYTONA_MODELS_PROCESS_HPP
#define DAYTONA_MODELS_PROCESS_HPP

#include "daytona/config.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>

DAYTONA_BEGIN_NAMESPACE

/// Options of process::exec.
struct exec_options {
    /// Working directory inside the sandbox; default: the sandbox's work dir.
    std::optional<std::string> cwd{};
    /// Extra environment variables for this command.
    std::map<std::string, std::string> env{};
    /// Kill the command (its whole process group) after this long and fail with HTTP 408
    /// (condition::timeout). 0 means no limit. Whole seconds on the wire; rounded up.
    std::chrono::milliseconds timeout{0};
};

/// The outcome of a command that ran. A non-zero exit code is data, not an error.
struct exec_result {
    int exit_code = 0;
    /// stdout and stderr, merged in the order the command wrote them.
    std::string output{};
};

/// Whole seconds for the wire, rounding a partial second up so a 1500 ms limit is not 1 s.
inline std::int64_t timeout_seconds(std::chrono::milliseconds t) {
    return (t.count() + 999) / 1000;
}

/// The ExecuteRequest body.
inline std::string execute_request_json(std::string_view command, const exec_options& o) {
    std::string out;
    out.reserve(command.size() + 64);
    json::writer w(out);
    w.begin_object().member("command", command);
    if (o.timeout.count() > 0) w.member("timeout", timeout_seconds(o.timeout));
    w.member("cwd", o.cwd);
    if (!o.env.empty()) w.member("envs", o.env);
    w.end_object();
    return out;
}

inline void decode_value(json::value& v, exec_result& out, json::decoder& d) {
    bool has_code = false;
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "exitCode" || (key == "code" && !has_code)) {
            // `code` is the legacy name of the field; the TS SDK falls back to it too.
            d.field(key, val, out.exit_code);
            has_code = true;
        } else if (key == "result") {
            d.field("result", val, out.output);
        }
    });
    if (d.ok() && !has_code) d.missing("exitCode");
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_PROCESS_HPP
