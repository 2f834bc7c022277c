// SPDX-License-Identifier: Apache-2.0
#include <daytona/http/serializer.hpp>

#include <gtest/gtest.h>

namespace dt = daytona;
using namespace dt::http;

TEST(Serializer, RequestHeadExactBytes) {
    request req;
    req.method = verb::post;
    req.origin = {"https", "app.daytona.io", 443};
    req.target = "/api/sandbox";
    req.headers.add("Accept", "application/json");
    req.body = "{}";
    std::string out;
    serialize_request_head(req, out);
    EXPECT_EQ(out,
              "POST /api/sandbox HTTP/1.1\r\nHost: app.daytona.io\r\nAccept: application/json\r\n"
              "Content-Length: 2\r\n\r\n");
}

TEST(Serializer, FramingRules) {
    request get;
    get.origin = {"http", "h", 80};
    std::string out;
    serialize_request_head(get, out);
    EXPECT_EQ(out, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");  // no body, no framing field

    request post;
    post.method = verb::post;
    post.origin = {"http", "h", 8080};
    out.clear();
    serialize_request_head(post, out);
    EXPECT_NE(out.find("Content-Length: 0\r\n"), std::string::npos);  // empty POST says so

    struct unknown_size : body_source {
        std::optional<std::uint64_t> size() const override { return std::nullopt; }
        dt::result<std::size_t> read(char*, std::size_t) override { return std::size_t{0}; }
    };
    post.stream = std::make_shared<unknown_size>();
    out.clear();
    serialize_request_head(post, out);
    EXPECT_NE(out.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
    EXPECT_EQ(out.find("Content-Length"), std::string::npos);
}

TEST(Serializer, Chunks) {
    std::string out;
    append_chunk(out, "hello");
    append_chunk(out, "");  // an empty chunk would end the body: nothing is written
    append_chunk(out, std::string(300, 'x'));
    EXPECT_EQ(out.substr(0, 10), "5\r\nhello\r\n");
    EXPECT_EQ(out.substr(10, 5), "12c\r\n");
    EXPECT_EQ(last_chunk, "0\r\n\r\n");
}

TEST(Serializer, ResponseHead) {
    std::string out;
    serialize_response_head(404, fields{{"Content-Type", "application/json"}}, {12}, out);
    EXPECT_EQ(
        out,
        "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n");
    out.clear();
    serialize_response_head(204, {}, {0}, out);
    EXPECT_EQ(out, "HTTP/1.1 204 No Content\r\n\r\n");
}

TEST(Serializer, HeaderValidation) {
    EXPECT_TRUE(is_valid_field_value("Bearer abc.def"));
    EXPECT_FALSE(is_valid_field_value("abc\r\nX-Injected: 1"));
    EXPECT_FALSE(is_valid_field_value(std::string_view("a\0b", 3)));
    EXPECT_TRUE(is_valid_field_name("X-Daytona-Source"));
    EXPECT_FALSE(is_valid_field_name("Bad Name"));
    EXPECT_FALSE(is_valid_field_name(""));
}
