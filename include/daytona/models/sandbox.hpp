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
    /// The Dockerfile the image was built from.
    std::string dockerfile_content{};
    /// Content hashes of the build-context files that were uploaded for the build.
    std::vector<std::string> context_hashes{};
    /// Reference of the image the build produced (`snapshotRef`).
    std::string snapshot_ref{};
    /// When the build was recorded, ISO 8601.
    std::string created_at{};
    /// When the build record last changed, ISO 8601.
    std::string updated_at{};
};

/**
 * \brief OpenAPI `Sandbox` (and `SandboxListItem`, which lacks env, volumes and buildInfo).
 * \details Only `id` is required when decoding; every other field keeps its default when the
 * server leaves it out, so newer or older servers stay readable. Memory and disk are in GiB.
 */
struct sandbox_info {
    /// The sandbox's id; every API and toolbox URL of the sandbox uses it.
    std::string id{};
    /// Id of the organization that owns the sandbox.
    std::string organization_id{};
    /// Name, unique per organization; the server uses the id when none was given.
    std::string name{};
    /// The snapshot the sandbox was created from; unset when the server sends none.
    std::optional<std::string> snapshot{};
    /// The OS user the sandbox's processes run as (e.g. `daytona`).
    std::string user{};
    /// Environment variables of the sandbox (list items carry none: empty there).
    std::map<std::string, std::string> env{};
    /// Labels; the client keeps the code_run language in `code-toolbox-language`.
    std::map<std::string, std::string> labels{};
    /// `public`: preview URLs are reachable without a token.
    bool is_public = false;
    /// `networkBlockAll`: all outbound network access is blocked.
    bool network_block_all = false;
    /// Comma-separated CIDRs the sandbox may reach.
    std::optional<std::string> network_allow_list{};
    /// Comma-separated domains (`*.` wildcards allowed) the sandbox may reach.
    std::optional<std::string> domain_allow_list{};
    /// Region the sandbox runs in (`target`, e.g. `us`).
    std::string target{};
    /// Number of vCPUs.
    double cpu = 0;
    /// Number of GPUs.
    double gpu = 0;
    /// Memory in GiB.
    double memory = 0;
    /// Disk size in GiB.
    double disk = 0;
    /// GPU model assigned (`H100`); unset without a GPU.
    std::optional<std::string> gpu_type{};
    /// A spot (preemptible) sandbox.
    bool spot = false;
    /// Current state; `unknown` for a state this library does not know (see state_name).
    sandbox_state state = sandbox_state::unknown;
    /// The state as sent, kept because newer servers may send states this library lacks.
    std::string state_name{};
    /// The state the server is driving the sandbox to (`started`, `stopped`, `destroyed`, ...);
    /// empty when not sent.
    std::string desired_state{};
    /// Why the sandbox is in `error` or `build_failed` (`errorReason`); unset otherwise.
    std::optional<std::string> error_reason{};
    /// Whether sandbox::recover() can bring it back from `error`; unset when not sent.
    std::optional<bool> recoverable{};
    /// State of the last backup: `None`, `Pending`, `InProgress`, `Completed` or `Error`.
    std::string backup_state{};
    /// When the last backup was made, ISO 8601; unset when there is none.
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
    /// Volumes mounted into the sandbox (empty in list items).
    std::vector<volume_mount> volumes{};
    /// How the image was built, for a sandbox built from a Dockerfile; unset otherwise and in
    /// list items.
    std::optional<sandbox_build_info> build_info{};
    /// Creation time, ISO 8601.
    std::string created_at{};
    /// Time of the last change to the sandbox's record, ISO 8601.
    std::string updated_at{};
    /// Time of the last recorded activity, ISO 8601.
    std::optional<std::string> last_activity_at{};
    /// `container`, `linux-vm`, `android` or `windows`; empty when not sent.
    std::string sandbox_class{};
    /// Version of the Daytona daemon (the toolbox server) running in the sandbox.
    std::optional<std::string> daemon_version{};
    /// Id of the runner (host machine) the sandbox is placed on.
    std::optional<std::string> runner_id{};
    /// The sandbox this one is co-scheduled with.
    std::optional<std::string> linked_sandbox_id{};
    /// Base of the toolbox API for this sandbox; the toolbox of sandbox `id` is at
    /// `{toolbox_proxy_url}/{id}`.
    std::string toolbox_proxy_url{};
};

