// SPDX-License-Identifier: Apache-2.0
// The requests every operation sends (method, path, query, body), through the whole client
// stack into a recording transport: no sockets. Where the official TS SDK 0.218 made the same
// call, the expectation is its captured request (tests/data/sdk-0.218.0-wire-capture.txt), not
// a table shared with the code under test, so a codec shared by client and emulator cannot make
// both agree on the same mistake.
#include <daytona.hpp>
#include <daytona/net/sigv4.hpp>
#include <daytona/testing/recording_transport.hpp>

#include <gtest/gtest.h>

#include <simdjson.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#ifndef DAYTONA_SOURCE_DIR
#define DAYTONA_SOURCE_DIR "."
#endif

namespace dt = daytona;
using namespace std::chrono_literals;

namespace {

struct captured {
    std::string method, target, body;
};

/// The requests in the TS SDK capture: "=== METHOD target", headers, "--- body (N bytes)", body.
const std::vector<captured>& capture() {
    static const std::vector<captured> all = [] {
        std::ifstream in(std::string(DAYTONA_SOURCE_DIR) +
                         "/tests/data/sdk-0.218.0-wire-capture.txt");
        if (!in) throw std::runtime_error("tests/data/sdk-0.218.0-wire-capture.txt is missing");
        std::vector<captured> out;
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind("=== ", 0) == 0) {
                std::istringstream head(line.substr(4));
                captured c;
                head >> c.method;
                if (c.method == "WS-UPGRADE") head >> c.method;
                head >> c.target;
                out.push_back(std::move(c));
            } else if (line.rfind("--- body (", 0) == 0 && !out.empty()) {
                std::getline(in, out.back().body);
            }
        }
        return out;
    }();
    return all;
}

/// Two JSON documents with the same value (object key order does not matter).
bool json_equal(simdjson::dom::element a, simdjson::dom::element b) {
    if (a.type() != b.type()) return false;
    switch (a.type()) {
        case simdjson::dom::element_type::OBJECT: {
            auto oa = a.get_object().value(), ob = b.get_object().value();
            if (oa.size() != ob.size()) return false;
            for (auto [k, v] : oa) {
                auto other = ob.at_key(k);
                if (other.error() || !json_equal(v, other.value())) return false;
            }
            return true;
        }
        case simdjson::dom::element_type::ARRAY: {
            auto aa = a.get_array().value(), ab = b.get_array().value();
            if (aa.size() != ab.size()) return false;
            for (std::size_t i = 0; i < aa.size(); ++i)
                if (!json_equal(aa.at(i).value(), ab.at(i).value())) return false;
            return true;
        }
        case simdjson::dom::element_type::STRING:
            return a.get_string().value() == b.get_string().value();
        case simdjson::dom::element_type::BOOL:
            return a.get_bool().value() == b.get_bool().value();
        case simdjson::dom::element_type::NULL_VALUE:
            return true;
        default:
            return a.get_double().value() == b.get_double().value();
    }
}

::testing::AssertionResult same_json(const std::string& got, const std::string& want) {
    simdjson::dom::parser pa, pb;
    auto a = pa.parse(got);
    auto b = pb.parse(want);
    if (a.error() || b.error())
        return ::testing::AssertionFailure() << "not JSON: " << got << " / " << want;
    if (json_equal(a.value(), b.value())) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "\n  sent:     " << got << "\n  captured: " << want;
}

/// The request was captured from the TS SDK with exactly this method and target (and, when the
/// capture has a body, an equal JSON body).
::testing::AssertionResult matches_capture(const dt::testing::recorded_request& r) {
    const std::string method(dt::http::to_string(r.method));
    std::string candidates;
    for (const auto& c : capture()) {
        if (c.method != method || c.target != r.target) continue;
        if (c.body.empty() && r.body.empty()) return ::testing::AssertionSuccess();
        if (!c.body.empty() && !r.body.empty() && same_json(r.body, c.body))
            return ::testing::AssertionSuccess();
        candidates += "\n  captured body: " + c.body;
    }
    return ::testing::AssertionFailure() << method << ' ' << r.target << " with body '" << r.body
                                         << "' is not in the TS SDK capture" << candidates;
}

const std::string sandbox_json = R"({"id":"sbx-1","name":"sbx-1","state":"started",)"
                                 R"("cpu":2,"memory":4,"disk":10,)"
                                 R"("toolboxProxyUrl":"http://127.0.0.1:39123/toolbox"})";

std::string sandbox_in(std::string_view state) {
    return R"({"id":"sbx-1","name":"sbx-1","state":")" + std::string(state) +
           R"(","cpu":2,"memory":4,"disk":10,"toolboxProxyUrl":"http://127.0.0.1:39123/toolbox"})";
}

class RequestShapes : public ::testing::Test {
protected:
    asio::io_context io;
    std::shared_ptr<dt::testing::recording_transport> rec =
        std::make_shared<dt::testing::recording_transport>();
    dt::client client{io.get_executor(),
                      {.api_url = "http://127.0.0.1:39123/api",
                       .api_key = "test-key",
                       .retry = dt::retry_options::none(),
                       .state_events = false},  // waits poll: every request is scripted here
                      rec};

    template <class T>
    T await(asio::awaitable<T> op) {
        return dt::run_sync(io, std::move(op));
    }
    dt::sandbox sandbox(std::string_view state = "started") {
        rec->push_response(200, sandbox_in(state));
        auto sb = await(client.get("sbx-1"));
        if (!sb) throw std::runtime_error(sb.error().to_string());
        rec->clear();
        return *sb;
    }
};

}  // namespace

TEST_F(RequestShapes, CaptureIsReadable) {
    // Guards the parser above: a capture that reads as nothing would make every test vacuous.
    EXPECT_GT(capture().size(), 60u);
    EXPECT_EQ(capture()[1].method, "POST");
    EXPECT_EQ(capture()[1].target, "/api/sandbox");
}

TEST_F(RequestShapes, CreateMatchesTheSdk) {
    // create({envVars:{A:'b'}, labels:{l:'v'}, autoStopInterval:0})
    dt::create_params p{.env = {{"A", "b"}}, .labels = {{"l", "v"}}, .auto_stop_interval = 0};
    rec->push_response(200, sandbox_json);
    ASSERT_TRUE(await(client.create(std::move(p))));
    ASSERT_EQ(rec->requests().size(), 1u);  // answered `started`: no poll
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(rec->last().operation, "create_sandbox");
    EXPECT_EQ(rec->last().headers.get("authorization"), "Bearer test-key");
    EXPECT_EQ(rec->last().headers.get("content-type"), "application/json");
    EXPECT_EQ(rec->last().headers.get("x-daytona-sdk-version"), DAYTONA_PROTOCOL_VERSION);

    // create() with defaults, and create({image:'ubuntu:22.04'})
    rec->push_response(200, sandbox_json);
    ASSERT_TRUE(await(client.create()));
    EXPECT_TRUE(matches_capture(rec->last()));
    dt::create_params img{.image = "ubuntu:22.04"};
    rec->push_response(200, sandbox_json);
    ASSERT_TRUE(await(client.create(std::move(img))));
    EXPECT_TRUE(matches_capture(rec->last()));

    // create({snapshot:'my-snap', autoArchiveInterval:60, autoDeleteInterval:30})
    dt::create_params snap{
        .snapshot = "my-snap", .auto_archive_interval = 60, .auto_delete_interval = 30};
    rec->push_response(200, sandbox_json);
    ASSERT_TRUE(await(client.create(std::move(snap))));
    EXPECT_TRUE(matches_capture(rec->last()));
}

TEST_F(RequestShapes, CreateFromADockerfileWithEveryOptionMatchesTheSdk) {
    const std::string dockerfile =
        "FROM python:3.12.10-slim-bookworm\nRUN apt-get update\nRUN apt-get install -y gcc "
        "gfortran build-essential\nRUN pip install --upgrade pip\nRUN echo 'debconf "
        "debconf/frontend select Noninteractive' | debconf-set-selections\nRUN python -m pip "
        "install numpy pandas --index-url https\\://x/simple --pre\nRUN apt-get update\nRUN "
        "\"bash\" \"-c\" \"echo \\\\\\\"hi\\\\\\\" \\'there\\'\"\nENV A='hello world'\nENV "
        "B=\"it's\"\nWORKDIR '/home/my dir'\nENTRYPOINT [\"sleep\", \"infinity\"]\nCMD "
        "[\"bash\"]\nRUN echo 1\nUSER root\n";
    dt::create_params p{.name = "n1",
                        .dockerfile = dockerfile,
                        .user = "root",
                        .language = "typescript",
                        .is_public = true,
                        .resources = {.cpu = 2, .memory_gib = 4, .disk_gib = 10},
                        .ephemeral = true,
                        .volumes = {{"v1", "/data", {}}},
                        .network_block_all = false,
                        .network_allow_list = "10.0.0.0/8"};
    rec->push_response(200, sandbox_json);
    ASSERT_TRUE(await(client.create(std::move(p))));
    EXPECT_TRUE(matches_capture(rec->last()));
}

TEST_F(RequestShapes, CreateSendsKvmAndTheProxyAndTelemetryEndpoints) {
    // Fields the capture does not cover: CreateSandbox's names, in the TS SDK's key order.
    dt::create_params p{.snapshot = "vm-snap",
                        .kvm = true,
                        .domain_allow_list = "*.example.com",
                        .outbound_proxy_url = "http://u:p@proxy.internal:3128",
                        .otel_endpoint_override = "https://otel.internal:4318"};
    rec->push_response(200, sandbox_json);
    ASSERT_TRUE(await(client.create(std::move(p))));
    EXPECT_EQ(rec->last().target, "/api/sandbox");
    EXPECT_EQ(rec->last().body,
              R"({"snapshot":"vm-snap","env":{},"labels":{"code-toolbox-language":"python"},)"
              R"("kvm":true,"domainAllowList":"*.example.com",)"
              R"("outboundProxyUrl":"http://u:p@proxy.internal:3128",)"
              R"("otelEndpointOverride":"https://otel.internal:4318"})");
    // The emulator reads them back with the same names.
    auto back = dt::json::decode<dt::create_sandbox_request>(std::string_view(rec->last().body),
                                                             "CreateSandbox");
    ASSERT_TRUE(back) << back.error();
    EXPECT_EQ(back->kvm, true);
    EXPECT_EQ(back->outbound_proxy_url, "http://u:p@proxy.internal:3128");
    EXPECT_EQ(back->otel_endpoint_override, "https://otel.internal:4318");
}

TEST_F(RequestShapes, CreateRefusesWhatDaytonaRefusesBeforeSending) {
    for (auto p :
         {dt::create_params{.language = "ruby"}, dt::create_params{.snapshot = "a", .image = "b"},
          dt::create_params{.snapshot = "s", .resources = {.cpu = 2}},
          dt::create_params{.resources = {.memory_gib = 4}},  // default snapshot
          dt::create_params{.image = "x", .resources = {.cpu = 0}},
          dt::create_params{.auto_stop_interval = -1},
          dt::create_params{.volumes = {{"", "/data", {}}}},
          dt::create_params{.image = "a\nRUN evil"}}) {
        auto r = await(client.create(std::move(p)));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error(), dt::errc::invalid_argument) << r.error();
        EXPECT_EQ(r.error().operation(), "create_sandbox");
    }
    EXPECT_TRUE(rec->requests().empty());
    auto snap_resources = await(client.create({.snapshot = "s", .resources = {.cpu = 2}}));
    EXPECT_NE(snap_resources.error().message().find(
                  "Cannot specify Sandbox resources when using a snapshot"),
              std::string::npos);
    // Resources with an image are fine, and a negative auto-delete means "never".
    dt::create_params ok{.image = "x", .resources = {.cpu = 1}, .auto_delete_interval = -1};
    rec->push_response(200, sandbox_json);
    EXPECT_TRUE(await(client.create(std::move(ok))));
}

