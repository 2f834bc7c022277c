// SPDX-License-Identifier: Apache-2.0
// /toolbox/{id}/process/pty/...: pseudo-terminals, created by POST and connected over a
// WebSocket, or both at once with create-connect (what the TS SDK 0.218 uses).
//
// A PTY is an interactive login bash on a real pseudo-terminal. One coroutine per PTY reads the
// master side and copies the output to every attached WebSocket; each WebSocket's handler
// writes what its client types into the master. When the shell exits, the output still in the
// terminal is delivered first, then every client gets the `exited` control message (if it
// negotiated X-Daytona-Pty-Exit-Control) and a close frame whose reason carries the exit code.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/codec/pty.hpp>

#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>
#include <daytona/net/crypto.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace daytona::emulator {

namespace pty_impl {

constexpr std::int64_t max_dimension = 1000;
/// Messages a client may have waiting before it is dropped as a slow consumer (the daemon's
/// queue size).
constexpr std::size_t max_client_backlog = 256;

/// Why a shell ended, in the daemon's words; empty for a clean exit.
std::string exit_reason(int code) {
    if (code == 0) return {};
    if (code == 130) return "Ctrl+C";
    if (code == 137) return "SIGKILL";
    if (code == 143) return "SIGTERM";
    if (code > 128) return "signal " + std::to_string(code - 128);
    return "non-zero exit";
}

/// The daemon answers with the exit-control token when it is offered; otherwise accept() echoes
/// the first offer.
std::string chosen_protocol(const std::vector<std::string>& offered, bool& exit_control) {
    exit_control =
        std::find(offered.begin(), offered.end(), pty_protocol::exit_control) != offered.end();
    return exit_control ? std::string(pty_protocol::exit_control) : std::string();
}

/// A dimension from the request: the default when absent, nullopt when out of range.
std::optional<int> dimension(std::optional<std::int64_t> v, int fallback) {
    if (!v) return fallback;
    if (*v < 1 || *v > max_dimension) return std::nullopt;
    return static_cast<int>(*v);
}

void apply_window_size(int master_fd, int cols, int rows) {
    winsize size{};
    size.ws_col = static_cast<unsigned short>(cols);
    size.ws_row = static_cast<unsigned short>(rows);
    // The kernel sends SIGWINCH to the terminal's foreground process group.
    ::ioctl(master_fd, TIOCSWINSZ, &size);
}

/// Output for every attached client; drops the ones that are gone or cannot keep up.
void broadcast_output(pty_session& p, std::string_view chunk) {
    std::vector<std::shared_ptr<ws_session>> targets;
    {
        std::lock_guard lock(p.mu);
        std::erase_if(p.clients, [&](const auto& client) {
            auto ws = client.first.lock();
            if (!ws) return true;
            if (ws->backlog() > max_client_backlog) {
                ws->close(1008, "slow consumer");
                return true;
            }
            targets.push_back(std::move(ws));
            return false;
        });
    }
    for (auto& ws : targets)
        ws->send_binary(std::string(chunk));
}

/// Tells one client that the shell ended: the control message (if negotiated), then the close.
void send_exit(ws_session& ws, bool exit_control, int code) {
    auto reason = exit_reason(code);
    std::optional<std::string> why;
    if (!reason.empty()) why = std::move(reason);
    if (exit_control)
        ws.send_text(api::to_json_body(pty_protocol::control_message{
            .type = "control", .status = "exited", .exit_code = code, .exit_reason = why}));
    ws.close(code == 0 ? 1000 : 1011,
             api::to_json_body(pty_protocol::close_reason{.exit_code = code, .exit_reason = why}));
}

/// The master side of one PTY as the pump and the reaper share it (both on one strand).
struct pty_io {
    pty_io(const asio::any_io_executor& ex, int master) : master(ex, master), linger(ex) {}
    asio::posix::stream_descriptor master;
    asio::steady_timer linger;
    bool pump_done = false;
    std::array<char, 16384> buf;
};

/// Copies terminal output to the clients until the terminal hangs up (EIO once no process
/// holds the slave side) or the reaper gives up waiting for that.
asio::awaitable<void> pump(std::shared_ptr<pty_session> p, std::shared_ptr<pty_io> io) {
    for (;;) {
        std::error_code ec;
        auto n = co_await io->master.async_read_some(asio::buffer(io->buf), net::redirect(ec));
        if (ec) break;
        broadcast_output(*p, std::string_view(io->buf.data(), n));
    }
    io->pump_done = true;
    io->linger.cancel();
}

/// Waits for the shell to exit and records its exit code.
asio::awaitable<void> reap(std::shared_ptr<pty_session> p, std::shared_ptr<pty_io> io,
                           spawned shell) {
    const pid_t pid = shell.pid;
    const int code = co_await wait_for_exit(std::move(shell));
    {
        std::lock_guard lock(p->mu);
        p->exit_code = code;
        p->active = false;
    }
    // As a terminal does when its controlling process exits: the rest of the session gets a
    // hangup, so jobs left running let go of the terminal and the pump sees its end.
    signal_terminal_session(pid, SIGHUP);
    if (!io->pump_done) {
        io->linger.expires_after(std::chrono::seconds(1));
        std::error_code ec;
        co_await io->linger.async_wait(net::redirect(ec));
    }
    if (!io->pump_done) io->master.cancel();
}

/// Runs until the shell has exited and every byte it wrote was delivered, then tells the clients.
asio::awaitable<void> run_pty(std::shared_ptr<pty_session> p, int master_dup, spawned shell) {
    auto io = std::make_shared<pty_io>(co_await asio::this_coro::executor, master_dup);
    {
        using namespace asio::experimental::awaitable_operators;
        auto pumping = pump(p, io);
        auto reaping = reap(p, io, std::move(shell));
        co_await (std::move(pumping) && std::move(reaping));
    }
    std::vector<std::pair<std::weak_ptr<ws_session>, bool>> clients;
    int code = 0;
    {
        std::lock_guard lock(p->mu);
        clients.swap(p->clients);
        code = p->exit_code.value_or(0);
        p->master_fd.reset();
    }
    for (auto& [weak, exit_control] : clients)
        if (auto ws = weak.lock()) send_exit(*ws, exit_control, code);
}

/// The PTY as the API describes it (PtySessionInfo).
pty_session_info info_of(pty_session& p) {
    std::lock_guard lock(p.mu);
    return {.id = p.id,
            .cwd = p.cwd,
            .envs = p.envs,
            .cols = p.cols,
            .rows = p.rows,
            .created_at = p.created_at,
            .active = p.active,
            .lazy_start = p.lazy_start};
}

class ptys {
public:
    explicit ptys(context& ctx) : ctx_(ctx) {}

