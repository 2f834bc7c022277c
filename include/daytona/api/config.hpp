// SPDX-License-Identifier: Apache-2.0
// Organization-wide operations: the server's public configuration and object-storage push
// access.
#ifndef DAYTONA_API_CONFIG_HPP
#define DAYTONA_API_CONFIG_HPP

#include "daytona/api/operation.hpp"
#include "daytona/api/operations.hpp"
#include "daytona/codec/config.hpp"
#include "daytona/config.hpp"
#include "daytona/models/config.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace api {

/// `GET /config` (public: needs no credentials on Daytona).
inline asio::awaitable<result<server_config>> get_config(const channel& c,
                                                         request_options ro = {}) {
    return invoke<server_config>(c, ops::get_config, {}, ro);
}
/// `GET /object-storage/push-access`: temporary S3 credentials for build contexts.
inline asio::awaitable<result<push_access>> get_push_access(const channel& c,
                                                            request_options ro = {}) {
    return invoke<push_access>(c, ops::get_push_access, {}, ro);
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_CONFIG_HPP