/// One page of `GET /sandbox` as sent (OpenAPI `ListSandboxesResponse`).
struct sandbox_info_page {
    /// The sandboxes of this page, as list items (no env, volumes or build_info).
    std::vector<sandbox_info> items{};
    /// Cursor of the next page; empty on the last page.
    std::string next_cursor{};
};

/// OpenAPI `CreateBuildInfo`: a Dockerfile to build, and the hashes of its uploaded context.
struct build_request {
    /// The whole Dockerfile text (`dockerfileContent`).
    std::string dockerfile_content{};
    /// Sent only when set (an empty array is sent for image-builder images, as the TS SDK does).
    std::optional<std::vector<std::string>> context_hashes{};
};

/// OpenAPI `CreateSandbox`, the wire body of `POST /sandbox`: unset fields are left out.
struct create_sandbox_request {
    /// Unique name; the server uses the id when unset.
    std::optional<std::string> name{};
    /// Snapshot name or id to start from; excludes build_info.
    std::optional<std::string> snapshot{};
    /// A Dockerfile to build the image from (`buildInfo`); excludes snapshot.
    std::optional<build_request> build_info{};
    /// OS user the sandbox runs as.
    std::optional<std::string> user{};
    /// Always sent, `{}` when empty.
    std::map<std::string, std::string> env{};
    /// Always sent.
    std::map<std::string, std::string> labels{};
    /// `public`: preview URLs are reachable without a token.
    std::optional<bool> is_public{};
    /// Region to create the sandbox in.
    std::optional<std::string> target{};
    /// Number of vCPUs (only with build_info).
    std::optional<int> cpu{};
    /// Number of GPUs (only with build_info).
    std::optional<int> gpu{};
    /// Memory in GiB (only with build_info).
    std::optional<int> memory{};
    /// Disk size in GiB (only with build_info).
    std::optional<int> disk{};
    /// `gpuType`: GPU models in order of preference; the first one with capacity is used. Sent
    /// only when not empty.
    std::vector<std::string> gpu_type{};
    /// Run on preemptible (spot) capacity.
    std::optional<bool> spot{};
    /// Minutes of inactivity before the sandbox stops; 0 disables.
    std::optional<int> auto_stop_interval{};
    /// Minutes of inactivity before the sandbox pauses; 0 disables.
    std::optional<int> auto_pause_interval{};
    /// Minutes stopped before it is archived; 0 means the maximum.
    std::optional<int> auto_archive_interval{};
    /// Minutes stopped before it is deleted; negative disables, 0 deletes on stop.
    std::optional<int> auto_delete_interval{};
    /// `ttlMinutes`: delete the sandbox this many minutes after creation.
    std::optional<int> ttl_minutes{};
    /// Volumes to mount; sent only when not empty.
    std::vector<volume_mount> volumes{};
    /// Expose KVM (`/dev/kvm`) inside the sandbox (linux-vm snapshots only).
    std::optional<bool> kvm{};
    /// Block all outbound network access.
    std::optional<bool> network_block_all{};
    /// Comma-separated CIDRs the sandbox may reach.
    std::optional<std::string> network_allow_list{};
    /// Comma-separated domains (`*.` wildcards allowed) the sandbox may reach.
    std::optional<std::string> domain_allow_list{};
    /// `outboundProxyUrl`: http(s) proxy for the sandbox's outbound HTTP(S) traffic.
    std::optional<std::string> outbound_proxy_url{};
    /// `otelEndpointOverride`: OTel collector the sandbox's telemetry goes to instead of the
    /// default one.
    std::optional<std::string> otel_endpoint_override{};
    /// Id or name of a sandbox to place the new one next to (same runner, so they share a
    /// local network).
    std::optional<std::string> linked_sandbox{};
    /// Secrets as environment variables: env var name → secret name.
    std::map<std::string, std::string> secrets{};
};

