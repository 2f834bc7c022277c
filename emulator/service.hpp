// SPDX-License-Identifier: Apache-2.0
// The emulated Daytona: API routes (/api/...), toolbox routes (/toolbox/{id}/...), auth, rate
// limits and fault injection. Route bodies live in service_*.cpp and toolbox_*.cpp by area.
#ifndef DAYTONA_EMULATOR_SERVICE_HPP
#define DAYTONA_EMULATOR_SERVICE_HPP

#include "emulator.hpp"
#include "faults.hpp"
#include "http_server.hpp"
#include "runtime.hpp"
#include "store.hpp"
#include "util.hpp"

#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace daytona::emulator {

/// The decoded path segments of a request, as a view: routes pass sub-ranges on without copying.
using segments = std::span<const std::string>;

/// A state on the way to another (creating, stopping, forking, ...): no new change may start.
bool transitional(sandbox_state s);

class service final : public handler {
public:
    service(emulator_options opts, fs::path data_dir, bool tls);
    ~service() override;

    asio::awaitable<void> handle(exchange& ex) override;
    void set_port(std::uint16_t port) noexcept { port_ = port; }
    /// Ends every process of every sandbox.
    void shutdown();
    /// How processes are isolated, for the startup line.
    std::string isolation_summary() const;

private:
    // --- plumbing (service.cpp) ---
    static reply api_error(const exchange& ex, int status, std::string message);
    static reply toolbox_error(const exchange& ex, int status, std::string_view code,
                               std::string message, std::string_view source = "DAYTONA_DAEMON");
    static asio::awaitable<void> send(exchange& ex, reply r);
    bool authorized(const exchange& ex) const;
    /// The sandbox's preview token (made on first use).
    std::string preview_token(const std::string& sandbox_id);
    /// Whether the request carries this sandbox's preview token (header or query), which the
    /// proxy accepts instead of the API key.
    bool has_preview_token(const exchange& ex, const std::string& sandbox_id);
    std::string origin_of(const exchange& ex) const;
    template <class T>
    asio::awaitable<std::optional<T>> read_json(exchange& ex, bool toolbox_shape);
    std::shared_ptr<sandbox_runtime> runtime_of(const std::string& id);
    void forget_runtime(const std::string& id);
    std::string organization() const { return "emulator-organization"; }

    // --- /api: sandboxes (service_sandboxes.cpp) ---
    /// One step of a state change: the state, and what the DTO says the sandbox is heading to.
    struct state_step {
        std::string state;
        std::string desired;
        std::optional<std::string> error_reason{};
        bool recoverable = false;
    };
    asio::awaitable<void> api(exchange& ex, const segments& segs);
    asio::awaitable<void> sandbox_routes(exchange& ex, const segments& segs);
    asio::awaitable<void> create_sandbox(exchange& ex);
    asio::awaitable<void> list_sandboxes(exchange& ex);
    asio::awaitable<void> lifecycle(exchange& ex, const sandbox_record& rec,
                                    const std::string& action);
    /// The states a new sandbox goes through.
    static std::vector<state_step> creation_path(bool built, bool build_fails, bool start_fails);
    std::optional<std::vector<state_step>> plan_lifecycle(const exchange& ex,
                                                          const sandbox_record& rec,
                                                          const std::string& action, int& status,
                                                          std::string& message);
    std::optional<sandbox_info> apply_setting(const sandbox_record& rec, const std::string& what,
                                              const std::string& value, int& status,
                                              std::string& message);
    asio::awaitable<void> resize(exchange& ex, const sandbox_record& rec);
    asio::awaitable<void> setting(exchange& ex, const sandbox_record& rec, const std::string& what,
                                  const std::string& value);
    asio::awaitable<void> preview_routes(exchange& ex, const sandbox_record& rec,
                                         const segments& segs);
    asio::awaitable<void> sandbox_reply(exchange& ex, const sandbox_info& info, int status = 200);
    asio::awaitable<void> sandbox_not_found(exchange& ex, const std::string& id);
    std::string sandbox_json(const exchange& ex, sandbox_info info, bool list_item = false) const;
    /// Moves the sandbox along `path`; the last step is where it settles. Immediate without a
    /// state delay; otherwise the first step applies now and each next one after the delay.
    /// Returns the DTO after the steps applied now (nullopt once it is destroyed).
    std::optional<sandbox_info> transition(const asio::any_io_executor& exec, const std::string& id,
                                           std::vector<state_step> path);
    asio::awaitable<void> walk_states(std::string id, std::uint64_t generation, std::string current,
                                      std::vector<state_step> path);
    /// How long a state lasts with --state-delay-ms.
    std::chrono::milliseconds dwell(std::string_view state) const;
    std::optional<sandbox_info> apply_state(const std::string& id, const state_step& step);
    std::uint64_t begin_transition(const std::string& id);
    bool transition_current(const std::string& id, std::uint64_t generation);
    asio::awaitable<void> build_logs(exchange& ex, const std::string& kind, const std::string& id);

