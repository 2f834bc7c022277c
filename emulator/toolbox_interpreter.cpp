// SPDX-License-Identifier: Apache-2.0
// /toolbox/{id}/process/interpreter/...: the stateful Python interpreter, whose variables live as
// long as their context.
//
// Each context is one python3 process running a small driver: it reads a JSON request per
// line on fd 4, runs the code in one namespace that lives as long as the context, and writes
// an `error` and then a `done` line on fd 3. The code's own stdout and stderr are the driver's
// fds 1 and 2, so output of child processes is captured too. The emulator streams what arrives
// on 1 and 2 to the WebSocket as `stdout`/`stderr` frames while the code runs.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/codec/interpreter.hpp>

#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>
#include <daytona/json/writer.hpp>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/write.hpp>

#include <cerrno>
#include <cstring>

namespace daytona::emulator {

namespace interpreter_impl {

/// The driver python3 runs (`-c`). `exec` in one dict is what keeps variables between
/// executions; SystemExit is reported, not obeyed, so user code cannot end the context by
/// accident; KeyboardInterrupt (the emulator's SIGINT on timeout) ends just the execution.
constexpr std::string_view driver_source = R"PY(
import io, json, os, sys, traceback
ctl = io.TextIOWrapper(io.FileIO(3, "w"), encoding="utf-8", line_buffering=True)
req = io.TextIOWrapper(io.FileIO(4, "r"), encoding="utf-8")
def stream(fd):  # line-buffered, as on a terminal: a print() arrives as one piece
    return io.TextIOWrapper(io.BufferedWriter(io.FileIO(fd, "w", closefd=False)),
                            encoding="utf-8", errors="backslashreplace", line_buffering=True)
sys.stdout, sys.stderr = stream(1), stream(2)
ns = {"__name__": "__main__", "__builtins__": __builtins__}
def report(kind, **fields):
    fields["type"] = kind
    ctl.write(json.dumps(fields) + "\n")
while True:
    try:
        line = req.readline()
    except KeyboardInterrupt:
        continue
    if not line:
        break
    try:
        r = json.loads(line)
    except ValueError:
        report("done")
        continue
    envs = {str(k): str(v) for k, v in (r.get("envs") or {}).items()}
    saved = {k: os.environ.get(k) for k in envs}
    os.environ.update(envs)
    try:
        report("started")
        exec(compile(r.get("code", ""), "<cell>", "exec"), ns)
    except BaseException as e:
        tb = e.__traceback__.tb_next if e.__traceback__ is not None else None
        report("error", name=type(e).__name__, value=str(e),
               traceback="".join(traceback.format_exception(type(e), e, tb)))
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:
            pass
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        report("done")
)PY";

/// A line the driver wrote on fd 3.
struct control_line {
    std::string type, name, value, traceback;
};

void decode_value(json::value& v, control_line& out, json::decoder& d) {
    d.object(v, "object", json::into("type", out.type), json::into("name", out.name),
             json::into("value", out.value), json::into("traceback", out.traceback));
}

constexpr std::string_view default_context_id = "default";

/// Length of the longest prefix of `s` that does not end inside a UTF-8 sequence, so a
/// character split across two reads is sent whole with the second.
std::size_t complete_utf8_prefix(std::string_view s) {
    const std::size_t n = s.size();
    for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
        const auto c = static_cast<unsigned char>(s[n - back]);
        if ((c & 0xC0) == 0x80) continue;  // continuation byte: keep looking for the lead
        std::size_t need = (c & 0xE0) == 0xC0   ? 2
                           : (c & 0xF0) == 0xE0 ? 3
                           : (c & 0xF8) == 0xF0 ? 4
                                                : 1;
        return need > back ? n - back : n;
    }
    return n;
}

/// A `stdout`, `stderr` or `control` frame.
std::string output_frame(std::string_view type, std::string_view text) {
    return api::to_json_body(
        interpreter_message{.type = std::string(type), .text = valid_utf8(text)});
}

/// An `error` frame: the exception's type name, message and traceback.
std::string error_frame(std::string_view name, std::string_view value, std::string_view tb) {
    return api::to_json_body(interpreter_message{.type = "error",
                                                 .name = valid_utf8(name),
                                                 .value = valid_utf8(value),
                                                 .traceback = valid_utf8(tb)});
}

/// The frame that ends an execution.
std::string completed_frame() {
    return output_frame("control", "completed");
}

/// Reads whatever `fd` (non-blocking) holds now into `into`. False once it reached EOF.
bool read_available(int fd, std::string& into) {
    char buf[16384];
    for (;;) {
        auto n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            into.append(buf, static_cast<std::size_t>(n));
            continue;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        return true;  // EAGAIN: nothing more for now
    }
}

