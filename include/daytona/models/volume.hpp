// SPDX-License-Identifier: Apache-2.0
// Volume models (OpenAPI tag `volumes`): VolumeDto and its states. Codecs in codec/volume.hpp.
#ifndef DAYTONA_MODELS_VOLUME_HPP
#define DAYTONA_MODELS_VOLUME_HPP

#include "daytona/config.hpp"
#include "daytona/detail/string.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

DAYTONA_BEGIN_NAMESPACE

/// OpenAPI `VolumeState`. Values this library does not know decode as `unknown`.
enum class volume_state {
    unknown,
    creating,
    ready,
    pending_create,
    pending_delete,
    deleting,
    deleted,
    error,
};

namespace detail {
inline constexpr std::array<std::pair<volume_state, std::string_view>, 8> volume_state_names{{
    {volume_state::unknown, "unknown"},
    {volume_state::creating, "creating"},
    {volume_state::ready, "ready"},
    {volume_state::pending_create, "pending_create"},
    {volume_state::pending_delete, "pending_delete"},
    {volume_state::deleting, "deleting"},
    {volume_state::deleted, "deleted"},
    {volume_state::error, "error"},
}};
}  // namespace detail

/// The wire name of a state ("ready").
constexpr std::string_view to_string(volume_state s) noexcept {
    return detail::enum_name(detail::volume_state_names, s, "unknown");
}

/// The state with wire name `s`; `unknown` for names this library does not know.
constexpr volume_state volume_state_from_string(std::string_view s) noexcept {
    return detail::enum_value(detail::volume_state_names, s, volume_state::unknown);
}

/// OpenAPI `VolumeDto`: an S3-backed volume that sandboxes mount.
struct volume_info {
    /// The volume's id; volume_mount::volume_id takes it (or the name).
    std::string id{};
    /// Name, unique per organization.
    std::string name{};
    /// Id of the organization that owns the volume.
    std::string organization_id{};
    /// Current state; `unknown` for a state this library does not know (see state_name).
    volume_state state = volume_state::unknown;
    /// The state as sent.
    std::string state_name{};
    /// Creation time, ISO 8601.
    std::string created_at{};
    /// Time of the last change to the volume's record, ISO 8601.
    std::string updated_at{};
    /// When the volume was last used, ISO 8601; unset when never.
    std::optional<std::string> last_used_at{};
    /// Why the volume is in `error`; unset otherwise.
    std::optional<std::string> error_reason{};
};

/// OpenAPI `CreateVolume`.
struct create_volume_request {
    /// Name of the new volume.
    std::string name{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_VOLUME_HPP
