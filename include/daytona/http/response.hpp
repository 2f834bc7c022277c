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

struct response {
    int status = 0;
    std::string reason{};
    /// 10 for HTTP/1.0, 11 for HTTP/1.1.
    unsigned version = 11;
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

    bool ok() const noexcept { return status >= 200 && status <= 299; }
};

/// A request as parsed by a server.
struct incoming_request {
    std::string method{};
    std::string target{};
    unsigned version = 11;
    http::fields headers{};
    std::string body{};
    http::fields trailers{};
    bool keep_alive = false;
    /// The request asked for a protocol upgrade (WebSocket).
    bool upgrade = false;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_RESPONSE_HPP
