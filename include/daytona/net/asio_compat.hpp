// SPDX-License-Identifier: Apache-2.0
// The asio pieces this library uses, in one place, spelled so they work on asio 1.22 and newer.
#ifndef DAYTONA_NET_ASIO_COMPAT_HPP
#define DAYTONA_NET_ASIO_COMPAT_HPP

#include "daytona/config.hpp"

#ifndef ASIO_STANDALONE
#define ASIO_STANDALONE
#endif
#ifndef ASIO_NO_DEPRECATED
#define ASIO_NO_DEPRECATED
#endif

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/cancellation_state.hpp>
#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <system_error>

DAYTONA_BEGIN_NAMESPACE
namespace net {

/// The completion token for "await and give me the error code instead of throwing". asio 1.22
/// has `as_tuple` only under experimental; redirect_error is stable from 1.22 to current.
inline auto redirect(std::error_code& ec) {
    return asio::redirect_error(asio::use_awaitable, ec);
}

/// True if the awaiting coroutine has been asked to stop.
DAYTONA_DECL asio::awaitable<bool> cancellation_requested();

}  // namespace net
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/net/impl/asio_compat.ipp"
#endif

#endif  // DAYTONA_NET_ASIO_COMPAT_HPP
