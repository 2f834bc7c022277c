// SPDX-License-Identifier: Apache-2.0
// The transport stack (pool, retries, credentials) against scripted servers that misbehave on
// purpose: resets before and after the header, stale pooled sockets, stalls, cancellation.
#include "scripted_server.hpp"
#include "test_support.hpp"

#include <daytona/api/call.hpp>

#include <gtest/gtest.h>

#include <ctime>

using namespace std::chrono_literals;
using namespace daytona_test;
namespace http = dt::http;

namespace {

http::request get_request(const scripted_server& srv, std::string path = "/x",
                          http::verb method = http::verb::get) {
    http::request r;
    r.method = method;
    r.origin = {"http", "127.0.0.1", srv.port()};
    r.target = std::move(path);
    return r;
}

struct stack {
    asio::io_context io;
    std::shared_ptr<http::pooled_transport> pool;
    std::shared_ptr<http::transport> top;
    explicit stack(http::pool_options po = {}, dt::retry_options ro = {.initial_backoff = 1ms}) {
        pool = std::make_shared<http::pooled_transport>(io.get_executor(), po);
        top = std::make_shared<http::retrying_transport>(pool, ro);
    }
    dt::result<http::response> send(http::request req, http::send_options o = {}) {
        return dt::run_sync(io, send_impl(top, std::move(req), std::move(o)));
    }
    static asio::awaitable<dt::result<http::response>> send_impl(std::shared_ptr<http::transport> t,
                                                                 http::request req,
                                                                 http::send_options o) {
        co_return co_await t->send(req, o);
    }
};

}  // namespace

TEST(Transport, KeepAliveReusesOneConnection) {
    scripted_server srv([](connection& c, int) {
        while (c.read_request())
            c.write(http_response(200, "ok"));
    });
    stack s;
    for (int i = 0; i < 5; ++i) {
        auto r = s.send(get_request(srv));
        ASSERT_TRUE(r) << r.error();
        EXPECT_EQ(r->body, "ok");
    }
    EXPECT_EQ(srv.accepted(), 1);
    EXPECT_EQ(s.pool->idle_connections({"http", "127.0.0.1", srv.port()}), 1u);
}

TEST(Transport, ConnectionCloseIsNotReused) {
    scripted_server srv([](connection& c, int) {
        if (c.read_request()) c.write(http_response(200, "ok", "Connection: close\r\n"));
    });
    stack s;
    ASSERT_TRUE(s.send(get_request(srv)));
    ASSERT_TRUE(s.send(get_request(srv)));
    EXPECT_EQ(srv.accepted(), 2);
}

TEST(Transport, ResetBeforeHeaderIsRetriedForIdempotentRequests) {
    scripted_server srv([](connection& c, int index) {
        if (!c.read_request()) return;
        if (index == 0) return c.reset();  // first connection dies before any byte
        c.write(http_response(200, "second"));
        while (c.read_request())
            c.write(http_response(200, "again"));
    });
    stack s;
    auto r = s.send(get_request(srv));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->body, "second");
    EXPECT_EQ(srv.accepted(), 2);
}

TEST(Transport, ResetBeforeHeaderFailsPostWithoutRetry) {
    scripted_server srv([](connection& c, int) {
        if (c.read_request()) c.reset();
    });
    stack s;
    auto r = s.send(get_request(srv, "/api/sandbox", http::verb::post));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::errc::connection_closed);
    EXPECT_EQ(r.error(), dt::condition::unavailable);
    EXPECT_EQ(srv.accepted(), 1);  // a POST is never sent twice
}

TEST(Transport, ResetAfterHeaderIsConnectionClosed) {
    scripted_server srv([](connection& c, int) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
        c.reset();
    });
    stack s({}, dt::retry_options::none());
    auto r = s.send(get_request(srv));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::errc::connection_closed);
}

TEST(Transport, TruncatedBodyThenFinIsConnectionClosed) {
    scripted_server srv([](connection& c, int) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
    });
    stack s({}, dt::retry_options::none());
    auto r = s.send(get_request(srv));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::errc::connection_closed);
    EXPECT_NE(r.error().message().find("middle of the body"), std::string::npos) << r.error();
}