/// The next whole line the driver wrote on fd 3 that decodes (lines that do not were written
/// there by the user's code), taken off `ctx.control_tail`; nullopt when none is complete yet.
std::optional<control_line> next_control_line(interpreter_context& ctx) {
    for (auto nl = ctx.control_tail.find('\n'); nl != std::string::npos;
         nl = ctx.control_tail.find('\n')) {
        std::string text = ctx.control_tail.substr(0, nl);
        ctx.control_tail.erase(0, nl + 1);
        auto msg = json::decode<control_line>(text, "control");
        if (msg) return std::move(*msg);
    }
    return std::nullopt;
}

/// How one execution ended.
enum class outcome { completed, timed_out, driver_died, failed };

/// Sends one request to the driver and streams its output until it reports `done`, dies, or
/// the deadline passes.
asio::awaitable<void> run_interpreter(std::shared_ptr<ws_session> ws,
                                      std::shared_ptr<interpreter_context> ctx,
                                      const interpreter_execute_request& request, outcome& result) {
    auto exec = co_await asio::this_coro::executor;
    std::string line;
    {
        json::writer w(line);
        w.begin_object().member("code", request.code).member("envs", request.envs).end_object();
        line += '\n';
    }
    {
        asio::posix::stream_descriptor to_driver(exec, ctx->requests.duplicate());
        std::error_code ec;
        co_await asio::async_write(to_driver, asio::buffer(line), net::redirect(ec));
        if (ec) {
            result = outcome::driver_died;
            ws->send_text(error_frame("InterpreterError", "the interpreter is not running", ""));
            ws->send_text(completed_frame());
            ctx->stop();
            co_return;
        }
    }
    asio::posix::stream_descriptor out(exec, ctx->out.duplicate());
    asio::posix::stream_descriptor err(exec, ctx->err.duplicate());
    asio::posix::stream_descriptor control(exec, ctx->control.duplicate());
    // The timeout counts from when the code starts (the driver says `started`), not from
    // python's own start-up, which on a loaded machine can take a good part of a second.
    // Start-up itself gets a generous limit of its own.
    asio::steady_timer deadline(exec);
    const bool limited = request.timeout && *request.timeout > 0;
    const auto limit = std::chrono::seconds(limited ? *request.timeout : 0);
    bool started = false;
    deadline.expires_after(std::chrono::seconds(30));
    std::string out_tail, err_tail;
    // Sends what arrived on stdout/stderr; `all` flushes a partial UTF-8 sequence too.
    auto forward = [&](int fd, std::string& tail, std::string_view type, bool all) {
        read_available(fd, tail);
        const auto n = all ? tail.size() : complete_utf8_prefix(tail);
        if (n == 0) return;
        ws->send_text(output_frame(type, std::string_view(tail).substr(0, n)));
        tail.erase(0, n);
    };
    auto flush = [&] {
        forward(ctx->out.get(), out_tail, "stdout", true);
        forward(ctx->err.get(), err_tail, "stderr", true);
    };
    using namespace asio::experimental::awaitable_operators;
    using sd = asio::posix::stream_descriptor;
    for (;;) {
        std::error_code e1, e2, e3, e4;
        // Waits for readiness only (nothing is consumed), so the waits the race cancels lose
        // no output; the reads below take what is there.
        auto out_ready = out.async_wait(sd::wait_read, net::redirect(e1));
        auto err_ready = err.async_wait(sd::wait_read, net::redirect(e2));
        auto control_ready = control.async_wait(sd::wait_read, net::redirect(e3));
        auto expired = deadline.async_wait(net::redirect(e4));
        // Each step named: GCC 12 destroys temporaries made inside a co_await twice.
        auto either_output = std::move(out_ready) || std::move(err_ready);
        auto or_control = std::move(either_output) || std::move(control_ready);
        auto any = std::move(or_control) || std::move(expired);
        co_await std::move(any);
        forward(ctx->out.get(), out_tail, "stdout", false);
        forward(ctx->err.get(), err_tail, "stderr", false);
        const bool open = read_available(ctx->control.get(), ctx->control_tail);
        while (auto msg = next_control_line(*ctx)) {
            if (msg->type == "started") {
                started = true;
                if (limited)
                    deadline.expires_after(limit);
                else
                    deadline.expires_at(asio::steady_timer::time_point::max());
            } else if (msg->type == "error") {
                ws->send_text(error_frame(msg->name, msg->value, msg->traceback));
            } else if (msg->type == "done") {
                flush();
                ws->send_text(completed_frame());
                result = outcome::completed;
                co_return;
            }
        }
        const bool expired_now = deadline.expiry() <= asio::steady_timer::clock_type::now();
        if (!open || (!started && expired_now)) {
            // The driver died (os._exit, a signal, the context was deleted) or never came up:
            // its state is gone.
            flush();
            ws->send_text(error_frame("InterpreterExited",
                                      open ? "the interpreter did not start within 30 s"
                                           : "the interpreter process exited; its state is lost",
                                      ""));
            ws->send_text(completed_frame());
            ctx->stop();
            result = outcome::driver_died;
            co_return;
        }
        if (expired_now) {
            flush();
            result = outcome::timed_out;
            co_return;
        }
    }
}

