// SPDX-License-Identifier: Apache-2.0
// The WebSocket client against scripted servers that speak RFC 6455 by hand (handshake, frames,
// masking) and misbehave on purpose: wrong accept keys, masked or oversized frames, a close
// without a close frame, fragments with pings between them.
#include "scripted_server.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <atomic>
#include <mutex>

using namespace daytona_test;
using namespace std::chrono_literals;
namespace http = dt::http;
namespace ws = dt::http::websocket;

namespace {

/// Base64 of SHA-1(key + GUID), computed here without the library's helpers.
std::string accept_for(const std::string& key) {
    const std::string in = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(in.data(), in.size(), md, &len, EVP_sha1(), nullptr);
    unsigned char b64[64];
    const int n = EVP_EncodeBlock(b64, md, static_cast<int>(len));
    return std::string(reinterpret_cast<char*>(b64), static_cast<std::size_t>(n));
}

std::string header_of(const std::string& request, std::string name) {
    std::string lower = request;
    for (auto& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto p = lower.find("\r\n" + name + ":");
    if (p == std::string::npos) return {};
    p += name.size() + 3;
    auto end = request.find("\r\n", p);
    std::string v = request.substr(p, end - p);
    while (!v.empty() && v.front() == ' ')
        v.erase(0, 1);
    return v;
}

std::string switching(const std::string& request, const std::string& protocol = "",
                      std::string accept = "") {
    if (accept.empty()) accept = accept_for(header_of(request, "Sec-WebSocket-Key"));
    std::string r =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
        accept + "\r\n";
    if (!protocol.empty()) r += "Sec-WebSocket-Protocol: " + protocol + "\r\n";
    return r + "\r\n";
}

/// An unmasked server frame.
std::string server_frame(int opcode, std::string_view payload, bool fin = true) {
    std::string f;
    f += static_cast<char>((fin ? 0x80 : 0) | opcode);
    if (payload.size() < 126) {
        f += static_cast<char>(payload.size());
    } else if (payload.size() < 65536) {
        f += static_cast<char>(126);
        f += static_cast<char>(payload.size() >> 8);
        f += static_cast<char>(payload.size() & 0xff);
    } else {
        f += static_cast<char>(127);
        for (int i = 7; i >= 0; --i)
            f += static_cast<char>((payload.size() >> (8 * i)) & 0xff);
    }
    return f + std::string(payload);
}

struct client_frame {
    int opcode = -1;
    bool masked = false;
    std::string payload;
};

/// Reads one client frame from the connection's buffer (filling it as needed), unmasking it.
std::optional<client_frame> read_frame(connection& c) {
    auto need = [&](std::size_t n) {
        while (c.buffered().size() < n)
            if (!c.fill_once(5s)) return false;
        return true;
    };
    if (!need(2)) return std::nullopt;
    const auto& b = c.buffered();
    client_frame f;
    f.opcode = static_cast<unsigned char>(b[0]) & 0x0f;
    f.masked = (static_cast<unsigned char>(b[1]) & 0x80) != 0;
    std::size_t len = static_cast<unsigned char>(b[1]) & 0x7f, head = 2;
    if (len == 126) {
        if (!need(4)) return std::nullopt;
        len = (static_cast<unsigned char>(c.buffered()[2]) << 8) |
              static_cast<unsigned char>(c.buffered()[3]);
        head = 4;
    } else if (len == 127) {
        if (!need(10)) return std::nullopt;
        len = 0;
        for (int i = 0; i < 8; ++i)
            len = (len << 8) | static_cast<unsigned char>(c.buffered()[2 + i]);
        head = 10;
    }
    const std::size_t key_len = f.masked ? 4 : 0;
    if (!need(head + key_len + len)) return std::nullopt;
    const std::string all = c.buffered().substr(0, head + key_len + len);
    c.consume(head + key_len + len);
    f.payload = all.substr(head + key_len);
    if (f.masked)
        for (std::size_t i = 0; i < f.payload.size(); ++i)
            f.payload[i] = static_cast<char>(f.payload[i] ^ all[head + i % 4]);
    return f;
}

std::string close_body(std::uint16_t code, std::string_view reason = {}) {
    std::string p;
    p += static_cast<char>(code >> 8);
    p += static_cast<char>(code & 0xff);
    return p + std::string(reason);
}

class WebSocketClient : public ::testing::Test {
protected:
    asio::io_context io;
    std::shared_ptr<http::pooled_transport> pool =
        std::make_shared<http::pooled_transport>(io.get_executor(), http::pool_options{});

    template <class T>
    T await(asio::awaitable<T> op) {
        return dt::run_sync(io, std::move(op));
    }
    dt::result<ws::connection> open(const scripted_server& s, ws::connect_options o = {}) {
        auto url = http::url::parse("ws://127.0.0.1:" + std::to_string(s.port()) + "/ws?x=1");
        return await(ws::connection::connect(pool, *url, std::move(o), "test_ws"));
    }
};

}  // namespace

TEST_F(WebSocketClient, HandshakeMessagesPingsFragmentsAndClose) {
    std::string seen_request;
    std::vector<client_frame> from_client;
    scripted_server server([&](connection& c, int) {
        auto req = c.read_request();
        if (!req) return;
        seen_request = *req;
        // The head and the first frame in one write: the client must keep the leftover bytes.
        c.write(switching(*req, "proto-b") + server_frame(1, "hi"));
        c.write(server_frame(9, "are you there"));  // ping
        for (int i = 0; i < 2; ++i)                 // the pong, then a binary message
            if (auto f = read_frame(c)) from_client.push_back(*f);
        c.write(server_frame(1, "frag", false) + server_frame(9, "") +
                server_frame(0, "ment", true));
        c.write(server_frame(8, close_body(1000, "bye")));
        while (auto f = read_frame(c)) {  // the second pong, then the echoed close
            from_client.push_back(*f);
            if (f->opcode == 8) break;
        }
    });
    ws::connect_options o{.subprotocols = {"proto-a", "proto-b"}};
    o.headers.add("Authorization", "Bearer t");
    auto conn = open(server, std::move(o));
    ASSERT_TRUE(conn) << conn.error();
    EXPECT_EQ(conn->subprotocol(), "proto-b");
    EXPECT_EQ(header_of(seen_request, "Upgrade"), "websocket");
    EXPECT_EQ(header_of(seen_request, "Sec-WebSocket-Version"), "13");
    EXPECT_EQ(header_of(seen_request, "Sec-WebSocket-Protocol"), "proto-a, proto-b");
    EXPECT_EQ(header_of(seen_request, "Authorization"), "Bearer t");
    EXPECT_NE(seen_request.find("GET /ws?x=1 HTTP/1.1"), std::string::npos) << seen_request;

    auto hi = await(conn->read());
    ASSERT_TRUE(hi) << hi.error();
    EXPECT_EQ(hi->op, ws::opcode::text);
    EXPECT_EQ(hi->payload, "hi");
    ASSERT_TRUE(await(conn->write_binary("abc")));
    auto frag = await(conn->read());  // answers the ping on the way
    ASSERT_TRUE(frag) << frag.error();
    EXPECT_EQ(frag->payload, "fragment");
    auto close = await(conn->read());
    ASSERT_TRUE(close) << close.error();
    EXPECT_EQ(close->op, ws::opcode::close);
    EXPECT_EQ(close->close_code(), 1000);
    EXPECT_EQ(close->close_reason(), "bye");
    EXPECT_FALSE(conn->is_open());
    EXPECT_EQ(await(conn->read()).error(), dt::errc::connection_closed);
    server.stop();
    ASSERT_EQ(from_client.size(), 4u);
    // The binary message was written before the read that met the ping.
    EXPECT_EQ(from_client[0].opcode, 0x2);
    EXPECT_EQ(from_client[0].payload, "abc");
    EXPECT_EQ(from_client[1].opcode, 0xA);  // the pong, with the ping's payload
    EXPECT_EQ(from_client[1].payload, "are you there");
    EXPECT_EQ(from_client[2].opcode, 0xA);  // the ping between two fragments
    EXPECT_EQ(from_client[3].opcode, 0x8);
    EXPECT_EQ(from_client[3].payload, close_body(1000));  // the code, echoed
    for (const auto& f : from_client)
        EXPECT_TRUE(f.masked);  // every client frame is masked
}

TEST_F(WebSocketClient, BadHandshakesAreProtocolErrors) {
    scripted_server wrong_accept([](connection& c, int) {
        if (auto req = c.read_request()) c.write(switching(*req, "", "bm90IHRoZSBrZXk="));
        c.wait_for_close(2s);
    });
    auto a = open(wrong_accept);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error(), dt::errc::protocol_error);
    EXPECT_EQ(a.error().operation(), "test_ws");

