// SPDX-License-Identifier: Apache-2.0
#include <daytona/detail/backoff.hpp>

#include <gtest/gtest.h>

using namespace std::chrono_literals;
namespace d = daytona::detail;

TEST(Backoff, DoublesCapsAndJitters) {
    EXPECT_EQ(d::retry_backoff(1, 250ms, 8s, 1.0), 250ms);
    EXPECT_EQ(d::retry_backoff(2, 250ms, 8s, 1.0), 500ms);
    EXPECT_EQ(d::retry_backoff(3, 250ms, 8s, 1.0), 1000ms);
    EXPECT_EQ(d::retry_backoff(30, 250ms, 8s, 1.0), 8s);
    EXPECT_EQ(d::retry_backoff(1, 250ms, 8s, 0.0), 125ms);  // jitter keeps at least half
    for (int i = 0; i < 100; ++i) {
        double j = d::jitter();
        EXPECT_GE(j, 0.0);
        EXPECT_LT(j, 1.0);
    }
}

TEST(Backoff, RetryAfterSecondsAndHttpDates) {
    // 1994-11-06T08:49:30Z, seven seconds before the examples' date.
    const std::chrono::system_clock::time_point now{784111770s};
    EXPECT_EQ(d::parse_retry_after("3", now), 3000ms);
    EXPECT_EQ(d::parse_retry_after(" 0 ", now), 0ms);
    // More than a day is still a wait (reported by the retrying transport, not retried early).
    EXPECT_EQ(d::parse_retry_after("999999", now), 999999s);
    EXPECT_EQ(d::parse_retry_after("99999999999999999999999", now), 1'000'000'000s);
    // The three date forms a recipient must accept, all naming 08:49:37 that day.
    EXPECT_EQ(d::parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), 7s);
    EXPECT_EQ(d::parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now), 7s);
    EXPECT_EQ(d::parse_retry_after("Sun Nov  6 08:49:37 1994", now), 7s);
    EXPECT_EQ(d::parse_retry_after("Sun Nov 16 08:49:37 1994", now), 10 * 24h + 7s);
    EXPECT_EQ(d::parse_retry_after("Sun, 06 Nov 1994 08:49:30 GMT", now + 250ms), 0ms);  // past
    EXPECT_EQ(d::parse_retry_after("Sun, 06 Nov 1994 08:49:31 GMT", now + 250ms), 750ms);
    EXPECT_EQ(d::parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT", now),
              std::chrono::system_clock::time_point{});
    EXPECT_EQ(d::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT", now),
              std::chrono::system_clock::time_point{1445412480s});
    for (auto bad : {"-1", "1.5", "", "soon", "Sun, 31 Nov 1994 08:49:37 GMT",
                     "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 UTC",
                     "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT x"})
        EXPECT_FALSE(d::parse_retry_after(bad, now)) << bad;
}

TEST(Backoff, TwoDigitYearsAreNeverMoreThanFiftyYearsAhead) {
    const std::chrono::system_clock::time_point in_2026{1796256000s};  // 2026-12-03T00:00:00Z
    EXPECT_EQ(d::parse_http_date("Thursday, 03-Dec-26 00:00:01 GMT", in_2026), in_2026 + 1s);
    // 2077 would be 51 years ahead: it is 1977.
    EXPECT_EQ(d::parse_http_date("Saturday, 01-Jan-77 00:00:00 GMT", in_2026),
              std::chrono::system_clock::time_point{220924800s});
}

TEST(Backoff, PollingCadenceOfTheSdks) {
    auto i = 100ms;
    for (int n = 0; n < 100; ++n)
        i = d::next_poll_interval(i, 1.1, 1000ms);
    EXPECT_EQ(i, 1000ms);
    EXPECT_EQ(d::next_poll_interval(100ms, 1.1, 1000ms), 110ms);
}
