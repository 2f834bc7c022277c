// SPDX-License-Identifier: Apache-2.0
// daytona::sandbox: a handle to one sandbox: its lifecycle, settings, preview links, build logs,
// forks and snapshots, and its toolbox sub-objects.
#ifndef DAYTONA_SANDBOX_HPP
#define DAYTONA_SANDBOX_HPP

#include "daytona/api/sandboxes.hpp"
#include "daytona/build_logs.hpp"
#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/filesystem.hpp"
#include "daytona/git.hpp"
#include "daytona/interpreter.hpp"
#include "daytona/lsp.hpp"
#include "daytona/models/sandbox.hpp"
#include "daytona/models/snapshot.hpp"
#include "daytona/process.hpp"
#include "daytona/pty.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/// What a sandbox wait is waiting for.
enum class sandbox_goal {
    /// `started`; fails on `error` or `build_failed`.
    started,
    /// `stopped` (or `destroyed`, for an ephemeral sandbox); fails on `error`.
    stopped,
    /// `archived`; fails on `error`.
    archived,
    /// `destroyed`, or gone (404).
    destroyed,
    /// Any state that is not on the way to another one (after a resize or a snapshot).
    settled,
    /// No longer `pausing` (`paused`, as a rule); fails on `error` or `build_failed`.
    paused,
};

/// How to stop a sandbox. Trivially destructible, so it is safe to write inline in `co_await`.
struct stop_options {
    /// Kill (SIGKILL) instead of asking processes to end (SIGTERM). Default false.
    bool force = false;
    /// How long to wait for `stopped`; 0 waits without limit. Default 60 s.
    std::chrono::milliseconds timeout{60'000};
};

/**
 * \brief A sandbox: its last known state, lifecycle operations, and the toolbox APIs.
 * \details Obtained from client::create(), get(), list() or find(); a handle always refers to
 * a sandbox that existed when it was made. No operation is done implicitly: the destructor does
 * no I/O; call destroy() to delete the sandbox.
 *
 * Lifecycle operations wait for the state they lead to, polling as the official SDKs do (at
 * once, then every 100 ms for 5 s, then ×1.1 up to 1 s), within their `timeout` (0: no limit).
 * A wait that sees `error` or `build_failed` fails with errc::sandbox_failed whose reason() is
 * Daytona's errorReason; one that runs out of time fails with errc::wait_timeout after one last
 * refresh.
 * \par Copying
 * A cheap handle: copies share the data, so a refresh through one copy is seen by all.
 * \par Thread safety
 * As the client: use from the client's executor, one thread or strand at a time.
 */
class sandbox {
public:
    /// Everything the API said about the sandbox in its last response (see refresh()).
    const sandbox_info& info() const noexcept { return data_->info; }
    /// The sandbox's id, which every API and toolbox URL of it uses.
    const std::string& id() const noexcept { return info().id; }
    /// The sandbox's name (unique per organization).
    const std::string& name() const noexcept { return info().name; }
    /// The state as of the last response; call refresh() for the current one.
    sandbox_state state() const noexcept { return info().state; }
    /// The labels as of the last response.
    const std::map<std::string, std::string>& labels() const noexcept { return info().labels; }

    /// Command execution in this sandbox.
    daytona::process process() const { return daytona::process(client_, data_); }
    /// Pseudo-terminals in this sandbox.
    daytona::pty pty() const { return daytona::pty(client_, data_); }
    /// The stateful code interpreter of this sandbox.
    daytona::code_interpreter code_interpreter() const {
        return daytona::code_interpreter(client_, data_);
    }
    /// The language server of `language_id` (python, typescript, javascript) for the project
    /// at `path_to_project` (no request is made; start() it).
    daytona::lsp_server lsp_server(std::string language_id, std::string path_to_project) const {
        return daytona::lsp_server(client_, data_, std::move(language_id),
                                   std::move(path_to_project));
    }
    /// The sandbox's files.
    daytona::filesystem fs() const { return daytona::filesystem(client_, data_); }
    /// Git repositories in the sandbox.
    daytona::git git() const { return daytona::git(client_, data_); }

    // --- state ---

    /// Fetches the current state (`GET /sandbox/{id}`). condition::not_found once it is gone.
    [[nodiscard]] asio::awaitable<result<void>> refresh(request_options ro = {}) const {
        return refresh_impl(client_, data_, ro);
    }

