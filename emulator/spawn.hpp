// SPDX-License-Identifier: Apache-2.0
// Starting sandbox processes: own process group (or session, for a PTY), chosen file
// descriptors, and, where the machine allows it, a private mount namespace in which the
// sandbox's directories are bind-mounted over /home and /tmp.
#ifndef DAYTONA_EMULATOR_SPAWN_HPP
#define DAYTONA_EMULATOR_SPAWN_HPP

#include "fd.hpp"

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace daytona::emulator {

/// A host directory bind-mounted over a path inside the sandbox's mount namespace.
struct bind_mount {
    std::string source;  ///< host path
    std::string target;  ///< path as processes in the sandbox see it
};

/// One step of preparing a process's own root, run in its private mount namespace before the
/// bind mounts: mount(2) with these arguments, or creating a directory, an empty file (to bind a
/// device node on) or a symbolic link. Paths are host paths.
struct setup_step {
    enum kind_t { mount, make_dir, make_file, make_symlink } kind = mount;
    std::string source{};  ///< mount source, or the link's target
    std::string target{};
    std::string fstype{};
    unsigned long flags = 0;
    std::string data{};
};

/// The PATH a Debian container image sets: what sandbox processes and build steps get, never this
/// host's (which may hold version-manager shims or home directories).
inline constexpr const char* container_path =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The user a process becomes once in its root (an image's USER).
struct process_identity {
    uid_t uid = 0;
    gid_t gid = 0;
    /// Supplementary groups.
    std::vector<gid_t> groups{};
};

struct spawn_spec {
    /// argv[0] is looked up as given (use absolute paths).
    std::vector<std::string> argv;
    /// "NAME=value" entries: the whole environment.
    std::vector<std::string> env;
    /// Working directory, as the process sees it (inside the namespace when there is one).
    std::string cwd;
    /// File descriptors for the child's 0, 1, 2 (-1: /dev/null). Extra descriptors to pass on,
    /// as (parent fd, child fd) pairs.
    int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
    std::vector<std::pair<int, int>> extra_fds;
    /// Mounts for the private namespace; empty means no namespace.
    std::vector<bind_mount> mounts;
    /// Steps run first in the private namespace (an overlay root, its /proc and /dev).
    std::vector<setup_step> setup;
    /// After the mounts, the process's root becomes this host directory (empty: the host's).
    std::string chroot_dir;
    /// After entering the root (and before changing to `cwd`), become this user: its groups,
    /// then its gid, then its uid. Unset: the emulator's own user.
    std::optional<process_identity> identity{};
    /// When not empty, spawn_process starts nothing and fails with this reason (a process that
    /// must not run, e.g. as a user its root does not know).
    std::string refusal{};
    /// A PID namespace of its own (the process is its pid 1; a fresh /proc shows only its tree).
    bool new_pid_namespace = false;
    /// Make the child a session leader with this terminal (a PTY slave) as its controlling tty.
    int controlling_tty = -1;
};

/// A started child: the leader of its own process group (or terminal session).
struct spawned {
    pid_t pid = -1;
    /// A pidfd for the child (empty on kernels without pidfd_open).
    unique_fd pidfd{};
};

/// Starts the process. On failure returns pid -1 and sets `error` to the reason.
spawned spawn_process(const spawn_spec& spec, std::string& error);

/// SIGKILLs the process group `pid` leads and reaps the leader; `pid` becomes -1. Nothing
/// happens when it is not positive.
void end_process_group(pid_t& pid);

/// Whether this machine lets the emulator create private mount namespaces (root, or
/// unprivileged user namespaces). Probed once.
bool mount_namespaces_available(std::string* why_not = nullptr);

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_SPAWN_HPP
