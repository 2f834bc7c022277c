// SPDX-License-Identifier: Apache-2.0
// Records and their on-disk form.
#include "store.hpp"
#include "util.hpp"

#include <unistd.h>

#include <daytona/api/operation.hpp>
#include <daytona/codec/sandbox.hpp>
#include <daytona/codec/snapshot.hpp>
#include <daytona/codec/volume.hpp>
#include <daytona/json/reader.hpp>

#include <atomic>
#include <fstream>
#include <iostream>

namespace daytona::emulator {

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

/// The record with id `key`, or else the one named `key`.
template <class Map>
auto find_by_id_or_name(const Map& m, std::string_view key) -> decltype(&m.begin()->second) {
    if (auto it = m.find(key); it != m.end()) return &it->second;
    for (const auto& [id, r] : m)
        if (r.info.name == key) return &r;
    return nullptr;
}

/// Whether a record is named `name` already, with the API's 409 message in `why`.
template <class Map>
bool name_taken(const Map& m, std::string_view kind, const std::string& name, std::string* why) {
    for (const auto& [id, r] : m)
        if (r.info.name == name) {
            if (why) *why = std::string(kind) + " with name " + name + " already exists";
            return true;
        }
    return false;
}

/// A snapshot or volume file, read with the library's codec. Data dirs of earlier versions
/// wrote an empty organizationId (and a null entrypoint, which reads as empty).
template <class Info>
std::optional<Info> load_dto(const fs::path& p, std::string_view what) {
    auto info = load<Info>(p, what);
    if (info && info->organization_id.empty()) info->organization_id = organization_id;
    return info;
}

template <class T>
void persist_dto(const fs::path& p, const T& dto) {
    write_file_atomically(p, api::to_json_body(dto));
}

template <class Map>
auto values(const Map& m) {
    std::vector<typename Map::mapped_type> out;
    out.reserve(m.size());
    for (const auto& [id, r] : m)
        out.push_back(r);
    return out;
}

/// Removes the temporary files of the uploads a crash cut short, and their records. Only a file
/// named as an upload's temporary file is removed, whatever the link says.
void remove_unfinished_uploads(const fs::path& in_flight) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(in_flight, ec)) {
        std::error_code link_ec;
        auto temp = fs::read_symlink(e.path(), link_ec);
        if (!link_ec && temp.filename().string().find(".upload-") != std::string::npos)
            ::unlink(temp.c_str());
        ::unlink(e.path().c_str());
    }
}

}  // namespace store_impl
using namespace store_impl;

bool write_file_atomically(const fs::path& path, std::string_view text) {
    // A name of its own per write: two writers of the same file never share a temporary.
    static std::atomic<std::uint64_t> writes{0};
    auto tmp = path;
    tmp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++writes);
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

store::store(fs::path data_dir) : data_dir_(std::move(data_dir)) {
    std::error_code ec;
    for (const char* sub : {"sandboxes", "snapshots", "volumes"})
        fs::create_directories(data_dir_ / sub, ec);
    for (const auto& e : fs::directory_iterator(data_dir_ / "sandboxes", ec))
        if (auto info = load<sandbox_info>(e.path() / "sandbox.json", "Sandbox")) {
            auto id = info->id;
            auto parent = read_file(e.path() / "parent").value_or("");
            sandbox_record rec{std::move(*info), e.path(), std::move(parent)};
            remove_unfinished_uploads(rec.uploads_in_flight());
            sandboxes_.emplace(id, std::move(rec));
        }
    for (const auto& e : fs::directory_iterator(data_dir_ / "snapshots", ec))
        if (e.path().extension() == ".json")
            if (auto s = load_dto<snapshot_info>(e.path(), "Snapshot")) {
                auto id = s->id;
                snapshots_.emplace(std::move(id), snapshot_record{std::move(*s)});
            }
    for (const auto& e : fs::directory_iterator(data_dir_ / "volumes", ec))
        if (auto v = load_dto<volume_info>(e.path() / "volume.json", "Volume")) {
            auto id = v->id;
            volumes_.emplace(std::move(id), volume_record{std::move(*v)});
        }
}

void store::persist(const sandbox_record& rec) const {
    persist_dto(rec.dir / "sandbox.json", rec.info);
}

void store::persist(const snapshot_record& s) const {
    persist_dto(data_dir_ / "snapshots" / (s.info.id + ".json"), s.info);
}

void store::persist(const volume_record& v) const {
    persist_dto(data_dir_ / "volumes" / v.info.id / "volume.json", v.info);
}

bool store::insert(sandbox_record rec, std::string* why) {
    std::unique_lock lock(mu_);
    if (name_taken(sandboxes_, "Sandbox", rec.info.name, why)) return false;
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
    const sandbox_info added = rec.info;
    sandboxes_.emplace(std::move(id), std::move(rec));
    lock.unlock();
    if (observer_.sandbox) observer_.sandbox(nullptr, &added);
    return true;
}

std::optional<sandbox_record> store::find(std::string_view id_or_name) const {
    std::lock_guard lock(mu_);
    if (auto p = find_by_id_or_name(sandboxes_, id_or_name)) return *p;
    return std::nullopt;
}

