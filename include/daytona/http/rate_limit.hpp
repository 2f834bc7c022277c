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

/// The longest wait a response asks for: `Retry-After` or any `Retry-After-<throttler>`, in
/// seconds (HTTP dates are not used by Daytona and are ignored).
DAYTONA_DECL std::optional<std::chrono::seconds> retry_after(const fields& headers);

}  // namespace http
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/rate_limit.ipp"
#endif

#endif  // DAYTONA_HTTP_RATE_LIMIT_HPP
