// SPDX-License-Identifier: Apache-2.0
// Operations of the OpenAPI `volumes` tag, one line each.
#ifndef DAYTONA_API_VOLUMES_HPP
#define DAYTONA_API_VOLUMES_HPP

#include "daytona/api/operation.hpp"
#include "daytona/api/operations.hpp"
#include "daytona/api/sandboxes.hpp"
#include "daytona/codec/volume.hpp"
#include "daytona/config.hpp"
#include "daytona/models/volume.hpp"

#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace api {

/// `POST /volumes`: the volume starts `pending_create` on Daytona; wait for `ready`.
DAYTONA_DECL asio::awaitable<result<volume_info>> create_volume(const channel& c,
                                                                const create_volume_request& r,
                                                                request_options ro = {});
DAYTONA_DECL asio::awaitable<result<std::vector<volume_info>>> list_volumes(
    const channel& c, request_options ro = {});
DAYTONA_DECL asio::awaitable<result<volume_info>> get_volume(const channel& c, std::string_view id,
                                                             request_options ro = {});
DAYTONA_DECL asio::awaitable<result<volume_info>> get_volume_by_name(const channel& c,
                                                                     std::string_view name,
                                                                     request_options ro = {});
/// `DELETE /volumes/{volumeId}`: 409 while a sandbox mounts it.
DAYTONA_DECL asio::awaitable<result<void>> delete_volume(const channel& c, std::string_view id,
                                                         request_options ro = {});

}  // namespace api
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/impl/volumes.ipp"
#endif

#endif  // DAYTONA_API_VOLUMES_HPP
