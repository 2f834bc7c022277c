// SPDX-License-Identifier: Apache-2.0
// The emulator's edge cases, byte-level over loopback: unknown sandboxes, wrong states, bad
// JSON, missing auth, paths that try to leave the sandbox, faults and rate limits.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include <regex>

using namespace daytona_test;

namespace {

struct raw_response {
    int status = 0;
    std::string head, body;
};

/// One request on its own connection (Connection: close), read to the end.
raw_response request(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body = {}, bool auth = true,
                     const std::string& extra = {}) {
    asio::io_context io;
    asio::ip::tcp::socket s(io);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    std::string req =
        method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (auth) req += std::string("Authorization: Bearer ") + emulator_key + "\r\n";
    req += extra;
    if (!body.empty() || method == "POST" || method == "PUT")
        req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\n";
    req += "\r\n" + body;
    asio::write(s, asio::buffer(req));
    std::string all;
    std::error_code ec;
    asio::read(s, asio::dynamic_buffer(all), ec);
    raw_response r;
    auto split = all.find("\r\n\r\n");
    r.head = all.substr(0, split);
    r.body = split == std::string::npos ? "" : all.substr(split + 4);
    if (all.size() > 12) r.status = std::stoi(all.substr(9, 3));
    return r;
}

std::string json_field(const std::string& json, const std::string& key) {
    std::smatch m;
    std::regex re("\"" + key + "\":\"([^\"]*)\"");
    return std::regex_search(json, m, re) ? m[1].str() : std::string();
}

class EmulatorRoutes : public ::testing::Test {
protected:
    std::uint16_t port = shared_emulator().port();
    std::string make_sandbox(const std::string& body = "{}") {
        auto r = request(port, "POST", "/api/sandbox", body);
        EXPECT_EQ(r.status, 200) << r.body;
        return json_field(r.body, "id");
    }
};

}  // namespace

TEST_F(EmulatorRoutes, UnknownSandboxIs404InBothShapes) {
    auto api = request(port, "GET", "/api/sandbox/nope");
    EXPECT_EQ(api.status, 404);
    EXPECT_NE(api.body.find("\"statusCode\":404"), std::string::npos);
    EXPECT_NE(api.body.find("Sandbox with ID or name nope not found"), std::string::npos);
    auto tb = request(port, "POST", "/toolbox/nope/process/execute", R"({"command":"true"})");
    EXPECT_EQ(tb.status, 404);
    EXPECT_NE(tb.body.find("\"source\":\"DAYTONA_PROXY\""), std::string::npos);
}

TEST_F(EmulatorRoutes, MissingOrWrongAuthIs401) {
    EXPECT_EQ(request(port, "GET", "/api/sandbox", "", false).status, 401);
    EXPECT_EQ(
        request(port, "GET", "/api/sandbox", "", false, "Authorization: Bearer wrong\r\n").status,
        401);
    EXPECT_EQ(request(port, "GET", "/toolbox/x/version", "", false).status, 401);
    EXPECT_EQ(request(port, "GET", "/api/health", "", false).status, 200);  // public
}

TEST_F(EmulatorRoutes, BadJsonIs400) {
    EXPECT_EQ(request(port, "POST", "/api/sandbox", "{not json").status, 400);
    EXPECT_EQ(request(port, "POST", "/api/sandbox", R"({"cpu":"many"})").status, 400);
    auto id = make_sandbox();
    auto r = request(port, "POST", "/toolbox/" + id + "/process/execute", R"({"command":5})");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("command"), std::string::npos);  // the error names the field
    EXPECT_EQ(request(port, "DELETE", "/api/sandbox/" + id).status, 200);
}

TEST_F(EmulatorRoutes, WrongStatesAre400Or409) {
    auto id = make_sandbox();
    EXPECT_EQ(request(port, "POST", "/api/sandbox/" + id + "/archive").status, 400);  // not stopped
    EXPECT_EQ(request(port, "POST", "/api/sandbox/" + id + "/recover").status, 400);  // no error
    EXPECT_EQ(request(port, "POST", "/api/sandbox/" + id + "/resize", R"({"cpu":0.5})").status,
              400);
    EXPECT_EQ(request(port, "POST", "/api/sandbox/" + id + "/stop").status, 200);
    EXPECT_EQ(request(port, "POST", "/api/sandbox/" + id + "/stop").status,
              400);  // already stopped
    auto tb = request(port, "POST", "/toolbox/" + id + "/process/execute", R"({"command":"true"})");
    EXPECT_EQ(tb.status, 409);  // the toolbox of a stopped sandbox is not there
    EXPECT_EQ(request(port, "POST", "/api/sandbox/" + id + "/autostop/-1").status, 400);
    EXPECT_EQ(request(port, "POST", "/api/sandbox", R"({"name":"dup-name"})").status, 200);
    EXPECT_EQ(request(port, "POST", "/api/sandbox", R"({"name":"dup-name"})").status, 409);
    EXPECT_EQ(request(port, "DELETE", "/api/sandbox/dup-name").status, 200);
    EXPECT_EQ(request(port, "DELETE", "/api/sandbox/" + id).status, 200);
}

