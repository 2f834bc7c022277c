// SPDX-License-Identifier: Apache-2.0
// daytona::client: the entry point. Creates, finds, lists and deletes sandboxes; snapshots and
// volumes through client::snapshots() and client::volumes().
#ifndef DAYTONA_CLIENT_HPP
#define DAYTONA_CLIENT_HPP

#include "daytona/api/config.hpp"
#include "daytona/api/sandboxes.hpp"
#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/models/config.hpp"
#include "daytona/models/sandbox.hpp"
#include "daytona/options.hpp"
#include "daytona/result.hpp"
#include "daytona/sandbox.hpp"
#include "daytona/snapshots.hpp"
#include "daytona/volumes.hpp"

#include <memory>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/// One page of sandboxes, as handles that can act at once.
struct sandbox_page {
    /// The sandboxes of this page, in the listing's order.
    std::vector<sandbox> items{};
    /// Cursor of the next page; empty on the last page.
    std::string next_cursor{};
};

/**
 * \brief Walks every page of a sandbox listing, one request per page.
 * \details `while (pager.more()) { auto page = co_await pager.next(); ... }`. A failed page
 * can be retried by calling next() again.
 */
class sandbox_pager {
public:
    /// Whether another page may follow (true before the first page).
    bool more() const noexcept { return state_->more; }

    /// The next page (an empty listing is one empty page).
    [[nodiscard]] asio::awaitable<result<sandbox_page>> next() { return next_impl(state_); }

private:
    friend class client;
    struct pager_state {
        std::shared_ptr<detail::client_state> client;
        list_params params;
        bool more = true;
    };
    sandbox_pager(std::shared_ptr<detail::client_state> c, list_params p)
        : state_(std::make_shared<pager_state>(pager_state{std::move(c), std::move(p)})) {}
    static DAYTONA_DECL asio::awaitable<result<sandbox_page>> next_impl(
        std::shared_ptr<pager_state> s);

    std::shared_ptr<pager_state> state_;
};

/**
 * \brief A connection to the Daytona API: sandboxes and, through them, the toolbox.
 * \details Construction does no I/O and never fails; unusable options (no credentials, a
 * malformed api_url) are reported by every operation with errc::missing_credentials or
 * errc::invalid_argument. Connections are pooled per origin and kept alive.
 *
 * \par Executor
 * Every operation runs on the executor passed to the constructor.
 * \par Object lifetimes
 * Operations and handles (sandbox, process, ...) share the client's state, so they stay valid
 * even if the client object itself is destroyed first.
 * \par Thread safety
 * Distinct objects: safe. Shared objects: unsafe. Run a client's operations from one thread, or
 * give it a strand when the io_context has several threads. Any number of operations may be in
 * flight at once on that one thread or strand.
 * \par Copying
 * A cheap handle: copies share the connection pool and options.
 */
class client {
public:
    /// A client whose operations run on `ex`; nothing is sent before the first operation.
    client(asio::any_io_executor ex, client_options opts)
        : state_(std::make_shared<detail::client_state>(std::move(ex), std::move(opts))) {}

    /// A client whose requests go to `inner` instead of the network (after credentials,
    /// retries and tracing): testing::recording_transport, or a transport of your own.
    client(asio::any_io_executor ex, client_options opts, std::shared_ptr<http::transport> inner)
        : state_(std::make_shared<detail::client_state>(std::move(ex), std::move(opts),
                                                        std::move(inner))) {}

    /// The options the client was made with.
    const client_options& options() const noexcept { return state_->options; }
    /// The executor every operation runs on.
    asio::any_io_executor get_executor() const noexcept { return state_->executor; }
    /// The API channel (transport stack and base URL), for calling api:: functions directly.
    api::channel api_channel() const { return state_->api_channel(); }
    /// The transport stack (credentials → retries → observer → pool).
    http::transport& transport() const noexcept { return *state_->transport; }
    /// The parsed API base URL.
    const http::url& api_url() const noexcept { return state_->api_base; }
    /// The rate limits the server reported most recently (one entry per throttler); empty
    /// when it never sent any.
    std::vector<rate_limit> rate_limits() const { return state_->observer->rate_limits(); }
    /// How often the server answered 429 or 503 so far, and until when it asked to wait.
    daytona::throttling throttling() const { return state_->observer->throttled(); }

    /// Snapshots of the organization.
    snapshot_service snapshots() const { return snapshot_service(state_); }
    /// Volumes of the organization.
    volume_service volumes() const { return volume_service(state_); }

    /// The server's public configuration (`GET /config`).
    [[nodiscard]] asio::awaitable<result<server_config>> config(request_options ro = {}) const {
        return api::get_config(state_->api_channel(), ro);
    }