TEST_F(RequestShapes, ListMatchesTheSdkAndEncodesEveryFilter) {
    dt::list_params p{.labels = {{"a", "b"}},
                      .states = {dt::sandbox_state::started, dt::sandbox_state::stopped},
                      .limit = 5};
    rec->push_response(200, R"({"items":[)" + sandbox_json + R"(],"nextCursor":null})");
    auto page = await(client.list(std::move(p)));
    ASSERT_TRUE(page) << page.error();
    EXPECT_TRUE(matches_capture(rec->last()));
    // Every filter GET /sandbox takes, named as the spec names it.
    dt::list_params all{.labels = {{"k", "v w"}},
                        .states = {dt::sandbox_state::archived},
                        .id_prefix = "ab",
                        .name_prefix = "my box",
                        .snapshots = {"s1", "s2"},
                        .targets = {"eu"},
                        .sandbox_classes = {"linux-vm", "container"},
                        .min_cpu = 1,
                        .max_cpu = 4,
                        .min_memory_gib = 2,
                        .max_memory_gib = 8,
                        .min_disk_gib = 3,
                        .max_disk_gib = 30,
                        .min_gpu = 0,
                        .max_gpu = 2,
                        .is_public = true,
                        .is_recoverable = false,
                        .created_after = "2026-01-01T00:00:00Z",
                        .created_before = "2026-12-31T23:59:59Z",
                        .last_activity_after = "2026-02-01T00:00:00Z",
                        .last_activity_before = "2026-03-01T00:00:00Z",
                        .auto_destroy_after = "2026-04-01T00:00:00Z",
                        .auto_destroy_before = "2026-05-01T00:00:00Z",
                        .include_errored_deleted = true,
                        .include_warm = true,
                        .sort = dt::sandbox_sort::memory,
                        .descending = true,
                        .limit = 200,
                        .cursor = "c1"};
    rec->push_response(200, R"({"items":[],"nextCursor":null})");
    ASSERT_TRUE(await(client.list(std::move(all))));
    EXPECT_EQ(rec->last().target,
              "/api/sandbox?cursor=c1&limit=200&id=ab&name=my%20box"
              "&labels=%7B%22k%22%3A%22v%20w%22%7D&includeErroredDeleted=true&includeWarm=true"
              "&states=archived&snapshots=s1&snapshots=s2&regionIds=eu"
              "&sandboxClasses=linux-vm&sandboxClasses=container&minCpu=1&maxCpu=4"
              "&minMemoryGiB=2&maxMemoryGiB=8&minDiskGiB=3&maxDiskGiB=30&minGpu=0&maxGpu=2"
              "&isPublic=true&isRecoverable=false"
              "&createdAtAfter=2026-01-01T00%3A00%3A00Z&createdAtBefore=2026-12-31T23%3A59%3A59Z"
              "&lastEventAfter=2026-02-01T00%3A00%3A00Z&lastEventBefore=2026-03-01T00%3A00%3A00Z"
              "&autoDestroyAtAfter=2026-04-01T00%3A00%3A00Z"
              "&autoDestroyAtBefore=2026-05-01T00%3A00%3A00Z&sort=memoryGib&order=desc");
}

TEST_F(RequestShapes, ListedSandboxesAreHandlesThatActAtOnce) {
    rec->push_response(200, R"({"items":[)" + sandbox_json + R"(],"nextCursor":null})");
    auto page = await(client.list());
    ASSERT_TRUE(page) << page.error();
    ASSERT_EQ(page->items.size(), 1u);
    rec->push_response(200, R"({"exitCode":0,"result":"hello\n"})");
    dt::exec_options o{.cwd = "/tmp", .env = {{"X", "1"}}, .timeout = 5s};
    auto r = await(page->items[0].process().exec("echo hello", std::move(o)));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->output, "hello\n");
    ASSERT_EQ(rec->requests().size(), 2u);  // no GET between the list and the exec
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(rec->last().origin, "http://127.0.0.1:39123");
}

TEST_F(RequestShapes, PagesWalkEveryCursor) {
    rec->push_response(200, R"({"items":[)" + sandbox_json + R"(],"nextCursor":"2"})");
    rec->push_response(200, R"({"items":[)" + sandbox_json + R"(],"nextCursor":"3"})");
    rec->push_response(200, R"({"items":[)" + sandbox_json + R"(],"nextCursor":null})");
    dt::list_params p{.limit = 1};
    auto all = await(client.list_all(std::move(p)));
    ASSERT_TRUE(all) << all.error();
    EXPECT_EQ(all->size(), 3u);
    ASSERT_EQ(rec->requests().size(), 3u);
    EXPECT_EQ(rec->requests()[0].target, "/api/sandbox?limit=1");
    EXPECT_EQ(rec->requests()[1].target, "/api/sandbox?cursor=2&limit=1");
    EXPECT_EQ(rec->requests()[2].target, "/api/sandbox?cursor=3&limit=1");

    rec->clear();
    rec->push_response(200, R"({"items":[],"nextCursor":"x"})");
    rec->push_response(200, R"({"items":[],"nextCursor":null})");
    dt::list_params q;
    auto pager = client.pages(std::move(q));
    int pages = 0;
    while (pager.more()) {
        auto page = await(pager.next());
        ASSERT_TRUE(page) << page.error();
        ++pages;
    }
    EXPECT_EQ(pages, 2);
}

TEST_F(RequestShapes, LifecycleMatchesTheSdk) {
    auto sb = sandbox();
    rec->push_response(200, sandbox_in("stopped"));
    ASSERT_TRUE(await(sb.stop()));
    EXPECT_TRUE(matches_capture(rec->last()));  // POST .../stop?force=false
    EXPECT_EQ(sb.state(), dt::sandbox_state::stopped);
    rec->push_response(200, sandbox_in("stopped"));
    ASSERT_TRUE(await(sb.stop({.force = true})));
    EXPECT_EQ(rec->last().target, "/api/sandbox/sbx-1/stop?force=true");
    rec->push_response(200, sandbox_in("archived"));
    ASSERT_TRUE(await(sb.archive()));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, sandbox_in("started"));
    ASSERT_TRUE(await(sb.start()));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, sandbox_in("started"));
    ASSERT_TRUE(await(sb.recover()));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, sandbox_in("started"));
    ASSERT_TRUE(await(sb.resize({.cpu = 4, .memory_gib = 8})));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, sandbox_in("destroying"));
    ASSERT_TRUE(await(sb.destroy()));
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(rec->last().method, dt::http::verb::delete_);
}

TEST_F(RequestShapes, SettingsAndPreviewLinksMatchTheSdk) {
    auto sb = sandbox();
    rec->push_response(200, R"({"labels":{"x":"y"}})");
    ASSERT_TRUE(await(sb.set_labels({{"x", "y"}})));
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(sb.labels().at("x"), "y");
    rec->push_response(200, sandbox_json);
    ASSERT_TRUE(await(sb.set_auto_stop_interval(30)));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, sandbox_json);
    ASSERT_TRUE(await(sb.set_auto_archive_interval(60)));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, sandbox_json);
    ASSERT_TRUE(await(sb.set_auto_delete_interval(-1)));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, R"({"sandboxId":"sbx-1","url":"http://3000-sbx-1.proxy","token":"t"})");
    auto link = await(sb.preview_link(3000));
    ASSERT_TRUE(link) << link.error();
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(link->token, "t");
    rec->push_response(
        200, R"({"sandboxId":"sbx-1","port":3000,"token":"s","url":"http://3000-s.proxy"})");
    auto signed_link = await(sb.signed_preview_link(3000, 120s));
    ASSERT_TRUE(signed_link) << signed_link.error();
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(signed_link->port, 3000);

    // Operations the capture does not cover: the spec's paths and bodies.
    rec->push_response(200, "");
    ASSERT_TRUE(await(sb.expire_signed_preview_link(3000, "s/1")));
    EXPECT_EQ(rec->last().target, "/api/sandbox/sbx-1/ports/3000/signed-preview-url/s%2F1/expire");
    rec->push_response(200, sandbox_json);
    ASSERT_TRUE(await(sb.set_public(true)));
    EXPECT_EQ(rec->last().target, "/api/sandbox/sbx-1/public/true");
    rec->push_response(200, sandbox_json);
    ASSERT_TRUE(await(sb.set_network_settings({.block_all = true})));
    EXPECT_EQ(rec->last().target, "/api/sandbox/sbx-1/network-settings");
    EXPECT_EQ(rec->last().body, R"({"networkBlockAll":true})");
    rec->push_response(201, "");
    ASSERT_TRUE(await(sb.refresh_activity()));
    EXPECT_EQ(rec->last().target, "/api/sandbox/sbx-1/last-activity");
    EXPECT_EQ(rec->last().method, dt::http::verb::post);
    // Client-side checks send nothing.
    rec->clear();
    EXPECT_EQ(await(sb.set_auto_stop_interval(-5)).error(), dt::errc::invalid_argument);
    EXPECT_TRUE(rec->requests().empty());
}

TEST_F(RequestShapes, PauseAndSshAccessUseTheSpecsPaths) {
    auto sb = sandbox();
    rec->push_response(200, sandbox_in("pausing"));
    rec->push_response(200, sandbox_in("paused"));
    ASSERT_TRUE(await(sb.pause()));
    EXPECT_EQ(rec->requests()[0].method, dt::http::verb::post);
    EXPECT_EQ(rec->requests()[0].target, "/api/sandbox/sbx-1/pause");
    EXPECT_EQ(rec->requests()[0].body, "");
    EXPECT_EQ(rec->last().target, "/api/sandbox/sbx-1");  // polled until no longer pausing
    EXPECT_EQ(sb.state(), dt::sandbox_state::paused);

    rec->push_response(
        200, R"({"id":"a1","sandboxId":"sbx-1","token":"tok","expiresAt":"2026-01-01T01:00:00Z",)"
             R"("createdAt":"2026-01-01T00:30:00Z","updatedAt":"2026-01-01T00:30:00Z",)"
             R"("sshCommand":"ssh -p 2222 tok@ssh.app.daytona.io"})");
    auto access = await(sb.create_ssh_access(std::chrono::minutes(30)));
    ASSERT_TRUE(access) << access.error();
    EXPECT_EQ(rec->last().method, dt::http::verb::post);
    EXPECT_EQ(rec->last().target, "/api/sandbox/sbx-1/ssh-access?expiresInMinutes=30");
    EXPECT_EQ(access->ssh_command, "ssh -p 2222 tok@ssh.app.daytona.io");
    EXPECT_EQ(access->expires_at, "2026-01-01T01:00:00Z");
    rec->push_response(200, R"({"valid":true,"sandboxId":"sbx-1"})");
    auto valid = await(sb.validate_ssh_access("t/k"));
    ASSERT_TRUE(valid) << valid.error();
    EXPECT_EQ(rec->last().method, dt::http::verb::get);
    EXPECT_EQ(rec->last().target, "/api/sandbox/ssh-access/validate?token=t%2Fk");
    EXPECT_TRUE(valid->valid);
    rec->push_response(200, R"({"valid":false,"sandboxId":null})");
    auto invalid = await(sb.validate_ssh_access("tok"));
    ASSERT_TRUE(invalid) << invalid.error();
    EXPECT_FALSE(invalid->valid);
    EXPECT_FALSE(invalid->sandbox_id);
    rec->push_response(200, sandbox_json);
    ASSERT_TRUE(await(sb.revoke_ssh_access("tok")));
    EXPECT_EQ(rec->last().method, dt::http::verb::delete_);
    EXPECT_EQ(rec->last().target, "/api/sandbox/sbx-1/ssh-access?token=tok");
    rec->push_response(200, sandbox_json);
    ASSERT_TRUE(await(sb.revoke_ssh_access("")));
    EXPECT_EQ(rec->last().target, "/api/sandbox/sbx-1/ssh-access");
}

