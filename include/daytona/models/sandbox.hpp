// SPDX-License-Identifier: Apache-2.0
// Sandbox DTOs (OpenAPI `Sandbox`, `SandboxState`, `CreateSandbox`, `ListSandboxesResponse`) and
// their JSON coding.
#ifndef DAYTONA_MODELS_SANDBOX_HPP
#define DAYTONA_MODELS_SANDBOX_HPP

#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/result.hpp"

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/// OpenAPI `SandboxState`. Values this library does not know decode as `unknown`.
enum class sandbox_state {
    unknown,
    creating,
    restoring,
    destroyed,
    destroying,
    started,
    stopped,
    starting,
    stopping,
    error,
    build_failed,
    pending_build,
    building_snapshot,
    pulling_snapshot,
    archived,
    archiving,
    resizing,
    snapshotting,
    forking,
    pausing,
    paused,
    resuming,
};

namespace detail {
inline constexpr std::array<std::pair<sandbox_state, std::string_view>, 22> sandbox_state_names{{
    {sandbox_state::unknown, "unknown"},
    {sandbox_state::creating, "creating"},
    {sandbox_state::restoring, "restoring"},
    {sandbox_state::destroyed, "destroyed"},
    {sandbox_state::destroying, "destroying"},
    {sandbox_state::started, "started"},
    {sandbox_state::stopped, "stopped"},
    {sandbox_state::starting, "starting"},
    {sandbox_state::stopping, "stopping"},
    {sandbox_state::error, "error"},
    {sandbox_state::build_failed, "build_failed"},
    {sandbox_state::pending_build, "pending_build"},
    {sandbox_state::building_snapshot, "building_snapshot"},
    {sandbox_state::pulling_snapshot, "pulling_snapshot"},
    {sandbox_state::archived, "archived"},
    {sandbox_state::archiving, "archiving"},
    {sandbox_state::resizing, "resizing"},
    {sandbox_state::snapshotting, "snapshotting"},
    {sandbox_state::forking, "forking"},
    {sandbox_state::pausing, "pausing"},
    {sandbox_state::paused, "paused"},
    {sandbox_state::resuming, "resuming"},
}};
}  // namespace detail

/// The wire name of a state ("started").
constexpr std::string_view to_string(sandbox_state s) noexcept {
    for (const auto& [v, name] : detail::sandbox_state_names)
        if (v == s) return name;
    return "unknown";
}

/// The state with wire name `s`; `unknown` for names this library does not know.
constexpr sandbox_state sandbox_state_from_string(std::string_view s) noexcept {
    for (const auto& [v, name] : detail::sandbox_state_names)
        if (name == s) return v;
    return sandbox_state::unknown;
}

/// States a wait for `started` cannot recover from.
constexpr bool is_failure_state(sandbox_state s) noexcept {
    return s == sandbox_state::error || s == sandbox_state::build_failed;
}

/// OpenAPI `SandboxVolume`: a volume mounted into a sandbox.
struct volume_mount {
    /// Volume id (or name, in a create request).
    std::string volume_id{};
    /// Absolute mount path inside the sandbox.
    std::string mount_path{};
    /// Only this prefix of the volume is mounted, when set.
    std::optional<std::string> subpath{};
};

/// OpenAPI `BuildInfo`: how an image-built sandbox's snapshot was made.
struct sandbox_build_info {
    std::string dockerfile_content{};
    std::vector<std::string> context_hashes{};
    std::string snapshot_ref{};
    std::string created_at{};
    std::string updated_at{};
};

/**
 * \brief OpenAPI `Sandbox` (and `SandboxListItem`, which lacks a few fields).
 * \details Only `id` is required when decoding; every other field keeps its default when the
 * server leaves it out, so newer or older servers stay readable. Memory and disk are in GiB.
 */
