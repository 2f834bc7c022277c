// SPDX-License-Identifier: Apache-2.0
// daytona::client: the entry point. Creates, finds, lists and deletes sandboxes; snapshots and
// volumes through client::snapshots() and client::volumes().
#ifndef DAYTONA_CLIENT_HPP
#define DAYTONA_CLIENT_HPP

#include "daytona/api/config.hpp"
#include "daytona/api/sandboxes.hpp"
#include "daytona/build_context.hpp"
#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/models/config.hpp"
#include "daytona/models/sandbox.hpp"
#include "daytona/options.hpp"
#include "daytona/polling.hpp"
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
    static asio::awaitable<result<sandbox_page>> next_impl(std::shared_ptr<pager_state> s);

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

    static asio::awaitable<result<sandbox>> create_impl(state_ptr s, create_params params,
                                                        log_callback on_build_log,
                                                        request_options ro) {
        // Checked (the image too) and hashed before anything is sent.
        auto body = api::to_request(params, s->options.target);
        if (!body) co_return std::move(body).error();
        detail::poll_schedule clock(s->options.polling, params.wait_timeout);
        if (params.build && !params.build->context().empty()) {
            auto upload = detail::upload_build_context(
                s, params.build->context(), *body->build_info->context_hashes, "create_sandbox");
            auto up = co_await std::move(upload);
            if (!up) co_return std::move(up).error();
        }
        if (!ro.timeout && params.wait_timeout.count() > 0) ro.timeout = clock.left();
        auto info = co_await api::create_sandbox(s->api_channel(), *body, ro);
        if (!info) co_return std::move(info).error();
        sandbox sb(s, std::move(*info));
        // An image build: its log goes to the callback, and its last lines are kept for the
        // error if it fails.
        auto tail = std::make_shared<detail::log_tail>();
        if (body->build_info && (sb.state() == sandbox_state::pending_build ||
                                 sb.state() == sandbox_state::building_snapshot)) {
            // The log exists once the build begins: wait out pending_build first, then follow
            // the log until the build is over (all of it, even when the build was quick).
            detail::poll_schedule pending(s->options.polling, clock.left());
            while (sb.state() == sandbox_state::pending_build && !clock.expired()) {
                auto p = co_await detail::pause(pending.next_pause(), "create_sandbox");
                if (!p) co_return std::move(p).error();
                auto r = co_await sb.refresh();
                if (!r) co_return std::move(r).error().with_operation("create_sandbox");
            }
            if (sb.state() != sandbox_state::pending_build) {
                // Followed for what is left of the wait at most (a stuck build does not hang).
                auto follow = sb.build_logs(detail::log_tail::tee(tail, std::move(on_build_log)));
                result<void> logs;
                if (params.wait_timeout.count() > 0) {
                    auto limit = detail::pause(clock.left(), "create_sandbox");
                    auto raced = detail::first_of(std::move(follow), std::move(limit));
                    auto either = co_await std::move(raced);
                    if (either.index() == 0) logs = std::get<0>(std::move(either));
                } else {
                    logs = co_await std::move(follow);
                }
                if (!logs) co_return std::move(logs).error().with_operation("create_sandbox");
            }
        }
        auto w = co_await sb.wait_until(sandbox_goal::started, clock.left());
        if (!w && sb.state() == sandbox_state::build_failed)
            co_return tail->failure("sandbox " + sb.id(), sb.info().error_reason.value_or(""),
                                    "create_sandbox");
        if (!w) co_return std::move(w).error().with_operation("create_sandbox");
        co_return sb;
    }

    static asio::awaitable<result<sandbox>> get_impl(state_ptr s, std::string id,
                                                     request_options ro) {
        auto info = co_await api::get_sandbox(s->api_channel(), id, ro);
        if (!info) co_return std::move(info).error();
        co_return sandbox(s, std::move(*info));
    }

    static asio::awaitable<result<sandbox>> get_or_create_impl(state_ptr s, create_params params,
                                                               request_options ro) {
        if (!params.name || params.name->empty())
            co_return error(make_error_code(errc::invalid_argument),
                            error_info{.message = "get_or_create needs params.name",
                                       .operation = "get_or_create"});
        const auto timeout = params.wait_timeout;
        for (int attempt = 0;; ++attempt) {
            auto found = co_await get_impl(s, *params.name, ro);
            if (!found && found.error() == condition::not_found) {
                auto made = co_await create_impl(s, params, log_callback{}, ro);
                // Lost a race with another creator of the same name: take theirs.
                if (!made && made.error() == condition::conflict && attempt == 0) continue;
                co_return made;
            }
            if (!found) co_return found;
            sandbox sb = std::move(*found);
            auto ready = co_await ensure_started(sb, timeout);
            if (!ready) co_return std::move(ready).error().with_operation("get_or_create");
            co_return sb;
        }
    }

    /// Brings an existing sandbox to `started` from wherever it is.
    static asio::awaitable<result<void>> ensure_started(const sandbox& sb,
                                                        std::chrono::milliseconds timeout) {
        if (is_transitional(sb.state())) {
            auto w = co_await sb.wait_until(sandbox_goal::settled, timeout);
            if (!w) co_return w;
        }
        switch (sb.state()) {
            case sandbox_state::started:
                co_return result<void>{};
            case sandbox_state::stopped:
            case sandbox_state::archived:
            case sandbox_state::paused:
                co_return co_await sb.start(timeout);
            case sandbox_state::error:
                if (sb.info().recoverable.value_or(false)) co_return co_await sb.recover(timeout);
                break;
            default:
                break;
        }
        co_return error(make_error_code(errc::sandbox_failed),
                        error_info{.message = "sandbox " + sb.id() + " is " + sb.info().state_name +
                                              " and cannot be started",
                                   .operation = "get_or_create",
                                   .reason = sb.info().error_reason.value_or("")});
    }

    static asio::awaitable<result<sandbox_page>> list_impl(state_ptr s, list_params params,
                                                           request_options ro) {
        auto page = co_await api::list_sandboxes(s->api_channel(), params, ro);
        if (!page) co_return std::move(page).error();
        sandbox_page out;
        out.next_cursor = std::move(page->next_cursor);
        out.items.reserve(page->items.size());
        for (auto& info : page->items)
            out.items.push_back(sandbox(s, std::move(info)));
        co_return out;
    }

    static asio::awaitable<result<std::vector<sandbox>>> list_all_impl(state_ptr s,
                                                                       list_params params,
                                                                       request_options ro) {
        std::vector<sandbox> all;
        for (;;) {
            auto page = co_await list_impl(s, params, ro);
            if (!page) co_return std::move(page).error();
            for (auto& sb : page->items)
                all.push_back(std::move(sb));
            if (page->next_cursor.empty() || page->next_cursor == params.cursor) break;
            params.cursor = std::move(page->next_cursor);
        }
        co_return all;
    }

    static asio::awaitable<result<sandbox>> find_impl(state_ptr s,
                                                      std::map<std::string, std::string> labels,
                                                      request_options ro) {
        list_params params;
        params.labels = std::move(labels);
        params.limit = 1;
        auto page = co_await list_impl(s, std::move(params), ro);
        if (!page) co_return std::move(page).error();
        if (page->items.empty())
            co_return error(
                make_error_code(errc::not_found),
                error_info{.message = "no sandbox carries these labels", .operation = "find"});
        co_return std::move(page->items.front());
    }

    friend class sandbox_pager;
    state_ptr state_;
};

inline asio::awaitable<result<sandbox_page>> sandbox_pager::next_impl(
    std::shared_ptr<pager_state> s) {
    auto page = co_await client::list_impl(s->client, s->params, {});
    if (!page) co_return std::move(page).error();
    if (page->next_cursor.empty() || page->next_cursor == s->params.cursor) {
        s->more = false;
    } else {
        s->params.cursor = page->next_cursor;
    }
    co_return page;
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CLIENT_HPP
