// SPDX-License-Identifier: Apache-2.0
#include <daytona/api/call.hpp>
#include <daytona/api/trace.hpp>
#include <daytona/codec/process.hpp>
#include <daytona/codec/sandbox.hpp>
#include <daytona/json/reader.hpp>
#include <daytona/json/writer.hpp>

#include <gtest/gtest.h>

namespace dt = daytona;

namespace {
// Shaped like the DTO the official API returns, with a few nulls.
const std::string sandbox_dto = R"({
  "id":"7a1c2f4e-0000-4000-8000-000000000001","organizationId":"org-1","name":"my-box",
  "snapshot":"daytonaio/sandbox:0.5.0","user":"daytona","env":{"A":"b"},
  "labels":{"code-toolbox-language":"python","team":"infra"},"public":false,
  "networkBlockAll":false,"networkAllowList":null,"target":"us","cpu":1,"gpu":0,"memory":1,
  "disk":3,"gpuType":null,"state":"started","desiredState":"started","errorReason":null,
  "recoverable":false,"backupState":"None","autoStopInterval":15,"autoArchiveInterval":10080,
  "autoDeleteInterval":-1,"volumes":[{"volumeId":"v1","mountPath":"/data","subpath":"p/"}],
  "buildInfo":{"dockerfileContent":"FROM python:3.12\n","contextHashes":["h1"],
  "snapshotRef":"ref","createdAt":"t0","updatedAt":"t1"},
  "createdAt":"2025-01-01T00:00:00.000Z","updatedAt":"2025-01-01T00:00:01.000Z",
  "sandboxClass":"container","daemonVersion":"0.218.0","futureField":{"nested":[1,2,{"x":null}]},
  "toolboxProxyUrl":"https://proxy.app.daytona.io/toolbox"})";
}  // namespace

TEST(JsonWriter, EscapesAndPlacesCommas) {
    std::string out;
    dt::json::writer w(out);
    w.begin_object()
        .member("s", std::string_view("q\"b\\n\n\t\x01\x1f é"))
        .member("i", -42)
        .member("d", 0.5)
        .member("b", true)
        .key("a")
        .begin_array()
        .value(1)
        .value("x")
        .null()
        .end_array()
        .member("o", std::optional<int>{})
        .member("nan", std::nan(""))
        .end_object();
    EXPECT_EQ(
        out,
        R"({"s":"q\"b\\n\n\t\u0001\u001f é","i":-42,"d":0.5,"b":true,"a":[1,"x",null],"nan":null})");
}

TEST(JsonReader, DecodesFullSandboxDto) {
    auto s = dt::json::decode<dt::sandbox_info>(std::string_view(sandbox_dto), "Sandbox");
    ASSERT_TRUE(s) << s.error();
    EXPECT_EQ(s->id, "7a1c2f4e-0000-4000-8000-000000000001");
    EXPECT_EQ(s->name, "my-box");
    EXPECT_EQ(s->state, dt::sandbox_state::started);
    EXPECT_EQ(s->labels.at("team"), "infra");
    EXPECT_EQ(s->env.at("A"), "b");
    EXPECT_EQ(s->cpu, 1);
    EXPECT_EQ(s->auto_delete_interval, -1);
    EXPECT_FALSE(s->network_allow_list);
    ASSERT_EQ(s->volumes.size(), 1u);
    EXPECT_EQ(s->volumes[0].subpath, "p/");
    ASSERT_TRUE(s->build_info);
    EXPECT_EQ(s->build_info->context_hashes, std::vector<std::string>{"h1"});
    EXPECT_EQ(s->toolbox_proxy_url, "https://proxy.app.daytona.io/toolbox");
}

TEST(JsonReader, UnknownStateIsKeptByName) {
    auto s = dt::json::decode<dt::sandbox_info>(
        std::string_view(R"({"id":"x","state":"hibernating"})"), "Sandbox");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->state, dt::sandbox_state::unknown);
    EXPECT_EQ(s->state_name, "hibernating");
}