    /// Waits (polling) until `goal` is reached; see the class comment for the errors.
    [[nodiscard]] asio::awaitable<result<void>> wait_until(
        sandbox_goal goal, std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return wait_impl(client_, data_, goal, timeout, "wait_until");
    }
    /// wait_until(sandbox_goal::started).
    [[nodiscard]] asio::awaitable<result<void>> wait_until_started(
        std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return wait_impl(client_, data_, sandbox_goal::started, timeout, "wait_until_started");
    }
    /// wait_until(sandbox_goal::stopped).
    [[nodiscard]] asio::awaitable<result<void>> wait_until_stopped(
        std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return wait_impl(client_, data_, sandbox_goal::stopped, timeout, "wait_until_stopped");
    }

    // --- lifecycle: each waits for the state it leads to ---

    /// `POST /sandbox/{id}/start`, then waits until `started`.
    [[nodiscard]] asio::awaitable<result<void>> start(
        std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return lifecycle_impl(client_, data_, lifecycle::start, timeout, false);
    }
    /// `POST /sandbox/{id}/stop`, then waits until `stopped` (or `destroyed`, if ephemeral).
    [[nodiscard]] asio::awaitable<result<void>> stop(stop_options o = {}) const {
        return lifecycle_impl(client_, data_, lifecycle::stop, o.timeout, o.force);
    }
    /// `POST /sandbox/{id}/archive` (it must be stopped), then waits until `archived`.
    [[nodiscard]] asio::awaitable<result<void>> archive(
        std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return lifecycle_impl(client_, data_, lifecycle::archive, timeout, false);
    }
    /// `POST /sandbox/{id}/recover` (from a recoverable `error`), then waits until `started`.
    [[nodiscard]] asio::awaitable<result<void>> recover(
        std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return lifecycle_impl(client_, data_, lifecycle::recover, timeout, false);
    }
    /**
     * \brief `POST /sandbox/{id}/pause`, then waits until it is no longer `pausing`.
     * \details Pausing keeps the sandbox's memory; start() resumes it. Only a started linux-vm
     * or windows sandbox can pause: Daytona answers 400 for one that is not started and 422
     * "Pausing is not supported for this sandbox" for other classes (both
     * condition::bad_request; http_status() tells them apart).
     */
    [[nodiscard]] asio::awaitable<result<void>> pause(
        std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return lifecycle_impl(client_, data_, lifecycle::pause, timeout, false);
    }
    /**
     * \brief Changes CPU, memory or disk, then waits until the resize is done.
     * \details A started sandbox can only grow CPU and memory; shrinking them, or changing the
     * disk, needs a stopped one; the disk never shrinks. These rules are checked against the
     * last known state before anything is sent (errc::invalid_argument); the server checks
     * them again.
     */
    [[nodiscard]] asio::awaitable<result<void>> resize(
        resize_params r, std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return resize_impl(client_, data_, r, timeout);
    }
    /// Deletes the sandbox (`DELETE /sandbox/{id}`) without waiting for it to be gone.
    [[nodiscard]] asio::awaitable<result<void>> destroy(request_options ro = {}) const {
        return destroy_impl(client_, data_, ro, std::nullopt);
    }
    /// Deletes the sandbox and waits until it is gone (`destroyed`, or 404).
    [[nodiscard]] asio::awaitable<result<void>> destroy_and_wait(
        std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return destroy_impl(client_, data_, {}, timeout);
    }

    // --- settings ---

    /// Replaces every label (`PUT /sandbox/{id}/labels`).
    [[nodiscard]] asio::awaitable<result<void>> set_labels(
        std::map<std::string, std::string> labels, request_options ro = {}) const {
        return labels_impl(client_, data_, std::move(labels), ro);
    }
    /// Makes preview URLs reachable without a token (or not).
    [[nodiscard]] asio::awaitable<result<void>> set_public(bool is_public,
                                                           request_options ro = {}) const {
        return update_impl(client_, data_, "set_public",
                           api::set_public(client_->api_channel(), id(), is_public, ro));
    }
    /// Minutes of inactivity before the sandbox stops; 0 disables auto-stop.
    [[nodiscard]] asio::awaitable<result<void>> set_auto_stop_interval(
        int minutes, request_options ro = {}) const {
        return interval_impl(client_, data_, api::ops::set_autostop_interval, minutes, ro);
    }
    /// Minutes stopped before the sandbox is archived; 0 means the maximum.
    [[nodiscard]] asio::awaitable<result<void>> set_auto_archive_interval(
        int minutes, request_options ro = {}) const {
        return interval_impl(client_, data_, api::ops::set_autoarchive_interval, minutes, ro);
    }
    /// Minutes stopped before the sandbox is deleted; negative disables, 0 deletes on stop.
    [[nodiscard]] asio::awaitable<result<void>> set_auto_delete_interval(
        int minutes, request_options ro = {}) const {
        return interval_impl(client_, data_, api::ops::set_autodelete_interval, minutes, ro);
    }
    /// Blocks all outbound traffic, or allows a list of CIDRs / domains; unset fields stay.
    [[nodiscard]] asio::awaitable<result<void>> set_network_settings(
        network_settings n, request_options ro = {}) const {
        return update_impl(client_, data_, "update_network_settings",
                           api::update_network_settings(client_->api_channel(), id(), n, ro));
    }
    /// Records activity now, which postpones auto-stop (`POST /sandbox/{id}/last-activity`).
    [[nodiscard]] asio::awaitable<result<void>> refresh_activity(request_options ro = {}) const {
        return api::update_last_activity(client_->api_channel(), id(), ro);
    }