    scripted_server unoffered([](connection& c, int) {
        if (auto req = c.read_request()) c.write(switching(*req, "other"));
        c.wait_for_close(2s);
    });
    ws::connect_options o{.subprotocols = {"mine"}};
    auto b = open(unoffered, std::move(o));
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error(), dt::errc::protocol_error);

    scripted_server refuses([](connection& c, int) {
        if (c.read_request())
            c.write(http_response(404, R"({"statusCode":404,"message":"no such command"})"));
    });
    auto r = open(refuses);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::condition::not_found);
    EXPECT_EQ(r.error().http_status(), 404);
}

TEST_F(WebSocketClient, ProtocolViolationsCloseWithTheRightCode) {
    for (auto [bad_frame, code, expected] :
         {std::tuple{std::string("\x81\x82\x01\x02\x03\x04xx", 8), 1002,
                     dt::errc::protocol_error},  // masked server frame
          std::tuple{server_frame(2, std::string(2000, 'x')), 1009, dt::errc::body_too_large},
          std::tuple{std::string("\x83\x00", 2), 1002, dt::errc::protocol_error},
          std::tuple{std::string("\x88\x01\x03", 3), 1002,
                     dt::errc::protocol_error},  // close payload of 1 byte
          std::tuple{server_frame(8, close_body(1005)), 1002,
                     dt::errc::protocol_error},  // a code that must not be sent
          std::tuple{server_frame(8, close_body(2000)), 1002,
                     dt::errc::protocol_error},  // unassigned
          std::tuple{server_frame(1, "fr\xc3", false) + server_frame(0, "\x28"), 1007,
                     dt::errc::protocol_error}}) {  // text that is not UTF-8, reassembled
        std::optional<client_frame> closing;
        scripted_server server([&](connection& c, int) {
            auto req = c.read_request();
            if (!req) return;
            c.write(switching(*req) + bad_frame);
            closing = read_frame(c);
        });
        ws::connect_options o{.max_message = 1000};
        auto conn = open(server, std::move(o));
        ASSERT_TRUE(conn) << conn.error();
        auto m = await(conn->read());
        ASSERT_FALSE(m);
        EXPECT_EQ(m.error(), expected) << m.error();
        server.stop();
        ASSERT_TRUE(closing.has_value());
        EXPECT_EQ(closing->opcode, 8);
        ASSERT_GE(closing->payload.size(), 2u);
        EXPECT_EQ((static_cast<unsigned char>(closing->payload[0]) << 8) |
                      static_cast<unsigned char>(closing->payload[1]),
                  code);
    }
}

