// SPDX-License-Identifier: Apache-2.0
// Backoff arithmetic for retries and polls, kept free of clocks and I/O so it can be unit tested.
#ifndef DAYTONA_DETAIL_BACKOFF_HPP
#define DAYTONA_DETAIL_BACKOFF_HPP

#include "daytona/config.hpp"
#include "daytona/detail/string.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

/// Delay before retry number `retry` (1-based): initial × 2^(retry-1), capped, then scaled by a
/// jitter factor in [0.5, 1.0] so that clients that failed together do not retry together.
inline std::chrono::milliseconds retry_backoff(int retry, std::chrono::milliseconds initial,
                                               std::chrono::milliseconds cap, double jitter01) {
    double ms = static_cast<double>(initial.count());
    for (int i = 1; i < retry && ms < static_cast<double>(cap.count()); ++i)
        ms *= 2;
    ms = std::min(ms, static_cast<double>(cap.count()));
    ms *= 0.5 + 0.5 * std::clamp(jitter01, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

/// A uniformly distributed number in [0, 1) from a per-thread generator.
inline double jitter() {
    thread_local std::minstd_rand gen{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}

/// Parses a Retry-After value given in seconds. HTTP dates are not supported (Daytona sends
/// seconds); they yield nullopt and the computed backoff applies.
inline std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view v) {
    auto s = parse_uint<std::uint64_t>(trim(v));
    if (!s || *s > 24 * 3600) return std::nullopt;
    return std::chrono::milliseconds(*s * 1000);
}

/// The next poll interval: `current` × multiplier, capped.
inline std::chrono::milliseconds next_poll_interval(std::chrono::milliseconds current,
                                                    double multiplier,
                                                    std::chrono::milliseconds cap) {
    auto next = static_cast<std::int64_t>(static_cast<double>(current.count()) * multiplier);
    return std::min(std::chrono::milliseconds(std::max<std::int64_t>(next, 1)), cap);
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_DETAIL_BACKOFF_HPP