    // --- /api: forks and snapshots of a sandbox (service_forks.cpp) ---
    asio::awaitable<void> fork_sandbox(exchange& ex, const sandbox_record& rec);
    asio::awaitable<void> snapshot_sandbox(exchange& ex, const sandbox_record& rec);
    /// GET forks | parent | ancestors.
    asio::awaitable<void> sandbox_family(exchange& ex, const sandbox_record& rec,
                                         const std::string& which);
    /// Copies a file tree (cp -a, reflinks where the file system has them); "" or why not.
    static asio::awaitable<std::string> copy_tree(fs::path from, fs::path to);
    /// copy_tree of the sandbox's root while it shows `busy_state` (forking, snapshotting);
    /// its state is put back afterwards.
    asio::awaitable<std::string> copy_showing(const sandbox_record& rec, std::string busy_state,
                                              fs::path to);
    /// 400/409 unless the sandbox is started or stopped with no change under way.
    static std::optional<reply> refuse_unless_settled(const exchange& ex, const sandbox_record& rec,
                                                      std::string_view action);

    // --- preview URLs (preview_proxy.cpp) ---
    /// "{port}-{key}" when the request's Host is a preview host under the proxy domain.
    std::optional<std::string> preview_label(const exchange& ex) const;
    /// Relays the request to the sandbox port the label names.
    asio::awaitable<void> preview_proxy(exchange& ex, const std::string& label);
    /// The preview host for a port and a sandbox id or signed token, with scheme and port.
    std::string preview_origin(std::string_view port, std::string_view key) const;

    // --- /api: snapshots, volumes (service_registry.cpp) ---
    asio::awaitable<void> snapshot_routes(exchange& ex, const segments& segs);
    asio::awaitable<void> volume_routes(exchange& ex, const segments& segs);
    asio::awaitable<void> walk_snapshot(std::string id, std::vector<std::string> states,
                                        std::optional<std::string> error_reason);

    // --- /toolbox/{id} (toolbox_*.cpp) ---
    asio::awaitable<void> toolbox(exchange& ex, const segments& segs);
    asio::awaitable<void> process_routes(exchange& ex, const sandbox_record& rec,
                                         const segments& rest);
    asio::awaitable<void> execute(exchange& ex, const sandbox_record& rec);
    asio::awaitable<void> code_run(exchange& ex, const sandbox_record& rec);
    asio::awaitable<void> session_routes(exchange& ex, const sandbox_record& rec,
                                         const segments& rest);
    asio::awaitable<void> session_exec(exchange& ex, const sandbox_record& rec,
                                       std::shared_ptr<session> s);
    asio::awaitable<void> session_logs(exchange& ex, std::shared_ptr<session> s,
                                       std::shared_ptr<session_command> c);
    std::shared_ptr<session> start_session(const asio::any_io_executor& exec,
                                           const sandbox_record& rec, const std::string& id,
                                           std::string& why);
    static asio::awaitable<void> watch_session(std::shared_ptr<session> s, spawned shell);
    static void write_session_json(json::writer& w, session& s);
    /// `Command {id, command, exitCode}`; the caller holds the session's lock.
    static void write_command_json(json::writer& w, const session_command& c);
    /// Reads (and answers pings on) a WebSocket until the client closes it.
    static asio::awaitable<void> drain_client(std::shared_ptr<ws_session> ws);
    static asio::awaitable<void> stream_log(std::shared_ptr<ws_session> ws,
                                            std::shared_ptr<session> s,
                                            std::shared_ptr<session_command> c, bool follow,
                                            bool strip);
    asio::awaitable<void> pty_routes(exchange& ex, const sandbox_record& rec, const segments& rest);
    /// Validates and registers a PTY (not started yet); an error reply if it cannot be.
    std::optional<reply> new_pty(const exchange& ex, const sandbox_record& rec,
                                 std::shared_ptr<pty_session>& out, std::string id,
                                 std::string_view cwd, std::map<std::string, std::string> envs,
                                 std::optional<std::int64_t> cols, std::optional<std::int64_t> rows,
                                 bool lazy_start);
    /// Opens the terminal and starts the shell; the caller holds the session's lock.
    bool start_pty(const asio::any_io_executor& exec, const sandbox_record& rec,
                   const std::shared_ptr<pty_session>& session, std::string& why);
    std::shared_ptr<pty_session> shared_from_pty(const sandbox_record& rec, const std::string& id);
    void forget_pty(const sandbox_record& rec, const std::string& id);
    static void write_pty_json(json::writer& w, pty_session& p);
    /// Accepts the WebSocket and attaches it to the PTY (starting a lazy one) until either
    /// side ends. `created_here`: the PTY was made for this request (create-connect).
    asio::awaitable<void> pty_attach(exchange& ex, const sandbox_record& rec,
                                     std::shared_ptr<pty_session> p, bool exit_control,
                                     std::string protocol, bool created_here);
    asio::awaitable<void> interpreter_routes(exchange& ex, const sandbox_record& rec,
                                             const segments& rest);
    asio::awaitable<void> interpreter_execute(exchange& ex, const sandbox_record& rec);
    /// (Re)starts the context's python3 driver.
    bool start_interpreter(const sandbox_record& rec, interpreter_context& ctx, std::string& why);
    static void write_context_json(json::writer& w, const interpreter_context& c);
    asio::awaitable<void> file_routes(exchange& ex, const sandbox_record& rec,
                                      const segments& rest);
    asio::awaitable<void> bulk_upload(exchange& ex, const sandbox_record& rec);
    asio::awaitable<void> single_upload(exchange& ex, const sandbox_record& rec, bool v2);
    asio::awaitable<void> replace_in_files(exchange& ex, const sandbox_record& rec);
    asio::awaitable<void> download(exchange& ex, const fs::path& host, const std::string& shown);
    void write_file_info(json::writer& w, const sandbox_record& rec, const fs::path& host,
                         std::string_view name) const;
    asio::awaitable<void> bulk_download(exchange& ex, const sandbox_record& rec);
    asio::awaitable<void> git_routes(exchange& ex, const sandbox_record& rec, const segments& rest);
    asio::awaitable<void> lsp_routes(exchange& ex, const sandbox_record& rec, const segments& rest);
    asio::awaitable<void> port_routes(exchange& ex, const sandbox_record& rec,
                                      const segments& rest);
    /// Starts the language server process (not yet initialized).
    bool start_lsp(const sandbox_record& rec, lsp_server& srv, std::string& why);
    /// A client's `file://` URI (a sandbox path) as the server sees it, and back.
    std::string lsp_uri_to_server(const sandbox_record& rec, std::string_view uri) const;
    std::string lsp_uri_from_server(const sandbox_record& rec, std::string_view uri) const;
    asio::awaitable<run_outcome> run_git(const sandbox_record& rec, std::string_view cwd,
                                         std::vector<std::string> args);

