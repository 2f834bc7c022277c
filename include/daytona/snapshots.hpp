// SPDX-License-Identifier: Apache-2.0
// daytona::snapshot_service: the organization's snapshots (client::snapshots()).
#ifndef DAYTONA_SNAPSHOTS_HPP
#define DAYTONA_SNAPSHOTS_HPP

#include "daytona/api/snapshots.hpp"
#include "daytona/build_logs.hpp"
#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/models/snapshot.hpp"

#include <chrono>
#include <memory>
#include <string>

DAYTONA_BEGIN_NAMESPACE

/**
 * \brief Creates, finds, lists, activates and deletes snapshots.
 * \details A cheap handle sharing the client's state. Snapshot waits poll every second, as the
 * official SDKs do; a snapshot that ends in `error` or `build_failed` fails the wait with
 * errc::sandbox_failed whose reason() is Daytona's errorReason.
 * \par Thread safety
 * As the client.
 */
class snapshot_service {
public:
    /**
     * \brief Creates a snapshot from an image name or a Dockerfile and waits until it is
     * `active` (`params.wait_timeout`), streaming the build log to `on_log` when given.
     * \par Errors
     * errc::invalid_argument for rejected params (nothing is sent); HTTP errors (409 for a name
     * in use); errc::sandbox_failed when the build fails; errc::wait_timeout.
     */
    [[nodiscard]] asio::awaitable<result<snapshot_info>> create(snapshot_params params,
                                                                log_callback on_log = {}) const {
        return create_impl(state_, std::move(params), std::move(on_log));
    }
    /**
     * \brief Builds `img` into the snapshot `name` and waits until it is `active`, streaming
     * the build log to `on_log`.
     * \details The image is checked (image::validate()) and its local build context uploaded
     * before the snapshot is requested.
     * \par Errors
     * errc::invalid_argument for an invalid image (nothing is sent); errc::io_error for an
     * unreadable context file; HTTP errors; errc::build_failed when the build fails (reason()
     * is Daytona's errorReason, build_log_tail() the last lines of the log); errc::wait_timeout.
     */
    [[nodiscard]] DAYTONA_DECL asio::awaitable<result<snapshot_info>> create(
        std::string name, image img, log_callback on_log) const;
    /// create(name, img, on_log) without a log callback.
    [[nodiscard]] asio::awaitable<result<snapshot_info>> create(std::string name, image img) const {
        return create(std::move(name), std::move(img), log_callback{});
    }
    /// A snapshot by id or name; condition::not_found when there is none.
    [[nodiscard]] asio::awaitable<result<snapshot_info>> get(std::string id_or_name,
                                                             request_options ro = {}) const {
        return api::get_snapshot(state_->api_channel(), id_or_name, ro);
    }
    /// One page of snapshots.
    [[nodiscard]] asio::awaitable<result<snapshot_page>> list(snapshot_list_params params,
                                                              request_options ro = {}) const {
        return api::list_snapshots(state_->api_channel(), params, ro);
    }
    /// The first page of all snapshots.
    [[nodiscard]] asio::awaitable<result<snapshot_page>> list() const {
        return api::list_snapshots(state_->api_channel(), snapshot_list_params{}, {});
    }
    /// Deletes a snapshot, by id or name (a name is looked up first, as the official SDKs do).
    [[nodiscard]] asio::awaitable<result<void>> destroy(std::string id_or_name,
                                                        request_options ro = {}) const {
        return destroy_impl(state_, std::move(id_or_name), ro);
    }
    /// Makes an inactive snapshot usable again, by id or name (a name is looked up first).
    [[nodiscard]] asio::awaitable<result<snapshot_info>> activate(std::string id_or_name,
                                                                  request_options ro = {}) const {
        return activate_impl(state_, std::move(id_or_name), ro);
    }
    /// Takes a snapshot out of use without deleting it, by id or name (a name is looked up
    /// first).
    [[nodiscard]] asio::awaitable<result<void>> deactivate(std::string id_or_name,
                                                           request_options ro = {}) const {
        return deactivate_impl(state_, std::move(id_or_name), ro);
    }
    /// Polls (every second) until the snapshot is `active`.
    [[nodiscard]] asio::awaitable<result<snapshot_info>> wait_until_active(
        std::string id_or_name,
        std::chrono::milliseconds timeout = std::chrono::minutes(10)) const {
        return wait_impl(state_, std::move(id_or_name), timeout, log_callback{});
    }
    /**
     * \brief Polls (every second) until the snapshot is `active`, streaming its build log to
     * `on_log` while it builds, as create() does.
     * \details `on_log` also gets "Creating snapshot <name> (<state>)" on every state change.
     * \par Errors
     * HTTP errors (condition::not_found for an unknown snapshot); errc::build_failed when the
     * build fails (reason() is Daytona's errorReason, build_log_tail() the last lines of the
     * log); errc::sandbox_failed for a snapshot in `error`; errc::wait_timeout.
     */
    [[nodiscard]] asio::awaitable<result<snapshot_info>> wait_until_active(
        std::string id_or_name, log_callback on_log,
        std::chrono::milliseconds timeout = std::chrono::minutes(10)) const {
        return wait_impl(state_, std::move(id_or_name), timeout, std::move(on_log));
    }

private:
    friend class client;
    using state_ptr = std::shared_ptr<detail::client_state>;
    explicit snapshot_service(state_ptr s) : state_(std::move(s)) {}

    static DAYTONA_DECL asio::awaitable<result<snapshot_info>> create_impl(state_ptr s,
                                                                           snapshot_params params,
                                                                           log_callback on_log);

    static DAYTONA_DECL error failed(const snapshot_info& snap, std::string_view operation);

    static DAYTONA_DECL asio::awaitable<result<snapshot_info>> wait_impl(
        state_ptr s, std::string name, std::chrono::milliseconds timeout, log_callback on_log);

    static DAYTONA_DECL asio::awaitable<result<void>> destroy_impl(state_ptr s,
                                                                   std::string id_or_name,
                                                                   request_options ro);

    static DAYTONA_DECL asio::awaitable<result<snapshot_info>> activate_impl(state_ptr s,
                                                                             std::string id_or_name,
                                                                             request_options ro);

    static DAYTONA_DECL asio::awaitable<result<void>> deactivate_impl(state_ptr s,
                                                                      std::string id_or_name,
                                                                      request_options ro);

    state_ptr state_;
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/snapshots.ipp"
#endif

#endif  // DAYTONA_SNAPSHOTS_HPP
