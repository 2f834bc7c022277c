// SPDX-License-Identifier: Apache-2.0
// Sandbox registry and its on-disk form.
#include "store.hpp"

#include <daytona/json/writer.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace daytona::emulator {

void write_sandbox_json(std::string& out, const sandbox_info& s) {
    json::writer w(out);
    w.begin_object();
    w.member("id", s.id);
    w.member("organizationId", s.organization_id);
    w.member("name", s.name);
    if (s.snapshot) w.member("snapshot", *s.snapshot);
    w.member("user", s.user);
    w.member("env", s.env);
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
    w.member("state", s.state_name.empty() ? std::string(to_string(s.state)) : s.state_name);
    if (!s.desired_state.empty()) w.member("desiredState", s.desired_state);
    w.member("errorReason", s.error_reason);
    w.member("recoverable", s.recoverable);
    w.member("backupState", s.backup_state.empty() ? std::string("None") : s.backup_state);
    w.member("autoStopInterval", s.auto_stop_interval);
    w.member("autoArchiveInterval", s.auto_archive_interval);
    w.member("autoDeleteInterval", s.auto_delete_interval);
    write_volumes(w, s.volumes);
    if (s.build_info) {
        w.key("buildInfo").begin_object();
        w.member("dockerfileContent", s.build_info->dockerfile_content);
        w.member("contextHashes", s.build_info->context_hashes);
        w.member("snapshotRef", s.build_info->snapshot_ref);
        w.member("createdAt", s.build_info->created_at);
        w.member("updatedAt", s.build_info->updated_at);
        w.end_object();
    }
    w.member("createdAt", s.created_at);
    w.member("updatedAt", s.updated_at);
    w.member("lastActivityAt", s.last_activity_at);
    w.member("sandboxClass", s.sandbox_class.empty() ? std::string("container") : s.sandbox_class);
    w.member("daemonVersion", s.daemon_version);
    w.member("toolboxProxyUrl", s.toolbox_proxy_url);
    w.end_object();
}

store::store(fs::path data_dir) : data_dir_(std::move(data_dir)) {
    std::error_code ec;
    fs::create_directories(data_dir_ / "sandboxes", ec);
    for (const auto& entry : fs::directory_iterator(data_dir_ / "sandboxes", ec)) {
        std::ifstream in(entry.path() / "sandbox.json", std::ios::binary);
        if (!in) continue;
        std::stringstream ss;
        ss << in.rdbuf();
        auto text = ss.str();
        auto info = json::decode<sandbox_info>(text, "Sandbox");
        if (!info) {
            std::cerr << "daytona-emulator: skipping " << entry.path() << ": " << info.error()
                      << '\n';
            continue;
        }
        auto id = info->id;
        by_id_.emplace(id, sandbox_record{std::move(*info), entry.path()});
    }
}

void store::persist(const sandbox_record& rec) const {
    std::string text;
    write_sandbox_json(text, rec.info);
    auto tmp = rec.dir / "sandbox.json.tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
    }
    std::error_code ec;
    fs::rename(tmp, rec.dir / "sandbox.json", ec);
}

bool store::insert(sandbox_record rec, std::string* why) {
    std::lock_guard lock(mu_);
    for (const auto& [id, r] : by_id_) {
        if (r.info.name == rec.info.name) {
            if (why) *why = "Sandbox with name " + rec.info.name + " already exists";
            return false;
        }
    }
    std::error_code ec;
    fs::create_directories(rec.home(), ec);
    fs::create_directories(rec.root() / "tmp", ec);
    if (ec) {
        if (why) *why = "cannot create sandbox directory: " + ec.message();
        return false;
    }
    persist(rec);
    auto id = rec.info.id;
    by_id_.emplace(std::move(id), std::move(rec));
    return true;
}

std::optional<sandbox_record> store::find(std::string_view id_or_name) const {
    std::lock_guard lock(mu_);
    if (auto it = by_id_.find(id_or_name); it != by_id_.end()) return it->second;
    for (const auto& [id, r] : by_id_)
        if (r.info.name == id_or_name) return r;
    return std::nullopt;
}

void store::update(const sandbox_info& info) {
    std::lock_guard lock(mu_);
    auto it = by_id_.find(info.id);
    if (it == by_id_.end()) return;
    it->second.info = info;
    persist(it->second);
}

bool store::erase(std::string_view id) {
    fs::path dir;
    {
        std::lock_guard lock(mu_);
        auto it = by_id_.find(id);
        if (it == by_id_.end()) return false;
        dir = it->second.dir;
        by_id_.erase(it);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    return true;
}

std::vector<sandbox_record> store::all() const {
    std::lock_guard lock(mu_);
    std::vector<sandbox_record> out;
    out.reserve(by_id_.size());
    for (const auto& [id, r] : by_id_)
        out.push_back(r);
    return out;
}

}  // namespace daytona::emulator
