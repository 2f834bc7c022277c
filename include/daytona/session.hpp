// SPDX-License-Identifier: Apache-2.0
// daytona::session: a persistent shell in a sandbox. Commands run one after another in it, so
// the working directory, exported variables and shell functions carry over; a command's output
// can be read whole or followed live, stdout and stderr apart.
#ifndef DAYTONA_SESSION_HPP
#define DAYTONA_SESSION_HPP

#include "daytona/api/toolbox/sessions.hpp"
#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/models/session.hpp"

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
    /// `ro` overrides the client's timeout and retries for this call (as on every call below;
    /// a timeout fails with condition::timeout naming the operation).
    [[nodiscard]] asio::awaitable<result<std::string>> exec_async(std::string command,
                                                                  request_options ro = {}) const {
        return exec_async_impl(client_, sandbox_, id_, std::move(command), ro);
    }
    /// A command of this session: its text and, once it finished, its exit code.
    [[nodiscard]] asio::awaitable<result<session_command>> command(std::string command_id,
                                                                   request_options ro = {}) const {
        return with_channel<session_command>(client_, sandbox_, id_, std::move(command_id), ro,
                                             &get_command);
    }
    /// A command's output so far, stdout and stderr apart.
    [[nodiscard]] asio::awaitable<result<session_logs>> logs(std::string command_id,
                                                             request_options ro = {}) const {
        return with_channel<session_logs>(client_, sandbox_, id_, std::move(command_id), ro,
                                          &get_logs);
    }
    /**
     * \brief Follows a command's output live (over a WebSocket) until the command ends, and
     * answers its exit code.
     * \details Each callback gets the bytes of its stream as they arrive, from the start of the
     * command's output. A marker split across frames is handled. Memory stays bounded: frames
     * are handed on as they come.
     * \par Errors
     * condition::not_found for an unknown session or command; errc::protocol_error for a
     * broken stream; errc::cancelled; condition::timeout when `ro.timeout` passed before the
     * WebSocket opened (it bounds the upgrade, not the following).
     */
    [[nodiscard]] asio::awaitable<result<int>> follow(std::string command_id,
                                                      output_callback on_stdout,
                                                      output_callback on_stderr,
                                                      request_options ro = {}) const {
        return follow_impl(client_, sandbox_, id_, std::move(command_id), std::move(on_stdout),
                           std::move(on_stderr), ro);
    }
    /// Writes `data` to the stdin of a command started with exec_async() (410 once it ended).
    [[nodiscard]] asio::awaitable<result<void>> send_input(std::string command_id, std::string data,
                                                           request_options ro = {}) const {
        return input_impl(client_, sandbox_, id_, std::move(command_id), std::move(data), ro);
    }
    /// The session and the commands it ran.
    [[nodiscard]] asio::awaitable<result<session_info>> info(request_options ro = {}) const {
        return info_impl(client_, sandbox_, id_, ro);
    }
    /// Ends the shell and every process it started.
    [[nodiscard]] asio::awaitable<result<void>> destroy(request_options ro = {}) const {
        return destroy_impl(client_, sandbox_, id_, ro);
    }

private:
    friend class process;
    using state_ptr = std::shared_ptr<detail::client_state>;
    using data_ptr = std::shared_ptr<detail::sandbox_data>;

    session(state_ptr c, data_ptr s, std::string id)
        : client_(std::move(c)), sandbox_(std::move(s)), id_(std::move(id)) {}

    static DAYTONA_DECL asio::awaitable<result<session_command>> get_command(api::channel ch,
                                                                             std::string sid,
                                                                             std::string cid,
                                                                             request_options ro);
    static DAYTONA_DECL asio::awaitable<result<session_logs>> get_logs(api::channel ch,
                                                                       std::string sid,
                                                                       std::string cid,
                                                                       request_options ro);

    template <class T>
    static asio::awaitable<result<T>> with_channel(
        state_ptr c, data_ptr s, std::string sid, std::string cid, request_options ro,
        asio::awaitable<result<T>> (*op)(api::channel, std::string, std::string, request_options)) {
        auto ch = co_await detail::toolbox_channel(c, s, ro);
        if (!ch) co_return std::move(ch).error();
        co_return co_await op(std::move(*ch), std::move(sid), std::move(cid), ro);
    }

    static DAYTONA_DECL asio::awaitable<result<exec_output>> exec_impl(
        state_ptr c, data_ptr s, std::string sid, std::string command,
        std::chrono::milliseconds timeout);

    static DAYTONA_DECL asio::awaitable<result<std::string>> exec_async_impl(
        state_ptr c, data_ptr s, std::string sid, std::string command, request_options ro);

    static DAYTONA_DECL asio::awaitable<result<int>> follow_impl(state_ptr c, data_ptr s,
                                                                 std::string sid, std::string cid,
                                                                 output_callback on_stdout,
                                                                 output_callback on_stderr,
                                                                 request_options ro);

    static DAYTONA_DECL asio::awaitable<result<void>> input_impl(state_ptr c, data_ptr s,
                                                                 std::string sid, std::string cid,
                                                                 std::string data,
                                                                 request_options ro);

    static DAYTONA_DECL asio::awaitable<result<session_info>> info_impl(state_ptr c, data_ptr s,
                                                                        std::string sid,
                                                                        request_options ro);

    static DAYTONA_DECL asio::awaitable<result<void>> destroy_impl(state_ptr c, data_ptr s,
                                                                   std::string sid,
                                                                   request_options ro);

    state_ptr client_;
    data_ptr sandbox_;
    std::string id_;
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/session.ipp"
#endif

#endif  // DAYTONA_SESSION_HPP
