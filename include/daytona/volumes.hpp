// SPDX-License-Identifier: Apache-2.0
// daytona::volume_service: the organization's volumes (client::volumes()).
#ifndef DAYTONA_VOLUMES_HPP
#define DAYTONA_VOLUMES_HPP

#include "daytona/api/volumes.hpp"
#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/models/volume.hpp"
#include "daytona/polling.hpp"

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

    static asio::awaitable<result<volume_info>> create_impl(state_ptr s, std::string name,
                                                            std::chrono::milliseconds timeout) {
        if (name.empty())
            co_return error(
                make_error_code(errc::invalid_argument),
                error_info{.message = "a volume needs a name", .operation = "create_volume"});
        detail::poll_schedule schedule(s->options.polling, timeout);
        const create_volume_request body{.name = name};
        auto v = co_await api::create_volume(s->api_channel(), body);
        if (!v) co_return std::move(v).error();
        while (v->state != volume_state::ready) {
            if (v->state == volume_state::error)
                co_return error(make_error_code(errc::sandbox_failed),
                                error_info{.message = "volume " + v->name + " is in error" +
                                                      (v->error_reason ? ": " + *v->error_reason
                                                                       : std::string()),
                                           .operation = "create_volume",
                                           .reason = v->error_reason.value_or("")});
            if (schedule.expired())
                co_return detail::wait_timed_out(
                    "create_volume", "volume " + v->name + " still " + v->state_name, timeout);
            auto p = co_await detail::pause(schedule.next_pause(), "create_volume");
            if (!p) co_return std::move(p).error();
            const std::string id = v->id;
            v = co_await api::get_volume(s->api_channel(), id);
            if (!v) co_return std::move(v).error().with_operation("create_volume");
        }
        co_return v;
    }

    static asio::awaitable<result<volume_info>> get_or_create_impl(
        state_ptr s, std::string name, std::chrono::milliseconds timeout) {
        auto found = co_await api::get_volume_by_name(s->api_channel(), name);
        if (found || found.error() != condition::not_found) co_return found;
        auto made = co_await create_impl(s, name, timeout);
        if (!made && made.error() == condition::conflict)  // created meanwhile by someone else
            co_return co_await api::get_volume_by_name(s->api_channel(), name);
        co_return made;
    }

    state_ptr state_;
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_VOLUMES_HPP