/// After an execution was abandoned: interrupts the code and waits for the driver to be ready
/// for the next request, or stops it if it does not come back.
asio::awaitable<void> settle_interpreter(std::shared_ptr<interpreter_context> ctx) {
    if (ctx->pid <= 0) co_return;
    // KeyboardInterrupt ends the running code and keeps the context's variables.
    ::kill(-ctx->pid, SIGINT);
    asio::steady_timer poll(co_await asio::this_coro::executor);
    for (int i = 0; i < 100; ++i) {
        std::string discard;
        read_available(ctx->out.get(), discard);
        read_available(ctx->err.get(), discard);
        const bool open = read_available(ctx->control.get(), ctx->control_tail);
        while (auto msg = next_control_line(*ctx))
            if (msg->type == "done") co_return;
        if (!open) break;
        poll.expires_after(std::chrono::milliseconds(20));
        std::error_code ec;
        co_await poll.async_wait(net::redirect(ec));
    }
    // It ignored the interrupt for two seconds (or died): start afresh next time.
    ctx->stop();
}

/// The context as the API describes it (InterpreterContext).
daytona::interpreter_context info_of(const interpreter_context& c) {
    return {.id = c.id,
            .cwd = c.cwd,
            .language = c.language,
            .created_at = c.created_at,
            .active = c.pid > 0};
}

class interpreter {
public:
    explicit interpreter(context& ctx) : ctx_(ctx) {}

    asio::awaitable<void> list(call& c) {
        auto rt = ctx_.runtime_of(c.sandbox().info.id);
        list_contexts_response out;
        {
            std::lock_guard lock(rt->mu);
            for (auto& [id, context] : rt->contexts)
                if (id != default_context_id) out.contexts.push_back(info_of(*context));
        }
        co_await send(c.ex, encoded_reply(out));
    }
    asio::awaitable<void> create(call& c);
    asio::awaitable<void> remove(call& c);
    asio::awaitable<void> execute(call& c);

private:
    /// (Re)starts the context's python3 driver.
    bool start(const sandbox_record& rec, interpreter_context& ctx, std::string& why);

    context& ctx_;
};

bool interpreter::start(const sandbox_record& rec, interpreter_context& ctx, std::string& why) {
    ctx.stop();
    const std::string python = find_program("python3");
    if (python.empty()) {
        why = "python3 is not installed";
        return false;
    }
    // Numbered 10 or above: handed to the child as fds 3 and 4, one cannot overwrite the other.
    auto out = make_pipe(0, 10), err = make_pipe(0, 10), control = make_pipe(0, 10),
         requests = make_pipe(0, 10);
    if (!out.read || !err.read || !control.read || !requests.read) {
        why = std::string("cannot create pipes: ") + std::strerror(errno);
        return false;
    }
    std::vector<std::string> argv{python, "-u", "-c", std::string(driver_source)};
    auto spec = ctx_.host.process_spec(rec, std::move(argv), ctx.cwd, {});
    spec.stdout_fd = out.write.get();
    spec.stderr_fd = err.write.get();
    spec.extra_fds = {{control.write.get(), 3}, {requests.read.get(), 4}};
    auto child = spawn_process(spec, why);  // its pidfd closes here: stop() reaps with waitpid
    if (child.pid < 0) return false;
    ctx.out = std::move(out.read);
    ctx.err = std::move(err.read);
    ctx.control = std::move(control.read);
    ctx.requests = std::move(requests.write);
    ctx.pid = child.pid;
    for (auto* fd : {&ctx.out, &ctx.err, &ctx.control, &ctx.requests})
        set_nonblocking(fd->get());
    return true;
}

