// SPDX-License-Identifier: Apache-2.0
// A received HTTP/1.1 response, and a received request (the emulator's side).
#ifndef DAYTONA_HTTP_RESPONSE_HPP
#define DAYTONA_HTTP_RESPONSE_HPP

#include "daytona/config.hpp"
#include "daytona/http/fields.hpp"
#include "daytona/http/request.hpp"

#include <string>

DAYTONA_BEGIN_NAMESPACE
namespace http {

/// An HTTP response as received: status line, header fields, body and trailers.
struct response {
    /// The status code, e.g. 200 or 404.
    int status = 0;
    /// The reason phrase the server sent ("Not Found"); may be empty.
    std::string reason{};
    /// 10 for HTTP/1.0, 11 for HTTP/1.1.
    unsigned version = 11;
    /// The header fields.
    http::fields headers{};
    /// The body, unless a body_sink consumed it.
    std::string body{};
    /// Trailer fields of a chunked body.
    http::fields trailers{};
    /// Whether the connection may carry another message.
    bool keep_alive = false;
    /// How many attempts the retrying transport made to get this response.
    int attempts = 1;
    /// This is a retryable failure (429, 503, ...) that was still failing when the retry policy
    /// ran out of attempts or time.
    bool retries_exhausted = false;
    /// Why this retryable failure was answered without waiting for the server's `Retry-After`
    /// ("the server asked to wait 30 s before retrying, more than the 2 s left of max_elapsed");
    /// empty when the wait was honoured or none was asked for.
    std::string retry_refused{};

    /// True for a 2xx status.
    bool ok() const noexcept { return status >= 200 && status <= 299; }
};

/// A request as parsed by a server.
struct incoming_request {
    /// The method, e.g. "GET".
    std::string method{};
    /// The request target as sent: path and query.
    std::string target{};
    /// 10 for HTTP/1.0, 11 for HTTP/1.1.
    unsigned version = 11;
    /// The header fields.
    http::fields headers{};
    /// The body, unless a body_sink consumed it.
    std::string body{};
    /// Trailer fields of a chunked body.
    http::fields trailers{};
    /// Whether the connection may carry another message.
    bool keep_alive = false;
    /// The request asked for a protocol upgrade (WebSocket).
    bool upgrade = false;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_RESPONSE_HPP