TEST_F(WebSocketClient, AVanishedServerIsConnectionClosed) {
    scripted_server server([](connection& c, int) {
        if (auto req = c.read_request()) c.write(switching(*req) + server_frame(2, "x"));
        c.close();
    });
    auto conn = open(server);
    ASSERT_TRUE(conn) << conn.error();
    auto first = await(conn->read());
    ASSERT_TRUE(first);
    auto gone = await(conn->read());
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error(), dt::errc::connection_closed);
    EXPECT_EQ(await(conn->write_text("late")).error(), dt::errc::connection_closed);
}

TEST_F(WebSocketClient, CancelledReadsLeaveTheConnectionUsableAndWritesQueue) {
    std::atomic<bool> release{false};
    std::vector<client_frame> got;
    scripted_server server([&](connection& c, int) {
        auto req = c.read_request();
        if (!req) return;
        c.write(switching(*req));
        for (int i = 0; i < 3; ++i)
            if (auto f = read_frame(c)) got.push_back(*f);
        while (!release)
            std::this_thread::sleep_for(1ms);
        c.write(server_frame(1, "after the cancel"));
        c.wait_for_close(2s);
    });
    auto conn = open(server);
    ASSERT_TRUE(conn) << conn.error();
    // Three writes at once, from three coroutines: they go out whole and in order.
    int written = 0;
    const std::vector<std::string> texts{"one", "two", std::string(100000, 'z')};
    for (const auto& text : texts) {
        asio::co_spawn(io, conn->write_text(text),
                       [&](std::exception_ptr, dt::result<void> r) { written += r ? 1 : 0; });
    }
    io.restart();
    io.run();
    EXPECT_EQ(written, 3);
    // A read raced against a timer: the timer wins, the read is cancelled.
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer t(io, 50ms);
    auto raced = await([&]() -> asio::awaitable<bool> {
        auto r = co_await (conn->read() || t.async_wait(asio::use_awaitable));
        co_return r.index() == 1;
    }());
    EXPECT_TRUE(raced);
    release = true;
    auto later = await(conn->read());
    ASSERT_TRUE(later) << later.error();
    EXPECT_EQ(later->payload, "after the cancel");
    server.stop();
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].payload, "one");
    EXPECT_EQ(got[1].payload, "two");
    EXPECT_EQ(got[2].payload.size(), 100000u);
}

