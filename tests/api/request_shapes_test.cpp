// SPDX-License-Identifier: Apache-2.0
// The requests every operation sends (method, path, query, body), through the whole client
// stack into a recording transport: no sockets. Where the official TS SDK 0.218 made the same
// call, the expectation is its captured request (tests/data/sdk-0.218.0-wire-capture.txt), not
// a table shared with the code under test, so a codec shared by client and emulator cannot make
// both agree on the same mistake.
#include <daytona.hpp>
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
                       .retry = dt::retry_options::none()},
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
                        .min_cpu = 1,
                        .max_cpu = 4,
                        .min_memory_gib = 2,
                        .max_memory_gib = 8,
                        .min_disk_gib = 3,
                        .max_disk_gib = 30,
                        .is_public = true,
                        .is_recoverable = false,
                        .created_after = "2026-01-01T00:00:00Z",
                        .created_before = "2026-12-31T23:59:59Z",
                        .last_activity_after = "2026-02-01T00:00:00Z",
                        .last_activity_before = "2026-03-01T00:00:00Z",
                        .include_errored_deleted = true,
                        .sort = dt::sandbox_sort::memory,
                        .descending = true,
                        .limit = 200,
                        .cursor = "c1"};
    rec->push_response(200, R"({"items":[],"nextCursor":null})");
    ASSERT_TRUE(await(client.list(std::move(all))));
    EXPECT_EQ(rec->last().target,
              "/api/sandbox?cursor=c1&limit=200&id=ab&name=my%20box"
              "&labels=%7B%22k%22%3A%22v%20w%22%7D&includeErroredDeleted=true&states=archived"
              "&snapshots=s1&snapshots=s2&regionIds=eu&minCpu=1&maxCpu=4&minMemoryGiB=2"
              "&maxMemoryGiB=8&minDiskGiB=3&maxDiskGiB=30&isPublic=true&isRecoverable=false"
              "&createdAtAfter=2026-01-01T00%3A00%3A00Z&createdAtBefore=2026-12-31T23%3A59%3A59Z"
              "&lastEventAfter=2026-02-01T00%3A00%3A00Z&lastEventBefore=2026-03-01T00%3A00%3A00Z"
              "&sort=memoryGib&order=desc");
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
                           .organization_id = "org-1"},
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
                         .retry = {.max_attempts = 3, .initial_backoff = 1ms}},
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
