// SPDX-License-Identifier: Apache-2.0
// Request traces: one JSON object per line for each request sent, appended to a file that any
// number of clients and processes may share (`DAYTONA_TRACE=<file>` or client_options).
//
//   {"ts":"2026-12-02T08:00:00.123Z","operation":"start_sandbox","method":"POST",
//    "url":"https://app.daytona.io/api/sandbox/abc/start","status":200,"ms":12.5,
//    "request_body":{...}}
//
// `status` is 0 when no response arrived (then `error` says why); `request_body` is the parsed
// JSON body with secrets replaced (json::redact), left out for other bodies; WebSocket upgrades
// carry `"websocket":true`. No header is ever written, and credential-like query parameters and
// the path segments that carry a credential are replaced too, so neither the API key nor any
// other credential reaches the file.
#ifndef DAYTONA_API_TRACE_HPP
#define DAYTONA_API_TRACE_HPP

#include "daytona/config.hpp"
#include "daytona/http/observing_transport.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace api {

/**
 * \brief An append-only file of trace lines, shared by every client of the process that names
 * the same path.
 * \details Each line goes out in one write() to a file opened with O_APPEND, so lines from
 * several processes never interleave. Write failures are ignored: tracing never fails a call.
 */
class trace_file {
public:
    /// The process-wide trace file for `path` (opened on first use); null if it cannot be opened.
    static DAYTONA_DECL std::shared_ptr<trace_file> open(const std::string& path);

    DAYTONA_DECL ~trace_file();
    trace_file(const trace_file&) = delete;
    trace_file& operator=(const trace_file&) = delete;

    /// The path the file was opened with.
    const std::string& path() const noexcept { return path_; }

    /// Appends `line` (which must end in '\n').
    DAYTONA_DECL void append(std::string_view line) noexcept;

private:
    trace_file(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    int fd_;
    std::string path_;
    std::mutex mu_;
};

/**
 * \brief `target` with its credentials replaced by `[REDACTED]`.
 * \details The values of credential-like query parameters (json::is_secret_name: `token`,
 * `password`, ...), and the path segments that are credentials in Daytona's API:
 * `.../signed-preview-url/{token}/...`, `.../by-sandbox-auth-token/{authToken}`,
 * `.../preview/{sandboxId}/validate/{authToken}` and
 * `.../preview/{signedPreviewToken}/{port}/sandbox-id`.
 */
DAYTONA_DECL std::string redact_target(std::string_view target);

/// The trace line for one exchange (ends in '\n'), stamped `now`; every occurrence of `secret`
/// (the client's credential) is replaced as well, wherever it appears.
DAYTONA_DECL std::string format_trace_line(const http::exchange_record& rec,
                                           std::string_view secret,
                                           std::chrono::system_clock::time_point now);

/// The trace line for one exchange, stamped with the current time.
inline std::string format_trace_line(const http::exchange_record& rec, std::string_view secret) {
    return format_trace_line(rec, secret, std::chrono::system_clock::now());
}

}  // namespace api
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/impl/trace.ipp"
#endif

#endif  // DAYTONA_API_TRACE_HPP
