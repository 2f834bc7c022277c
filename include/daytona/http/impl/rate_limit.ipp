// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/rate_limit.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_RATE_LIMIT_IPP
#define DAYTONA_HTTP_IMPL_RATE_LIMIT_IPP

#include "daytona/http/rate_limit.hpp"

#include "daytona/detail/backoff.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <utility>

DAYTONA_BEGIN_NAMESPACE
namespace http {

std::vector<rate_limit> parse_rate_limits(const fields& headers) {
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

requested_wait read_retry_after(const fields& headers, std::chrono::system_clock::time_point now) {
    requested_wait out;
    constexpr std::string_view name = "retry-after";
    for (const auto f : headers) {
        if (f.name.size() < name.size() || !detail::iequals(f.name.substr(0, name.size()), name))
            continue;
        if (f.name.size() > name.size() && f.name[name.size()] != '-') continue;
        if (auto d = detail::parse_retry_after(f.value, now)) {
            if (!out.wait || *d > *out.wait) out.wait = *d;
        } else if (out.unreadable.empty()) {
            out.unreadable = std::string(f.value);
        }
    }
    return out;
}

std::optional<std::chrono::seconds> retry_after(const fields& headers,
                                                std::chrono::system_clock::time_point now) {
    const auto w = read_retry_after(headers, now).wait;
    if (!w) return std::nullopt;
    return std::chrono::ceil<std::chrono::seconds>(*w);
}

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_IMPL_RATE_LIMIT_IPP
