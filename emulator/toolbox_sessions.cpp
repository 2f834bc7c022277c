// SPDX-License-Identifier: Apache-2.0
// /toolbox/{id}/process/session/...: persistent shells.
//
// Each session is one bash reading commands from a pipe, so cd, exports and functions carry
// over. A command is written to a file in the sandbox's /tmp and the shell is told to source a
// wrapper that runs it with stdout and stderr going through two awk line labellers (01 01 01 /
// 02 02 02) into the command's log, waits for the labellers, and only then writes the exit code
// file: "finished" means the log is complete, as in the real daemon.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/codec/sandbox.hpp>
#include <daytona/codec/session.hpp>

#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>
#include <daytona/json/writer.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/posix/stream_descriptor.hpp>

#include <fstream>
#include <optional>

namespace daytona::emulator {

namespace sessions_impl {

/// The wrapper each command runs in. $1 is the command file, $2 its stdin, $3 the log, $4 the
/// exit-code file; it is sourced, so the command runs in the session shell itself.
constexpr std::string_view wrapper_script =
    R"(exec {__dt_o}> >(exec AWK '{printf "%s", "\001\001\001" $0 "\n"; fflush()}' >>"$3"); __dt_p1=$!
exec {__dt_e}> >(exec AWK '{printf "%s", "\002\002\002" $0 "\n"; fflush()}' >>"$3"); __dt_p2=$!
__dt_exit="$4"
. "$1" >&$__dt_o 2>&$__dt_e <"$2"
__dt_rc=$?
exec {__dt_o}>&- {__dt_e}>&-
wait $__dt_p1 $__dt_p2 2>/dev/null
echo $__dt_rc >"$__dt_exit.tmp" && mv "$__dt_exit.tmp" "$__dt_exit"
unset __dt_o __dt_e __dt_p1 __dt_p2 __dt_rc __dt_exit
)";

/// The awk that labels lines. mawk (Debian's default) waits for a full input buffer before it
/// handles a line unless told `-W interactive`, which would hold back streamed logs. That mode
/// also writes unbuffered, one write() per piece of a printf format, so each labelled line is
/// printed as one string: one write, which O_APPEND keeps whole next to the other stream's.
const std::string& labeller_awk() {
    static const std::string awk = [] {
        std::string version;
        if (FILE* p = ::popen("awk -W version 2>&1", "r")) {
            char buf[256];
            while (std::fgets(buf, sizeof buf, p))
                version += buf;
            ::pclose(p);
        }
        return std::string(version.find("mawk") != std::string::npos ? "awk -W interactive"
                                                                     : "awk");
    }();
    return awk;
}

/// "1.2.3" -> {1,2,3}; nullopt if it does not start with a version.
std::optional<std::array<unsigned, 3>> parse_version(std::string_view v) {
    if (!v.empty() && v.front() == 'v') v.remove_prefix(1);
    std::array<unsigned, 3> out{0, 0, 0};
    for (int i = 0; i < 3; ++i) {
        auto end = v.find_first_not_of("0123456789");
        auto digits = v.substr(0, end);
        auto n = detail::parse_uint<unsigned>(digits);
        if (!n) return i == 0 ? std::nullopt : std::optional(out);
        out[i] = *n;
        if (end == std::string_view::npos || v[end] != '.') return out;
        v.remove_prefix(end + 1);
    }
    return out;
}

enum class log_format { json, raw_text, stripped_text };

/// The client's SDK version: the X-Daytona-SDK-Version header or, from clients that cannot set
/// WebSocket headers (browsers, Deno, serverless runtimes), the subprotocol
/// X-Daytona-SDK-Version~<version>.
std::string sdk_version(const exchange& ex) {
    if (auto v = ex.request().headers.find("x-daytona-sdk-version")) return std::string(*v);
    constexpr std::string_view prefix = "X-Daytona-SDK-Version~";
    for (auto& p : ws_session::offered_protocols(ex.request().headers))
        if (p.starts_with(prefix)) return p.substr(prefix.size());
    return {};
}

/// How the daemon answers a logs request, by the client's SDK version: JSON {output, stdout,
/// stderr} from 0.167.0 (or a `dev` version) on, the raw log with its stream markers from 0.27.0,
/// the markers stripped before that or with no version (unless X-Daytona-Split-Output: true).
log_format log_format_for(const exchange& ex) {
    const auto version = sdk_version(ex);
    if (version.empty())
        return detail::iequals(ex.request().headers.get("x-daytona-split-output"), "true")
                   ? log_format::raw_text
                   : log_format::stripped_text;
    if (version.find("dev") != std::string_view::npos) return log_format::json;
    auto v = parse_version(version);
    if (!v) return log_format::stripped_text;
    if (*v < std::array<unsigned, 3>{0, 27, 0}) return log_format::stripped_text;
    if (*v < std::array<unsigned, 3>{0, 167, 0}) return log_format::raw_text;
    return log_format::json;
}

/// `output`, `stdout` and `stderr` of a labelled log.
session_logs logs_of(std::string_view log) {
    std::string out, err;
    demux_log(log, out, err);
    return {
        .output = valid_utf8(log), .stdout_text = valid_utf8(out), .stderr_text = valid_utf8(err)};
}

/// A command's log as a plain request gets it, in the format the client's SDK version reads.
reply logs_reply(const exchange& ex, std::string_view log) {
    const auto format = log_format_for(ex);
    if (format == log_format::json) return encoded_reply(logs_of(log));
    reply r;
    r.headers.add("Content-Type", "text/plain; charset=utf-8");
    r.body = format == log_format::raw_text ? std::string(log) : strip_markers(log);
    return r;
}

reply session_not_found(const exchange& ex, const std::string& id) {
    return toolbox_error(ex, 404, "NOT_FOUND", "session " + id + " not found");
}

/// The command as the API describes it (Command); no exitCode while it runs.
daytona::session_command info_of(const session_command& c) {
    return {.id = c.id, .command = c.command, .exit_code = c.exit_code};
}

/// The session as the API describes it (Session).
session_info info_of(session& s) {
    std::lock_guard lock(s.mu);
    s.refresh();
    session_info out{.session_id = s.id};
    for (const auto& c : s.commands)
        out.commands.push_back(info_of(*c));
    return out;
}

void write_session_json(json::writer& w, session& s) {
    encode(w, info_of(s));
}

asio::awaitable<void> watch(std::shared_ptr<session> s, spawned shell) {
    const int code = co_await wait_for_exit(std::move(shell));
    std::lock_guard lock(s->mu);
    s->ended = true;
    s->shell_exit = code;
    s->stdin_fd.reset();
}

// A follower gets the log in frames of at most this size (a client may hold a whole frame in
// memory; the TS SDK spreads one into an array), and at most this many frames wait in its
// queue: a reader that does not keep up slows the stream down instead of growing memory.
constexpr std::size_t max_log_frame = 64 * 1024;
constexpr std::size_t max_queued_log_frames = 16;
// How often a follower looks for new output while the command is quiet.
constexpr auto log_poll_interval = std::chrono::milliseconds(10);

asio::awaitable<void> stream_log(std::shared_ptr<ws_session> ws, std::shared_ptr<session> s,
                                 std::shared_ptr<session_command> c, bool follow, bool strip) {
    std::ifstream in(c->log, std::ios::binary);
    asio::steady_timer poll(co_await asio::this_coro::executor);
    auto wait = [&poll](auto interval) -> asio::awaitable<bool> {
        poll.expires_after(interval);
        std::error_code ec;
        co_await poll.async_wait(net::redirect(ec));
        co_return !ec;  // false: the follower went away (the handler cancelled us)
    };
    std::string pending;  // a marker split across reads waits for its other bytes
    int quiet_polls = 0;  // after the shell itself ended: polls that found nothing new
    std::string chunk(max_log_frame, '\0');
    for (;;) {
        bool finished, shell_gone;
        {
            std::lock_guard lock(s->mu);
            s->refresh();
            finished = c->exit_code.has_value();
            shell_gone = s->ended;
        }
        bool read_any = false;
        for (;;) {
            while (ws->backlog() > max_queued_log_frames)
                if (!co_await wait(std::chrono::milliseconds(1))) co_return;
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            const auto n = static_cast<std::size_t>(in.gcount());
            if (n == 0) break;
            read_any = true;
            if (!strip) {
                ws->send_binary(chunk.substr(0, n));
                continue;
            }
            pending.append(chunk, 0, n);
            std::size_t keep = 0;
            while (keep < 2 && keep < pending.size() &&
                   (pending[pending.size() - 1 - keep] == '\x01' ||
                    pending[pending.size() - 1 - keep] == '\x02'))
                ++keep;
            if (finished) keep = 0;
            auto ready = strip_markers(std::string_view(pending).substr(0, pending.size() - keep));
            pending.erase(0, pending.size() - keep);
            if (!ready.empty()) ws->send_binary(std::move(ready));
        }
        in.clear();
        // An `exit` in the command ended the shell before its labellers finished writing:
        // the log is complete once it stops growing.
        if (finished && shell_gone && follow) {
            quiet_polls = read_any ? 0 : quiet_polls + 1;
            if (quiet_polls < 3) finished = false;
        }
        // Everything the finished command wrote has been read: the exit file comes after the log.
        if (finished || !follow) {
            if (!pending.empty()) ws->send_binary(strip_markers(pending));
            ws->close(1000);
            co_return;
        }
        if (!co_await wait(log_poll_interval)) co_return;
    }
}

class sessions {
public:
    explicit sessions(context& ctx) : ctx_(ctx) {}

