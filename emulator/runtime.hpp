// SPDX-License-Identifier: Apache-2.0
// What a running sandbox has besides its files: process groups, persistent shell sessions,
// PTYs and code-interpreter contexts. Stopping or deleting the sandbox ends all of them.
#ifndef DAYTONA_EMULATOR_RUNTIME_HPP
#define DAYTONA_EMULATOR_RUNTIME_HPP

#include "fd.hpp"
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
    unique_fd stdin_fd;  ///< write end of the command's stdin FIFO (async commands)
    std::optional<int> exit_code;
};

/// A persistent shell: commands are written to its stdin, so cd and exports carry over.
struct session {
    std::string id;
    pid_t pid = -1;
    unique_fd stdin_fd;
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
    unique_fd master_fd;
    pid_t pid = -1;
    std::optional<int> exit_code;
    std::mutex mu;
    /// Attached clients, with whether each negotiated the exit-control message.
    std::vector<std::pair<std::weak_ptr<ws_session>, bool>> clients;
};

/// A persistent python3 driver that keeps its variables between executions. It reads one JSON
/// request per line on fd 4, runs the code with fds 1 and 2 as the code's stdout and stderr,
/// and reports errors and the end of each execution as JSON lines on fd 3.
struct interpreter_context {
    std::string id, cwd, language = "python", created_at;
    pid_t pid = -1;            ///< -1 until started, and again once it has died
    unique_fd requests;        ///< write end of the driver's fd 4
    unique_fd control;         ///< read end of its fd 3
    unique_fd out, err;        ///< read ends of its stdout and stderr
    std::string control_tail;  ///< control bytes read but not yet a whole line
    /// One execution at a time; the next one waits. Guarded by the sandbox runtime's `mu`.
    bool busy = false;

    interpreter_context() = default;
    interpreter_context(const interpreter_context&) = delete;
    interpreter_context& operator=(const interpreter_context&) = delete;
    /// Kills and reaps the driver, closes the pipes.
    ~interpreter_context() { stop(); }
    void stop();
};

/// A language server (stdio JSON-RPC) for one language and project directory.
struct lsp_server {
    std::string language, project;  ///< as the client named them (project: sandbox path)
    pid_t pid = -1;
    unique_fd to_server, from_server;
    std::string inbox;  ///< bytes read but not yet a whole message
    std::int64_t next_id = 1;
    std::set<std::string> open_documents;  ///< URIs as the client gave them
    /// One request at a time; guarded by the sandbox runtime's `mu`.
    bool busy = false;

    lsp_server() = default;
    lsp_server(const lsp_server&) = delete;
    lsp_server& operator=(const lsp_server&) = delete;
    ~lsp_server() { stop(); }
    /// Kills and reaps the server, closes the pipes.
    void stop();
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
    /// By "<languageId> <pathToProject>".
    std::map<std::string, std::shared_ptr<lsp_server>> lsp_servers;
};

/// Waits until `busy` (guarded by `mu`) is false, then sets it: one request at a time for a
/// process that serves requests in order (an interpreter context, a language server). Polls
/// every 20 ms; the caller clears `busy` (under `mu`) when done.
asio::awaitable<void> take_turn(std::mutex& mu, bool& busy);

/// Sends `sig` to every process in the terminal session led by `sid` (a PTY's shell and the
/// jobs it started in their own process groups). Returns how many were signalled.
int signal_terminal_session(pid_t sid, int sig);

/// TCP ports (IPv4 or IPv6) on which a process of the sandbox listens, ascending. A process
/// belongs to the sandbox when its environment carries DAYTONA_SANDBOX_ID=<id>, which every
/// process the emulator starts for it has and its children inherit (also daemons that left
/// their parent's process group).
std::vector<int> sandbox_listening_ports(std::string_view sandbox_id);

/// Splits a labelled log into stdout and stderr (the daemon's DemuxLogBytes): bytes after a
/// 01 01 01 marker are stdout, after 02 02 02 stderr; bytes before any marker are dropped.
void demux_log(std::string_view log, std::string& out, std::string& err);
/// The log with the markers removed (stdout and stderr interleaved).
std::string strip_markers(std::string_view log);

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_RUNTIME_HPP
