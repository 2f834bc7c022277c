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
DAYTONA_DECL asio::awaitable<result<server_config>> get_config(const channel& c,
                                                               request_options ro = {});
/// `GET /object-storage/push-access`: temporary S3 credentials for build contexts.
DAYTONA_DECL asio::awaitable<result<push_access>> get_push_access(const channel& c,
                                                                  request_options ro = {});

}  // namespace api
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/impl/config.ipp"
#endif

#endif  // DAYTONA_API_CONFIG_HPP
