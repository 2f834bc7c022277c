// SPDX-License-Identifier: Apache-2.0
// What a running sandbox has besides its files: process groups, persistent shell sessions,
// PTYs and code-interpreter contexts. Stopping or deleting the sandbox ends all of them.
#ifndef DAYTONA_EMULATOR_RUNTIME_HPP
#define DAYTONA_EMULATOR_RUNTIME_HPP

#include "process_runner.hpp"
#include "websocket_session.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace daytona::emulator {

namespace fs = std::filesystem;

/// One command run in a session. Its output is a log file of labelled lines (01 01 01 for
/// stdout, 02 02 02 for stderr), written by the session shell as the command runs.
struct session_command {
    std::string id;
    std::string command;
    bool async = false;
    fs::path log;        ///< host path of the labelled log
    fs::path exit_file;  ///< host path where the shell writes the exit code when done
    int stdin_fd = -1;   ///< write end of the command's stdin FIFO (async commands)
    std::optional<int> exit_code;
};

/// A persistent shell: commands are written to its stdin, so cd and exports carry over.
struct session {
    std::string id;
    pid_t pid = -1;
    int stdin_fd = -1;
    fs::path dir;           ///< host path of the session's files
    std::string shell_dir;  ///< the same directory as the shell sees it
    std::mutex mu;
    std::vector<std::shared_ptr<session_command>> commands;
    bool ended = false;
    std::optional<int> shell_exit;

    /// Checks the exit files of unfinished commands; returns the command with `id`, if any.
    std::shared_ptr<session_command> find(std::string_view id);
    void refresh();
};

/// A pseudo-terminal running an interactive shell, with any number of attached WebSockets.
struct pty_session {
    std::string id, cwd, created_at;
    std::map<std::string, std::string> envs;
    int cols = 80, rows = 24;
    bool lazy_start = false;
    bool started = false;
    bool active = false;
    int master_fd = -1;
    pid_t pid = -1;
    std::optional<int> exit_code;
    std::mutex mu;
    /// Attached clients, with whether each negotiated the exit-control message.
    std::vector<std::pair<std::weak_ptr<ws_session>, bool>> clients;
};

/// A persistent python3 process that keeps its variables between executions.
struct interpreter_context {
    std::string id, cwd, language = "python", created_at;
    pid_t pid = -1;
    int to_child = -1;    ///< its stdin
    int from_child = -1;  ///< its stdout (JSON lines)
    std::string pending;  ///< bytes read but not yet a whole line
    std::mutex busy;      ///< one execution at a time
};

/**
 * \brief The live state of one sandbox.
 * \details Thread-safe: the maps are guarded by `mu`; each entry has its own lock.
 */
class sandbox_runtime final : public process_tracker {
public:
    void started(pid_t pgid) override;
    /// The leader exited; the group is forgotten only once nothing in it is left (a command's
    /// background children live on in its group until the sandbox stops).
    void ended(pid_t pgid) override;
    /// SIGKILLs every process group the sandbox started and forgets sessions, PTYs and contexts.
    void kill_all();

    std::mutex mu;
    std::set<pid_t> groups;
    std::map<std::string, std::shared_ptr<session>> sessions;
    std::map<std::string, std::shared_ptr<pty_session>> ptys;
    std::map<std::string, std::shared_ptr<interpreter_context>> contexts;
};

/// Splits a labelled log into stdout and stderr (the daemon's DemuxLogBytes): bytes after a
/// 01 01 01 marker are stdout, after 02 02 02 stderr; bytes before any marker are dropped.
void demux_log(std::string_view log, std::string& out, std::string& err);
/// The log with the markers removed (stdout and stderr interleaved).
std::string strip_markers(std::string_view log);

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_RUNTIME_HPP
