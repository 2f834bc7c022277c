// SPDX-License-Identifier: Apache-2.0
#include "context.hpp"

#include <daytona/json/writer.hpp>

namespace daytona::emulator {

namespace context_impl {

bool use_namespaces(const emulator_options& opts, std::string& reason) {
    if (opts.isolation != "none") return mount_namespaces_available(&reason);
    reason = "disabled by --isolation none";
    return false;
}

}  // namespace context_impl

context::context(emulator_options options, fs::path data_dir, bool use_tls)
    : opts(std::move(options))
    , records(std::move(data_dir))
    , host(records, context_impl::use_namespaces(opts, namespace_reason_), opts.host_dirs)
    , tls(use_tls) {
    records.observe(store_observer{
        .sandbox = [this](const sandbox_info* b,
                          const sandbox_info* a) { events.sandbox_changed(b, a); },
        .snapshot = [this](const snapshot_info* b,
                           const snapshot_info* a) { events.snapshot_changed(b, a); },
        .volume =
            [this](const volume_info* b, const volume_info* a) {
                events.volume_changed(b, a);
            }});
    const std::string build_cut_off = "the emulator stopped while the image was building";
    // Every state change runs in this process: one that a stop or a crash cut off is settled,
    // so that no sandbox waits forever for a transition nobody drives any more.
    for (const auto& rec : records.all()) {
        const auto was = rec.info.state;
        if (was == sandbox_state::destroying) {
            records.erase(rec.info.id);
            continue;
        }
        std::optional<sandbox_state> now;
        std::string why;
        switch (was) {
            case sandbox_state::pending_build:
            case sandbox_state::building_snapshot:
                now = sandbox_state::build_failed;
                why = build_cut_off;
                break;
            case sandbox_state::stopping:
            case sandbox_state::pausing:
                now = sandbox_state::stopped;
                break;
            case sandbox_state::archiving:
                now = sandbox_state::archived;
                break;
            case sandbox_state::resizing:
            case sandbox_state::snapshotting:
            case sandbox_state::forking:
                now = sandbox_state::started;
                break;
            case sandbox_state::creating:
            case sandbox_state::restoring:
            case sandbox_state::starting:
            case sandbox_state::pulling_snapshot:
            case sandbox_state::resuming:
                // Its files may be half made: recover() brings it back.
                now = sandbox_state::error;
                why = "the emulator stopped while the sandbox was " + rec.info.state_name;
                break;
            default:
                break;
        }
        if (!now) continue;
        records.modify(rec.info.id, [&](sandbox_info& s) {
            s.state = *now;
            s.state_name = std::string(to_string(*now));
            if (!why.empty()) s.error_reason = why;
            if (*now == sandbox_state::error) s.recoverable = true;
        });
    }
    for (const auto& snap : records.snapshots())
        if (snap.info.build_info && (snap.info.state == snapshot_state::pending ||
                                     snap.info.state == snapshot_state::building))
            records.modify_snapshot(snap.info.id, [&](snapshot_info& s) {
                s.state = snapshot_state::build_failed;
                s.state_name = std::string(to_string(snapshot_state::build_failed));
                s.error_reason = build_cut_off;
            });
}

context::~context() {
    shutdown();
}

bool context::real_builds(std::string* why_not) const {
    std::string why;
    if (opts.builds == "emulated")
        why = "--builds emulated";
    else if (!host.namespaces())
        why = "no private mount namespaces";
    else if (!real_builds_available(records.data_dir(), &why) && why.empty())
        why = "no overlay root";
    if (why_not) *why_not = why;
    return why.empty();
}

std::string context::isolation_summary() const {
    std::string builds;
    if (std::string why; !real_builds(&why))
        builds = "; builds: emulated (" + why + ")";
    else
        builds = "; builds: real (each in an overlay root over the host's /, no registry pulls)";
    return (host.namespaces()
                ? "mount namespaces (sandbox home and tmp bind-mounted over /home and /tmp)"
                : "none: " + namespace_reason_) +
           builds;
}

bool context::authorized(const exchange& ex) const {
    auto h = ex.request().headers.get("authorization");
    constexpr std::string_view bearer = "Bearer ";
    if (h.size() <= bearer.size() || !detail::iequals(h.substr(0, bearer.size()), bearer))
        return false;
    return accepts_token(detail::trim(h.substr(bearer.size())));
}

bool context::accepts_token(std::string_view token) const {
    if (token.empty()) return false;
    return opts.api_key.empty() || token == opts.api_key;
}

std::string context::preview_token(const std::string& sandbox_id) {
    std::lock_guard lock(previews_mu_);
    auto& token = preview_tokens_[sandbox_id];
    if (token.empty()) token = "preview-" + random_token(24);
    return token;
}

bool context::has_preview_token(const exchange& ex, const std::string& sandbox_id) {
    std::string given(ex.request().headers.get("x-daytona-preview-token"));
    if (given.empty()) given = ex.query_param("DAYTONA_SANDBOX_AUTH_KEY").value_or("");
    if (given.empty()) return false;
    std::lock_guard lock(previews_mu_);
    auto it = preview_tokens_.find(sandbox_id);
    return it != preview_tokens_.end() && it->second == given;
}

std::shared_ptr<sandbox_runtime> context::runtime_of(const std::string& id) {
    std::lock_guard lock(runtimes_mu_);
    auto& rt = runtimes_[id];
    if (!rt) rt = std::make_shared<sandbox_runtime>();
    return rt;
}

void context::forget_runtime(const std::string& id) {
    std::shared_ptr<sandbox_runtime> rt;
    {
        std::lock_guard lock(runtimes_mu_);
        auto it = runtimes_.find(id);
        if (it == runtimes_.end()) return;
        rt = std::move(it->second);
        runtimes_.erase(it);
    }
    rt->kill_all();
}

void context::shutdown() {
    std::map<std::string, std::shared_ptr<sandbox_runtime>> all;
    {
        std::lock_guard lock(runtimes_mu_);
        all.swap(runtimes_);
    }
    for (auto& [id, rt] : all)
        rt->kill_all();
}

std::string context::origin_of(const exchange& ex) const {
    std::string host_field(ex.request().headers.get("host"));
    bool ok = !host_field.empty() && host_field.size() < 256;
    for (char c : host_field)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '[' || c == ']');
    if (!ok) host_field = opts.bind_address + ":" + std::to_string(port.load());
    return std::string(tls ? "https://" : "http://") + host_field;
}

