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
inline result<void> validate(const create_params& p) {
    auto bad = [](std::string why) {
        return error(make_error_code(errc::invalid_argument),
                     error_info{.message = "create_params: " + std::move(why),
                                .operation = "create_sandbox"});
    };
    if (p.language != "python" && p.language != "typescript" && p.language != "javascript")
        return bad("language must be python, typescript or javascript, not '" + p.language + "'");
    const int sources =
        (p.snapshot ? 1 : 0) + (p.image ? 1 : 0) + (p.dockerfile ? 1 : 0) + (p.build ? 1 : 0);
    if (sources > 1) return bad("give at most one of snapshot, image, dockerfile and build");
    if (p.build)
        if (auto v = p.build->validate(); !v)
            return error(make_error_code(errc::invalid_argument),
                         error_info{.message = "create_params.build: " + v.error().message(),
                                    .operation = "create_sandbox"});
    if (p.resources.any() && !p.image && !p.dockerfile && !p.build)
        return bad(
            "resources can only be given with an image or a dockerfile (a snapshot fixes "
            "them): Cannot specify Sandbox resources when using a snapshot");
    for (auto [name, v] : {std::pair{"cpu", p.resources.cpu},
                           {"gpu", p.resources.gpu},
                           {"memory_gib", p.resources.memory_gib},
                           {"disk_gib", p.resources.disk_gib}})
        if (v && *v <= 0) return bad(std::string("resources.") + name + " must be positive");
    for (auto [name, v] : {std::pair{"auto_stop_interval", p.auto_stop_interval},
                           {"auto_pause_interval", p.auto_pause_interval},
                           {"auto_archive_interval", p.auto_archive_interval},
                           {"ttl_minutes", p.ttl_minutes}})
        if (v && *v < 0) return bad(std::string(name) + " must not be negative");
    if (p.wait_timeout.count() < 0) return bad("wait_timeout must not be negative");
    for (const auto& v : p.volumes)
        if (v.volume_id.empty() || v.mount_path.empty())
            return bad("every volume needs a volume_id and a mount_path");
    if (p.image && p.image->find_first_of("\r\n") != std::string::npos)
        return bad("image must be one line");
    return {};
}

/**
 * \brief The buildInfo of an image-builder image: its Dockerfile and the content hashes of its
 * local build context, in context order (an empty array when it has none, as the TS SDK sends).
 * \par Errors
 * errc::invalid_argument when image::validate() refuses it; errc::io_error when a context entry
 * cannot be read.
 */
inline result<build_request> to_build_request(const image& img, std::string_view operation) {
    auto hashes = img.context_hashes();
    if (!hashes) return std::move(hashes).error().with_operation(operation);
    return build_request{.dockerfile_content = img.dockerfile(),
                         .context_hashes = std::move(*hashes)};
}

