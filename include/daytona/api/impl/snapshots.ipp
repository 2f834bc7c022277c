// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/snapshots.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_IMPL_SNAPSHOTS_IPP
#define DAYTONA_API_IMPL_SNAPSHOTS_IPP

#include "daytona/api/snapshots.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace api {

result<create_snapshot_request> to_request(const snapshot_params& p,
                                           std::string_view default_region) {
    auto bad = [](std::string why) {
        return error(make_error_code(errc::invalid_argument),
                     error_info{.message = "snapshot_params: " + std::move(why),
                                .operation = "create_snapshot"});
    };
    if (p.name.empty()) return bad("name is required");
    if ((p.image ? 1 : 0) + (p.dockerfile ? 1 : 0) + (p.build ? 1 : 0) != 1)
        return bad("give exactly one of image, dockerfile and build");
    if (p.image && (p.image->empty() || p.image->ends_with(":latest")))
        return bad("an image with tag 'latest' (or no image) cannot be used: pin a version");
    for (auto v : {p.resources.cpu, p.resources.gpu, p.resources.memory_gib, p.resources.disk_gib})
        if (v && *v <= 0) return bad("resources must be positive");
    if (p.wait_timeout.count() < 0) return bad("wait_timeout must not be negative");
    create_snapshot_request r;
    r.name = p.name;
    if (p.image) {
        r.image_name = p.image;
        r.entrypoint = p.entrypoint;
    } else {
        build_request b{.dockerfile_content = p.dockerfile.value_or(""),
                        .context_hashes = p.context_hashes};
        if (p.build) {
            auto made = to_build_request(*p.build, "create_snapshot");
            if (!made) return std::move(made).error();
            b = std::move(*made);
        }
        std::string dockerfile = std::move(b.dockerfile_content);
        if (!p.entrypoint.empty()) {
            if (!dockerfile.empty() && dockerfile.back() != '\n') dockerfile += '\n';
            dockerfile += "ENTRYPOINT [";
            for (std::size_t i = 0; i < p.entrypoint.size(); ++i) {
                if (i) dockerfile += ", ";
                json::append_quoted(dockerfile, p.entrypoint[i]);
            }
            dockerfile += "]\n";
        }
        r.build_info = build_request{.dockerfile_content = std::move(dockerfile),
                                     .context_hashes = std::move(b.context_hashes)};
    }
    r.cpu = p.resources.cpu;
    r.gpu = p.resources.gpu;
    r.memory = p.resources.memory_gib;
    r.disk = p.resources.disk_gib;
    if (p.region_id)
        r.region_id = p.region_id;
    else if (!default_region.empty())
        r.region_id = std::string(default_region);
    r.sandbox_class = p.sandbox_class;
    return r;
}

std::string list_query(const snapshot_list_params& p) {
    http::query_builder q;
    if (p.page) q.add("page", *p.page);
    if (p.limit) q.add("limit", *p.limit);
    if (p.name) q.add("name", *p.name);
    if (p.sort) q.add("sort", to_string(*p.sort));
    if (p.descending) q.add("order", *p.descending ? "desc" : "asc");
    return q.release();
}

asio::awaitable<result<snapshot_info>> create_snapshot(const channel& c,
                                                       const create_snapshot_request& r,
                                                       request_options ro) {
    return invoke<snapshot_info>(c, ops::create_snapshot, {}, json_body(r), ro);
}

asio::awaitable<result<snapshot_info>> get_snapshot(const channel& c, std::string_view id_or_name,
                                                    request_options ro) {
    return invoke<snapshot_info>(c, ops::get_snapshot, {id_or_name}, ro);
}

asio::awaitable<result<snapshot_page>> list_snapshots(const channel& c,
                                                      const snapshot_list_params& p,
                                                      request_options ro) {
    return invoke<snapshot_page>(c, ops::list_snapshots, {}, query(list_query(p)), ro);
}

asio::awaitable<result<void>> delete_snapshot(const channel& c, std::string_view id,
                                              request_options ro) {
    return invoke<void>(c, ops::delete_snapshot, {id}, ro);
}

asio::awaitable<result<snapshot_info>> activate_snapshot(const channel& c, std::string_view id,
                                                         request_options ro) {
    return invoke<snapshot_info>(c, ops::activate_snapshot, {id}, ro);
}

asio::awaitable<result<void>> deactivate_snapshot(const channel& c, std::string_view id,
                                                  request_options ro) {
    return invoke<void>(c, ops::deactivate_snapshot, {id}, ro);
}

asio::awaitable<result<url_response>> get_snapshot_build_logs_url(const channel& c,
                                                                  std::string_view id,
                                                                  request_options ro) {
    return invoke<url_response>(c, ops::get_snapshot_build_logs_url, {id}, ro);
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_IMPL_SNAPSHOTS_IPP
