// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of error.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_ERROR_IPP
#define DAYTONA_IMPL_ERROR_IPP

#include "daytona/error.hpp"

DAYTONA_BEGIN_NAMESPACE

namespace detail {

/// The condition an HTTP status falls into, or 0 for none (2xx, 3xx, unmapped 4xx).
inline int condition_of_http_status(int status) noexcept {
    switch (status) {
        case 400:
        case 422:
            return static_cast<int>(condition::bad_request);
        case 401:
            return static_cast<int>(condition::unauthorized);
        case 403:
            return static_cast<int>(condition::forbidden);
        case 404:
            return static_cast<int>(condition::not_found);
        case 408:
        case 504:
            return static_cast<int>(condition::timeout);
        case 409:
            return static_cast<int>(condition::conflict);
        case 410:
            return static_cast<int>(condition::gone);
        case 429:
            return static_cast<int>(condition::rate_limited);
        case 502:
        case 503:
            return static_cast<int>(condition::unavailable);
        default:
            return status >= 500 && status <= 599 ? static_cast<int>(condition::server_error) : 0;
    }
}

inline int condition_of_errc(int v) noexcept {
    switch (static_cast<errc>(v)) {
        case errc::timeout:
        case errc::wait_timeout:
            return static_cast<int>(condition::timeout);
        case errc::cancelled:
            return static_cast<int>(condition::cancelled);
        case errc::resolve_failed:
        case errc::connect_failed:
        case errc::connection_closed:
            return static_cast<int>(condition::unavailable);
        case errc::invalid_argument:
            return static_cast<int>(condition::bad_request);
        case errc::missing_credentials:
            return static_cast<int>(condition::unauthorized);
        case errc::not_found:
            return static_cast<int>(condition::not_found);
        default:
            return 0;
    }
}

std::string condition_category_impl::message(int v) const {
    switch (static_cast<condition>(v)) {
        case condition::not_found:
            return "not found";
        case condition::unauthorized:
            return "unauthorized";
        case condition::forbidden:
            return "forbidden";
        case condition::conflict:
            return "conflict";
        case condition::rate_limited:
            return "rate limited";
        case condition::unavailable:
            return "unavailable";
        case condition::timeout:
            return "timeout";
        case condition::cancelled:
            return "cancelled";
        case condition::bad_request:
            return "bad request";
        case condition::gone:
            return "gone";
        case condition::server_error:
            return "server error";
    }
    return "unknown condition";
}

bool condition_category_impl::equivalent(const std::error_code& code, int cond) const noexcept {
    if (code.category() == http_category()) return condition_of_http_status(code.value()) == cond;
    if (code.category() == daytona_category()) return condition_of_errc(code.value()) == cond;
    // asio reports an aborted operation as ECANCELED and a socket timeout as ETIMEDOUT in the
    // system category on POSIX; recognise both without including asio here.
    if (code.category() == std::system_category() || code.category() == std::generic_category()) {
        if (code.value() == ECANCELED) return cond == static_cast<int>(condition::cancelled);
        if (code.value() == ETIMEDOUT) return cond == static_cast<int>(condition::timeout);
        if (code.value() == ECONNREFUSED || code.value() == EHOSTUNREACH ||
            code.value() == ENETUNREACH)
            return cond == static_cast<int>(condition::unavailable);
    }
    return false;
}

std::string daytona_category_impl::message(int v) const {
    switch (static_cast<errc>(v)) {
        case errc::resolve_failed:
            return "host name resolution failed";
        case errc::connect_failed:
            return "connection failed";
        case errc::tls_handshake_failed:
            return "TLS handshake failed";
        case errc::timeout:
            return "operation timed out";
        case errc::cancelled:
            return "operation cancelled";
        case errc::protocol_error:
            return "HTTP protocol error";
        case errc::header_too_large:
            return "message header too large";
        case errc::body_too_large:
            return "body too large";
        case errc::connection_closed:
            return "connection closed before the response was complete";
        case errc::json_parse_error:
            return "malformed JSON";
        case errc::json_schema_mismatch:
            return "unexpected JSON shape";
        case errc::retry_exhausted:
            return "retries exhausted";
        case errc::wait_timeout:
            return "timed out waiting for state";
        case errc::sandbox_failed:
            return "sandbox reached a failure state";
        case errc::invalid_argument:
            return "invalid argument";
        case errc::missing_credentials:
            return "no Daytona credentials configured";
        case errc::claude_cli_unavailable:
            return "Claude Code CLI unavailable";
        case errc::io_error:
            return "local I/O error";
        case errc::not_found:
            return "not found";
        case errc::build_failed:
            return "image build failed";
    }
    return "unknown daytona error";
}

std::error_condition daytona_category_impl::default_error_condition(int v) const noexcept {
    if (int c = condition_of_errc(v)) return {c, condition_category()};
    return {v, *this};
}

std::string http_category_impl::message(int v) const {
    std::string s = "HTTP " + std::to_string(v);
    if (auto r = http_reason_phrase(v); !r.empty()) {
        s += ' ';
        s += r;
    }
    return s;
}

std::error_condition http_category_impl::default_error_condition(int v) const noexcept {
    if (int c = condition_of_http_status(v)) return {c, condition_category()};
    return {v, *this};
}

inline void replace_all(std::string& s, std::string_view what, std::string_view with) {
    if (what.empty()) return;
    for (std::size_t pos = s.find(what); pos != std::string::npos;
         pos = s.find(what, pos + with.size()))
        s.replace(pos, what.size(), with);
}

}  // namespace detail