TEST(JsonReader, NamesMissingAndIllTypedFields) {
    struct case_t {
        const char* json;
        dt::errc code;
        const char* message;
    } cases[] = {
        {R"({"name":"x"})", dt::errc::json_schema_mismatch, "Sandbox: missing required field 'id'"},
        {R"({"id":"x","cpu":"two"})", dt::errc::json_schema_mismatch,
         "Sandbox.cpu: expected number, got string"},
        {R"({"id":"x","labels":{"a":1}})", dt::errc::json_schema_mismatch,
         "Sandbox.labels.a: expected string, got number"},
        {R"({"id":"x","volumes":[{"volumeId":"v","mountPath":"/a"},{"volumeId":"w","mountPath":7}]})",
         dt::errc::json_schema_mismatch,
         "Sandbox.volumes[1].mountPath: expected string, got number"},
        {R"({"id":"x","autoStopInterval":1.5})", dt::errc::json_schema_mismatch,
         "Sandbox.autoStopInterval: expected integer"},
        {R"({"id":"x","public":"yes"})", dt::errc::json_schema_mismatch,
         "Sandbox.public: expected boolean, got string"},
        {R"([1,2])", dt::errc::json_schema_mismatch, "Sandbox: expected object, got array"},
        {R"("str")", dt::errc::json_schema_mismatch, "Sandbox: expected object or array"},
        {R"({"id":"x",)", dt::errc::json_parse_error, "Sandbox"},
        {R"({"id":"x"} trailing)", dt::errc::json_parse_error, "trailing content"},
        {"", dt::errc::json_parse_error, "Sandbox"},
        {"{\"id\":\"\xff\xfe\"}", dt::errc::json_parse_error, "Sandbox"},
    };
    for (const auto& c : cases) {
        auto s = dt::json::decode<dt::sandbox_info>(std::string_view(c.json), "Sandbox");
        ASSERT_FALSE(s) << c.json;
        EXPECT_EQ(s.error(), c.code) << c.json << " -> " << s.error();
        EXPECT_NE(s.error().message().find(c.message), std::string::npos)
            << c.json << " -> " << s.error().message();
    }
}

TEST(JsonReader, TruncatedDocumentsNeverDecode) {
    for (std::size_t cut = 0; cut < sandbox_dto.size(); cut += 7) {
        auto s = dt::json::decode<dt::sandbox_info>(std::string_view(sandbox_dto).substr(0, cut),
                                                    "Sandbox");
        EXPECT_FALSE(s) << "cut at " << cut;
    }
}

TEST(JsonReader, SandboxPageAndExecResult) {
    auto page = dt::json::decode<dt::sandbox_info_page>(
        std::string_view(
            R"({"items":[{"id":"a"},{"id":"b","state":"stopped"}],"nextCursor":null})"),
        "Page");
    ASSERT_TRUE(page) << page.error();
    ASSERT_EQ(page->items.size(), 2u);
    EXPECT_EQ(page->items[1].state, dt::sandbox_state::stopped);
    EXPECT_TRUE(page->next_cursor.empty());

    auto r = dt::json::decode<dt::exec_result>(
        std::string_view(R"({"exitCode":3,"result":"out\n"})"), "ExecuteResponse");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->exit_code, 3);
    EXPECT_EQ(r->output, "out\n");
    auto legacy = dt::json::decode<dt::exec_result>(std::string_view(R"({"code":1,"result":""})"),
                                                    "ExecuteResponse");
    ASSERT_TRUE(legacy);
    EXPECT_EQ(legacy->exit_code, 1);
    auto missing =
        dt::json::decode<dt::exec_result>(std::string_view(R"({"result":""})"), "ExecuteResponse");
    EXPECT_EQ(missing.error(), dt::errc::json_schema_mismatch);
}