TEST(Transport, StalePooledSocketIsDetectedBeforeReuse) {
    scripted_server srv([](connection& c, int) {
        if (c.read_request()) c.write(http_response(200, "ok"));
        // Keep-alive was promised, but the server closes the idle connection.
    });
    stack s({}, dt::retry_options::none());
    ASSERT_TRUE(s.send(get_request(srv)));
    std::this_thread::sleep_for(400ms);  // let the FIN arrive and the idle-peek threshold pass
    auto r = s.send(get_request(srv, "/x", http::verb::post));  // even a POST is safe here
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(srv.accepted(), 2);
}

TEST(Transport, StaleSocketRaceIsRetriedOnceForIdempotent) {
    // The server reads the second request and closes without answering: the pool cannot know
    // before writing, so an idempotent request is replayed once on a fresh connection.
    scripted_server srv([](connection& c, int index) {
        if (!c.read_request()) return;
        c.write(http_response(200, "first"));
        if (index == 0) {
            c.read_request();
            return;  // FIN without a response
        }
        while (c.read_request())
            c.write(http_response(200, "more"));
    });
    stack s({}, dt::retry_options::none());
    ASSERT_TRUE(s.send(get_request(srv)));
    auto r = s.send(get_request(srv));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->body, "first");
    EXPECT_EQ(srv.accepted(), 2);
}

TEST(Transport, TimeoutIsDistinctAndBounded) {
    scripted_server srv([](connection& c, int) {
        c.read_request();
        c.wait_for_close(5s);  // never answers
    });
    stack s({}, dt::retry_options::none());
    auto start = std::chrono::steady_clock::now();
    auto r = s.send(get_request(srv), {.request = {.timeout = 200ms}});
    auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::errc::timeout);
    EXPECT_EQ(r.error(), dt::condition::timeout);
    EXPECT_LT(took, 2s);
    EXPECT_GE(took, 150ms);
}

TEST(Transport, CancellationIsDistinct) {
    scripted_server srv([](connection& c, int) {
        c.read_request();
        c.wait_for_close(5s);
    });
    stack s({}, dt::retry_options::none());
    asio::cancellation_signal signal;
    std::optional<dt::result<http::response>> out;
    auto req = get_request(srv);
    asio::co_spawn(s.io, stack::send_impl(s.top, req, {}),
                   asio::bind_cancellation_slot(
                       signal.slot(), [&](std::exception_ptr, dt::result<http::response> r) {
                           out.emplace(std::move(r));
                       }));
    asio::steady_timer t(s.io, 100ms);
    t.async_wait([&](std::error_code) { signal.emit(asio::cancellation_type::terminal); });
    auto start = std::chrono::steady_clock::now();
    s.io.run();
    ASSERT_TRUE(out);
    ASSERT_FALSE(*out);
    EXPECT_EQ(out->error(), dt::errc::cancelled);
    EXPECT_EQ(out->error(), dt::condition::cancelled);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    // The cancelled connection is never returned to the pool.
    EXPECT_EQ(s.pool->idle_connections(req.origin), 0u);
}

TEST(Transport, ConnectRefusedIsRetriedThenReported) {
    std::uint16_t port;
    {
        scripted_server probe([](connection&, int) {});
        port = probe.port();
    }  // nothing listens there now
    stack s({}, {.max_attempts = 3, .initial_backoff = 1ms});
    http::request r;
    r.origin = {"http", "127.0.0.1", port};
    auto res = s.send(r);
    ASSERT_FALSE(res);
    EXPECT_EQ(res.error(), dt::errc::retry_exhausted);
    EXPECT_EQ(res.error().cause(), dt::errc::connect_failed);  // what kept failing
    EXPECT_EQ(res.error(), dt::condition::unavailable);        // conditions see through
    EXPECT_NE(res.error().message().find("after 3 attempts"), std::string::npos) << res.error();
}

TEST(Transport, ResolveFailureIsTyped) {
    stack s({}, dt::retry_options::none());
    http::request r;
    r.origin = {"http", "no-such-host.invalid", 80};
    auto res = s.send(r);
    ASSERT_FALSE(res);
    EXPECT_EQ(res.error(), dt::errc::resolve_failed);
}

TEST(Transport, RetriesUnavailableHonouringRetryAfterForGetOnly) {
    std::atomic<int> requests{0};
    scripted_server srv([&](connection& c, int) {
        while (c.read_request()) {
            int n = requests++;
            if (n % 2 == 0)
                c.write(http_response(503, R"({"message":"busy"})", "Retry-After: 0\r\n"));
            else
                c.write(http_response(200, "ok"));
        }
    });
    stack s;
    auto r = s.send(get_request(srv));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(requests.load(), 2);
    auto post = s.send(get_request(srv, "/x", http::verb::post));
    ASSERT_TRUE(post);
    EXPECT_EQ(post->status, 503);  // not retried: a POST may have done its work
    EXPECT_EQ(requests.load(), 3);
}

