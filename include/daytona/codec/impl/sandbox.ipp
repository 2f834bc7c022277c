// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of codec/sandbox.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CODEC_IMPL_SANDBOX_IPP
#define DAYTONA_CODEC_IMPL_SANDBOX_IPP

#include "daytona/codec/sandbox.hpp"

DAYTONA_BEGIN_NAMESPACE

// --- SandboxVolume, BuildInfo ---

void decode_value(json::value& v, volume_mount& out, json::decoder& d) {
    bool has_id = false;
    d.object(v, "object", json::into("volumeId", out.volume_id, &has_id),
             json::into("mountPath", out.mount_path), json::into("subpath", out.subpath));
    if (d.ok() && !has_id) d.missing("volumeId");
}

void encode(json::writer& w, const volume_mount& v) {
    w.begin_object().member("volumeId", v.volume_id).member("mountPath", v.mount_path);
    w.member("subpath", v.subpath).end_object();
}

void decode_value(json::value& v, sandbox_build_info& out, json::decoder& d) {
    d.object(v, "object", json::into("dockerfileContent", out.dockerfile_content),
             json::into("contextHashes", out.context_hashes),
             json::into("snapshotRef", out.snapshot_ref), json::into("createdAt", out.created_at),
             json::into("updatedAt", out.updated_at));
}

void encode(json::writer& w, const sandbox_build_info& b) {
    w.begin_object()
        .member("dockerfileContent", b.dockerfile_content)
        .member("contextHashes", b.context_hashes)
        .member("snapshotRef", b.snapshot_ref)
        .member("createdAt", b.created_at)
        .member("updatedAt", b.updated_at)
        .end_object();
}

void decode_value(json::value& v, build_request& out, json::decoder& d) {
    bool has_dockerfile = false;
    d.object(v, "object", json::into("dockerfileContent", out.dockerfile_content, &has_dockerfile),
             json::into("contextHashes", out.context_hashes));
    if (d.ok() && !has_dockerfile) d.missing("dockerfileContent");
}

void encode(json::writer& w, const build_request& b) {
    w.begin_object();
    if (b.context_hashes) w.member("contextHashes", *b.context_hashes);
    w.member("dockerfileContent", b.dockerfile_content).end_object();
}

// --- Sandbox ---

// Hand-dispatched on the first letter rather than json::into(): a Sandbox has ~40 members and
// lists carry hundreds of them (see benchmarks/micro_bench.cpp).
void decode_value(json::value& v, sandbox_info& out, json::decoder& d) {
    bool has_id = false;
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        switch (key.empty() ? '\0' : key.front()) {
            case 'a':
                if (key == "autoStopInterval")
                    d.field(key, val, out.auto_stop_interval);
                else if (key == "autoArchiveInterval")
                    d.field(key, val, out.auto_archive_interval);
                else if (key == "autoDeleteInterval")
                    d.field(key, val, out.auto_delete_interval);
                else if (key == "autoPauseInterval")
                    d.field(key, val, out.auto_pause_interval);
                else if (key == "autoDestroyAt")
                    d.field(key, val, out.auto_destroy_at);
                break;
            case 'b':
                if (key == "backupState")
                    d.field(key, val, out.backup_state);
                else if (key == "backupCreatedAt")
                    d.field(key, val, out.backup_created_at);
                else if (key == "buildInfo")
                    d.field(key, val, out.build_info);
                break;
            case 'c':
                if (key == "cpu")
                    d.field(key, val, out.cpu);
                else if (key == "createdAt")
                    d.field(key, val, out.created_at);
                break;
            case 'd':
                if (key == "disk")
                    d.field(key, val, out.disk);
                else if (key == "desiredState")
                    d.field(key, val, out.desired_state);
                else if (key == "domainAllowList")
                    d.field(key, val, out.domain_allow_list);
                else if (key == "daemonVersion")
                    d.field(key, val, out.daemon_version);
                break;
            case 'e':
                if (key == "env")
                    d.field(key, val, out.env);
                else if (key == "errorReason")
                    d.field(key, val, out.error_reason);
                break;
            case 'g':
                if (key == "gpu")
                    d.field(key, val, out.gpu);
                else if (key == "gpuType")
                    d.field(key, val, out.gpu_type);
                break;
            case 'i':
                if (key == "id") {
                    d.field(key, val, out.id);
                    has_id = !out.id.empty();
                }
                break;
            case 'l':
                if (key == "labels")
                    d.field(key, val, out.labels);
                else if (key == "lastActivityAt")
                    d.field(key, val, out.last_activity_at);
                else if (key == "linkedSandboxId")
                    d.field(key, val, out.linked_sandbox_id);
                break;
            case 'm':
                if (key == "memory") d.field(key, val, out.memory);
                break;
            case 'n':
                if (key == "name")
                    d.field(key, val, out.name);
                else if (key == "networkBlockAll")
                    d.field(key, val, out.network_block_all);
                else if (key == "networkAllowList")
                    d.field(key, val, out.network_allow_list);
                break;
            case 'o':
                if (key == "organizationId") d.field(key, val, out.organization_id);
                break;
            case 'p':
                if (key == "public") d.field(key, val, out.is_public);
                break;
            case 'r':
                if (key == "recoverable")
                    d.field(key, val, out.recoverable);
                else if (key == "runnerId")
                    d.field(key, val, out.runner_id);
                break;
            case 's':
                if (key == "state") {
                    d.field(key, val, out.state_name);
                    out.state = sandbox_state_from_string(out.state_name);
                } else if (key == "snapshot") {
                    d.field(key, val, out.snapshot);
                } else if (key == "sandboxClass") {
                    d.field(key, val, out.sandbox_class);
                } else if (key == "spot") {
                    d.field(key, val, out.spot);
                }
                break;
            case 't':
                if (key == "target")
                    d.field(key, val, out.target);
                else if (key == "toolboxProxyUrl")
                    d.field(key, val, out.toolbox_proxy_url);
                break;
            case 'u':
                if (key == "user")
                    d.field(key, val, out.user);
                else if (key == "updatedAt")
                    d.field(key, val, out.updated_at);
                break;
            case 'v':
                if (key == "volumes") d.field(key, val, out.volumes);
                break;
            default:
                break;
        }
    });
    if (d.ok() && !has_id) d.missing("id");
}