TEST_F(RequestShapes, ResizeRulesAreCheckedBeforeSending) {
    auto started = sandbox("started");  // cpu 2, memory 4, disk 10
    EXPECT_EQ(await(started.resize({.cpu = 1})).error(), dt::errc::invalid_argument);
    EXPECT_EQ(await(started.resize({.disk_gib = 20})).error(), dt::errc::invalid_argument);
    EXPECT_EQ(await(started.resize({})).error(), dt::errc::invalid_argument);
    EXPECT_EQ(await(started.resize({.cpu = 4, .gpu = 1})).error(), dt::errc::invalid_argument);
    auto stopped = sandbox("stopped");
    EXPECT_EQ(await(stopped.resize({.disk_gib = 5})).error(), dt::errc::invalid_argument);
    EXPECT_TRUE(rec->requests().empty());
    rec->push_response(200, sandbox_in("stopped"));
    ASSERT_TRUE(await(stopped.resize({.cpu = 1, .memory_gib = 1, .disk_gib = 20})));
    EXPECT_EQ(rec->last().body, R"({"cpu":1,"memory":1,"disk":20})");
}

TEST_F(RequestShapes, ForksAndSnapshotsOfASandbox) {
    auto sb = sandbox();
    rec->push_response(200,
                       R"({"id":"sbx-2","name":"child","state":"started","toolboxProxyUrl":"x"})");
    auto child = await(sb.fork("child"));
    ASSERT_TRUE(child) << child.error();
    EXPECT_EQ(rec->last().target, "/api/sandbox/sbx-1/fork");
    EXPECT_EQ(rec->last().body, R"({"name":"child"})");
    EXPECT_EQ(child->id(), "sbx-2");
    rec->push_response(200, sandbox_in("started"));
    rec->push_response(200, R"({"id":"snap-1","name":"snap","state":"active"})");
    auto snap = await(sb.create_snapshot("snap"));
    ASSERT_TRUE(snap) << snap.error();
    EXPECT_EQ(rec->requests()[rec->requests().size() - 2].body, R"({"name":"snap"})");
    EXPECT_EQ(rec->last().target, "/api/snapshots/snap");
    rec->push_response(200, "[" + sandbox_json + "]");
    auto forks = await(sb.forks());
    ASSERT_TRUE(forks);
    EXPECT_EQ(forks->size(), 1u);
    EXPECT_EQ(rec->last().target, "/api/sandbox/sbx-1/forks");
    rec->push_response(200, sandbox_json);
    ASSERT_TRUE(await(sb.parent()));
    EXPECT_EQ(rec->last().target, "/api/sandbox/sbx-1/parent");
    rec->push_response(200, "[]");
    ASSERT_TRUE(await(sb.ancestors()));
    EXPECT_EQ(rec->last().target, "/api/sandbox/sbx-1/ancestors");
}

TEST_F(RequestShapes, SnapshotsAndVolumesMatchTheSdk) {
    auto snaps = client.snapshots();
    dt::snapshot_params from_image{.name = "my-snap",
                                   .image = "python:3.12",
                                   .entrypoint = {"sleep", "infinity"},
                                   .resources = {.cpu = 1}};
    rec->push_response(200, R"({"id":"s1","name":"my-snap","state":"pending"})");
    rec->push_response(200, R"({"id":"s1","name":"my-snap","state":"active"})");
    auto s = await(snaps.create(std::move(from_image)));
    ASSERT_TRUE(s) << s.error();
    EXPECT_TRUE(matches_capture(rec->requests()[0]));
    EXPECT_EQ(rec->requests()[1].target, "/api/snapshots/my-snap");

    rec->clear();
    dt::snapshot_params from_dockerfile{.name = "my-snap2",
                                        .dockerfile = "FROM alpine:3.18\nRUN echo hi\n"};
    rec->push_response(200, R"({"id":"s2","name":"my-snap2","state":"active"})");
    rec->push_response(200, R"({"id":"s2","name":"my-snap2","state":"active"})");
    ASSERT_TRUE(await(snaps.create(std::move(from_dockerfile))));
    EXPECT_TRUE(matches_capture(rec->requests()[0]));

    dt::snapshot_params latest{.name = "x", .image = "python:latest"};
    EXPECT_EQ(await(snaps.create(std::move(latest))).error(), dt::errc::invalid_argument);

    // volume.get('v', true): a 404 by name, then a create.
    rec->clear();
    rec->push_response(404, R"({"statusCode":404,"message":"Volume with name v not found"})");
    rec->push_response(200, R"({"id":"vol-1","name":"v","state":"ready"})");
    auto v = await(client.volumes().get_or_create("v"));
    ASSERT_TRUE(v) << v.error();
    ASSERT_EQ(rec->requests().size(), 2u);
    EXPECT_TRUE(matches_capture(rec->requests()[0]));
    EXPECT_TRUE(matches_capture(rec->requests()[1]));

    rec->push_response(200, R"({"items":[],"total":0,"page":2,"totalPages":0})");
    dt::snapshot_list_params page{
        .page = 2, .limit = 10, .name = "my", .sort = dt::snapshot_sort::name, .descending = false};
    ASSERT_TRUE(await(snaps.list(std::move(page))));
    EXPECT_EQ(rec->last().target, "/api/snapshots?page=2&limit=10&name=my&sort=name&order=asc");
}