struct sandbox_info {
    std::string id{};
    std::string organization_id{};
    std::string name{};
    std::optional<std::string> snapshot{};
    std::string user{};
    std::map<std::string, std::string> env{};
    std::map<std::string, std::string> labels{};
    /// `public`: preview URLs are reachable without a token.
    bool is_public = false;
    bool network_block_all = false;
    std::optional<std::string> network_allow_list{};
    std::optional<std::string> domain_allow_list{};
    std::string target{};
    double cpu = 0;
    double gpu = 0;
    double memory = 0;
    double disk = 0;
    std::optional<std::string> gpu_type{};
    sandbox_state state = sandbox_state::unknown;
    /// The state as sent, kept because newer servers may send states this library lacks.
    std::string state_name{};
    std::string desired_state{};
    std::optional<std::string> error_reason{};
    std::optional<bool> recoverable{};
    std::string backup_state{};
    std::optional<std::string> backup_created_at{};
    /// Minutes; 0 disables auto-stop.
    std::optional<int> auto_stop_interval{};
    std::optional<int> auto_archive_interval{};
    /// Minutes; negative disables, 0 deletes as soon as the sandbox stops.
    std::optional<int> auto_delete_interval{};
    std::vector<volume_mount> volumes{};
    std::optional<sandbox_build_info> build_info{};
    std::string created_at{};
    std::string updated_at{};
    std::optional<std::string> last_activity_at{};
    std::string sandbox_class{};
    std::optional<std::string> daemon_version{};
    std::optional<std::string> runner_id{};
    /// Base of the toolbox API for this sandbox (REFERENCE.md §5.1).
    std::string toolbox_proxy_url{};
};

/// One page of `GET /sandbox` (OpenAPI `ListSandboxesResponse`).
struct sandbox_page {
    std::vector<sandbox_info> items{};
    /// Cursor of the next page; empty on the last page.
    std::string next_cursor{};
};

/// CPU, GPU, memory and disk for a new sandbox. Unset fields take the server's defaults.
struct resources {
    std::optional<int> cpu{};
    std::optional<int> gpu{};
    std::optional<int> memory_gib{};
    std::optional<int> disk_gib{};
};

/**
 * \brief What a new sandbox should look like (OpenAPI `CreateSandbox`, plus client-side waits).
 * \details Give at most one of `snapshot` and `image`; with neither, the server uses its default
 * snapshot. The body leaves out unset fields, as the official SDKs do, except `env` and
 * `labels`, which are always sent.
 */
