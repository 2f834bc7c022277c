// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of net/asio_compat.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_NET_IMPL_ASIO_COMPAT_IPP
#define DAYTONA_NET_IMPL_ASIO_COMPAT_IPP

#include "daytona/net/asio_compat.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace net {

asio::awaitable<bool> cancellation_requested() {
    asio::cancellation_state st = co_await asio::this_coro::cancellation_state;
    co_return st.cancelled() != asio::cancellation_type::none;
}

}  // namespace net
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_NET_IMPL_ASIO_COMPAT_IPP
