// SPDX-License-Identifier: Apache-2.0
// Snapshot models (OpenAPI tag `snapshots`): SnapshotDto, its states, CreateSnapshot and the
// parameters of the snapshot operations. Aggregates only; codecs in codec/snapshot.hpp.
#ifndef DAYTONA_MODELS_SNAPSHOT_HPP
#define DAYTONA_MODELS_SNAPSHOT_HPP

#include "daytona/config.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/models/sandbox.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/// OpenAPI `SnapshotState`. Values this library does not know decode as `unknown`.
enum class snapshot_state {
    unknown,
    building,
    pending,
    pulling,
    active,
    inactive,
    error,
    build_failed,
    removing,
    snapshotting,
};

namespace detail {
inline constexpr std::array<std::pair<snapshot_state, std::string_view>, 10> snapshot_state_names{{
    {snapshot_state::unknown, "unknown"},
    {snapshot_state::building, "building"},
    {snapshot_state::pending, "pending"},
    {snapshot_state::pulling, "pulling"},
    {snapshot_state::active, "active"},
    {snapshot_state::inactive, "inactive"},
    {snapshot_state::error, "error"},
    {snapshot_state::build_failed, "build_failed"},
    {snapshot_state::removing, "removing"},
    {snapshot_state::snapshotting, "snapshotting"},
}};
}  // namespace detail

/// The wire name of a state ("active").
constexpr std::string_view to_string(snapshot_state s) noexcept {
    return detail::enum_name(detail::snapshot_state_names, s, "unknown");
}

/// The state with wire name `s`; `unknown` for names this library does not know.
constexpr snapshot_state snapshot_state_from_string(std::string_view s) noexcept {
    return detail::enum_value(detail::snapshot_state_names, s, snapshot_state::unknown);
}

/// OpenAPI `SnapshotDto`. Memory and disk in GiB.
struct snapshot_info {
    /// The snapshot's id; the snapshot operations accept it or the name.
    std::string id{};
    /// Id of the organization that owns the snapshot.
    std::string organization_id{};
    /// A snapshot every organization can use.
    bool general = false;
    /// Name, unique per organization; sandboxes are created from it by name or id.
    std::string name{};
    /// The image the snapshot was made from (`imageName`, e.g. `python:3.12-slim`).
    std::string image_name{};
    /// Current state; `unknown` for a state this library does not know (see state_name).
    snapshot_state state = snapshot_state::unknown;
    /// The state as sent.
    std::string state_name{};
    /// Size in GiB, once known.
    std::optional<double> size{};
    /// Entrypoint of sandboxes made from it (argv); empty: the image's own.
    std::vector<std::string> entrypoint{};
    /// Number of vCPUs of sandboxes made from it.
    double cpu = 0;
    /// Number of GPUs of sandboxes made from it.
    double gpu = 0;
    /// Memory of sandboxes made from it, in GiB (`mem` in the API).
    double memory = 0;
    /// Disk size of sandboxes made from it, in GiB.
    double disk = 0;
    /// Why the snapshot is in `error` or `build_failed`; unset otherwise.
    std::optional<std::string> error_reason{};
    /// Creation time, ISO 8601.
    std::string created_at{};
    /// Time of the last change to the snapshot's record, ISO 8601.
    std::string updated_at{};
    /// When the snapshot was last used, ISO 8601; unset when never.
    std::optional<std::string> last_used_at{};
    /// The Dockerfile build, for a snapshot built by the server; unset for a pulled image.
    std::optional<sandbox_build_info> build_info{};
    /// Ids of the regions where the snapshot is available.
    std::vector<std::string> region_ids{};
    /// Id of the runner the snapshot was first prepared on.
    std::optional<std::string> initial_runner_id{};
    /// The snapshot's image reference as Daytona stores it (`ref`).
    std::optional<std::string> ref{};
    /// The sandbox this snapshot was taken from, if any.
    std::optional<std::string> source_sandbox_id{};
    /// Class of sandboxes it can make: `container`, `linux-vm`, `android` or `windows`.
    std::string sandbox_class{};
};