/// The CreateSandbox body for `p`, as the official TS SDK builds it: a string image becomes a
/// one-line Dockerfile, the language goes into the `code-toolbox-language` label, `ephemeral`
/// forces autoDeleteInterval 0, and the client's target applies when `p.target` is unset.
inline result<create_sandbox_request> to_request(const create_params& p,
                                                 std::string_view default_target) {
    if (auto v = validate(p); !v) return std::move(v).error();
    create_sandbox_request r;
    r.name = p.name;
    r.snapshot = p.snapshot;
    if (p.image) r.build_info = build_request{.dockerfile_content = "FROM " + *p.image + "\n"};
    if (p.dockerfile)
        r.build_info =
            build_request{.dockerfile_content = *p.dockerfile, .context_hashes = p.context_hashes};
    if (p.build) {
        auto b = to_build_request(*p.build, "create_sandbox");
        if (!b) return std::move(b).error();
        r.build_info = std::move(*b);
    }
    r.user = p.user;
    r.env = p.env;
    r.labels = p.labels;
    r.labels["code-toolbox-language"] = p.language;
    r.is_public = p.is_public;
    if (p.target)
        r.target = p.target;
    else if (!default_target.empty())
        r.target = std::string(default_target);
    r.cpu = p.resources.cpu;
    r.gpu = p.resources.gpu;
    r.memory = p.resources.memory_gib;
    r.disk = p.resources.disk_gib;
    r.gpu_type = p.gpu_type;
    r.spot = p.spot;
    r.auto_stop_interval = p.auto_stop_interval;
    r.auto_pause_interval = p.auto_pause_interval;
    r.auto_archive_interval = p.auto_archive_interval;
    r.auto_delete_interval = p.ephemeral ? std::optional<int>(0) : p.auto_delete_interval;
    r.ttl_minutes = p.ttl_minutes;
    r.volumes = p.volumes;
    r.network_block_all = p.network_block_all;
    r.network_allow_list = p.network_allow_list;
    r.domain_allow_list = p.domain_allow_list;
    r.linked_sandbox = p.linked_sandbox;
    r.secrets = p.secrets;
    return r;
}

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
inline std::string list_query(const list_params& p) {
    http::query_builder q;
    if (!p.cursor.empty()) q.add("cursor", p.cursor);
    if (p.limit) q.add("limit", *p.limit);
    if (p.id_prefix) q.add("id", *p.id_prefix);
    if (p.name_prefix) q.add("name", *p.name_prefix);
    if (!p.labels.empty()) {
        std::string labels;
        json::writer(labels).value(p.labels);
        q.add("labels", labels);
    }
    if (p.include_errored_deleted) q.add("includeErroredDeleted", true);
    for (auto s : p.states)
        q.add("states", to_string(s));
    for (const auto& s : p.snapshots)
        q.add("snapshots", s);
    for (const auto& t : p.targets)
        q.add("regionIds", t);
    if (p.min_cpu) q.add("minCpu", *p.min_cpu);
    if (p.max_cpu) q.add("maxCpu", *p.max_cpu);
    if (p.min_memory_gib) q.add("minMemoryGiB", *p.min_memory_gib);
    if (p.max_memory_gib) q.add("maxMemoryGiB", *p.max_memory_gib);
    if (p.min_disk_gib) q.add("minDiskGiB", *p.min_disk_gib);
    if (p.max_disk_gib) q.add("maxDiskGiB", *p.max_disk_gib);
    if (p.is_public) q.add("isPublic", *p.is_public);
    if (p.is_recoverable) q.add("isRecoverable", *p.is_recoverable);
    if (p.created_after) q.add("createdAtAfter", *p.created_after);
    if (p.created_before) q.add("createdAtBefore", *p.created_before);
    if (p.last_activity_after) q.add("lastEventAfter", *p.last_activity_after);
    if (p.last_activity_before) q.add("lastEventBefore", *p.last_activity_before);
    if (p.sort) q.add("sort", to_string(*p.sort));
    if (p.descending) q.add("order", *p.descending ? "desc" : "asc");
    return q.release();
}

// --- one line per operation ---