    // --- preview links ---

    /// The preview URL of `port` and the token a private sandbox needs.
    [[nodiscard]] asio::awaitable<result<daytona::preview_link>> preview_link(
        int port, request_options ro = {}) const {
        return api::get_preview_url(client_->api_channel(), id(), port, ro);
    }
    /// A URL for `port` that needs no other credential until it expires (1 s to 24 h).
    [[nodiscard]] asio::awaitable<result<daytona::signed_preview_link>> signed_preview_link(
        int port, std::chrono::seconds expires_in = std::chrono::seconds(60),
        request_options ro = {}) const {
        return api::get_signed_preview_url(client_->api_channel(), id(), port, expires_in, ro);
    }
    /// Revokes a signed preview URL before it expires.
    [[nodiscard]] asio::awaitable<result<void>> expire_signed_preview_link(
        int port, std::string token, request_options ro = {}) const {
        return api::expire_signed_preview_url(client_->api_channel(), id(), port, token, ro);
    }

    // --- SSH access ---

    /// A token to `ssh` into the sandbox through Daytona's SSH gateway
    /// (ssh_access::ssh_command), valid for `expires_in`; the sandbox's earlier tokens are
    /// revoked.
    [[nodiscard]] asio::awaitable<result<daytona::ssh_access>> create_ssh_access(
        std::chrono::minutes expires_in = std::chrono::minutes(60), request_options ro = {}) const {
        return api::create_ssh_access(client_->api_channel(), id(), expires_in, ro);
    }
    /// Revokes `token` before it expires; an empty token revokes every token of the sandbox.
    [[nodiscard]] asio::awaitable<result<void>> revoke_ssh_access(std::string token,
                                                                  request_options ro = {}) const {
        return update_impl(client_, data_, "revoke_ssh_access",
                           api::revoke_ssh_access(client_->api_channel(), id(), token, ro));
    }
    /// Whether `token` opens a sandbox (any of the organization's), and which.
    [[nodiscard]] asio::awaitable<result<daytona::ssh_access_validation>> validate_ssh_access(
        std::string token, request_options ro = {}) const {
        return api::validate_ssh_access(client_->api_channel(), token, ro);
    }

    // --- build logs, forks, snapshots ---

    /**
     * \brief Streams the build log of an image-built sandbox to `on_line`, line by line, until
     * the build is over (the server ends the stream, or two checks 2 s apart find the sandbox
     * settled). condition::bad_request for a sandbox that was not built from an image.
     */
    [[nodiscard]] asio::awaitable<result<void>> build_logs(log_callback on_line) const {
        return build_logs_impl(client_, data_, std::move(on_line));
    }

    /// Forks the sandbox (its file tree) into a new one, started when this returns.
    [[nodiscard]] asio::awaitable<result<sandbox>> fork(
        std::string name, std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return fork_impl(client_, data_, std::move(name), timeout);
    }
    /// fork() with a server-chosen name.
    [[nodiscard]] asio::awaitable<result<sandbox>> fork() const {
        return fork_impl(client_, data_, std::string(), std::chrono::seconds(60));
    }
    /// Makes a snapshot of the sandbox named `snapshot_name`, waits until it is taken, and
    /// returns it; new sandboxes can start from it.
    [[nodiscard]] asio::awaitable<result<snapshot_info>> create_snapshot(
        std::string snapshot_name,
        std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return snapshot_impl(client_, data_, std::move(snapshot_name), timeout);
    }
    /// The sandboxes forked from this one.
    [[nodiscard]] asio::awaitable<result<std::vector<sandbox>>> forks(
        request_options ro = {}) const {
        return family_impl(client_, api::get_sandbox_forks(client_->api_channel(), id(), ro));
    }
    /// The sandbox this one was forked from; condition::not_found if none.
    [[nodiscard]] asio::awaitable<result<sandbox>> parent(request_options ro = {}) const {
        return parent_impl(client_, api::get_sandbox_parent(client_->api_channel(), id(), ro));
    }
    /// Every sandbox up the fork chain, nearest first.
    [[nodiscard]] asio::awaitable<result<std::vector<sandbox>>> ancestors(
        request_options ro = {}) const {
        return family_impl(client_, api::get_sandbox_ancestors(client_->api_channel(), id(), ro));
    }

private:
    friend class client;
    using state_ptr = std::shared_ptr<detail::client_state>;
    using data_ptr = std::shared_ptr<detail::sandbox_data>;
    enum class lifecycle { start, stop, archive, recover, pause };