TEST_F(RequestShapes, SnapshotOperationsUseTheSpecsPaths) {
    // The capture has none of these: the paths of the spec's snapshots tag.
    auto snaps = client.snapshots();
    const std::string snap = R"({"id":"snap-id-1","name":"my snap","state":"inactive"})";
    rec->push_response(200, snap);  // the id or name is resolved first
    rec->push_response(200, R"({"id":"snap-id-1","name":"my snap","state":"active"})");
    auto activated = await(snaps.activate("snap-id-1"));
    ASSERT_TRUE(activated) << activated.error();
    EXPECT_EQ(rec->last().method, dt::http::verb::post);
    EXPECT_EQ(rec->last().target, "/api/snapshots/snap-id-1/activate");
    EXPECT_EQ(rec->last().operation, "activate_snapshot");
    EXPECT_EQ(activated->state, dt::snapshot_state::active);
    rec->push_response(200, snap);
    rec->push_response(200, "");
    ASSERT_TRUE(await(snaps.deactivate("snap-id-1")));
    EXPECT_EQ(rec->last().method, dt::http::verb::post);
    EXPECT_EQ(rec->last().target, "/api/snapshots/snap-id-1/deactivate");
    EXPECT_EQ(rec->last().operation, "deactivate_snapshot");

    // delete by name: the name is resolved with a GET, the DELETE names the id (as the TS SDK's
    // snapshot.delete does).
    rec->clear();
    rec->push_response(200, snap);
    rec->push_response(200, "");
    ASSERT_TRUE(await(snaps.destroy("my snap")));
    ASSERT_EQ(rec->requests().size(), 2u);
    EXPECT_EQ(rec->requests()[0].method, dt::http::verb::get);
    EXPECT_EQ(rec->requests()[0].target, "/api/snapshots/my%20snap");
    EXPECT_EQ(rec->requests()[1].method, dt::http::verb::delete_);
    EXPECT_EQ(rec->requests()[1].target, "/api/snapshots/snap-id-1");
    EXPECT_EQ(rec->requests()[1].operation, "delete_snapshot");
    // A name that does not resolve deletes nothing; the error names the lookup that failed.
    rec->clear();
    rec->push_response(404, R"({"statusCode":404,"message":"Snapshot nope not found"})");
    auto missing = await(snaps.destroy("nope"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error(), dt::condition::not_found);
    EXPECT_EQ(missing.error().operation(), "get_snapshot");
    EXPECT_EQ(rec->requests().size(), 1u);

    rec->push_response(200, R"({"url":"http://127.0.0.1:39123/api/build-logs/snap-id-1"})");
    auto logs = await(dt::api::get_snapshot_build_logs_url(client.api_channel(), "snap-id-1"));
    ASSERT_TRUE(logs) << logs.error();
    EXPECT_EQ(rec->last().method, dt::http::verb::get);
    EXPECT_EQ(rec->last().target, "/api/snapshots/snap-id-1/build-logs-url");
    EXPECT_EQ(logs->url, "http://127.0.0.1:39123/api/build-logs/snap-id-1");
}

TEST_F(RequestShapes, VolumeConfigAndUrlOperationsUseTheSpecsPaths) {
    auto vols = client.volumes();
    rec->push_response(200, R"([{"id":"vol-1","name":"v","state":"ready"}])");
    auto all = await(vols.list());
    ASSERT_TRUE(all) << all.error();
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ(rec->last().method, dt::http::verb::get);
    EXPECT_EQ(rec->last().target, "/api/volumes");  // listVolumes() with no includeDeleted
    rec->push_response(200, R"({"id":"vol-1","name":"v","state":"ready"})");
    auto one = await(vols.get("vol-1"));
    ASSERT_TRUE(one) << one.error();
    EXPECT_EQ(rec->last().method, dt::http::verb::get);
    EXPECT_EQ(rec->last().target, "/api/volumes/vol-1");
    EXPECT_EQ(one->name, "v");
    rec->push_response(200, "");
    ASSERT_TRUE(await(vols.destroy("vol-1")));
    EXPECT_EQ(rec->last().method, dt::http::verb::delete_);
    EXPECT_EQ(rec->last().target, "/api/volumes/vol-1");
    EXPECT_EQ(rec->last().operation, "delete_volume");

    rec->push_response(200, R"({"version":"0.218.0","defaultSnapshot":"daytona-small"})");
    auto cfg = await(client.config());
    ASSERT_TRUE(cfg) << cfg.error();
    EXPECT_EQ(rec->last().method, dt::http::verb::get);
    EXPECT_EQ(rec->last().target, "/api/config");
    EXPECT_EQ(cfg->default_snapshot, "daytona-small");

    auto sb = sandbox();
    rec->push_response(200, R"({"url":"http://127.0.0.1:39123/api/build-logs-stream/sbx-1"})");
    auto logs = await(dt::api::get_build_logs_url(client.api_channel(), sb.id()));
    ASSERT_TRUE(logs) << logs.error();
    EXPECT_EQ(rec->last().method, dt::http::verb::get);
    EXPECT_EQ(rec->last().target, "/api/sandbox/sbx-1/build-logs-url");
}

TEST_F(RequestShapes, AMissingToolboxProxyUrlIsAskedForOnce) {
    // A Sandbox DTO without toolboxProxyUrl: the first toolbox call asks
    // GET /sandbox/{id}/toolbox-proxy-url (as the TS SDK 0.218 does), then uses that base.
    rec->push_response(200, R"({"id":"sbx-1","name":"sbx-1","state":"started"})");
    auto sb = await(client.get("sbx-1"));
    ASSERT_TRUE(sb) << sb.error();
    EXPECT_TRUE(sb->info().toolbox_proxy_url.empty());
    rec->clear();
    rec->push_response(200, R"({"url":"http://127.0.0.1:39124/toolbox"})");
    rec->push_response(200, R"({"exitCode":0,"result":"one\n"})");
    rec->push_response(200, R"({"exitCode":0,"result":"two\n"})");
    auto first = await(sb->process().exec("echo one"));
    ASSERT_TRUE(first) << first.error();
    auto second = await(sb->process().exec("echo two"));
    ASSERT_TRUE(second) << second.error();
    EXPECT_EQ(second->output, "two\n");
    ASSERT_EQ(rec->requests().size(), 3u);  // the URL is asked for once
    EXPECT_EQ(rec->requests()[0].method, dt::http::verb::get);
    EXPECT_EQ(rec->requests()[0].target, "/api/sandbox/sbx-1/toolbox-proxy-url");
    EXPECT_EQ(rec->requests()[0].origin, "http://127.0.0.1:39123");
    EXPECT_EQ(rec->requests()[1].target, "/toolbox/sbx-1/process/execute");
    EXPECT_EQ(rec->requests()[1].origin, "http://127.0.0.1:39124");
    EXPECT_EQ(sb->info().toolbox_proxy_url, "http://127.0.0.1:39124/toolbox");
}

TEST_F(RequestShapes, EveryOperationHasAValidDeclaration) {
    std::set<std::string_view> names;
    for (const auto* op : dt::api::ops::all) {
        EXPECT_TRUE(names.insert(op->name).second) << "duplicate operation name " << op->name;
        EXPECT_EQ(op->path.front(), '/') << op->name;
        EXPECT_EQ(std::count(op->path.begin(), op->path.end(), '{'),
                  std::count(op->path.begin(), op->path.end(), '}'))
            << op->name;
    }
    // Operations whose repetition makes a second thing or runs something twice: a retry after
    // the request was sent would duplicate the effect.
    namespace ops = dt::api::ops;
    for (const auto* op :
         {&ops::create_sandbox, &ops::create_snapshot, &ops::create_volume, &ops::fork_sandbox,
          &ops::snapshot_sandbox, &ops::create_backup, &ops::execute_command, &ops::code_run,
          &ops::execute_session_command, &ops::send_session_input, &ops::create_session,
          &ops::git_commit, &ops::git_push, &ops::git_clone, &ops::move_file})
        EXPECT_FALSE(op->idempotent) << op->name;
    EXPECT_GE(names.size(), 100u);
}

TEST_F(RequestShapes, AnExplicitJwtBeatsAnApiKeyFromTheEnvironment) {
    ::setenv("DAYTONA_API_KEY", "key-from-env", 1);
    auto jwt_client = [&](std::string key) {
        return dt::client{io.get_executor(),
                          {.api_url = "http://127.0.0.1:39123/api",
                           .api_key = std::move(key),
                           .jwt_token = "jwt-set-in-code",
                           .organization_id = "org-1",
                           .state_events = false},
                          rec};
    };
    auto from_env = jwt_client("key-from-env");
    ASSERT_TRUE(await(from_env.config()));
    EXPECT_EQ(rec->last().headers.get("authorization"), "Bearer jwt-set-in-code");
    EXPECT_EQ(rec->last().headers.get("x-daytona-organization-id"), "org-1");
    // A key set in code is as explicit as the JWT: the key wins, as in the official SDKs.
    auto explicit_key = jwt_client("key-set-in-code");
    ASSERT_TRUE(await(explicit_key.config()));
    EXPECT_EQ(rec->last().headers.get("authorization"), "Bearer key-set-in-code");
    EXPECT_FALSE(rec->last().headers.contains("x-daytona-organization-id"));
    ::unsetenv("DAYTONA_API_KEY");
    // A JWT without an organization is refused before anything is sent.
    dt::client no_org{io.get_executor(), {.api_url = "http://h/api", .jwt_token = "t"}, rec};
    rec->clear();
    EXPECT_EQ(await(no_org.config()).error(), dt::errc::missing_credentials);
    EXPECT_TRUE(rec->requests().empty());
}

TEST_F(RequestShapes, RetriesAreVisibleAndNeverDuplicateACreate) {
    dt::client retrying{io.get_executor(),
                        {.api_url = "http://127.0.0.1:39123/api",
                         .api_key = "test-key",
                         .retry = {.max_attempts = 3, .initial_backoff = 1ms},
                         .state_events = false},
                        rec};
    // A connection closed before any response: retried for a GET...
    rec->push_failure(dt::error(dt::errc::connection_closed));
    rec->push_response(200, R"({"items":[],"nextCursor":null})");
    EXPECT_TRUE(await(retrying.list()));
    EXPECT_EQ(rec->requests().size(), 2u);
    // ...but never for the POST that creates a sandbox: it may have been created.
    rec->clear();
    rec->push_failure(dt::error(dt::errc::connection_closed));
    auto created = await(retrying.create());
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error(), dt::errc::connection_closed);
    EXPECT_EQ(rec->requests().size(), 1u);
    // A connect failure never reached the server: retried even for a create.
    rec->clear();
    rec->push_failure(dt::error(dt::errc::connect_failed));
    rec->push_response(200, sandbox_json);
    EXPECT_TRUE(await(retrying.create()));
    EXPECT_EQ(rec->requests().size(), 2u);
    // A start may be repeated (it is declared idempotent): a closed connection is retried.
    rec->clear();
    rec->push_response(200, sandbox_in("stopped"));
    auto sb = await(retrying.get("sbx-1"));
    ASSERT_TRUE(sb);
    rec->push_failure(dt::error(dt::errc::connection_closed));
    rec->push_response(200, sandbox_json);
    EXPECT_TRUE(await(sb->start()));
    EXPECT_EQ(rec->requests().size(), 3u);
    // 429s until the attempts run out: retry_exhausted, still a rate_limited condition, with
    // the server's numbers.
    rec->clear();
    for (int i = 0; i < 3; ++i) {
        dt::http::response r;
        r.status = 429;
        r.body = R"({"statusCode":429,"message":"ThrottlerException: Too Many Requests"})";
        r.headers.add("Retry-After", "0");
        r.headers.add("X-RateLimit-Limit-authenticated", "100");
        r.headers.add("X-RateLimit-Remaining-authenticated", "0");
        r.headers.add("X-RateLimit-Reset-authenticated", "7");
        rec->push_response(std::move(r));
    }
    auto limited = await(retrying.list());
    ASSERT_FALSE(limited);
    EXPECT_EQ(limited.error(), dt::errc::retry_exhausted);
    EXPECT_EQ(limited.error(), dt::condition::rate_limited);
    EXPECT_EQ(limited.error().http_status(), 429);
    EXPECT_EQ(limited.error().message(),
              "ThrottlerException: Too Many Requests (still failing after 3 attempts)");
    ASSERT_EQ(limited.error().rate_limits().size(), 1u);
    EXPECT_EQ(limited.error().rate_limits()[0].throttler, "authenticated");
    EXPECT_EQ(limited.error().rate_limits()[0].remaining, 0);
    EXPECT_EQ(limited.error().rate_limits()[0].reset_seconds, 7);
    EXPECT_EQ(rec->requests().size(), 3u);
    auto seen = retrying.rate_limits();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].limit, 100);
}

TEST_F(RequestShapes, PtyMatchesTheSdk) {
    auto sb = sandbox();
    // create-connect with an environment: the environment rides in the first subprotocol
    // offer (base64url of its JSON), exit control in the second. A refused upgrade (here 409)
    // is Daytona's error, naming the operation.
    rec->push_response(409, R"({"statusCode":409,"message":"PTY session p1 already exists"})");
    dt::pty_options env{.id = "p1", .env = {{"TERM", "xterm"}}, .cols = 100, .rows = 30};
    auto refused = await(sb.pty().create(std::move(env)));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error(), dt::condition::conflict);
    EXPECT_EQ(refused.error().info().operation, "create_connect_pty");
    EXPECT_EQ(refused.error().info().message, "PTY session p1 already exists");
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(rec->last().target,
              "/toolbox/sbx-1/process/pty/create-connect?id=p1&cols=100&rows=30");
    auto offered = std::string(rec->last().headers.get("sec-websocket-protocol"));
    std::erase(offered, ' ');  // the list separator may carry a space
    EXPECT_EQ(offered, "X-Daytona-Pty-Envs~eyJURVJNIjoieHRlcm0ifQ,X-Daytona-Pty-Exit-Control");
    EXPECT_EQ(rec->last().headers.get("upgrade"), "websocket");
    EXPECT_EQ(rec->last().headers.get("authorization"), "Bearer test-key");

    // Defaults: 80×24, exit control only; a cwd goes in the query.
    rec->push_response(404, "");
    dt::pty_options plain{.id = "p1"};
    EXPECT_FALSE(await(sb.pty().create(std::move(plain))));
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(rec->last().headers.get("sec-websocket-protocol"), "X-Daytona-Pty-Exit-Control");
    rec->push_response(404, "");
    dt::pty_options in_dir{.id = "p1", .cwd = "/tmp/a b"};
    EXPECT_FALSE(await(sb.pty().create(std::move(in_dir))));
    EXPECT_EQ(rec->last().target,
              "/toolbox/sbx-1/process/pty/create-connect?id=p1&cols=80&rows=24&cwd=%2Ftmp%2Fa%20b");
    // Refused before anything is sent.
    const auto sent = rec->requests().size();
    dt::pty_options huge{.id = "p1", .cols = 1001};
    EXPECT_EQ(await(sb.pty().create(std::move(huge))).error(), dt::errc::invalid_argument);
    EXPECT_EQ(await(sb.pty().resize("p1", 0, 10)).error(), dt::errc::invalid_argument);
    EXPECT_EQ(rec->requests().size(), sent);

    // Attaching to an existing terminal offers exit control.
    rec->push_response(404, R"({"statusCode":404,"message":"PTY session p1 not found"})");
    auto attach = await(sb.pty().connect("p1"));
    EXPECT_EQ(attach.error(), dt::condition::not_found);
    EXPECT_EQ(rec->last().method, dt::http::verb::get);
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/process/pty/p1/connect");
    EXPECT_EQ(rec->last().operation, "connect_pty_session");
    EXPECT_EQ(rec->last().headers.get("sec-websocket-protocol"), "X-Daytona-Pty-Exit-Control");

    // resize and kill, as captured; list and get.
    rec->push_response(200,
                       R"({"id":"p1","cwd":"/home/daytona","envs":{},"cols":120,"rows":40,)"
                       R"("createdAt":"2026-01-01T00:00:00Z","active":true,"lazyStart":true})");
    auto resized = await(sb.pty().resize("p1", 120, 40));
    ASSERT_TRUE(resized) << resized.error();
    EXPECT_EQ(resized->cols, 120);
    EXPECT_TRUE(resized->lazy_start);
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(rec->last().body, R"({"cols":120,"rows":40})");
    rec->push_response(200, R"({"message":"PTY session deleted"})");
    ASSERT_TRUE(await(sb.pty().kill("p1")));
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/process/pty/p1");
    rec->push_response(200, R"({"sessions":[{"id":"p1","cwd":"/","envs":{"A":"b"},"cols":80,)"
                            R"("rows":24,"createdAt":"t","active":false,"lazyStart":false}]})");
    auto listed = await(sb.pty().list());
    ASSERT_TRUE(listed) << listed.error();
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ(listed->front().envs.at("A"), "b");
    EXPECT_EQ(rec->last().method, dt::http::verb::get);
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/process/pty");
    rec->push_response(200, R"({"id":"p 2","cwd":"/","cols":80,"rows":24,"createdAt":"t",)"
                            R"("active":true,"lazyStart":false})");
    ASSERT_TRUE(await(sb.pty().get("p 2")));
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/process/pty/p%202");
}

TEST_F(RequestShapes, PtyCreateBodyIsTheSpecs) {
    // POST /process/pty, the two-step create the SDKs used before create-connect.
    dt::pty_create_request r{.id = "p1",
                             .cwd = "/tmp",
                             .envs = {{"TERM", "xterm"}},
                             .cols = 100,
                             .rows = 30,
                             .lazy_start = true};
    EXPECT_EQ(dt::api::to_json_body(r),
              R"({"id":"p1","cwd":"/tmp","envs":{"TERM":"xterm"},"cols":100,"rows":30,)"
              R"("lazyStart":true})");
    EXPECT_EQ(dt::api::to_json_body(dt::pty_create_request{.id = "p1"}), R"({"id":"p1"})");
}

