// SPDX-License-Identifier: Apache-2.0
// The emulator's edge cases, byte-level over loopback: unknown sandboxes, wrong states, bad
// JSON, missing auth, paths that try to leave the sandbox, faults and rate limits, and the
// WebSocket routes (PTY, interpreter) frame by frame; its route table, on its own and walked
// through the whole operation catalogue.
#include "routes.hpp"
#include "test_support.hpp"
#include "util.hpp"

#include <gtest/gtest.h>

#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/read_until.hpp>
#include <asio/write.hpp>

#include <daytona/api/operations.hpp>
#include <daytona/http/websocket.hpp>
#include <daytona/net/crypto.hpp>

#include <sys/socket.h>

#include <array>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <stdexcept>
#include <thread>

using namespace daytona_test;

namespace {

struct raw_response {
    int status = 0;
    std::string head, body;
};

/// Sends `req` (which asks for Connection: close) on a new connection and reads to the end.
raw_response exchange_bytes(std::uint16_t port, const std::string& req) {
    asio::io_context io;
    asio::ip::tcp::socket s(io);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
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

/// One request on its own connection (Connection: close), read to the end.
raw_response request(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body = {}, bool auth = true,
                     const std::string& extra = {}) {
    std::string req =
        method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (auth) req += std::string("Authorization: Bearer ") + emulator_key + "\r\n";
    req += extra;
    if (!body.empty() || method == "POST" || method == "PUT")
        req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\n";
    return exchange_bytes(port, req + "\r\n" + body);
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
    auto gpu = request(port, "POST", "/api/sandbox/" + id + "/resize", R"({"cpu":2,"gpu":1})");
    EXPECT_EQ(gpu.status, 400);
    EXPECT_NE(gpu.body.find("GPU cannot be resized"), std::string::npos) << gpu.body;
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

// An upload is written under a temporary name and renamed over its destination when complete:
// a body cut short leaves an existing file whole (and no temporary file behind), and a complete
// overwrite keeps the file's permission bits.
TEST_F(EmulatorRoutes, AnUploadCutShortLeavesTheExistingFileWhole) {
    namespace fs = std::filesystem;
    auto id = make_sandbox();
    const auto home = shared_emulator().data_dir() / "sandboxes" / id / "fs/home/daytona";
    auto made =
        request(port, "POST", "/toolbox/" + id + "/process/execute",
                R"({"command":"sh -c 'printf acknowledged > keep.txt && chmod 600 keep.txt'"})");
    ASSERT_EQ(made.status, 200) << made.body;
    const std::string boundary = "cut-short-boundary";
    const std::string head =
        "--" + boundary +
        "\r\nContent-Disposition: form-data; name=\"file\"; "
        "filename=\"keep.txt\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    const std::string tail = "\r\n--" + boundary + "--\r\n";
    asio::io_context io;
    // Sends the request head and `data` on `s`, announcing a file of `declared` bytes.
    const auto start_upload = [&](asio::ip::tcp::socket& s, const std::string& data,
                                  std::size_t declared) {
        s.connect({asio::ip::make_address("127.0.0.1"), port});
        asio::write(
            s, asio::buffer(
                   "POST /toolbox/" + id +
                   "/files/upload?path=keep.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                   "Authorization: Bearer " +
                   emulator_key + "\r\nContent-Type: multipart/form-data; boundary=" + boundary +
                   "\r\nContent-Length: " + std::to_string(head.size() + declared + tail.size()) +
                   "\r\n\r\n" + head + data));
    };
    const auto leftovers = [&] {
        int n = 0;
        for (const auto& e : fs::directory_iterator(home))
            n += e.path().filename().string().find(".upload-") != std::string::npos;
        return n;
    };
    const auto wait_for_leftovers = [&](int want) {
        for (int i = 0; i < 500 && leftovers() != want; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return leftovers();
    };
    // Where the emulator records the uploads under way, for a restart after a crash.
    const auto in_flight = shared_emulator().data_dir() / "sandboxes" / id / "uploads";
    const auto records = [&] {
        std::vector<fs::path> out;
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(in_flight, ec))
            out.push_back(fs::read_symlink(e.path()));
        return out;
    };
    {
        // 1 MiB announced, 64 KiB sent: the upload is under way (its temporary file exists,
        // recorded as in flight) and the file is still whole; then the connection drops.
        asio::ip::tcp::socket s(io);
        start_upload(s, std::string(64 << 10, 'x'), 1 << 20);
        ASSERT_EQ(wait_for_leftovers(1), 1);
        auto recorded = records();
        ASSERT_EQ(recorded.size(), 1u);
        EXPECT_EQ(recorded[0].parent_path(), home);
        EXPECT_TRUE(fs::exists(recorded[0]));
    }
    EXPECT_EQ(wait_for_leftovers(0), 0);
    EXPECT_TRUE(records().empty());
    std::ifstream in(home / "keep.txt", std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "acknowledged");
    const auto upload = [&](const std::string& data) {
        asio::ip::tcp::socket s(io);
        start_upload(s, data, data.size());
        asio::write(s, asio::buffer(tail));
        std::string all;
        std::error_code ec;
        asio::read(s, asio::dynamic_buffer(all), ec);
        return all;
    };
    auto reply = upload("replaced");
    EXPECT_NE(reply.find("HTTP/1.1 200"), std::string::npos) << reply.substr(0, 300);
    std::ifstream again(home / "keep.txt", std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(again), {}), "replaced");
    EXPECT_EQ(fs::status(home / "keep.txt").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_EQ(leftovers(), 0);
    EXPECT_TRUE(records().empty());
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

// An upload that a crash cut off leaves its temporary file and its record; the next start
// removes both, and nothing the record names that is not an upload's temporary file.
// (daytona_crash_restart checks the same after a real SIGKILL under load.)
TEST(EmulatorOptions, UploadsCutOffByACrashLeaveNothingAfterARestart) {
    namespace fs = std::filesystem;
    temp_dir dir;
    std::string id;
    {
        dt::emulator::emulator emu({.data_dir = dir.path, .api_key = emulator_key});
        ASSERT_TRUE(emu.start());
        auto r = request(emu.port(), "POST", "/api/sandbox", "{}");
        ASSERT_EQ(r.status, 200) << r.body;
        id = json_field(r.body, "id");
    }
    // What a crash in the middle of an upload of report.txt leaves on disk.
    const auto sandbox = dir.path / "sandboxes" / id;
    const auto home = sandbox / "fs/home/daytona";
    const auto temp = home / ".report.txt.upload-0123456789ab";
    std::ofstream(temp) << "half an upload";
    std::ofstream(home / "notes.txt") << "the user's own";
    std::ofstream(home / ".draft.upload-mine") << "the user's own, named like one";
    fs::create_directories(sandbox / "uploads");
    fs::create_symlink(temp, sandbox / "uploads/0123456789ab");
    fs::create_symlink(home / "notes.txt", sandbox / "uploads/tampered");
    fs::create_symlink(home / ".gone.upload-ba9876543210", sandbox / "uploads/ba9876543210");

    dt::emulator::emulator again({.data_dir = dir.path, .api_key = emulator_key});
    ASSERT_TRUE(again.start());
    EXPECT_FALSE(fs::exists(temp));
    EXPECT_TRUE(fs::is_empty(sandbox / "uploads"));
    EXPECT_TRUE(fs::exists(home / "notes.txt"));
    EXPECT_TRUE(fs::exists(home / ".draft.upload-mine"));
    auto ls = request(again.port(), "GET", "/toolbox/" + id + "/files?path=.");
    ASSERT_EQ(ls.status, 200) << ls.body;
    EXPECT_EQ(ls.body.find("report.txt"), std::string::npos) << ls.body;
}

// Sandboxes have /home and /tmp of their own, which hide the host's. A host directory named in
// host_dirs (here one under /tmp, named with a detour) is seen at its own path, read-only; "/"
// names nothing hidden and is ignored; without host_dirs, the directory is hidden.
TEST(EmulatorOptions, HostDirsAreSeenReadOnlyAtTheirOwnPath) {
    temp_dir shared;
    std::ofstream(shared.path / "tool.txt") << "from the host";
    const auto run = [&](dt::emulator::emulator& emu, const std::string& command) {
        auto made = request(emu.port(), "POST", "/api/sandbox", "{}");
        EXPECT_EQ(made.status, 200) << made.body;
        const auto id = json_field(made.body, "id");
        auto r = request(emu.port(), "POST", "/toolbox/" + id + "/process/execute",
                         R"({"command":")" + command + R"("})");
        EXPECT_EQ(r.status, 200) << r.body;
        return r.body;
    };
    const auto cat = "cat " + (shared.path / "tool.txt").string();
    const auto touch = "sh -c 'touch " + (shared.path / "new.txt").string() + " || echo refused'";
    {
        std::filesystem::create_directory(shared.path / "sub");
        dt::emulator::emulator emu(
            {.api_key = emulator_key, .host_dirs = {"/", shared.path / "sub" / ".."}});
        ASSERT_TRUE(emu.start());
        EXPECT_NE(run(emu, cat).find(R"("result":"from the host")"), std::string::npos);
        EXPECT_NE(run(emu, touch).find("refused"), std::string::npos);
        EXPECT_FALSE(std::filesystem::exists(shared.path / "new.txt"));
    }
    dt::emulator::emulator hidden({.api_key = emulator_key});
    ASSERT_TRUE(hidden.start());
    auto body = run(hidden, cat);
    EXPECT_NE(body.find("No such file"), std::string::npos) << body;
}

// A state change that a crash cut off is settled when the emulator starts again: nothing is
// left in a state that nobody drives any more.
TEST(EmulatorOptions, StateChangesCutOffByACrashAreSettledAtStart) {
    temp_dir dir;
    std::map<std::string, std::string> ids;  // the state written on disk -> sandbox id
    {
        dt::emulator::emulator emu({.data_dir = dir.path, .api_key = emulator_key});
        ASSERT_TRUE(emu.start());
        for (std::string state : {"stopping", "starting", "destroying", "pending_build"}) {
            auto r =
                request(emu.port(), "POST", "/api/sandbox", R"({"name":"cut-)" + state + "\"}");
            ASSERT_EQ(r.status, 200) << r.body;
            ids[state] = json_field(r.body, "id");
        }
    }
    // What a crash in the middle of each change leaves on disk.
    for (const auto& [state, id] : ids) {
        const auto file = dir.path / "sandboxes" / id / "sandbox.json";
        std::string text = dt::emulator::read_file(file).value_or("");
        const std::string from = R"("state":"started")";
        auto at = text.find(from);
        ASSERT_NE(at, std::string::npos) << text;
        text.replace(at, from.size(), R"("state":")" + state + "\"");
        std::ofstream(file, std::ios::trunc) << text;
    }
    dt::emulator::emulator again({.data_dir = dir.path, .api_key = emulator_key});
    ASSERT_TRUE(again.start());
    auto state_of = [&](const std::string& id) {
        auto r = request(again.port(), "GET", "/api/sandbox/" + id);
        return r.status == 200 ? json_field(r.body, "state") : std::to_string(r.status);
    };
    EXPECT_EQ(state_of(ids["stopping"]), "stopped");
    EXPECT_EQ(state_of(ids["starting"]), "error");
    EXPECT_EQ(state_of(ids["pending_build"]), "build_failed");
    EXPECT_EQ(state_of(ids["destroying"]), "404");
    auto failed = request(again.port(), "GET", "/api/sandbox/" + ids["starting"]);
    EXPECT_NE(failed.body.find("stopped while the sandbox was starting"), std::string::npos)
        << failed.body;
    EXPECT_NE(failed.body.find(R"("recoverable":true)"), std::string::npos) << failed.body;
    // recover() brings it back.
    auto recovered = request(again.port(), "POST", "/api/sandbox/" + ids["starting"] + "/recover");
    EXPECT_EQ(recovered.status, 200) << recovered.body;
}

// Snapshots and volumes are kept as the DTOs the API returns, so they survive a restart too; the
// files earlier versions of the emulator wrote (an empty organizationId, a null entrypoint) load.
TEST(EmulatorOptions, SnapshotsAndVolumesSurviveARestartAndOlderFilesLoad) {
    temp_dir dir;
    std::string snap_id, vol_id;
    {
        // Builds emulated: the snapshot is recorded, not built (its context was never uploaded).
        dt::emulator::emulator emu(
            {.data_dir = dir.path, .api_key = emulator_key, .builds = "emulated"});
        ASSERT_TRUE(emu.start());
        auto snap = request(
            emu.port(), "POST", "/api/snapshots",
            R"({"name":"kept-snap","buildInfo":{"contextHashes":["h1"],"dockerfileContent":"FROM alpine:3.20\n"}})");
        ASSERT_EQ(snap.status, 200) << snap.body;
        snap_id = json_field(snap.body, "id");
        auto vol = request(emu.port(), "POST", "/api/volumes", R"({"name":"kept-vol"})");
        ASSERT_EQ(vol.status, 200) << vol.body;
        vol_id = json_field(vol.body, "id");
    }
    const auto write = [](const std::filesystem::path& p, std::string_view text) {
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p) << text;
    };
    write(dir.path / "snapshots" / "old-snap.json",
          R"({"id":"old-snap","organizationId":"","general":false,"name":"old-snap",)"
          R"("imageName":"python:3.12","state":"active","size":null,"entrypoint":null,"cpu":1,)"
          R"("gpu":0,"mem":1,"disk":3,"errorReason":null,"createdAt":"2025-01-01T00:00:00.000Z",)"
          R"("updatedAt":"2025-01-01T00:00:00.000Z","lastUsedAt":null,"regionIds":["us"],)"
          R"("sourceSandboxId":null,"sandboxClass":"container"})");
    write(dir.path / "volumes" / "old-vol" / "volume.json",
          R"({"id":"old-vol","name":"old-vol","organizationId":"","state":"ready",)"
          R"("createdAt":"2025-01-01T00:00:00.000Z","updatedAt":"2025-01-01T00:00:00.000Z",)"
          R"("lastUsedAt":null,"errorReason":null})");

    dt::emulator::emulator again({.data_dir = dir.path, .api_key = emulator_key});
    ASSERT_TRUE(again.start());
    auto snap = request(again.port(), "GET", "/api/snapshots/kept-snap");
    ASSERT_EQ(snap.status, 200) << snap.body;
    EXPECT_EQ(json_field(snap.body, "id"), snap_id);
    EXPECT_EQ(json_field(snap.body, "state"), "active");
    EXPECT_NE(snap.body.find(R"("contextHashes":["h1"])"), std::string::npos) << snap.body;
    auto vol = request(again.port(), "GET", "/api/volumes/by-name/kept-vol");
    ASSERT_EQ(vol.status, 200) << vol.body;
    EXPECT_EQ(json_field(vol.body, "id"), vol_id);

    auto old_snap = request(again.port(), "GET", "/api/snapshots/old-snap");
    ASSERT_EQ(old_snap.status, 200) << old_snap.body;
    EXPECT_EQ(json_field(old_snap.body, "organizationId"), "emulator-organization");
    EXPECT_NE(old_snap.body.find(R"("entrypoint":[])"), std::string::npos) << old_snap.body;
    auto old_vol = request(again.port(), "GET", "/api/volumes/old-vol");
    ASSERT_EQ(old_vol.status, 200) << old_vol.body;
    EXPECT_EQ(json_field(old_vol.body, "organizationId"), "emulator-organization");
    EXPECT_EQ(json_field(old_vol.body, "state"), "ready");
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

namespace {

namespace ws = daytona::http::websocket;

/// A blocking WebSocket client, enough to drive the PTY and interpreter routes byte by byte.
class ws_client {
public:
    /// Sends the upgrade; `head` holds the response head, `status` its status.
    ws_client(std::uint16_t port, const std::string& target, const std::string& protocols = {})
        : sock_(io_) {
        sock_.connect({asio::ip::make_address("127.0.0.1"), port});
        timeval tv{10, 0};  // a route that never answers fails the test instead of hanging it
        ::setsockopt(sock_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        std::string req = "GET " + target +
                          " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " +
                          std::string(emulator_key) + "\r\n";
        if (!protocols.empty()) req += "Sec-WebSocket-Protocol: " + protocols + "\r\n";
        asio::write(sock_, asio::buffer(req + "\r\n"));
        std::string buf;
        std::error_code ec;
        auto n = asio::read_until(sock_, asio::dynamic_buffer(buf), "\r\n\r\n", ec);
        if (ec) return;
        head = buf.substr(0, n);
        status = std::stoi(head.substr(9, 3));
        if (status != 101) {  // a refusal: its body, by its length
            std::smatch length;
            if (std::regex_search(head, length, std::regex("Content-Length: (\\d+)"))) {
                const auto size = n + std::stoul(length[1].str());
                if (buf.size() < size)
                    asio::read(sock_, asio::dynamic_buffer(buf),
                               asio::transfer_exactly(size - buf.size()), ec);
                body = buf.substr(n);
            }
            return;
        }
        decoder_.feed(std::string_view(buf).substr(n));
    }

    void send(ws::opcode op, std::string_view payload) {
        std::string frame;
        ws::append_frame(frame, op, payload, true, std::array<std::uint8_t, 4>{1, 2, 3, 4});
        asio::write(sock_, asio::buffer(frame));
    }
    void send_text(std::string_view s) { send(ws::opcode::text, s); }

    /// The next message (a close message included); nullopt on timeout or a dropped connection.
    std::optional<ws::message> next() {
        for (;;) {
            auto m = decoder_.next();
            if (!m) return std::nullopt;
            if (*m) return std::move(**m);
            char buf[4096];
            std::error_code ec;
            auto n = sock_.read_some(asio::buffer(buf), ec);
            if (ec) return std::nullopt;
            decoder_.feed(std::string_view(buf, n));
        }
    }

    /// Reads messages until `pred` holds for one (returned) or the socket ends (nullopt).
    template <class Pred>
    std::optional<ws::message> until(Pred pred) {
        for (;;) {
            auto m = next();
            if (!m || pred(*m)) return m;
            seen += m->payload;
        }
    }
    /// Reads until the close frame; returns it.
    std::optional<ws::message> close_frame() {
        return until([](const ws::message& m) { return m.op == ws::opcode::close; });
    }

    int status = 0;
    std::string head;
    std::string body;  ///< the body of a refusal (status not 101)
    std::string seen;  ///< payloads passed over by until()

private:
    asio::io_context io_;
    asio::ip::tcp::socket sock_;
    ws::decoder decoder_{ws::role::client};
};

}  // namespace

TEST_F(EmulatorRoutes, PtyValidatesAndReportsHowTheShellEnded) {
    auto id = make_sandbox();
    const auto pty = "/toolbox/" + id + "/process/pty";
    EXPECT_EQ(request(port, "POST", pty, R"({"id":"../up"})").status, 400);
    EXPECT_EQ(request(port, "POST", pty, R"({"id":"t","cols":1001})").status, 400);
    EXPECT_EQ(request(port, "POST", pty, R"({"id":"t","cwd":"/nope"})").status, 400);
    EXPECT_EQ(request(port, "POST", pty, R"({"id":"t","envs":{"A B":"x"}})").status, 400);
    auto made = request(port, "POST", pty, R"({"id":"t","lazyStart":true,"envs":{"K":"v"}})");
    ASSERT_EQ(made.status, 201) << made.body;
    EXPECT_EQ(made.body, R"({"sessionId":"t"})");
    EXPECT_EQ(request(port, "POST", pty, R"({"id":"t"})").status, 409);
    auto info = request(port, "GET", pty + "/t");
    EXPECT_NE(info.body.find(R"("active":false)"), std::string::npos) << info.body;
    EXPECT_NE(info.body.find(R"("lazyStart":true)"), std::string::npos) << info.body;
    EXPECT_EQ(request(port, "POST", pty + "/t/resize", R"({"cols":0,"rows":10})").status, 400);
    EXPECT_EQ(request(port, "POST", pty + "/t/resize", R"({"cols":10})").status, 400);
    EXPECT_EQ(request(port, "GET", pty + "/t/connect").status, 426);  // not an upgrade
    EXPECT_EQ(request(port, "GET", pty + "/nope").status, 404);
    EXPECT_EQ(request(port, "DELETE", pty + "/nope").status, 404);

    // Attaching starts the lazy shell. Ctrl+C interrupts `sleep` through the terminal's line
    // discipline, and the shell's exit status (130) is reported as "Ctrl+C".
    ws_client c(port, pty + "/t/connect", "X-Daytona-Pty-Exit-Control");
    ASSERT_EQ(c.status, 101) << c.head;
    EXPECT_NE(c.head.find("Sec-WebSocket-Protocol: X-Daytona-Pty-Exit-Control"), std::string::npos);
    auto hello = c.next();
    ASSERT_TRUE(hello);
    EXPECT_EQ(hello->payload, R"({"type":"control","status":"connected"})");
    c.send(ws::opcode::binary, "sh -c 'echo \"[$K]\"; exec sleep 30'\n");
    ASSERT_TRUE(c.until([](auto& m) { return m.payload.find("[v]") != std::string::npos; }));
    // The child printed, so it runs; give bash a moment to hand it the terminal (tcsetpgrp),
    // or the ^C would go to bash itself.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    c.send(ws::opcode::binary, "\x03");
    c.send(ws::opcode::text, "exit\n");  // text frames are input too
    auto exited =
        c.until([](auto& m) { return m.payload.find("\"exited\"") != std::string::npos; });
    ASSERT_TRUE(exited);
    EXPECT_EQ(exited->payload,
              R"({"type":"control","status":"exited","exitCode":130,"exitReason":"Ctrl+C"})");
    auto bye = c.close_frame();
    ASSERT_TRUE(bye);
    EXPECT_EQ(bye->close_code(), 1011);
    EXPECT_EQ(bye->close_reason(), R"({"exitCode":130,"exitReason":"Ctrl+C"})");
    EXPECT_EQ(request(port, "POST", pty + "/t/resize", R"({"cols":10,"rows":10})").status, 410);

    // A client that reconnects to an ended PTY hears how it ended, and nothing else.
    ws_client late(port, pty + "/t/connect");
    ASSERT_EQ(late.status, 101);
    auto late_close = late.close_frame();
    ASSERT_TRUE(late_close);
    EXPECT_EQ(late_close->close_code(), 1011);
    EXPECT_EQ(late.seen, "");  // no exit-control message: it was not negotiated

    // A clean exit closes 1000 with {"exitCode":0}.
    ws_client clean(port, pty + "/create-connect?id=c2&cols=90&rows=20",
                    "X-Daytona-Pty-Envs~" + daytona::net::base64url_encode(R"({"Z":"zz"})") +
                        ", X-Daytona-Pty-Exit-Control");
    ASSERT_EQ(clean.status, 101) << clean.head;
    clean.send(ws::opcode::binary, "echo \"<$Z>\"; exit\n");
    auto clean_close = clean.close_frame();
    ASSERT_TRUE(clean_close);
    EXPECT_NE(clean.seen.find("<zz>"), std::string::npos) << clean.seen;
    EXPECT_NE(clean.seen.find(R"("status":"exited","exitCode":0})"), std::string::npos);
    EXPECT_EQ(clean_close->close_code(), 1000);
    EXPECT_EQ(clean_close->close_reason(), R"({"exitCode":0})");
    EXPECT_EQ(ws_client(port, pty + "/create-connect?id=c3", "X-Daytona-Pty-Envs~%%%").status, 400);
    request(port, "DELETE", "/api/sandbox/" + id);
}

TEST_F(EmulatorRoutes, StoppingTheSandboxEndsItsTerminals) {
    auto id = make_sandbox();
    ws_client c(port, "/toolbox/" + id + "/process/pty/create-connect?id=s",
                "X-Daytona-Pty-Exit-Control");
    ASSERT_EQ(c.status, 101);
    // A job in its own process group (the shell has job control) must end too.
    c.send(ws::opcode::binary, "sleep 3002 & echo st\"\"arted\n");
    ASSERT_TRUE(c.until([](auto& m) { return m.payload.find("started") != std::string::npos; }));
    EXPECT_EQ(request(port, "POST", "/api/sandbox/" + id + "/stop").status, 200);
    auto bye = c.close_frame();
    ASSERT_TRUE(bye);
    EXPECT_EQ(bye->close_reason(), R"({"exitCode":137,"exitReason":"SIGKILL"})");
    auto left = request(port, "POST", "/api/sandbox/" + id + "/start");
    EXPECT_EQ(left.status, 200);
    auto ps = request(port, "POST", "/toolbox/" + id + "/process/execute",
                      R"({"command":"pgrep -f '[s]leep 3002' || echo none"})");
    EXPECT_NE(ps.body.find(R"("result":"none\n")"), std::string::npos) << ps.body;
    request(port, "DELETE", "/api/sandbox/" + id);
}

TEST_F(EmulatorRoutes, InterpreterRejectsBadRequestsAndRecoversFromTimeoutsAndCrashes) {
    auto id = make_sandbox();
    const auto base = "/toolbox/" + id + "/process/interpreter";
    EXPECT_EQ(request(port, "POST", base + "/context", R"({"language":"javascript"})").status, 400);
    EXPECT_EQ(request(port, "POST", base + "/context", R"({"cwd":"/missing"})").status, 400);
    EXPECT_EQ(request(port, "DELETE", base + "/context/nope").status, 404);
    EXPECT_EQ(request(port, "DELETE", base + "/context/default").status, 404);  // not deletable
    auto run = [&](const std::string& request_json) {
        ws_client c(port, base + "/execute");
        EXPECT_EQ(c.status, 101);
        c.send_text(request_json);
        return std::pair(c.close_frame(), c.seen);
    };
    auto [bad, bad_seen] = run("{not json");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->close_code(), 1008);
    auto [unknown, unknown_seen] = run(R"j({"code":"1","contextId":"nope"})j");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->close_code(), 1008);
    EXPECT_NE(unknown->close_reason().find("nope"), std::string::npos);

    // A timeout interrupts the code (KeyboardInterrupt) and keeps the context's variables.
    auto [slow, slow_seen] =
        run(R"j({"code":"kept = 7\nimport time\ntime.sleep(20)","timeout":1})j");
    ASSERT_TRUE(slow);
    EXPECT_EQ(slow->close_code(), 4008);
    auto [after, after_seen] = run(R"j({"code":"print(kept)"})j");
    EXPECT_EQ(after_seen,
              R"j({"type":"stdout","text":"7\n"}{"type":"control","text":"completed"})j");

    // Output split inside a UTF-8 character still arrives as valid text, whole.
    auto [utf, utf_seen] = run(
        R"j({"code":"import os, time\nos.write(1, 'é'.encode()[:1]); time.sleep(0.3)\nos.write(1, 'é'.encode()[1:] + b'\\n')"})j");
    EXPECT_NE(utf_seen.find(R"("text":"é\n")"), std::string::npos) << utf_seen;

    // The driver dying is reported, and the next execution starts a fresh one.
    auto [crash, crash_seen] = run(R"j({"code":"import os\nos._exit(3)"})j");
    EXPECT_NE(crash_seen.find(R"("name":"InterpreterExited")"), std::string::npos) << crash_seen;
    EXPECT_NE(crash_seen.find(R"("text":"completed")"), std::string::npos) << crash_seen;
    auto [fresh, fresh_seen] = run(R"j({"code":"print('kept' in globals())"})j");
    EXPECT_NE(fresh_seen.find(R"("text":"False\n")"), std::string::npos) << fresh_seen;
    request(port, "DELETE", "/api/sandbox/" + id);
}

TEST_F(EmulatorRoutes, LspRejectsBadRequestsAndForgetsADeadServer) {
    auto id = make_sandbox();
    const auto lsp = "/toolbox/" + id + "/lsp";
    auto body = [](const std::string& language, const std::string& project) {
        return R"({"languageId":")" + language + R"(","pathToProject":")" + project + R"("})";
    };
    EXPECT_EQ(request(port, "POST", lsp + "/start", body("cobol", ".")).status, 400);
    EXPECT_EQ(request(port, "POST", lsp + "/start", body("python", "/missing")).status, 400);
    EXPECT_EQ(request(port, "POST", lsp + "/start", body("python", "/../../etc")).status, 400);
    auto not_started =
        request(port, "POST", lsp + "/did-open",
                R"({"languageId":"python","pathToProject":".","uri":"file:///x.py"})");
    EXPECT_EQ(not_started.status, 400);
    EXPECT_NE(not_started.body.find("POST /lsp/start first"), std::string::npos);
    EXPECT_EQ(request(port, "GET", lsp + "/start").status, 404);  // wrong method
    // No desktop here: computer use answers as the daemon does without its plugin.
    EXPECT_EQ(request(port, "GET", "/toolbox/" + id + "/computeruse/status").status, 503);
    // tools/run.sh installs pylsp (tools/packages.txt): without it this fails, it never skips.
    ASSERT_FALSE(daytona::emulator::find_program("pylsp").empty())
        << "pylsp is not installed: run tools/run.sh test, or apt install python3-pylsp";
    ASSERT_EQ(request(port, "POST", lsp + "/start", body("python", ".")).status, 200);
    EXPECT_EQ(request(port, "POST", lsp + "/start", body("python", ".")).status,
              200);  // idempotent
    auto outside = request(port, "POST", lsp + "/did-open",
                           R"({"languageId":"python","pathToProject":".","uri":"http://x/y.py"})");
    EXPECT_EQ(outside.status, 400);
    // The server dies (this sandbox's only: tests run in parallel): the next request says so, and a
    // new start brings up a fresh one.
    request(
        port, "POST", "/toolbox/" + id + "/process/execute",
        R"({"command":"for p in $(pgrep -f '[p]ylsp'); do grep -qz \"^DAYTONA_SANDBOX_ID=$DAYTONA_SANDBOX_ID$\" /proc/$p/environ 2>/dev/null && kill -KILL $p; done; true"})");
    auto dead =
        request(port, "GET", lsp + "/workspacesymbols?query=x&languageId=python&pathToProject=.");
    EXPECT_EQ(dead.status, 500) << dead.body;
    EXPECT_NE(dead.body.find("exited"), std::string::npos) << dead.body;
    ASSERT_EQ(request(port, "POST", lsp + "/start", body("python", ".")).status, 200);
    auto again =
        request(port, "GET", lsp + "/workspacesymbols?query=x&languageId=python&pathToProject=.");
    EXPECT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.body, "[]");
    EXPECT_EQ(request(port, "POST", lsp + "/stop", body("python", ".")).status, 200);
    request(port, "DELETE", "/api/sandbox/" + id);
}

// The daemon writes the command to a shell's stdin: a command that reads stdin gets the rest of
// the script, and a command longer than one argument may be (128 KiB on Linux) still runs.
TEST_F(EmulatorRoutes, ExecuteFeedsTheCommandToTheShellsStdin) {
    auto id = make_sandbox();
    const auto exec = "/toolbox/" + id + "/process/execute";
    auto reads = request(port, "POST", exec,
                         R"({"command":"read line; echo \"got:$line\"\nthe-next-line"})");
    EXPECT_NE(reads.body.find(R"("result":"got:the-next-line\n")"), std::string::npos)
        << reads.body;
    const std::string filler(200 * 1024, 'x');
    auto big = request(port, "POST", exec, R"({"command":": )" + filler + R"(; echo big-ok"})");
    EXPECT_NE(big.body.find(R"("result":"big-ok\n")"), std::string::npos)
        << big.body.substr(0, 300);
    request(port, "DELETE", "/api/sandbox/" + id);
}

