// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of interpreter.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_INTERPRETER_IPP
#define DAYTONA_IMPL_INTERPRETER_IPP

#include "daytona/api/toolbox/interpreter.hpp"
#include "daytona/codec/interpreter.hpp"
#include "daytona/interpreter.hpp"
#include "daytona/polling.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

error code_interpreter::fail(errc code, std::string message) {
    return error(make_error_code(code),
                 error_info{.message = std::move(message), .operation = "run_code"});
}

asio::awaitable<result<interpreter_context>> code_interpreter::create_impl(state_ptr c, data_ptr s,
                                                                           std::string cwd,
                                                                           std::string language) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    create_context_request body;
    if (!cwd.empty()) body.cwd = std::move(cwd);
    if (!language.empty()) body.language = std::move(language);
    co_return co_await api::create_interpreter_context(*ch, body);
}

asio::awaitable<result<std::vector<interpreter_context>>> code_interpreter::list_impl(state_ptr c,
                                                                                      data_ptr s) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    auto r = co_await api::list_interpreter_contexts(*ch);
    if (!r) co_return std::move(r).error();
    co_return std::move(r->contexts);
}

asio::awaitable<result<void>> code_interpreter::delete_impl(state_ptr c, data_ptr s,
                                                            std::string id) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::delete_interpreter_context(*ch, id);
}

asio::awaitable<result<execution_result>> code_interpreter::collect(
    std::shared_ptr<http::websocket::connection> ws, std::shared_ptr<run_code_options> o) {
    execution_result out;
    bool completed = false;
    for (;;) {
        auto m = co_await ws->read();
        if (!m) {
            if (completed && m.error() == errc::connection_closed) co_return out;
            co_return std::move(m).error().with_operation("run_code");
        }
        if (m->op == http::websocket::opcode::close) {
            const auto code = m->close_code();
            if (code == http::websocket::execution_timeout)
                co_return fail(errc::timeout,
                               "the execution timed out (the context keeps its state)");
            if (code == http::websocket::normal || code == http::websocket::going_away ||
                code == http::websocket::no_status)
                co_return out;
            const std::string reason(m->close_reason());
            co_return fail(reason.find("not found") != std::string::npos ? errc::not_found
                                                                         : errc::protocol_error,
                           "the interpreter closed with " + std::to_string(code) + ": " + reason);
        }
        if (m->op != http::websocket::opcode::text) continue;
        auto msg = json::decode<interpreter_message>(m->payload, "message");
        if (!msg)
            co_return fail(errc::protocol_error,
                           "an interpreter message that is not one: " + msg.error().message());
        if (msg->type == "stdout") {
            out.stdout_text += msg->text;
            if (o->on_stdout) o->on_stdout(msg->text);
        } else if (msg->type == "stderr") {
            out.stderr_text += msg->text;
            if (o->on_stderr) o->on_stderr(msg->text);
        } else if (msg->type == "error") {
            out.error = execution_error{.name = std::move(msg->name),
                                        .value = std::move(msg->value),
                                        .traceback = std::move(msg->traceback)};
            if (o->on_error) o->on_error(*out.error);
        } else if (msg->type == "control" && msg->text == "completed") {
            // Done: say goodbye and wait for the daemon's close (which may say 4008 if
            // the deadline struck at the same moment).
            completed = true;
            if (ws->is_open()) (void)co_await ws->close();
        }
    }
}

asio::awaitable<result<execution_result>> code_interpreter::run_impl(state_ptr c, data_ptr s,
                                                                     std::string code,
                                                                     run_code_options opts) {
    if (opts.timeout.count() < 0)
        co_return error(
            make_error_code(errc::invalid_argument),
            error_info{.message = "timeout must not be negative", .operation = "run_code"});
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    http::websocket::connect_options wo;
    auto opened = co_await api::execute_interpreter_code(*ch, std::move(wo));
    if (!opened) co_return std::move(opened).error();
    auto ws = std::make_shared<http::websocket::connection>(std::move(*opened));
    interpreter_execute_request req;
    req.code = std::move(code);
    if (!opts.context_id.empty()) req.context_id = opts.context_id;
    req.envs = opts.env;
    if (opts.timeout.count() > 0) req.timeout = timeout_seconds(opts.timeout);
    const std::string first = api::to_json_body(req);
    auto sent = co_await ws->write_text(first);
    if (!sent) co_return std::move(sent).error().with_operation("run_code");
    auto o = std::make_shared<run_code_options>(std::move(opts));
    if (o->timeout.count() == 0) co_return co_await collect(ws, o);
    const auto limit = std::chrono::milliseconds(*req.timeout * 1000) + grace;
    auto reading = collect(ws, o);
    auto deadline = detail::pause(limit, "run_code");
    auto raced = detail::first_of(std::move(reading), std::move(deadline));
    auto outcome = co_await std::move(raced);
    if (outcome.index() == 0) co_return std::move(std::get<0>(outcome));
    ws->abort();
    auto p = std::move(std::get<1>(outcome));
    if (!p) co_return std::move(p).error();
    co_return fail(errc::timeout, "no answer from the interpreter " +
                                      std::to_string(limit.count()) + " ms after the start");
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_INTERPRETER_IPP