TEST_F(RequestShapes, InterpreterMatchesTheSdk) {
    auto sb = sandbox();
    // The execute WebSocket, then its first frame (as captured: code, envs, timeout seconds).
    rec->push_response(503, "");
    dt::run_code_options o{.env = {{"A", "b"}}, .timeout = 5s};
    auto refused = await(sb.code_interpreter().run_code("print(1)", std::move(o)));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error(), dt::condition::unavailable);
    EXPECT_EQ(refused.error().info().operation, "execute_interpreter_code");
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(rec->last().headers.get("upgrade"), "websocket");
    EXPECT_FALSE(rec->last().headers.contains("sec-websocket-protocol"));
    dt::interpreter_execute_request first{.code = "print(1)", .envs = {{"A", "b"}}, .timeout = 5};
    EXPECT_EQ(dt::api::to_json_body(first),
              R"j({"code":"print(1)","envs":{"A":"b"},"timeout":5})j");
    dt::interpreter_execute_request in_context{.code = "x", .context_id = "c1"};
    EXPECT_EQ(dt::api::to_json_body(in_context), R"({"code":"x","contextId":"c1"})");

    rec->push_response(200, R"({"id":"c1","cwd":"/tmp","language":"python",)"
                            R"("createdAt":"2026-01-01T00:00:00Z","active":true})");
    auto ctx = await(sb.code_interpreter().create_context("/tmp", ""));
    ASSERT_TRUE(ctx) << ctx.error();
    EXPECT_EQ(ctx->id, "c1");
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(rec->last().body, R"({"cwd":"/tmp"})");
    rec->push_response(200, R"({"contexts":[]})");
    ASSERT_TRUE(await(sb.code_interpreter().list_contexts()));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, R"({"message":"Context deleted"})");
    ASSERT_TRUE(await(sb.code_interpreter().delete_context("c1")));
    EXPECT_EQ(rec->last().method, dt::http::verb::delete_);
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/process/interpreter/context/c1");
    rec->push_response(200, R"({"id":"c2","cwd":"/home","language":"python","createdAt":"t",)"
                            R"("active":true})");
    ASSERT_TRUE(await(sb.code_interpreter().create_context()));
    EXPECT_EQ(rec->last().body, "{}");
}

TEST_F(RequestShapes, LspRequestsAreTheSpecs) {
    auto sb = sandbox();
    auto lsp = sb.lsp_server("python", "/tmp/proj");
    ASSERT_TRUE(await(lsp.start()));
    EXPECT_EQ(rec->last().method, dt::http::verb::post);
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/lsp/start");
    EXPECT_EQ(rec->last().body, R"({"languageId":"python","pathToProject":"/tmp/proj"})");
    ASSERT_TRUE(await(lsp.did_open("app.py")));
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/lsp/did-open");
    EXPECT_EQ(rec->last().body, R"({"languageId":"python","pathToProject":"/tmp/proj",)"
                                R"("uri":"file:///tmp/proj/app.py"})");
    rec->push_response(200,
                       R"({"isIncomplete":false,"items":[{"label":"path","kind":9,)"
                       R"("documentation":{"kind":"markdown","value":"x"}},{"label":"pardir"}]})");
    dt::lsp_position at{.line = 12, .character = 5};
    auto c = await(lsp.completions("/tmp/proj/app.py", at));
    ASSERT_TRUE(c) << c.error();
    ASSERT_EQ(c->items.size(), 2u);
    EXPECT_EQ(c->items[0].kind, 9);
    EXPECT_EQ(c->items[0].documentation, R"({"kind":"markdown","value":"x"})");
    EXPECT_EQ(c->items[1].documentation, "");
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/lsp/completions");
    EXPECT_EQ(rec->last().body,
              R"({"languageId":"python","pathToProject":"/tmp/proj",)"
              R"("uri":"file:///tmp/proj/app.py","position":{"line":12,"character":5}})");
    rec->push_response(
        200, R"([{"name":"Greeter","kind":5,"location":{"uri":"file:///tmp/proj/app.py",)"
             R"("range":{"start":{"line":3,"character":0},"end":{"line":5,"character":30}}}}])");
    auto symbols = await(lsp.document_symbols("/tmp/proj/app.py"));
    ASSERT_TRUE(symbols) << symbols.error();
    ASSERT_EQ(symbols->size(), 1u);
    EXPECT_EQ(symbols->front().location.range.end.character, 30);
    EXPECT_EQ(rec->last().method, dt::http::verb::get);
    EXPECT_EQ(rec->last().target,
              "/toolbox/sbx-1/lsp/document-symbols?languageId=python&pathToProject=%2Ftmp%2Fproj"
              "&uri=file%3A%2F%2F%2Ftmp%2Fproj%2Fapp.py");
    rec->push_response(200, "[]");
    ASSERT_TRUE(await(lsp.workspace_symbols("Greet")));
    EXPECT_EQ(rec->last().target,
              "/toolbox/sbx-1/lsp/workspacesymbols?query=Greet&languageId=python"
              "&pathToProject=%2Ftmp%2Fproj");
    ASSERT_TRUE(await(lsp.did_close("app.py")));
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/lsp/did-close");
    ASSERT_TRUE(await(lsp.stop()));
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/lsp/stop");
    EXPECT_EQ(rec->last().body, R"({"languageId":"python","pathToProject":"/tmp/proj"})");
    const auto sent = rec->requests().size();
    EXPECT_EQ(await(sb.lsp_server("cobol", "/tmp").start()).error(), dt::errc::invalid_argument);
    EXPECT_EQ(rec->requests().size(), sent);
}

TEST(PtyProtocol, ControlMessagesAndCloseReasonsAsTheDaemonSendsThem) {
    namespace p = dt::pty_protocol;
    auto connected = p::parse_control(R"({"type":"control","status":"connected"})");
    ASSERT_TRUE(connected);
    EXPECT_EQ(connected->status, "connected");
    auto exited = p::parse_control(
        R"({"type":"control","status":"exited","exitCode":130,"exitReason":"Ctrl+C"})");
    ASSERT_TRUE(exited);
    EXPECT_EQ(exited->exit_code, 130);
    EXPECT_EQ(exited->exit_reason, "Ctrl+C");
    auto failed = p::parse_control(R"({"type":"control","status":"error","error":"no shell"})");
    ASSERT_TRUE(failed);
    EXPECT_EQ(failed->error, "no shell");
    // Terminal output that happens to be text, even JSON text, is output.
    EXPECT_FALSE(p::parse_control("ls\r\n"));
    EXPECT_FALSE(p::parse_control(R"({"type":"stdout"})"));
    EXPECT_FALSE(p::parse_control("{broken"));
    auto clean = p::parse_close_reason(R"({"exitCode":0})");
    ASSERT_TRUE(clean);
    EXPECT_EQ(clean->exit_code, 0);
    auto killed = p::parse_close_reason(R"({"exitCode":137,"exitReason":"SIGKILL"})");
    ASSERT_TRUE(killed);
    EXPECT_EQ(killed->exit_reason, "SIGKILL");
    auto missing = p::parse_close_reason(R"({"error":"PTY session not found"})");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->error, "PTY session not found");
    EXPECT_FALSE(p::parse_close_reason("slow consumer"));
    // The offers: environment first (base64url of its JSON, no padding), then exit control.
    const std::vector<std::string> want{"X-Daytona-Pty-Envs~eyJURVJNIjoieHRlcm0ifQ",
                                        "X-Daytona-Pty-Exit-Control"};
    EXPECT_EQ(p::offers({{"TERM", "xterm"}}), want);
    EXPECT_EQ(p::offers({}), std::vector<std::string>{"X-Daytona-Pty-Exit-Control"});
}

TEST(PtyProtocol, TheEmulatorWritesControlMessagesAndCloseReasonsAsTheDaemon) {
    namespace p = dt::pty_protocol;
    using dt::api::to_json_body;
    EXPECT_EQ(to_json_body(p::control_message{.type = "control", .status = "connected"}),
              R"({"type":"control","status":"connected"})");
    EXPECT_EQ(
        to_json_body(p::control_message{.type = "control", .status = "error", .error = "no shell"}),
        R"({"type":"control","status":"error","error":"no shell"})");
    EXPECT_EQ(
        to_json_body(p::control_message{
            .type = "control", .status = "exited", .exit_code = 130, .exit_reason = "Ctrl+C"}),
        R"({"type":"control","status":"exited","exitCode":130,"exitReason":"Ctrl+C"})");
    EXPECT_EQ(to_json_body(p::close_reason{.exit_code = 0}), R"({"exitCode":0})");
    EXPECT_EQ(to_json_body(p::close_reason{.exit_code = 137, .exit_reason = "SIGKILL"}),
              R"({"exitCode":137,"exitReason":"SIGKILL"})");
    EXPECT_EQ(to_json_body(p::close_reason{.error = "PTY session not found"}),
              R"({"error":"PTY session not found"})");
    // What the encoder writes, the client reads back.
    auto back = p::parse_control(
        to_json_body(p::control_message{.type = "control", .status = "exited", .exit_code = 5}));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->exit_code, 5);
    EXPECT_FALSE(back->exit_reason);
}

TEST(InterpreterProtocol, MessagesAsTheDaemonSendsThem) {
    auto out = dt::json::decode<dt::interpreter_message>(
        std::string_view(R"({"type":"stdout","text":"1\n"})"), "message");
    ASSERT_TRUE(out) << out.error();
    EXPECT_EQ(out->type, "stdout");
    EXPECT_EQ(out->text, "1\n");
    auto err = dt::json::decode<dt::interpreter_message>(
        std::string_view(R"({"type":"error","name":"ValueError","value":"bad","traceback":"tb"})"),
        "message");
    ASSERT_TRUE(err) << err.error();
    EXPECT_EQ(err->name, "ValueError");
    EXPECT_EQ(err->value, "bad");
    EXPECT_EQ(err->traceback, "tb");
    auto untyped =
        dt::json::decode<dt::interpreter_message>(std::string_view(R"({"text":"x"})"), "message");
    ASSERT_FALSE(untyped);
    EXPECT_EQ(untyped.error(), dt::errc::json_schema_mismatch);
}

TEST_F(RequestShapes, FileOperationsMatchTheSdk) {
    auto fs = sandbox().fs();
    rec->push_response(200, "[]");
    ASSERT_TRUE(await(fs.list("/tmp")));
    EXPECT_TRUE(matches_capture(rec->last()));  // GET /toolbox/sbx-1/files?path=%2Ftmp
    EXPECT_EQ(rec->last().operation, "list_files");
    rec->push_response(200, R"({"name":"x","isDir":false,"size":3,"mode":"-rw-r--r--",)"
                            R"("permissions":"0644","modTime":"t","modifiedAt":"t",)"
                            R"("owner":"daytona","group":"daytona"})");
    auto info = await(fs.info("/tmp/x"));
    ASSERT_TRUE(info) << info.error();
    EXPECT_EQ(info->size, 3u);
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(201, "");
    ASSERT_TRUE(await(fs.create_folder("/tmp/d", "755")));
    EXPECT_TRUE(matches_capture(rec->last()));  // POST .../files/folder?path=%2Ftmp%2Fd&mode=755
    rec->push_response(204, "");
    ASSERT_TRUE(await(fs.delete_file("/tmp/d", true)));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(204, "");
    ASSERT_TRUE(await(fs.delete_file("/tmp/f")));
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/files?path=%2Ftmp%2Ff");
    rec->push_response(200, "");
    ASSERT_TRUE(await(fs.move("/a", "/b")));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, "[]");
    ASSERT_TRUE(await(fs.find("/tmp", "foo")));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, R"({"files":["/tmp/a.py"]})");
    auto found = await(fs.search("/tmp", "*.py"));
    ASSERT_TRUE(found) << found.error();
    EXPECT_EQ(*found, std::vector<std::string>{"/tmp/a.py"});
    EXPECT_TRUE(matches_capture(rec->last()));  // the '*' stays as it is
    rec->push_response(200, R"([{"file":"/a","success":true}])");
    ASSERT_TRUE(await(fs.replace({"/a"}, "x", "y")));
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(rec->last().body, R"({"files":["/a"],"newValue":"y","pattern":"x"})");
    rec->push_response(200, "");
    dt::file_permissions perm{.mode = "644", .owner = "root", .group = "root"};
    ASSERT_TRUE(await(fs.set_permissions("/a", std::move(perm))));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, "");
    dt::file_permissions only_mode{.mode = "600"};
    ASSERT_TRUE(await(fs.set_permissions("/a b", std::move(only_mode))));
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/files/permissions?path=%2Fa%20b&mode=600");
    // A single download (the spec's GET; the SDK uses the bulk route for one file too).
    rec->push_response(200, "bytes");
    auto got = await(fs.download("/tmp/a b.txt"));
    ASSERT_TRUE(got) << got.error();
    EXPECT_EQ(*got, "bytes");
    EXPECT_EQ(rec->last().method, dt::http::verb::get);
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/files/download?path=%2Ftmp%2Fa%20b.txt");
    EXPECT_EQ(rec->last().operation, "download_file");
}

