// SPDX-License-Identifier: Apache-2.0
// daytona::client: the entry point; creates, finds, lists and deletes sandboxes.
#ifndef DAYTONA_CLIENT_HPP
#define DAYTONA_CLIENT_HPP

#include "daytona/api/sandboxes.hpp"
#include "daytona/config.hpp"
#include "daytona/detail/client_state.hpp"
#include "daytona/models/sandbox.hpp"
#include "daytona/options.hpp"
#include "daytona/result.hpp"
#include "daytona/sandbox.hpp"

#include <memory>
#include <string>

DAYTONA_BEGIN_NAMESPACE

/**
 * \brief A connection to the Daytona API: sandboxes and, through them, the toolbox.
 * \details Construction does no I/O and never fails; unusable options (no credentials, a
 * malformed api_url) are reported by the first operation with errc::missing_credentials or
 * errc::invalid_argument. Connections are pooled per origin and kept alive.
 *
 * \par Executor
 * Every operation runs on the executor passed to the constructor.
 * \par Object lifetimes
 * Operations and handles (sandbox, process) share the client's state, so they stay valid even
 * if the client object itself is destroyed first.
 * \par Thread safety
 * Distinct objects: safe. Shared objects: unsafe. Run a client's operations from one thread, or
 * give it a strand when the io_context has several threads. Any number of operations may be in
 * flight at once on that one thread or strand.
 * \par Copying
 * A cheap handle: copies share the connection pool and options.
 */
class client {
public:
    client(asio::any_io_executor ex, client_options opts)
        : state_(std::make_shared<detail::client_state>(std::move(ex), std::move(opts))) {}

    const client_options& options() const noexcept { return state_->options; }
    asio::any_io_executor get_executor() const noexcept { return state_->executor; }
    /// The transport stack (credentials → retries → pool), for calling api:: functions directly.
    http::transport& transport() const noexcept { return *state_->transport; }
    /// The parsed API base URL.
    const http::url& api_url() const noexcept { return state_->api; }

    /**
     * \brief Creates a sandbox and waits until it is started (`params.wait_timeout`).
     * \par Errors
     * errc::invalid_argument for rejected params; HTTP errors (401, 409 duplicate name, 429, ...);
     * errc::sandbox_failed if it reaches `error`/`build_failed`; errc::wait_timeout.
     * \par Retries
     * The POST is not retried once sent (a retry could create a second sandbox) unless
     * `ro.idempotent` is set.
     */
    [[nodiscard]] asio::awaitable<result<sandbox>> create(create_params params,
                                                          request_options ro = {}) const {
        return create_impl(state_, std::move(params), ro);
    }
    /// create() with default params. An overload rather than a default argument: GCC 12
    /// destroys a defaulted class-type argument twice when the call sits inside `co_await`.
    [[nodiscard]] asio::awaitable<result<sandbox>> create() const {
        return create_impl(state_, create_params{}, {});
    }

    /// Finds a sandbox by id or name. condition::not_found when there is none.
    [[nodiscard]] asio::awaitable<result<sandbox>> get(std::string id_or_name,
                                                       request_options ro = {}) const {
        return get_impl(state_, std::move(id_or_name), ro);
    }

    /// One page of sandboxes; pass the page's next_cursor in `params.cursor` for the next.
    [[nodiscard]] asio::awaitable<result<sandbox_page>> list(list_params params,
                                                             request_options ro = {}) const {
        return list_impl(state_, std::move(params), ro);
    }
    /// The first page of all sandboxes.
    [[nodiscard]] asio::awaitable<result<sandbox_page>> list() const {
        return list_impl(state_, list_params{}, {});
    }

    /// Deletes a sandbox by id or name.
    [[nodiscard]] asio::awaitable<result<void>> destroy(std::string id_or_name,
                                                        request_options ro = {}) const {
        return destroy_impl(state_, std::move(id_or_name), ro);
    }

private:
    static asio::awaitable<result<sandbox>> create_impl(std::shared_ptr<detail::client_state> s,
                                                        create_params params, request_options ro) {
        if (auto e = s->check("create_sandbox")) co_return std::move(*e);
        const auto wait_timeout = params.wait_timeout;
        const auto start = std::chrono::steady_clock::now();
        auto info = co_await api::create_sandbox(*s->transport, s->api, std::move(params),
                                                 s->options.target, ro);
        if (!info) co_return std::move(info).error();
        sandbox sb(s, std::move(*info));
        if (sb.state() != sandbox_state::started) {
            auto left = wait_timeout;
            if (wait_timeout.count() > 0) {
                auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - start);
                left = std::max(std::chrono::milliseconds(1), wait_timeout - elapsed);
            }
            auto w = co_await sb.wait_until_started(left);
            if (!w) co_return std::move(w).error();
        }
        co_return sb;
    }

    static asio::awaitable<result<sandbox>> get_impl(std::shared_ptr<detail::client_state> s,
                                                     std::string id, request_options ro) {
        if (auto e = s->check("get_sandbox")) co_return std::move(*e);
        auto info = co_await api::get_sandbox(*s->transport, s->api, std::move(id), ro);
        if (!info) co_return std::move(info).error();
        co_return sandbox(s, std::move(*info));
    }

    static asio::awaitable<result<sandbox_page>> list_impl(std::shared_ptr<detail::client_state> s,
                                                           list_params params, request_options ro) {
        if (auto e = s->check("list_sandboxes")) co_return std::move(*e);
        co_return co_await api::list_sandboxes(*s->transport, s->api, std::move(params), ro);
    }

    static asio::awaitable<result<void>> destroy_impl(std::shared_ptr<detail::client_state> s,
                                                      std::string id, request_options ro) {
        if (auto e = s->check("delete_sandbox")) co_return std::move(*e);
        co_return co_await api::delete_sandbox(*s->transport, s->api, std::move(id), ro);
    }

    std::shared_ptr<detail::client_state> state_;
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CLIENT_HPP