void encode(json::writer& w, const sandbox_info& s, bool list_item) {
    w.begin_object();
    w.member("id", s.id);
    w.member("organizationId", s.organization_id);
    w.member("name", s.name);
    w.member("snapshot", s.snapshot);
    w.member("user", s.user);
    if (!list_item) w.member("env", s.env);
    w.member("labels", s.labels);
    w.member("public", s.is_public);
    w.member("networkBlockAll", s.network_block_all);
    w.member("networkAllowList", s.network_allow_list);
    w.member("domainAllowList", s.domain_allow_list);
    w.member("target", s.target);
    w.member("cpu", s.cpu);
    w.member("gpu", s.gpu);
    w.member("memory", s.memory);
    w.member("disk", s.disk);
    w.member("gpuType", s.gpu_type);
    if (s.spot) w.member("spot", true);
    w.member("state", s.state_name.empty() ? std::string(to_string(s.state)) : s.state_name);
    if (!s.desired_state.empty()) w.member("desiredState", s.desired_state);
    nullable_member(w, "errorReason", s.error_reason);
    w.member("recoverable", s.recoverable.value_or(false));
    w.member("backupState", s.backup_state.empty() ? std::string("None") : s.backup_state);
    w.member("backupCreatedAt", s.backup_created_at);
    w.member("autoStopInterval", s.auto_stop_interval);
    w.member("autoPauseInterval", s.auto_pause_interval);
    w.member("autoArchiveInterval", s.auto_archive_interval);
    w.member("autoDeleteInterval", s.auto_delete_interval);
    w.member("autoDestroyAt", s.auto_destroy_at);
    if (!list_item) {
        w.key("volumes");
        encode(w, s.volumes);
        if (s.build_info) {
            w.key("buildInfo");
            encode(w, *s.build_info);
        }
    }
    w.member("createdAt", s.created_at);
    w.member("updatedAt", s.updated_at);
    w.member("lastActivityAt", s.last_activity_at);
    w.member("sandboxClass", s.sandbox_class.empty() ? std::string("container") : s.sandbox_class);
    w.member("daemonVersion", s.daemon_version);
    w.member("runnerId", s.runner_id);
    w.member("linkedSandboxId", s.linked_sandbox_id);
    w.member("toolboxProxyUrl", s.toolbox_proxy_url);
    w.end_object();
}

void decode_value(json::value& v, sandbox_info_page& out, json::decoder& d) {
    bool has_items = false;
    d.object(v, "object", json::into("items", out.items, &has_items),
             json::into("nextCursor", out.next_cursor));
    if (d.ok() && !has_items) d.missing("items");
}

void encode(json::writer& w, const sandbox_info_page& p) {
    w.begin_object().key("items").begin_array();
    for (const auto& s : p.items)
        encode(w, s, true);
    w.end_array().key("nextCursor");
    if (p.next_cursor.empty())
        w.null();
    else
        w.value(p.next_cursor);
    w.end_object();
}

