// SPDX-License-Identifier: Apache-2.0
// Reading Daytona's rate-limit headers: X-RateLimit-{Limit,Remaining,Reset}[-<throttler>] and
// Retry-After[-<throttler>]. Sans-io.
#ifndef DAYTONA_HTTP_RATE_LIMIT_HPP
#define DAYTONA_HTTP_RATE_LIMIT_HPP

#include "daytona/config.hpp"
#include "daytona/detail/backoff.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/error.hpp"
#include "daytona/http/fields.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace http {

/// The rate limits in `headers`: one entry for the plain headers and one per throttler, in the
/// order their first header appeared. Empty when the server sent none.
inline std::vector<rate_limit> parse_rate_limits(const fields& headers) {
    std::vector<rate_limit> out;
    constexpr std::string_view prefix = "x-ratelimit-";
    for (const auto f : headers) {
        if (f.name.size() < prefix.size() ||
            !detail::iequals(f.name.substr(0, prefix.size()), prefix))
            continue;
        std::string_view rest = f.name.substr(prefix.size());
        std::optional<std::int64_t> rate_limit::*member = nullptr;
        for (auto [word, m] : {std::pair{std::string_view("limit"), &rate_limit::limit},
                               std::pair{std::string_view("remaining"), &rate_limit::remaining},
                               std::pair{std::string_view("reset"), &rate_limit::reset_seconds}}) {
            if (rest.size() >= word.size() && detail::iequals(rest.substr(0, word.size()), word) &&
                (rest.size() == word.size() || rest[word.size()] == '-')) {
                member = m;
                rest.remove_prefix(std::min(rest.size(), word.size() + 1));
                break;
            }
        }
        if (member == nullptr) continue;
        std::string throttler;
        for (char c : rest)
            throttler += detail::ascii_lower(c);
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const rate_limit& r) { return r.throttler == throttler; });
        if (it == out.end()) {
            out.push_back(rate_limit{.throttler = throttler});
            it = std::prev(out.end());
        }
        if (auto v = detail::parse_uint<std::uint64_t>(detail::trim(f.value));
            v && *v <= static_cast<std::uint64_t>(INT64_MAX))
            (*it).*member = static_cast<std::int64_t>(*v);
    }
    return out;
}

/// The longest wait a response asks for: `Retry-After` or any `Retry-After-<throttler>`, in
/// seconds (HTTP dates are not used by Daytona and are ignored).
inline std::optional<std::chrono::seconds> retry_after(const fields& headers) {
    std::optional<std::chrono::seconds> longest;
    constexpr std::string_view name = "retry-after";
    for (const auto f : headers) {
        if (f.name.size() < name.size() || !detail::iequals(f.name.substr(0, name.size()), name))
            continue;
        if (f.name.size() > name.size() && f.name[name.size()] != '-') continue;
        if (auto d = detail::parse_retry_after(f.value)) {
            auto s = std::chrono::duration_cast<std::chrono::seconds>(*d);
            if (!longest || s > *longest) longest = s;
        }
    }
    return longest;
}

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_RATE_LIMIT_HPP