TEST(ErrorBody, BothDaytonaShapes) {
    dt::http::response api;
    api.status = 404;
    api.body =
        R"({"path":"/api/sandbox/x","timestamp":"t","statusCode":404,"error":"Not Found","message":"Sandbox with ID or name x not found"})";
    api.headers.add("X-Request-Id", "req-9");
    auto e = dt::api::error_from_response(api, "get_sandbox");
    EXPECT_EQ(e, dt::condition::not_found);
    EXPECT_EQ(e.http_status(), 404);
    EXPECT_EQ(e.message(), "Sandbox with ID or name x not found");
    EXPECT_EQ(e.request_id(), "req-9");
    EXPECT_EQ(e.operation(), "get_sandbox");

    dt::http::response toolbox;
    toolbox.status = 404;
    toolbox.body =
        R"({"statusCode":404,"message":"file not found: /x","code":"FILE_NOT_FOUND","timestamp":"t","path":"/files/info","method":"GET","source":"DAYTONA_DAEMON"})";
    auto t = dt::api::error_from_response(toolbox, "info");
    EXPECT_EQ(t.service_code(), "FILE_NOT_FOUND");
    EXPECT_EQ(t.source(), "DAYTONA_DAEMON");

    dt::http::response validation;
    validation.status = 400;
    validation.body =
        R"({"statusCode":400,"message":["name must be a string","cpu must be positive"],"error":"Bad Request"})";
    EXPECT_EQ(dt::api::error_from_response(validation, "c").message(),
              "name must be a string, cpu must be positive");

    dt::http::response empty;
    empty.status = 502;
    EXPECT_EQ(dt::api::error_from_response(empty, "c").message(), "Bad Gateway");

    dt::http::response html;
    html.status = 503;
    html.body = "<html>\x01 down</html>";
    auto h = dt::api::error_from_response(html, "c");
    EXPECT_EQ(h.message(), "<html>? down</html>");
    EXPECT_EQ(h, dt::condition::unavailable);
}

TEST(Models, StateNamesRoundTrip) {
    for (const auto& [state, name] : dt::detail::sandbox_state_names) {
        EXPECT_EQ(dt::to_string(state), name);
        EXPECT_EQ(dt::sandbox_state_from_string(name), state);
    }
}

TEST(JsonReader, AWrongTypeAtTheRootIsASchemaError) {
    // A list endpoint that answers an object (or null): an error naming the root, whatever
    // the build (simdjson asserts in debug builds when the root is probed the wrong way).
    for (std::string_view text : {R"({"a":1})", "null"}) {
        auto list = dt::json::decode<std::vector<std::string>>(text, "list");
        if (text == "null") {
            ASSERT_FALSE(list);  // a scalar document is refused before decoding
            continue;
        }
        ASSERT_FALSE(list);
        EXPECT_EQ(list.error(), dt::errc::json_schema_mismatch) << list.error();
        EXPECT_NE(list.error().message().find("expected array, got object"), std::string::npos)
            << list.error();
    }
    auto text = dt::json::decode<std::string>(std::string_view("[1]"), "name");
    ASSERT_FALSE(text);
    EXPECT_EQ(text.error(), dt::errc::json_schema_mismatch) << text.error();
}

namespace {
// The record of one exchange for format_trace_line, without a server.
struct traced {
    dt::http::request req;
    std::optional<dt::http::response> resp;
    std::optional<dt::error> failure;
    bool websocket = false;
    std::chrono::microseconds elapsed{12500};

    std::string line(std::string_view secret = "test-key-7f3a9c1e") const {
        const dt::http::exchange_record rec{.operation = "start_sandbox",
                                            .req = req,
                                            .resp = resp ? &*resp : nullptr,
                                            .failure = failure ? &*failure : nullptr,
                                            .elapsed = elapsed,
                                            .websocket = websocket};
        // 2026-12-02T08:00:00.123Z
        const std::chrono::system_clock::time_point now{std::chrono::seconds(1796198400) +
                                                        std::chrono::milliseconds(123)};
        return dt::api::format_trace_line(rec, secret, now);
    }
};

traced post(std::string target, std::string content_type, std::string body) {
    traced t;
    t.req.method = dt::http::verb::post;
    t.req.origin = {"https", "app.daytona.io", 443};
    t.req.target = std::move(target);
    t.req.headers.set("Authorization", "Bearer test-key-7f3a9c1e");
    if (!content_type.empty()) t.req.headers.set("Content-Type", content_type);
    t.req.body = std::move(body);
    return t;
}
}  // namespace