TEST_F(EmulatorRoutes, PathsCannotLeaveTheSandbox) {
    auto id = make_sandbox();
    const auto tb = "/toolbox/" + id;
    // A symbolic link to the host's /etc is refused, not followed.
    request(port, "POST", tb + "/process/execute", R"({"command":"ln -s /etc hostetc"})");
    EXPECT_EQ(request(port, "GET", tb + "/files?path=/home/daytona/hostetc").status, 403);
    EXPECT_EQ(request(port, "GET", tb + "/files/download?path=hostetc/passwd").status, 403);
    // ".." and absolute paths stay inside: this is the sandbox's /etc, which does not exist.
    EXPECT_EQ(request(port, "GET", tb + "/files/info?path=/../../../etc/passwd").status, 404);
    EXPECT_EQ(request(port, "GET", tb + "/files/info?path=/etc/passwd").status, 404);
    auto up = request(port, "POST", tb + "/files/bulk-download",
                      R"({"paths":["../../../../etc/passwd"]})");
    EXPECT_EQ(up.status, 200);
    EXPECT_NE(up.body.find("name=\"error\""), std::string::npos);
    EXPECT_NE(up.body.find("FILE_NOT_FOUND"), std::string::npos);
    EXPECT_EQ(request(port, "DELETE", tb + "/files?path=/&recursive=true").status, 400);
    EXPECT_EQ(request(port, "DELETE", "/api/sandbox/" + id).status, 200);
}

TEST_F(EmulatorRoutes, InjectedFaultsAndStatus) {
    auto r = request(port, "GET", "/api/sandbox", "", true,
                     "X-Daytona-Emulator-Fault: status:503;retry-after=2\r\n");
    EXPECT_EQ(r.status, 503);
    EXPECT_NE(r.head.find("Retry-After: 2"), std::string::npos);
    auto reset = request(port, "GET", "/api/health", "", true,
                         "X-Daytona-Emulator-Fault: reset-before-headers\r\n");
    EXPECT_EQ(reset.status, 0);  // no response at all
    auto cut = request(port, "GET", "/api/config", "", true,
                       "X-Daytona-Emulator-Fault: truncate-body\r\n");
    EXPECT_EQ(cut.status, 200);
    auto len = std::stoul(std::regex_replace(
        cut.head, std::regex("(?:.|\\r|\\n)*Content-Length: (\\d+)(?:.|\\r|\\n)*"), "$1"));
    EXPECT_LT(cut.body.size(), len);
}

TEST_F(EmulatorRoutes, PreviewTokenOpensOnlyItsOwnSandboxsToolbox) {
    auto a = make_sandbox();
    auto b = make_sandbox();
    auto link = request(port, "GET", "/api/sandbox/" + a + "/ports/3000/preview-url");
    ASSERT_EQ(link.status, 200);
    const auto token = json_field(link.body, "token");
    ASSERT_FALSE(token.empty());
    const auto with = "X-Daytona-Preview-Token: " + token + "\r\n";
    EXPECT_EQ(request(port, "GET", "/toolbox/" + a + "/version", "", false, with).status, 200);
    EXPECT_EQ(request(port, "GET", "/toolbox/" + a + "/version?DAYTONA_SANDBOX_AUTH_KEY=" + token,
                      "", false)
                  .status,
              200);
    EXPECT_EQ(request(port, "GET", "/toolbox/" + b + "/version", "", false, with).status, 401);
    EXPECT_EQ(request(port, "GET", "/toolbox/" + a + "/version", "", false,
                      "X-Daytona-Preview-Token: guess\r\n")
                  .status,
              401);
    EXPECT_EQ(request(port, "GET", "/toolbox/no-such/version", "", false, with).status, 401);
    request(port, "DELETE", "/api/sandbox/" + a);
    request(port, "DELETE", "/api/sandbox/" + b);
}