/// `POST /sandbox`. Never retried once sent (a retry could make a second sandbox).
inline asio::awaitable<result<sandbox_info>> create_sandbox(const channel& c,
                                                            const create_sandbox_request& r,
                                                            request_options ro = {}) {
    return invoke<sandbox_info>(c, ops::create_sandbox, {}, json_body(r), ro);
}
/// `GET /sandbox/{sandboxIdOrName}`; 404 (condition::not_found) when there is none.
inline asio::awaitable<result<sandbox_info>> get_sandbox(const channel& c, std::string_view id,
                                                         request_options ro = {}) {
    return invoke<sandbox_info>(c, ops::get_sandbox, {id}, ro);
}
/// `GET /sandbox`: one page.
inline asio::awaitable<result<sandbox_info_page>> list_sandboxes(const channel& c,
                                                                 const list_params& p,
                                                                 request_options ro = {}) {
    return invoke<sandbox_info_page>(c, ops::list_sandboxes, {}, query(list_query(p)), ro);
}
/// `DELETE /sandbox/{sandboxIdOrName}`.
inline asio::awaitable<result<void>> delete_sandbox(const channel& c, std::string_view id,
                                                    request_options ro = {}) {
    return invoke<void>(c, ops::delete_sandbox, {id}, ro);
}
inline asio::awaitable<result<sandbox_info>> start_sandbox(const channel& c, std::string_view id,
                                                           request_options ro = {}) {
    return invoke<sandbox_info>(c, ops::start_sandbox, {id}, ro);
}
/// `POST /sandbox/{id}/stop?force=…`: force stops with SIGKILL instead of SIGTERM.
inline asio::awaitable<result<sandbox_info>> stop_sandbox(const channel& c, std::string_view id,
                                                          bool force, request_options ro = {}) {
    return invoke<sandbox_info>(c, ops::stop_sandbox, {id},
                                query(force ? "force=true" : "force=false"), ro);
}
inline asio::awaitable<result<sandbox_info>> archive_sandbox(const channel& c, std::string_view id,
                                                             request_options ro = {}) {
    return invoke<sandbox_info>(c, ops::archive_sandbox, {id}, ro);
}
inline asio::awaitable<result<sandbox_info>> recover_sandbox(const channel& c, std::string_view id,
                                                             request_options ro = {}) {
    return invoke<sandbox_info>(c, ops::recover_sandbox, {id}, ro);
}
inline asio::awaitable<result<sandbox_info>> resize_sandbox(const channel& c, std::string_view id,
                                                            const resize_params& r,
                                                            request_options ro = {}) {
    return invoke<sandbox_info>(c, ops::resize_sandbox, {id}, json_body(r), ro);
}
/// `PUT /sandbox/{id}/labels`: replaces every label.
inline asio::awaitable<result<sandbox_labels>> replace_labels(const channel& c, std::string_view id,
                                                              const sandbox_labels& l,
                                                              request_options ro = {}) {
    return invoke<sandbox_labels>(c, ops::replace_labels, {id}, json_body(l), ro);
}
inline asio::awaitable<result<sandbox_info>> set_public(const channel& c, std::string_view id,
                                                        bool is_public, request_options ro = {}) {
    return invoke<sandbox_info>(c, ops::set_public, {id, is_public ? "true" : "false"}, ro);
}
/// One of the interval setters (set_autostop_interval, ...), minutes in the path.
inline asio::awaitable<result<sandbox_info>> set_interval(const channel& c, const operation& op,
                                                          std::string_view id, int minutes,
                                                          request_options ro = {}) {
    const auto m = std::to_string(minutes);
    return invoke<sandbox_info>(c, op, {id, m}, ro);
}
inline asio::awaitable<result<sandbox_info>> update_network_settings(const channel& c,
                                                                     std::string_view id,
                                                                     const network_settings& n,
                                                                     request_options ro = {}) {
    return invoke<sandbox_info>(c, ops::update_network_settings, {id}, json_body(n), ro);
}
inline asio::awaitable<result<void>> update_last_activity(const channel& c, std::string_view id,
                                                          request_options ro = {}) {
    return invoke<void>(c, ops::update_last_activity, {id}, ro);
}
inline asio::awaitable<result<preview_link>> get_preview_url(const channel& c, std::string_view id,
                                                             int port, request_options ro = {}) {
    const auto p = std::to_string(port);
    return invoke<preview_link>(c, ops::get_preview_url, {id, p}, ro);
}
inline asio::awaitable<result<signed_preview_link>> get_signed_preview_url(
    const channel& c, std::string_view id, int port, std::chrono::seconds expires_in,
    request_options ro = {}) {
    const auto p = std::to_string(port);
    return invoke<signed_preview_link>(
        c, ops::get_signed_preview_url, {id, p},
        query("expiresInSeconds=" + std::to_string(expires_in.count())), ro);
}
inline asio::awaitable<result<void>> expire_signed_preview_url(const channel& c,
                                                               std::string_view id, int port,
                                                               std::string_view token,
                                                               request_options ro = {}) {
    const auto p = std::to_string(port);
    return invoke<void>(c, ops::expire_signed_preview_url, {id, p, token}, ro);
}
inline asio::awaitable<result<url_response>> get_build_logs_url(const channel& c,
                                                                std::string_view id,
                                                                request_options ro = {}) {
    return invoke<url_response>(c, ops::get_build_logs_url, {id}, ro);
}
inline asio::awaitable<result<url_response>> get_toolbox_proxy_url(const channel& c,
                                                                   std::string_view id,
                                                                   request_options ro = {}) {
    return invoke<url_response>(c, ops::get_toolbox_proxy_url, {id}, ro);
}
/// `POST /sandbox/{id}/fork`: answers the new sandbox (which then starts).
inline asio::awaitable<result<sandbox_info>> fork_sandbox(const channel& c, std::string_view id,
                                                          const fork_request& f,
                                                          request_options ro = {}) {
    return invoke<sandbox_info>(c, ops::fork_sandbox, {id}, json_body(f), ro);
}
/// `POST /sandbox/{id}/snapshot`: answers the sandbox, `snapshotting` until the copy is made.
inline asio::awaitable<result<sandbox_info>> snapshot_sandbox(const channel& c, std::string_view id,
                                                              const sandbox_snapshot_request& s,
                                                              request_options ro = {}) {
    return invoke<sandbox_info>(c, ops::snapshot_sandbox, {id}, json_body(s), ro);
}
inline asio::awaitable<result<std::vector<sandbox_info>>> get_sandbox_forks(
    const channel& c, std::string_view id, request_options ro = {}) {
    return invoke<std::vector<sandbox_info>>(c, ops::get_sandbox_forks, {id}, ro);
}
inline asio::awaitable<result<sandbox_info>> get_sandbox_parent(const channel& c,
                                                                std::string_view id,
                                                                request_options ro = {}) {
    return invoke<sandbox_info>(c, ops::get_sandbox_parent, {id}, ro);
}
inline asio::awaitable<result<std::vector<sandbox_info>>> get_sandbox_ancestors(
    const channel& c, std::string_view id, request_options ro = {}) {
    return invoke<std::vector<sandbox_info>>(c, ops::get_sandbox_ancestors, {id}, ro);
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_SANDBOXES_HPP