std::string context::preview_origin(std::string_view port_text, std::string_view key) const {
    std::string out = tls ? "https://" : "http://";
    out.append(port_text).append("-").append(key).append(".").append(opts.proxy_domain);
    return out.append(":").append(std::to_string(port.load()));
}

std::optional<std::string> context::preview_label(const exchange& ex) const {
    std::string_view host_field = ex.request().headers.get("host");
    if (const auto colon = host_field.rfind(':');
        colon != std::string_view::npos && host_field.find(']') == std::string_view::npos)
        host_field = host_field.substr(0, colon);
    const std::string_view domain = opts.proxy_domain;
    if (host_field.size() <= domain.size() + 1) return std::nullopt;
    const auto cut = host_field.size() - domain.size();
    if (host_field[cut - 1] != '.' || !detail::iequals(host_field.substr(cut), domain))
        return std::nullopt;
    std::string label(host_field.substr(0, cut - 1));
    for (auto& c : label)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return label;
}

sandbox_info for_origin(sandbox_info info, std::string_view origin) {
    info.toolbox_proxy_url = std::string(origin) + "/toolbox";
    return info;
}

sandbox_info context::for_client(const exchange& ex, sandbox_info info) const {
    return for_origin(std::move(info), origin_of(ex));
}

reply context::sandbox_reply(const exchange& ex, const sandbox_info& info) const {
    return encoded_reply(for_client(ex, info));
}

reply api_error(const exchange& ex, int status, std::string message) {
    std::string body;
    json::writer w(body);
    w.begin_object()
        .member("path", std::string(ex.path()))
        .member("timestamp", iso_time())
        .member("statusCode", status)
        .member("error", std::string(http_reason_phrase(status)))
        .member("message", valid_utf8(message))
        .end_object();
    return json_reply(status, std::move(body));
}

reply toolbox_error(const exchange& ex, int status, std::string_view code, std::string message,
                    std::string_view source) {
    std::string body;
    json::writer w(body);
    w.begin_object()
        .member("statusCode", status)
        .member("message", valid_utf8(message))
        .member("code", code)
        .member("timestamp", iso_time())
        .member("path", std::string(ex.path()))
        .member("method", ex.request().method)
        .member("source", source)
        .end_object();
    return json_reply(status, std::move(body));
}

reply sandbox_not_found(const exchange& ex, const std::string& id) {
    return api_error(ex, 404, "Sandbox with ID or name " + id + " not found");
}

asio::awaitable<void> send(exchange& ex, reply r) {
    if (auto w = co_await ex.respond(std::move(r)); !w) ex.close_after();
}

}  // namespace daytona::emulator