namespace {

/// A request to a preview host: the emulator is addressed by IP, the Host header names the
/// preview (what a client resolving *.localhost to loopback sends).
raw_response preview_request(std::uint16_t port, const std::string& host, const std::string& method,
                             const std::string& target, const std::string& extra = {},
                             const std::string& body = {}) {
    std::string req =
        method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n" + extra;
    if (!body.empty()) req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    return exchange_bytes(port, req + "\r\n" + body);
}

/// An HTTP server for a sandbox to run: it answers with what it received as JSON, and after an
/// Upgrade echoes bytes upper-cased. It binds port 0 and writes the port to port.txt.
constexpr std::string_view echo_server_py = R"(import http.server, json
class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def answer(self):
        if self.headers.get("Upgrade"):
            self.send_response(101)
            self.send_header("Upgrade", self.headers["Upgrade"])
            self.send_header("Connection", "Upgrade")
            self.end_headers()
            self.wfile.flush()
            while True:
                data = self.connection.recv(65536)
                if not data: break
                self.connection.sendall(data.upper())
            self.close_connection = True
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        out = json.dumps({"method": self.command, "path": self.path, "body": body,
                          "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    do_GET = do_POST = do_PUT = answer
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
open("port.txt.tmp", "w").write(str(server.server_address[1]))
import os; os.rename("port.txt.tmp", "port.txt")
server.serve_forever()
)";

/// `{"command": command}`.
std::string command_json(const std::string& command) {
    std::string out;
    dt::json::writer w(out);
    w.begin_object().member("command", command).end_object();
    return out;
}

/// Starts the echo server in the sandbox and returns its port (0 if it did not come up).
int start_echo_server(std::uint16_t port, const std::string& id) {
    const auto exec = "/toolbox/" + id + "/process/execute";
    request(port, "POST", exec,
            command_json("cat > echo_server.py <<'PY'\n" + std::string(echo_server_py) +
                         "PY\nnohup python3 echo_server.py > server.log 2>&1 &"));
    for (int i = 0; i < 200; ++i) {
        auto r = request(port, "POST", exec, command_json("cat port.txt 2>/dev/null"));
        auto m = std::regex_replace(r.body, std::regex(R"(.*"result":"(\d*)\\?n?".*)"), "$1");
        if (!m.empty() && std::isdigit(static_cast<unsigned char>(m[0]))) return std::stoi(m);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
}

}  // namespace

// Nothing of the emulator's leaks into a sandbox process: before this was fixed, a background
// server kept the emulator's listening socket (and other clients' connections) open.
TEST_F(EmulatorRoutes, SandboxProcessesInheritNoEmulatorDescriptors) {
    auto id = make_sandbox();
    auto r = request(port, "POST", "/toolbox/" + id + "/process/execute",
                     command_json("for f in /proc/$$/fd/*; do readlink $f; done"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body.find("socket:"), std::string::npos) << r.body;
    request(port, "DELETE", "/api/sandbox/" + id);
}

TEST_F(EmulatorRoutes, PreviewUrlsRelayToTheSandboxsPortAndNowhereElse) {
    auto id = make_sandbox();
    const int app = start_echo_server(port, id);
    ASSERT_GT(app, 0);
    const auto tb = "/toolbox/" + id;
    const auto app_port = std::to_string(app);

    // The toolbox lists the port, and the in-use check agrees.
    auto ports = request(port, "GET", tb + "/port");
    EXPECT_NE(ports.body.find(app_port), std::string::npos) << ports.body;
    EXPECT_NE(request(port, "GET", tb + "/port/" + app_port + "/in-use").body.find("true"),
              std::string::npos);
    EXPECT_NE(
        request(port, "GET", tb + "/port/" + std::to_string(port) + "/in-use").body.find("false"),
        std::string::npos);  // the emulator's own port is not the sandbox's
    EXPECT_EQ(request(port, "GET", tb + "/port/70000/in-use").status, 400);

    auto link = request(port, "GET", "/api/sandbox/" + id + "/ports/" + app_port + "/preview-url");
    ASSERT_EQ(link.status, 200);
    const auto host = app_port + "-" + id + ".proxy.localhost:" + std::to_string(port);
    EXPECT_EQ(json_field(link.body, "url"), "http://" + host);
    const auto token = json_field(link.body, "token");

    // A private sandbox's preview needs its token (header or query) or the API key.
    EXPECT_EQ(preview_request(port, host, "GET", "/").status, 401);
    EXPECT_EQ(preview_request(port, host, "GET", "/", "X-Daytona-Preview-Token: guess\r\n").status,
              401);
    auto posted = preview_request(port, host, "POST", "/echo?x=1&DAYTONA_SANDBOX_AUTH_KEY=" + token,
                                  "X-App: kept\r\n", "ping");
    ASSERT_EQ(posted.status, 200) << posted.head << posted.body;
    EXPECT_NE(posted.body.find(R"("method": "POST")"), std::string::npos) << posted.body;
    EXPECT_NE(posted.body.find(R"("path": "/echo?x=1")"), std::string::npos);  // token removed
    EXPECT_NE(posted.body.find(R"("body": "ping")"), std::string::npos);
    EXPECT_NE(posted.body.find(R"("x-app": "kept")"), std::string::npos);
    EXPECT_NE(posted.body.find(R"("x-forwarded-host": ")" + host), std::string::npos);
    auto with_key = preview_request(port, host, "GET", "/k",
                                    std::string("Authorization: Bearer ") + emulator_key + "\r\n");
    ASSERT_EQ(with_key.status, 200);
    EXPECT_EQ(with_key.body.find("authorization"), std::string::npos);  // the key stays here
    EXPECT_EQ(with_key.body.find(emulator_key), std::string::npos);
    auto with_header =
        preview_request(port, host, "GET", "/h", "X-Daytona-Preview-Token: " + token + "\r\n");
    ASSERT_EQ(with_header.status, 200);
    EXPECT_EQ(with_header.body.find(token), std::string::npos);

    // An Upgrade becomes a two-way pipe.
    {
        asio::io_context io;
        asio::ip::tcp::socket s(io);
        s.connect({asio::ip::make_address("127.0.0.1"), port});
        const std::string up = "GET /ws HTTP/1.1\r\nHost: " + host +
                               "\r\nUpgrade: shout\r\nConnection: Upgrade\r\n"
                               "X-Daytona-Preview-Token: " +
                               token + "\r\n\r\n";
        asio::write(s, asio::buffer(up));
        std::string got;
        auto n = asio::read_until(s, asio::dynamic_buffer(got), "\r\n\r\n");
        EXPECT_EQ(got.substr(0, 12), "HTTP/1.1 101") << got;
        got.erase(0, n);
        asio::write(s, asio::buffer(std::string("hello, pipe")));
        std::array<char, 11> echoed{};
        asio::read(s, asio::buffer(echoed));
        EXPECT_EQ(std::string(echoed.data(), echoed.size()), "HELLO, PIPE");
    }

    // A signed URL needs nothing else, only for its port, until it is expired.
    auto signed_link =
        request(port, "GET", "/api/sandbox/" + id + "/ports/" + app_port + "/signed-preview-url");
    const auto signed_token = json_field(signed_link.body, "token");
    const auto signed_host = app_port + "-" + signed_token + ".proxy.localhost";
    EXPECT_EQ(json_field(signed_link.body, "url"),
              "http://" + signed_host + ":" + std::to_string(port));
    EXPECT_EQ(preview_request(port, signed_host, "GET", "/s").status, 200);
    EXPECT_EQ(preview_request(port, "1-" + signed_token + ".proxy.localhost", "GET", "/s").status,
              401);  // another port
    EXPECT_EQ(request(port, "POST",
                      "/api/sandbox/" + id + "/ports/" + app_port + "/signed-preview-url/" +
                          signed_token + "/expire")
                  .status,
              200);
    EXPECT_EQ(preview_request(port, signed_host, "GET", "/s").status, 401);

    // Only ports the sandbox's processes listen on: not the emulator's own.
    const auto auth = std::string("Authorization: Bearer ") + emulator_key + "\r\n";
    EXPECT_EQ(preview_request(port, std::to_string(port) + "-" + id + ".proxy.localhost", "GET",
                              "/api/health", auth)
                  .status,
              502);
    EXPECT_EQ(preview_request(port, "x-" + id + ".proxy.localhost", "GET", "/", auth).status, 400);
    EXPECT_EQ(preview_request(port, "80-no-such-sandbox.proxy.localhost", "GET", "/", auth).status,
              404);
    // A stopped sandbox has no server any more.
    EXPECT_EQ(request(port, "POST", "/api/sandbox/" + id + "/stop").status, 200);
    EXPECT_EQ(preview_request(port, host, "GET", "/", auth).status, 409);
    request(port, "DELETE", "/api/sandbox/" + id);
}

TEST_F(EmulatorRoutes, UnknownToolboxRoutesAre404) {
    auto id = make_sandbox();
    const auto tb = "/toolbox/" + id;
    EXPECT_EQ(request(port, "POST", tb + "/git/frobnicate", "{}").status, 404);  // not 400 (path)
    EXPECT_EQ(request(port, "GET", tb + "/git/clone").status, 404);              // wrong method
    EXPECT_EQ(request(port, "GET", tb + "/port/80/owner").status, 404);
    EXPECT_EQ(request(port, "GET", tb + "/no-such-area").status, 404);
    EXPECT_EQ(request(port, "POST", tb + "/git/status", "{}").status, 404);  // status is a GET
    EXPECT_EQ(request(port, "GET", tb + "/git/status").status, 400);         // path is required
    request(port, "DELETE", "/api/sandbox/" + id);
}

TEST_F(EmulatorRoutes, ForksAndSandboxSnapshotsCopyTheFileTree) {
    const auto exec = [&](const std::string& id, const std::string& command) {
        return request(port, "POST", "/toolbox/" + id + "/process/execute", command_json(command));
    };
    auto a = make_sandbox();
    exec(a, "echo one > f.txt");
    auto forked = request(port, "POST", "/api/sandbox/" + a + "/fork", R"({"name":"fork-b"})");
    ASSERT_EQ(forked.status, 200) << forked.body;
    const auto b = json_field(forked.body, "id");
    EXPECT_EQ(json_field(forked.body, "state"), "started");
    auto again = request(port, "POST", "/api/sandbox/" + b + "/fork");  // no body, no name
    ASSERT_EQ(again.status, 200);
    const auto c = json_field(again.body, "id");
    EXPECT_NE(exec(c, "cat f.txt").body.find(R"("result":"one\n")"), std::string::npos);
    exec(c, "echo two > f.txt");  // a fork's tree is its own
    EXPECT_NE(exec(a, "cat f.txt").body.find(R"("result":"one\n")"), std::string::npos);
    EXPECT_EQ(request(port, "POST", "/api/sandbox/" + a + "/fork", R"({"name":"fork-b"})").status,
              409);

    EXPECT_EQ(json_field(request(port, "GET", "/api/sandbox/" + c + "/parent").body, "id"), b);
    EXPECT_EQ(request(port, "GET", "/api/sandbox/" + a + "/parent").status, 404);
    auto ancestors = request(port, "GET", "/api/sandbox/" + c + "/ancestors").body;
    EXPECT_LT(ancestors.find(b), ancestors.find(a)) << ancestors;  // nearest first
    auto forks = request(port, "GET", "/api/sandbox/" + a + "/forks").body;
    EXPECT_NE(forks.find(b), std::string::npos);
    EXPECT_EQ(forks.find(c), std::string::npos);  // a grandchild is not a fork of a

    const auto snap = "/api/sandbox/" + a + "/snapshot";
    EXPECT_EQ(request(port, "POST", snap, R"({"name":"s1","includeMemory":true})").status, 400);
    EXPECT_EQ(request(port, "POST", snap, R"({"name":""})").status, 400);
    auto taken = request(port, "POST", snap, R"({"name":"snap-of-a"})");
    ASSERT_EQ(taken.status, 200) << taken.body;
    EXPECT_EQ(json_field(taken.body, "state"), "started");
    EXPECT_EQ(request(port, "POST", snap, R"({"name":"snap-of-a"})").status, 409);
    auto record = request(port, "GET", "/api/snapshots/snap-of-a");
    EXPECT_EQ(json_field(record.body, "state"), "active");
    EXPECT_EQ(json_field(record.body, "sourceSandboxId"), a);
    const auto snap_id = json_field(record.body, "id");
    auto d = make_sandbox(R"({"snapshot":"snap-of-a"})");
    EXPECT_NE(exec(d, "cat f.txt").body.find(R"("result":"one\n")"), std::string::npos);

    // Stopped sandboxes can be forked; archived ones cannot.
    EXPECT_EQ(request(port, "POST", "/api/sandbox/" + a + "/stop").status, 200);
    auto from_stopped = request(port, "POST", "/api/sandbox/" + a + "/fork");
    EXPECT_EQ(from_stopped.status, 200);
    EXPECT_EQ(request(port, "POST", "/api/sandbox/" + a + "/archive").status, 200);
    EXPECT_EQ(request(port, "POST", "/api/sandbox/" + a + "/fork").status, 400);

    for (const auto& id : {a, b, c, d, json_field(from_stopped.body, "id")})
        EXPECT_EQ(request(port, "DELETE", "/api/sandbox/" + id).status, 200);
    EXPECT_EQ(request(port, "DELETE", "/api/snapshots/" + snap_id).status, 200);
    EXPECT_FALSE(
        std::filesystem::exists(shared_emulator().data_dir() / "snapshots" / (snap_id + ".files")));
}

// Browsers cannot set WebSocket headers: they offer X-Daytona-SDK-Version~<version> as a
// subprotocol, get it echoed, and the daemon reads their SDK version from it.
TEST_F(EmulatorRoutes, SessionLogsReadTheSdkVersionFromTheSubprotocol) {
    auto id = make_sandbox();
    const auto base = "/toolbox/" + id + "/process/session";
    ASSERT_EQ(request(port, "POST", base, R"({"sessionId":"s"})").status, 201);
    auto ran = request(port, "POST", base + "/s/exec", R"({"command":"echo out; echo err >&2"})");
    const auto cmd = json_field(ran.body, "cmdId");
    ASSERT_FALSE(cmd.empty()) << ran.body;
    const auto logs = base + "/s/command/" + cmd + "/logs?follow=true";
    const auto read_all = [](ws_client& c) {
        c.close_frame();
        return c.seen;
    };
    ws_client browser(port, logs, "X-Daytona-SDK-Version~0.218.0");
    ASSERT_EQ(browser.status, 101);
    EXPECT_NE(browser.head.find("Sec-WebSocket-Protocol: X-Daytona-SDK-Version~0.218.0"),
              std::string::npos);
    EXPECT_NE(read_all(browser).find("\x01\x01\x01out"), std::string::npos);  // 0.218: labelled
    ws_client old(port, logs);  // no version at all: the oldest format, markers stripped
    ASSERT_EQ(old.status, 101);
    EXPECT_EQ(old.head.find("Sec-WebSocket-Protocol"), std::string::npos);
    const auto plain = read_all(old);
    EXPECT_NE(plain.find("out"), std::string::npos);
    EXPECT_EQ(plain.find('\x01'), std::string::npos);
    request(port, "DELETE", "/api/sandbox/" + id);
}

TEST_F(EmulatorRoutes, ToolboxRepliesHaveTheDaemonsShapes) {
    // Written by the library's codecs; the literals are the daemon's shapes.
    auto id = make_sandbox();
    const auto tb = "/toolbox/" + id;
    const auto base = tb + "/process/session";
    ASSERT_EQ(request(port, "POST", base, R"({"sessionId":"w"})").status, 201);
    auto ran = request(port, "POST", base + "/w/exec", R"({"command":"echo hi"})");
    const auto cmd = json_field(ran.body, "cmdId");
    EXPECT_EQ(ran.body, R"({"cmdId":")" + cmd +
                            R"(","output":"\u0001\u0001\u0001hi\n","stdout":"hi\n","stderr":"",)"
                            R"("exitCode":0})");
    EXPECT_EQ(request(port, "GET", base + "/w/command/" + cmd).body,
              R"({"id":")" + cmd + R"(","command":"echo hi","exitCode":0})");
    // An async command answers with its id alone, and has no exitCode while it runs.
    auto started = request(port, "POST", base + "/w/exec", R"({"command":"sleep 5","async":true})");
    EXPECT_EQ(started.status, 202);
    const auto running = json_field(started.body, "cmdId");
    EXPECT_EQ(started.body, R"({"cmdId":")" + running + R"("})");
    EXPECT_EQ(request(port, "GET", base + "/w/command/" + running).body,
              R"({"id":")" + running + R"(","command":"sleep 5"})");
    EXPECT_EQ(request(port, "POST", base + "/w/exec", R"({"runAsync":true})").status, 400);
    auto code = request(port, "POST", tb + "/process/code-run",
                        R"j({"code":"print(1)","language":"python"})j");
    EXPECT_EQ(code.body, R"({"exitCode":0,"result":"1\n"})");
    EXPECT_EQ(request(port, "GET", tb + "/process/interpreter/context").body, R"({"contexts":[]})");
    request(port, "POST", tb + "/process/execute", R"({"command":"echo hello > /tmp/r.txt"})");
    auto replaced = request(port, "POST", tb + "/files/replace",
                            R"({"files":["/tmp/r.txt"],"pattern":"hello","newValue":"bye"})");
    EXPECT_EQ(replaced.body, R"([{"file":"/tmp/r.txt","success":true}])");
    request(port, "DELETE", "/api/sandbox/" + id);
}

TEST_F(EmulatorRoutes, ResourcesComeOnlyWithABuild) {
    auto from_snapshot = request(port, "POST", "/api/sandbox", R"({"cpu":2,"memory":4})");
    EXPECT_EQ(from_snapshot.status, 400);
    EXPECT_NE(from_snapshot.body.find("Cannot specify Sandbox resources when using a snapshot"),
              std::string::npos)
        << from_snapshot.body;
    EXPECT_EQ(request(port, "POST", "/api/sandbox", R"({"snapshot":"s","disk":5})").status, 400);
    EXPECT_EQ(request(port, "POST", "/api/sandbox",
                      R"({"snapshot":"s","buildInfo":{"dockerfileContent":"FROM x"}})")
                  .status,
              400);
    auto zero = request(port, "POST", "/api/sandbox", R"({"gpu":0})");  // zero is no request
    EXPECT_EQ(zero.status, 200) << zero.body;
    auto built = request(port, "POST", "/api/sandbox",
                         R"({"cpu":2,"memory":4,"buildInfo":{"dockerfileContent":"FROM x"}})");
    ASSERT_EQ(built.status, 200) << built.body;
    EXPECT_NE(built.body.find(R"("cpu":2)"), std::string::npos) << built.body;
    request(port, "DELETE", "/api/sandbox/" + json_field(zero.body, "id"));
    request(port, "DELETE", "/api/sandbox/" + json_field(built.body, "id"));
}

namespace {

/// The path of `op` with each parameter filled by a value that names nothing that exists (so
/// no request below changes anything), relative to the emulator.
std::string sample_path(const dt::api::operation& op, const std::string& sandbox) {
    std::string path(op.path);
    for (auto [name, value] : {std::pair{"{isPublic}", "true"}, std::pair{"{interval}", "5"},
                               std::pair{"{port}", "3000"}, std::pair{"{token}", "no-such-token"}})
        if (auto at = path.find(name); at != std::string::npos)
            path.replace(at, std::string_view(name).size(), value);
    path = std::regex_replace(path, std::regex("\\{([^}]*)\\}"), "no-such-$1");
    return (op.where == dt::api::surface::api ? "/api" : "/toolbox/" + sandbox) + path;
}

/// The emulator's answer when no route has the path and method (API and toolbox shapes).
bool unrouted(const raw_response& r, const std::string& method) {
    return r.status == 404 && (r.body.find("Cannot " + method + " ") != std::string::npos ||
                               r.body.find("no route " + method + " ") != std::string::npos);
}

}  // namespace

// The client builds its requests from the catalogue: every operation in it must reach a handler
// of the emulator with the catalogue's method (the upgrade for WebSocket operations), and no
// other method on the same path. The path parameters name nothing, so handlers answer 404/400.
TEST_F(EmulatorRoutes, EveryCatalogueOperationIsRouted) {
    auto id = make_sandbox();
    std::size_t checked = 0;
    for (const dt::api::operation* op : dt::api::ops::all) {
        const auto path = sample_path(*op, id);
        const std::string method(dt::http::to_string(op->method));
        if (op->websocket) {
            ws_client c(port, path);
            EXPECT_NE(c.status, 0) << op->name;
            EXPECT_NE(c.status, 426) << op->name;
            EXPECT_FALSE(unrouted({c.status, c.head, c.body}, method))
                << op->name << ": " << c.head << c.body;
        } else {
            // A malformed body: handlers that read one answer 400 before doing anything.
            const bool with_body = method == "POST" || method == "PUT";
            auto r = request(port, method, path, with_body ? "{" : "");
            EXPECT_NE(r.status, 0) << op->name;
            EXPECT_FALSE(unrouted(r, method))
                << op->name << " " << method << " " << path << ": " << r.status << " " << r.body;
        }
        auto wrong = request(port, "PATCH", path);
        EXPECT_TRUE(unrouted(wrong, "PATCH"))
            << op->name << ": " << wrong.status << " " << wrong.body;
        ++checked;
    }
    EXPECT_EQ(checked, dt::api::ops::all.size());
    EXPECT_GT(checked, 100u);
    request(port, "DELETE", "/api/sandbox/" + id);
}

TEST_F(EmulatorRoutes, LiteralSegmentsWinOverParameters) {
    auto id = make_sandbox();
    const auto tb = "/toolbox/" + id + "/process";
    // /process/session/entrypoint, not /process/session/{sessionId}.
    auto entrypoint = request(port, "GET", tb + "/session/entrypoint");
    EXPECT_EQ(entrypoint.status, 200);
    EXPECT_EQ(entrypoint.body, R"({"sessionId":"entrypoint","commands":[]})");
    EXPECT_EQ(request(port, "GET", tb + "/session/entrypoint/logs").status, 200);
    // Other methods on that path are the parameter route's: there is no such session.
    auto deleted = request(port, "DELETE", tb + "/session/entrypoint");
    EXPECT_EQ(deleted.status, 404);
    EXPECT_NE(deleted.body.find("session entrypoint not found"), std::string::npos);
    // /process/pty/create-connect, not /process/pty/{sessionId}: an upgrade creates a PTY, a
    // plain request is told to upgrade.
    ws_client connected(port, tb + "/pty/create-connect?id=by-literal");
    EXPECT_EQ(connected.status, 101) << connected.head;
    auto plain = request(port, "GET", tb + "/pty/create-connect");
    EXPECT_EQ(plain.status, 426) << plain.body;
    auto removed = request(port, "DELETE", tb + "/pty/create-connect");
    EXPECT_EQ(removed.status, 404);
    EXPECT_NE(removed.body.find("PTY session create-connect not found"), std::string::npos);
    request(port, "DELETE", "/api/sandbox/" + id);
}

TEST(EmulatorOptions, FaultsSelectedByOperation) {
    dt::emulator::emulator emu(
        {.api_key = emulator_key,
         .faults = {"status:503;op=get_sandbox|list_sandboxes", "status:418;path=/api/volumes*"}});
    ASSERT_TRUE(emu.start());
    const auto port = emu.port();
    EXPECT_EQ(request(port, "GET", "/api/sandbox").status, 503);
    EXPECT_EQ(request(port, "GET", "/api/sandbox/any").status, 503);
    auto made = request(port, "POST", "/api/sandbox", "{}");  // create_sandbox: not selected
    EXPECT_EQ(made.status, 200);
    EXPECT_EQ(request(port, "GET", "/api/volumes").status, 418);  // path= still works
    EXPECT_EQ(request(port, "GET", "/api/health").status, 200);
    // A header fault may be narrowed to operations too.
    const std::string only_config = "X-Daytona-Emulator-Fault: status:502;op=get_config\r\n";
    EXPECT_EQ(request(port, "GET", "/api/health", "", true, only_config).status, 200);
    EXPECT_EQ(request(port, "GET", "/api/config", "", true, only_config).status, 502);
    request(port, "DELETE", "/api/sandbox/" + json_field(made.body, "id"));

    dt::emulator::emulator typo(
        {.api_key = emulator_key, .faults = {"status:503;op=get_sandboxx"}});
    auto refused = typo.start();
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message().find("unknown operation 'get_sandboxx'"), std::string::npos)
        << refused.error().message();
}

TEST(EmulatorOptions, RateLimitsCountByOperation) {
    dt::emulator::emulator emu(
        {.api_key = emulator_key, .rate_limits = {"sandbox-lifecycle=2/60"}});
    ASSERT_TRUE(emu.start());
    const auto port = emu.port();
    auto made = request(port, "POST", "/api/sandbox", "{}");  // create_sandbox is not lifecycle
    ASSERT_EQ(made.status, 200);
    EXPECT_EQ(made.head.find("sandbox-lifecycle"), std::string::npos) << made.head;
    const auto sb = "/api/sandbox/" + json_field(made.body, "id");
    auto stopped = request(port, "POST", sb + "/stop");
    EXPECT_EQ(stopped.status, 200);
    EXPECT_NE(stopped.head.find("X-RateLimit-Remaining-sandbox-lifecycle: 1"), std::string::npos)
        << stopped.head;
    EXPECT_EQ(request(port, "GET", sb).status, 200);  // get_sandbox is not lifecycle
    EXPECT_EQ(request(port, "POST", sb + "/start").status, 200);
    auto limited = request(port, "DELETE", sb);
    EXPECT_EQ(limited.status, 429);
    EXPECT_NE(limited.head.find("Retry-After-sandbox-lifecycle: "), std::string::npos)
        << limited.head;
    EXPECT_EQ(request(port, "POST", sb + "/labels").status, 404);  // PUT only: not limited
}

namespace {

namespace emu = daytona::emulator;

/// A table with the shapes that matter: a literal beside a parameter, one path with a
/// WebSocket and a plain route, a route taking the rest of the path.
emu::route_table sample_table() {
    const auto noop = [](emu::call&) -> asio::awaitable<void> {
        co_return;
    };
    emu::route_table t;
    const auto tb = emu::surface::toolbox;
    t.add({.name = "get_pty", .method = "GET", .path = "/process/pty/{sessionId}", .where = tb},
          noop);
    t.add({.name = "create_connect",
           .method = "GET",
           .path = "/process/pty/create-connect",
           .where = tb,
           .websocket = true},
          noop);
    t.add(
        {.name = "logs", .method = "GET", .path = "/s/{sessionId}/c/{commandId}/logs", .where = tb},
        noop);
    t.add({.name = "follow_logs",
           .method = "GET",
           .path = "/s/{sessionId}/c/{commandId}/logs",
           .where = tb,
           .websocket = true},
          noop);
    t.add({.name = "computer_use", .method = "*", .path = "/computeruse/*", .where = tb}, noop);
    t.add({.name = "health", .method = "GET", .path = "/health"}, noop);
    return t;
}

std::string found(const emu::route_table& t, std::string_view method,
                  std::vector<std::string> segments, bool upgrade = false,
                  emu::surface where = emu::surface::toolbox) {
    const auto* r = t.find(where, method, segments, upgrade);
    return r ? std::string(r->name()) : std::string("none");
}

}  // namespace

TEST(RouteTable, MoreLiteralSegmentsWin) {
    const auto t = sample_table();
    EXPECT_EQ(found(t, "GET", {"process", "pty", "create-connect"}, true), "create_connect");
    // Also without the upgrade: the dispatcher then answers 426.
    EXPECT_EQ(found(t, "GET", {"process", "pty", "create-connect"}), "create_connect");
    EXPECT_EQ(found(t, "GET", {"process", "pty", "abc"}), "get_pty");
    EXPECT_EQ(t.named("get_pty")->parameter_index("sessionId"), 2);
}

TEST(RouteTable, TheUpgradePicksBetweenRoutesOfOnePath) {
    const auto t = sample_table();
    EXPECT_EQ(found(t, "GET", {"s", "a", "c", "b", "logs"}), "logs");
    EXPECT_EQ(found(t, "GET", {"s", "a", "c", "b", "logs"}, true), "follow_logs");
}

TEST(RouteTable, MethodSurfaceAndSegmentsMustFit) {
    const auto t = sample_table();
    EXPECT_EQ(found(t, "POST", {"process", "pty", "abc"}), "none");
    EXPECT_EQ(found(t, "GET", {"process", "pty", ""}), "none");  // a parameter is never empty
    EXPECT_EQ(found(t, "GET", {"process", "pty"}), "none");
    EXPECT_EQ(found(t, "GET", {"process", "pty", "a", "b"}), "none");
    EXPECT_EQ(found(t, "GET", {"health"}), "none");  // an API route, asked on the toolbox
    EXPECT_EQ(found(t, "GET", {"health"}, false, emu::surface::api), "health");
    EXPECT_EQ(found(t, "DELETE", {"computeruse"}), "computer_use");  // "*": any rest, any method
    EXPECT_EQ(found(t, "POST", {"computeruse", "mouse", "click"}), "computer_use");
}

TEST(RouteTable, RefusesAmbiguousOrRepeatedRoutes) {
    auto t = sample_table();
    const auto noop = [](emu::call&) -> asio::awaitable<void> {
        co_return;
    };
    t.add({.name = "a", .method = "GET", .path = "/x/{p}"}, noop);
    // /x/y would match both, each with one literal segment.
    EXPECT_THROW(t.add({.name = "b", .method = "GET", .path = "/{q}/y"}, noop), std::logic_error);
    EXPECT_THROW(t.add({.name = "a", .method = "POST", .path = "/z"}, noop), std::logic_error);
    t.add({.name = "c", .method = "POST", .path = "/{q}/y"}, noop);  // another method is fine
    EXPECT_EQ(found(t, "POST", {"x", "y"}, false, emu::surface::api), "c");
}
