// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of detail/backoff.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_DETAIL_IMPL_BACKOFF_IPP
#define DAYTONA_DETAIL_IMPL_BACKOFF_IPP

#include "daytona/detail/backoff.hpp"
#include "daytona/detail/string.hpp"

#include <algorithm>
#include <cstdint>
#include <random>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

std::chrono::milliseconds retry_backoff(int retry, std::chrono::milliseconds initial,
                                        std::chrono::milliseconds cap, double jitter01) {
    double ms = static_cast<double>(initial.count());
    for (int i = 1; i < retry && ms < static_cast<double>(cap.count()); ++i)
        ms *= 2;
    ms = std::min(ms, static_cast<double>(cap.count()));
    ms *= 0.5 + 0.5 * std::clamp(jitter01, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

double jitter() {
    thread_local std::minstd_rand gen{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view v) {
    auto s = parse_uint<std::uint64_t>(trim(v));
    if (!s || *s > 24 * 3600) return std::nullopt;
    return std::chrono::milliseconds(*s * 1000);
}

std::chrono::milliseconds next_poll_interval(std::chrono::milliseconds current, double multiplier,
                                             std::chrono::milliseconds cap) {
    auto next = static_cast<std::int64_t>(static_cast<double>(current.count()) * multiplier);
    return std::min(std::chrono::milliseconds(std::max<std::int64_t>(next, 1)), cap);
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_DETAIL_IMPL_BACKOFF_IPP
