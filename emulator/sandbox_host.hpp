// SPDX-License-Identifier: Apache-2.0
// How a sandbox's paths and processes map onto the host: sandbox paths to host paths (never
// leaving the sandbox or its volumes), and the argv/env/cwd/mounts of a sandbox process.
#ifndef DAYTONA_EMULATOR_SANDBOX_HOST_HPP
#define DAYTONA_EMULATOR_SANDBOX_HOST_HPP

#include "image_build.hpp"
#include "runtime.hpp"
#include "spawn.hpp"
#include "store.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daytona::emulator {

/// An image's USER as the image's root knows it.
struct image_user {
    /// The user's name ("1000" for a uid the passwd file does not name).
    std::string name;
    process_identity identity;
    /// The home directory the passwd file gives; empty when it names none.
    std::string home;
};

/// Resolves a Dockerfile USER ("name", "uid", "name:group", "uid:gid") against the passwd and
/// group files of a root whose upper layer is `upper` over the host's / (the upper layer's file,
/// when it has one, hides the host's). nullopt with `why` for a name neither file knows.
std::optional<image_user> resolve_image_user(const fs::path& upper, std::string_view user,
                                             std::string* why = nullptr);

class sandbox_host {
public:
    /// `namespaces`: sandbox processes get private mount namespaces (see spawn.hpp).
    /// `host_dirs`: see emulator_options::host_dirs (those that exist now are kept).
    sandbox_host(const store& records, bool namespaces,
                 const std::vector<fs::path>& host_dirs = {});

    bool namespaces() const noexcept { return namespaces_; }
    /// A sandbox path (absolute, or relative to the home directory) as a host path; nullopt
    /// if it leaves the sandbox (after following symlinks). `why` says which.
    std::optional<fs::path> host_path(const sandbox_record& rec, std::string_view p,
                                      std::string* why = nullptr) const;
    /// A host path inside the sandbox as the sandbox sees it ("/home/daytona/x").
    std::string sandbox_path(const sandbox_record& rec, const fs::path& host) const;
    /// A sandbox path as a process spawned for the sandbox sees it (differs without namespaces).
    std::string process_path(const sandbox_record& rec, std::string_view sandbox_abs) const;
    /// Normalised absolute sandbox path for `p` (relative paths start at the home directory).
    static std::string absolute_in_sandbox(const sandbox_record& rec, std::string_view p);
    /// Creates each volume's mount point in the sandbox tree (a directory to bind-mount on, or a
    /// symbolic link to the volume without namespaces).
    void prepare_volumes(const sandbox_record& rec) const;
    /// The host directory a volume mount shows: the volume's directory, or its subpath.
    fs::path volume_source(const volume_mount& m) const;
    /// The settings of the image the sandbox was built from (`<dir>/image.cfg`); nullopt for a
    /// sandbox that was not, or when builds do not run for real here.
    std::optional<image_config> image_of(const sandbox_record& rec) const;
    /// Whether processes of this sandbox run in a root of their own: an overlay whose lower
    /// layer is the host's / and whose upper layer is the sandbox's tree (image-built sandboxes).
    bool own_root(const sandbox_record& rec) const;
    /// argv/env/cwd/mounts for a process of this sandbox; in an image with USER the process
    /// runs as that user (a spec with a refusal when the image's root does not know it).
    spawn_spec process_spec(const sandbox_record& rec, std::vector<std::string> argv,
                            std::string_view cwd,
                            const std::map<std::string, std::string>& extra_env) const;

    /// Gives `p` to the user the sandbox's processes run as (the image's USER), for files the
    /// emulator makes that those processes write (a session's directory and logs); nothing
    /// happens for other sandboxes.
    void hand_over(const sandbox_record& rec, const fs::path& p) const;
    /// Starts the image's ENTRYPOINT followed by its CMD (CMD alone when there is no
    /// ENTRYPOINT) as the runtime's "entrypoint" session: one command whose output goes to a
    /// labelled log as a session command's does. Nothing happens when the image sets neither
    /// or the session exists already (a resized sandbox keeps its entrypoint running). The
    /// process is not the emulator's child: the runtime's kill_all ends its process group.
    void start_entrypoint(const sandbox_record& rec, sandbox_runtime& rt) const;

private:
    /// Binds each of hidden_host_dirs_ into the sandbox's tree (read-only), so that the /home
    /// and /tmp binds carry it.
    void add_host_dirs(const sandbox_record& rec, spawn_spec& spec) const;

    const store& records_;
    bool namespaces_;
    /// The host_dirs that a sandbox's own /home or /tmp would hide (absolute, normalised,
    /// existing when the emulator started); the others are visible anyway.
    std::vector<fs::path> hidden_host_dirs_;
};

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_SANDBOX_HOST_HPP