    asio::awaitable<void> list(call& c);
    asio::awaitable<void> create(call& c);
    asio::awaitable<void> create_connect(call& c);
    asio::awaitable<void> get(call& c);
    asio::awaitable<void> remove(call& c);
    asio::awaitable<void> connect(call& c);
    asio::awaitable<void> resize(call& c);

private:
    /// Validates and registers a PTY (not started yet); an error reply if it cannot be.
    std::optional<reply> create_session(const exchange& ex, const sandbox_record& rec,
                                        std::shared_ptr<pty_session>& out, std::string id,
                                        std::string_view cwd,
                                        std::map<std::string, std::string> envs,
                                        std::optional<std::int64_t> cols,
                                        std::optional<std::int64_t> rows, bool lazy_start);
    /// Opens the terminal and starts the shell; the caller holds the session's lock.
    bool start(const asio::any_io_executor& exec, const sandbox_record& rec,
               const std::shared_ptr<pty_session>& session, std::string& why);
    /// The PTY the path names; null after answering 404.
    asio::awaitable<std::shared_ptr<pty_session>> find(call& c);
    void forget(const sandbox_record& rec, const std::string& id) {
        auto rt = ctx_.runtime_of(rec.info.id);
        std::lock_guard lock(rt->mu);
        rt->ptys.erase(id);
    }
    /// Accepts the WebSocket and attaches it to the PTY (starting a lazy one) until either
    /// side ends. `created_here`: the PTY was made for this request (create-connect).
    asio::awaitable<void> attach(exchange& ex, const sandbox_record& rec,
                                 std::shared_ptr<pty_session> p, bool exit_control,
                                 std::string protocol, bool created_here);

