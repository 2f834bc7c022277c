// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/sandboxes.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_IMPL_SANDBOXES_IPP
#define DAYTONA_API_IMPL_SANDBOXES_IPP

#include "daytona/api/sandboxes.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace api {

result<void> validate(const create_params& p) {
    auto bad = [](std::string why) {
        return error(make_error_code(errc::invalid_argument),
                     error_info{.message = "create_params: " + std::move(why),
                                .operation = "create_sandbox"});
    };
    if (p.language != "python" && p.language != "typescript" && p.language != "javascript")
        return bad("language must be python, typescript or javascript, not '" + p.language + "'");
    const int sources =
        (p.snapshot ? 1 : 0) + (p.image ? 1 : 0) + (p.dockerfile ? 1 : 0) + (p.build ? 1 : 0);
    if (sources > 1) return bad("give at most one of snapshot, image, dockerfile and build");
    if (p.build)
        if (auto v = p.build->validate(); !v)
            return error(make_error_code(errc::invalid_argument),
                         error_info{.message = "create_params.build: " + v.error().message(),
                                    .operation = "create_sandbox"});
    if (p.resources.any() && !p.image && !p.dockerfile && !p.build)
        return bad(
            "resources can only be given with an image or a dockerfile (a snapshot fixes "
            "them): Cannot specify Sandbox resources when using a snapshot");
    for (auto [name, v] : {std::pair{"cpu", p.resources.cpu},
                           {"gpu", p.resources.gpu},
                           {"memory_gib", p.resources.memory_gib},
                           {"disk_gib", p.resources.disk_gib}})
        if (v && *v <= 0) return bad(std::string("resources.") + name + " must be positive");
    for (auto [name, v] : {std::pair{"auto_stop_interval", p.auto_stop_interval},
                           {"auto_pause_interval", p.auto_pause_interval},
                           {"auto_archive_interval", p.auto_archive_interval},
                           {"ttl_minutes", p.ttl_minutes}})
        if (v && *v < 0) return bad(std::string(name) + " must not be negative");
    if (p.wait_timeout.count() < 0) return bad("wait_timeout must not be negative");
    for (const auto& v : p.volumes)
        if (v.volume_id.empty() || v.mount_path.empty())
            return bad("every volume needs a volume_id and a mount_path");
    if (p.image && p.image->find_first_of("\r\n") != std::string::npos)
        return bad("image must be one line");
    return {};
}

result<build_request> to_build_request(const image& img, std::string_view operation) {
    auto hashes = img.context_hashes();
    if (!hashes) return std::move(hashes).error().with_operation(operation);
    return build_request{.dockerfile_content = img.dockerfile(),
                         .context_hashes = std::move(*hashes)};
}

result<create_sandbox_request> to_request(const create_params& p, std::string_view default_target) {
    if (auto v = validate(p); !v) return std::move(v).error();
    create_sandbox_request r;
    r.name = p.name;
    r.snapshot = p.snapshot;
    if (p.image) r.build_info = build_request{.dockerfile_content = "FROM " + *p.image + "\n"};
    if (p.dockerfile)
        r.build_info =
            build_request{.dockerfile_content = *p.dockerfile, .context_hashes = p.context_hashes};
    if (p.build) {
        auto b = to_build_request(*p.build, "create_sandbox");
        if (!b) return std::move(b).error();
        r.build_info = std::move(*b);
    }
    r.user = p.user;
    r.env = p.env;
    r.labels = p.labels;
    r.labels["code-toolbox-language"] = p.language;
    r.is_public = p.is_public;
    if (p.target)
        r.target = p.target;
    else if (!default_target.empty())
        r.target = std::string(default_target);
    r.cpu = p.resources.cpu;
    r.gpu = p.resources.gpu;
    r.memory = p.resources.memory_gib;
    r.disk = p.resources.disk_gib;
    r.gpu_type = p.gpu_type;
    r.spot = p.spot;
    r.auto_stop_interval = p.auto_stop_interval;
    r.auto_pause_interval = p.auto_pause_interval;
    r.auto_archive_interval = p.auto_archive_interval;
    r.auto_delete_interval = p.ephemeral ? std::optional<int>(0) : p.auto_delete_interval;
    r.ttl_minutes = p.ttl_minutes;
    r.volumes = p.volumes;
    r.kvm = p.kvm;
    r.network_block_all = p.network_block_all;
    r.network_allow_list = p.network_allow_list;
    r.domain_allow_list = p.domain_allow_list;
    r.outbound_proxy_url = p.outbound_proxy_url;
    r.otel_endpoint_override = p.otel_endpoint_override;
    r.linked_sandbox = p.linked_sandbox;
    r.secrets = p.secrets;
    return r;
}

