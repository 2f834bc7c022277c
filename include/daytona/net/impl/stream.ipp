// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of net/stream.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_NET_IMPL_STREAM_IPP
#define DAYTONA_NET_IMPL_STREAM_IPP

#include "daytona/net/stream.hpp"

#include <sys/socket.h>
#include <asio/ip/address.hpp>
#include <asio/ssl/error.hpp>

#include <cerrno>
#include <utility>

DAYTONA_BEGIN_NAMESPACE
namespace net {

stream::stream(asio::any_io_executor ex) : impl_(std::make_shared<impl>(std::move(ex))) {}

stream::stream(asio::ip::tcp::socket accepted)
    : impl_(std::make_shared<impl>(accepted.get_executor())) {
    impl_->socket = std::move(accepted);
    std::error_code ignored;
    impl_->socket.set_option(asio::ip::tcp::no_delay(true), ignored);
}

stream& stream::operator=(stream&& other) noexcept {
    if (this != &other) {
        close();
        impl_ = std::move(other.impl_);
    }
    return *this;
}

void stream::expires_at(clock::time_point deadline) {
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

asio::awaitable<result<void>> stream::connect(std::string host, std::uint16_t port,
                                              std::shared_ptr<asio::ssl::context> tls,
                                              bool verify_host) {
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

asio::awaitable<result<void>> stream::accept_tls(std::shared_ptr<asio::ssl::context> tls) {
    auto keep = impl_;
    impl& s = *keep;
    std::error_code ec;
    s.tls_ctx = std::move(tls);
    s.tls.emplace(s.socket, *s.tls_ctx);
    co_await s.tls->async_handshake(asio::ssl::stream_base::server, redirect(ec));
    if (ec) co_return fail(ec, errc::tls_handshake_failed, "TLS accept");
    co_return result<void>{};
}

asio::awaitable<result<std::size_t>> stream::read_some(asio::mutable_buffer buf) {
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

void stream::close() noexcept {
    if (!impl_) return;
    ++impl_->generation;
    std::error_code ignored;
    impl_->timer.cancel();
    impl_->resolver.cancel();
    impl_->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    impl_->socket.close(ignored);
}

void stream::abort() noexcept {
    if (!impl_) return;
    std::error_code ignored;
    impl_->socket.set_option(asio::socket_base::linger(true, 0), ignored);
    ++impl_->generation;
    impl_->timer.cancel();
    impl_->socket.close(ignored);
}

bool stream::peer_closed() const noexcept {
    if (!is_open()) return true;
    char c;
    auto fd = const_cast<asio::ip::tcp::socket&>(impl_->socket).native_handle();
    ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0) return !(errno == EAGAIN || errno == EWOULDBLOCK);
    return !impl_->tls.has_value();
}

daytona::error stream::fail(const std::error_code& ec, errc kind, const std::string& what) const {
    if (impl_->timed_out)
        return daytona::error(make_error_code(errc::timeout), what + ": deadline expired");
    if (ec == asio::error::operation_aborted)
        return daytona::error(make_error_code(errc::cancelled), what + ": cancelled");
    return daytona::error(make_error_code(kind), what + ": " + ec.message());
}

}  // namespace net
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_NET_IMPL_STREAM_IPP
