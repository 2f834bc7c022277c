// SPDX-License-Identifier: Apache-2.0
// Error codes, portable conditions, and daytona::error (an error code plus diagnostics).
#ifndef DAYTONA_ERROR_HPP
#define DAYTONA_ERROR_HPP

#include "daytona/config.hpp"

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/// Failures detected by this library rather than reported by a server.
enum class errc {
    /// The host name of an endpoint could not be resolved.
    resolve_failed = 1,
    /// No TCP connection could be established to any resolved address.
    connect_failed,
    /// The TLS handshake failed; this includes certificate and host-name verification failures.
    tls_handshake_failed,
    /// A client-side deadline (connect or per-request timeout) expired.
    timeout,
    /// The operation was cancelled through asio per-operation cancellation.
    cancelled,
    /// The peer sent bytes that are not valid HTTP/1.1 (the llhttp reason is in the message).
    protocol_error,
    /// A message head (start line and headers) exceeded the configured size limit.
    header_too_large,
    /// A body that had to be buffered in memory exceeded the configured size limit.
    body_too_large,
    /// The connection was closed or reset before a complete response arrived.
    connection_closed,
    /// A JSON document was malformed (the simdjson reason is in the message).
    json_parse_error,
    /// A JSON document was well-formed but a field was missing or of the wrong type.
    json_schema_mismatch,
    /// Every allowed attempt failed; the diagnostics describe the last failure.
    retry_exhausted,
    /// A wait for a sandbox state ran out of time before the state was reached.
    wait_timeout,
    /// A sandbox reached a failure state (`error`, `build_failed`) while being waited on.
    sandbox_failed,
    /// An argument or an option was rejected before any request was sent.
    invalid_argument,
    /// Neither an API key nor a JWT (with organization id) was configured.
    missing_credentials,
    /// The Claude Code CLI is not installed in the sandbox and could not be installed.
    claude_cli_unavailable,
    /// A local file could not be opened, read or written (the OS reason is in the message).
    io_error,
    /// A lookup that is not a single request found nothing (no sandbox carries these labels).
    /// An HTTP 404 keeps its HTTP code; both compare equal to condition::not_found.
    not_found,
    /// An image build failed (`build_failed`): reason() is Daytona's errorReason and
    /// build_log_tail() the last lines of the build log.
    build_failed,
};

/// Portable conditions: compare any daytona::error (or std::error_code) against these, whatever
/// produced it. `e == condition::not_found` holds for an HTTP 404 from the API or the toolbox.
enum class condition {
    not_found = 1,  ///< HTTP 404
    unauthorized,   ///< HTTP 401, or no credentials configured
    forbidden,      ///< HTTP 403
    conflict,       ///< HTTP 409
    rate_limited,   ///< HTTP 429
    unavailable,    ///< HTTP 502/503, or the endpoint could not be reached at all
    timeout,        ///< HTTP 408/504, a client deadline, or a state wait that ran out of time
    cancelled,      ///< per-operation cancellation (ours or asio's operation_aborted)
    bad_request,    ///< HTTP 400/422, or an argument rejected locally
    gone,           ///< HTTP 410
    server_error,   ///< any other HTTP 5xx
};

DAYTONA_END_NAMESPACE

template <>
struct std::is_error_code_enum<daytona::errc> : std::true_type {};
template <>
struct std::is_error_condition_enum<daytona::condition> : std::true_type {};

DAYTONA_BEGIN_NAMESPACE

namespace detail {

class condition_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "daytona.condition"; }
    DAYTONA_DECL std::string message(int v) const override;
    DAYTONA_DECL bool equivalent(const std::error_code& code, int cond) const noexcept override;
};

class daytona_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "daytona"; }
    DAYTONA_DECL std::string message(int v) const override;
    DAYTONA_DECL std::error_condition default_error_condition(int v) const noexcept override;
};

class http_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "daytona.http"; }
    DAYTONA_DECL std::string message(int v) const override;
    DAYTONA_DECL std::error_condition default_error_condition(int v) const noexcept override;
};

}  // namespace detail

// The categories are never destroyed: error codes are made and compared during static
// destruction too (a client or emulator held in a static shuts down and its connections fail),
// and a category destroyed before that code runs would be a dangling object.

/// The category of #condition values.
inline const std::error_category& condition_category() noexcept {
    static const auto* instance = new detail::condition_category_impl();
    return *instance;
}

