// SPDX-License-Identifier: Apache-2.0
// Operations of the OpenAPI `sandbox` tag: pure request builders, and one line per operation
// through api::invoke. Everything here takes the API channel (client::api_channel()).
#ifndef DAYTONA_API_SANDBOXES_HPP
#define DAYTONA_API_SANDBOXES_HPP

#include "daytona/api/operation.hpp"
#include "daytona/api/operations.hpp"
#include "daytona/codec/sandbox.hpp"
#include "daytona/config.hpp"
#include "daytona/http/url.hpp"
#include "daytona/image.hpp"
#include "daytona/models/sandbox.hpp"

#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace api {

/**
 * \brief Checks what the official SDKs and the API check before a CreateSandbox is sent.
 * \par Errors
 * errc::invalid_argument naming the offending field: an unknown language, more than one of
 * snapshot / image / dockerfile, resources without an image (Daytona answers 400 "Cannot specify
 * Sandbox resources when using a snapshot"), negative intervals or wait timeout, a volume
 * without id or mount path.
 */
DAYTONA_DECL result<void> validate(const create_params& p);

/**
 * \brief The buildInfo of an image-builder image: its Dockerfile and the content hashes of its
 * local build context, in context order (an empty array when it has none, as the TS SDK sends).
 * \par Errors
 * errc::invalid_argument when image::validate() refuses it; errc::io_error when a context entry
 * cannot be read.
 */
DAYTONA_DECL result<build_request> to_build_request(const image& img, std::string_view operation);

/// The CreateSandbox body for `p`, as the official TS SDK builds it: a string image becomes a
/// one-line Dockerfile, the language goes into the `code-toolbox-language` label, `ephemeral`
/// forces autoDeleteInterval 0, and the client's target applies when `p.target` is unset.
DAYTONA_DECL result<create_sandbox_request> to_request(const create_params& p,
                                                       std::string_view default_target);

/// The wire name of a sort key of `GET /sandbox`.
constexpr std::string_view to_string(sandbox_sort s) noexcept {
    switch (s) {
        case sandbox_sort::name:
            return "name";
        case sandbox_sort::cpu:
            return "cpu";
        case sandbox_sort::memory:
            return "memoryGib";
        case sandbox_sort::disk:
            return "diskGib";
        case sandbox_sort::last_activity:
            return "lastActivityAt";
        case sandbox_sort::created_at:
            break;
    }
    return "createdAt";
}

/// The query of `GET /sandbox` for `p`, in the TS SDK's parameter order; labels as a JSON
/// object, lists as repeated keys.
DAYTONA_DECL std::string list_query(const list_params& p);

// --- one line per operation ---

/// `POST /sandbox`. Never retried once sent (a retry could make a second sandbox).
DAYTONA_DECL asio::awaitable<result<sandbox_info>> create_sandbox(const channel& c,
                                                                  const create_sandbox_request& r,
                                                                  request_options ro = {});
/// `GET /sandbox/{sandboxIdOrName}`; 404 (condition::not_found) when there is none.
DAYTONA_DECL asio::awaitable<result<sandbox_info>> get_sandbox(const channel& c,
                                                               std::string_view id,
                                                               request_options ro = {});
/// `GET /sandbox`: one page.
DAYTONA_DECL asio::awaitable<result<sandbox_info_page>> list_sandboxes(const channel& c,
                                                                       const list_params& p,
                                                                       request_options ro = {});
/// `DELETE /sandbox/{sandboxIdOrName}`.
DAYTONA_DECL asio::awaitable<result<void>> delete_sandbox(const channel& c, std::string_view id,
                                                          request_options ro = {});
DAYTONA_DECL asio::awaitable<result<sandbox_info>> start_sandbox(const channel& c,
                                                                 std::string_view id,
                                                                 request_options ro = {});
/// `POST /sandbox/{id}/stop?force=…`: force stops with SIGKILL instead of SIGTERM.
DAYTONA_DECL asio::awaitable<result<sandbox_info>> stop_sandbox(const channel& c,
                                                                std::string_view id, bool force,
                                                                request_options ro = {});
DAYTONA_DECL asio::awaitable<result<sandbox_info>> archive_sandbox(const channel& c,
                                                                   std::string_view id,
                                                                   request_options ro = {});
DAYTONA_DECL asio::awaitable<result<sandbox_info>> recover_sandbox(const channel& c,
                                                                   std::string_view id,
                                                                   request_options ro = {});
/// `POST /sandbox/{id}/pause`: answers the sandbox, `pausing` until it is paused (linux-vm and
/// windows sandboxes only: others get 422).
DAYTONA_DECL asio::awaitable<result<sandbox_info>> pause_sandbox(const channel& c,
                                                                 std::string_view id,
                                                                 request_options ro = {});
