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
