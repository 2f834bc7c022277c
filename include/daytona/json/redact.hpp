// SPDX-License-Identifier: Apache-2.0
// A copy of a JSON document with its secrets replaced, for traces and logs: values of members
// whose names say they are credentials, and every value of environment-variable maps.
#ifndef DAYTONA_JSON_REDACT_HPP
#define DAYTONA_JSON_REDACT_HPP

#include "daytona/config.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"

#include <optional>
#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace json {

/// What replaces a secret value.
inline constexpr std::string_view redacted_text = "[REDACTED]";

/// Whether a member or query parameter named `key` holds a credential (password, token,
/// secret, API or access key, authorization, credentials), case-insensitively.
DAYTONA_DECL bool is_secret_name(std::string_view key) noexcept;

/// Whether a member named `key` is an environment map (`env`, `envs`, `envVars`), all of whose
/// values are treated as secrets: API keys travel there.
inline bool is_env_name(std::string_view key) noexcept {
    return key == "env" || key == "envs" || key == "envVars";
}

/// `text` with the password of every `scheme://user:password@host` URL in it replaced (a
/// git remote written with its credentials).
DAYTONA_DECL std::string redact_url_passwords(std::string_view text);

namespace detail_redact {
DAYTONA_DECL bool copy(value v, writer& w, bool secret, int depth, bool redacting);
DAYTONA_DECL bool copy_members(ondemand::object obj, writer& w, bool all_secret, int depth,
                               bool redacting);
}  // namespace detail_redact

/**
 * \brief The JSON text of a value being decoded (simdjson 3.0 on-demand values have no raw
 * text for objects): written again, compactly. False (and `out` partial) on a malformed value.
 */
DAYTONA_DECL bool to_text(value v, std::string& out);

/**
 * \brief `text` re-serialized with every secret value replaced by "[REDACTED]".
 * \return nullopt when `text` is not one well-formed JSON object or array.
 */
DAYTONA_DECL std::optional<std::string> redact(std::string_view text);

}  // namespace json
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/json/impl/redact.ipp"
#endif

#endif  // DAYTONA_JSON_REDACT_HPP
