// SPDX-License-Identifier: Apache-2.0
// The emulator's persistent records: sandboxes, snapshots and volumes, kept in memory and as
// JSON under the data directory, so they survive a restart with the same --data-dir.
#ifndef DAYTONA_EMULATOR_STORE_HPP
#define DAYTONA_EMULATOR_STORE_HPP

#include <daytona/codec/sandbox.hpp>
#include <daytona/json/writer.hpp>
#include <daytona/models/sandbox.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace daytona::emulator {

namespace fs = std::filesystem;

/// One sandbox: its DTO and where its files live.
struct sandbox_record {
    sandbox_info info;
    /// <data-dir>/sandboxes/<id>: holds sandbox.json and fs/ (the sandbox's file system root).
    fs::path dir;
    /// The sandbox this one was forked from (empty if none); kept in <dir>/parent.
    std::string parent_id{};

    fs::path root() const { return dir / "fs"; }
    std::string user() const { return info.user.empty() ? "daytona" : info.user; }
    /// $HOME and the default working directory, as a sandbox path.
    std::string home_path() const { return "/home/" + user(); }
    fs::path home() const { return root() / "home" / user(); }
};

/// OpenAPI `SnapshotDto`.
struct snapshot_record {
    std::string id, name, image_name, state = "pending", created_at, updated_at;
    std::optional<std::string> error_reason, last_used_at;
    std::optional<std::string> dockerfile;
    std::vector<std::string> context_hashes, entrypoint, region_ids;
    double cpu = 1, gpu = 0, mem = 1, disk = 3;
    std::string sandbox_class = "container";
};

/// OpenAPI `VolumeDto`.
struct volume_record {
    std::string id, name, state = "ready", created_at, updated_at;
    std::optional<std::string> last_used_at, error_reason;
};

/**
 * \brief Thread-safe registry of the emulator's records.
 * \details Lookups return copies, so a handler never holds the lock while it awaits.
 */
class store {
public:
    /// Loads what is persisted under `data_dir`.
    explicit store(fs::path data_dir);

    const fs::path& data_dir() const noexcept { return data_dir_; }

    // --- sandboxes ---
    /// Adds a record, creating its directories. False (with `why`) if the name is taken.
    bool insert(sandbox_record rec, std::string* why);
    /// By id, or else by name.
    std::optional<sandbox_record> find(std::string_view id_or_name) const;
    /// Applies `change` to the stored DTO under the lock and persists it; the new DTO, or
    /// nullopt if there is no such sandbox.
    std::optional<sandbox_info> modify(std::string_view id,
                                       const std::function<void(sandbox_info&)>& change);
    /// Removes the record and deletes its directory tree.
    bool erase(std::string_view id);
    std::vector<sandbox_record> all() const;

    // --- snapshots (by id or name) ---
    bool insert_snapshot(snapshot_record s, std::string* why);
    std::optional<snapshot_record> find_snapshot(std::string_view id_or_name) const;
    std::optional<snapshot_record> modify_snapshot(
        std::string_view id, const std::function<void(snapshot_record&)>& change);
    bool erase_snapshot(std::string_view id);
    std::vector<snapshot_record> snapshots() const;
    /// Where a snapshot taken from a sandbox keeps its file tree (absent for other snapshots).
    fs::path snapshot_files(std::string_view id) const {
        return data_dir_ / "snapshots" / (std::string(id) + ".files");
    }

    // --- volumes (by id or name); each has a data directory ---
    bool insert_volume(volume_record v, std::string* why);
    std::optional<volume_record> find_volume(std::string_view id_or_name) const;
    bool erase_volume(std::string_view id);
    std::vector<volume_record> volumes() const;
    fs::path volume_dir(std::string_view id) const {
        return data_dir_ / "volumes" / std::string(id) / "data";
    }

private:
    void persist(const sandbox_record& rec) const;
    void persist(const snapshot_record& s) const;
    void persist(const volume_record& v) const;

    fs::path data_dir_;
    mutable std::mutex mu_;
    std::map<std::string, sandbox_record, std::less<>> sandboxes_;
    std::map<std::string, snapshot_record, std::less<>> snapshots_;
    std::map<std::string, volume_record, std::less<>> volumes_;
};

/// Writes a sandbox DTO the way the Daytona API does (every field the SDKs read). A list item
/// (`SandboxListItem`) leaves out env, volumes and buildInfo, as the API does.
void write_sandbox_json(json::writer& w, const sandbox_info& info, bool list_item = false);
void write_snapshot_json(json::writer& w, const snapshot_record& s, std::string_view organization);
void write_volume_json(json::writer& w, const volume_record& v, std::string_view organization);

/// Writes `text` to `path` atomically (temp file + rename).
bool write_file_atomically(const fs::path& path, std::string_view text);

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_STORE_HPP
