// SPDX-License-Identifier: Apache-2.0
// daytona::pty: pseudo-terminals in a sandbox. An interactive login shell on a real terminal,
// reached over a WebSocket: read what it prints, type into it, resize it, kill it, and learn how
// it ended.
#ifndef DAYTONA_PTY_HPP
#define DAYTONA_PTY_HPP

#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/models/pty.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/**
 * \brief A connected pseudo-terminal (from pty::create() or pty::connect()).
 * \details read() answers the terminal's output as it comes, write() types into it. The
 * terminal echoes what is typed, as any terminal does. Several clients may be attached to one
 * terminal; each gets all of the output.
 * \par Memory
 * Nothing is buffered on this side: output is read from the socket only when read() asks for
 * it, so a slow reader holds at most one message (plus the kernel's socket buffers). The daemon
 * keeps up to 256 messages for a client and then drops it (read() fails with
 * errc::connection_closed, "slow consumer"); the terminal and its shell keep running, and
 * pty::connect() attaches again.
 * \par Concurrency
 * One read() (or wait()) and one write() may be outstanding at a time, from different
 * coroutines; resize() and kill() are plain requests and may run alongside.
 * \par Copying
 * A cheap handle: copies share the one connection.
 */
class pty_handle {
public:
    /// The terminal's id.
    const std::string& id() const noexcept { return state_->id; }

    /**
     * \brief The next bytes the terminal printed; an empty string once the shell has ended
     * (then exit_status() tells how).
     * \par Errors
     * errc::connection_closed when the daemon dropped this client (slow consumer) or the
     * connection broke; errc::protocol_error for a close the PTY protocol does not explain;
     * condition::not_found when the daemon no longer knows the terminal; errc::cancelled (the
     * connection stays usable).
     */
    [[nodiscard]] asio::awaitable<result<std::string>> read() const { return read_impl(state_); }

    /// Sends `data` to the terminal as typed input (raw bytes: "\x03" is Ctrl+C).
    [[nodiscard]] asio::awaitable<result<void>> write(std::string data) const {
        return write_impl(state_, std::move(data));
    }

    /// Changes the terminal's size; the shell's foreground program gets SIGWINCH. 410
    /// (condition::gone) once the shell has ended.
    [[nodiscard]] asio::awaitable<result<pty_session_info>> resize(int cols, int rows) const {
        return resize_request(state_->client, state_->sandbox, state_->id, cols, rows);
    }

    /// Kills the shell and everything it started (SIGKILL) and removes the terminal; read()
    /// then ends with exit code 137.
    [[nodiscard]] asio::awaitable<result<void>> kill() const { return kill_impl(state_); }

    /// Reads until the shell ends, handing each piece of output to `on_output` (may be empty),
    /// and answers how it ended. Errors as read().
    [[nodiscard]] asio::awaitable<result<pty_exit>> wait(
        std::function<void(std::string_view)> on_output) const {
        return wait_impl(state_, std::move(on_output));
    }
    /// wait() that discards the output.
    [[nodiscard]] asio::awaitable<result<pty_exit>> wait() const {
        return wait_impl(state_, nullptr);
    }

    /// How the shell ended, once read() or wait() saw the end.
    const std::optional<pty_exit>& exit_status() const noexcept { return state_->exit; }

    /// Detaches this client (a normal close); the terminal and its shell keep running.
    [[nodiscard]] asio::awaitable<result<void>> disconnect() const {
        return disconnect_impl(state_);
    }

private:
    friend class pty;
    using state_ptr = std::shared_ptr<detail::client_state>;
    using data_ptr = std::shared_ptr<detail::sandbox_data>;

    struct shared {
        state_ptr client;
        data_ptr sandbox;
        std::string id;
        http::websocket::connection ws;
        /// Output that arrived before the `connected` message.
        std::string early;
        std::optional<pty_exit> exit;
        bool ended = false;
    };
    using handle_ptr = std::shared_ptr<shared>;

    explicit pty_handle(handle_ptr s) : state_(std::move(s)) {}

    static constexpr std::size_t max_early_output = 1024 * 1024;

    static DAYTONA_DECL error fail(std::error_code code, std::string message,
                                   std::string_view operation);

    /// What a close frame means: the end of the shell (ended, exit set), or an error.
    static DAYTONA_DECL result<void> on_close(shared& s, const http::websocket::message& m,
                                              std::string_view operation);

    /// The next piece of output, or "" at the end; `connected` is set when the daemon's
    /// `connected` message arrives (then "" is answered without the end).
    static DAYTONA_DECL asio::awaitable<result<std::string>> next(handle_ptr s,
                                                                  std::string_view operation,
                                                                  bool* connected);

    static DAYTONA_DECL asio::awaitable<result<std::string>> read_impl(handle_ptr s);

    /// Waits for the daemon's `connected` message, keeping any output that comes first.
    static DAYTONA_DECL asio::awaitable<result<void>> handshake(handle_ptr s);

    /// The handshake, within `timeout`.
    static DAYTONA_DECL asio::awaitable<result<pty_handle>> finish_connect(
        handle_ptr s, std::chrono::milliseconds timeout);

    static DAYTONA_DECL asio::awaitable<result<void>> write_impl(handle_ptr s, std::string data);

    static DAYTONA_DECL asio::awaitable<result<pty_session_info>> resize_request(
        state_ptr c, data_ptr d, std::string id, int cols, int rows);

    static DAYTONA_DECL asio::awaitable<result<void>> kill_impl(handle_ptr s);

    static DAYTONA_DECL asio::awaitable<result<pty_exit>> wait_impl(
        handle_ptr s, std::function<void(std::string_view)> on_output);

    static DAYTONA_DECL asio::awaitable<result<void>> disconnect_impl(handle_ptr s);

    handle_ptr state_;
};

/**
 * \brief The pseudo-terminals of one sandbox (sandbox::pty()).
 * \par Copying
 * A cheap handle: copies share the client and the sandbox data.
 */
class pty {
public:
    /**
     * \brief Creates a terminal running an interactive login shell and attaches to it, in one
     * round trip (create-connect), as the official SDKs do.
     * \par Errors
     * errc::invalid_argument for a size outside 1..1000 (nothing is sent);
     * condition::conflict when the id is taken; condition::bad_request for a bad cwd or env
     * name; errc::wait_timeout when the daemon does not say `connected` within
     * `opts.connect_timeout`; transport and WebSocket errors.
     */
    [[nodiscard]] asio::awaitable<result<pty_handle>> create(pty_options opts) const {
        return create_impl(client_, sandbox_, std::move(opts));
    }
    /// create() with a random id, the sandbox's work dir and 80×24.
    [[nodiscard]] asio::awaitable<result<pty_handle>> create() const {
        return create_impl(client_, sandbox_, pty_options{});
    }
    /**
     * \brief Attaches to an existing terminal (another client may be attached too). A
     * terminal created but not yet started (lazy) starts now.
     * \details Attaching to a terminal whose shell has already ended succeeds with a handle
     * whose read() ends at once and whose exit_status() is set.
     * \par Errors
     * condition::not_found for an unknown id; as create().
     */
    [[nodiscard]] asio::awaitable<result<pty_handle>> connect(std::string id) const {
        return connect_impl(client_, sandbox_, std::move(id), std::chrono::seconds(10));
    }
    /// Every terminal of the sandbox.
    [[nodiscard]] asio::awaitable<result<std::vector<pty_session_info>>> list() const {
        return list_impl(client_, sandbox_);
    }
    /// One terminal; condition::not_found for an unknown id.
    [[nodiscard]] asio::awaitable<result<pty_session_info>> get(std::string id) const {
        return get_impl(client_, sandbox_, std::move(id));
    }
    /// Kills a terminal's shell (SIGKILL) and removes it; condition::not_found for an unknown id.
    [[nodiscard]] asio::awaitable<result<void>> kill(std::string id) const {
        return kill_impl(client_, sandbox_, std::move(id));
    }
    /// Resizes a terminal (as pty_handle::resize) without being attached to it.
    [[nodiscard]] asio::awaitable<result<pty_session_info>> resize(std::string id, int cols,
                                                                   int rows) const {
        return pty_handle::resize_request(client_, sandbox_, std::move(id), cols, rows);
    }

private:
    friend class sandbox;
    using state_ptr = std::shared_ptr<detail::client_state>;
    using data_ptr = std::shared_ptr<detail::sandbox_data>;

    pty(state_ptr c, data_ptr s) : client_(std::move(c)), sandbox_(std::move(s)) {}

    static DAYTONA_DECL error invalid(std::string message);

    static DAYTONA_DECL asio::awaitable<result<pty_handle>> create_impl(state_ptr c, data_ptr s,
                                                                        pty_options o);

    static DAYTONA_DECL asio::awaitable<result<pty_handle>> connect_impl(
        state_ptr c, data_ptr s, std::string id, std::chrono::milliseconds timeout);

    static DAYTONA_DECL asio::awaitable<result<std::vector<pty_session_info>>> list_impl(
        state_ptr c, data_ptr s);

    static DAYTONA_DECL asio::awaitable<result<pty_session_info>> get_impl(state_ptr c, data_ptr s,
                                                                           std::string id);

    static DAYTONA_DECL asio::awaitable<result<void>> kill_impl(state_ptr c, data_ptr s,
                                                                std::string id);

    state_ptr client_;
    data_ptr sandbox_;
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/pty.ipp"
#endif

#endif  // DAYTONA_PTY_HPP
