// SPDX-License-Identifier: Apache-2.0
// Records and their on-disk form.
#include "store.hpp"
#include "util.hpp"

#include <daytona/json/reader.hpp>

#include <fstream>
#include <iostream>

namespace daytona::emulator {

// Decoders for the persisted records; in this namespace so json::decode finds them by ADL.
void decode_value(json::value& v, snapshot_record& s, json::decoder& d) {
    using json::into;
    std::optional<sandbox_build_info> build;
    d.object(v, "object", into("id", s.id), into("name", s.name), into("imageName", s.image_name),
             into("state", s.state), into("createdAt", s.created_at),
             into("updatedAt", s.updated_at), into("errorReason", s.error_reason),
             into("lastUsedAt", s.last_used_at), into("entrypoint", s.entrypoint),
             into("regionIds", s.region_ids), into("cpu", s.cpu), into("gpu", s.gpu),
             into("mem", s.mem), into("disk", s.disk), into("sandboxClass", s.sandbox_class),
             into("buildInfo", build));
    if (build) {
        s.dockerfile = std::move(build->dockerfile_content);
        s.context_hashes = std::move(build->context_hashes);
    }
}

void decode_value(json::value& v, volume_record& r, json::decoder& d) {
    using json::into;
    d.object(v, "object", into("id", r.id), into("name", r.name), into("state", r.state),
             into("createdAt", r.created_at), into("updatedAt", r.updated_at),
             into("lastUsedAt", r.last_used_at), into("errorReason", r.error_reason));
}

namespace store_impl {

template <class T>
std::optional<T> load(const fs::path& p, std::string_view what) {
    auto text = read_file(p);
    if (!text) return std::nullopt;
    auto r = json::decode<T>(*text, what);
    if (!r) {
        std::cerr << "daytona-emulator: skipping " << p << ": " << r.error() << '\n';
        return std::nullopt;
    }
    return std::move(*r);
}

template <class Map>
auto find_by_id_or_name(const Map& m, std::string_view key) -> decltype(&m.begin()->second) {
    if (auto it = m.find(key); it != m.end()) return &it->second;
    for (const auto& [id, r] : m)
        if (r.name == key) return &r;
    return nullptr;
}

}  // namespace store_impl
using namespace store_impl;

bool write_file_atomically(const fs::path& path, std::string_view text) {
    auto tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return false;
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        if (!out) return false;
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    return !ec;
}

void write_sandbox_json(json::writer& w, const sandbox_info& s, bool list_item) {
    encode(w, s, list_item);  // the client's codec: both sides write and read the same shape
}

void write_snapshot_json(json::writer& w, const snapshot_record& s, std::string_view organization) {
    auto nullable = [&](std::string_view key, const std::optional<std::string>& v) {
        w.key(key);
        if (v)
            w.value(*v);
        else
            w.null();
    };
    w.begin_object()
        .member("id", s.id)
        .member("organizationId", organization)
        .member("general", false)
        .member("name", s.name)
        .member("imageName", s.image_name)
        .member("state", s.state);
    w.key("size").null();
    w.key("entrypoint");
    if (s.entrypoint.empty())
        w.null();
    else
        w.value(s.entrypoint);
    w.member("cpu", s.cpu).member("gpu", s.gpu).member("mem", s.mem).member("disk", s.disk);
    nullable("errorReason", s.error_reason);
    w.member("createdAt", s.created_at).member("updatedAt", s.updated_at);
    nullable("lastUsedAt", s.last_used_at);
    if (s.dockerfile) {
        w.key("buildInfo").begin_object();
        w.member("contextHashes", s.context_hashes);
        w.member("dockerfileContent", *s.dockerfile);
        w.member("createdAt", s.created_at).member("updatedAt", s.updated_at);
        w.member("snapshotRef", s.id);
        w.end_object();
    }
    w.member("regionIds", s.region_ids.empty() ? std::vector<std::string>{"us"} : s.region_ids);
    w.key("sourceSandboxId").null();
    w.member("sandboxClass", s.sandbox_class);
    w.end_object();
}

void write_volume_json(json::writer& w, const volume_record& v, std::string_view organization) {
    w.begin_object()
        .member("id", v.id)
        .member("name", v.name)
        .member("organizationId", organization)
        .member("state", v.state)
        .member("createdAt", v.created_at)
        .member("updatedAt", v.updated_at);
    w.key("lastUsedAt");
    if (v.last_used_at)
        w.value(*v.last_used_at);
    else
        w.null();
    w.key("errorReason");
    if (v.error_reason)
        w.value(*v.error_reason);
    else
        w.null();
    w.end_object();
}

store::store(fs::path data_dir) : data_dir_(std::move(data_dir)) {
    std::error_code ec;
    for (const char* sub : {"sandboxes", "snapshots", "volumes"})
        fs::create_directories(data_dir_ / sub, ec);
    for (const auto& e : fs::directory_iterator(data_dir_ / "sandboxes", ec))
        if (auto info = load<sandbox_info>(e.path() / "sandbox.json", "Sandbox")) {
            auto id = info->id;
            auto parent = read_file(e.path() / "parent").value_or("");
            sandboxes_.emplace(id, sandbox_record{std::move(*info), e.path(), std::move(parent)});
        }
    for (const auto& e : fs::directory_iterator(data_dir_ / "snapshots", ec))
        if (e.path().extension() == ".json")
            if (auto s = load<snapshot_record>(e.path(), "Snapshot"))
                snapshots_.emplace(s->id, std::move(*s));
    for (const auto& e : fs::directory_iterator(data_dir_ / "volumes", ec))
        if (auto v = load<volume_record>(e.path() / "volume.json", "Volume"))
            volumes_.emplace(v->id, std::move(*v));
}

void store::persist(const sandbox_record& rec) const {
    std::string text;
    json::writer w(text);
    write_sandbox_json(w, rec.info);
    write_file_atomically(rec.dir / "sandbox.json", text);
}

void store::persist(const snapshot_record& s) const {
    std::string text;
    json::writer w(text);
    write_snapshot_json(w, s, "");
    write_file_atomically(data_dir_ / "snapshots" / (s.id + ".json"), text);
}

void store::persist(const volume_record& v) const {
    std::string text;
    json::writer w(text);
    write_volume_json(w, v, "");
    write_file_atomically(data_dir_ / "volumes" / v.id / "volume.json", text);
}

bool store::insert(sandbox_record rec, std::string* why) {
    std::lock_guard lock(mu_);
    for (const auto& [id, r] : sandboxes_)
        if (r.info.name == rec.info.name) {
            if (why) *why = "Sandbox with name " + rec.info.name + " already exists";
            return false;
        }
    std::error_code ec;
    fs::create_directories(rec.home(), ec);
    if (!ec) fs::create_directories(rec.root() / "tmp", ec);
    if (ec) {
        if (why) *why = "cannot create sandbox directory: " + ec.message();
        return false;
    }
    fs::permissions(rec.root() / "tmp", fs::perms::all | fs::perms::sticky_bit, ec);
    persist(rec);
    if (!rec.parent_id.empty()) write_file_atomically(rec.dir / "parent", rec.parent_id);
    auto id = rec.info.id;
    sandboxes_.emplace(std::move(id), std::move(rec));
    return true;
}

std::optional<sandbox_record> store::find(std::string_view id_or_name) const {
    std::lock_guard lock(mu_);
    if (auto it = sandboxes_.find(id_or_name); it != sandboxes_.end()) return it->second;
    for (const auto& [id, r] : sandboxes_)
        if (r.info.name == id_or_name) return r;
    return std::nullopt;
}

std::optional<sandbox_info> store::modify(std::string_view id,
                                          const std::function<void(sandbox_info&)>& change) {
    std::lock_guard lock(mu_);
    auto it = sandboxes_.find(id);
    if (it == sandboxes_.end()) return std::nullopt;
    change(it->second.info);
    persist(it->second);
    return it->second.info;
}

bool store::erase(std::string_view id) {
    fs::path dir;
    {
        std::lock_guard lock(mu_);
        auto it = sandboxes_.find(id);
        if (it == sandboxes_.end()) return false;
        dir = it->second.dir;
        sandboxes_.erase(it);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    return true;
}

std::vector<sandbox_record> store::all() const {
    std::lock_guard lock(mu_);
    std::vector<sandbox_record> out;
    out.reserve(sandboxes_.size());
    for (const auto& [id, r] : sandboxes_)
        out.push_back(r);
    return out;
}

bool store::insert_snapshot(snapshot_record s, std::string* why) {
    std::lock_guard lock(mu_);
    for (const auto& [id, r] : snapshots_)
        if (r.name == s.name) {
            if (why) *why = "Snapshot with name " + s.name + " already exists";
            return false;
        }
    persist(s);
    auto id = s.id;
    snapshots_.emplace(std::move(id), std::move(s));
    return true;
}

std::optional<snapshot_record> store::find_snapshot(std::string_view key) const {
    std::lock_guard lock(mu_);
    if (auto p = find_by_id_or_name(snapshots_, key)) return *p;
    return std::nullopt;
}

std::optional<snapshot_record> store::modify_snapshot(
    std::string_view id, const std::function<void(snapshot_record&)>& change) {
    std::lock_guard lock(mu_);
    auto it = snapshots_.find(id);
    if (it == snapshots_.end()) return std::nullopt;
    change(it->second);
    persist(it->second);
    return it->second;
}

bool store::erase_snapshot(std::string_view id) {
    std::lock_guard lock(mu_);
    auto it = snapshots_.find(id);
    if (it == snapshots_.end()) return false;
    std::error_code ec;
    fs::remove(data_dir_ / "snapshots" / (it->second.id + ".json"), ec);
    fs::remove_all(snapshot_files(it->second.id), ec);
    snapshots_.erase(it);
    return true;
}

std::vector<snapshot_record> store::snapshots() const {
    std::lock_guard lock(mu_);
    std::vector<snapshot_record> out;
    for (const auto& [id, s] : snapshots_)
        out.push_back(s);
    return out;
}

bool store::insert_volume(volume_record v, std::string* why) {
    std::lock_guard lock(mu_);
    for (const auto& [id, r] : volumes_)
        if (r.name == v.name) {
            if (why) *why = "Volume with name " + v.name + " already exists";
            return false;
        }
    std::error_code ec;
    fs::create_directories(volume_dir(v.id), ec);
    if (ec) {
        if (why) *why = "cannot create volume directory: " + ec.message();
        return false;
    }
    persist(v);
    auto id = v.id;
    volumes_.emplace(std::move(id), std::move(v));
    return true;
}

std::optional<volume_record> store::find_volume(std::string_view key) const {
    std::lock_guard lock(mu_);
    if (auto p = find_by_id_or_name(volumes_, key)) return *p;
    return std::nullopt;
}

bool store::erase_volume(std::string_view id) {
    {
        std::lock_guard lock(mu_);
        if (volumes_.erase(std::string(id)) == 0) return false;
    }
    std::error_code ec;
    fs::remove_all(data_dir_ / "volumes" / std::string(id), ec);
    return true;
}

std::vector<volume_record> store::volumes() const {
    std::lock_guard lock(mu_);
    std::vector<volume_record> out;
    for (const auto& [id, v] : volumes_)
        out.push_back(v);
    return out;
}

}  // namespace daytona::emulator