/// OpenAPI `PaginatedSnapshots`.
struct snapshot_page {
    /// The snapshots of this page.
    std::vector<snapshot_info> items{};
    /// Number of snapshots over all pages.
    std::int64_t total = 0;
    /// This page's number, 1-based.
    std::int64_t page = 1;
    /// Number of pages.
    std::int64_t total_pages = 0;
};

/// OpenAPI `CreateSnapshot`, the wire body of `POST /snapshots`.
struct create_snapshot_request {
    /// Name of the new snapshot (required).
    std::string name{};
    /// Image to pull (`imageName`); excludes build_info.
    std::optional<std::string> image_name{};
    /// Entrypoint of sandboxes made from it; sent only when not empty.
    std::vector<std::string> entrypoint{};
    /// Number of vCPUs of sandboxes made from it.
    std::optional<int> cpu{};
    /// Number of GPUs of sandboxes made from it.
    std::optional<int> gpu{};
    /// Memory of sandboxes made from it, in GiB.
    std::optional<int> memory{};
    /// Disk size of sandboxes made from it, in GiB.
    std::optional<int> disk{};
    /// GPU models in order of preference; sent only when not empty.
    std::vector<std::string> gpu_type{};
    /// A Dockerfile for the server to build (`buildInfo`); excludes image_name.
    std::optional<build_request> build_info{};
    /// Region where the snapshot will be available; unset: the organization's default.
    std::optional<std::string> region_id{};
    /// Class of the runners that may host its sandboxes (`container`, `linux-vm`, ...).
    std::optional<std::string> sandbox_class{};
};

/**
 * \brief What a new snapshot is made from (`snapshots().create(...)`).
 * \details Give exactly one of `image` (an image name the server pulls, such as
 * "python:3.12-slim"; tag `latest` is refused) and `dockerfile` (built by the server).
 */
struct snapshot_params {
    /// Name of the new snapshot (required).
    std::string name{};
    /// Image name for the server to pull; not tagged `latest`.
    std::optional<std::string> image{};
    /// A whole Dockerfile for the server to build.
    std::optional<std::string> dockerfile{};
    /// Hashes of the Dockerfile's uploaded build context.
    std::vector<std::string> context_hashes{};
    /// An image to build, composed with daytona::image (its local build context is uploaded
    /// first). Give exactly one of image, dockerfile and build.
    std::optional<daytona::image> build{};
    /// Entrypoint of sandboxes made from it. With a Dockerfile it is appended as an ENTRYPOINT
    /// line, as the official SDKs do.
    std::vector<std::string> entrypoint{};
    /// CPU, GPU, memory and disk of sandboxes made from it; unset: the server's defaults.
    daytona::resources resources{};
    /// Region; defaults to client_options::target.
    std::optional<std::string> region_id{};
    /// Class of the runners that may host its sandboxes (`container`, `linux-vm`, ...).
    std::optional<std::string> sandbox_class{};
    /// How long create() waits for `active`; 0 waits without limit. Default 10 min.
    std::chrono::milliseconds wait_timeout{600'000};
};

/// Sort keys of `GET /snapshots`.
enum class snapshot_sort { created_at, name, state, last_used_at };

/// Paging and filters of `GET /snapshots`.
struct snapshot_list_params {
    /// 1-based page. Default: the first.
    std::optional<int> page{};
    /// Page size; server default 100.
    std::optional<int> limit{};
    /// Only snapshots whose name contains this.
    std::optional<std::string> name{};
    /// Sort key; unset: the server's default order.
    std::optional<snapshot_sort> sort{};
    /// Descending (true) or ascending (false) order; unset: the server's default.
    std::optional<bool> descending{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_SNAPSHOT_HPP
