// SPDX-License-Identifier: Apache-2.0
// daytona::session: a persistent shell in a sandbox. Commands run one after another in it, so
// the working directory, exported variables and shell functions carry over; a command's output
// can be read whole or followed live, stdout and stderr apart.
#ifndef DAYTONA_SESSION_HPP
#define DAYTONA_SESSION_HPP

#include "daytona/api/toolbox/sessions.hpp"
#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/detail/log_demux.hpp"
#include "daytona/models/session.hpp"
#include "daytona/polling.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

DAYTONA_BEGIN_NAMESPACE

/// Receives a piece of a command's output as it is written (any size, not necessarily lines).
using output_callback = std::function<void(std::string_view chunk)>;

/**
 * \brief A session: a long-lived shell in a sandbox (from process::create_session() or
 * process::session()).
 * \details The shell runs until destroy() or until the sandbox stops. Commands sent with exec()
 * run in it in order; a command that runs `exit` ends the shell itself, as it would in a
 * terminal (process::exec_split() protects against that by running each command in a
 * subshell).
 * \par Copying
 * A cheap handle: copies share the client and the sandbox data.
 */
class session {
public:
    /// The session's id, as given to process::create_session() or process::session().
    const std::string& id() const noexcept { return id_; }

    /**
     * \brief Runs `command` and waits for it: exit code, stdout and stderr apart.
     * \param command a shell command line, run by the session's shell (its working directory and
     * variables carry over from earlier commands).
     * \param timeout how long to wait for the answer (0: no limit). The command is not
     * stopped when the wait times out; destroy() the session to end it.
     * \par Errors
     * condition::not_found for an unknown session; condition::bad_request for the reserved
     * `entrypoint` session; condition::timeout when `timeout` passed; transport errors.
     */
    [[nodiscard]] asio::awaitable<result<exec_output>> exec(
        std::string command,
        std::chrono::milliseconds timeout = std::chrono::milliseconds(0)) const {
        return exec_impl(client_, sandbox_, id_, std::move(command), timeout);
    }
    /// Starts `command` and answers its id at once; follow() or logs() read its output.
    [[nodiscard]] asio::awaitable<result<std::string>> exec_async(std::string command) const {
        return exec_async_impl(client_, sandbox_, id_, std::move(command));
    }
    /// A command of this session: its text and, once it finished, its exit code.
    [[nodiscard]] asio::awaitable<result<session_command>> command(std::string command_id) const {
        return with_channel<session_command>(client_, sandbox_, id_, std::move(command_id),
                                             &get_command);
    }
    /// A command's output so far, stdout and stderr apart.
    [[nodiscard]] asio::awaitable<result<session_logs>> logs(std::string command_id) const {
        return with_channel<session_logs>(client_, sandbox_, id_, std::move(command_id), &get_logs);
    }
    /**
     * \brief Follows a command's output live (over a WebSocket) until the command ends, and
     * answers its exit code.
     * \details Each callback gets the bytes of its stream as they arrive, from the start of the
     * command's output. A marker split across frames is handled. Memory stays bounded: frames
     * are handed on as they come.
     * \par Errors
     * condition::not_found for an unknown session or command; errc::protocol_error for a
     * broken stream; errc::cancelled.
     */
    [[nodiscard]] asio::awaitable<result<int>> follow(std::string command_id,
                                                      output_callback on_stdout,
                                                      output_callback on_stderr) const {
        return follow_impl(client_, sandbox_, id_, std::move(command_id), std::move(on_stdout),
                           std::move(on_stderr));
    }
    /// Writes `data` to the stdin of a command started with exec_async() (410 once it ended).
    [[nodiscard]] asio::awaitable<result<void>> send_input(std::string command_id,
                                                           std::string data) const {
        return input_impl(client_, sandbox_, id_, std::move(command_id), std::move(data));
    }
    /// The session and the commands it ran.
    [[nodiscard]] asio::awaitable<result<session_info>> info() const {
        return info_impl(client_, sandbox_, id_);
    }
    /// Ends the shell and every process it started.
    [[nodiscard]] asio::awaitable<result<void>> destroy() const {
        return destroy_impl(client_, sandbox_, id_);
    }

private:
    friend class process;
    using state_ptr = std::shared_ptr<detail::client_state>;
    using data_ptr = std::shared_ptr<detail::sandbox_data>;

    session(state_ptr c, data_ptr s, std::string id)
        : client_(std::move(c)), sandbox_(std::move(s)), id_(std::move(id)) {}

    static asio::awaitable<result<session_command>> get_command(api::channel ch, std::string sid,
                                                                std::string cid) {
        co_return co_await api::get_session_command(ch, sid, cid);
    }
    static asio::awaitable<result<session_logs>> get_logs(api::channel ch, std::string sid,
                                                          std::string cid) {
        co_return co_await api::get_session_command_logs(ch, sid, cid);
    }

    template <class T>
    static asio::awaitable<result<T>> with_channel(
        state_ptr c, data_ptr s, std::string sid, std::string cid,
        asio::awaitable<result<T>> (*op)(api::channel, std::string, std::string)) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await op(std::move(*ch), std::move(sid), std::move(cid));
    }

    static asio::awaitable<result<exec_output>> exec_impl(state_ptr c, data_ptr s, std::string sid,
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

    static asio::awaitable<result<std::string>> exec_async_impl(state_ptr c, data_ptr s,
                                                                std::string sid,
                                                                std::string command) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        const session_execute_request body{.command = std::move(command), .run_async = true};
        auto r = co_await api::execute_session_command(*ch, sid, body);
        if (!r) co_return std::move(r).error();
        co_return std::move(r->cmd_id);
    }

    static asio::awaitable<result<int>> follow_impl(state_ptr c, data_ptr s, std::string sid,
                                                    std::string cid, output_callback on_stdout,
                                                    output_callback on_stderr) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        http::websocket::connect_options o;
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

    static asio::awaitable<result<void>> input_impl(state_ptr c, data_ptr s, std::string sid,
                                                    std::string cid, std::string data) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::send_session_input(*ch, sid, cid, data);
    }

    static asio::awaitable<result<session_info>> info_impl(state_ptr c, data_ptr s,
                                                           std::string sid) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::get_session(*ch, sid);
    }

    static asio::awaitable<result<void>> destroy_impl(state_ptr c, data_ptr s, std::string sid) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::delete_session(*ch, sid);
    }

    state_ptr client_;
    data_ptr sandbox_;
    std::string id_;
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_SESSION_HPP
