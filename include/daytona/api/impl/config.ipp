// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/config.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_IMPL_CONFIG_IPP
#define DAYTONA_API_IMPL_CONFIG_IPP

#include "daytona/api/config.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace api {

asio::awaitable<result<server_config>> get_config(const channel& c, request_options ro) {
    return invoke<server_config>(c, ops::get_config, {}, ro);
}

asio::awaitable<result<push_access>> get_push_access(const channel& c, request_options ro) {
    return invoke<push_access>(c, ops::get_push_access, {}, ro);
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_IMPL_CONFIG_IPP