TEST_F(WebSocketClient, ToolboxUpgradesCarryTheSdkVersionHeaderAsTheNodeSdkDoes) {
    // @daytonaio/sdk 0.218 under Node sends the SDK version as the X-Daytona-SDK-Version header
    // on every toolbox WebSocket and offers only the operation's own subprotocols; only
    // browsers, Deno and serverless runtimes, which cannot set headers, offer
    // "X-Daytona-SDK-Version~<version>" instead. The daemon reads the header first, and the
    // version decides whether session logs keep their stdout/stderr markers. A native client can
    // set headers, so it does what Node does (the capture's WS-UPGRADE requests).
    std::mutex mu;
    std::vector<std::string> upgrades;
    std::atomic<int> port{0};
    scripted_server server([&](connection& c, int) {
        while (auto req = c.read_request()) {
            if (req->rfind("GET /api/sandbox/sbx-1 ", 0) == 0) {
                c.write(http_response(
                    200, R"({"id":"sbx-1","name":"sbx-1","state":"started","cpu":2,"memory":4,)"
                         R"("disk":10,"toolboxProxyUrl":"http://127.0.0.1:)" +
                             std::to_string(port.load()) + R"(/toolbox"})"));
                continue;
            }
            {
                std::lock_guard lock(mu);
                upgrades.push_back(*req);
            }
            c.write(http_response(404, R"({"statusCode":404,"message":"not here"})"));
        }
    });
    port = server.port();
    dt::client client{io.get_executor(),
                      {.api_url = server.url("/api"),
                       .api_key = "test-key",
                       .retry = dt::retry_options::none(),
                       .state_events = false}};
    auto sb = await(client.get("sbx-1"));
    ASSERT_TRUE(sb) << sb.error();
    auto follow = await(sb->process().session("s1").follow(
        "cmd-1", [](std::string_view) {}, [](std::string_view) {}));
    EXPECT_EQ(follow.error(), dt::condition::not_found) << follow.error();
    dt::pty_options with_env{.id = "p1", .env = {{"TERM", "xterm"}}, .cols = 100, .rows = 30};
    EXPECT_FALSE(await(sb->pty().create(std::move(with_env))));
    EXPECT_FALSE(await(sb->pty().connect("p1")));
    EXPECT_FALSE(await(sb->code_interpreter().run_code("print(1)")));
    server.stop();

    ASSERT_EQ(upgrades.size(), 4u);
    EXPECT_EQ(
        upgrades[0].rfind(
            "GET /toolbox/sbx-1/process/session/s1/command/cmd-1/logs?follow=true HTTP/1.1", 0),
        0u)
        << upgrades[0];
    EXPECT_EQ(
        upgrades[1].rfind(
            "GET /toolbox/sbx-1/process/pty/create-connect?id=p1&cols=100&rows=30 HTTP/1.1", 0),
        0u)
        << upgrades[1];
    EXPECT_EQ(upgrades[2].rfind("GET /toolbox/sbx-1/process/pty/p1/connect HTTP/1.1", 0), 0u)
        << upgrades[2];
    EXPECT_EQ(upgrades[3].rfind("GET /toolbox/sbx-1/process/interpreter/execute HTTP/1.1", 0), 0u)
        << upgrades[3];
    for (const auto& u : upgrades) {
        EXPECT_EQ(header_of(u, "Upgrade"), "websocket") << u;
        EXPECT_EQ(header_of(u, "X-Daytona-SDK-Version"), "0.218.0") << u;
        EXPECT_EQ(header_of(u, "Authorization"), "Bearer test-key") << u;
        EXPECT_EQ(header_of(u, "Sec-WebSocket-Protocol").find("X-Daytona-SDK-Version~"),
                  std::string::npos)
            << u;
    }
    // The subprotocols offered, as captured (the list separator may carry a space).
    auto offered = [&](std::size_t i) {
        auto p = header_of(upgrades[i], "Sec-WebSocket-Protocol");
        std::erase(p, ' ');
        return p;
    };
    EXPECT_EQ(offered(0), "");
    EXPECT_EQ(offered(1), "X-Daytona-Pty-Envs~eyJURVJNIjoieHRlcm0ifQ,X-Daytona-Pty-Exit-Control");
    EXPECT_EQ(offered(2), "X-Daytona-Pty-Exit-Control");
    EXPECT_EQ(offered(3), "");
}