TEST(Transport, RateLimitIsRetriedForAnyMethod) {
    std::atomic<int> requests{0};
    scripted_server srv([&](connection& c, int) {
        while (c.read_request())
            c.write(requests++ == 0 ? http_response(429, "{}", "Retry-After: 0\r\n")
                                    : http_response(201, "{}"));
    });
    stack s;
    auto r = s.send(get_request(srv, "/x", http::verb::post));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201);
}

TEST(Transport, ThrottlerRetryAfterAloneIsWaitedOut) {
    // Daytona names the throttler and may send no plain Retry-After at all.
    std::atomic<int> requests{0};
    scripted_server srv([&](connection& c, int) {
        while (c.read_request())
            c.write(requests++ == 0 ? http_response(429, R"({"message":"slow down"})",
                                                    "Retry-After-sandbox-create: 1\r\n"
                                                    "X-RateLimit-Remaining-sandbox-create: 0\r\n")
                                    : http_response(201, "{}"));
    });
    stack s;  // a 1 ms computed backoff: only the server's wait can make the retry late
    const auto start = std::chrono::steady_clock::now();
    auto r = s.send(get_request(srv, "/api/sandbox", http::verb::post));
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->status, 201);
    EXPECT_EQ(r->attempts, 2);
    EXPECT_EQ(requests.load(), 2);
    EXPECT_GE(took, 1s);
    EXPECT_LT(took, 10s);
}

TEST(Transport, RetryAfterBeyondTheCallsDeadlineIsReportedAtOnce) {
    std::atomic<int> requests{0};
    scripted_server srv([&](connection& c, int) {
        while (c.read_request()) {
            ++requests;
            c.write(http_response(429, R"({"message":"Too many sandboxes created"})",
                                  "Retry-After: 30\r\n"));
        }
    });
    stack s;
    // A 2 s call: the server's 30 s can be neither waited out nor cut short.
    const http::send_options two_seconds{
        .request = {.timeout = 2s, .retry = dt::retry_options{.max_elapsed = 2s}}};
    const auto start = std::chrono::steady_clock::now();
    auto r = s.send(get_request(srv, "/api/sandbox", http::verb::post), two_seconds);
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->status, 429);
    EXPECT_EQ(r->attempts, 1);
    EXPECT_EQ(requests.load(), 1);  // not retried early
    EXPECT_LT(took, 2s);            // nor waited for
    const auto e = dt::api::error_from_response(*r, "create_sandbox");
    EXPECT_EQ(e, dt::condition::rate_limited);
    EXPECT_EQ(e.http_status(), 429);
    EXPECT_EQ(e.retry_after(), 30s);
    EXPECT_EQ(e.to_string().rfind(
                  "create_sandbox: HTTP 429 Too Many Requests: Too many sandboxes created (the "
                  "server asked to wait 30 s before retrying, more than the ",
                  0),
              0u)
        << e;
    EXPECT_NE(e.to_string().find(" left of max_elapsed (2 s)) [retry_after=30s]"),
              std::string::npos)
        << e;
}

TEST(Transport, RetryAfterTheClientCannotHonourIsNeverRetriedEarly) {
    // Two days (more than max_retry_after), and a value that is no wait at all: each is
    // answered after one attempt, saying why, instead of falling back to the 1 ms backoff.
    for (std::string_view value : {"172800", "soon"}) {
        std::atomic<int> requests{0};
        scripted_server srv([&](connection& c, int) {
            while (c.read_request()) {
                ++requests;
                c.write(http_response(429, "{}", "Retry-After: " + std::string(value) + "\r\n"));
            }
        });
        stack s;
        auto r = s.send(get_request(srv));
        ASSERT_TRUE(r) << r.error();
        EXPECT_EQ(r->status, 429);
        EXPECT_EQ(requests.load(), 1) << value;
        EXPECT_EQ(r->retry_refused,
                  value == "soon"
                      ? R"(the server's Retry-After "soon" is neither seconds nor an HTTP date, )"
                        "so the wait it asks for is unknown"
                      : "the server asked to wait 172800 s before retrying, more than "
                        "max_retry_after (60 s)");
    }
}