/// CPU, GPU, memory and disk for a new sandbox. Only valid when it is built from an image (a
/// snapshot fixes them). Unset fields take the server's defaults.
struct resources {
    /// Number of vCPUs.
    std::optional<int> cpu{};
    /// Number of GPUs.
    std::optional<int> gpu{};
    /// Memory in GiB (`memory` in the API).
    std::optional<int> memory_gib{};
    /// Disk size in GiB (`disk` in the API).
    std::optional<int> disk_gib{};

    /// True when at least one resource is set.
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
    /// Environment variables of the sandbox.
    std::map<std::string, std::string> env{};
    /// Labels to attach; the client adds `code-toolbox-language` (see language).
    std::map<std::string, std::string> labels{};
    /// Language of code_run, stored in the `code-toolbox-language` label: "python" (default),
    /// "typescript" or "javascript".
    std::string language = "python";
    /// Make preview URLs public.
    std::optional<bool> is_public{};
    /// CPU, GPU, memory and disk; only with image, dockerfile or build.
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
    /// Volumes to mount; each needs a volume_id and a mount_path.
    std::vector<volume_mount> volumes{};
    /// Expose KVM (`/dev/kvm`) inside the sandbox through nested virtualization. Only for
    /// linux-vm snapshots, and the organization needs the `sandbox_kvm` feature.
    std::optional<bool> kvm{};
    /// Block all outbound network access.
    std::optional<bool> network_block_all{};
    /// Comma-separated CIDRs the sandbox may reach.
    std::optional<std::string> network_allow_list{};
    /// Comma-separated domains (`*.` wildcards allowed) the sandbox may reach.
    std::optional<std::string> domain_allow_list{};
    /// Proxy (http or https, credentials allowed in the URL) for the sandbox's outbound HTTP(S)
    /// traffic. Set as the HTTP(S)_PROXY environment variables, so a process can bypass it;
    /// with domain_allow_list, ports 80 and 443 are redirected through it at the network layer,
    /// which cannot be bypassed.
    std::optional<std::string> outbound_proxy_url{};
    /// OTel collector endpoint for the sandbox's telemetry instead of the default collector
    /// (its data then does not reach Daytona's analytics API or dashboard).
    std::optional<std::string> otel_endpoint_override{};
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
    /// Only sandboxes of one of these classes (`container`, `linux-vm`).
    std::vector<std::string> sandbox_classes{};
    /// Only sandboxes with at least (`min_cpu`) / at most (`max_cpu`) this many vCPUs.
    ///@{
    std::optional<int> min_cpu{}, max_cpu{};
    ///@}
    /// Only sandboxes with at least / at most this much memory, in GiB.
    ///@{
    std::optional<int> min_memory_gib{}, max_memory_gib{};
    ///@}
    /// Only sandboxes with at least / at most this much disk, in GiB.
    ///@{
    std::optional<int> min_disk_gib{}, max_disk_gib{};
    ///@}
    /// Only sandboxes with at least / at most this many GPUs.
    ///@{
    std::optional<int> min_gpu{}, max_gpu{};
    ///@}
    /// Only public (true) or only private (false) sandboxes.
    std::optional<bool> is_public{};
    /// Only sandboxes whose error is (true) or is not (false) recoverable.
    std::optional<bool> is_recoverable{};
    /// Only sandboxes created after / before this time, ISO 8601.
    ///@{
    std::optional<std::string> created_after{}, created_before{};
    ///@}
    /// Only sandboxes whose last activity is after / before this time, ISO 8601.
    ///@{
    std::optional<std::string> last_activity_after{}, last_activity_before{};
    ///@}
    /// Only sandboxes scheduled to be deleted (auto_destroy_at, set by a TTL) after / before
    /// this time, ISO 8601.
    ///@{
    std::optional<std::string> auto_destroy_after{}, auto_destroy_before{};
    ///@}
    /// Include sandboxes that failed or were deleted.
    bool include_errored_deleted = false;
    /// Include unclaimed warm-pool sandboxes (left out by default).
    bool include_warm = false;
    /// Sort key; unset: the server's default order.
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
    /// New number of vCPUs, at least 1.
    std::optional<int> cpu{};
    /// New memory in GiB (`memory` in the API), at least 1.
    std::optional<int> memory_gib{};
    /// New disk size in GiB (`disk` in the API); the disk can only grow.
    std::optional<int> disk_gib{};
    /// Not resizable: ResizeSandbox has no such field, the client refuses it before sending and
    /// the emulator answers 400 "GPU cannot be resized". Here so a body carrying it decodes.
    std::optional<int> gpu{};
};

