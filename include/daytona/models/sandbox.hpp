// SPDX-License-Identifier: Apache-2.0
// Sandbox models (OpenAPI tag `sandbox`): the Sandbox DTO, its states, the CreateSandbox wire
// request, and the parameter aggregates of the sandbox operations. Aggregates only: the JSON
// codecs live in codec/sandbox.hpp.
#ifndef DAYTONA_MODELS_SANDBOX_HPP
#define DAYTONA_MODELS_SANDBOX_HPP

#include "daytona/config.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/image.hpp"

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
    return detail::enum_name(detail::sandbox_state_names, s, "unknown");
}

/// The state with wire name `s`; `unknown` for names this library does not know.
constexpr sandbox_state sandbox_state_from_string(std::string_view s) noexcept {
    return detail::enum_value(detail::sandbox_state_names, s, sandbox_state::unknown);
}

/// States a wait for `started` cannot recover from.
constexpr bool is_failure_state(sandbox_state s) noexcept {
    return s == sandbox_state::error || s == sandbox_state::build_failed;
}

/// States on the way to another one (`starting`, `stopping`, `resizing`, ...): a sandbox in one
/// of them refuses new state changes with 409 until it settles.
constexpr bool is_transitional(sandbox_state s) noexcept {
    switch (s) {
        case sandbox_state::creating:
        case sandbox_state::restoring:
        case sandbox_state::destroying:
        case sandbox_state::starting:
        case sandbox_state::stopping:
        case sandbox_state::pending_build:
        case sandbox_state::building_snapshot:
        case sandbox_state::pulling_snapshot:
        case sandbox_state::archiving:
        case sandbox_state::resizing:
        case sandbox_state::snapshotting:
        case sandbox_state::forking:
        case sandbox_state::pausing:
        case sandbox_state::resuming:
            return true;
        default:
            return false;
    }
}

/// OpenAPI `SandboxVolume`: a volume mounted into a sandbox.
struct volume_mount {
    /// Volume id (a name is accepted too when creating a sandbox).
    std::string volume_id{};
    /// Absolute mount path inside the sandbox.
    std::string mount_path{};
    /// Only this prefix of the volume is mounted, when set.
    std::optional<std::string> subpath{};
};

/// OpenAPI `BuildInfo`: how an image-built sandbox's or snapshot's image was made.
struct sandbox_build_info {
    std::string dockerfile_content{};
    std::vector<std::string> context_hashes{};
    std::string snapshot_ref{};
    std::string created_at{};
    std::string updated_at{};
};