// --- CreateSandbox ---

namespace detail {

void decode_secrets(json::value& v, std::map<std::string, std::string>& out, json::decoder& d) {
    out.clear();
    d.each_element(v, [&](json::value& elem) {
        std::map<std::string, std::string> one;
        decode_value(elem, one, d);
        out.insert(one.begin(), one.end());
    });
}

}  // namespace detail

void decode_value(json::value& v, create_sandbox_request& out, json::decoder& d) {
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "name")
            d.field(key, val, out.name);
        else if (key == "snapshot")
            d.field(key, val, out.snapshot);
        else if (key == "buildInfo")
            d.field(key, val, out.build_info);
        else if (key == "user")
            d.field(key, val, out.user);
        else if (key == "env")
            d.field(key, val, out.env);
        else if (key == "labels")
            d.field(key, val, out.labels);
        else if (key == "public")
            d.field(key, val, out.is_public);
        else if (key == "target")
            d.field(key, val, out.target);
        else if (key == "cpu")
            d.field(key, val, out.cpu);
        else if (key == "gpu")
            d.field(key, val, out.gpu);
        else if (key == "memory")
            d.field(key, val, out.memory);
        else if (key == "disk")
            d.field(key, val, out.disk);
        else if (key == "gpuType")
            d.field(key, val, out.gpu_type);
        else if (key == "spot")
            d.field(key, val, out.spot);
        else if (key == "autoStopInterval")
            d.field(key, val, out.auto_stop_interval);
        else if (key == "autoPauseInterval")
            d.field(key, val, out.auto_pause_interval);
        else if (key == "autoArchiveInterval")
            d.field(key, val, out.auto_archive_interval);
        else if (key == "autoDeleteInterval")
            d.field(key, val, out.auto_delete_interval);
        else if (key == "ttlMinutes")
            d.field(key, val, out.ttl_minutes);
        else if (key == "volumes")
            d.field(key, val, out.volumes);
        else if (key == "networkBlockAll")
            d.field(key, val, out.network_block_all);
        else if (key == "networkAllowList")
            d.field(key, val, out.network_allow_list);
        else if (key == "domainAllowList")
            d.field(key, val, out.domain_allow_list);
        else if (key == "kvm")
            d.field(key, val, out.kvm);
        else if (key == "outboundProxyUrl")
            d.field(key, val, out.outbound_proxy_url);
        else if (key == "otelEndpointOverride")
            d.field(key, val, out.otel_endpoint_override);
        else if (key == "linkedSandbox")
            d.field(key, val, out.linked_sandbox);
        else if (key == "secrets") {
            d.push(key);
            detail::decode_secrets(val, out.secrets, d);
            d.pop();
        }
    });
}

void encode(json::writer& w, const create_sandbox_request& r) {
    w.begin_object();
    w.member("name", r.name);
    w.member("snapshot", r.snapshot);
    if (r.build_info) {
        w.key("buildInfo");
        encode(w, *r.build_info);
    }
    w.member("user", r.user);
    w.member("env", r.env);
    w.member("labels", r.labels);
    w.member("public", r.is_public);
    w.member("target", r.target);
    w.member("cpu", r.cpu);
    w.member("gpu", r.gpu);
    w.member("memory", r.memory);
    w.member("disk", r.disk);
    if (!r.gpu_type.empty()) w.member("gpuType", r.gpu_type);
    w.member("spot", r.spot);
    w.member("autoStopInterval", r.auto_stop_interval);
    w.member("autoPauseInterval", r.auto_pause_interval);
    w.member("autoArchiveInterval", r.auto_archive_interval);
    w.member("autoDeleteInterval", r.auto_delete_interval);
    w.member("ttlMinutes", r.ttl_minutes);
    if (!r.volumes.empty()) {
        w.key("volumes");
        encode(w, r.volumes);
    }
    w.member("kvm", r.kvm);
    w.member("networkBlockAll", r.network_block_all);
    w.member("networkAllowList", r.network_allow_list);
    w.member("domainAllowList", r.domain_allow_list);
    w.member("outboundProxyUrl", r.outbound_proxy_url);
    w.member("otelEndpointOverride", r.otel_endpoint_override);
    w.member("linkedSandbox", r.linked_sandbox);
    if (!r.secrets.empty()) {
        w.key("secrets").begin_array();
        for (const auto& [env, secret] : r.secrets)
            w.begin_object().member(env, secret).end_object();
        w.end_array();
    }
    w.end_object();
}

// --- small request and response bodies ---

