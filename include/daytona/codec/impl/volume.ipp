// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of codec/volume.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CODEC_IMPL_VOLUME_IPP
#define DAYTONA_CODEC_IMPL_VOLUME_IPP

#include "daytona/codec/volume.hpp"

DAYTONA_BEGIN_NAMESPACE

void decode_value(json::value& v, volume_info& out, json::decoder& d) {
    bool has_id = false;
    d.object(v, "object", json::into("id", out.id, &has_id), json::into("name", out.name),
             json::into("organizationId", out.organization_id), json::into("state", out.state_name),
             json::into("createdAt", out.created_at), json::into("updatedAt", out.updated_at),
             json::into("lastUsedAt", out.last_used_at),
             json::into("errorReason", out.error_reason));
    out.state = volume_state_from_string(out.state_name);
    if (d.ok() && !has_id) d.missing("id");
}

void encode(json::writer& w, const volume_info& v) {
    w.begin_object()
        .member("id", v.id)
        .member("name", v.name)
        .member("organizationId", v.organization_id)
        .member("state", v.state_name.empty() ? std::string(to_string(v.state)) : v.state_name)
        .member("createdAt", v.created_at)
        .member("updatedAt", v.updated_at);
    nullable_member(w, "lastUsedAt", v.last_used_at);
    nullable_member(w, "errorReason", v.error_reason);
    w.end_object();
}

void decode_value(json::value& v, create_volume_request& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("name", out.name, &has));
    if (d.ok() && !has) d.missing("name");
}

void encode(json::writer& w, const create_volume_request& r) {
    w.begin_object().member("name", r.name).end_object();
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CODEC_IMPL_VOLUME_IPP