struct create_params {
    /// Sandbox name; defaults to the id on the server.
    std::optional<std::string> name{};
    /// Snapshot name or id to start from.
    std::optional<std::string> snapshot{};
    /// Base image to build from; sent as a one-line Dockerfile, as the official SDKs do.
    std::optional<std::string> image{};
    /// Full Dockerfile to build from (the image builder's output).
    std::optional<std::string> dockerfile{};
    /// OS user the sandbox runs as.
    std::optional<std::string> user{};
    std::map<std::string, std::string> env{};
    std::map<std::string, std::string> labels{};
    /// Language of code_run, stored in the `code-toolbox-language` label: "python" (default),
    /// "typescript" or "javascript".
    std::string language = "python";
    /// Make preview URLs public.
    std::optional<bool> is_public{};
    daytona::resources resources{};
    /// Minutes of inactivity before the sandbox stops; 0 disables. Server default 15.
    std::optional<int> auto_stop_interval{};
    /// Minutes stopped before it is archived; 0 means the maximum. Server default 7 days.
    std::optional<int> auto_archive_interval{};
    /// Minutes stopped before it is deleted; negative disables, 0 deletes on stop.
    std::optional<int> auto_delete_interval{};
    /// Delete the sandbox as soon as it stops (forces auto_delete_interval = 0).
    bool ephemeral = false;
    std::vector<volume_mount> volumes{};
    std::optional<bool> network_block_all{};
    /// Comma-separated CIDRs the sandbox may reach.
    std::optional<std::string> network_allow_list{};
    /// Region; defaults to client_options::target.
    std::optional<std::string> target{};
    /// How long create() waits for `started` after the request; 0 waits without limit. Default 60
    /// s.
    std::chrono::milliseconds wait_timeout{60'000};
};

/// Filters for listing sandboxes (`GET /sandbox`).
struct list_params {
    /// Only sandboxes carrying all of these labels.
    std::map<std::string, std::string> labels{};
    /// Only sandboxes in one of these states.
    std::vector<sandbox_state> states{};
    /// Page size; server default 100.
    std::optional<int> limit{};
    /// Cursor from a previous page's next_cursor.
    std::string cursor{};
};

// --- JSON coding ---

inline void decode_value(json::value& v, volume_mount& out, json::decoder& d) {
    bool has_id = false;
    d.object(v, "object", json::into("volumeId", out.volume_id, &has_id),
             json::into("mountPath", out.mount_path), json::into("subpath", out.subpath));
    if (d.ok() && !has_id) d.missing("volumeId");
}

inline void decode_value(json::value& v, sandbox_build_info& out, json::decoder& d) {
    d.object(v, "object", json::into("dockerfileContent", out.dockerfile_content),
             json::into("contextHashes", out.context_hashes),
             json::into("snapshotRef", out.snapshot_ref), json::into("createdAt", out.created_at),
             json::into("updatedAt", out.updated_at));
}

// Hand-dispatched on the first letter rather than json::into(): a Sandbox has ~40 members and
// lists carry hundreds of them (see benchmarks/micro_bench.cpp).
inline void decode_value(json::value& v, sandbox_info& out, json::decoder& d) {
    bool has_id = false;
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        // Grouped by first letter to keep the comparisons per key few.
        switch (key.empty() ? '\0' : key.front()) {
            case 'a':
                if (key == "autoStopInterval")
                    d.field("autoStopInterval", val, out.auto_stop_interval);
                else if (key == "autoArchiveInterval")
                    d.field("autoArchiveInterval", val, out.auto_archive_interval);
                else if (key == "autoDeleteInterval")
                    d.field("autoDeleteInterval", val, out.auto_delete_interval);
                break;
            case 'b':
                if (key == "backupState")
                    d.field("backupState", val, out.backup_state);
                else if (key == "backupCreatedAt")
                    d.field("backupCreatedAt", val, out.backup_created_at);
                else if (key == "buildInfo")
                    d.field("buildInfo", val, out.build_info);
                break;
            case 'c':
                if (key == "cpu")
                    d.field("cpu", val, out.cpu);
                else if (key == "createdAt")
                    d.field("createdAt", val, out.created_at);
                break;
            case 'd':
                if (key == "disk")
                    d.field("disk", val, out.disk);
                else if (key == "desiredState")
                    d.field("desiredState", val, out.desired_state);
                else if (key == "domainAllowList")
                    d.field("domainAllowList", val, out.domain_allow_list);
                else if (key == "daemonVersion")
                    d.field("daemonVersion", val, out.daemon_version);
                break;
            case 'e':
                if (key == "env")
                    d.field("env", val, out.env);
                else if (key == "errorReason")
                    d.field("errorReason", val, out.error_reason);
                break;
            case 'g':
                if (key == "gpu")
                    d.field("gpu", val, out.gpu);
                else if (key == "gpuType")
                    d.field("gpuType", val, out.gpu_type);
                break;
            case 'i':
                if (key == "id") {
                    d.field("id", val, out.id);
                    has_id = !out.id.empty();
                }
                break;
            case 'l':
                if (key == "labels")
                    d.field("labels", val, out.labels);
                else if (key == "lastActivityAt")
                    d.field("lastActivityAt", val, out.last_activity_at);
                break;
            case 'm':
                if (key == "memory") d.field("memory", val, out.memory);
                break;
            case 'n':
                if (key == "name")
                    d.field("name", val, out.name);
                else if (key == "networkBlockAll")
                    d.field("networkBlockAll", val, out.network_block_all);
                else if (key == "networkAllowList")
                    d.field("networkAllowList", val, out.network_allow_list);
                break;
            case 'o':
                if (key == "organizationId") d.field("organizationId", val, out.organization_id);
                break;
            case 'p':
                if (key == "public") d.field("public", val, out.is_public);
                break;
            case 'r':
                if (key == "recoverable")
                    d.field("recoverable", val, out.recoverable);
                else if (key == "runnerId")
                    d.field("runnerId", val, out.runner_id);
                break;
            case 's':
                if (key == "state") {
                    d.field("state", val, out.state_name);
                    out.state = sandbox_state_from_string(out.state_name);
                } else if (key == "snapshot") {
                    d.field("snapshot", val, out.snapshot);
                } else if (key == "sandboxClass") {
                    d.field("sandboxClass", val, out.sandbox_class);
                }
                break;
            case 't':
                if (key == "target")
                    d.field("target", val, out.target);
                else if (key == "toolboxProxyUrl")
                    d.field("toolboxProxyUrl", val, out.toolbox_proxy_url);
                break;
            case 'u':
                if (key == "user")
                    d.field("user", val, out.user);
                else if (key == "updatedAt")
                    d.field("updatedAt", val, out.updated_at);
                break;
            case 'v':
                if (key == "volumes") d.field("volumes", val, out.volumes);
                break;
            default:
                break;
        }
    });
    if (d.ok() && !has_id) d.missing("id");
}