void decode_value(json::value& v, resize_params& out, json::decoder& d) {
    d.object(v, "object", json::into("cpu", out.cpu), json::into("memory", out.memory_gib),
             json::into("disk", out.disk_gib), json::into("gpu", out.gpu));
}

void encode(json::writer& w, const resize_params& r) {
    w.begin_object()
        .member("cpu", r.cpu)
        .member("memory", r.memory_gib)
        .member("disk", r.disk_gib)
        .member("gpu", r.gpu)
        .end_object();
}

void decode_value(json::value& v, network_settings& out, json::decoder& d) {
    d.object(v, "object", json::into("networkBlockAll", out.block_all),
             json::into("networkAllowList", out.allow_list),
             json::into("domainAllowList", out.domain_allow_list));
}

void encode(json::writer& w, const network_settings& n) {
    w.begin_object()
        .member("networkBlockAll", n.block_all)
        .member("networkAllowList", n.allow_list)
        .member("domainAllowList", n.domain_allow_list)
        .end_object();
}

void decode_value(json::value& v, preview_link& out, json::decoder& d) {
    bool has_url = false;
    d.object(v, "object", json::into("sandboxId", out.sandbox_id),
             json::into("url", out.url, &has_url), json::into("token", out.token));
    if (d.ok() && !has_url) d.missing("url");
}

void encode(json::writer& w, const preview_link& p) {
    w.begin_object()
        .member("sandboxId", p.sandbox_id)
        .member("url", p.url)
        .member("token", p.token)
        .end_object();
}

void decode_value(json::value& v, signed_preview_link& out, json::decoder& d) {
    bool has_url = false;
    d.object(v, "object", json::into("sandboxId", out.sandbox_id), json::into("port", out.port),
             json::into("token", out.token), json::into("url", out.url, &has_url));
    if (d.ok() && !has_url) d.missing("url");
}

void encode(json::writer& w, const signed_preview_link& p) {
    w.begin_object()
        .member("sandboxId", p.sandbox_id)
        .member("port", p.port)
        .member("token", p.token)
        .member("url", p.url)
        .end_object();
}

void decode_value(json::value& v, sandbox_labels& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("labels", out.labels, &has));
    if (d.ok() && !has) d.missing("labels");
}

void encode(json::writer& w, const sandbox_labels& l) {
    w.begin_object().member("labels", l.labels).end_object();
}

void decode_value(json::value& v, sandbox_snapshot_request& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("name", out.name, &has),
             json::into("includeMemory", out.include_memory));
    if (d.ok() && !has) d.missing("name");
}

void encode(json::writer& w, const sandbox_snapshot_request& r) {
    w.begin_object().member("name", r.name).member("includeMemory", r.include_memory).end_object();
}

void decode_value(json::value& v, fork_request& out, json::decoder& d) {
    d.object(v, "object", json::into("name", out.name));
}

void encode(json::writer& w, const fork_request& r) {
    w.begin_object().member("name", r.name).end_object();
}

void decode_value(json::value& v, ssh_access& out, json::decoder& d) {
    bool has_token = false;
    d.object(v, "object", json::into("id", out.id), json::into("sandboxId", out.sandbox_id),
             json::into("token", out.token, &has_token), json::into("expiresAt", out.expires_at),
             json::into("createdAt", out.created_at), json::into("updatedAt", out.updated_at),
             json::into("sshCommand", out.ssh_command));
    if (d.ok() && !has_token) d.missing("token");
}

void encode(json::writer& w, const ssh_access& a) {
    w.begin_object()
        .member("id", a.id)
        .member("sandboxId", a.sandbox_id)
        .member("token", a.token)
        .member("expiresAt", a.expires_at)
        .member("createdAt", a.created_at)
        .member("updatedAt", a.updated_at)
        .member("sshCommand", a.ssh_command)
        .end_object();
}

void decode_value(json::value& v, ssh_access_validation& out, json::decoder& d) {
    bool has_valid = false;
    d.object(v, "object", json::into("valid", out.valid, &has_valid),
             json::into("sandboxId", out.sandbox_id));
    if (d.ok() && !has_valid) d.missing("valid");
}

void encode(json::writer& w, const ssh_access_validation& v) {
    w.begin_object().member("valid", v.valid);
    nullable_member(w, "sandboxId", v.sandbox_id);
    w.end_object();
}

void decode_value(json::value& v, url_response& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("url", out.url, &has));
    if (d.ok() && !has) d.missing("url");
}

void encode(json::writer& w, const url_response& u) {
    w.begin_object().member("url", u.url).end_object();
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CODEC_IMPL_SANDBOX_IPP