TEST_F(RequestShapes, UploadsUseTheSdksMultipartLayout) {
    auto fs = sandbox().fs();
    std::vector<dt::upload_entry> files{
        {.source = dt::upload_source::from_memory("A"), .destination = "/tmp/a"},
        {.source = dt::upload_source::from_memory("BB"), .destination = "/tmp/b"},
    };
    rec->push_response(200, R"({"files":[]})");
    ASSERT_TRUE(await(fs.upload_files(std::move(files))));
    const auto& r = rec->last();
    EXPECT_EQ(r.method, dt::http::verb::post);
    EXPECT_EQ(r.target, "/toolbox/sbx-1/files/bulk-upload");  // as captured
    EXPECT_EQ(r.headers.get("accept"), "*/*");
    const auto type = std::string(r.headers.get("content-type"));
    const std::string prefix = "multipart/form-data; boundary=";
    ASSERT_EQ(type.substr(0, prefix.size()), prefix);
    const auto b = type.substr(prefix.size());
    EXPECT_GE(b.size(), 24u);
    // The capture's layout, with our boundary.
    const std::string want = "--" + b +
                             "\r\n"
                             "Content-Disposition: form-data; name=\"files[0].path\"\r\n\r\n"
                             "/tmp/a\r\n--" +
                             b +
                             "\r\n"
                             "Content-Disposition: form-data; name=\"files[0].file\"; "
                             "filename=\"a\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                             "A\r\n--" +
                             b +
                             "\r\n"
                             "Content-Disposition: form-data; name=\"files[1].path\"\r\n\r\n"
                             "/tmp/b\r\n--" +
                             b +
                             "\r\n"
                             "Content-Disposition: form-data; name=\"files[1].file\"; "
                             "filename=\"b\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                             "BB\r\n--" +
                             b + "--\r\n";
    EXPECT_EQ(r.body, want);
    // The same body from a second upload has another boundary.
    rec->push_response(200, R"({"files":[]})");
    ASSERT_TRUE(await(fs.upload("/tmp/dir/up.txt", dt::upload_source::from_memory("x"))));
    EXPECT_EQ(rec->last().headers.get("content-type").find(b), std::string_view::npos);
    EXPECT_NE(rec->last().body.find("name=\"files[0].file\"; filename=\"up.txt\""),
              std::string::npos);
    // A daemon's per-file upload errors are the message.
    rec->push_response(400, R"({"errors":["/x: permission denied"],"files":[]})");
    auto failed = await(fs.upload("/x", dt::upload_source::from_memory("x")));
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().http_status(), 400);
    EXPECT_EQ(failed.error().operation(), "upload_files");
    EXPECT_NE(failed.error().message().find("permission denied"), std::string::npos);
}

namespace {
dt::http::response multipart_response(std::string content_type, std::string body) {
    dt::http::response r;
    r.status = 200;
    r.keep_alive = true;
    if (!content_type.empty()) r.headers.add("Content-Type", content_type);
    r.body = std::move(body);
    return r;
}
}  // namespace

TEST_F(RequestShapes, BulkDownloadsParseTheStreamAndRejectBrokenBodies) {
    auto fs = sandbox().fs();
    const std::string type = "multipart/form-data; boundary=DAYTONA-FILE-BOUNDARY";
    const std::string body =
        "--DAYTONA-FILE-BOUNDARY\r\n"
        "Content-Disposition: form-data; name=\"file\"; filename=\"/tmp/a.txt\"; "
        "filename*=utf-8''%2Ftmp%2Fa.txt\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n"
        "hello\r\n--DAYTONA-FILE-BOUNDARY\r\n"
        "Content-Disposition: form-data; name=\"error\"; filename=\"/tmp/missing\"\r\n"
        "Content-Type: application/json; charset=utf-8\r\n\r\n"
        R"({"message":"file not found: /tmp/missing","statusCode":404,"code":"FILE_NOT_FOUND"})"
        "\r\n--DAYTONA-FILE-BOUNDARY--\r\n";
    auto entries = [] {
        return std::vector<dt::download_entry>{{.path = "/tmp/a.txt"}, {.path = "/tmp/missing"}};
    };
    rec->push_response(multipart_response(type, body));
    auto ok = await(fs.download_files(entries()));
    ASSERT_TRUE(ok) << ok.error();
    EXPECT_TRUE(matches_capture(rec->last()));  // {"paths":["/tmp/a.txt","/tmp/missing"]}
    EXPECT_EQ(rec->last().headers.get("accept"), "multipart/form-data");
    ASSERT_EQ(ok->size(), 2u);
    EXPECT_EQ((*ok)[0].data, "hello");
    ASSERT_TRUE((*ok)[1].failure);
    EXPECT_EQ(*(*ok)[1].failure, dt::condition::not_found);
    EXPECT_EQ((*ok)[1].failure->service_code(), "FILE_NOT_FOUND");
    EXPECT_EQ((*ok)[1].failure->message(), "file not found: /tmp/missing");

    // A file whose bytes hold the delimiter is read by its Content-Length.
    const std::string tricky = "a\r\n--DAYTONA-FILE-BOUNDARY\r\nb";
    rec->push_response(multipart_response(
        type,
        "--DAYTONA-FILE-BOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; "
        "filename=\"/tmp/a.txt\"\r\nContent-Length: " +
            std::to_string(tricky.size()) + "\r\n\r\n" + tricky +
            "\r\n--DAYTONA-FILE-BOUNDARY--\r\n"));
    std::vector<dt::download_entry> one{{.path = "/tmp/a.txt"}};
    auto counted = await(fs.download_files(std::move(one)));
    ASSERT_TRUE(counted) << counted.error();
    EXPECT_EQ((*counted)[0].data, tricky);

    // Truncated: no closing delimiter.
    rec->push_response(multipart_response(type, body.substr(0, body.size() - 30)));
    auto cut = await(fs.download_files(entries()));
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error(), dt::errc::protocol_error) << cut.error();
    EXPECT_EQ(cut.error().operation(), "download_files");
    // Not multipart at all, and no boundary in the Content-Type.
    rec->push_response(multipart_response("application/json", R"({"paths":[]})"));
    EXPECT_EQ(await(fs.download_files(entries())).error(), dt::errc::protocol_error);
    rec->push_response(multipart_response("multipart/form-data", body));
    EXPECT_EQ(await(fs.download_files(entries())).error(), dt::errc::protocol_error);
    // An empty body, and a part for a path that was not asked for.
    rec->push_response(multipart_response(type, ""));
    EXPECT_EQ(await(fs.download_files(entries())).error(), dt::errc::protocol_error);
    std::vector<dt::download_entry> other{{.path = "/tmp/other"}};
    rec->push_response(multipart_response(type, body));
    EXPECT_EQ(await(fs.download_files(std::move(other))).error(), dt::errc::protocol_error);
    // A requested path with no part is that file's failure only.
    std::vector<dt::download_entry> three{
        {.path = "/tmp/a.txt"}, {.path = "/tmp/missing"}, {.path = "/tmp/never"}};
    rec->push_response(multipart_response(type, body));
    auto partial = await(fs.download_files(std::move(three)));
    ASSERT_TRUE(partial) << partial.error();
    EXPECT_TRUE((*partial)[0].ok());
    ASSERT_TRUE((*partial)[2].failure);
    EXPECT_EQ(*(*partial)[2].failure, dt::errc::protocol_error);
}

TEST_F(RequestShapes, GitOperationsMatchTheSdk) {
    auto git = sandbox().git();
    dt::git_clone_options clone{.branch = "main", .credentials = dt::git_credentials{"u", "p"}};
    rec->push_response(200, "");
    ASSERT_TRUE(await(git.clone("https://github.com/x/y.git", "/tmp/y", std::move(clone))));
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(rec->last().body,
              R"({"url":"https://github.com/x/y.git","branch":"main","path":"/tmp/y",)"
              R"("username":"u","password":"p"})");
    dt::git_clone_options at{.commit = "abc123"};
    rec->push_response(200, "");
    ASSERT_TRUE(await(git.clone("https://h/r.git", "/tmp/r", std::move(at))));
    EXPECT_EQ(rec->last().body,
              R"({"url":"https://h/r.git","path":"/tmp/r","commit_id":"abc123"})");

    rec->push_response(200, R"({"currentBranch":"main","fileStatus":[{"name":"a","staging":)"
                            R"("Added","worktree":"Unmodified","extra":""}],"ahead":1,)"
                            R"("behind":0,"branchPublished":true})");
    auto st = await(git.status("/tmp/y"));
    ASSERT_TRUE(st) << st.error();
    EXPECT_TRUE(matches_capture(rec->last()));
    EXPECT_EQ(st->current_branch, "main");
    ASSERT_EQ(st->file_status.size(), 1u);
    EXPECT_EQ(st->file_status[0].staging, "Added");
    EXPECT_EQ(st->ahead, 1);
    EXPECT_TRUE(st->branch_published);

    rec->push_response(200, "");
    ASSERT_TRUE(await(git.add("/tmp/y", {"."})));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, R"({"hash":"deadbeef"})");
    dt::git_commit_options who{.author = "me", .email = "me@x"};
    auto hash = await(git.commit("/tmp/y", "msg", std::move(who)));
    ASSERT_TRUE(hash) << hash.error();
    EXPECT_EQ(*hash, "deadbeef");
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, R"({"hash":"feed"})");
    dt::git_commit_options empty{.author = "me", .email = "me@x", .allow_empty = true};
    ASSERT_TRUE(await(git.commit("/tmp/y", "msg", std::move(empty))));
    EXPECT_EQ(
        rec->last().body,
        R"({"path":"/tmp/y","message":"msg","author":"me","email":"me@x","allow_empty":true})");

    rec->push_response(200, "");
    ASSERT_TRUE(await(git.push("/tmp/y")));
    EXPECT_TRUE(matches_capture(rec->last()));  // {"path":"/tmp/y"}
    rec->push_response(200, "");
    ASSERT_TRUE(await(git.pull("/tmp/y", dt::git_credentials{"u", "p"})));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, R"({"branches":["dev","main"]})");
    auto br = await(git.branches("/tmp/y"));
    ASSERT_TRUE(br) << br.error();
    EXPECT_EQ(br->branches, (std::vector<std::string>{"dev", "main"}));
    EXPECT_TRUE(matches_capture(rec->last()));
    rec->push_response(200, "");
    ASSERT_TRUE(await(git.checkout("/tmp/y", "dev")));
    EXPECT_TRUE(matches_capture(rec->last()));

    // Not in the capture: the spec's shapes, as literals.
    rec->push_response(201, "");
    ASSERT_TRUE(await(git.create_branch("/tmp/y", "feature")));
    EXPECT_EQ(rec->last().method, dt::http::verb::post);
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/git/branches");
    EXPECT_EQ(rec->last().body, R"({"path":"/tmp/y","name":"feature"})");
    rec->push_response(204, "");
    ASSERT_TRUE(await(git.delete_branch("/tmp/y", "feature")));
    EXPECT_EQ(rec->last().method, dt::http::verb::delete_);
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/git/branches");
    EXPECT_EQ(rec->last().body, R"({"path":"/tmp/y","name":"feature"})");
    rec->push_response(200, R"([{"hash":"h","author":"a","email":"e","message":"m",)"
                            R"("timestamp":"2026-01-01T00:00:00Z"}])");
    auto log = await(git.history("/tmp/y"));
    ASSERT_TRUE(log) << log.error();
    ASSERT_EQ(log->size(), 1u);
    EXPECT_EQ((*log)[0].message, "m");
    EXPECT_EQ(rec->last().target, "/toolbox/sbx-1/git/history?path=%2Ftmp%2Fy");
}

