// SPDX-License-Identifier: Apache-2.0
// The emulator's persistent records: sandboxes, snapshots and volumes, kept in memory and as
// JSON under the data directory, so they survive a restart with the same --data-dir. Each record
// holds the library's model of its DTO, and its file is that DTO as the library's codec writes
// it.
#ifndef DAYTONA_EMULATOR_STORE_HPP
#define DAYTONA_EMULATOR_STORE_HPP

#include <daytona/models/sandbox.hpp>
#include <daytona/models/snapshot.hpp>
#include <daytona/models/volume.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
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
    /// Links to the temporary files of uploads still being written, so that a restart after a
    /// crash can remove what they left (the sandbox's processes can't reach it).
    fs::path uploads_in_flight() const { return dir / "uploads"; }
    std::string user() const { return info.user.empty() ? "daytona" : info.user; }
    /// $HOME and the default working directory, as a sandbox path.
    std::string home_path() const { return "/home/" + user(); }
    fs::path home() const { return root() / "home" / user(); }
};

/// The organization every record belongs to (the emulator has one).
inline constexpr std::string_view organization_id = "emulator-organization";

/// One snapshot: its DTO. A snapshot taken from a sandbox also has a file tree
/// (store::snapshot_files); the Dockerfile of a built one is in `info.build_info`.
struct snapshot_record {
    snapshot_info info;
};

/// One volume: its DTO. Its files are in store::volume_dir.
struct volume_record {
    volume_info info;
};

/// What the store reports after a record changed, outside its lock: `before` is null for a new
/// record, `after` null for a removed one. Set once, before the server runs.
struct store_observer {
    std::function<void(const sandbox_info* before, const sandbox_info* after)> sandbox;
    std::function<void(const snapshot_info* before, const snapshot_info* after)> snapshot;
    std::function<void(const volume_info* before, const volume_info* after)> volume;
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
    void observe(store_observer o) { observer_ = std::move(o); }

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
    /// Like modify(): the new DTO, or nullopt if there is no such snapshot.
    std::optional<snapshot_info> modify_snapshot(std::string_view id,
                                                 const std::function<void(snapshot_info&)>& change);
    bool erase_snapshot(std::string_view id);
    std::vector<snapshot_record> snapshots() const;
    /// Where a snapshot taken from a sandbox keeps its file tree (absent for other snapshots).
    fs::path snapshot_files(std::string_view id) const {
        return data_dir_ / "snapshots" / (std::string(id) + ".files");
    }

    // --- volumes (by id or name); each has a data directory ---
    bool insert_volume(volume_record v, std::string* why);
    std::optional<volume_record> find_volume(std::string_view id_or_name) const;
    /// Like modify(): the new DTO, or nullopt if there is no such volume.
    std::optional<volume_info> modify_volume(std::string_view id,
                                             const std::function<void(volume_info&)>& change);
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
    store_observer observer_;
    mutable std::mutex mu_;
    std::map<std::string, sandbox_record, std::less<>> sandboxes_;
    std::map<std::string, snapshot_record, std::less<>> snapshots_;
    std::map<std::string, volume_record, std::less<>> volumes_;
};

/// Writes `text` to `path` atomically (temp file + rename).
bool write_file_atomically(const fs::path& path, std::string_view text);

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_STORE_HPP
