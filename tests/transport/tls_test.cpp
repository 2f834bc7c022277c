// SPDX-License-Identifier: Apache-2.0
// TLS over loopback against the emulator serving HTTPS with a certificate made at test time
// (for DNS:localhost only, signed by a test CA the system store does not know).
#include "test_support.hpp"

#include <gtest/gtest.h>

using namespace daytona_test;

namespace {

struct tls_emulator {
    test_certs certs;
    dt::emulator::emulator emu{{.api_key = emulator_key,
                                .tls_cert_file = certs.cert_file,
                                .tls_key_file = certs.key_file}};
    tls_emulator() {
        if (auto r = emu.start(); !r) throw std::runtime_error(r.error().to_string());
    }
    std::string url(const std::string& host) const {
        return "https://" + host + ":" + std::to_string(emu.port()) + "/api";
    }
};

tls_emulator& server() {
    static tls_emulator s;
    return s;
}

dt::result<dt::sandbox_page> list_with(dt::client_options o) {
    o.api_key = emulator_key;
    o.retry = dt::retry_options::none();
    asio::io_context io;
    dt::client c{io.get_executor(), std::move(o)};
    return dt::run_sync(io, c.list());
}

}  // namespace

TEST(Tls, UnknownCaIsRejectedByDefault) {
    auto r = list_with({.api_url = server().url("localhost")});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::errc::tls_handshake_failed);
    EXPECT_NE(r.error().message().find("certificate verification failed"), std::string::npos)
        << r.error();
}

TEST(Tls, ConfiguredCaIsAccepted) {
    auto r = list_with(
        {.api_url = server().url("localhost"), .tls = {.ca_file = server().certs.ca_file}});
    ASSERT_TRUE(r) << r.error();
}

TEST(Tls, HostNameMismatchIsRejected) {
    // Same trusted certificate, but reached as 127.0.0.1, which it does not name.
    auto r = list_with(
        {.api_url = server().url("127.0.0.1"), .tls = {.ca_file = server().certs.ca_file}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::errc::tls_handshake_failed);
    EXPECT_NE(r.error().message().find("mismatch"), std::string::npos) << r.error();
}

TEST(Tls, DangerousOptOutAcceptsAnything) {
    auto r = list_with({.api_url = server().url("127.0.0.1"),
                        .tls = {.danger_accept_invalid_certificates = true}});
    ASSERT_TRUE(r) << r.error();
}

TEST(Tls, MissingCaFileIsAClearError) {
    auto r = list_with(
        {.api_url = server().url("localhost"), .tls = {.ca_file = "/nonexistent/ca.pem"}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::errc::invalid_argument);
    EXPECT_NE(r.error().message().find("/nonexistent/ca.pem"), std::string::npos);
}

TEST(Tls, FullSliceOverTls) {
    asio::io_context io;
    dt::client c{io.get_executor(),
                 {.api_url = server().url("localhost"),
                  .api_key = emulator_key,
                  .tls = {.ca_file = server().certs.ca_file}}};
    auto sb = dt::run_sync(io, c.create());
    ASSERT_TRUE(sb) << sb.error();
    EXPECT_EQ(sb->info().toolbox_proxy_url.substr(0, 8), "https://");
    auto r = dt::run_sync(io, sb->process().exec("echo tls"));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->output, "tls\n");
    ASSERT_TRUE(dt::run_sync(io, sb->destroy()));
}

namespace {

/// Opens the emulator's event channel (Engine.IO over a WebSocket) through a pool with `tls`.
dt::result<dt::http::websocket::connection> open_wss(asio::io_context& io, dt::tls_options tls) {
    auto pool = std::make_shared<dt::http::pooled_transport>(
        io.get_executor(), dt::http::pool_options{.tls = std::move(tls)});
    auto url = dt::http::url::parse("wss://localhost:" + std::to_string(server().emu.port()) +
                                    "/api/socket.io/?EIO=4&transport=websocket");
    if (!url) return std::move(url).error();
    return dt::run_sync(
        io, dt::http::websocket::connection::connect(pool, std::move(*url), {}, "test_wss"));
}

}  // namespace

TEST(Tls, WebSocketOverWssTalksBothWaysAndClosesCleanly) {
    namespace ws = dt::http::websocket;
    asio::io_context io;
    auto conn = open_wss(io, {.ca_file = server().certs.ca_file});
    ASSERT_TRUE(conn) << conn.error();
    // The server speaks first: Engine.IO's open packet, a text message.
    auto open = dt::run_sync(io, conn->read());
    ASSERT_TRUE(open) << open.error();
    EXPECT_EQ(open->op, ws::opcode::text);
    EXPECT_EQ(open->payload.substr(0, 9), R"(0{"sid":")") << open->payload;
    // Our text message; the server's answer shows it arrived whole (the key checked out).
    ASSERT_TRUE(
        dt::run_sync(io, conn->write_text(R"(40{"token":")" + std::string(emulator_key) + "\"}")));
    auto connected = dt::run_sync(io, conn->read());
    ASSERT_TRUE(connected) << connected.error();
    EXPECT_EQ(connected->op, ws::opcode::text);
    EXPECT_EQ(connected->payload.substr(0, 10), R"(40{"sid":")") << connected->payload;
    // Close handshake: our 1000 is echoed, and then the connection is done.
    ASSERT_TRUE(dt::run_sync(io, conn->close(ws::close_code::normal, "done")));
    auto closed = dt::run_sync(io, conn->read());
    ASSERT_TRUE(closed) << closed.error();
    EXPECT_EQ(closed->op, ws::opcode::close);
    EXPECT_EQ(closed->close_code(), 1000);
    EXPECT_FALSE(conn->is_open());
    EXPECT_EQ(dt::run_sync(io, conn->read()).error(), dt::errc::connection_closed);
}

TEST(Tls, WebSocketToAnUntrustedCertificateFailsVerification) {
    asio::io_context io;
    auto conn = open_wss(io, {});
    ASSERT_FALSE(conn);
    EXPECT_EQ(conn.error(), dt::errc::tls_handshake_failed) << conn.error();
    EXPECT_NE(conn.error().message().find("certificate verification failed"), std::string::npos)
        << conn.error();
    EXPECT_EQ(conn.error().operation(), "test_wss");
}
