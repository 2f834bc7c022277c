// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of session.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_SESSION_IPP
#define DAYTONA_IMPL_SESSION_IPP

#include "daytona/detail/log_demux.hpp"
#include "daytona/polling.hpp"
#include "daytona/session.hpp"

#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE

asio::awaitable<result<session_command>> session::get_command(api::channel ch, std::string sid,
                                                              std::string cid, request_options ro) {
    co_return co_await api::get_session_command(ch, sid, cid, ro);
}

asio::awaitable<result<session_logs>> session::get_logs(api::channel ch, std::string sid,
                                                        std::string cid, request_options ro) {
    co_return co_await api::get_session_command_logs(ch, sid, cid, ro);
}

asio::awaitable<result<exec_output>> session::exec_impl(state_ptr c, data_ptr s, std::string sid,
                                                        std::string command,
                                                        std::chrono::milliseconds timeout) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    const session_execute_request body{.command = std::move(command)};
    request_options ro;
    ro.timeout = timeout;  // 0: none; the command may run long
    auto r = co_await api::execute_session_command(*ch, sid, body, ro);
    if (!r) co_return std::move(r).error();
    co_return exec_output{.exit_code = r->exit_code.value_or(-1),
                          .stdout_text = std::move(r->stdout_text),
                          .stderr_text = std::move(r->stderr_text)};
}

asio::awaitable<result<std::string>> session::exec_async_impl(state_ptr c, data_ptr s,
                                                              std::string sid, std::string command,
                                                              request_options ro) {
    auto ch = co_await detail::toolbox_channel(c, s, ro);
    if (!ch) co_return std::move(ch).error();
    const session_execute_request body{.command = std::move(command), .run_async = true};
    auto r = co_await api::execute_session_command(*ch, sid, body, ro);
    if (!r) co_return std::move(r).error();
    co_return std::move(r->cmd_id);
}

asio::awaitable<result<int>> session::follow_impl(state_ptr c, data_ptr s, std::string sid,
                                                  std::string cid, output_callback on_stdout,
                                                  output_callback on_stderr, request_options ro) {
    auto ch = co_await detail::toolbox_channel(c, s, ro);
    if (!ch) co_return std::move(ch).error();
    http::websocket::connect_options o;
    o.request = ro;
    auto ws = co_await api::follow_session_command_logs(*ch, sid, cid, std::move(o));
    if (!ws) co_return std::move(ws).error();
    detail::log_demux demux;
    auto deliver = [&](detail::log_stream which, std::string_view bytes) {
        const auto& cb = which == detail::log_stream::out ? on_stdout : on_stderr;
        if (cb) cb(bytes);
    };
    for (;;) {
        auto m = co_await ws->read();
        if (!m) co_return std::move(m).error().with_operation("follow_session_command_logs");
        if (m->op == http::websocket::opcode::close) {
            if (m->close_code() != http::websocket::normal &&
                m->close_code() != http::websocket::no_status)
                co_return error(make_error_code(errc::protocol_error),
                                error_info{.message = "the log stream closed with " +
                                                      std::to_string(m->close_code()) + ": " +
                                                      std::string(m->close_reason()),
                                           .operation = "follow_session_command_logs"});
            break;
        }
        demux.feed(m->payload, deliver);
    }
    demux.finish(deliver);
    // The daemon writes the exit code once the log is complete; it is there now, or in a
    // moment on a slow disk.
    detail::poll_schedule schedule(c->options.polling, std::chrono::seconds(10));
    for (;;) {
        auto cmd = co_await api::get_session_command(*ch, sid, cid);
        if (!cmd) co_return std::move(cmd).error();
        if (cmd->exit_code) co_return *cmd->exit_code;
        if (schedule.expired())
            co_return detail::wait_timed_out("follow_session_command_logs",
                                             "command " + cid + " has no exit code",
                                             schedule.timeout());
        auto p = co_await detail::pause(schedule.next_pause(), "follow_session_command_logs");
        if (!p) co_return std::move(p).error();
    }
}

asio::awaitable<result<void>> session::input_impl(state_ptr c, data_ptr s, std::string sid,
                                                  std::string cid, std::string data,
                                                  request_options ro) {
    auto ch = co_await detail::toolbox_channel(c, s, ro);
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::send_session_input(*ch, sid, cid, data, ro);
}

asio::awaitable<result<session_info>> session::info_impl(state_ptr c, data_ptr s, std::string sid,
                                                         request_options ro) {
    auto ch = co_await detail::toolbox_channel(c, s, ro);
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::get_session(*ch, sid, ro);
}

asio::awaitable<result<void>> session::destroy_impl(state_ptr c, data_ptr s, std::string sid,
                                                    request_options ro) {
    auto ch = co_await detail::toolbox_channel(c, s, ro);
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::delete_session(*ch, sid, ro);
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_SESSION_IPP
