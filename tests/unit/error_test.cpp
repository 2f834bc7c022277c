// SPDX-License-Identifier: Apache-2.0
#include <daytona/error.hpp>
#include <daytona/result.hpp>

#include <gtest/gtest.h>

namespace dt = daytona;

TEST(Error, HttpStatusesMapToConditions) {
    EXPECT_EQ(dt::error(dt::make_http_error_code(404)), dt::condition::not_found);
    EXPECT_EQ(dt::error(dt::make_http_error_code(401)), dt::condition::unauthorized);
    EXPECT_EQ(dt::error(dt::make_http_error_code(403)), dt::condition::forbidden);
    EXPECT_EQ(dt::error(dt::make_http_error_code(409)), dt::condition::conflict);
    EXPECT_EQ(dt::error(dt::make_http_error_code(429)), dt::condition::rate_limited);
    EXPECT_EQ(dt::error(dt::make_http_error_code(408)), dt::condition::timeout);
    EXPECT_EQ(dt::error(dt::make_http_error_code(504)), dt::condition::timeout);
    EXPECT_EQ(dt::error(dt::make_http_error_code(503)), dt::condition::unavailable);
    EXPECT_EQ(dt::error(dt::make_http_error_code(500)), dt::condition::server_error);
    EXPECT_EQ(dt::error(dt::make_http_error_code(422)), dt::condition::bad_request);
    EXPECT_FALSE(dt::error(dt::make_http_error_code(404)) == dt::condition::conflict);
    EXPECT_EQ(dt::make_http_error_code(404).message(), "HTTP 404 Not Found");
}

TEST(Error, LocalCodesMapToConditions) {
    EXPECT_EQ(dt::error(dt::errc::timeout), dt::condition::timeout);
    EXPECT_EQ(dt::error(dt::errc::wait_timeout), dt::condition::timeout);
    EXPECT_EQ(dt::error(dt::errc::cancelled), dt::condition::cancelled);
    EXPECT_EQ(dt::error(dt::errc::connect_failed), dt::condition::unavailable);
    EXPECT_EQ(dt::error(dt::errc::missing_credentials), dt::condition::unauthorized);
    EXPECT_FALSE(dt::error(dt::errc::json_parse_error) == dt::condition::timeout);
    // asio's operation_aborted is ECANCELED in the system category on POSIX.
    EXPECT_EQ(std::error_code(ECANCELED, std::system_category()), dt::condition::cancelled);
    EXPECT_EQ(std::error_code(ETIMEDOUT, std::system_category()), dt::condition::timeout);
}

TEST(Error, ToStringCarriesEverythingUseful) {
    dt::error e(dt::make_http_error_code(404), dt::error_info{.http_status = 404,
                                                              .service_code = "FILE_NOT_FOUND",
                                                              .source = "DAYTONA_DAEMON",
                                                              .message = "file not found: /x",
                                                              .request_id = "req-1",
                                                              .operation = "download"});
    EXPECT_EQ(e.to_string(),
              "download: HTTP 404 Not Found: file not found: /x [code=FILE_NOT_FOUND, "
              "source=DAYTONA_DAEMON, request_id=req-1]");
    EXPECT_EQ(e.with_operation("other").operation(), "download");  // inner name wins
    EXPECT_EQ(dt::error(dt::errc::timeout).with_operation("exec").to_string(),
              "exec: operation timed out");
}

TEST(Error, RedactsSecretEverywhere) {
    dt::error e(dt::make_http_error_code(401),
                dt::error_info{.message = "bad token sk-123 given", .body_excerpt = "{sk-123}"});
    auto r = e.redacted("sk-123");
    EXPECT_EQ(r.to_string().find("sk-123"), std::string::npos);
    EXPECT_NE(r.message().find("[REDACTED]"), std::string::npos);
    EXPECT_EQ(r.body_excerpt(), "{[REDACTED]}");
}

TEST(Result, ValueAndError) {
    dt::result<int> ok = 7;
    ASSERT_TRUE(ok);
    EXPECT_EQ(*ok, 7);
    EXPECT_EQ(ok.value_or(1), 7);
    dt::result<int> bad = dt::error(dt::errc::timeout);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error(), dt::errc::timeout);
    EXPECT_EQ(bad.value_or(1), 1);
    EXPECT_THROW((void)bad.value(), dt::api_error);
    try {
        (void)bad.value();
    } catch (const dt::api_error& ex) {
        EXPECT_EQ(ex.code(), dt::errc::timeout);
        EXPECT_EQ(ex.error(), dt::condition::timeout);
        EXPECT_STREQ(ex.what(), "operation timed out");
    }
    dt::result<std::string> s = "converted";
    EXPECT_EQ(s->size(), 9u);
    dt::result<void> v;
    EXPECT_TRUE(v);
    dt::result<void> vf = dt::error(dt::errc::invalid_argument);
    EXPECT_THROW(vf.value(), dt::api_error);
}

// Implicit conversions we forbid: an error code or an errc is never silently a value.
static_assert(!std::is_convertible_v<std::error_code, dt::result<int>>);
static_assert(!std::is_convertible_v<dt::errc, dt::result<int>>);
static_assert(std::is_convertible_v<dt::error, dt::result<int>>);
static_assert(std::is_convertible_v<int, dt::result<long>>);
