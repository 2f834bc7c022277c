// SPDX-License-Identifier: Apache-2.0
// WebSocket framing, multipart streaming and the crypto helpers.
#include <daytona/http/multipart.hpp>
#include <daytona/http/websocket.hpp>
#include <daytona/net/crypto.hpp>

#include <gtest/gtest.h>

namespace dt = daytona;
namespace ws = dt::http::websocket;
namespace mp = dt::http::multipart;

TEST(Crypto, KnownVectors) {
    // RFC 6455 §1.3 example.
    EXPECT_EQ(dt::net::websocket_accept("dGhlIHNhbXBsZSBub25jZQ=="),
              "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    EXPECT_EQ(dt::net::base64_encode("hello"), "aGVsbG8=");
    // The PTY environment subprotocol captured from the TS SDK: {"TERM":"xterm"}.
    EXPECT_EQ(dt::net::base64url_encode(R"({"TERM":"xterm"})"), "eyJURVJNIjoieHRlcm0ifQ");
    EXPECT_EQ(dt::net::base64_decode("eyJURVJNIjoieHRlcm0ifQ"), R"({"TERM":"xterm"})");
    EXPECT_EQ(dt::net::base64_decode("aGVsbG8="), "hello");
    EXPECT_EQ(dt::net::base64_decode("_-8"), "\xff\xef");
    EXPECT_FALSE(dt::net::base64_decode("not base64!"));
    std::string all;
    for (int i = 0; i < 256; ++i)
        all += static_cast<char>(i);
    EXPECT_EQ(dt::net::base64_decode(dt::net::base64url_encode(all)), all);
    EXPECT_EQ(dt::net::base64_encode(
                  dt::net::hmac_sha256("key", "The quick brown fox jumps over the lazy dog")),
              "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=");
    EXPECT_EQ(dt::net::random_bytes(16).size(), 16u);
}

TEST(WebSocket, RoundTripsFramesBothWays) {
    for (auto [sender, receiver] : {std::pair{ws::role::client, ws::role::server},
                                    std::pair{ws::role::server, ws::role::client}}) {
        std::string wire;
        std::optional<std::array<std::uint8_t, 4>> mask;
        if (sender == ws::role::client) mask = std::array<std::uint8_t, 4>{1, 2, 3, 4};
        ws::append_frame(wire, ws::opcode::text, "hello", true, mask);
        ws::append_frame(wire, ws::opcode::binary, std::string(70000, 'x'), true, mask);
        ws::append_frame(wire, ws::opcode::binary, "frag-", false, mask);
        ws::append_frame(wire, ws::opcode::ping, "p", true, mask);  // may interleave fragments
        ws::append_frame(wire, ws::opcode::continuation, "ment", true, mask);
        ws::append_frame(wire, ws::opcode::close, ws::close_payload(1011, R"({"exitCode":2})"),
                         true, mask);
        ws::decoder d(receiver);
        std::vector<ws::message> got;
        for (char c : wire) {  // one byte at a time
            d.feed(std::string_view(&c, 1));
            for (;;) {
                auto m = d.next();
                ASSERT_TRUE(m) << m.error();
                if (!*m) break;
                got.push_back(std::move(**m));
            }
        }
        ASSERT_EQ(got.size(), 5u);
        EXPECT_EQ(got[0].payload, "hello");
        EXPECT_EQ(got[0].op, ws::opcode::text);
        EXPECT_EQ(got[1].payload.size(), 70000u);
        EXPECT_EQ(got[2].op, ws::opcode::ping);
        EXPECT_EQ(got[3].payload, "frag-ment");
        EXPECT_EQ(got[4].close_code(), 1011);
        EXPECT_EQ(got[4].close_reason(), R"({"exitCode":2})");
    }
}

TEST(WebSocket, RejectsViolations) {
    auto decode = [](std::string wire, ws::role r, std::size_t limit = 1 << 20) {
        ws::decoder d(r, limit);
        d.feed(wire);
        return d.next();
    };
    std::string unmasked;
    ws::append_frame(unmasked, ws::opcode::text, "x");
    EXPECT_EQ(decode(unmasked, ws::role::server).error(), dt::errc::protocol_error);
    std::string masked;
    ws::append_frame(masked, ws::opcode::text, "x", true, std::array<std::uint8_t, 4>{9, 9, 9, 9});
    EXPECT_EQ(decode(masked, ws::role::client).error(), dt::errc::protocol_error);
    std::string big;
    ws::append_frame(big, ws::opcode::binary, std::string(2000, 'b'));
    EXPECT_EQ(decode(big, ws::role::client, 1000).error(), dt::errc::body_too_large);
    EXPECT_EQ(decode(std::string("\xf1\x00", 2), ws::role::client).error(),
              dt::errc::protocol_error);  // RSV bits
    EXPECT_EQ(decode(std::string("\x03\x00", 2), ws::role::client).error(),
              dt::errc::protocol_error);  // opcode 3
    EXPECT_EQ(decode(std::string("\x80\x00", 2), ws::role::client).error(),
              dt::errc::protocol_error);  // stray continuation
}

TEST(WebSocket, ChecksClosePayloadsAndUtf8) {
    // Literal server frames (unmasked): a decoder for the client side must fail each of the bad
    // ones with errc::protocol_error and name the close code RFC 6455 asks for.
    auto decode = [](std::string_view wire, ws::role r = ws::role::client) {
        ws::decoder d(r);
        d.feed(wire);
        auto m = d.next();
        return std::pair{std::move(m), d.failure_close_code()};
    };
    using namespace std::string_view_literals;
    struct bad {
        std::string_view wire;
        std::uint16_t close_with;
    };
    for (auto [wire, close_with] : {
             bad{"\x88\x01\x03"sv, 1002},              // close payload of 1 byte
             bad{"\x88\x02\x03\xec"sv, 1002},          // 1004, reserved
             bad{"\x88\x02\x03\xed"sv, 1002},          // 1005, no status: local only
             bad{"\x88\x02\x03\xee"sv, 1002},          // 1006, abnormal: local only
             bad{"\x88\x02\x03\xf7"sv, 1002},          // 1015, TLS failure: local only
             bad{"\x88\x02\x00\x00"sv, 1002},          // 0
             bad{"\x88\x02\x03\xe7"sv, 1002},          // 999
             bad{"\x88\x02\x03\xf8"sv, 1002},          // 1016, unassigned
             bad{"\x88\x02\x0b\xb7"sv, 1002},          // 2999, unassigned
             bad{"\x88\x02\x13\x88"sv, 1002},          // 5000
             bad{"\x88\x04\x03\xe8\xc3\x28"sv, 1007},  // 1000, reason not UTF-8
             bad{"\x81\x02\xc3\x28"sv, 1007},          // text: bad continuation byte
             bad{"\x81\x02\xc0\xaf"sv, 1007},          // text: overlong "/"
             bad{"\x81\x03\xed\xa0\x80"sv, 1007},      // text: a UTF-16 surrogate
             bad{"\x81\x04\xf4\x90\x80\x80"sv, 1007},  // text: beyond U+10FFFF
             bad{"\x81\x01\xe2"sv, 1007},              // text: truncated sequence
             bad{"\x01\x01\xc3\x80\x01\x28"sv, 1007},  // fragments: C3 then "("
         }) {
        auto [m, code] = decode(wire);
        ASSERT_FALSE(m) << testing::PrintToString(wire);
        EXPECT_EQ(m.error(), dt::errc::protocol_error) << m.error();
        EXPECT_EQ(code, close_with) << m.error();
    }
    // A masked client close of 1 byte, as a server sees it.
    auto [from_client, code] = decode("\x88\x81\x00\x00\x00\x00\x03"sv, ws::role::server);
    ASSERT_FALSE(from_client);
    EXPECT_EQ(code, 1002);
    EXPECT_NE(from_client.error().message().find("1 byte"), std::string::npos);
    EXPECT_NE(decode("\x88\x02\x03\xed"sv).first.error().message().find("1005"), std::string::npos);

    for (auto [wire, op, payload] : {
             std::tuple{"\x88\x00"sv, ws::opcode::close, ""sv},  // no code at all
             std::tuple{"\x88\x02\x03\xe8"sv, ws::opcode::close, "\x03\xe8"sv},
             std::tuple{"\x88\x02\x03\xeb"sv, ws::opcode::close, "\x03\xeb"sv},  // 1003
             std::tuple{"\x88\x02\x03\xef"sv, ws::opcode::close, "\x03\xef"sv},  // 1007
             std::tuple{"\x88\x02\x03\xf6"sv, ws::opcode::close, "\x03\xf6"sv},  // 1014
             std::tuple{"\x88\x02\x0b\xb8"sv, ws::opcode::close, "\x0b\xb8"sv},  // 3000
             std::tuple{"\x88\x02\x13\x87"sv, ws::opcode::close, "\x13\x87"sv},  // 4999
             std::tuple{"\x88\x04\x0f\xa8\xc3\xa9"sv, ws::opcode::close,
                        "\x0f\xa8\xc3\xa9"sv},  // 4008 (the interpreter's timeout), "é"
             std::tuple{"\x81\x04\xf0\x9f\x98\x80"sv, ws::opcode::text,
                        "\xf0\x9f\x98\x80"sv},  // U+1F600
             // "é" split across two fragments is checked whole, so it passes.
             std::tuple{"\x01\x01\xc3\x80\x01\xa9"sv, ws::opcode::text, "\xc3\xa9"sv},
             std::tuple{"\x82\x02\xc3\x28"sv, ws::opcode::binary, "\xc3\x28"sv},  // not text
         }) {
        auto [m, code] = decode(wire);
        ASSERT_TRUE(m) << m.error();
        ASSERT_TRUE(*m) << testing::PrintToString(wire);
        EXPECT_EQ((*m)->op, op);
        EXPECT_EQ((*m)->payload, payload);
    }
    // A reason over 123 bytes is cut before a sequence it would split.
    const std::string reason = std::string(122, 'r') + "\xc3\xa9";
    EXPECT_EQ(ws::close_payload(1000, reason), "\x03\xe8" + std::string(122, 'r'));
    EXPECT_TRUE(ws::is_valid_close_code(1000));
    EXPECT_FALSE(ws::is_valid_close_code(1005));
}

namespace {
struct collecting : mp::handler {
    struct part {
        dt::http::fields headers;
        std::string data;
    };
    std::vector<part> parts;
    bool open = false;
    dt::result<void> on_part(const dt::http::fields& h) override {
        parts.push_back({h, {}});
        open = true;
        return {};
    }
    dt::result<void> on_data(std::string_view d) override {
        parts.back().data += d;
        return {};
    }
    dt::result<void> on_part_end() override {
        open = false;
        return {};
    }
};
}  // namespace

TEST(Multipart, ParsesTheSdkUploadInAnyPieces) {
    // The layout @daytonaio/sdk 0.218 sends to /files/bulk-upload.
    const std::string b = "--------------------------b21ee9b0e8dd53df31ddf658";
    std::string body =
        "--" + b +
        "\r\nContent-Disposition: form-data; name=\"files[0].path\"\r\n\r\n/home/daytona/a.txt" +
        "\r\n--" + b +
        "\r\nContent-Disposition: form-data; name=\"files[0].file\"; filename=\"a.txt\"\r\n" +
        "Content-Type: text/plain\r\n\r\nhello\r\n--not-a-delimiter\r\nworld\n" + "\r\n--" + b +
        "--\r\n";
    for (std::size_t step : {1u, 3u, 17u, 4096u}) {
        collecting h;
        mp::parser p(b, h);
        for (std::size_t off = 0; off < body.size(); off += step)
            ASSERT_TRUE(p.feed(body.substr(off, step)));
        ASSERT_TRUE(p.finish());
        ASSERT_EQ(h.parts.size(), 2u);
        EXPECT_EQ(h.parts[0].data, "/home/daytona/a.txt");
        EXPECT_EQ(mp::header_param(h.parts[1].headers.get("content-disposition"), "filename"),
                  "a.txt");
        EXPECT_EQ(mp::header_param(h.parts[1].headers.get("content-disposition"), "name"),
                  "files[0].file");
        EXPECT_EQ(h.parts[1].data, "hello\r\n--not-a-delimiter\r\nworld\n");
    }
}

TEST(Multipart, RejectsTruncatedAndMalformed) {
    collecting h;
    mp::parser p("B", h);
    ASSERT_TRUE(p.feed("--B\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nabc"));
    EXPECT_EQ(p.finish().error(), dt::errc::protocol_error);
    collecting h2;
    mp::parser q("B", h2);
    EXPECT_FALSE(q.feed("--B\r\nno colon here\r\n\r\n"));
    collecting h3;
    mp::parser r("B", h3, 64);
    EXPECT_EQ(r.feed("--B\r\nX: " + std::string(100, 'y') + "\r\n").error(),
              dt::errc::header_too_large);
}

TEST(Multipart, HeaderHelpers) {
    EXPECT_EQ(mp::boundary_of("multipart/form-data; boundary=DAYTONA-FILE-BOUNDARY"),
              "DAYTONA-FILE-BOUNDARY");
    EXPECT_EQ(mp::boundary_of("multipart/form-data; boundary=\"quoted b\""), "quoted b");
    EXPECT_FALSE(mp::boundary_of("application/json"));
    EXPECT_EQ(mp::quote_param("a\"b\\c\r\nd"), R"("a\"b\\cd")");
    EXPECT_EQ(
        mp::header_param(R"(form-data; name="file"; filename="/tmp/a \"q\".txt")", "filename"),
        "/tmp/a \"q\".txt");
    dt::http::fields f{{"Content-Disposition", "form-data; name=\"file\""}};
    EXPECT_EQ(mp::part_head("B", f, true),
              "--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n");
    EXPECT_EQ(mp::tail("B", true), "\r\n--B--\r\n");
}