std::string list_query(const list_params& p) {
    http::query_builder q;
    if (!p.cursor.empty()) q.add("cursor", p.cursor);
    if (p.limit) q.add("limit", *p.limit);
    if (p.id_prefix) q.add("id", *p.id_prefix);
    if (p.name_prefix) q.add("name", *p.name_prefix);
    if (!p.labels.empty()) {
        std::string labels;
        json::writer(labels).value(p.labels);
        q.add("labels", labels);
    }
    if (p.include_errored_deleted) q.add("includeErroredDeleted", true);
    if (p.include_warm) q.add("includeWarm", true);
    for (auto s : p.states)
        q.add("states", to_string(s));
    for (const auto& s : p.snapshots)
        q.add("snapshots", s);
    for (const auto& t : p.targets)
        q.add("regionIds", t);
    for (const auto& c : p.sandbox_classes)
        q.add("sandboxClasses", c);
    if (p.min_cpu) q.add("minCpu", *p.min_cpu);
    if (p.max_cpu) q.add("maxCpu", *p.max_cpu);
    if (p.min_memory_gib) q.add("minMemoryGiB", *p.min_memory_gib);
    if (p.max_memory_gib) q.add("maxMemoryGiB", *p.max_memory_gib);
    if (p.min_disk_gib) q.add("minDiskGiB", *p.min_disk_gib);
    if (p.max_disk_gib) q.add("maxDiskGiB", *p.max_disk_gib);
    if (p.min_gpu) q.add("minGpu", *p.min_gpu);
    if (p.max_gpu) q.add("maxGpu", *p.max_gpu);
    if (p.is_public) q.add("isPublic", *p.is_public);
    if (p.is_recoverable) q.add("isRecoverable", *p.is_recoverable);
    if (p.created_after) q.add("createdAtAfter", *p.created_after);
    if (p.created_before) q.add("createdAtBefore", *p.created_before);
    if (p.last_activity_after) q.add("lastEventAfter", *p.last_activity_after);
    if (p.last_activity_before) q.add("lastEventBefore", *p.last_activity_before);
    if (p.auto_destroy_after) q.add("autoDestroyAtAfter", *p.auto_destroy_after);
    if (p.auto_destroy_before) q.add("autoDestroyAtBefore", *p.auto_destroy_before);
    if (p.sort) q.add("sort", to_string(*p.sort));
    if (p.descending) q.add("order", *p.descending ? "desc" : "asc");
    return q.release();
}

asio::awaitable<result<sandbox_info>> create_sandbox(const channel& c,
                                                     const create_sandbox_request& r,
                                                     request_options ro) {
    return invoke<sandbox_info>(c, ops::create_sandbox, {}, json_body(r), ro);
}

asio::awaitable<result<sandbox_info>> get_sandbox(const channel& c, std::string_view id,
                                                  request_options ro) {
    return invoke<sandbox_info>(c, ops::get_sandbox, {id}, ro);
}

asio::awaitable<result<sandbox_info_page>> list_sandboxes(const channel& c, const list_params& p,
                                                          request_options ro) {
    return invoke<sandbox_info_page>(c, ops::list_sandboxes, {}, query(list_query(p)), ro);
}

asio::awaitable<result<void>> delete_sandbox(const channel& c, std::string_view id,
                                             request_options ro) {
    return invoke<void>(c, ops::delete_sandbox, {id}, ro);
}

asio::awaitable<result<sandbox_info>> start_sandbox(const channel& c, std::string_view id,
                                                    request_options ro) {
    return invoke<sandbox_info>(c, ops::start_sandbox, {id}, ro);
}

asio::awaitable<result<sandbox_info>> stop_sandbox(const channel& c, std::string_view id,
                                                   bool force, request_options ro) {
    return invoke<sandbox_info>(c, ops::stop_sandbox, {id},
                                query(force ? "force=true" : "force=false"), ro);
}

asio::awaitable<result<sandbox_info>> archive_sandbox(const channel& c, std::string_view id,
                                                      request_options ro) {
    return invoke<sandbox_info>(c, ops::archive_sandbox, {id}, ro);
}

asio::awaitable<result<sandbox_info>> recover_sandbox(const channel& c, std::string_view id,
                                                      request_options ro) {
    return invoke<sandbox_info>(c, ops::recover_sandbox, {id}, ro);
}

asio::awaitable<result<sandbox_info>> pause_sandbox(const channel& c, std::string_view id,
                                                    request_options ro) {
    return invoke<sandbox_info>(c, ops::pause_sandbox, {id}, ro);
}

asio::awaitable<result<sandbox_info>> resize_sandbox(const channel& c, std::string_view id,
                                                     const resize_params& r, request_options ro) {
    return invoke<sandbox_info>(c, ops::resize_sandbox, {id}, json_body(r), ro);
}

asio::awaitable<result<sandbox_labels>> replace_labels(const channel& c, std::string_view id,
                                                       const sandbox_labels& l,
                                                       request_options ro) {
    return invoke<sandbox_labels>(c, ops::replace_labels, {id}, json_body(l), ro);
}

