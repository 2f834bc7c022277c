// SPDX-License-Identifier: Apache-2.0
// daytona::volume_service: the organization's volumes (client::volumes()).
#ifndef DAYTONA_VOLUMES_HPP
#define DAYTONA_VOLUMES_HPP

#include "daytona/api/volumes.hpp"
#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/models/volume.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/**
 * \brief Creates, finds, lists and deletes volumes (S3-backed storage that sandboxes mount
 * through create_params::volumes).
 * \par Thread safety
 * As the client.
 */
class volume_service {
public:
    /// Creates a volume and waits until it is `ready` (0: no limit); condition::conflict when
    /// the name is taken.
    [[nodiscard]] asio::awaitable<result<volume_info>> create(
        std::string name, std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return create_impl(state_, std::move(name), timeout);
    }
    /// The volume named `name`, created (and waited for) when there is none.
    [[nodiscard]] asio::awaitable<result<volume_info>> get_or_create(
        std::string name, std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return get_or_create_impl(state_, std::move(name), timeout);
    }
    /// By id; condition::not_found when there is none.
    [[nodiscard]] asio::awaitable<result<volume_info>> get(std::string id,
                                                           request_options ro = {}) const {
        return api::get_volume(state_->api_channel(), id, ro);
    }
    /// By name; condition::not_found when there is none.
    [[nodiscard]] asio::awaitable<result<volume_info>> get_by_name(std::string name,
                                                                   request_options ro = {}) const {
        return api::get_volume_by_name(state_->api_channel(), name, ro);
    }
    /// Every volume of the organization.
    [[nodiscard]] asio::awaitable<result<std::vector<volume_info>>> list(
        request_options ro = {}) const {
        return api::list_volumes(state_->api_channel(), ro);
    }
    /// Deletes a volume by id; condition::conflict while a sandbox mounts it.
    [[nodiscard]] asio::awaitable<result<void>> destroy(std::string id,
                                                        request_options ro = {}) const {
        return api::delete_volume(state_->api_channel(), id, ro);
    }

private:
    friend class client;
    using state_ptr = std::shared_ptr<detail::client_state>;
    explicit volume_service(state_ptr s) : state_(std::move(s)) {}

    static DAYTONA_DECL asio::awaitable<result<volume_info>> create_impl(
        state_ptr s, std::string name, std::chrono::milliseconds timeout);

    static DAYTONA_DECL asio::awaitable<result<volume_info>> get_or_create_impl(
        state_ptr s, std::string name, std::chrono::milliseconds timeout);

    state_ptr state_;
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/volumes.ipp"
#endif

#endif  // DAYTONA_VOLUMES_HPP
