// SPDX-License-Identifier: Apache-2.0
// Sans-io costs per operation: parsing responses, serializing requests, decoding models.
#include <daytona/api/sandboxes.hpp>
#include <daytona/api/toolbox/process.hpp>
#include <daytona/http/parser.hpp>
#include <daytona/http/serializer.hpp>
#include <daytona/json/reader.hpp>

#include <benchmark/benchmark.h>

namespace dt = daytona;

namespace {

const std::string exec_response =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 41\r\n"
    "X-Request-Id: 4f1c2a\r\nDate: Sun, 22 Nov 2026 10:00:00 GMT\r\n\r\n"
    R"({"exitCode":0,"result":"hello from Linux\n"})";

std::string sandbox_json(int i) {
    return R"({"id":"7a1c2f4e-0000-4000-8000-)" + std::to_string(100000000000 + i) +
           R"(","organizationId":"org-1","name":"box-)" + std::to_string(i) +
           R"(","snapshot":"daytonaio/sandbox:0.5.0","user":"daytona","env":{"A":"b"},)"
           R"("labels":{"code-toolbox-language":"python","team":"infra"},"public":false,)"
           R"("networkBlockAll":false,"target":"us","cpu":1,"gpu":0,"memory":1,"disk":3,)"
           R"("state":"started","desiredState":"started","errorReason":null,"recoverable":false,)"
           R"("backupState":"None","autoStopInterval":15,"autoArchiveInterval":10080,)"
           R"("autoDeleteInterval":-1,"volumes":[],"createdAt":"2025-01-01T00:00:00.000Z",)"
           R"("updatedAt":"2025-01-01T00:00:01.000Z","sandboxClass":"container",)"
           R"("daemonVersion":"0.218.0","toolboxProxyUrl":"https://proxy.app.daytona.io/toolbox"})";
}

void BM_ParseResponse_Whole(benchmark::State& st) {
    dt::http::response_parser p;
    for (auto _ : st) {
        p.reset();
        auto n = p.feed(exec_response);
        benchmark::DoNotOptimize(n);
    }
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * exec_response.size()));
}
BENCHMARK(BM_ParseResponse_Whole);

void BM_ParseResponse_Dribbled(benchmark::State& st) {
    const auto step = static_cast<std::size_t>(st.range(0));
    dt::http::response_parser p;
    for (auto _ : st) {
        p.reset();
        for (std::size_t off = 0; off < exec_response.size() && !p.done(); off += step)
            benchmark::DoNotOptimize(p.feed(std::string_view(exec_response).substr(off, step)));
    }
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * exec_response.size()));
}
BENCHMARK(BM_ParseResponse_Dribbled)->Arg(1)->Arg(16);

void BM_ParseResponse_Chunked64K(benchmark::State& st) {
    std::string raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 16; ++i)
        raw += "1000\r\n" + std::string(4096, 'x') + "\r\n";
    raw += "0\r\n\r\n";
    dt::http::response_parser p;
    for (auto _ : st) {
        p.reset();
        benchmark::DoNotOptimize(p.feed(raw));
    }
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * raw.size()));
}
BENCHMARK(BM_ParseResponse_Chunked64K);

void BM_SerializeExecRequest(benchmark::State& st) {
    auto base = dt::http::url::parse(
                    "https://proxy.app.daytona.io/toolbox/7a1c2f4e-0000-4000-8000-000000000001")
                    .value();
    std::string out;
    for (auto _ : st) {
        auto parts = dt::api::json_body(dt::api::to_request("echo hello", dt::exec_options{}));
        auto req = dt::api::make_request(base, dt::api::ops::execute_command, {}, parts).value();
        req.headers.set("Authorization", "Bearer dtn_0123456789abcdef0123456789abcdef");
        req.headers.set("X-Daytona-Source", "sdk-cpp");
        req.headers.set("X-Daytona-SDK-Version", DAYTONA_PROTOCOL_VERSION);
        req.headers.set("User-Agent", "daytona-cpp/" DAYTONA_VERSION_STRING);
        out.clear();
        dt::http::serialize_request_head(req, out);
        benchmark::DoNotOptimize(out.data());
    }
}
BENCHMARK(BM_SerializeExecRequest);

void BM_DecodeExecResult(benchmark::State& st) {
    std::string body = R"({"exitCode":0,"result":"hello from Linux\n"})";
    body.reserve(body.size() + dt::json::padding);
    for (auto _ : st)
        benchmark::DoNotOptimize(dt::json::decode<dt::exec_result>(body, "ExecuteResponse"));
}
BENCHMARK(BM_DecodeExecResult);

void BM_DecodeSandbox(benchmark::State& st) {
    std::string body = sandbox_json(1);
    body.reserve(body.size() + dt::json::padding);
    for (auto _ : st)
        benchmark::DoNotOptimize(dt::json::decode<dt::sandbox_info>(body, "Sandbox"));
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * body.size()));
}
BENCHMARK(BM_DecodeSandbox);

void BM_DecodeSandboxList1000(benchmark::State& st) {
    std::string body = R"({"items":[)";
    for (int i = 0; i < 1000; ++i)
        body += (i ? "," : "") + sandbox_json(i);
    body += R"(],"nextCursor":"1000"})";
    body.reserve(body.size() + dt::json::padding);
    for (auto _ : st) {
        auto page = dt::json::decode<dt::sandbox_info_page>(body, "ListSandboxesResponse");
        if (!page || page->items.size() != 1000) st.SkipWithError("decode failed");
        benchmark::DoNotOptimize(page);
    }
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * body.size()));
}
BENCHMARK(BM_DecodeSandboxList1000);

void BM_EncodeCreateParams(benchmark::State& st) {
    dt::create_params p{.name = "bench",
                        .image = "python:3.12-slim",
                        .env = {{"A", "b"}},
                        .labels = {{"team", "infra"}},
                        .resources = {.cpu = 2, .memory_gib = 4}};
    for (auto _ : st)
        benchmark::DoNotOptimize(dt::api::to_json_body(dt::api::to_request(p, "us").value()));
}
BENCHMARK(BM_EncodeCreateParams);

}  // namespace

BENCHMARK_MAIN();