asio::awaitable<result<sandbox_info>> set_public(const channel& c, std::string_view id,
                                                 bool is_public, request_options ro) {
    return invoke<sandbox_info>(c, ops::set_public, {id, is_public ? "true" : "false"}, ro);
}

asio::awaitable<result<sandbox_info>> set_interval(const channel& c, const operation& op,
                                                   std::string_view id, int minutes,
                                                   request_options ro) {
    const auto m = std::to_string(minutes);
    return invoke<sandbox_info>(c, op, {id, m}, ro);
}

asio::awaitable<result<sandbox_info>> update_network_settings(const channel& c, std::string_view id,
                                                              const network_settings& n,
                                                              request_options ro) {
    return invoke<sandbox_info>(c, ops::update_network_settings, {id}, json_body(n), ro);
}

asio::awaitable<result<void>> update_last_activity(const channel& c, std::string_view id,
                                                   request_options ro) {
    return invoke<void>(c, ops::update_last_activity, {id}, ro);
}

asio::awaitable<result<preview_link>> get_preview_url(const channel& c, std::string_view id,
                                                      int port, request_options ro) {
    const auto p = std::to_string(port);
    return invoke<preview_link>(c, ops::get_preview_url, {id, p}, ro);
}

asio::awaitable<result<signed_preview_link>> get_signed_preview_url(const channel& c,
                                                                    std::string_view id, int port,
                                                                    std::chrono::seconds expires_in,
                                                                    request_options ro) {
    const auto p = std::to_string(port);
    return invoke<signed_preview_link>(
        c, ops::get_signed_preview_url, {id, p},
        query("expiresInSeconds=" + std::to_string(expires_in.count())), ro);
}

asio::awaitable<result<void>> expire_signed_preview_url(const channel& c, std::string_view id,
                                                        int port, std::string_view token,
                                                        request_options ro) {
    const auto p = std::to_string(port);
    return invoke<void>(c, ops::expire_signed_preview_url, {id, p, token}, ro);
}

asio::awaitable<result<url_response>> get_build_logs_url(const channel& c, std::string_view id,
                                                         request_options ro) {
    return invoke<url_response>(c, ops::get_build_logs_url, {id}, ro);
}

asio::awaitable<result<url_response>> get_toolbox_proxy_url(const channel& c, std::string_view id,
                                                            request_options ro) {
    return invoke<url_response>(c, ops::get_toolbox_proxy_url, {id}, ro);
}

asio::awaitable<result<ssh_access>> create_ssh_access(const channel& c, std::string_view id,
                                                      std::chrono::minutes expires_in,
                                                      request_options ro) {
    http::query_builder q;
    q.add("expiresInMinutes", expires_in.count());
    return invoke<ssh_access>(c, ops::create_ssh_access, {id}, query(q.release()), ro);
}

asio::awaitable<result<sandbox_info>> revoke_ssh_access(const channel& c, std::string_view id,
                                                        std::string_view token,
                                                        request_options ro) {
    http::query_builder q;
    if (!token.empty()) q.add("token", token);
    return invoke<sandbox_info>(c, ops::revoke_ssh_access, {id}, query(q.release()), ro);
}

asio::awaitable<result<ssh_access_validation>> validate_ssh_access(const channel& c,
                                                                   std::string_view token,
                                                                   request_options ro) {
    http::query_builder q;
    q.add("token", token);
    return invoke<ssh_access_validation>(c, ops::validate_ssh_access, {}, query(q.release()), ro);
}

asio::awaitable<result<sandbox_info>> fork_sandbox(const channel& c, std::string_view id,
                                                   const fork_request& f, request_options ro) {
    return invoke<sandbox_info>(c, ops::fork_sandbox, {id}, json_body(f), ro);
}

asio::awaitable<result<sandbox_info>> snapshot_sandbox(const channel& c, std::string_view id,
                                                       const sandbox_snapshot_request& s,
                                                       request_options ro) {
    return invoke<sandbox_info>(c, ops::snapshot_sandbox, {id}, json_body(s), ro);
}

asio::awaitable<result<std::vector<sandbox_info>>> get_sandbox_forks(const channel& c,
                                                                     std::string_view id,
                                                                     request_options ro) {
    return invoke<std::vector<sandbox_info>>(c, ops::get_sandbox_forks, {id}, ro);
}

asio::awaitable<result<sandbox_info>> get_sandbox_parent(const channel& c, std::string_view id,
                                                         request_options ro) {
    return invoke<sandbox_info>(c, ops::get_sandbox_parent, {id}, ro);
}

asio::awaitable<result<std::vector<sandbox_info>>> get_sandbox_ancestors(const channel& c,
                                                                         std::string_view id,
                                                                         request_options ro) {
    return invoke<std::vector<sandbox_info>>(c, ops::get_sandbox_ancestors, {id}, ro);
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_IMPL_SANDBOXES_IPP