/// The category of #errc values.
inline const std::error_category& daytona_category() noexcept {
    static const auto* instance = new detail::daytona_category_impl();
    return *instance;
}

/// The category whose values are HTTP status codes (a non-2xx response from the API or toolbox).
inline const std::error_category& http_category() noexcept {
    static const auto* instance = new detail::http_category_impl();
    return *instance;
}

/// The std::error_code of an #errc value (found by argument-dependent lookup).
inline std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), daytona_category()};
}
/// The std::error_condition of a #condition value (found by argument-dependent lookup).
inline std::error_condition make_error_condition(condition c) noexcept {
    return {static_cast<int>(c), condition_category()};
}
/// An error code for an HTTP status received from a server.
inline std::error_code make_http_error_code(int status) noexcept {
    return {status, http_category()};
}

/// The standard reason phrase of an HTTP status ("Not Found"), or "" when unknown.
DAYTONA_DECL std::string_view http_reason_phrase(int status) noexcept;

/**
 * \brief One rate limit as a server reported it in `X-RateLimit-*` headers.
 * \details Daytona sends the plain headers and one set per throttler
 * (`X-RateLimit-Remaining-sandbox-create`); Unknown or malformed values stay unset.
 */
struct rate_limit {
    /// The throttler's name ("authenticated", "sandbox-create", ...); empty for the plain headers.
    std::string throttler{};
    /// Requests allowed per window.
    std::optional<std::int64_t> limit{};
    /// Requests left in the current window.
    std::optional<std::int64_t> remaining{};
    /// Seconds until the window resets.
    std::optional<std::int64_t> reset_seconds{};
};

/**
 * \brief How often a server has pushed back on a client: 429 Too Many Requests and 503 Service
 * Unavailable responses, counted per attempt (retried ones too).
 * \details Schedulers compare `responses` between two looks to learn that they are sending too
 * fast, and wait until `until` (the latest Retry-After seen) before sending more.
 */
struct throttling {
    /// 429 and 503 responses received so far.
    std::uint64_t responses = 0;
    /// The end of the longest Retry-After received (a time in the past when none is pending).
    std::chrono::steady_clock::time_point until{};
};

/// Server-side details of a failure, as far as they are known. Every string is untrusted text
/// from the network (or empty) except `operation`, which names the library call that failed.
struct error_info {
    /// HTTP status of the response, 0 when no response was received.
    int http_status = 0;
    /// Daytona's machine-readable code (`code` / `error_code` in the body), e.g. "FILE_NOT_FOUND".
    std::string service_code{};
    /// Which Daytona component answered: "DAYTONA_API", "DAYTONA_DAEMON" or "DAYTONA_PROXY".
    std::string source{};
    /// Human-readable text: the server's `message`, or a local description of the failure.
    std::string message{};
    /// Request id from the response headers, when the server sent one.
    std::string request_id{};
    /// The library operation that failed, e.g. "create_sandbox".
    std::string operation{};
    /// The first bytes of the response body (sanitized), for debugging unexpected shapes.
    std::string body_excerpt{};
    /// Rate limits reported with the response (429s carry them; other statuses may too).
    std::vector<rate_limit> rate_limits{};
    /// How long the server asked the client to wait (`Retry-After`, or the longest
    /// `Retry-After-<throttler>`), when it did.
    std::optional<std::chrono::seconds> retry_after{};
    /// For errc::sandbox_failed and failed snapshot builds: Daytona's `errorReason`.
    std::string reason{};
    /// For errc::retry_exhausted: the code of the last attempt's failure, so that conditions
    /// still match it (`e == condition::rate_limited` after the 429s ran out of retries).
    std::error_code cause{};
    /// For errc::build_failed: the last lines of the build log (untrusted text).
    std::vector<std::string> log_tail{};
};

/**
 * \brief An error code plus diagnostics: what failed, where, and what the server said.
 * \details Cheap to copy (the diagnostics are shared and immutable). Compare with a
 * daytona::condition for portable checks (`e == condition::not_found`), or with a daytona::errc /
 * `code()` for exact ones.
 * Nothing in an error ever contains credentials: the client never copies request headers into
 * one, and the transport scrubs the configured secret from server-provided text.
 */
class error {
public:
    error() noexcept = default;

    /// An error from a code alone.
    error(std::error_code code) noexcept : code_(code) {}  // NOLINT: implicit by design