std::string_view http_reason_phrase(int status) noexcept {
    switch (status) {
        case 100:
            return "Continue";
        case 101:
            return "Switching Protocols";
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 202:
            return "Accepted";
        case 204:
            return "No Content";
        case 206:
            return "Partial Content";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 304:
            return "Not Modified";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 409:
            return "Conflict";
        case 410:
            return "Gone";
        case 411:
            return "Length Required";
        case 413:
            return "Payload Too Large";
        case 415:
            return "Unsupported Media Type";
        case 422:
            return "Unprocessable Entity";
        case 426:
            return "Upgrade Required";
        case 429:
            return "Too Many Requests";
        case 431:
            return "Request Header Fields Too Large";
        case 500:
            return "Internal Server Error";
        case 501:
            return "Not Implemented";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        case 504:
            return "Gateway Timeout";
        default:
            return "";
    }
}

error::error(std::error_code code, std::string message)
    : code_(code), info_(std::make_shared<error_info>(error_info{.message = std::move(message)})) {}

error::error(std::error_code code, error_info info)
    : code_(code), info_(std::make_shared<error_info>(std::move(info))) {}

error error::with_operation(std::string_view op) const {
    if (!info().operation.empty()) return *this;
    error_info copy = info();
    copy.operation = std::string(op);
    return error(code_, std::move(copy));
}

error error::redacted(std::string_view secret) const {
    if (secret.empty() || !info_) return *this;
    const auto& i = info();
    if (i.message.find(secret) == std::string::npos &&
        i.body_excerpt.find(secret) == std::string::npos &&
        i.service_code.find(secret) == std::string::npos &&
        i.source.find(secret) == std::string::npos &&
        i.request_id.find(secret) == std::string::npos)
        return *this;
    error_info copy = i;
    for (std::string* s :
         {&copy.message, &copy.body_excerpt, &copy.service_code, &copy.source, &copy.request_id})
        detail::replace_all(*s, secret, "[REDACTED]");
    return error(code_, std::move(copy));
}

std::string error::to_string() const {
    const auto& i = info();
    std::string s;
    if (!i.operation.empty()) {
        s += i.operation;
        s += ": ";
    }
    s += code_.message();
    // For HTTP codes the message already is "HTTP 404 Not Found".
    if (i.http_status != 0 && code_.category() != http_category()) {
        s += " (HTTP ";
        s += std::to_string(i.http_status);
        s += ')';
    }
    if (!i.message.empty()) {
        s += ": ";
        s += i.message;
    }
    bool open = false;
    auto field = [&](const char* name, const std::string& v) {
        if (v.empty()) return;
        s += open ? ", " : " [";
        open = true;
        s += name;
        s += '=';
        s += v;
    };
    field("code", i.service_code);
    field("source", i.source);
    field("request_id", i.request_id);
    if (i.retry_after) field("retry_after", std::to_string(i.retry_after->count()) + "s");
    if (i.cause) field("last_failure", i.cause.message());
    if (open) s += ']';
    return s;
}

api_error::api_error(daytona::error e)
    : std::system_error(e.code(), e.to_string()), err_(std::move(e)), what_(err_.to_string()) {}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_ERROR_IPP