TEST(Transport, HttpDateRetryAfterIsHonoured) {
    using std::chrono::system_clock;
    // Two seconds ahead, to the second: the retry may not come before that instant.
    const auto until = std::chrono::floor<std::chrono::seconds>(system_clock::now()) + 2s;
    const std::time_t t = system_clock::to_time_t(until);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char date[64];
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    std::atomic<int> requests{0};
    std::atomic<system_clock::rep> retried_at{0};
    scripted_server srv([&](connection& c, int) {
        while (c.read_request()) {
            if (requests++ == 0) {
                c.write(http_response(503, "{}", "Retry-After: " + std::string(date) + "\r\n"));
            } else {
                retried_at = system_clock::now().time_since_epoch().count();
                c.write(http_response(200, "ok"));
            }
        }
    });
    stack s;
    auto r = s.send(get_request(srv));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(requests.load(), 2);
    EXPECT_GE(system_clock::time_point(system_clock::duration(retried_at.load())), until)
        << "retried before " << date;
    EXPECT_LT(system_clock::time_point(system_clock::duration(retried_at.load())), until + 8s);
}

TEST(Transport, MalformedResponseIsProtocolErrorAndNotRetried) {
    scripted_server srv([](connection& c, int) {
        if (c.read_request()) c.write("HTTP/1.1 2OO OK\r\n\r\n");
    });
    stack s;
    auto r = s.send(get_request(srv));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::errc::protocol_error);
    EXPECT_EQ(srv.accepted(), 1);
}

TEST(Transport, OversizedHeaderAndBodyAreRefused) {
    scripted_server srv([](connection& c, int) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nX-Huge: " + std::string(5000, 'h') +
                "\r\nContent-Length: 0\r\n\r\n");
    });
    stack s({.limits = {.max_header_bytes = 1024, .max_body_bytes = 1024}},
            dt::retry_options::none());
    auto r = s.send(get_request(srv));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::errc::header_too_large);

    scripted_server big([](connection& c, int) {
        if (c.read_request()) c.write(http_response(200, std::string(4096, 'b')));
    });
    auto b = s.send(get_request(big));
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error(), dt::errc::body_too_large);
}

TEST(Transport, DribbledResponseParses) {
    scripted_server srv([](connection& c, int) {
        if (!c.read_request()) return;
        c.dribble(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
            "chunked\r\n\r\n4\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n",
            std::chrono::microseconds(100));
    });
    stack s;
    auto r = s.send(get_request(srv));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->body, "abcdef");
}

TEST(Transport, PoolIsBounded) {
    scripted_server srv([](connection& c, int) {
        while (c.read_request()) {
            std::this_thread::sleep_for(30ms);
            c.write(http_response(200, "ok"));
        }
    });
    stack s({.max_connections_per_origin = 2});
    std::atomic<int> ok{0};
    for (int i = 0; i < 6; ++i)
        asio::co_spawn(
            s.io, stack::send_impl(s.top, get_request(srv), {}),
            [&](std::exception_ptr, dt::result<http::response> r) { ok += r.has_value(); });
    s.io.run();
    EXPECT_EQ(ok.load(), 6);
    EXPECT_LE(srv.max_active(), 2);
    EXPECT_EQ(srv.accepted(), 2);
}

TEST(Transport, StreamsRequestAndResponseBodies) {
    // The server echoes the request body back; both directions stream without buffering it.
    scripted_server srv([](connection& c, int) {
        auto req = c.read_request();
        if (!req) return;
        auto body = req->substr(req->find("\r\n\r\n") + 4);
        // De-chunk.
        std::string plain;
        std::size_t pos = 0;
        for (;;) {
            auto nl = body.find("\r\n", pos);
            auto size = std::stoul(body.substr(pos, nl - pos), nullptr, 16);
            if (size == 0) break;
            plain += body.substr(nl + 2, size);
            pos = nl + 2 + size + 2;
        }
        c.write(http_response(200, plain, "", "application/octet-stream"));
    });
    struct pattern_source : http::body_source {
        std::size_t left = 300 * 1024;
        std::optional<std::uint64_t> size() const override { return std::nullopt; }
        dt::result<std::size_t> read(char* buf, std::size_t len) override {
            std::size_t n = std::min(len, left);
            for (std::size_t i = 0; i < n; ++i)
                buf[i] = static_cast<char>('a' + (left - i) % 26);
            left -= n;
            return n;
        }
    };
    struct counting_sink : http::body_sink {
        std::size_t bytes = 0;
        dt::result<void> write(std::string_view d) override {
            bytes += d.size();
            return {};
        }
    };
    stack s({.limits = {.max_body_bytes = 1024}});  // tiny limit: only a sink can take this body
    auto req = get_request(srv, "/upload", http::verb::post);
    req.stream = std::make_shared<pattern_source>();
    auto sink = std::make_shared<counting_sink>();
    auto r = s.send(req, {.sink = sink});
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(sink->bytes, 300u * 1024);
    EXPECT_TRUE(r->body.empty());
}

