// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of run_sync.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_RUN_SYNC_IPP
#define DAYTONA_IMPL_RUN_SYNC_IPP

#include "daytona/run_sync.hpp"

#include <exception>
#include <utility>

DAYTONA_BEGIN_NAMESPACE

void run_sync(asio::io_context& io, asio::awaitable<void> op) {
    std::exception_ptr failure;
    bool done = false;
    asio::co_spawn(io, std::move(op), [&](std::exception_ptr e) {
        failure = e;
        done = true;
    });
    io.restart();
    while (!done && io.run_one() > 0) {
    }
    if (failure) std::rethrow_exception(failure);
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_RUN_SYNC_IPP
