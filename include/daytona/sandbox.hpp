// SPDX-License-Identifier: Apache-2.0
// daytona::sandbox: a handle to one sandbox, its lifecycle, and its toolbox sub-objects.
#ifndef DAYTONA_SANDBOX_HPP
#define DAYTONA_SANDBOX_HPP

#include "daytona/api/sandboxes.hpp"
#include "daytona/config.hpp"
#include "daytona/detail/backoff.hpp"
#include "daytona/detail/client_state.hpp"
#include "daytona/models/sandbox.hpp"
#include "daytona/process.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

DAYTONA_BEGIN_NAMESPACE

/**
 * \brief A sandbox: its last known state, lifecycle operations, and the toolbox APIs.
 * \details Obtained from client::create() or client::get(). No operation is done implicitly:
 * the destructor performs no I/O; call destroy() to delete the sandbox.
 * \par Copying
 * A cheap handle: copies share the data, so a refresh() through one copy is seen by all.
 * Equality is not defined; compare id()s.
 * \par Thread safety
 * As the client: use from the client's executor, one thread or strand at a time.
 */
class sandbox {
public:
    /// An empty handle (what a default-constructed result<sandbox> holds); every operation on it
    /// fails with errc::invalid_argument. Assign one from client::create() or client::get().
    sandbox() = default;

    /// False for an empty handle.
    explicit operator bool() const noexcept { return data_ != nullptr; }

    const sandbox_info& info() const noexcept { return data_ ? data_->info : empty_info(); }
    const std::string& id() const noexcept { return info().id; }
    const std::string& name() const noexcept { return info().name; }
    /// The state as of the last response; call refresh() for the current one.
    sandbox_state state() const noexcept { return info().state; }

    /// Command execution in this sandbox.
    daytona::process process() const { return daytona::process(client_, data_); }

    /**
     * \brief Fetches the current state (`GET /sandbox/{id}`).
     * \par Errors
     * condition::not_found once the sandbox is gone; transport errors.
     */
    [[nodiscard]] asio::awaitable<result<void>> refresh(request_options ro = {}) const {
        return refresh_impl(client_, data_, ro);
    }

    /**
     * \brief Polls until the sandbox is `started`.
     * \param timeout 0 waits without limit.
     * \par Errors
     * errc::wait_timeout (condition::timeout) when time runs out; errc::sandbox_failed when the
     * sandbox reaches `error` or `build_failed` (the message carries its errorReason); errors of
     * the polls themselves. Cancellation stops the wait with errc::cancelled.
     */
    [[nodiscard]] asio::awaitable<result<void>> wait_until_started(
        std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return wait_started_impl(client_, data_, timeout);
    }

    /**
     * \brief Deletes the sandbox (`DELETE /sandbox/{id}`). Its files and processes are gone.
     * \par Errors
     * condition::not_found if it was already deleted; transport errors.
     */
    [[nodiscard]] asio::awaitable<result<void>> destroy(request_options ro = {}) const {
        return destroy_impl(client_, data_, ro);
    }

private:
    friend class client;
    static const sandbox_info& empty_info() noexcept {
        static const sandbox_info instance;
        return instance;
    }
    static std::optional<error> check(const std::shared_ptr<detail::client_state>& c,
                                      const std::shared_ptr<detail::sandbox_data>& d,
                                      std::string_view operation) {
        if (!c || !d)
            return error(make_error_code(errc::invalid_argument), "empty sandbox handle")
                .with_operation(operation);
        return c->check(operation);
    }

    sandbox(std::shared_ptr<detail::client_state> c, sandbox_info info)
        : client_(std::move(c)), data_(std::make_shared<detail::sandbox_data>()) {
        data_->update(std::move(info));
    }

    static asio::awaitable<result<void>> refresh_impl(std::shared_ptr<detail::client_state> c,
                                                      std::shared_ptr<detail::sandbox_data> d,
                                                      request_options ro) {
        if (auto e = check(c, d, "refresh")) co_return std::move(*e);
        auto info = co_await api::get_sandbox(*c->transport, c->api, d->info.id, ro);
        if (!info) co_return std::move(info).error();
        d->update(std::move(*info));
        co_return result<void>{};
    }

    static asio::awaitable<result<void>> destroy_impl(std::shared_ptr<detail::client_state> c,
                                                      std::shared_ptr<detail::sandbox_data> d,
                                                      request_options ro) {
        if (auto e = check(c, d, "destroy")) co_return std::move(*e);
        auto r = co_await api::delete_sandbox(*c->transport, c->api, d->info.id, ro);
        if (r) d->info.state = sandbox_state::destroyed;
        co_return r;
    }

    static asio::awaitable<result<void>> wait_started_impl(std::shared_ptr<detail::client_state> c,
                                                           std::shared_ptr<detail::sandbox_data> d,
                                                           std::chrono::milliseconds timeout) {
        using namespace std::chrono;
        if (auto e = check(c, d, "wait_until_started")) co_return std::move(*e);
        const auto start = steady_clock::now();
        const auto& polling = c->options.polling;
        auto interval = polling.initial_interval;
        asio::steady_timer timer(c->executor);
        for (bool first = true;; first = false) {
            if (!first) {
                const request_options defaults;
                auto r = co_await refresh_impl(c, d, defaults);
                if (!r) co_return std::move(r).error().with_operation("wait_until_started");
            }
            const auto& info = d->info;
            if (info.state == sandbox_state::started) co_return result<void>{};
            if (is_failure_state(info.state))
                co_return error(
                    make_error_code(errc::sandbox_failed),
                    error_info{.message = "sandbox " + info.id + " failed to start with state " +
                                          info.state_name +
                                          ", error reason: " + info.error_reason.value_or("(none)"),
                               .operation = "wait_until_started"});
            const auto elapsed = duration_cast<milliseconds>(steady_clock::now() - start);
            if (timeout.count() > 0 && elapsed >= timeout)
                co_return error(make_error_code(errc::wait_timeout),
                                error_info{.message = "sandbox " + info.id + " not started after " +
                                                      std::to_string(timeout.count()) +
                                                      " ms (state " + info.state_name + ")",
                                           .operation = "wait_until_started"});
            auto wait = interval;
            if (timeout.count() > 0) wait = std::min(wait, timeout - elapsed);
            timer.expires_after(wait);
            std::error_code ec;
            co_await timer.async_wait(net::redirect(ec));
            if (ec)
                co_return error(
                    make_error_code(errc::cancelled),
                    error_info{.message = "wait cancelled", .operation = "wait_until_started"});
            interval =
                detail::next_poll_interval(interval, polling.multiplier, polling.max_interval);
        }
    }

    std::shared_ptr<detail::client_state> client_;
    std::shared_ptr<detail::sandbox_data> data_;
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_SANDBOX_HPP