TEST(Transport, ErrorBodiesAreBufferedEvenWithASink) {
    scripted_server srv([](connection& c, int) {
        if (c.read_request()) c.write(http_response(404, R"({"message":"file not found"})"));
    });
    struct failing_sink : http::body_sink {
        dt::result<void> write(std::string_view) override { return dt::error(dt::errc::io_error); }
    };
    stack s;
    auto r = s.send(get_request(srv), {.sink = std::make_shared<failing_sink>()});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
    EXPECT_EQ(r->body, R"({"message":"file not found"})");
}

TEST(Transport, CredentialsAreSentAndNeverEchoedIntoErrors) {
    std::string seen;
    std::mutex mu;
    scripted_server srv([&](connection& c, int) {
        while (auto req = c.read_request()) {
            {
                std::lock_guard lock(mu);
                seen = *req;
            }
            // A hostile or buggy server that echoes the Authorization header.
            auto at = req->find("Authorization: ");
            auto line = req->substr(at, req->find("\r\n", at) - at);
            c.write(http_response(401, R"({"message":"rejected )" + line + R"("})"));
        }
    });
    asio::io_context io;
    const std::string key = "sk-super-secret-4711";
    dt::client c{io.get_executor(), {.api_url = srv.url("/api"), .api_key = key}};
    auto r = dt::run_sync(io, c.get("sbx"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::condition::unauthorized);
    EXPECT_EQ(r.error().to_string().find(key), std::string::npos) << r.error();
    EXPECT_EQ(r.error().body_excerpt().find(key), std::string::npos);
    std::lock_guard lock(mu);
    EXPECT_NE(seen.find("Authorization: Bearer " + key), std::string::npos);
    EXPECT_NE(seen.find("X-Daytona-Source: sdk-cpp"), std::string::npos);
    EXPECT_NE(seen.find("X-Daytona-SDK-Version: " DAYTONA_PROTOCOL_VERSION), std::string::npos);
    EXPECT_NE(seen.find("User-Agent: daytona-cpp/" DAYTONA_VERSION_STRING), std::string::npos);
    EXPECT_EQ(seen.find("X-Daytona-Organization-ID"), std::string::npos);  // API-key mode
}

TEST(Transport, JwtModeSendsOrganization) {
    std::string seen;
    std::mutex mu;
    scripted_server srv([&](connection& c, int) {
        while (auto req = c.read_request()) {
            std::lock_guard lock(mu);
            seen = *req;
            c.write(http_response(
                200,
                R"({"id":"x","state":"started","toolboxProxyUrl":"http://127.0.0.1:1/toolbox"})"));
        }
    });
    asio::io_context io;
    dt::client c{
        io.get_executor(),
        {.api_url = srv.url("/api"), .jwt_token = "jwt.token", .organization_id = "org-9"}};
    auto r = dt::run_sync(io, c.get("x"));
    ASSERT_TRUE(r) << r.error();
    std::lock_guard lock(mu);
    EXPECT_NE(seen.find("GET /api/sandbox/x HTTP/1.1"), std::string::npos);
    EXPECT_NE(seen.find("Authorization: Bearer jwt.token"), std::string::npos);
    EXPECT_NE(seen.find("X-Daytona-Organization-ID: org-9"), std::string::npos);
}

TEST(Transport, MalformedJsonFromServerIsTyped) {
    scripted_server srv([](connection& c, int) {
        while (c.read_request())
            c.write(http_response(200, R"({"id": "x", "cpu": )"));
    });
    asio::io_context io;
    dt::client c{io.get_executor(), {.api_url = srv.url("/api"), .api_key = "k"}};
    auto r = dt::run_sync(io, c.get("x"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::errc::json_parse_error);
    EXPECT_EQ(r.error().operation(), "get_sandbox");
    EXPECT_EQ(r.error().http_status(), 200);
}
