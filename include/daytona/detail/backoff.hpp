// SPDX-License-Identifier: Apache-2.0
// Backoff arithmetic for retries and polls, kept free of clocks and I/O so it can be unit tested
// (what needs the time of day takes it as an argument).
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

/// Parses an HTTP date: the IMF-fixdate form ("Sun, 06 Nov 1994 08:49:37 GMT") and the two
/// obsolete forms recipients must still accept ("Sunday, 06-Nov-94 08:49:37 GMT", a two-digit
/// year read as the latest year with those digits no more than 50 years after `now`; and
/// asctime's "Sun Nov  6 08:49:37 1994"). nullopt for anything else.
DAYTONA_DECL std::optional<std::chrono::system_clock::time_point> parse_http_date(
    std::string_view v, std::chrono::system_clock::time_point now);

/// Parses a Retry-After value: delay-seconds ("120"; beyond 10^9 s it saturates there, so a
/// huge value still reads as a long wait), or an HTTP date, which asks for the time from `now`
/// until then (none when it is past). nullopt when the value is neither.
DAYTONA_DECL std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view v, std::chrono::system_clock::time_point now);

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