    asio::awaitable<void> list(call& c);
    asio::awaitable<void> create(call& c);
    asio::awaitable<void> get(call& c);
    asio::awaitable<void> remove(call& c);
    asio::awaitable<void> exec(call& c);
    asio::awaitable<void> command(call& c);
    asio::awaitable<void> logs(call& c);
    asio::awaitable<void> follow_logs(call& c);
    asio::awaitable<void> input(call& c);
    /// The image's ENTRYPOINT, started with the sandbox (sandbox_host::start_entrypoint); an
    /// empty session stands for it in a sandbox whose image has none.
    asio::awaitable<void> entrypoint(call& c) {
        auto s = entrypoint_of(c);
        std::string out = R"({"sessionId":"entrypoint","commands":[]})";
        if (s) {
            out.clear();
            json::writer w(out);
            write_session_json(w, *s);
        }
        co_await send(c.ex, json_reply(200, std::move(out)));
    }
    asio::awaitable<void> entrypoint_logs(call& c) {
        auto s = entrypoint_of(c);
        fs::path log;
        if (s) {
            std::lock_guard lock(s->mu);
            if (!s->commands.empty()) log = s->commands.front()->log;
        }
        std::string text;
        if (!log.empty()) text = read_file(log).value_or("");
        co_await send(c.ex, logs_reply(c.ex, text));
    }

private:
    /// Starts the session's shell.
    std::shared_ptr<session> start(const asio::any_io_executor& exec, const sandbox_record& rec,
                                   const std::string& id, std::string& why);
    /// The sandbox's entrypoint session, or null.
    std::shared_ptr<session> entrypoint_of(const call& c) {
        auto rt = ctx_.runtime_of(c.sandbox().info.id);
        std::lock_guard lock(rt->mu);
        auto it = rt->sessions.find("entrypoint");
        return it == rt->sessions.end() ? nullptr : it->second;
    }
    /// The session the path names, or null.
    std::shared_ptr<session> find(const call& c) {
        auto rt = ctx_.runtime_of(c.sandbox().info.id);
        std::lock_guard lock(rt->mu);
        auto it = rt->sessions.find(c.param("sessionId"));
        return it == rt->sessions.end() ? nullptr : it->second;
    }
    /// The session and command the path names; nulls after answering 404.
    asio::awaitable<std::pair<std::shared_ptr<session>, std::shared_ptr<session_command>>>
    find_command(call& c);

