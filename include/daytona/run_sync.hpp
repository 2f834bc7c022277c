// SPDX-License-Identifier: Apache-2.0
// run_sync: drive an io_context until one awaitable completes (scripts, tests, main()).
#ifndef DAYTONA_RUN_SYNC_HPP
#define DAYTONA_RUN_SYNC_HPP

#include "daytona/config.hpp"
#include "daytona/net/asio_compat.hpp"

#include <exception>
#include <optional>
#include <utility>

DAYTONA_BEGIN_NAMESPACE

/**
 * \brief Runs `io` until `op` completes and returns its value.
 * \details Only handlers up to the completion of `op` run, so other work on `io` (an embedded
 * server, say) is served meanwhile but left pending afterwards. An exception escaping `op` is
 * rethrown here. Do not call from inside `io.run()`.
 */
template <class T>
T run_sync(asio::io_context& io, asio::awaitable<T> op) {
    std::optional<T> out;
    std::exception_ptr failure;
    bool done = false;
    asio::co_spawn(io, std::move(op), [&](std::exception_ptr e, T v) {
        failure = e;
        if (!e) out.emplace(std::move(v));
        done = true;
    });
    io.restart();
    while (!done && io.run_one() > 0) {
    }
    if (failure) std::rethrow_exception(failure);
    return std::move(*out);
}

DAYTONA_DECL void run_sync(asio::io_context& io, asio::awaitable<void> op);

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/run_sync.ipp"
#endif

#endif  // DAYTONA_RUN_SYNC_HPP
