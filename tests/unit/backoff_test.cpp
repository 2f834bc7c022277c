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

TEST(Backoff, RetryAfterSecondsOnly) {
    EXPECT_EQ(d::parse_retry_after("3"), 3000ms);
    EXPECT_EQ(d::parse_retry_after(" 0 "), 0ms);
    EXPECT_FALSE(d::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"));
    EXPECT_FALSE(d::parse_retry_after("-1"));
    EXPECT_FALSE(d::parse_retry_after("999999999"));
}

TEST(Backoff, PollingCadenceOfTheSdks) {
    auto i = 100ms;
    for (int n = 0; n < 100; ++n)
        i = d::next_poll_interval(i, 1.1, 1000ms);
    EXPECT_EQ(i, 1000ms);
    EXPECT_EQ(d::next_poll_interval(100ms, 1.1, 1000ms), 110ms);
}
