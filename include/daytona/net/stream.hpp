// SPDX-License-Identifier: Apache-2.0
// A TCP or TLS client stream that owns its deadline (the Beast basic_stream idea, on asio 1.22).
#ifndef DAYTONA_NET_STREAM_HPP
#define DAYTONA_NET_STREAM_HPP

#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/net/asio_compat.hpp"
#include "daytona/net/tls_context.hpp"
#include "daytona/result.hpp"

#include <asio/ssl/stream.hpp>

#include <chrono>
#include <cstdint>
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
    DAYTONA_DECL explicit stream(asio::any_io_executor ex);

    /// Wraps an accepted socket (server side; the emulator uses this).
    DAYTONA_DECL explicit stream(asio::ip::tcp::socket accepted);
    stream(const stream&) = delete;
    stream& operator=(const stream&) = delete;
    /// Moving hands the connection over (a pooled connection becoming a WebSocket); the
    /// moved-from stream is closed and holds nothing.
    stream(stream&&) noexcept = default;
    /// Closes this stream, then takes over the connection of `other`.
    DAYTONA_DECL stream& operator=(stream&& other) noexcept;
    ~stream() { close(); }

    /// The executor the stream's operations run on.
    asio::any_io_executor get_executor() const { return impl_->socket.get_executor(); }

    /// Operations fail with errc::timeout once `deadline` passes.
    DAYTONA_DECL void expires_at(clock::time_point deadline);
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
    DAYTONA_DECL asio::awaitable<result<void>> connect(std::string host, std::uint16_t port,
                                                       std::shared_ptr<asio::ssl::context> tls,
                                                       bool verify_host = true);

    /// Performs the server side of a TLS handshake on an accepted socket.
    DAYTONA_DECL asio::awaitable<result<void>> accept_tls(std::shared_ptr<asio::ssl::context> tls);

    /// Reads some bytes; 0 means the peer closed the stream.
    DAYTONA_DECL asio::awaitable<result<std::size_t>> read_some(asio::mutable_buffer buf);

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
    DAYTONA_DECL void close() noexcept;

    /// Closes with a TCP reset instead of an orderly shutdown (the emulator's fault injection).
    DAYTONA_DECL void abort() noexcept;

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
    DAYTONA_DECL bool peer_closed() const noexcept;

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

    DAYTONA_DECL daytona::error fail(const std::error_code& ec, errc kind,
                                     const std::string& what) const;

    std::shared_ptr<impl> impl_;
};

}  // namespace net
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/net/impl/stream.ipp"
#endif

#endif  // DAYTONA_NET_STREAM_HPP