TEST(Trace, RedactsCredentialPathSegmentsAndQueryValues) {
    // The signed-preview token is the path parameter {token} of expire_signed_preview_url.
    EXPECT_EQ(
        dt::api::redact_target("/api/sandbox/sb1/ports/3000/signed-preview-url/tok-9d2e/expire"),
        "/api/sandbox/sb1/ports/3000/signed-preview-url/[REDACTED]/expire");
    // Creating one carries no token: nothing to hide.
    EXPECT_EQ(dt::api::redact_target(
                  "/api/sandbox/sb1/ports/3000/signed-preview-url?expiresInSeconds=60"),
              "/api/sandbox/sb1/ports/3000/signed-preview-url?expiresInSeconds=60");
    EXPECT_EQ(dt::api::redact_target("/api/organizations/otel-config/by-sandbox-auth-token/at-1"),
              "/api/organizations/otel-config/by-sandbox-auth-token/[REDACTED]");
    EXPECT_EQ(dt::api::redact_target("/api/preview/sb1/validate/at-2"),
              "/api/preview/sb1/validate/[REDACTED]");
    EXPECT_EQ(dt::api::redact_target("/api/preview/spt-3/3000/sandbox-id"),
              "/api/preview/[REDACTED]/3000/sandbox-id");
    EXPECT_EQ(dt::api::redact_target("/api/preview/sb1/public"), "/api/preview/sb1/public");
    EXPECT_EQ(dt::api::redact_target("/api/sandbox/ssh-access/validate?token=ssh-4&x=1"),
              "/api/sandbox/ssh-access/validate?token=[REDACTED]&x=1");
    EXPECT_EQ(dt::api::redact_target("/x?accessToken=a&Pass%77ord=b&page=2&api_key=c"),
              "/x?accessToken=[REDACTED]&Pass%77ord=[REDACTED]&page=2&api_key=[REDACTED]");
    EXPECT_EQ(dt::api::redact_target("/"), "/");
    EXPECT_EQ(dt::api::redact_target("/signed-preview-url/"), "/signed-preview-url/");
}

TEST(Trace, LineForAJsonRequestThatGotAnAnswer) {
    auto t =
        post("/api/sandbox/sb1/ports/3000/signed-preview-url/tok-9d2e/expire?token=q",
             "application/json; charset=utf-8",
             R"({"labels":{"a":"b"},"env":{"DB_PASSWORD":"pw"},"apiKey":"test-key-7f3a9c1e"})");
    t.resp.emplace();
    t.resp->status = 200;
    EXPECT_EQ(
        t.line(),
        R"({"ts":"2026-12-02T08:00:00.123Z","operation":"start_sandbox","method":"POST",)"
        R"("url":"https://app.daytona.io/api/sandbox/sb1/ports/3000/signed-preview-url/[REDACTED]/expire?token=[REDACTED]",)"
        R"("status":200,"ms":12.5,)"
        R"("request_body":{"labels":{"a":"b"},"env":{"DB_PASSWORD":"[REDACTED]"},"apiKey":"[REDACTED]"}})"
        "\n");
}

TEST(Trace, LineWithoutAResponseOrAJsonBody) {
    // No response: status 0 and the error; a body that is not JSON is left out.
    auto t = post("/api/x", "text/plain", "not json");
    t.failure = dt::error(dt::errc::timeout);
    t.elapsed = std::chrono::microseconds(2'000'000);
    EXPECT_EQ(t.line(),
              R"({"ts":"2026-12-02T08:00:00.123Z","operation":"start_sandbox","method":"POST",)"
              R"("url":"https://app.daytona.io/api/x","status":0,"ms":2000,)"
              R"("error":"operation timed out"})"
              "\n");
    // Declared JSON but not parseable: left out too, never copied raw.
    auto broken = post("/api/x", "application/json", R"({"password":"pw")");
    broken.resp.emplace();
    broken.resp->status = 400;
    EXPECT_EQ(broken.line(),
              R"({"ts":"2026-12-02T08:00:00.123Z","operation":"start_sandbox","method":"POST",)"
              R"("url":"https://app.daytona.io/api/x","status":400,"ms":12.5})"
              "\n");
}

TEST(Trace, LineForAWebSocketUpgradeAndTheClientsSecret) {
    traced t;
    t.req.origin = {"http", "127.0.0.1", 8080};
    t.req.target = "/socket.io/?EIO=4&transport=websocket&secret-leaked-test-key-7f3a9c1e";
    t.req.headers.set("Authorization", "Bearer test-key-7f3a9c1e");
    t.websocket = true;
    t.resp.emplace();
    t.resp->status = 101;
    t.elapsed = std::chrono::microseconds(250);
    // The secret is replaced wherever it appears, here in a query key no rule knows.
    EXPECT_EQ(
        t.line(),
        R"({"ts":"2026-12-02T08:00:00.123Z","operation":"start_sandbox","method":"GET",)"
        R"("url":"ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket&secret-leaked-[REDACTED]",)"
        R"("status":101,"ms":0.25,"websocket":true})"
        "\n");
}
