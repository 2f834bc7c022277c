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
