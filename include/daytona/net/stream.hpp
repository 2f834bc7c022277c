// SPDX-License-Identifier: Apache-2.0
// A TCP or TLS client stream that owns its deadline (the Beast basic_stream idea, on asio 1.22).
#ifndef DAYTONA_NET_STREAM_HPP
#define DAYTONA_NET_STREAM_HPP

#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/net/asio_compat.hpp"
#include "daytona/net/tls_context.hpp"
#include "daytona/result.hpp"

#include <sys/socket.h>
#include <asio/ssl/error.hpp>
#include <asio/ssl/stream.hpp>

#include <cerrno>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

DAYTONA_BEGIN_NAMESPACE
namespace net {

using clock = std::chrono::steady_clock;

/**
 * \brief A connected byte stream, plain TCP or TLS, whose operations are bounded by a deadline.
 * \details Set the deadline with expires_at() before a sequence of operations; when it passes,
 * the socket is closed and the pending operation fails with errc::timeout. Asio per-operation
 * cancellation of the awaiting coroutine makes the pending operation fail with errc::cancelled.
 * After any failure the stream is unusable; close it. End of stream is a successful read of 0
 * bytes, so the HTTP parser can complete a body delimited by the connection's end.
 *
 * \par Thread safety
 * Distinct objects: safe. Shared objects: unsafe; one operation at a time per direction.
 */
class stream {
public:
    /// An unconnected stream on `ex`; connect() it.
    explicit stream(asio::any_io_executor ex) : impl_(std::make_shared<impl>(std::move(ex))) {}

    /// Wraps an accepted socket (server side; the emulator uses this).
    explicit stream(asio::ip::tcp::socket accepted)
        : impl_(std::make_shared<impl>(accepted.get_executor())) {
        impl_->socket = std::move(accepted);
        std::error_code ignored;
        impl_->socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    }
    stream(const stream&) = delete;
    stream& operator=(const stream&) = delete;
    /// Moving hands the connection over (a pooled connection becoming a WebSocket); the
    /// moved-from stream is closed and holds nothing.
    stream(stream&&) noexcept = default;
    /// Closes this stream, then takes over the connection of `other`.
    stream& operator=(stream&& other) noexcept {
        if (this != &other) {
            close();
            impl_ = std::move(other.impl_);
        }
        return *this;
    }
    ~stream() { close(); }

    /// The executor the stream's operations run on.
    asio::any_io_executor get_executor() const { return impl_->socket.get_executor(); }

    /// Operations fail with errc::timeout once `deadline` passes.
    void expires_at(clock::time_point deadline) {
        impl& s = *impl_;
        ++s.generation;
        s.timed_out = false;
        if (deadline == clock::time_point::max()) {
            s.timer.cancel();
            return;
        }
        s.timer.expires_at(deadline);
        s.timer.async_wait(
            [weak = std::weak_ptr<impl>(impl_), gen = s.generation](const std::error_code& ec) {
                if (ec) return;  // re-armed or cancelled
                auto p = weak.lock();
                if (!p || p->generation != gen) return;
                p->timed_out = true;
                p->shutdown_socket();
            });
    }
    /// Operations fail with errc::timeout once `d` has passed from now.
    void expires_after(std::chrono::milliseconds d) { expires_at(clock::now() + d); }
    /// Removes the deadline.
    void expires_never() { expires_at(clock::time_point::max()); }

    /**
     * \brief Resolves `host`, connects, and performs the TLS handshake when `tls` is set.
     * \par Errors
     * errc::resolve_failed, errc::connect_failed, errc::tls_handshake_failed (with the
     * certificate verification reason), errc::timeout, errc::cancelled.
     */
    asio::awaitable<result<void>> connect(std::string host, std::uint16_t port,
                                          std::shared_ptr<asio::ssl::context> tls,
                                          bool verify_host = true) {
        auto keep = impl_;
        impl& s = *keep;
        std::error_code ec;
        std::string where = host + ':' + std::to_string(port);
        asio::ip::tcp::resolver::results_type endpoints;
        auto literal = asio::ip::make_address(host, ec);
        if (!ec) {
            // An IP literal needs no resolver (and no trip through its background thread).
            endpoints = asio::ip::tcp::resolver::results_type::create(
                asio::ip::tcp::endpoint(literal, port), host, std::to_string(port));
        } else {
            ec.clear();
            endpoints = co_await s.resolver.async_resolve(host, std::to_string(port), redirect(ec));
            if (ec) co_return fail(ec, errc::resolve_failed, "resolve " + host);
        }
        // The condition stops the walk over further addresses once the deadline has closed the
        // socket; otherwise async_connect would reopen it for the next address.
        const auto until_deadline = [&s](const std::error_code&, const asio::ip::tcp::endpoint&) {
            return !s.timed_out;
        };  // named: no capturing lambda inside a co_await expression (GCC 12)
        co_await asio::async_connect(s.socket, endpoints, until_deadline, redirect(ec));
        if (ec) co_return fail(ec, errc::connect_failed, "connect to " + where);
        s.socket.set_option(asio::ip::tcp::no_delay(true), ec);
        ec.clear();
        if (tls) {
            s.tls_ctx = std::move(tls);
            s.tls.emplace(s.socket, *s.tls_ctx);
            if (auto r = prepare_tls_session(s.tls->native_handle(), host, verify_host); !r)
                co_return r;
            co_await s.tls->async_handshake(asio::ssl::stream_base::client, redirect(ec));
            if (ec) {
                if (s.timed_out || ec == asio::error::operation_aborted)
                    co_return fail(ec, errc::tls_handshake_failed, "TLS handshake with " + where);
                co_return error(make_error_code(errc::tls_handshake_failed),
                                "TLS handshake with " + where + ": " +
                                    tls_failure_reason(s.tls->native_handle(), ec));
            }
        }
        co_return result<void>{};
    }