/**
 * \brief OpenAPI `Sandbox` (and `SandboxListItem`, which lacks env, volumes and buildInfo).
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
    /// Comma-separated CIDRs the sandbox may reach.
    std::optional<std::string> network_allow_list{};
    /// Comma-separated domains (`*.` wildcards allowed) the sandbox may reach.
    std::optional<std::string> domain_allow_list{};
    std::string target{};
    double cpu = 0;
    double gpu = 0;
    double memory = 0;
    double disk = 0;
    std::optional<std::string> gpu_type{};
    /// A spot (preemptible) sandbox.
    bool spot = false;
    sandbox_state state = sandbox_state::unknown;
    /// The state as sent, kept because newer servers may send states this library lacks.
    std::string state_name{};
    std::string desired_state{};
    std::optional<std::string> error_reason{};
    std::optional<bool> recoverable{};
    std::string backup_state{};
    std::optional<std::string> backup_created_at{};
    /// Minutes of inactivity before the sandbox stops; 0: never.
    std::optional<int> auto_stop_interval{};
    /// Minutes of inactivity before the sandbox pauses; 0: never.
    std::optional<int> auto_pause_interval{};
    /// Minutes stopped before it is archived.
    std::optional<int> auto_archive_interval{};
    /// Minutes stopped before it is deleted; negative: never, 0: as soon as it stops.
    std::optional<int> auto_delete_interval{};
    /// When the sandbox will be deleted regardless of activity (set by a TTL), ISO 8601.
    std::optional<std::string> auto_destroy_at{};
    std::vector<volume_mount> volumes{};
    std::optional<sandbox_build_info> build_info{};
    std::string created_at{};
    std::string updated_at{};
    std::optional<std::string> last_activity_at{};
    std::string sandbox_class{};
    std::optional<std::string> daemon_version{};
    std::optional<std::string> runner_id{};
    /// The sandbox this one is co-scheduled with.
    std::optional<std::string> linked_sandbox_id{};
    /// Base of the toolbox API for this sandbox; the toolbox of sandbox `id` is at
    /// `{toolbox_proxy_url}/{id}`.
    std::string toolbox_proxy_url{};
};

/// One page of `GET /sandbox` as sent (OpenAPI `ListSandboxesResponse`).
struct sandbox_info_page {
    std::vector<sandbox_info> items{};
    /// Cursor of the next page; empty on the last page.
    std::string next_cursor{};
};

/// OpenAPI `CreateBuildInfo`: a Dockerfile to build, and the hashes of its uploaded context.
struct build_request {
    std::string dockerfile_content{};
    /// Sent only when set (an empty array is sent for image-builder images, as the TS SDK does).
    std::optional<std::vector<std::string>> context_hashes{};
};

/// OpenAPI `CreateSandbox`, the wire body of `POST /sandbox`: unset fields are left out.
struct create_sandbox_request {
    std::optional<std::string> name{};
    std::optional<std::string> snapshot{};
    std::optional<build_request> build_info{};
    std::optional<std::string> user{};
    /// Always sent, `{}` when empty.
    std::map<std::string, std::string> env{};
    /// Always sent.
    std::map<std::string, std::string> labels{};
    std::optional<bool> is_public{};
    std::optional<std::string> target{};
    std::optional<int> cpu{};
    std::optional<int> gpu{};
    std::optional<int> memory{};
    std::optional<int> disk{};
    std::vector<std::string> gpu_type{};
    std::optional<bool> spot{};
    std::optional<int> auto_stop_interval{};
    std::optional<int> auto_pause_interval{};
    std::optional<int> auto_archive_interval{};
    std::optional<int> auto_delete_interval{};
    std::optional<int> ttl_minutes{};
    std::vector<volume_mount> volumes{};
    std::optional<bool> network_block_all{};
    std::optional<std::string> network_allow_list{};
    std::optional<std::string> domain_allow_list{};
    std::optional<std::string> outbound_proxy_url{};
    std::optional<std::string> linked_sandbox{};
    /// Secrets as environment variables: env var name → secret name.
    std::map<std::string, std::string> secrets{};
};

/// CPU, GPU, memory and disk for a new sandbox. Only valid when it is built from an image (a
/// snapshot fixes them). Unset fields take the server's defaults.
struct resources {
    std::optional<int> cpu{};
    std::optional<int> gpu{};
    std::optional<int> memory_gib{};
    std::optional<int> disk_gib{};

    bool any() const noexcept { return cpu || gpu || memory_gib || disk_gib; }
};

/**
 * \brief What a new sandbox should look like (CreateSandbox, plus client-side waits).
 * \details Give at most one of `snapshot`, `image`, `dockerfile` and `build`; with none, the
 * server uses its default snapshot. `resources` are allowed only with an image (a snapshot
 * fixes them; Daytona answers 400 otherwise, so the client refuses before sending).
 */
