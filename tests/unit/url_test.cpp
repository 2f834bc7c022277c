// SPDX-License-Identifier: Apache-2.0
#include <daytona/detail/percent.hpp>
#include <daytona/http/fields.hpp>
#include <daytona/http/url.hpp>

#include <gtest/gtest.h>

namespace dt = daytona;
using dt::http::url;

TEST(Url, ParsesWhatDaytonaUses) {
    auto u = url::parse("https://app.daytona.io/api");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->origin.scheme, "https");
    EXPECT_EQ(u->origin.host, "app.daytona.io");
    EXPECT_EQ(u->origin.port, 443);
    EXPECT_EQ(u->path, "/api");
    EXPECT_EQ(u->origin.host_header(), "app.daytona.io");
    EXPECT_EQ(u->origin.key(), "https://app.daytona.io");

    auto l = url::parse("http://127.0.0.1:8080/toolbox/?x=1#frag");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->origin.port, 8080);
    EXPECT_EQ(l->path, "/toolbox/");
    EXPECT_EQ(l->query, "x=1");
    EXPECT_EQ(l->origin.host_header(), "127.0.0.1:8080");

    auto v6 = url::parse("http://[::1]:9/");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->origin.host, "::1");
    EXPECT_EQ(v6->origin.host_header(), "[::1]:9");

    auto ws = url::parse("wss://proxy.example/toolbox");
    ASSERT_TRUE(ws);
    EXPECT_TRUE(ws->websocket);
    EXPECT_TRUE(ws->origin.secure());
    EXPECT_EQ(ws->to_string(), "wss://proxy.example/toolbox");

    EXPECT_EQ(url::parse("HTTP://Example.COM")->origin.host, "example.com");
    EXPECT_EQ(url::parse("http://h")->path, "/");
}

TEST(Url, RejectsBadInputWithReason) {
    for (const char* bad : {"", "app.daytona.io/api", "ftp://x/", "http://", "http://:80/",
                            "http://h:0/", "http://h:70000/", "http://h:8x/", "http://u:p@h/",
                            "http://[::1/", "http://h/a b", "http://h\x01/"}) {
        auto u = url::parse(bad);
        EXPECT_FALSE(u) << bad;
        if (!u) {
            EXPECT_EQ(u.error(), dt::errc::invalid_argument);
            EXPECT_NE(u.error().message().find("invalid URL"), std::string::npos);
        }
    }
    // Credentials never end up in the message.
    auto u = url::parse("http://user:hunter2@h/");
    ASSERT_FALSE(u);
}

TEST(Url, JoinNormalisesSlashes) {
    EXPECT_EQ(url::parse("http://h/api")->join("/sandbox").path, "/api/sandbox");
    EXPECT_EQ(url::parse("http://h/api/")->join("/sandbox").path, "/api/sandbox");
    EXPECT_EQ(url::parse("http://h")->join("/sandbox").path, "/sandbox");
    EXPECT_EQ(url::parse("http://h/toolbox")->join("id").path, "/toolbox/id");
}

TEST(Url, QueryBuilderEncodesLikeUrlSearchParams) {
    dt::http::query_builder q;
    q.add("path", "/tmp/a b").add("pattern", "*.txt").add("labels", R"({"a":"b"})");
    q.add("states", "started").add("states", "stopped").add("limit", 5).add("force", false);
    EXPECT_EQ(q.str(),
              "path=%2Ftmp%2Fa%20b&pattern=*.txt&labels=%7B%22a%22%3A%22b%22%7D&states=started&"
              "states=stopped&limit=5&force=false");
}

TEST(Percent, RoundTripsAndRejectsMalformed) {
    std::string all;
    for (int i = 0; i < 256; ++i)
        all += static_cast<char>(i);
    auto enc = dt::detail::percent_encode(all);
    EXPECT_EQ(dt::detail::percent_decode(enc), all);
    EXPECT_EQ(dt::detail::percent_encode("a/b c"), "a%2Fb%20c");
    EXPECT_FALSE(dt::detail::percent_decode("%"));
    EXPECT_FALSE(dt::detail::percent_decode("%4"));
    EXPECT_FALSE(dt::detail::percent_decode("%zz"));
    EXPECT_EQ(dt::detail::percent_decode("a+b", true), "a b");
}

TEST(Fields, CaseInsensitiveOrderedMultimap) {
    dt::http::fields f{{"Content-Type", "application/json"}, {"X-A", "1"}};
    f.add("x-a", "2");
    EXPECT_EQ(f.get("content-type"), "application/json");
    EXPECT_EQ(f.get("X-A"), "1");
    EXPECT_EQ(f.size(), 3u);
    f.set("X-a", "3");
    EXPECT_EQ(f.size(), 2u);
    EXPECT_EQ(f.get("x-a"), "3");
    EXPECT_FALSE(f.find("missing"));
    EXPECT_EQ(f.erase("CONTENT-TYPE"), 1u);
    std::vector<std::string> names;
    for (auto [n, v] : f)
        names.emplace_back(n);
    EXPECT_EQ(names, std::vector<std::string>{"X-a"});
}