    context& ctx_;
};

std::shared_ptr<session> sessions::start(const asio::any_io_executor& exec,
                                         const sandbox_record& rec, const std::string& id,
                                         std::string& why) {
    auto s = std::make_shared<session>();
    s->id = id;
    const std::string dir = "/tmp/.daytona/sessions/" + id;
    s->dir = rec.root() / dir.substr(1);
    s->shell_dir = ctx_.host.process_path(rec, dir);
    std::error_code ec;
    fs::remove_all(s->dir, ec);
    fs::create_directories(s->dir, ec);
    if (ec) {
        why = "cannot create the session directory: " + ec.message();
        return nullptr;
    }
    ctx_.host.hand_over(rec, s->dir);  // the shell writes there as the image's USER
    {
        std::string script(wrapper_script);
        for (auto at = script.find("AWK"); at != std::string::npos; at = script.find("AWK", at))
            script.replace(at, 3, labeller_awk());
        std::ofstream w(s->dir / "wrapper.sh", std::ios::binary);
        w << script;
    }
    auto in = make_pipe();
    if (!in.read) {
        why = "pipe failed";
        return nullptr;
    }
    std::vector<std::string> argv{"/bin/bash", "--noprofile", "--norc"};
    auto spec = ctx_.host.process_spec(rec, std::move(argv), "", {});
    spec.stdin_fd = in.read.get();
    auto child = spawn_process(spec, why);
    if (child.pid < 0) return nullptr;
    set_nonblocking(in.write.get());
    s->pid = child.pid;
    s->stdin_fd = std::move(in.write);
    asio::co_spawn(exec, watch(s, std::move(child)), asio::detached);
    return s;
}

asio::awaitable<void> sessions::list(call& c) {
    auto rt = ctx_.runtime_of(c.sandbox().info.id);
    std::vector<std::shared_ptr<session>> all;
    {
        std::lock_guard lock(rt->mu);
        for (auto& [id, s] : rt->sessions)
            all.push_back(s);
    }
    std::vector<session_info> out;
    for (auto& s : all)
        out.push_back(info_of(*s));
    co_await send(c.ex, encoded_reply(out));
}

asio::awaitable<void> sessions::create(call& c) {
    auto& ex = c.ex;
    auto rt = ctx_.runtime_of(c.sandbox().info.id);
    auto body = co_await read_json<create_session_request>(ex, true);
    if (!body) co_return;
    if (!valid_resource_id(body->session_id) || body->session_id == "entrypoint")
        co_return co_await send(
            ex, toolbox_error(ex, 400, "BAD_REQUEST", "invalid session id: " + body->session_id));
    bool exists = false;
    {
        // Never held across a co_await: the coroutine may resume on another thread.
        std::lock_guard lock(rt->mu);
        exists = rt->sessions.count(body->session_id) != 0;
    }
    if (exists)
        co_return co_await send(
            ex,
            toolbox_error(ex, 409, "CONFLICT", "session " + body->session_id + " already exists"));
    std::string why;
    auto s = start(ex.stream().get_executor(), c.sandbox(), body->session_id, why);
    if (!s) co_return co_await send(ex, toolbox_error(ex, 500, "INTERNAL_SERVER_ERROR", why));
    bool inserted = false;
    {
        std::lock_guard lock(rt->mu);
        inserted = rt->sessions.emplace(s->id, s).second;
    }
    if (!inserted) {
        ::kill(-s->pid, SIGKILL);
        co_return co_await send(
            ex, toolbox_error(ex, 409, "CONFLICT", "session " + s->id + " already exists"));
    }
    co_await send(ex, empty_reply(201));
}

asio::awaitable<void> sessions::get(call& c) {
    auto s = find(c);
    if (!s) co_return co_await send(c.ex, session_not_found(c.ex, c.param("sessionId")));
    const auto info = info_of(*s);  // named: GCC 12
    co_await send(c.ex, encoded_reply(info));
}

asio::awaitable<void> sessions::remove(call& c) {
    auto s = find(c);
    if (!s) co_return co_await send(c.ex, session_not_found(c.ex, c.param("sessionId")));
    {
        auto rt = ctx_.runtime_of(c.sandbox().info.id);
        std::lock_guard lock(rt->mu);
        rt->sessions.erase(s->id);
    }
    ::kill(-s->pid, SIGKILL);
    {
        std::lock_guard lock(s->mu);
        for (auto& cmd : s->commands)
            cmd->stdin_fd.reset();
    }
    co_await send(c.ex, empty_reply(204));
}

asio::awaitable<std::pair<std::shared_ptr<session>, std::shared_ptr<session_command>>>
sessions::find_command(call& c) {
    auto s = find(c);
    if (!s) {
        co_await send(c.ex, session_not_found(c.ex, c.param("sessionId")));
        co_return std::pair(nullptr, nullptr);
    }
    std::shared_ptr<session_command> cmd;
    {
        std::lock_guard lock(s->mu);
        cmd = s->find(c.param("commandId"));
    }
    if (!cmd) {
        co_await send(c.ex, toolbox_error(c.ex, 404, "NOT_FOUND",
                                          "command " + c.param("commandId") + " not found"));
        co_return std::pair(nullptr, nullptr);
    }
    co_return std::pair(std::move(s), std::move(cmd));
}

asio::awaitable<void> sessions::command(call& c) {
    auto found = co_await find_command(c);
    auto& [s, cmd] = found;
    if (!cmd) co_return;
    daytona::session_command info;
    {
        std::lock_guard lock(s->mu);
        info = info_of(*cmd);
    }
    co_await send(c.ex, encoded_reply(info));
}

asio::awaitable<void> sessions::logs(call& c) {
    auto found = co_await find_command(c);
    if (!found.second) co_return;
    co_await send(c.ex, logs_reply(c.ex, read_file(found.second->log).value_or("")));
}

asio::awaitable<void> sessions::follow_logs(call& c) {
    auto found = co_await find_command(c);
    auto& [s, cmd] = found;
    if (!cmd) co_return;
    auto& ex = c.ex;
    auto ws = co_await ws_session::accept(ex, std::string());
    if (!ws) co_return;
    const bool follow = ex.query_param("follow").value_or("false") == "true";
    const bool strip = log_format_for(ex) == log_format::stripped_text;
    using namespace asio::experimental::awaitable_operators;
    auto reader = drain_client(ws);
    auto streamer = stream_log(ws, s, cmd, follow, strip);
    co_await (std::move(reader) || std::move(streamer));
    co_await ws->done();
}

asio::awaitable<void> sessions::input(call& c) {
    auto& ex = c.ex;
    auto found = co_await find_command(c);
    auto& [s, cmd] = found;
    if (!cmd) co_return;
    auto body = co_await read_json<session_input>(ex, true);
    if (!body) co_return;
    enum { written, finished, not_reading } outcome = written;
    {
        // Never held across a co_await: the coroutine may resume on another thread.
        std::lock_guard lock(s->mu);
        s->refresh();
        if (cmd->exit_code || !cmd->stdin_fd)
            outcome = finished;
        else if (!write_all(cmd->stdin_fd.get(), body->data))
            outcome = not_reading;
    }
    if (outcome == finished)
        co_return co_await send(
            ex, toolbox_error(ex, 410, "GONE", "command " + cmd->id + " has finished"));
    if (outcome == not_reading)
        co_return co_await send(ex, toolbox_error(ex, 503, "SERVICE_UNAVAILABLE",
                                                  "the command is not reading its input"));
    co_await send(ex, empty_reply(204));
}

asio::awaitable<void> sessions::exec(call& rq) {
    auto& ex = rq.ex;
    if (rq.param("sessionId") == "entrypoint")
        co_return co_await send(
            ex, toolbox_error(ex, 400, "BAD_REQUEST", "cannot execute in the entrypoint session"));
    auto s = find(rq);
    if (!s) co_return co_await send(ex, session_not_found(ex, rq.param("sessionId")));
    // The decoder takes the deprecated `async` for runAsync too.
    auto body = co_await read_json<session_execute_request>(ex, true);
    if (!body) co_return;
    if (detail::trim(body->command).empty())
        co_return co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST", "command is required"));
    const bool async = body->run_async;
    auto c = std::make_shared<session_command>();
    c->id = new_uuid();
    c->command = body->command;
    c->async = async;
    c->log = s->dir / (c->id + ".log");
    c->exit_file = s->dir / (c->id + ".exit");
    const auto cmd_file = s->dir / (c->id + ".sh");
    {
        std::ofstream f(cmd_file, std::ios::binary);
        f << body->command << '\n';
        std::ofstream log(c->log, std::ios::binary);  // exists from the start, for followers
    }
    ctx_.host.hand_over(rq.sandbox(), c->log);
    std::string stdin_path = "/dev/null";
    if (async) {
        // Only async commands keep stdin open: a FIFO the emulator holds the write end of.
        const auto fifo = s->dir / (c->id + ".in");
        if (::mkfifo(fifo.c_str(), 0600) == 0) {
            ctx_.host.hand_over(rq.sandbox(), fifo);
            c->stdin_fd.reset(::open(fifo.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
            if (c->stdin_fd) stdin_path = s->shell_dir + "/" + c->id + ".in";
        }
    }
    const std::string line = ". " + shell_quote(s->shell_dir + "/wrapper.sh") + " " +
                             shell_quote(s->shell_dir + "/" + c->id + ".sh") + " " +
                             shell_quote(stdin_path) + " " +
                             shell_quote(s->shell_dir + "/" + c->id + ".log") + " " +
                             shell_quote(s->shell_dir + "/" + c->id + ".exit") + "\n";
    std::optional<std::string> gone;  // why the session can take no command
    bool busy = false;
    {
        // Never held across a co_await: the coroutine may resume on another thread.
        std::lock_guard lock(s->mu);
        if (s->ended || !s->stdin_fd) {
            gone = "session " + s->id + " has ended (its shell exited with " +
                   std::to_string(s->shell_exit.value_or(-1)) + ")";
        } else {
            // One short write is atomic on a pipe; a full pipe means hundreds of queued
            // commands.
            auto n = ::write(s->stdin_fd.get(), line.data(), line.size());
            busy = n != static_cast<ssize_t>(line.size());
            if (!busy) s->commands.push_back(c);
        }
    }
    if (gone) co_return co_await send(ex, toolbox_error(ex, 410, "GONE", *gone));
    if (busy)
        co_return co_await send(
            ex, toolbox_error(ex, 503, "SERVICE_UNAVAILABLE", "session " + s->id + " is busy"));
    if (async) {
        const session_execute_response started{.cmd_id = c->id};  // named: GCC 12
        co_return co_await send(ex, encoded_reply(started, 202));
    }
    // The daemon polls for the exit-code file every 50 ms; there is no server-side timeout.
    asio::steady_timer poll(ex.stream().get_executor());
    for (;;) {
        {
            std::lock_guard lock(s->mu);
            s->refresh();
            if (c->exit_code) break;
        }
        poll.expires_after(std::chrono::milliseconds(50));
        std::error_code ec;
        co_await poll.async_wait(net::redirect(ec));
        if (ec) co_return;
    }
    auto logs = logs_of(read_file(c->log).value_or(""));
    const session_execute_response done{.cmd_id = c->id,
                                        .exit_code = c->exit_code,
                                        .output = std::move(logs.output),
                                        .stdout_text = std::move(logs.stdout_text),
                                        .stderr_text = std::move(logs.stderr_text)};
    co_await send(ex, encoded_reply(done));
}

}  // namespace sessions_impl

void add_session_routes(route_table& table, context& ctx) {
    using sessions_impl::sessions;
    namespace ops = api::ops;
    table.add(std::make_shared<sessions>(ctx),
              {{ops::list_sessions, &sessions::list},
               {ops::create_session, &sessions::create},
               {ops::get_entrypoint_session, &sessions::entrypoint},
               {ops::get_entrypoint_logs, &sessions::entrypoint_logs},
               {ops::get_session, &sessions::get},
               {ops::delete_session, &sessions::remove},
               {ops::execute_session_command, &sessions::exec},
               {ops::get_session_command, &sessions::command},
               {ops::get_session_command_logs, &sessions::logs},
               {ops::follow_session_command_logs, &sessions::follow_logs},
               {ops::send_session_input, &sessions::input}});
}

}  // namespace daytona::emulator
