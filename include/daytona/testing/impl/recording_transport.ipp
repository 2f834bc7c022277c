// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of testing/recording_transport.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_TESTING_IMPL_RECORDING_TRANSPORT_IPP
#define DAYTONA_TESTING_IMPL_RECORDING_TRANSPORT_IPP

#include "daytona/testing/recording_transport.hpp"

#include <string>
#include <utility>
#include <variant>

DAYTONA_BEGIN_NAMESPACE
namespace testing {

void recording_transport::push_response(int status, std::string body) {
    http::response r;
    r.status = status;
    r.keep_alive = true;
    if (!body.empty()) r.headers.add("Content-Type", "application/json");
    r.body = std::move(body);
    script_.push_back(std::move(r));
}

asio::awaitable<result<http::response>> recording_transport::send(http::request& req,
                                                                  const http::send_options& opts) {
    recorded_request rec{.method = req.method,
                         .origin = req.origin.key(),
                         .target = req.target,
                         .headers = req.headers,
                         .body = req.body,
                         .operation = std::string(opts.operation)};
    if (req.stream) {
        req.stream->rewind();
        std::string chunk(64 * 1024, '\0');
        for (;;) {
            auto n = req.stream->read(chunk.data(), chunk.size());
            if (!n) co_return std::move(n).error();
            if (*n == 0) break;
            rec.body.append(chunk.data(), *n);
        }
    }
    requests_.push_back(std::move(rec));
    http::response r = default_;
    if (!script_.empty()) {
        auto next = std::move(script_.front());
        script_.pop_front();
        if (next.index() == 1) co_return std::move(std::get<1>(next));
        r = std::move(std::get<0>(next));
    }
    if (opts.sink && r.ok()) {
        if (auto w = opts.sink->write(r.body); !w) co_return std::move(w).error();
        if (auto f = opts.sink->finish(); !f) co_return std::move(f).error();
        r.body.clear();
    }
    co_return r;
}

asio::awaitable<result<http::upgraded>> recording_transport::upgrade(
    http::request& req, const http::send_options& opts) {
    auto answer = co_await send(req, opts);
    if (!answer) co_return std::move(answer).error();
    http::upgraded out;
    out.head = std::move(*answer);
    co_return out;
}

http::response recording_transport::ok_empty_object() {
    http::response r;
    r.status = 200;
    r.keep_alive = true;
    r.body = "{}";
    return r;
}

}  // namespace testing
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_TESTING_IMPL_RECORDING_TRANSPORT_IPP