    // --- sandboxes as processes see them (toolbox_process.cpp) ---
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
    /// argv/env/cwd/mounts for a process of this sandbox.
    /// Creates each volume's mount point in the sandbox tree (a directory to bind-mount on, or a
    /// symbolic link to the volume without namespaces).
    void prepare_volumes(const sandbox_record& rec) const;
    /// The host directory a volume mount shows: the volume's directory, or its subpath.
    fs::path volume_source(const volume_mount& m) const;
    spawn_spec process_spec(const sandbox_record& rec, std::vector<std::string> argv,
                            std::string_view cwd,
                            const std::map<std::string, std::string>& extra_env) const;

    emulator_options opts_;
    store store_;
    bool tls_ = false;
    std::atomic<std::uint16_t> port_{0};
    bool namespaces_ = false;
    std::string namespace_reason_;
    fault_injector faults_;
    rate_limiter limits_;
    std::mutex runtimes_mu_;
    std::map<std::string, std::shared_ptr<sandbox_runtime>> runtimes_;
    // Preview tokens: one per sandbox (preview-url; also accepted by the toolbox as
    // X-Daytona-Preview-Token), and signed preview URLs by token.
    std::mutex previews_mu_;
    std::map<std::string, std::string> preview_tokens_;  // sandbox id -> token
    struct signed_preview {
        std::string sandbox_id;
        int port;
        std::int64_t expires_at;  // unix seconds
    };
    std::map<std::string, signed_preview> signed_previews_;  // token -> link
    // A counter per sandbox: a new state change makes an older one still walking stop.
    std::mutex transitions_mu_;
    std::map<std::string, std::uint64_t> transitions_;
};

// Defined here because every route file reads JSON bodies.
template <class T>
inline asio::awaitable<std::optional<T>> service::read_json(exchange& ex, bool toolbox_shape) {
    auto r = co_await ex.read_body();
    if (!r) {
        const bool too_large = r.error() == errc::body_too_large;
        const int status = too_large ? 413 : 400;
        ex.close_after();
        // Named first: GCC 12 destroys a class temporary created inside a co_await twice.
        reply failure =
            toolbox_shape
                ? toolbox_error(ex, status, too_large ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST",
                                r.error().message())
                : api_error(ex, status, r.error().message());
        co_await send(ex, std::move(failure));
        co_return std::nullopt;
    }
    auto& body = ex.request().body;
    if (detail::trim(body).empty()) body = "{}";
    auto decoded = json::decode<T>(body, "body");
    if (!decoded) {
        reply failure = toolbox_shape ? toolbox_error(ex, 400, "INVALID_REQUEST_BODY",
                                                      decoded.error().message())
                                      : api_error(ex, 400, decoded.error().message());
        co_await send(ex, std::move(failure));
        co_return std::nullopt;
    }
    co_return std::move(*decoded);
}

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_SERVICE_HPP
