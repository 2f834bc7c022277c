// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/observing_transport.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_OBSERVING_TRANSPORT_IPP
#define DAYTONA_HTTP_IMPL_OBSERVING_TRANSPORT_IPP

#include "daytona/http/observing_transport.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace http {

asio::awaitable<result<response>> observing_transport::send(request& req,
                                                            const send_options& opts) {
    const auto start = std::chrono::steady_clock::now();
    auto r = co_await inner_->send(req, opts);
    const exchange_record rec{
        .operation = opts.operation,
        .req = req,
        .resp = r ? &*r : nullptr,
        .failure = r ? nullptr : &r.error(),
        .elapsed = std::chrono::steady_clock::now() - start,
    };
    observer_->on_exchange(rec);
    co_return r;
}

asio::awaitable<result<upgraded>> observing_transport::upgrade(request& req,
                                                               const send_options& opts) {
    const auto start = std::chrono::steady_clock::now();
    auto r = co_await inner_->upgrade(req, opts);
    const exchange_record rec{
        .operation = opts.operation,
        .req = req,
        .resp = r ? &r->head : nullptr,
        .failure = r ? nullptr : &r.error(),
        .elapsed = std::chrono::steady_clock::now() - start,
        .websocket = true,
    };
    observer_->on_exchange(rec);
    co_return r;
}

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_IMPL_OBSERVING_TRANSPORT_IPP