    /**
     * \brief Creates a sandbox and waits until it is started (`params.wait_timeout`).
     * \details The request gets the whole wait_timeout; the wait what is left of it.
     * \par Errors
     * errc::invalid_argument for rejected params (nothing is sent); HTTP errors (401, 409 for a
     * name in use, 429, ...); errc::sandbox_failed if it reaches `error` or `build_failed` (its
     * reason() is Daytona's errorReason); errc::wait_timeout.
     * \par Retries
     * The POST is never sent twice unless it provably did not reach the server (a retry could
     * create a second sandbox).
     */
    [[nodiscard]] asio::awaitable<result<sandbox>> create(create_params params,
                                                          request_options ro = {}) const {
        return create_impl(state_, std::move(params), log_callback{}, ro);
    }
    /// create() that streams the build log of an image-built sandbox to `on_build_log` while
    /// it builds. Name the callback before the co_await (GCC 12, see README).
    [[nodiscard]] asio::awaitable<result<sandbox>> create(create_params params,
                                                          log_callback on_build_log,
                                                          request_options ro = {}) const {
        return create_impl(state_, std::move(params), std::move(on_build_log), ro);
    }
    /// create() with default params. An overload rather than a default argument: GCC 12
    /// destroys a defaulted class-type argument twice when the call sits inside `co_await`.
    [[nodiscard]] asio::awaitable<result<sandbox>> create() const {
        return create_impl(state_, create_params{}, log_callback{}, {});
    }

    /// Finds a sandbox by id or name. condition::not_found when there is none.
    [[nodiscard]] asio::awaitable<result<sandbox>> get(std::string id_or_name,
                                                       request_options ro = {}) const {
        return get_impl(state_, std::move(id_or_name), ro);
    }

    /**
     * \brief The sandbox named `params.name`, started: created when there is none, started
     * when it is stopped or archived, recovered when it is in a recoverable error.
     * \details The persistent-workspace pattern ("reuse addt-workspace"). If another client
     * creates the same name at the same moment, the one that loses the race gets the winner's
     * sandbox.
     * \par Errors
     * errc::invalid_argument without a name; those of get(), create() and start().
     */
    [[nodiscard]] asio::awaitable<result<sandbox>> get_or_create(create_params params,
                                                                 request_options ro = {}) const {
        return get_or_create_impl(state_, std::move(params), ro);
    }

    /// One page of sandboxes as handles; pass the page's next_cursor in `params.cursor` for
    /// the next (or use pages()).
    [[nodiscard]] asio::awaitable<result<sandbox_page>> list(list_params params,
                                                             request_options ro = {}) const {
        return list_impl(state_, std::move(params), ro);
    }
    /// The first page of all sandboxes.
    [[nodiscard]] asio::awaitable<result<sandbox_page>> list() const {
        return list_impl(state_, list_params{}, {});
    }
    /// Every sandbox matching `params`, all pages.
    [[nodiscard]] asio::awaitable<result<std::vector<sandbox>>> list_all(
        list_params params, request_options ro = {}) const {
        return list_all_impl(state_, std::move(params), ro);
    }
    /// A pager over every page matching `params`.
    sandbox_pager pages(list_params params) const {
        return sandbox_pager(state_, std::move(params));
    }

    /// The first sandbox carrying all of `labels`; condition::not_found when none does.
    [[nodiscard]] asio::awaitable<result<sandbox>> find(std::map<std::string, std::string> labels,
                                                        request_options ro = {}) const {
        return find_impl(state_, std::move(labels), ro);
    }

    /// Deletes a sandbox by id or name, without waiting for it to be gone.
    [[nodiscard]] asio::awaitable<result<void>> destroy(std::string id_or_name,
                                                        request_options ro = {}) const {
        return api::delete_sandbox(state_->api_channel(), id_or_name, ro);
    }

private:
    using state_ptr = std::shared_ptr<detail::client_state>;

    static DAYTONA_DECL asio::awaitable<result<sandbox>> create_impl(state_ptr s,
                                                                     create_params params,
                                                                     log_callback on_build_log,
                                                                     request_options ro);

    static DAYTONA_DECL asio::awaitable<result<sandbox>> get_impl(state_ptr s, std::string id,
                                                                  request_options ro);

    static DAYTONA_DECL asio::awaitable<result<sandbox>> get_or_create_impl(state_ptr s,
                                                                            create_params params,
                                                                            request_options ro);

    /// Brings an existing sandbox to `started` from wherever it is.
    static DAYTONA_DECL asio::awaitable<result<void>> ensure_started(
        const sandbox& sb, std::chrono::milliseconds timeout);

    static DAYTONA_DECL asio::awaitable<result<sandbox_page>> list_impl(state_ptr s,
                                                                        list_params params,
                                                                        request_options ro);

    static DAYTONA_DECL asio::awaitable<result<std::vector<sandbox>>> list_all_impl(
        state_ptr s, list_params params, request_options ro);

    static DAYTONA_DECL asio::awaitable<result<sandbox>> find_impl(
        state_ptr s, std::map<std::string, std::string> labels, request_options ro);

    friend class sandbox_pager;
    state_ptr state_;
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/client.ipp"
#endif

#endif  // DAYTONA_CLIENT_HPP