    /// Performs the server side of a TLS handshake on an accepted socket.
    asio::awaitable<result<void>> accept_tls(std::shared_ptr<asio::ssl::context> tls) {
        auto keep = impl_;
        impl& s = *keep;
        std::error_code ec;
        s.tls_ctx = std::move(tls);
        s.tls.emplace(s.socket, *s.tls_ctx);
        co_await s.tls->async_handshake(asio::ssl::stream_base::server, redirect(ec));
        if (ec) co_return fail(ec, errc::tls_handshake_failed, "TLS accept");
        co_return result<void>{};
    }

    /// Reads some bytes; 0 means the peer closed the stream.
    asio::awaitable<result<std::size_t>> read_some(asio::mutable_buffer buf) {
        auto keep = impl_;
        impl& s = *keep;
        std::error_code ec;
        std::size_t n = s.tls ? co_await s.tls->async_read_some(buf, redirect(ec))
                              : co_await s.socket.async_read_some(buf, redirect(ec));
        if (n > 0) co_return n;
        if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated)
            co_return std::size_t{0};
        if (!ec) co_return std::size_t{0};
        co_return fail(ec, errc::connection_closed, "read");
    }

    /// Writes all of `buffers` (which must stay valid until completion).
    template <class ConstBufferSequence>
    asio::awaitable<result<void>> write(const ConstBufferSequence& buffers) {
        auto keep = impl_;
        impl& s = *keep;
        std::error_code ec;
        if (s.tls)
            co_await asio::async_write(*s.tls, buffers, redirect(ec));
        else
            co_await asio::async_write(s.socket, buffers, redirect(ec));
        if (ec) co_return fail(ec, errc::connection_closed, "write");
        co_return result<void>{};
    }

    /// Closes the socket; pending operations complete with an error.
    void close() noexcept {
        if (!impl_) return;
        ++impl_->generation;
        std::error_code ignored;
        impl_->timer.cancel();
        impl_->resolver.cancel();
        impl_->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        impl_->socket.close(ignored);
    }

    /// Closes with a TCP reset instead of an orderly shutdown (the emulator's fault injection).
    void abort() noexcept {
        if (!impl_) return;
        std::error_code ignored;
        impl_->socket.set_option(asio::socket_base::linger(true, 0), ignored);
        ++impl_->generation;
        impl_->timer.cancel();
        impl_->socket.close(ignored);
    }

    /// True while the socket is open.
    bool is_open() const noexcept { return impl_ && impl_->socket.is_open(); }
    /// True when the stream runs TLS (after connect() with a TLS context, or accept_tls()).
    bool is_tls() const noexcept { return impl_ && impl_->tls.has_value(); }

    /**
     * \brief True if an idle connection can no longer be used: the peer closed it or it errored.
     * \details A non-blocking peek, so a stale pooled socket is detected before a request is
     * written to it. Bytes waiting on a TLS socket are normal (session tickets arrive after the
     * handshake); on a plain one they are an unsolicited response, so the socket is not reusable.
     */
    bool peer_closed() const noexcept {
        if (!is_open()) return true;
        char c;
        auto fd = const_cast<asio::ip::tcp::socket&>(impl_->socket).native_handle();
        ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n == 0) return true;
        if (n < 0) return !(errno == EAGAIN || errno == EWOULDBLOCK);
        return !impl_->tls.has_value();
    }

private:
    struct impl {
        explicit impl(asio::any_io_executor ex) : socket(ex), resolver(ex), timer(ex) {}
        asio::ip::tcp::socket socket;
        asio::ip::tcp::resolver resolver;
        asio::steady_timer timer;
        std::shared_ptr<asio::ssl::context> tls_ctx;
        std::optional<asio::ssl::stream<asio::ip::tcp::socket&>> tls;
        std::uint64_t generation = 0;
        bool timed_out = false;

        void shutdown_socket() noexcept {
            std::error_code ignored;
            resolver.cancel();
            socket.close(ignored);
        }
    };

    daytona::error fail(const std::error_code& ec, errc kind, const std::string& what) const {
        if (impl_->timed_out)
            return daytona::error(make_error_code(errc::timeout), what + ": deadline expired");
        if (ec == asio::error::operation_aborted)
            return daytona::error(make_error_code(errc::cancelled), what + ": cancelled");
        return daytona::error(make_error_code(kind), what + ": " + ec.message());
    }

    std::shared_ptr<impl> impl_;
};

}  // namespace net
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_NET_STREAM_HPP