    context& ctx_;
};

std::optional<reply> ptys::create_session(const exchange& ex, const sandbox_record& rec,
                                          std::shared_ptr<pty_session>& out, std::string id,
                                          std::string_view cwd,
                                          std::map<std::string, std::string> envs,
                                          std::optional<std::int64_t> cols,
                                          std::optional<std::int64_t> rows, bool lazy_start) {
    if (!valid_resource_id(id))
        return toolbox_error(ex, 400, "BAD_REQUEST", "invalid PTY session id: " + id);
    auto c = dimension(cols, 80);
    auto r = dimension(rows, 24);
    if (!c || !r)
        return toolbox_error(ex, 400, "BAD_REQUEST", "cols and rows must be between 1 and 1000");
    for (const auto& [k, v] : envs)
        if (!valid_env_name(k))
            return toolbox_error(ex, 400, "BAD_REQUEST", "invalid environment variable name: " + k);
    std::string why;
    auto dir = ctx_.host.host_path(rec, cwd, &why);
    if (!dir) return toolbox_error(ex, 400, "INVALID_FILE_PATH", why);
    std::error_code ec;
    if (!fs::is_directory(*dir, ec))
        return toolbox_error(
            ex, 400, "INVALID_FILE_PATH",
            "cwd " + ctx_.host.absolute_in_sandbox(rec, cwd) + " is not a directory");
    auto p = std::make_shared<pty_session>();
    p->id = std::move(id);
    p->cwd = ctx_.host.absolute_in_sandbox(rec, cwd);
    p->envs = std::move(envs);
    p->cols = *c;
    p->rows = *r;
    p->lazy_start = lazy_start;
    p->created_at = iso_time();
    auto rt = ctx_.runtime_of(rec.info.id);
    std::lock_guard lock(rt->mu);
    if (!rt->ptys.emplace(p->id, p).second)
        return toolbox_error(ex, 409, "CONFLICT", "PTY session " + p->id + " already exists");
    out = std::move(p);
    return std::nullopt;
}

bool ptys::start(const asio::any_io_executor& exec, const sandbox_record& rec,
                 const std::shared_ptr<pty_session>& session, std::string& why) {
    // The caller holds session->mu.
    auto& p = *session;
    unique_fd master(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!master || ::grantpt(master.get()) != 0 || ::unlockpt(master.get()) != 0) {
        why = std::string("cannot open a pseudo-terminal: ") + std::strerror(errno);
        return false;
    }
    char name[128];
    const unique_fd slave(::ptsname_r(master.get(), name, sizeof name) == 0
                              ? ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
                              : -1);
    if (!slave) {
        why = std::string("cannot open the terminal's slave side: ") + std::strerror(errno);
        return false;
    }
    apply_window_size(master.get(), p.cols, p.rows);
    auto env = p.envs;
    if (!env.count("TERM") && !rec.info.env.count("TERM")) env["TERM"] = "xterm-256color";
    std::vector<std::string> argv{"/bin/bash", "-i", "-l"};
    auto spec = ctx_.host.process_spec(rec, std::move(argv), p.cwd, env);
    spec.stdin_fd = spec.stdout_fd = spec.stderr_fd = slave.get();
    spec.controlling_tty = slave.get();
    auto child = spawn_process(spec, why);
    if (child.pid < 0) return false;
    const int master_dup = master.duplicate();
    p.master_fd = std::move(master);
    p.pid = child.pid;
    p.started = p.active = true;
    // Posted, not dispatched: the caller holds the lock the pump takes.
    asio::post(exec, [exec, session, master_dup, shell = std::move(child)]() mutable {
        asio::co_spawn(exec, run_pty(session, master_dup, std::move(shell)), asio::detached);
    });
    return true;
}

asio::awaitable<std::shared_ptr<pty_session>> ptys::find(call& c) {
    const auto& id = c.param("sessionId");
    std::shared_ptr<pty_session> p;
    {
        auto rt = ctx_.runtime_of(c.sandbox().info.id);
        std::lock_guard lock(rt->mu);
        if (auto it = rt->ptys.find(id); it != rt->ptys.end()) p = it->second;
    }
    if (!p)
        co_await send(c.ex,
                      toolbox_error(c.ex, 404, "NOT_FOUND", "PTY session " + id + " not found"));
    co_return p;
}

asio::awaitable<void> ptys::list(call& c) {
    std::vector<std::shared_ptr<pty_session>> all;
    {
        auto rt = ctx_.runtime_of(c.sandbox().info.id);
        std::lock_guard lock(rt->mu);
        for (auto& [id, p] : rt->ptys)
            all.push_back(p);
    }
    pty_list_response out;
    for (auto& p : all)
        out.sessions.push_back(info_of(*p));
    co_await send(c.ex, encoded_reply(out));
}

asio::awaitable<void> ptys::create(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    auto body = co_await read_json<pty_create_request>(ex, true);
    if (!body) co_return;
    std::shared_ptr<pty_session> p;
    auto failed = create_session(ex, rec, p, body->id, body->cwd.value_or(""), body->envs,
                                 body->cols, body->rows, body->lazy_start.value_or(false));
    if (failed) co_return co_await send(ex, std::move(*failed));
    if (!p->lazy_start) {
        std::string why;
        bool started = false;
        {
            std::lock_guard lock(p->mu);
            started = start(ex.stream().get_executor(), rec, p, why);
        }
        if (!started) {
            forget(rec, p->id);
            co_return co_await send(ex, toolbox_error(ex, 500, "INTERNAL_SERVER_ERROR", why));
        }
    }
    const pty_create_response made{.session_id = p->id};  // named: GCC 12
    co_await send(ex, encoded_reply(made, 201));
}

asio::awaitable<void> ptys::create_connect(call& c) {
    auto& ex = c.ex;
    const auto offered = ws_session::offered_protocols(ex.request().headers);
    std::map<std::string, std::string> envs;
    for (const auto& token : offered) {
        if (!token.starts_with(pty_protocol::envs_prefix)) continue;
        auto raw =
            net::base64_decode(std::string_view(token).substr(pty_protocol::envs_prefix.size()));
        std::string why = "it is not base64url";
        if (raw) {
            auto decoded = json::decode<std::map<std::string, std::string>>(*raw, "envs");
            if (decoded) {
                envs = std::move(*decoded);
                continue;
            }
            why = decoded.error().message();
        }
        reply bad =
            toolbox_error(ex, 400, "BAD_REQUEST", "bad PTY environment subprotocol: " + why);
        co_return co_await send(ex, std::move(bad));
    }
    auto cols = ex.query_param("cols");
    auto rows = ex.query_param("rows");
    std::optional<std::int64_t> width, height;
    if (cols) width = detail::parse_uint<std::int64_t>(*cols).value_or(0);
    if (rows) height = detail::parse_uint<std::int64_t>(*rows).value_or(0);
    std::shared_ptr<pty_session> p;
    auto failed =
        create_session(ex, c.sandbox(), p, ex.query_param("id").value_or(""),
                       ex.query_param("cwd").value_or(""), std::move(envs), width, height, true);
    if (failed) co_return co_await send(ex, std::move(*failed));
    bool exit_control = false;
    auto protocol = chosen_protocol(offered, exit_control);
    co_await attach(ex, c.sandbox(), p, exit_control, std::move(protocol), true);
}

asio::awaitable<void> ptys::get(call& c) {
    auto p = co_await find(c);
    if (!p) co_return;
    const auto info = info_of(*p);  // named: GCC 12
    co_await send(c.ex, encoded_reply(info));
}

asio::awaitable<void> ptys::remove(call& c) {
    auto p = co_await find(c);
    if (!p) co_return;
    forget(c.sandbox(), p->id);
    {
        std::lock_guard lock(p->mu);
        // The pump reports the SIGKILL (137) to attached clients.
        if (p->active) signal_terminal_session(p->pid, SIGKILL);
    }
    co_await send(c.ex, json_reply(200, R"({"message":"PTY session deleted"})"));
}

asio::awaitable<void> ptys::connect(call& c) {
    auto p = co_await find(c);
    if (!p) co_return;
    bool exit_control = false;
    auto protocol =
        chosen_protocol(ws_session::offered_protocols(c.ex.request().headers), exit_control);
    co_await attach(c.ex, c.sandbox(), p, exit_control, std::move(protocol), false);
}

asio::awaitable<void> ptys::resize(call& c) {
    auto& ex = c.ex;
    auto p = co_await find(c);
    if (!p) co_return;
    // Both members are required: the decoder answers 400 without one.
    auto body = co_await read_json<pty_resize_request>(ex, true);
    if (!body) co_return;
    auto cols = dimension(body->cols, 0);
    auto rows = dimension(body->rows, 0);
    if (!cols || !rows)
        co_return co_await send(
            ex, toolbox_error(ex, 400, "BAD_REQUEST", "cols and rows must be between 1 and 1000"));
    bool exited = false;
    {
        std::lock_guard lock(p->mu);
        exited = p->exit_code.has_value();
        if (!exited) {
            p->cols = *cols;
            p->rows = *rows;
            if (p->master_fd) apply_window_size(p->master_fd.get(), *cols, *rows);
        }
    }
    if (exited)
        co_return co_await send(
            ex, toolbox_error(ex, 410, "GONE", "PTY session " + p->id + " has exited"));
    const auto info = info_of(*p);  // named: GCC 12
    co_await send(ex, encoded_reply(info));
}

asio::awaitable<void> ptys::attach(exchange& ex, const sandbox_record& rec,
                                   std::shared_ptr<pty_session> p, bool exit_control,
                                   std::string protocol, bool created_here) {
    auto ws = co_await ws_session::accept(ex, std::move(protocol));
    if (!ws) {
        // Not a WebSocket request: a PTY made for it would never be used.
        if (created_here) forget(rec, p->id);
        co_return;
    }
    std::optional<int> exited;
    std::string failure;
    int input_fd = -1;
    {
        std::lock_guard lock(p->mu);
        if (p->exit_code) {
            exited = p->exit_code;
        } else {
            // Registered before the shell starts, so its first prompt reaches this client.
            ws->send_text(api::to_json_body(
                pty_protocol::control_message{.type = "control", .status = "connected"}));
            p->clients.emplace_back(ws, exit_control);
            if (!p->started && !start(ex.stream().get_executor(), rec, p, failure))
                p->clients.pop_back();
            else
                input_fd = p->master_fd.duplicate();
        }
    }
    if (exited) {
        send_exit(*ws, exit_control, *exited);
        co_return co_await ws->done();
    }
    if (input_fd < 0) {
        if (failure.empty()) failure = "cannot attach to the terminal";
        ws->send_text(api::to_json_body(
            pty_protocol::control_message{.type = "control", .status = "error", .error = failure}));
        ws->close(1011, "PTY failed to start");
        if (created_here) forget(rec, p->id);
        co_return co_await ws->done();
    }
    asio::posix::stream_descriptor input(ex.stream().get_executor(), input_fd);
    for (;;) {
        auto m = co_await ws->receive();
        if (!m) break;
        if (m->payload.empty()) continue;
        std::error_code ec;
        // A shell that stops reading fills the terminal's buffer; this then waits, and TCP
        // pushes back on the client instead of the emulator buffering without bound.
        co_await asio::async_write(input, asio::buffer(m->payload), net::redirect(ec));
    }
    {
        std::lock_guard lock(p->mu);
        std::erase_if(p->clients, [&](const auto& c) { return c.first.lock() == ws; });
    }
    co_await ws->done();
}

}  // namespace pty_impl

void add_pty_routes(route_table& table, context& ctx) {
    using pty_impl::ptys;
    namespace ops = api::ops;
    table.add(std::make_shared<ptys>(ctx), {{ops::list_pty_sessions, &ptys::list},
                                            {ops::create_pty_session, &ptys::create},
                                            {ops::create_connect_pty, &ptys::create_connect},
                                            {ops::get_pty_session, &ptys::get},
                                            {ops::delete_pty_session, &ptys::remove},
                                            {ops::connect_pty_session, &ptys::connect},
                                            {ops::resize_pty_session, &ptys::resize}});
}

}  // namespace daytona::emulator
