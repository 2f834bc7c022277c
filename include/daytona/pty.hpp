// SPDX-License-Identifier: Apache-2.0
// daytona::pty: pseudo-terminals in a sandbox. An interactive login shell on a real terminal,
// reached over a WebSocket: read what it prints, type into it, resize it, kill it, and learn how
// it ended.
#ifndef DAYTONA_PTY_HPP
#define DAYTONA_PTY_HPP

#include "daytona/api/toolbox/pty.hpp"
#include "daytona/client_state.hpp"
#include "daytona/codec/pty.hpp"
#include "daytona/config.hpp"
#include "daytona/models/pty.hpp"
#include "daytona/net/crypto.hpp"
#include "daytona/polling.hpp"

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

    static error fail(std::error_code code, std::string message, std::string_view operation) {
        return error(
            code, error_info{.message = std::move(message), .operation = std::string(operation)});
    }

    /// What a close frame means: the end of the shell (ended, exit set), or an error.
    static result<void> on_close(shared& s, const http::websocket::message& m,
                                 std::string_view operation) {
        s.ended = true;
        const auto code = m.close_code();
        const auto reason = pty_protocol::parse_close_reason(m.close_reason());
        if (reason && reason->error) {
            const bool missing = reason->error->find("not found") != std::string::npos;
            return fail(make_error_code(missing ? errc::not_found : errc::protocol_error),
                        *reason->error, operation);
        }
        if (code == http::websocket::policy_violation)
            return fail(make_error_code(errc::connection_closed),
                        "the daemon dropped this client: " + std::string(m.close_reason()),
                        operation);
        if (s.exit) return {};
        if (reason && reason->exit_code) {
            s.exit = pty_exit{*reason->exit_code, reason->exit_reason.value_or("")};
            return {};
        }
        if (code == http::websocket::normal || code == http::websocket::no_status) {
            s.exit = pty_exit{};  // a clean close without a readable reason: exit 0
            return {};
        }
        return fail(make_error_code(errc::protocol_error),
                    "the terminal closed with " + std::to_string(code) + ": " +
                        std::string(m.close_reason()),
                    operation);
    }

    /// The next piece of output, or "" at the end; `connected` is set when the daemon's
    /// `connected` message arrives (then "" is answered without the end).
    static asio::awaitable<result<std::string>> next(handle_ptr s, std::string_view operation,
                                                     bool* connected) {
        for (;;) {
            if (s->ended) co_return std::string();
            auto m = co_await s->ws.read();
            if (!m) {
                // The connection broke after the shell's exit was announced: that is the end.
                if (s->exit && m.error() == errc::connection_closed) {
                    s->ended = true;
                    co_return std::string();
                }
                co_return std::move(m).error().with_operation(operation);
            }
            switch (m->op) {
                case http::websocket::opcode::close: {
                    auto c = on_close(*s, *m, operation);
                    if (!c) co_return std::move(c).error();
                    co_return std::string();
                }
                case http::websocket::opcode::text:
                    if (auto control = pty_protocol::parse_control(m->payload)) {
                        if (control->status == "connected") {
                            if (connected) {
                                *connected = true;
                                co_return std::string();
                            }
                        } else if (control->status == "exited") {
                            s->exit = pty_exit{control->exit_code.value_or(0),
                                               control->exit_reason.value_or("")};
                        } else if (control->status == "error") {
                            co_return fail(make_error_code(errc::protocol_error),
                                           "the terminal failed: " + control->error.value_or(""),
                                           operation);
                        }
                        continue;
                    }
                    [[fallthrough]];
                default:
                    if (m->payload.empty()) continue;
                    co_return std::move(m->payload);
            }
        }
    }

    static asio::awaitable<result<std::string>> read_impl(handle_ptr s) {
        if (!s->early.empty()) co_return std::exchange(s->early, std::string());
        co_return co_await next(std::move(s), "pty_read", nullptr);
    }

    /// Waits for the daemon's `connected` message, keeping any output that comes first.
    static asio::awaitable<result<void>> handshake(handle_ptr s) {
        for (;;) {
            bool connected = false;
            auto r = co_await next(s, "connect_pty", &connected);
            if (!r) co_return std::move(r).error();
            if (connected || s->ended) co_return result<void>{};
            s->early += *r;
            if (s->early.size() > max_early_output)
                co_return fail(make_error_code(errc::protocol_error),
                               "more than 1 MiB of output before the connected message",
                               "connect_pty");
        }
    }

    /// The handshake, within `timeout`.
    static asio::awaitable<result<pty_handle>> finish_connect(handle_ptr s,
                                                              std::chrono::milliseconds timeout) {
        auto shake = handshake(s);
        auto limit = detail::pause(timeout, "connect_pty");
        auto raced = detail::first_of(std::move(shake), std::move(limit));
        auto outcome = co_await std::move(raced);
        if (outcome.index() == 0) {
            auto r = std::move(std::get<0>(outcome));
            if (!r) {
                s->ws.abort();
                co_return std::move(r).error();
            }
            co_return pty_handle(std::move(s));
        }
        s->ws.abort();
        auto p = std::move(std::get<1>(outcome));
        if (!p) co_return std::move(p).error();
        co_return detail::wait_timed_out("connect_pty", "no connected message from the terminal",
                                         timeout);
    }

    static asio::awaitable<result<void>> write_impl(handle_ptr s, std::string data) {
        if (s->ended)
            co_return fail(make_error_code(errc::connection_closed), "the terminal has ended",
                           "pty_write");
        auto w = co_await s->ws.write_binary(data);
        if (!w) co_return std::move(w).error().with_operation("pty_write");
        co_return w;
    }

    static asio::awaitable<result<pty_session_info>> resize_request(state_ptr c, data_ptr d,
                                                                    std::string id, int cols,
                                                                    int rows) {
        if (cols < 1 || rows < 1 || cols > 1000 || rows > 1000)
            co_return fail(make_error_code(errc::invalid_argument),
                           "cols and rows must be between 1 and 1000", "resize_pty_session");
        auto ch = co_await detail::toolbox_channel(c, d, {});
        if (!ch) co_return std::move(ch).error();
        const pty_resize_request body{.cols = cols, .rows = rows};
        co_return co_await api::resize_pty_session(*ch, id, body);
    }

    static asio::awaitable<result<void>> kill_impl(handle_ptr s) {
        auto ch = co_await detail::toolbox_channel(s->client, s->sandbox, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::delete_pty_session(*ch, s->id);
    }

    static asio::awaitable<result<pty_exit>> wait_impl(
        handle_ptr s, std::function<void(std::string_view)> on_output) {
        for (;;) {
            auto r = co_await read_impl(s);
            if (!r) co_return std::move(r).error();
            if (r->empty()) break;
            if (on_output) on_output(*r);
        }
        co_return s->exit.value_or(pty_exit{});
    }

    static asio::awaitable<result<void>> disconnect_impl(handle_ptr s) {
        if (s->ended) co_return result<void>{};
        s->ended = true;
        auto c = co_await s->ws.close();
        if (!c) {
            s->ws.abort();
            co_return result<void>{};
        }
        // Read until the daemon's close answers ours (output still in flight is dropped).
        for (int i = 0; i < 1024; ++i) {
            auto m = co_await s->ws.read();
            if (!m || m->op == http::websocket::opcode::close) break;
        }
        co_return result<void>{};
    }

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

    static error invalid(std::string message) {
        return error(make_error_code(errc::invalid_argument),
                     error_info{.message = std::move(message), .operation = "create_connect_pty"});
    }

    static asio::awaitable<result<pty_handle>> create_impl(state_ptr c, data_ptr s, pty_options o) {
        if (o.cols < 1 || o.rows < 1 || o.cols > 1000 || o.rows > 1000)
            co_return invalid("cols and rows must be between 1 and 1000");
        if (o.connect_timeout.count() <= 0) co_return invalid("connect_timeout must be positive");
        if (o.id.empty()) {
            std::string hex;
            for (unsigned char b : net::random_bytes(8)) {
                hex += "0123456789abcdef"[b >> 4];
                hex += "0123456789abcdef"[b & 15];
            }
            o.id = "pty-" + hex;
        }
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        http::websocket::connect_options wo;
        wo.subprotocols = pty_protocol::offers(o.env);
        std::string query = api::create_connect_pty_query(o.id, o.cols, o.rows, o.cwd);
        auto ws = co_await api::create_connect_pty(*ch, std::move(query), std::move(wo));
        if (!ws) co_return std::move(ws).error();
        auto shared = std::make_shared<pty_handle::shared>(
            pty_handle::shared{c, s, std::move(o.id), std::move(*ws), {}, {}, false});
        co_return co_await pty_handle::finish_connect(std::move(shared), o.connect_timeout);
    }

    static asio::awaitable<result<pty_handle>> connect_impl(state_ptr c, data_ptr s, std::string id,
                                                            std::chrono::milliseconds timeout) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        http::websocket::connect_options wo;
        wo.subprotocols.emplace_back(pty_protocol::exit_control);
        auto ws = co_await api::connect_pty_session(*ch, id, std::move(wo));
        if (!ws) co_return std::move(ws).error();
        auto shared = std::make_shared<pty_handle::shared>(
            pty_handle::shared{c, s, std::move(id), std::move(*ws), {}, {}, false});
        co_return co_await pty_handle::finish_connect(std::move(shared), timeout);
    }

    static asio::awaitable<result<std::vector<pty_session_info>>> list_impl(state_ptr c,
                                                                            data_ptr s) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        auto r = co_await api::list_pty_sessions(*ch);
        if (!r) co_return std::move(r).error();
        co_return std::move(r->sessions);
    }

    static asio::awaitable<result<pty_session_info>> get_impl(state_ptr c, data_ptr s,
                                                              std::string id) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::get_pty_session(*ch, id);
    }

    static asio::awaitable<result<void>> kill_impl(state_ptr c, data_ptr s, std::string id) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::delete_pty_session(*ch, id);
    }

    state_ptr client_;
    data_ptr sandbox_;
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_PTY_HPP
