// SPDX-License-Identifier: Apache-2.0
// Operations of the OpenAPI `snapshots` tag: request builders and one line per operation.
#ifndef DAYTONA_API_SNAPSHOTS_HPP
#define DAYTONA_API_SNAPSHOTS_HPP

#include "daytona/api/operation.hpp"
#include "daytona/api/operations.hpp"
#include "daytona/api/sandboxes.hpp"
#include "daytona/codec/snapshot.hpp"
#include "daytona/config.hpp"
#include "daytona/models/snapshot.hpp"

#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace api {

/**
 * \brief The CreateSnapshot body for `p`, as the official TS SDK builds it: an image name goes
 * as `imageName` (with the entrypoint), a Dockerfile as `buildInfo` with the entrypoint appended
 * as an `ENTRYPOINT [...]` line; the client's target is the default region.
 * \par Errors
 * errc::invalid_argument for an empty name, neither or both of image and dockerfile, an image
 * tagged `latest`, or non-positive resources.
 */
DAYTONA_DECL result<create_snapshot_request> to_request(const snapshot_params& p,
                                                        std::string_view default_region);

constexpr std::string_view to_string(snapshot_sort s) noexcept {
    switch (s) {
        case snapshot_sort::name:
            return "name";
        case snapshot_sort::state:
            return "state";
        case snapshot_sort::last_used_at:
            return "lastUsedAt";
        case snapshot_sort::created_at:
            break;
    }
    return "createdAt";
}

/// The query of `GET /snapshots`.
DAYTONA_DECL std::string list_query(const snapshot_list_params& p);

DAYTONA_DECL asio::awaitable<result<snapshot_info>> create_snapshot(
    const channel& c, const create_snapshot_request& r, request_options ro = {});
/// `GET /snapshots/{id}`, by id or name.
DAYTONA_DECL asio::awaitable<result<snapshot_info>> get_snapshot(const channel& c,
                                                                 std::string_view id_or_name,
                                                                 request_options ro = {});
DAYTONA_DECL asio::awaitable<result<snapshot_page>> list_snapshots(const channel& c,
                                                                   const snapshot_list_params& p,
                                                                   request_options ro = {});
DAYTONA_DECL asio::awaitable<result<void>> delete_snapshot(const channel& c, std::string_view id,
                                                           request_options ro = {});
DAYTONA_DECL asio::awaitable<result<snapshot_info>> activate_snapshot(const channel& c,
                                                                      std::string_view id,
                                                                      request_options ro = {});
DAYTONA_DECL asio::awaitable<result<void>> deactivate_snapshot(const channel& c,
                                                               std::string_view id,
                                                               request_options ro = {});
DAYTONA_DECL asio::awaitable<result<url_response>> get_snapshot_build_logs_url(
    const channel& c, std::string_view id, request_options ro = {});

}  // namespace api
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/impl/snapshots.ipp"
#endif

#endif  // DAYTONA_API_SNAPSHOTS_HPP
