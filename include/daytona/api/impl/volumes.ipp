// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/volumes.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_IMPL_VOLUMES_IPP
#define DAYTONA_API_IMPL_VOLUMES_IPP

#include "daytona/api/volumes.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace api {

asio::awaitable<result<volume_info>> create_volume(const channel& c, const create_volume_request& r,
                                                   request_options ro) {
    return invoke<volume_info>(c, ops::create_volume, {}, json_body(r), ro);
}

asio::awaitable<result<std::vector<volume_info>>> list_volumes(const channel& c,
                                                               request_options ro) {
    return invoke<std::vector<volume_info>>(c, ops::list_volumes, {}, ro);
}

asio::awaitable<result<volume_info>> get_volume(const channel& c, std::string_view id,
                                                request_options ro) {
    return invoke<volume_info>(c, ops::get_volume, {id}, ro);
}

asio::awaitable<result<volume_info>> get_volume_by_name(const channel& c, std::string_view name,
                                                        request_options ro) {
    return invoke<volume_info>(c, ops::get_volume_by_name, {name}, ro);
}

asio::awaitable<result<void>> delete_volume(const channel& c, std::string_view id,
                                            request_options ro) {
    return invoke<void>(c, ops::delete_volume, {id}, ro);
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_IMPL_VOLUMES_IPP
