// SPDX-License-Identifier: Apache-2.0
// Reading Daytona's rate-limit headers: X-RateLimit-{Limit,Remaining,Reset}[-<throttler>] and
// Retry-After[-<throttler>]. Sans-io.
#ifndef DAYTONA_HTTP_RATE_LIMIT_HPP
#define DAYTONA_HTTP_RATE_LIMIT_HPP

#include "daytona/config.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/error.hpp"
#include "daytona/http/fields.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace http {

/// The rate limits in `headers`: one entry for the plain headers and one per throttler, in the
/// order their first header appeared. Empty when the server sent none.
DAYTONA_DECL std::vector<rate_limit> parse_rate_limits(const fields& headers);

/// What a response's `Retry-After` and `Retry-After-<throttler>` fields ask for.
struct requested_wait {
    /// The longest wait any of them asks for (delay-seconds, or an HTTP date counted from the
    /// time given); nullopt when none could be read.
    std::optional<std::chrono::milliseconds> wait{};
    /// The value of a field that is neither delay-seconds nor an HTTP date; empty when all could
    /// be read.
    std::string unreadable{};
};

/// Reads the `Retry-After` fields of `headers` (Daytona sends `Retry-After-<throttler>`, often
/// without the plain one), an HTTP date counting from `now`.
DAYTONA_DECL requested_wait read_retry_after(const fields& headers,
                                             std::chrono::system_clock::time_point now);

/// The longest wait a response asks for: `Retry-After` or any `Retry-After-<throttler>`, in
/// seconds rounded up (an HTTP date counts from `now`).
DAYTONA_DECL std::optional<std::chrono::seconds> retry_after(
    const fields& headers,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace http
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/rate_limit.ipp"
#endif

#endif  // DAYTONA_HTTP_RATE_LIMIT_HPP
