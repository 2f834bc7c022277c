// SPDX-License-Identifier: Apache-2.0
// Organization-wide models: the public configuration (`GET /config`) and object-storage push
// access (`GET /object-storage/push-access`). Codecs in codec/config.hpp.
#ifndef DAYTONA_MODELS_CONFIG_HPP
#define DAYTONA_MODELS_CONFIG_HPP

#include "daytona/config.hpp"

#include <optional>
#include <string>

DAYTONA_BEGIN_NAMESPACE

/// OpenAPI `DaytonaConfiguration`: what a deployment tells every client (the fields a client
/// uses; the rest are ignored when decoding).
struct server_config {
    /// The deployment's Daytona version.
    std::string version{};
    /// Preview URL template, with `{{PORT}}` and `{{sandboxId}}` placeholders.
    std::string proxy_template_url{};
    /// Default toolbox proxy base, `…/toolbox`.
    std::string proxy_toolbox_url{};
    /// Snapshot used when a create names neither a snapshot nor an image.
    std::string default_snapshot{};
    /// URL of the deployment's web dashboard.
    std::string dashboard_url{};
    /// Largest auto-archive interval the server accepts, in minutes.
    std::optional<double> max_auto_archive_interval{};
    /// The deployment is in maintenance (the wire name is spelled `maintananceMode`).
    bool maintenance_mode = false;
    /// Name of the deployment's environment (e.g. `production`).
    std::string environment{};
};

/**
 * \brief OpenAPI `StorageAccessDto`: temporary credentials to push build contexts to the
 * S3-compatible object storage. The secret and the session token are credentials: never log
 * them.
 */
struct push_access {
    /// Access key id of the temporary credentials (`accessKey`).
    std::string access_key{};
    /// Secret access key (a credential).
    std::string secret{};
    /// Session token of the temporary credentials (a credential).
    std::string session_token{};
    /// Endpoint URL of the object storage (`storageUrl`).
    std::string storage_url{};
    /// The organization; contexts are stored under `{organization_id}/{hash}/`.
    std::string organization_id{};
    /// Bucket the build contexts go to.
    std::string bucket{};
    /// Signing region; empty: derived from storage_url.
    std::string region{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_CONFIG_HPP