TEST_F(RequestShapes, GitPasswordsNeverReachAnError) {
    auto git = sandbox().git();
    rec->push_response(400, R"({"message":"git failed: fatal: auth for u:s3cret-pw@h failed",)"
                            R"("code":"GIT_ERROR","source":"DAYTONA_DAEMON"})");
    auto r = await(git.push("/tmp/y", dt::git_credentials{"u", "s3cret-pw"}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().to_string().find("s3cret-pw"), std::string::npos) << r.error();
    EXPECT_EQ(r.error().body_excerpt().find("s3cret-pw"), std::string::npos);
    EXPECT_NE(r.error().message().find("[REDACTED]"), std::string::npos);
    // A password written into the URL is replaced too.
    rec->push_response(400,
                       R"({"message":"fatal: unable to access 'https://u:tok-123@h/r.git/'"})");
    auto c = await(git.clone("https://u:tok-123@h/r.git", "/tmp/r"));
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().to_string().find("tok-123"), std::string::npos) << c.error();
}

TEST_F(RequestShapes, ImagesGoAsBuildInfoAsTheSdkSendsThem) {
    // snapshot.create({name:'my-snap2', image: Image.base('alpine:3.18').runCommands('echo hi')})
    rec->push_response(200, R"({"id":"s2","name":"my-snap2","state":"active"})");
    rec->push_response(200, R"({"id":"s2","name":"my-snap2","state":"active"})");
    auto snap = await(client.snapshots().create(
        "my-snap2", dt::image::base("alpine:3.18").run_commands({"echo hi"})));
    ASSERT_TRUE(snap) << snap.error();
    EXPECT_TRUE(matches_capture(rec->requests()[0]));
    EXPECT_EQ(rec->requests()[0].body,
              R"({"name":"my-snap2","buildInfo":{"contextHashes":[],)"
              R"("dockerfileContent":"FROM alpine:3.18\nRUN echo hi\n"}})");

    // create({image: Image.debianSlim('3.12').pipInstall(['numpy']).runCommands('echo hi')
    //   .env({A:'1'}).workdir('/w')}): the body the TS SDK 0.218 sent, literally.
    rec->clear();
    rec->push_response(200, sandbox_json);
    dt::create_params p{.build = dt::image::debian_slim("3.12")
                                     .pip_install({"numpy"})
                                     .run_commands({"echo hi"})
                                     .env("A", "1")
                                     .workdir("/w")};
    ASSERT_TRUE(await(client.create(std::move(p))));
    ASSERT_EQ(rec->requests().size(), 1u);  // no context: no push access
    EXPECT_TRUE(same_json(
        rec->last().body,
        R"({"buildInfo":{"contextHashes":[],"dockerfileContent":"FROM python:3.12.10-slim-bookworm\n)"
        R"(RUN apt-get update\nRUN apt-get install -y gcc gfortran build-essential\n)"
        R"(RUN pip install --upgrade pip\nRUN echo 'debconf debconf/frontend select )"
        R"(Noninteractive' | debconf-set-selections\nRUN python -m pip install numpy\n)"
        R"(RUN echo hi\nENV A=1\nWORKDIR /w\n"},"env":{},)"
        R"("labels":{"code-toolbox-language":"python"}})"))
        << rec->last().body;

    // Resources come with an image; an invalid image is refused before anything is sent.
    rec->clear();
    rec->push_response(200, sandbox_json);
    dt::create_params sized{.build = dt::image::base("alpine:3.18"), .resources = {.cpu = 2}};
    ASSERT_TRUE(await(client.create(std::move(sized))));
    EXPECT_TRUE(same_json(rec->last().body,
                          R"({"buildInfo":{"contextHashes":[],"dockerfileContent":"FROM )"
                          R"(alpine:3.18\n"},"env":{},"labels":{"code-toolbox-language":)"
                          R"("python"},"cpu":2})"));
    rec->clear();
    dt::create_params bad{.build = dt::image::base("alpine:3.18").workdir("/a\nRUN evil")};
    EXPECT_EQ(await(client.create(std::move(bad))).error(), dt::errc::invalid_argument);
    EXPECT_TRUE(rec->requests().empty());
}