DAYTONA_DECL asio::awaitable<result<sandbox_info>> resize_sandbox(const channel& c,
                                                                  std::string_view id,
                                                                  const resize_params& r,
                                                                  request_options ro = {});
/// `PUT /sandbox/{id}/labels`: replaces every label.
DAYTONA_DECL asio::awaitable<result<sandbox_labels>> replace_labels(const channel& c,
                                                                    std::string_view id,
                                                                    const sandbox_labels& l,
                                                                    request_options ro = {});
DAYTONA_DECL asio::awaitable<result<sandbox_info>> set_public(const channel& c, std::string_view id,
                                                              bool is_public,
                                                              request_options ro = {});
/// One of the interval setters (set_autostop_interval, ...), minutes in the path.
DAYTONA_DECL asio::awaitable<result<sandbox_info>> set_interval(const channel& c,
                                                                const operation& op,
                                                                std::string_view id, int minutes,
                                                                request_options ro = {});
DAYTONA_DECL asio::awaitable<result<sandbox_info>> update_network_settings(
    const channel& c, std::string_view id, const network_settings& n, request_options ro = {});
DAYTONA_DECL asio::awaitable<result<void>> update_last_activity(const channel& c,
                                                                std::string_view id,
                                                                request_options ro = {});
DAYTONA_DECL asio::awaitable<result<preview_link>> get_preview_url(const channel& c,
                                                                   std::string_view id, int port,
                                                                   request_options ro = {});
DAYTONA_DECL asio::awaitable<result<signed_preview_link>> get_signed_preview_url(
    const channel& c, std::string_view id, int port, std::chrono::seconds expires_in,
    request_options ro = {});
DAYTONA_DECL asio::awaitable<result<void>> expire_signed_preview_url(const channel& c,
                                                                     std::string_view id, int port,
                                                                     std::string_view token,
                                                                     request_options ro = {});
DAYTONA_DECL asio::awaitable<result<url_response>> get_build_logs_url(const channel& c,
                                                                      std::string_view id,
                                                                      request_options ro = {});
DAYTONA_DECL asio::awaitable<result<url_response>> get_toolbox_proxy_url(const channel& c,
                                                                         std::string_view id,
                                                                         request_options ro = {});
/// `POST /sandbox/{id}/ssh-access?expiresInMinutes=…`: a new token; the sandbox's earlier tokens
/// are revoked. Never retried once sent.
DAYTONA_DECL asio::awaitable<result<ssh_access>> create_ssh_access(const channel& c,
                                                                   std::string_view id,
                                                                   std::chrono::minutes expires_in,
                                                                   request_options ro = {});
/// `DELETE /sandbox/{id}/ssh-access?token=…`: revokes `token`, or every token of the sandbox when
/// `token` is empty; answers the sandbox.
DAYTONA_DECL asio::awaitable<result<sandbox_info>> revoke_ssh_access(const channel& c,
                                                                     std::string_view id,
                                                                     std::string_view token,
                                                                     request_options ro = {});
/// `GET /sandbox/ssh-access/validate?token=…`: whether `token` opens a sandbox, and which.
DAYTONA_DECL asio::awaitable<result<ssh_access_validation>> validate_ssh_access(
    const channel& c, std::string_view token, request_options ro = {});
/// `POST /sandbox/{id}/fork`: answers the new sandbox (which then starts).
DAYTONA_DECL asio::awaitable<result<sandbox_info>> fork_sandbox(const channel& c,
                                                                std::string_view id,
                                                                const fork_request& f,
                                                                request_options ro = {});
/// `POST /sandbox/{id}/snapshot`: answers the sandbox, `snapshotting` until the copy is made.
DAYTONA_DECL asio::awaitable<result<sandbox_info>> snapshot_sandbox(
    const channel& c, std::string_view id, const sandbox_snapshot_request& s,
    request_options ro = {});
DAYTONA_DECL asio::awaitable<result<std::vector<sandbox_info>>> get_sandbox_forks(
    const channel& c, std::string_view id, request_options ro = {});
DAYTONA_DECL asio::awaitable<result<sandbox_info>> get_sandbox_parent(const channel& c,
                                                                      std::string_view id,
                                                                      request_options ro = {});
DAYTONA_DECL asio::awaitable<result<std::vector<sandbox_info>>> get_sandbox_ancestors(
    const channel& c, std::string_view id, request_options ro = {});

}  // namespace api
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/impl/sandboxes.ipp"
#endif

#endif  // DAYTONA_API_SANDBOXES_HPP