/// OpenAPI `UpdateSandboxNetworkSettings`: set fields change, unset fields stay.
struct network_settings {
    /// `networkBlockAll`: block all outbound network access.
    std::optional<bool> block_all{};
    /// Comma-separated CIDRs.
    std::optional<std::string> allow_list{};
    /// Comma-separated domains.
    std::optional<std::string> domain_allow_list{};
};

/// OpenAPI `PortPreviewUrl`: the URL of a port and the token a private sandbox needs.
struct preview_link {
    /// Id of the sandbox the URL leads into.
    std::string sandbox_id{};
    /// Preview URL of the port: `https://{port}-{sandboxId}.{proxy domain}`.
    std::string url{};
    /// Send as `X-Daytona-Preview-Token`, or as `?DAYTONA_SANDBOX_AUTH_KEY=`.
    std::string token{};
};

/// OpenAPI `SignedPortPreviewUrl`: a URL that needs no other credential until it expires.
struct signed_preview_link {
    /// Id of the sandbox the URL leads into.
    std::string sandbox_id{};
    /// The sandbox port the URL leads to.
    int port = 0;
    /// Revoke with expire_signed_preview_link(port, token).
    std::string token{};
    /// The signed URL, `https://{port}-{token}.{proxy domain}`; valid until it expires or is
    /// revoked.
    std::string url{};
};

/// OpenAPI `SandboxLabels`.
struct sandbox_labels {
    /// The complete label set: replacing labels replaces all of them.
    std::map<std::string, std::string> labels{};
};

/// OpenAPI `CreateSandboxSnapshot`.
struct sandbox_snapshot_request {
    /// Name of the new snapshot.
    std::string name{};
    /// Include the VM's memory: VM sandboxes only, which must then be started. Unset: false.
    std::optional<bool> include_memory{};
};

/// OpenAPI `ForkSandbox`.
struct fork_request {
    /// Name of the new sandbox; the server makes up a unique one when unset.
    std::optional<std::string> name{};
};

/// OpenAPI `SshAccessDto`: a token for `ssh` into the sandbox through Daytona's SSH gateway.
struct ssh_access {
    /// Id of the access record.
    std::string id{};
    /// Id of the sandbox the token opens.
    std::string sandbox_id{};
    /// The token: the user name of the `ssh` login.
    std::string token{};
    /// When the token stops working, ISO 8601.
    std::string expires_at{};
    /// When the token was made, ISO 8601.
    std::string created_at{};
    /// When the record last changed, ISO 8601.
    std::string updated_at{};
    /// The whole command to connect (`ssh -p 2222 {token}@{gateway}`).
    std::string ssh_command{};
};

/// OpenAPI `SshAccessValidationDto`: what the gateway learns from a token.
struct ssh_access_validation {
    /// The token exists, has not expired and its sandbox still exists.
    bool valid = false;
    /// The sandbox the token opens; unset (JSON null) when it is not valid.
    std::optional<std::string> sandbox_id{};
};

/// OpenAPI `Url`: a URL the server hands out (build logs, toolbox proxy).
struct url_response {
    /// The URL handed out.
    std::string url{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_SANDBOX_HPP
