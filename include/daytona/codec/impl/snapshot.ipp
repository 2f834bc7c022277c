// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of codec/snapshot.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CODEC_IMPL_SNAPSHOT_IPP
#define DAYTONA_CODEC_IMPL_SNAPSHOT_IPP

#include "daytona/codec/snapshot.hpp"

DAYTONA_BEGIN_NAMESPACE

void decode_value(json::value& v, snapshot_info& out, json::decoder& d) {
    bool has_id = false;
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "id") {
            d.field(key, val, out.id);
            has_id = !out.id.empty();
        } else if (key == "organizationId") {
            d.field(key, val, out.organization_id);
        } else if (key == "general") {
            d.field(key, val, out.general);
        } else if (key == "name") {
            d.field(key, val, out.name);
        } else if (key == "imageName") {
            d.field(key, val, out.image_name);
        } else if (key == "state") {
            d.field(key, val, out.state_name);
            out.state = snapshot_state_from_string(out.state_name);
        } else if (key == "size") {
            d.field(key, val, out.size);
        } else if (key == "entrypoint") {
            d.field(key, val, out.entrypoint);
        } else if (key == "cpu") {
            d.field(key, val, out.cpu);
        } else if (key == "gpu") {
            d.field(key, val, out.gpu);
        } else if (key == "mem") {
            d.field(key, val, out.memory);
        } else if (key == "disk") {
            d.field(key, val, out.disk);
        } else if (key == "errorReason") {
            d.field(key, val, out.error_reason);
        } else if (key == "createdAt") {
            d.field(key, val, out.created_at);
        } else if (key == "updatedAt") {
            d.field(key, val, out.updated_at);
        } else if (key == "lastUsedAt") {
            d.field(key, val, out.last_used_at);
        } else if (key == "buildInfo") {
            d.field(key, val, out.build_info);
        } else if (key == "regionIds") {
            d.field(key, val, out.region_ids);
        } else if (key == "initialRunnerId") {
            d.field(key, val, out.initial_runner_id);
        } else if (key == "ref") {
            d.field(key, val, out.ref);
        } else if (key == "sourceSandboxId") {
            d.field(key, val, out.source_sandbox_id);
        } else if (key == "sandboxClass") {
            d.field(key, val, out.sandbox_class);
        }
    });
    if (d.ok() && !has_id) d.missing("id");
}

void encode(json::writer& w, const snapshot_info& s) {
    w.begin_object()
        .member("id", s.id)
        .member("organizationId", s.organization_id)
        .member("general", s.general)
        .member("name", s.name)
        .member("imageName", s.image_name)
        .member("state", s.state_name.empty() ? std::string(to_string(s.state)) : s.state_name);
    nullable_member(w, "size", s.size);
    w.member("entrypoint", s.entrypoint)
        .member("cpu", s.cpu)
        .member("gpu", s.gpu)
        .member("mem", s.memory)
        .member("disk", s.disk);
    nullable_member(w, "errorReason", s.error_reason);
    w.member("createdAt", s.created_at).member("updatedAt", s.updated_at);
    nullable_member(w, "lastUsedAt", s.last_used_at);
    if (s.build_info) {
        w.key("buildInfo");
        encode(w, *s.build_info);
    }
    w.member("regionIds", s.region_ids);
    w.member("initialRunnerId", s.initial_runner_id);
    w.member("ref", s.ref);
    nullable_member(w, "sourceSandboxId", s.source_sandbox_id);
    w.member("sandboxClass", s.sandbox_class.empty() ? std::string("container") : s.sandbox_class);
    w.end_object();
}

void decode_value(json::value& v, snapshot_page& out, json::decoder& d) {
    bool has_items = false;
    d.object(v, "object", json::into("items", out.items, &has_items),
             json::into("total", out.total), json::into("page", out.page),
             json::into("totalPages", out.total_pages));
    if (d.ok() && !has_items) d.missing("items");
}

void encode(json::writer& w, const snapshot_page& p) {
    w.begin_object().key("items").begin_array();
    for (const auto& s : p.items)
        encode(w, s);
    w.end_array()
        .member("total", p.total)
        .member("page", p.page)
        .member("totalPages", p.total_pages)
        .end_object();
}

void decode_value(json::value& v, create_snapshot_request& out, json::decoder& d) {
    bool has_name = false;
    d.object(v, "object", json::into("name", out.name, &has_name),
             json::into("imageName", out.image_name), json::into("entrypoint", out.entrypoint),
             json::into("cpu", out.cpu), json::into("gpu", out.gpu),
             json::into("memory", out.memory), json::into("disk", out.disk),
             json::into("gpuType", out.gpu_type), json::into("buildInfo", out.build_info),
             json::into("regionId", out.region_id), json::into("sandboxClass", out.sandbox_class));
    if (d.ok() && !has_name) d.missing("name");
}

void encode(json::writer& w, const create_snapshot_request& r) {
    w.begin_object().member("name", r.name).member("imageName", r.image_name);
    if (!r.entrypoint.empty()) w.member("entrypoint", r.entrypoint);
    w.member("cpu", r.cpu).member("gpu", r.gpu).member("memory", r.memory).member("disk", r.disk);
    if (!r.gpu_type.empty()) w.member("gpuType", r.gpu_type);
    if (r.build_info) {
        w.key("buildInfo");
        encode(w, *r.build_info);
    }
    w.member("regionId", r.region_id).member("sandboxClass", r.sandbox_class).end_object();
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CODEC_IMPL_SNAPSHOT_IPP