std::optional<sandbox_info> store::modify(std::string_view id,
                                          const std::function<void(sandbox_info&)>& change) {
    std::unique_lock lock(mu_);
    auto it = sandboxes_.find(id);
    if (it == sandboxes_.end()) return std::nullopt;
    const sandbox_info before = it->second.info;
    change(it->second.info);
    persist(it->second);
    sandbox_info after = it->second.info;
    lock.unlock();
    if (observer_.sandbox) observer_.sandbox(&before, &after);
    return after;
}

bool store::erase(std::string_view id) {
    fs::path dir;
    std::optional<sandbox_info> before;
    {
        std::lock_guard lock(mu_);
        auto it = sandboxes_.find(id);
        if (it == sandboxes_.end()) return false;
        dir = it->second.dir;
        before = std::move(it->second.info);
        sandboxes_.erase(it);
    }
    if (observer_.sandbox) observer_.sandbox(&*before, nullptr);
    std::error_code ec;
    // The record first: a crash during the tree's removal must not bring the sandbox back.
    fs::remove(dir / "sandbox.json", ec);
    fs::remove_all(dir, ec);
    return true;
}

std::vector<sandbox_record> store::all() const {
    std::lock_guard lock(mu_);
    return values(sandboxes_);
}

bool store::insert_snapshot(snapshot_record s, std::string* why) {
    std::unique_lock lock(mu_);
    if (name_taken(snapshots_, "Snapshot", s.info.name, why)) return false;
    persist(s);
    auto id = s.info.id;
    const snapshot_info added = s.info;
    snapshots_.emplace(std::move(id), std::move(s));
    lock.unlock();
    if (observer_.snapshot) observer_.snapshot(nullptr, &added);
    return true;
}

std::optional<snapshot_record> store::find_snapshot(std::string_view key) const {
    std::lock_guard lock(mu_);
    if (auto p = find_by_id_or_name(snapshots_, key)) return *p;
    return std::nullopt;
}

std::optional<snapshot_info> store::modify_snapshot(
    std::string_view id, const std::function<void(snapshot_info&)>& change) {
    std::unique_lock lock(mu_);
    auto it = snapshots_.find(id);
    if (it == snapshots_.end()) return std::nullopt;
    const snapshot_info before = it->second.info;
    change(it->second.info);
    persist(it->second);
    snapshot_info after = it->second.info;
    lock.unlock();
    if (observer_.snapshot) observer_.snapshot(&before, &after);
    return after;
}

bool store::erase_snapshot(std::string_view id) {
    std::unique_lock lock(mu_);
    auto it = snapshots_.find(id);
    if (it == snapshots_.end()) return false;
    std::error_code ec;
    fs::remove(data_dir_ / "snapshots" / (it->first + ".json"), ec);
    fs::remove_all(snapshot_files(it->first), ec);
    fs::remove(data_dir_ / "snapshots" / (it->first + ".image.cfg"), ec);  // a built image's
    const snapshot_info before = std::move(it->second.info);
    snapshots_.erase(it);
    lock.unlock();
    if (observer_.snapshot) observer_.snapshot(&before, nullptr);
    return true;
}

std::vector<snapshot_record> store::snapshots() const {
    std::lock_guard lock(mu_);
    return values(snapshots_);
}

bool store::insert_volume(volume_record v, std::string* why) {
    std::unique_lock lock(mu_);
    if (name_taken(volumes_, "Volume", v.info.name, why)) return false;
    std::error_code ec;
    fs::create_directories(volume_dir(v.info.id), ec);
    if (ec) {
        if (why) *why = "cannot create volume directory: " + ec.message();
        return false;
    }
    persist(v);
    auto id = v.info.id;
    const volume_info added = v.info;
    volumes_.emplace(std::move(id), std::move(v));
    lock.unlock();
    if (observer_.volume) observer_.volume(nullptr, &added);
    return true;
}

std::optional<volume_record> store::find_volume(std::string_view key) const {
    std::lock_guard lock(mu_);
    if (auto p = find_by_id_or_name(volumes_, key)) return *p;
    return std::nullopt;
}

std::optional<volume_info> store::modify_volume(std::string_view id,
                                                const std::function<void(volume_info&)>& change) {
    std::unique_lock lock(mu_);
    auto it = volumes_.find(id);
    if (it == volumes_.end()) return std::nullopt;
    const volume_info before = it->second.info;
    change(it->second.info);
    persist(it->second);
    volume_info after = it->second.info;
    lock.unlock();
    if (observer_.volume) observer_.volume(&before, &after);
    return after;
}

bool store::erase_volume(std::string_view id) {
    std::optional<volume_info> before;
    {
        std::lock_guard lock(mu_);
        auto it = volumes_.find(id);
        if (it == volumes_.end()) return false;
        before = std::move(it->second.info);
        volumes_.erase(it);
    }
    if (observer_.volume) observer_.volume(&*before, nullptr);
    std::error_code ec;
    fs::remove_all(data_dir_ / "volumes" / std::string(id), ec);
    return true;
}

std::vector<volume_record> store::volumes() const {
    std::lock_guard lock(mu_);
    return values(volumes_);
}

}  // namespace daytona::emulator
