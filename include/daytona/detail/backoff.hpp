// SPDX-License-Identifier: Apache-2.0
// Backoff arithmetic for retries and polls, kept free of clocks and I/O so it can be unit tested.
#ifndef DAYTONA_DETAIL_BACKOFF_HPP
#define DAYTONA_DETAIL_BACKOFF_HPP

#include "daytona/config.hpp"

#include <chrono>
#include <optional>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

/// Delay before retry number `retry` (1-based): initial × 2^(retry-1), capped, then scaled by a
/// jitter factor in [0.5, 1.0] so that clients that failed together do not retry together.
DAYTONA_DECL std::chrono::milliseconds retry_backoff(int retry, std::chrono::milliseconds initial,
                                                     std::chrono::milliseconds cap,
                                                     double jitter01);

/// A uniformly distributed number in [0, 1) from a per-thread generator.
DAYTONA_DECL double jitter();

/// Parses a Retry-After value given in seconds. HTTP dates are not supported (Daytona sends
/// seconds); they yield nullopt and the computed backoff applies.
DAYTONA_DECL std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view v);

/// The next poll interval: `current` × multiplier, capped.
DAYTONA_DECL std::chrono::milliseconds next_poll_interval(std::chrono::milliseconds current,
                                                          double multiplier,
                                                          std::chrono::milliseconds cap);

}  // namespace detail
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/detail/impl/backoff.ipp"
#endif

#endif  // DAYTONA_DETAIL_BACKOFF_HPP