    sandbox(state_ptr c, sandbox_info info)
        : client_(std::move(c)), data_(std::make_shared<detail::sandbox_data>(std::move(info))) {}

    static DAYTONA_DECL asio::awaitable<result<void>> refresh_impl(state_ptr c, data_ptr d,
                                                                   request_options ro);

    /// Runs `op` (a request answering the sandbox) and takes the answer as the new state.
    static DAYTONA_DECL asio::awaitable<result<void>> update_impl(
        state_ptr c, data_ptr d, std::string_view name, asio::awaitable<result<sandbox_info>> op);

    static DAYTONA_DECL asio::awaitable<result<void>> interval_impl(state_ptr c, data_ptr d,
                                                                    const api::operation& op,
                                                                    int minutes,
                                                                    request_options ro);

    static DAYTONA_DECL asio::awaitable<result<void>> labels_impl(
        state_ptr c, data_ptr d, std::map<std::string, std::string> labels, request_options ro);

    /// Whether `s` reaches `goal`, and whether it can no longer reach it.
    static DAYTONA_DECL bool reached(sandbox_goal goal, sandbox_state s);
    static DAYTONA_DECL bool failed(sandbox_goal goal, sandbox_state s);

    static DAYTONA_DECL error failure_error(const sandbox_info& info, std::string_view operation);

    static DAYTONA_DECL asio::awaitable<result<void>> wait_impl(state_ptr c, data_ptr d,
                                                                sandbox_goal goal,
                                                                std::chrono::milliseconds timeout,
                                                                std::string_view operation);

    static constexpr std::string_view goal_name(sandbox_goal g) noexcept {
        switch (g) {
            case sandbox_goal::started:
                return "started";
            case sandbox_goal::stopped:
                return "stopped";
            case sandbox_goal::archived:
                return "archived";
            case sandbox_goal::destroyed:
                return "destroyed";
            case sandbox_goal::paused:
                return "paused";
            case sandbox_goal::settled:
                break;
        }
        return "a settled state";
    }

    static DAYTONA_DECL asio::awaitable<result<void>> lifecycle_impl(
        state_ptr c, data_ptr d, lifecycle what, std::chrono::milliseconds timeout, bool force);

    static DAYTONA_DECL asio::awaitable<result<void>> resize_impl(
        state_ptr c, data_ptr d, resize_params r, std::chrono::milliseconds timeout);

    /// The hot and cold resize rules, against the last known state.
    static DAYTONA_DECL result<void> check_resize(const sandbox_info& s, const resize_params& r);

    static DAYTONA_DECL asio::awaitable<result<void>> destroy_impl(
        state_ptr c, data_ptr d, request_options ro, std::optional<std::chrono::milliseconds> wait);

    static DAYTONA_DECL asio::awaitable<result<void>> build_logs_impl(state_ptr c, data_ptr d,
                                                                      log_callback on_line);

    /// Ends a build-log stream that the server keeps open after the build: every 2 s without
    /// data the state is checked; two checks in a row past the build end the stream.
    static DAYTONA_DECL asio::awaitable<result<void>> watch_build(
        state_ptr c, data_ptr d, std::shared_ptr<detail::line_sink> sink);

    static DAYTONA_DECL asio::awaitable<result<sandbox>> fork_impl(
        state_ptr c, data_ptr d, std::string name, std::chrono::milliseconds timeout);

    static DAYTONA_DECL asio::awaitable<result<snapshot_info>> snapshot_impl(
        state_ptr c, data_ptr d, std::string snapshot_name, std::chrono::milliseconds timeout);

    static DAYTONA_DECL asio::awaitable<result<std::vector<sandbox>>> family_impl(
        state_ptr c, asio::awaitable<result<std::vector<sandbox_info>>> op);

    static DAYTONA_DECL asio::awaitable<result<sandbox>> parent_impl(
        state_ptr c, asio::awaitable<result<sandbox_info>> op);

    state_ptr client_;
    data_ptr data_;
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/sandbox.ipp"
#endif

#endif  // DAYTONA_SANDBOX_HPP