    /// An error from an error-code enum, e.g. `error{errc::timeout}`.
    template <class E, std::enable_if_t<std::is_error_code_enum_v<E>, int> = 0>
    error(E e) noexcept : code_(make_error_code(e)) {}  // NOLINT: implicit by design

    /// An error from a code and a message (a local description or the server's text).
    DAYTONA_DECL error(std::error_code code, std::string message);

    /// An error from a code and full diagnostics.
    DAYTONA_DECL error(std::error_code code, error_info info);

    /// The code: a daytona::errc, an HTTP status (http_category()), or a system or asio code.
    const std::error_code& code() const noexcept { return code_; }
    /// HTTP status of the response; 0 when no response was received.
    int http_status() const noexcept { return info().http_status; }
    /// Daytona's machine-readable code, e.g. "FILE_NOT_FOUND"; empty when none was sent.
    const std::string& service_code() const noexcept { return info().service_code; }
    /// Which Daytona component answered: "DAYTONA_API", "DAYTONA_DAEMON" or "DAYTONA_PROXY".
    const std::string& source() const noexcept { return info().source; }
    /// The server's message, or a local description of the failure.
    const std::string& message() const noexcept { return info().message; }
    /// Request id from the response headers; empty when the server sent none.
    const std::string& request_id() const noexcept { return info().request_id; }
    /// The library operation that failed, e.g. "create_sandbox".
    const std::string& operation() const noexcept { return info().operation; }
    /// The first bytes of the response body (sanitized), for debugging unexpected shapes.
    const std::string& body_excerpt() const noexcept { return info().body_excerpt; }
    /// Daytona's errorReason, for a sandbox or snapshot that reached a failure state.
    const std::string& reason() const noexcept { return info().reason; }
    /// For errc::build_failed: the last lines of the build log, oldest first.
    const std::vector<std::string>& build_log_tail() const noexcept { return info().log_tail; }
    /// All diagnostics; an empty error_info for an error made from a code alone.
    const error_info& info() const noexcept { return info_ ? *info_ : empty_info(); }

    /// The same error with `operation` set, unless an inner layer already named one.
    DAYTONA_DECL error with_operation(std::string_view op) const;

    /// The same error with every occurrence of `secret` in server-provided text replaced, so a
    /// server that echoes a request header cannot leak it into logs.
    DAYTONA_DECL error redacted(std::string_view secret) const;

    /// One line: "operation: code message: HTTP status: server message (code=…, source=…, …)".
    DAYTONA_DECL std::string to_string() const;

    /// The retry_exhausted code's underlying failure (empty otherwise).
    const std::error_code& cause() const noexcept { return info().cause; }
    /// Rate limits the server reported with the response.
    const std::vector<rate_limit>& rate_limits() const noexcept { return info().rate_limits; }
    /// How long the server asked the client to wait (`Retry-After`), when it did.
    std::optional<std::chrono::seconds> retry_after() const noexcept { return info().retry_after; }

    /// True when the code, or the failure that exhausted the retries, falls into `c`.
    friend bool operator==(const error& e, condition c) noexcept {
        return e.code_ == c || (e.info_ && e.info_->cause && e.info_->cause == c);
    }
    /// True when the code is exactly `c`.
    friend bool operator==(const error& e, errc c) noexcept {
        return e.code_ == make_error_code(c);
    }
    /// True when the code is exactly `c`.
    friend bool operator==(const error& e, const std::error_code& c) noexcept {
        return e.code_ == c;
    }
    /// Writes to_string().
    friend std::ostream& operator<<(std::ostream& os, const error& e) {
        return os << e.to_string();
    }

private:
    static const error_info& empty_info() noexcept {
        static const error_info instance;
        return instance;
    }

    std::error_code code_;
    std::shared_ptr<const error_info> info_;
};

/**
 * \brief The exception thrown by `result<T>::value()` on a failed result.
 * \details Derives from std::system_error, so `code()` works as usual; `error()` gives the full
 * diagnostics (the Boost.MySQL error_with_diagnostics idea).
 */
class api_error : public std::system_error {
public:
    /// Wraps `e`; what() is `e.to_string()`.
    DAYTONA_DECL explicit api_error(daytona::error e);

    /// The error with its full diagnostics.
    const daytona::error& error() const noexcept { return err_; }
    /// error().to_string(): one line with the operation, the code and the server's message.
    const char* what() const noexcept override { return what_.c_str(); }

private:
    daytona::error err_;
    std::string what_{};
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/error.ipp"
#endif

#endif  // DAYTONA_ERROR_HPP