struct create_params {
    /// Sandbox name; defaults to the id on the server. Names are unique per organization.
    std::optional<std::string> name{};
    /// Snapshot name or id to start from.
    std::optional<std::string> snapshot{};
    /// Image to build from; sent as a one-line Dockerfile, as the official SDKs do.
    std::optional<std::string> image{};
    /// A whole Dockerfile to build from (the image builder's output).
    std::optional<std::string> dockerfile{};
    /// Hashes of the Dockerfile's uploaded build context.
    std::vector<std::string> context_hashes{};
    /// An image to build, composed with daytona::image: client::create() checks it
    /// (image::validate()), uploads its local build context, sends its Dockerfile as buildInfo,
    /// streams the build log and waits until the sandbox is started. Excludes snapshot, image
    /// and dockerfile.
    std::optional<daytona::image> build{};
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
    /// GPU models to choose from (`H100`, `RTX-PRO-6000`).
    std::vector<std::string> gpu_type{};
    /// Run on preemptible capacity.
    std::optional<bool> spot{};
    /// Minutes of inactivity before the sandbox stops; 0 disables. Server default 15.
    std::optional<int> auto_stop_interval{};
    /// Minutes of inactivity before the sandbox pauses; 0 disables.
    std::optional<int> auto_pause_interval{};
    /// Minutes stopped before it is archived; 0 means the maximum. Server default 7 days.
    std::optional<int> auto_archive_interval{};
    /// Minutes stopped before it is deleted; negative disables, 0 deletes on stop.
    std::optional<int> auto_delete_interval{};
    /// Delete the sandbox this many minutes after creation, whatever it is doing.
    std::optional<int> ttl_minutes{};
    /// Delete the sandbox as soon as it stops (forces auto_delete_interval = 0).
    bool ephemeral = false;
    std::vector<volume_mount> volumes{};
    std::optional<bool> network_block_all{};
    /// Comma-separated CIDRs the sandbox may reach.
    std::optional<std::string> network_allow_list{};
    /// Comma-separated domains (`*.` wildcards allowed) the sandbox may reach.
    std::optional<std::string> domain_allow_list{};
    /// Co-schedule on the runner of this (ephemeral) sandbox.
    std::optional<std::string> linked_sandbox{};
    /// Environment variables filled from organization secrets: env var name → secret name.
    std::map<std::string, std::string> secrets{};
    /// Region; defaults to client_options::target.
    std::optional<std::string> target{};
    /// How long create() waits for `started` after the request; 0 waits without limit.
    /// Default 60 s.
    std::chrono::milliseconds wait_timeout{60'000};
};

/// Sort keys of `GET /sandbox`.
enum class sandbox_sort { created_at, name, cpu, memory, disk, last_activity };

/// Filters for listing sandboxes (`GET /sandbox`); unset filters are not sent.
struct list_params {
    /// Only sandboxes carrying all of these labels.
    std::map<std::string, std::string> labels{};
    /// Only sandboxes in one of these states.
    std::vector<sandbox_state> states{};
    /// Only sandboxes whose id starts with this.
    std::optional<std::string> id_prefix{};
    /// Only sandboxes whose name starts with this.
    std::optional<std::string> name_prefix{};
    /// Only sandboxes made from one of these snapshots.
    std::vector<std::string> snapshots{};
    /// Only sandboxes in one of these regions.
    std::vector<std::string> targets{};
    std::optional<int> min_cpu{}, max_cpu{};
    std::optional<int> min_memory_gib{}, max_memory_gib{};
    std::optional<int> min_disk_gib{}, max_disk_gib{};
    std::optional<bool> is_public{};
    std::optional<bool> is_recoverable{};
    /// ISO 8601 bounds on creation and last activity.
    std::optional<std::string> created_after{}, created_before{};
    std::optional<std::string> last_activity_after{}, last_activity_before{};
    /// Include sandboxes that failed or were deleted.
    bool include_errored_deleted = false;
    std::optional<sandbox_sort> sort{};
    /// Descending order (the server's default order is ascending).
    std::optional<bool> descending{};
    /// Page size, 1..200; server default 100.
    std::optional<int> limit{};
    /// Cursor from a previous page's next_cursor.
    std::string cursor{};
};

/**
 * \brief A change of a sandbox's resources (OpenAPI `ResizeSandbox`).
 * \details A started sandbox can only grow CPU and memory (a hot resize); shrinking them or
 * changing the disk needs a stopped one; the disk can never shrink. The server enforces this
 * with 400; the client checks what it can know from the sandbox's last state first.
 */
struct resize_params {
    std::optional<int> cpu{};
    std::optional<int> memory_gib{};
    std::optional<int> disk_gib{};
    /// Not resizable: ResizeSandbox has no such field, the client refuses it before sending and
    /// the emulator answers 400 "GPU cannot be resized". Here so a body carrying it decodes.
    std::optional<int> gpu{};
};

/// OpenAPI `UpdateSandboxNetworkSettings`: set fields change, unset fields stay.
struct network_settings {
    std::optional<bool> block_all{};
    /// Comma-separated CIDRs.
    std::optional<std::string> allow_list{};
    /// Comma-separated domains.
    std::optional<std::string> domain_allow_list{};
};

/// OpenAPI `PortPreviewUrl`: the URL of a port and the token a private sandbox needs.
struct preview_link {
    std::string sandbox_id{};
    std::string url{};
    /// Send as `X-Daytona-Preview-Token`, or as `?DAYTONA_SANDBOX_AUTH_KEY=`.
    std::string token{};
};

/// OpenAPI `SignedPortPreviewUrl`: a URL that needs no other credential until it expires.
struct signed_preview_link {
    std::string sandbox_id{};
    int port = 0;
    /// Revoke with expire_signed_preview_link(port, token).
    std::string token{};
    std::string url{};
};

/// OpenAPI `SandboxLabels`.
struct sandbox_labels {
    std::map<std::string, std::string> labels{};
};

/// OpenAPI `CreateSandboxSnapshot`.
struct sandbox_snapshot_request {
    std::string name{};
    std::optional<bool> include_memory{};
};

/// OpenAPI `ForkSandbox`.
struct fork_request {
    std::optional<std::string> name{};
};

/// OpenAPI `Url`: a URL the server hands out (build logs, toolbox proxy).
struct url_response {
    std::string url{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_SANDBOX_HPP