TEST_F(RequestShapes, ALocalContextIsUploadedSignedBeforeTheCreate) {
    namespace fs = std::filesystem;
    const fs::path dir =
        fs::temp_directory_path() / ("daytona-shape-ctx-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    { std::ofstream(dir / "req.txt") << "numpy==2.0\n"; }
    const auto file = (dir / "req.txt").string();
    auto img = dt::image::base("alpine:3.18").add_local_file(file, "/app/req.txt");
    auto hashes = img.context_hashes();
    ASSERT_TRUE(hashes) << hashes.error();
    ASSERT_EQ(hashes->size(), 1u);
    const auto& hash = hashes->front();
    rec->push_response(200, R"({"accessKey":"AK","secret":"SK","sessionToken":"TOK",)"
                            R"("storageUrl":"http://127.0.0.1:39124/storage",)"
                            R"("organizationId":"org-1","bucket":""})");
    rec->push_response(200, "<ListBucketResult><KeyCount>0</KeyCount></ListBucketResult>");
    rec->push_response(200, "");
    rec->push_response(200, sandbox_json);
    dt::create_params p{.build = img};
    ASSERT_TRUE(await(client.create(std::move(p))));
    fs::remove_all(dir);
    ASSERT_EQ(rec->requests().size(), 4u);
    const auto& access = rec->requests()[0];
    EXPECT_EQ(access.target, "/api/object-storage/push-access");
    EXPECT_EQ(access.headers.get("authorization"), "Bearer test-key");
    // ListObjectsV2, path-style, on the default bucket: signed, never with the API key.
    const auto& list = rec->requests()[1];
    EXPECT_EQ(list.origin, "http://127.0.0.1:39124");
    EXPECT_EQ(list.target, "/storage/daytona-volume-builds?list-type=2&max-keys=1&prefix=org-1%2F" +
                               hash + "%2F");
    EXPECT_EQ(list.headers.get("x-amz-security-token"), "TOK");
    EXPECT_EQ(list.headers.get("x-amz-content-sha256"),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const std::string auth(list.headers.get("authorization"));
    EXPECT_EQ(auth.rfind("AWS4-HMAC-SHA256 Credential=AK/", 0), 0u) << auth;
    EXPECT_NE(auth.find("/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;"
                        "x-amz-date;x-amz-security-token, Signature="),
              std::string::npos)
        << auth;
    // The signature is the one SigV4 gives for exactly this request.
    const std::string date(list.headers.get("x-amz-date"));
    namespace sig = dt::net::sigv4;
    sig::request again{.method = "GET",
                       .path = list.path(),
                       .query = list.query(),
                       .headers = {{"host", "127.0.0.1:39124"},
                                   {"x-amz-content-sha256", std::string(sig::empty_payload_hash)},
                                   {"x-amz-date", date},
                                   {"x-amz-security-token", "TOK"}},
                       .payload_hash = sig::empty_payload_hash};
    EXPECT_EQ(auth.substr(auth.find("Signature=") + 10),
              sig::signature("SK", {date.substr(0, 8), "us-east-1", "s3"}, date, again));
    // PutObject of an uncompressed tar named as the COPY source, unsigned payload.
    const auto& put = rec->requests()[2];
    EXPECT_EQ(put.method, dt::http::verb::put);
    EXPECT_EQ(put.target, "/storage/daytona-volume-builds/org-1/" + hash + "/context.tar");
    EXPECT_EQ(put.headers.get("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
    EXPECT_EQ(put.headers.get("authorization").find("Bearer"), std::string_view::npos);
    const auto tar_name = file.substr(1);  // the leading '/' removed
    ASSERT_EQ(put.body.size() % 512, 0u);
    EXPECT_EQ(put.body.substr(257, 5), "ustar");
    EXPECT_NE(put.body.find(tar_name.size() <= 100 ? tar_name : std::string("path=") + tar_name),
              std::string::npos);
    EXPECT_NE(put.body.find("numpy==2.0\n"), std::string::npos);
    // Then the create, with the context hash.
    EXPECT_TRUE(same_json(rec->requests()[3].body,
                          R"({"buildInfo":{"contextHashes":[")" + hash +
                              R"("],"dockerfileContent":"FROM alpine:3.18\nCOPY )" + file +
                              R"( /app/req.txt\n"},"env":{},"labels":{"code-toolbox-language":)"
                              R"("python"}})"))
        << rec->requests()[3].body;
}

TEST_F(RequestShapes, ProcessAndSessionsMatchTheSdk) {
    // A sandbox with a language label, which code_run needs.
    rec->push_response(200, R"({"id":"sbx-1","name":"sbx-1","state":"started","cpu":2,)"
                            R"("memory":4,"disk":10,"labels":{"code-toolbox-language":"python"},)"
                            R"("toolboxProxyUrl":"http://127.0.0.1:39123/toolbox"})");
    auto got = await(client.get("sbx-1"));
    ASSERT_TRUE(got) << got.error();
    auto sb = *got;
    rec->clear();
    // Method, path, query and body of the last request, spelled out.
    auto sent = [&](dt::http::verb method, std::string_view path, std::string_view query,
                    std::string_view body) {
        const auto& r = rec->last();
        EXPECT_EQ(r.method, method) << r.target;
        EXPECT_EQ(r.path(), path);
        EXPECT_EQ(r.query(), query) << r.target;
        EXPECT_EQ(r.body, body) << r.target;
    };
    using dt::http::verb;

    // execute (captured): exec("echo hello", {cwd:'/tmp', env:{X:'1'}, timeout:5})
    rec->push_response(200, R"({"exitCode":0,"result":"hello\n"})");
    dt::exec_options eo{.cwd = "/tmp", .env = {{"X", "1"}}, .timeout = 5s};
    auto ex = await(sb.process().exec("echo hello", std::move(eo)));
    ASSERT_TRUE(ex) << ex.error();
    EXPECT_EQ(ex->output, "hello\n");
    EXPECT_TRUE(matches_capture(rec->last()));
    sent(verb::post, "/toolbox/sbx-1/process/execute", "",
         R"({"command":"echo hello","timeout":5,"cwd":"/tmp","envs":{"X":"1"}})");
    EXPECT_EQ(rec->last().operation, "execute_command");

    // code-run (captured): codeRun('print(1)', {argv:['a'], env:{K:'v'}}, 10)
    rec->push_response(200, R"({"exitCode":0,"result":"1\n"})");
    dt::code_run_options co{.argv = {"a"}, .env = {{"K", "v"}}, .timeout = 10s};
    auto run = await(sb.process().code_run("print(1)", std::move(co)));
    ASSERT_TRUE(run) << run.error();
    EXPECT_EQ(run->output, "1\n");
    EXPECT_TRUE(matches_capture(rec->last()));
    sent(verb::post, "/toolbox/sbx-1/process/code-run", "",
         R"j({"code":"print(1)","language":"python","argv":["a"],"envs":{"K":"v"},"timeout":10})j");

    // Sessions (captured): create, exec async and sync, command, logs, delete.
    rec->push_response(201, "");
    auto s = await(sb.process().create_session("s1"));
    ASSERT_TRUE(s) << s.error();
    EXPECT_TRUE(matches_capture(rec->last()));
    sent(verb::post, "/toolbox/sbx-1/process/session", "", R"({"sessionId":"s1"})");

    rec->push_response(202, R"({"cmdId":"cmd-1"})");
    auto started = await(s->exec_async("ls"));
    ASSERT_TRUE(started) << started.error();
    EXPECT_EQ(*started, "cmd-1");
    EXPECT_TRUE(matches_capture(rec->last()));
    sent(verb::post, "/toolbox/sbx-1/process/session/s1/exec", "",
         R"({"command":"ls","runAsync":true})");

    rec->push_response(
        200, R"({"cmdId":"cmd-2","output":"1\n","stdout":"1\n","stderr":"","exitCode":0})");
    auto ran = await(s->exec("echo 1"));
    ASSERT_TRUE(ran) << ran.error();
    EXPECT_EQ(ran->stdout_text, "1\n");
    EXPECT_EQ(ran->exit_code, 0);
    EXPECT_TRUE(matches_capture(rec->last()));
    sent(verb::post, "/toolbox/sbx-1/process/session/s1/exec", "",
         R"({"command":"echo 1","runAsync":false})");

    rec->push_response(200, R"({"id":"cmd-1","command":"ls","exitCode":0})");
    auto cmd = await(s->command("cmd-1"));
    ASSERT_TRUE(cmd) << cmd.error();
    EXPECT_EQ(cmd->exit_code, 0);
    EXPECT_TRUE(matches_capture(rec->last()));
    sent(verb::get, "/toolbox/sbx-1/process/session/s1/command/cmd-1", "", "");

    rec->push_response(200, R"({"output":"o\ne\n","stdout":"o\n","stderr":"e\n"})");
    auto logs = await(s->logs("cmd-1"));
    ASSERT_TRUE(logs) << logs.error();
    EXPECT_EQ(logs->stdout_text, "o\n");
    EXPECT_EQ(logs->stderr_text, "e\n");
    EXPECT_TRUE(matches_capture(rec->last()));
    sent(verb::get, "/toolbox/sbx-1/process/session/s1/command/cmd-1/logs", "", "");
    EXPECT_EQ(rec->last().headers.get("accept"), "application/json,text/plain");

    // input and get: the spec's paths (not in the capture).
    rec->push_response(204, "");
    ASSERT_TRUE(await(s->send_input("cmd-1", "yes\n")));
    sent(verb::post, "/toolbox/sbx-1/process/session/s1/command/cmd-1/input", "",
         R"({"data":"yes\n"})");

    rec->push_response(200, R"({"sessionId":"s1","commands":[{"id":"cmd-1","command":"ls",)"
                            R"("exitCode":0}]})");
    auto info = await(s->info());
    ASSERT_TRUE(info) << info.error();
    ASSERT_EQ(info->commands.size(), 1u);
    EXPECT_EQ(info->commands[0].command, "ls");
    sent(verb::get, "/toolbox/sbx-1/process/session/s1", "", "");

    rec->push_response(200, "");
    ASSERT_TRUE(await(s->destroy()));
    EXPECT_TRUE(matches_capture(rec->last()));
    sent(verb::delete_, "/toolbox/sbx-1/process/session/s1", "", "");

    // A session id with a space is percent-encoded in the path.
    rec->push_response(200, R"({"sessionId":"my s","commands":[]})");
    ASSERT_TRUE(await(sb.process().session("my s").info()));
    sent(verb::get, "/toolbox/sbx-1/process/session/my%20s", "", "");

    rec->push_response(200, R"([{"sessionId":"s1","commands":[]}])");
    auto all = await(sb.process().list_sessions());
    ASSERT_TRUE(all) << all.error();
    ASSERT_EQ(all->size(), 1u);
    sent(verb::get, "/toolbox/sbx-1/process/session", "", "");

    // The entrypoint session and its logs.
    rec->push_response(200, R"({"sessionId":"entrypoint","commands":[{"id":"c0",)"
                            R"("command":"sleep infinity"}]})");
    auto entry = await(sb.process().entrypoint_session());
    ASSERT_TRUE(entry) << entry.error();
    EXPECT_EQ(entry->session_id, "entrypoint");
    sent(verb::get, "/toolbox/sbx-1/process/session/entrypoint", "", "");
    rec->push_response(200, R"({"output":"up\n","stdout":"up\n","stderr":""})");
    auto entry_logs = await(sb.process().entrypoint_logs());
    ASSERT_TRUE(entry_logs) << entry_logs.error();
    EXPECT_EQ(entry_logs->stdout_text, "up\n");
    sent(verb::get, "/toolbox/sbx-1/process/session/entrypoint/logs", "", "");
    EXPECT_EQ(rec->last().headers.get("accept"), "application/json,text/plain");

    // Directories (captured), the daemon's version, ports.
    rec->push_response(200, R"({"dir":"/home/daytona"})");
    auto home = await(sb.process().user_home_dir());
    ASSERT_TRUE(home) << home.error();
    EXPECT_EQ(home->dir, "/home/daytona");
    EXPECT_TRUE(matches_capture(rec->last()));
    sent(verb::get, "/toolbox/sbx-1/user-home-dir", "", "");
    rec->push_response(200, R"({"dir":"/work"})");
    auto work = await(sb.process().work_dir());
    ASSERT_TRUE(work) << work.error();
    EXPECT_EQ(work->dir, "/work");
    EXPECT_TRUE(matches_capture(rec->last()));
    sent(verb::get, "/toolbox/sbx-1/work-dir", "", "");
    rec->push_response(200, R"({"version":"v0.5.0"})");
    auto version = await(sb.process().daemon_version());
    ASSERT_TRUE(version) << version.error();
    EXPECT_EQ(version->version, "v0.5.0");
    sent(verb::get, "/toolbox/sbx-1/version", "", "");
    rec->push_response(200, R"({"ports":[3000,8080]})");
    auto ports = await(sb.process().listening_ports());
    ASSERT_TRUE(ports) << ports.error();
    EXPECT_EQ(ports->ports, (std::vector<int>{3000, 8080}));
    sent(verb::get, "/toolbox/sbx-1/port", "", "");
    rec->push_response(200, R"({"isInUse":true})");
    auto in_use = await(sb.process().is_port_in_use(3000));
    ASSERT_TRUE(in_use) << in_use.error();
    EXPECT_TRUE(*in_use);
    sent(verb::get, "/toolbox/sbx-1/port/3000/in-use", "", "");
}

TEST_F(RequestShapes, AContextTheStorageHoldsIsNotUploadedAgain) {
    namespace fs = std::filesystem;
    const fs::path dir =
        fs::temp_directory_path() / ("daytona-shape-held-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    { std::ofstream(dir / "req.txt") << "numpy==2.0\n"; }
    const auto file = (dir / "req.txt").string();
    auto img = dt::image::base("alpine:3.18").add_local_file(file, "/app/req.txt");
    auto hashes = img.context_hashes();
    ASSERT_TRUE(hashes) << hashes.error();
    ASSERT_EQ(hashes->size(), 1u);
    const auto& hash = hashes->front();
    rec->push_response(200, R"({"accessKey":"AK","secret":"SK","sessionToken":"TOK",)"
                            R"("storageUrl":"http://127.0.0.1:39124/storage",)"
                            R"("organizationId":"org-1","bucket":""})");
    // ListObjectsV2 as S3 answers when the prefix holds the context.
    rec->push_response(
        200, R"(<?xml version="1.0" encoding="UTF-8"?>)"
             R"(<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)"
             R"(<Name>daytona-volume-builds</Name><Prefix>org-1/)" +
                 hash +
                 R"(/</Prefix><KeyCount>1</KeyCount><MaxKeys>1</MaxKeys>)"
                 R"(<IsTruncated>false</IsTruncated><Contents><Key>org-1/)" +
                 hash + R"(/context.tar</Key><Size>2048</Size></Contents></ListBucketResult>)");
    rec->push_response(200, sandbox_json);
    dt::create_params p{.build = img};
    ASSERT_TRUE(await(client.create(std::move(p))));
    fs::remove_all(dir);
    // push access, the listing, the create: no PutObject.
    ASSERT_EQ(rec->requests().size(), 3u);
    EXPECT_EQ(rec->requests()[0].target, "/api/object-storage/push-access");
    EXPECT_EQ(
        rec->requests()[1].target,
        "/storage/daytona-volume-builds?list-type=2&max-keys=1&prefix=org-1%2F" + hash + "%2F");
    for (const auto& r : rec->requests())
        EXPECT_NE(r.method, dt::http::verb::put) << r.target;
    EXPECT_EQ(rec->requests()[2].method, dt::http::verb::post);
    EXPECT_EQ(rec->requests()[2].target, "/api/sandbox");
    EXPECT_NE(rec->requests()[2].body.find(R"("contextHashes":[")" + hash + R"("])"),
              std::string::npos)
        << rec->requests()[2].body;
}

TEST_F(RequestShapes, VolumeCreateWaitsForPendingCreateAndSnapshotsResolveNames) {
    // POST /volumes answers pending_create (as Daytona does); create() polls GET /volumes/{id}
    // until the volume is ready.
    auto vols = client.volumes();
    rec->push_response(200, R"({"id":"vol-1","name":"v","state":"pending_create"})");
    rec->push_response(200, R"({"id":"vol-1","name":"v","state":"pending_create"})");
    rec->push_response(200, R"({"id":"vol-1","name":"v","state":"ready"})");
    auto made = await(vols.create("v"));
    ASSERT_TRUE(made) << made.error();
    EXPECT_EQ(made->state, dt::volume_state::ready);
    ASSERT_EQ(rec->requests().size(), 3u);
    EXPECT_EQ(rec->requests()[0].method, dt::http::verb::post);
    EXPECT_EQ(rec->requests()[0].target, "/api/volumes");
    EXPECT_EQ(rec->requests()[0].body, R"({"name":"v"})");
    for (std::size_t i = 1; i < 3; ++i) {
        EXPECT_EQ(rec->requests()[i].method, dt::http::verb::get);
        EXPECT_EQ(rec->requests()[i].target, "/api/volumes/vol-1");
    }
    // One that ends in `error`: errc::sandbox_failed carrying Daytona's errorReason.
    rec->clear();
    rec->push_response(200, R"({"id":"vol-2","name":"w","state":"pending_create"})");
    rec->push_response(200, R"({"id":"vol-2","name":"w","state":"error",)"
                            R"("errorReason":"bucket quota exceeded"})");
    auto failed = await(vols.create("w"));
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error(), dt::errc::sandbox_failed) << failed.error();
    EXPECT_EQ(failed.error().reason(), "bucket quota exceeded");
    EXPECT_EQ(failed.error().operation(), "create_volume");
    EXPECT_NE(failed.error().message().find("bucket quota exceeded"), std::string::npos);
    EXPECT_EQ(rec->requests().size(), 2u);

    // activate / deactivate by name: GET /snapshots/{name}, then the id in the path.
    auto snaps = client.snapshots();
    const std::string snap = R"({"id":"snap-id-9","name":"my snap","state":"inactive"})";
    rec->clear();
    rec->push_response(200, snap);
    rec->push_response(200, R"({"id":"snap-id-9","name":"my snap","state":"active"})");
    auto on = await(snaps.activate("my snap"));
    ASSERT_TRUE(on) << on.error();
    ASSERT_EQ(rec->requests().size(), 2u);
    EXPECT_EQ(rec->requests()[0].method, dt::http::verb::get);
    EXPECT_EQ(rec->requests()[0].target, "/api/snapshots/my%20snap");
    EXPECT_EQ(rec->requests()[1].method, dt::http::verb::post);
    EXPECT_EQ(rec->requests()[1].target, "/api/snapshots/snap-id-9/activate");
    rec->clear();
    rec->push_response(200, snap);
    rec->push_response(204, "");
    ASSERT_TRUE(await(snaps.deactivate("my snap")));
    ASSERT_EQ(rec->requests().size(), 2u);
    EXPECT_EQ(rec->requests()[1].target, "/api/snapshots/snap-id-9/deactivate");
    rec->clear();
    rec->push_response(404, R"({"statusCode":404,"message":"Snapshot nope not found"})");
    auto missing = await(snaps.deactivate("nope"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error(), dt::condition::not_found);
    EXPECT_EQ(rec->requests().size(), 1u);
}
