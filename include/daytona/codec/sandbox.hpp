// SPDX-License-Identifier: Apache-2.0
// JSON codecs of the sandbox models, both directions: the client encodes requests and decodes
// responses, the emulator decodes requests and encodes responses, with the same functions. The
// TS SDK's wire captures (tests/data) keep both sides honest.
#ifndef DAYTONA_CODEC_SANDBOX_HPP
#define DAYTONA_CODEC_SANDBOX_HPP

#include "daytona/config.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/models/sandbox.hpp"

#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE

// --- SandboxVolume, BuildInfo ---

DAYTONA_DECL void decode_value(json::value& v, volume_mount& out, json::decoder& d);

DAYTONA_DECL void encode(json::writer& w, const volume_mount& v);

/// A JSON array of the elements' own encodings (volumes, a list of Sandbox or VolumeDto).
template <class T>
void encode(json::writer& w, const std::vector<T>& items) {
    w.begin_array();
    for (const auto& item : items)
        encode(w, item);
    w.end_array();
}

DAYTONA_DECL void decode_value(json::value& v, sandbox_build_info& out, json::decoder& d);

DAYTONA_DECL void encode(json::writer& w, const sandbox_build_info& b);

DAYTONA_DECL void decode_value(json::value& v, build_request& out, json::decoder& d);

/// Keys in the order the TS SDK writes them: contextHashes first, when present.
DAYTONA_DECL void encode(json::writer& w, const build_request& b);

// --- Sandbox ---

DAYTONA_DECL void decode_value(json::value& v, sandbox_info& out, json::decoder& d);

/// A member that is JSON `null` when unset (the API sends these keys either way).
template <class T>
void nullable_member(json::writer& w, std::string_view key, const std::optional<T>& v) {
    w.key(key);
    if (v)
        w.value(*v);
    else
        w.null();
}

/**
 * \brief The Sandbox DTO as the API writes it.
 * \param list_item write a `SandboxListItem` instead: env, volumes and buildInfo left out.
 */
DAYTONA_DECL void encode(json::writer& w, const sandbox_info& s, bool list_item = false);

DAYTONA_DECL void decode_value(json::value& v, sandbox_info_page& out, json::decoder& d);

/// `{"items":[SandboxListItem…],"nextCursor":…|null}`.
DAYTONA_DECL void encode(json::writer& w, const sandbox_info_page& p);

// --- CreateSandbox ---

namespace detail {
/// `[{"ENV_NAME":"secretName"}, ...]`, the shape of CreateSandbox.secrets.
DAYTONA_DECL void decode_secrets(json::value& v, std::map<std::string, std::string>& out,
                                 json::decoder& d);
}  // namespace detail

DAYTONA_DECL void decode_value(json::value& v, create_sandbox_request& out, json::decoder& d);

/// The CreateSandbox body: field names and omissions as the official TS SDK sends them (env and
/// labels always, every other field only when set).
DAYTONA_DECL void encode(json::writer& w, const create_sandbox_request& r);

// --- small request and response bodies ---

DAYTONA_DECL void decode_value(json::value& v, resize_params& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const resize_params& r);

DAYTONA_DECL void decode_value(json::value& v, network_settings& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const network_settings& n);

DAYTONA_DECL void decode_value(json::value& v, preview_link& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const preview_link& p);

DAYTONA_DECL void decode_value(json::value& v, signed_preview_link& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const signed_preview_link& p);

DAYTONA_DECL void decode_value(json::value& v, sandbox_labels& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const sandbox_labels& l);

DAYTONA_DECL void decode_value(json::value& v, sandbox_snapshot_request& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const sandbox_snapshot_request& r);

DAYTONA_DECL void decode_value(json::value& v, fork_request& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const fork_request& r);

DAYTONA_DECL void decode_value(json::value& v, ssh_access& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const ssh_access& a);

DAYTONA_DECL void decode_value(json::value& v, ssh_access_validation& out, json::decoder& d);
/// `sandboxId` is JSON null when the token is not valid, as Daytona sends it.
DAYTONA_DECL void encode(json::writer& w, const ssh_access_validation& v);

DAYTONA_DECL void decode_value(json::value& v, url_response& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const url_response& u);

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/codec/impl/sandbox.ipp"
#endif

#endif  // DAYTONA_CODEC_SANDBOX_HPP