// Bulk upload streams each file to disk: a body well over the server's 64 MiB buffering limit
// goes through, which it could not if it were held in memory.
TEST_F(EmulatorRoutes, BulkUploadStreamsPastTheBufferLimit) {
    auto id = make_sandbox();
    const std::size_t size = 80u << 20;
    const std::string boundary = "test-boundary-7d1";
    const std::string head =
        "--" + boundary +
        "\r\nContent-Disposition: form-data; name=\"files[0].path\"\r\n\r\nbig.bin\r\n--" +
        boundary +
        "\r\nContent-Disposition: form-data; name=\"files[0].file\"; filename=\"big.bin\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n";
    const std::string tail = "\r\n--" + boundary + "--\r\n";
    asio::io_context io;
    asio::ip::tcp::socket s(io);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    std::string req = "POST /toolbox/" + id +
                      "/files/bulk-upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
                      "Authorization: Bearer " + emulator_key +
                      "\r\nContent-Type: multipart/form-data; boundary=" + boundary +
                      "\r\nContent-Length: " + std::to_string(head.size() + size + tail.size()) +
                      "\r\n\r\n" + head;
    asio::write(s, asio::buffer(req));
    const std::string block(1 << 20, 'z');
    for (std::size_t sent = 0; sent < size; sent += block.size())
        asio::write(s, asio::buffer(block));
    asio::write(s, asio::buffer(tail));
    std::string all;
    std::error_code ec;
    asio::read(s, asio::dynamic_buffer(all), ec);
    EXPECT_NE(all.find("HTTP/1.1 200"), std::string::npos) << all.substr(0, 300);
    EXPECT_NE(all.find("\"bytes\":" + std::to_string(size)), std::string::npos);
    EXPECT_EQ(std::filesystem::file_size(shared_emulator().data_dir() / "sandboxes" / id /
                                         "fs/home/daytona/big.bin"),
              size);
    request(port, "DELETE", "/api/sandbox/" + id);
}

TEST(EmulatorOptions, SandboxesSurviveARestartWithTheSameDataDir) {
    temp_dir dir;
    std::string id;
    {
        dt::emulator::emulator emu({.data_dir = dir.path, .api_key = emulator_key});
        ASSERT_TRUE(emu.start());
        auto r =
            request(emu.port(), "POST", "/api/sandbox", R"({"name":"keeper","labels":{"k":"v"}})");
        ASSERT_EQ(r.status, 200);
        id = json_field(r.body, "id");
        auto w = request(emu.port(), "POST", "/toolbox/" + id + "/process/execute",
                         R"({"command":"echo kept > note.txt"})");
        ASSERT_EQ(w.status, 200);
    }
    dt::emulator::emulator again({.data_dir = dir.path, .api_key = emulator_key});
    ASSERT_TRUE(again.start());
    auto got = request(again.port(), "GET", "/api/sandbox/keeper");
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(json_field(got.body, "id"), id);
    EXPECT_NE(got.body.find(R"("labels":{"k":"v"})"), std::string::npos);
    auto cat = request(again.port(), "POST", "/toolbox/" + id + "/process/execute",
                       R"({"command":"cat note.txt"})");
    EXPECT_NE(cat.body.find(R"("result":"kept\n")"), std::string::npos) << cat.body;
}

TEST(EmulatorOptions, RateLimitAnswers429WithRetryAfterPerThrottler) {
    dt::emulator::emulator emu({.api_key = emulator_key, .rate_limits = {"sandbox-create=2/60"}});
    ASSERT_TRUE(emu.start());
    for (int i = 0; i < 2; ++i) {
        auto ok = request(emu.port(), "POST", "/api/sandbox", "{}");
        EXPECT_EQ(ok.status, 200);
        EXPECT_NE(ok.head.find("X-RateLimit-Remaining-sandbox-create: " + std::to_string(1 - i)),
                  std::string::npos)
            << ok.head;
    }
    auto limited = request(emu.port(), "POST", "/api/sandbox", "{}");
    EXPECT_EQ(limited.status, 429);
    EXPECT_NE(limited.head.find("Retry-After-sandbox-create: "), std::string::npos) << limited.head;
    EXPECT_EQ(request(emu.port(), "GET", "/api/sandbox").status,
              200);  // other routes are not limited
}