inline void decode_value(json::value& v, sandbox_page& out, json::decoder& d) {
    bool has_items = false;
    d.object(v, "object", json::into("items", out.items, &has_items),
             json::into("nextCursor", out.next_cursor));
    if (d.ok() && !has_items) d.missing("items");
}

/**
 * \brief Checks what the official SDKs check before sending a CreateSandbox.
 * \par Errors
 * errc::invalid_argument naming the offending field.
 */
inline result<void> validate(const create_params& p) {
    auto bad = [](std::string why) {
        return error(make_error_code(errc::invalid_argument), "create_params: " + std::move(why));
    };
    if (p.language != "python" && p.language != "typescript" && p.language != "javascript")
        return bad("language must be python, typescript or javascript, not '" + p.language + "'");
    int sources = (p.snapshot ? 1 : 0) + (p.image ? 1 : 0) + (p.dockerfile ? 1 : 0);
    if (sources > 1) return bad("give at most one of snapshot, image and dockerfile");
    if (p.auto_stop_interval && *p.auto_stop_interval < 0)
        return bad("auto_stop_interval must not be negative");
    if (p.auto_archive_interval && *p.auto_archive_interval < 0)
        return bad("auto_archive_interval must not be negative");
    if (p.wait_timeout.count() < 0) return bad("wait_timeout must not be negative");
    for (const auto& v : p.volumes)
        if (v.volume_id.empty() || v.mount_path.empty())
            return bad("every volume needs a volume_id and a mount_path");
    return {};
}

/// `"volumes":[{volumeId, mountPath, subpath?}]` (CreateSandbox and the Sandbox DTO alike).
inline void write_volumes(json::writer& w, const std::vector<volume_mount>& volumes) {
    w.key("volumes").begin_array();
    for (const auto& v : volumes) {
        w.begin_object().member("volumeId", v.volume_id).member("mountPath", v.mount_path);
        w.member("subpath", v.subpath);
        w.end_object();
    }
    w.end_array();
}

/// The CreateSandbox body, field names and omissions as the official TS SDK sends them.
inline std::string to_json(const create_params& p, std::string_view default_target) {
    std::string out;
    out.reserve(256);
    json::writer w(out);
    w.begin_object();
    w.member("name", p.name);
    w.member("snapshot", p.snapshot);
    if (p.image || p.dockerfile) {
        w.key("buildInfo").begin_object();
        if (p.dockerfile) {
            w.key("contextHashes").begin_array().end_array();
            w.member("dockerfileContent", *p.dockerfile);
        } else {
            w.member("dockerfileContent", "FROM " + *p.image + "\n");
        }
        w.end_object();
    }
    w.member("user", p.user);
    w.member("env", p.env);
    auto labels = p.labels;
    labels["code-toolbox-language"] = p.language;
    w.member("labels", labels);
    w.member("public", p.is_public);
    if (p.target)
        w.member("target", *p.target);
    else if (!default_target.empty())
        w.member("target", default_target);
    w.member("cpu", p.resources.cpu);
    w.member("gpu", p.resources.gpu);
    w.member("memory", p.resources.memory_gib);
    w.member("disk", p.resources.disk_gib);
    w.member("autoStopInterval", p.auto_stop_interval);
    w.member("autoArchiveInterval", p.auto_archive_interval);
    if (p.ephemeral)
        w.member("autoDeleteInterval", 0);
    else
        w.member("autoDeleteInterval", p.auto_delete_interval);
    if (!p.volumes.empty()) write_volumes(w, p.volumes);
    w.member("networkBlockAll", p.network_block_all);
    w.member("networkAllowList", p.network_allow_list);
    w.end_object();
    return out;
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_SANDBOX_HPP
