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

constexpr std::string_view to_string(snapshot_state s) noexcept {
    return detail::enum_name(detail::snapshot_state_names, s, "unknown");
}

constexpr snapshot_state snapshot_state_from_string(std::string_view s) noexcept {
    return detail::enum_value(detail::snapshot_state_names, s, snapshot_state::unknown);
}

/// OpenAPI `SnapshotDto`. Memory and disk in GiB.
struct snapshot_info {
    std::string id{};
    std::string organization_id{};
    /// A snapshot every organization can use.
    bool general = false;
    std::string name{};
    std::string image_name{};
    snapshot_state state = snapshot_state::unknown;
    /// The state as sent.
    std::string state_name{};
    /// Size in GiB, once known.
    std::optional<double> size{};
    std::vector<std::string> entrypoint{};
    double cpu = 0;
    double gpu = 0;
    double memory = 0;
    double disk = 0;
    std::optional<std::string> error_reason{};
    std::string created_at{};
    std::string updated_at{};
    std::optional<std::string> last_used_at{};
    std::optional<sandbox_build_info> build_info{};
    std::vector<std::string> region_ids{};
    std::optional<std::string> initial_runner_id{};
    std::optional<std::string> ref{};
    /// The sandbox this snapshot was taken from, if any.
    std::optional<std::string> source_sandbox_id{};
    std::string sandbox_class{};
};

/// OpenAPI `PaginatedSnapshots`.
struct snapshot_page {
    std::vector<snapshot_info> items{};
    std::int64_t total = 0;
    std::int64_t page = 1;
    std::int64_t total_pages = 0;
};

/// OpenAPI `CreateSnapshot`, the wire body of `POST /snapshots`.
struct create_snapshot_request {
    std::string name{};
    std::optional<std::string> image_name{};
    std::vector<std::string> entrypoint{};
    std::optional<int> cpu{};
    std::optional<int> gpu{};
    std::optional<int> memory{};
    std::optional<int> disk{};
    std::vector<std::string> gpu_type{};
    std::optional<build_request> build_info{};
    std::optional<std::string> region_id{};
    std::optional<std::string> sandbox_class{};
};

/**
 * \brief What a new snapshot is made from (`snapshots().create(...)`).
 * \details Give exactly one of `image` (an image name the server pulls, such as
 * "python:3.12-slim"; tag `latest` is refused) and `dockerfile` (built by the server).
 */
struct snapshot_params {
    std::string name{};
    std::optional<std::string> image{};
    std::optional<std::string> dockerfile{};
    /// Hashes of the Dockerfile's uploaded build context.
    std::vector<std::string> context_hashes{};
    /// An image to build, composed with daytona::image (its local build context is uploaded
    /// first). Give exactly one of image, dockerfile and build.
    std::optional<daytona::image> build{};
    /// Entrypoint of sandboxes made from it. With a Dockerfile it is appended as an ENTRYPOINT
    /// line, as the official SDKs do.
    std::vector<std::string> entrypoint{};
    daytona::resources resources{};
    /// Region; defaults to client_options::target.
    std::optional<std::string> region_id{};
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
    std::optional<snapshot_sort> sort{};
    std::optional<bool> descending{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_SNAPSHOT_HPP