asio::awaitable<void> interpreter::create(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    auto body = co_await read_json<create_context_request>(ex, true);
    if (!body) co_return;
    const auto language = body->language.value_or("python");
    if (language != "python")
        co_return co_await send(
            ex, toolbox_error(ex, 400, "BAD_REQUEST",
                              "unsupported language " + language + " (only python is)"));
    const std::string cwd = body->cwd.value_or("");
    std::string why;
    auto dir = ctx_.host.host_path(rec, cwd, &why);
    std::error_code ec;
    if (dir && !fs::is_directory(*dir, ec))
        why = "cwd " + ctx_.host.absolute_in_sandbox(rec, cwd) + " is not a directory";
    if (!why.empty()) co_return co_await send(ex, toolbox_error(ex, 400, "INVALID_FILE_PATH", why));
    auto ctx = std::make_shared<interpreter_context>();
    ctx->id = new_uuid();
    ctx->cwd = ctx_.host.absolute_in_sandbox(rec, cwd);
    ctx->created_at = iso_time();
    if (!start(rec, *ctx, why))
        co_return co_await send(ex, toolbox_error(ex, 500, "INTERNAL_SERVER_ERROR", why));
    auto out = encoded_reply(info_of(*ctx));
    {
        auto rt = ctx_.runtime_of(rec.info.id);
        std::lock_guard lock(rt->mu);
        rt->contexts.emplace(ctx->id, ctx);
    }
    co_await send(ex, std::move(out));
}

asio::awaitable<void> interpreter::remove(call& c) {
    const auto& id = c.param("id");
    std::shared_ptr<interpreter_context> ctx;
    {
        auto rt = ctx_.runtime_of(c.sandbox().info.id);
        std::lock_guard lock(rt->mu);
        auto it = rt->contexts.find(id);
        if (it != rt->contexts.end() && it->first != default_context_id) {
            ctx = it->second;
            rt->contexts.erase(it);
        }
    }
    if (!ctx)
        co_return co_await send(
            c.ex, toolbox_error(c.ex, 404, "NOT_FOUND", "context " + id + " not found"));
    // A running execution holds its own reference; the kill ends it (it reports the driver's
    // death), and the last reference reaps the process.
    if (ctx->pid > 0) ::kill(-ctx->pid, SIGKILL);
    co_await send(c.ex, json_reply(200, R"({"message":"Context deleted"})"));
}

asio::awaitable<void> interpreter::execute(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    // A browser-style client offers its SDK version as a subprotocol; accept() echoes it.
    auto ws = co_await ws_session::accept(ex, std::string());
    if (!ws) co_return;
    auto first = co_await ws->receive();
    if (!first) co_return co_await ws->done();
    // The timeout is whole seconds, as the daemon's int64: 1.5 is refused as it refuses it.
    auto request = json::decode<interpreter_execute_request>(first->payload, "request");
    if (!request) {
        ws->close(1008, "invalid request: " + request.error().message());
        co_return co_await ws->done();
    }
    if (request->code.empty()) {
        ws->close(1008, "code is required");
        co_return co_await ws->done();
    }
    for (const auto& [k, v] : request->envs)
        if (!valid_env_name(k)) {
            ws->close(1008, "invalid environment variable name: " + k);
            co_return co_await ws->done();
        }
    auto rt = ctx_.runtime_of(rec.info.id);
    std::shared_ptr<interpreter_context> ctx;
    {
        std::lock_guard lock(rt->mu);
        const std::string id = request->context_id.value_or(std::string(default_context_id));
        if (auto it = rt->contexts.find(id); it != rt->contexts.end()) {
            ctx = it->second;
        } else if (!request->context_id) {
            ctx = std::make_shared<interpreter_context>();
            ctx->id = id;
            ctx->cwd = rec.home_path();
            ctx->created_at = iso_time();
            rt->contexts.emplace(ctx->id, ctx);
        }
    }
    if (!ctx) {
        ws->close(1008, "context " + *request->context_id + " not found");
        co_return co_await ws->done();
    }
    // One execution per context at a time: later ones wait their turn, as on a kernel.
    co_await take_turn(rt->mu, ctx->busy);
    auto result = outcome::failed;
    std::string why;
    if (ctx->pid > 0 || start(rec, *ctx, why)) {
        using namespace asio::experimental::awaitable_operators;
        auto watching = drain_client(ws);
        auto running = run_interpreter(ws, ctx, *request, result);
        co_await (std::move(watching) || std::move(running));
    } else {
        ws->send_text(error_frame("InterpreterError", why, ""));
    }
    if (result == outcome::timed_out || result == outcome::failed)
        co_await settle_interpreter(ctx);  // interrupted: wait for its `done` or restart it
    {
        std::lock_guard lock(rt->mu);
        ctx->busy = false;
    }
    if (result == outcome::timed_out)
        ws->close(4008, "execution timed out");
    else
        ws->close(1000);
    co_await ws->done();
}

}  // namespace interpreter_impl

void add_interpreter_routes(route_table& table, context& ctx) {
    using interpreter_impl::interpreter;
    namespace ops = api::ops;
    table.add(std::make_shared<interpreter>(ctx),
              {{ops::list_interpreter_contexts, &interpreter::list},
               {ops::create_interpreter_context, &interpreter::create},
               {ops::delete_interpreter_context, &interpreter::remove},
               {ops::execute_interpreter_code, &interpreter::execute}});
}

}  // namespace daytona::emulator
