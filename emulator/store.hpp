// SPDX-License-Identifier: Apache-2.0
// The emulator's sandboxes: records in memory, persisted as JSON under the data directory, each
// with a directory tree of its own.
#ifndef DAYTONA_EMULATOR_STORE_HPP
#define DAYTONA_EMULATOR_STORE_HPP

#include <daytona/models/sandbox.hpp>

#include <filesystem>
#include <map>
#include <memory>
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

    fs::path root() const { return dir / "fs"; }
    /// $HOME and the default working directory: /home/<user> inside the root.
    fs::path home() const { return root() / "home" / (info.user.empty() ? "daytona" : info.user); }
};

/**
 * \brief Thread-safe registry of sandboxes.
 * \details Lookups return copies, so a handler never holds the lock while it awaits.
 */
class store {
public:
    /// Loads any sandboxes persisted under `data_dir` (they survive an emulator restart).
    explicit store(fs::path data_dir);

    const fs::path& data_dir() const noexcept { return data_dir_; }

    /// Adds a record, creating its directories. False if the name is taken.
    bool insert(sandbox_record rec, std::string* why);
    /// By id, or else by name.
    std::optional<sandbox_record> find(std::string_view id_or_name) const;
    /// Replaces the stored DTO (and persists it).
    void update(const sandbox_info& info);
    /// Removes the record and deletes its directory tree.
    bool erase(std::string_view id);
    std::vector<sandbox_record> all() const;

private:
    void persist(const sandbox_record& rec) const;

    fs::path data_dir_;
    mutable std::mutex mu_;
    std::map<std::string, sandbox_record, std::less<>> by_id_;
};

/// Writes a sandbox DTO the way the Daytona API does (every field the SDKs read).
void write_sandbox_json(std::string& out, const sandbox_info& info);

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_STORE_HPP
