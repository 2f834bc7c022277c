// SPDX-License-Identifier: Apache-2.0
// An HTTP/1.1 request: method, origin, target, fields and a body (in memory or streamed).
#ifndef DAYTONA_HTTP_REQUEST_HPP
#define DAYTONA_HTTP_REQUEST_HPP

#include "daytona/config.hpp"
#include "daytona/http/body.hpp"
#include "daytona/http/fields.hpp"
#include "daytona/http/url.hpp"

#include <memory>
#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace http {

/// HTTP request methods (`delete_` because `delete` is a keyword).
enum class verb { get, head, post, put, patch, delete_, options };

/// The method as written on the wire ("GET").
constexpr std::string_view to_string(verb v) noexcept {
    switch (v) {
        case verb::get:
            return "GET";
        case verb::head:
            return "HEAD";
        case verb::post:
            return "POST";
        case verb::put:
            return "PUT";
        case verb::patch:
            return "PATCH";
        case verb::delete_:
            return "DELETE";
        case verb::options:
            return "OPTIONS";
    }
    return "GET";
}

/// Methods that RFC 9110 defines as idempotent: repeating them cannot do more harm than once.
constexpr bool is_idempotent(verb v) noexcept {
    return v == verb::get || v == verb::head || v == verb::put || v == verb::delete_ ||
           v == verb::options;
}

/// A request to send. `Host`, `Content-Length` and `Transfer-Encoding` are added on the wire.
struct request {
    /// The method; GET unless set.
    verb method = verb::get;
    /// Where the request goes; selects the connection pool.
    http::origin origin{};
    /// Path and query, percent-encoded.
    std::string target = "/";
    /// Header fields; transports add theirs (credentials, identification).
    http::fields headers{};
    /// In-memory body (ignored when `stream` is set).
    std::string body{};
    /// Streamed body; sent chunked unless its size is known.
    std::shared_ptr<body_source> stream{};

    /// True when there is a body to send (a stream, or non-empty `body`).
    bool has_body() const noexcept { return stream != nullptr || !body.empty(); }
};

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_REQUEST_HPP
