// SPDX-License-Identifier: Apache-2.0
// HTTP/1.1 server loop: keep-alive, bounded heads and bodies, plain or TLS.
#include "http_server.hpp"

#include <daytona/detail/percent.hpp>

#include <asio/strand.hpp>

#include <openssl/crypto.h>

#include <iostream>

namespace daytona::emulator {

namespace http_server_impl {

std::optional<std::string> find_param(std::string_view query, std::string_view name,
                                      std::vector<std::string>* all) {
    std::optional<std::string> first;
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        auto eq = pair.find('=');
        auto key = detail::percent_decode(pair.substr(0, eq), true);
        if (key && *key == name) {
            auto value = eq == std::string_view::npos
                             ? std::optional<std::string>("")
                             : detail::percent_decode(pair.substr(eq + 1), true);
            if (value) {
                if (!first) first = *value;
                if (all == nullptr) return first;
                all->push_back(std::move(*value));
            }
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return first;
}

/// Swallows a body the handler did not read, so the next request on the connection parses.
class discard_sink final : public http::body_sink {
public:
    result<void> write(std::string_view) override { return {}; }
};

}  // namespace http_server_impl
using namespace http_server_impl;

std::optional<std::string> exchange::query_param(std::string_view name) const {
    return find_param(query(), name, nullptr);
}

std::vector<std::string> exchange::query_params(std::string_view name) const {
    std::vector<std::string> all;
    find_param(query(), name, &all);
    return all;
}

asio::awaitable<result<void>> exchange::read_body() {
    if (parser_.done()) co_return result<void>{};
    co_return co_await http::read_message(stream_, parser_, buffer_);
}

asio::awaitable<result<void>> exchange::read_body(http::body_sink& sink) {
    if (parser_.done()) co_return result<void>{};
    parser_.set_sink(&sink);
    co_return co_await http::read_message(stream_, parser_, buffer_);
}

asio::awaitable<result<void>> exchange::respond(reply r) {
    responded_ = true;
    if (close_) r.headers.set("Connection", "close");
    for (auto [n, v] : extra_)
        r.headers.add(n, v);
    out_.clear();
    http::serialize_response_head(r.status, r.headers, {r.body.size()}, out_);
    const std::size_t head = out_.size();
    if (request().method != "HEAD") out_.append(r.body);
    switch (fault_) {
        case fault::none:
            co_return co_await stream_.write(asio::buffer(out_));
        case fault::reset_after_headers: {
            auto w = co_await stream_.write(asio::buffer(out_.data(), head));
            stream_.abort();
            take_over();
            co_return w;
        }
        case fault::truncate_body: {
            auto w = co_await stream_.write(asio::buffer(out_.data(), head + r.body.size() / 2));
            stream_.close();
            take_over();
            co_return w;
        }
        case fault::drip: {
            // Small pieces with a pause between them: a slow, healthy peer.
            asio::steady_timer t(stream_.get_executor());
            for (std::size_t off = 0; off < out_.size(); off += 16) {
                auto n = std::min<std::size_t>(16, out_.size() - off);
                if (auto w = co_await stream_.write(asio::buffer(out_.data() + off, n)); !w)
                    co_return w;
                t.expires_after(drip_pause_);
                std::error_code ec;
                co_await t.async_wait(net::redirect(ec));
            }
            co_return result<void>{};
        }
    }
    co_return result<void>{};
}

asio::awaitable<result<void>> exchange::begin_chunked(int status, http::fields headers) {
    responded_ = true;
    if (close_) headers.set("Connection", "close");
    for (auto [n, v] : extra_)
        headers.add(n, v);
    out_.clear();
    http::serialize_response_head(status, headers, {std::nullopt}, out_);
    co_return co_await stream_.write(asio::buffer(out_));
}

asio::awaitable<result<void>> exchange::write_chunk(std::string_view data) {
    if (data.empty()) co_return result<void>{};
    out_.clear();
    http::append_chunk(out_, data);
    co_return co_await stream_.write(asio::buffer(out_));
}

asio::awaitable<result<void>> exchange::end_chunked() {
    co_return co_await stream_.write(
        asio::buffer(http::last_chunk.data(), http::last_chunk.size()));
}

asio::awaitable<result<void>> exchange::write_raw(std::string_view bytes) {
    responded_ = true;
    co_return co_await stream_.write(asio::buffer(bytes.data(), bytes.size()));
}

http_server::http_server(server_options opts, std::shared_ptr<handler> h)
    : opts_(std::move(opts)), handler_(std::move(h)) {}

http_server::~http_server() {
    stop();
}

result<std::uint16_t> http_server::start() {
    std::error_code ec;
    if (!opts_.tls_cert_file.empty() || !opts_.tls_key_file.empty()) {
        tls_ = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
        tls_->use_certificate_chain_file(opts_.tls_cert_file, ec);
        if (!ec) tls_->use_private_key_file(opts_.tls_key_file, asio::ssl::context::pem, ec);
        if (ec)
            return error(make_error_code(errc::invalid_argument),
                         "cannot load TLS certificate or key: " + ec.message());
    }
    auto addr = asio::ip::make_address(opts_.bind_address, ec);
    if (ec)
        return error(make_error_code(errc::invalid_argument),
                     "invalid bind address " + opts_.bind_address);
    asio::ip::tcp::endpoint ep(addr, opts_.port);
    acceptor_.emplace(io_);
    acceptor_->open(ep.protocol(), ec);
    if (!ec) acceptor_->set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_->bind(ep, ec);
    if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return error(make_error_code(errc::connect_failed),
                     "cannot listen on " + opts_.bind_address + ":" + std::to_string(opts_.port) +
                         ": " + ec.message());
    port_ = acceptor_->local_endpoint().port();
    asio::co_spawn(io_, accept_loop(), asio::detached);
    // OpenSSL (TLS, and SHA-1 for WebSocket handshakes) is initialised here rather than lazily
    // on a request thread, and each request thread releases its OpenSSL state when it ends:
    // otherwise that state outlives the thread (LeakSanitizer reports it).
    OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, nullptr);
    for (unsigned i = 0; i < std::max(1u, opts_.threads); ++i)
        threads_.emplace_back([this] {
            io_.run();
            OPENSSL_thread_stop();
        });
    return port_;
}

void http_server::stop() {
    if (stopped_.exchange(true)) return;
    io_.stop();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

asio::awaitable<void> http_server::accept_loop() {
    for (;;) {
        std::error_code ec;
        // Each connection gets its own strand, so its coroutine never runs on two threads.
        asio::ip::tcp::socket sock(asio::make_strand(io_));
        co_await acceptor_->async_accept(sock, net::redirect(ec));
        if (ec) {
            if (ec == asio::error::operation_aborted || !acceptor_->is_open()) co_return;
            continue;  // e.g. EMFILE: keep serving the connections we have
        }
        auto ex = sock.get_executor();
        asio::co_spawn(ex, serve(std::move(sock)), [](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                std::cerr << "daytona-emulator: connection failed: " << x.what() << '\n';
            }
        });
    }
}

asio::awaitable<void> http_server::serve(asio::ip::tcp::socket sock) {
    net::stream s(std::move(sock));
    if (tls_) {
        s.expires_after(std::chrono::seconds(10));
        if (auto r = co_await s.accept_tls(tls_); !r) co_return;
    }
    http::flat_buffer buf;
    http::request_parser parser(opts_.limits);
    for (;;) {
        parser.reset();
        parser.pause_after_header();
        s.expires_after(opts_.idle_timeout);
        auto head = co_await http::read_header(s, parser, buf);
        if (!head) {
            // Answer malformed or oversized heads once, then drop the connection.
            const auto& e = head.error();
            int status = e == errc::header_too_large ? 431
                         : e == errc::body_too_large ? 413
                         : e == errc::protocol_error ? 400
                                                     : 0;
            if (status != 0 && parser.bytes_seen() > 0) {
                std::string out;
                http::fields h{{"Content-Type", "text/plain"}, {"Connection", "close"}};
                std::string body = e.message() + "\n";
                http::serialize_response_head(status, h, {body.size()}, out);
                out += body;
                (void)co_await s.write(asio::buffer(out));
            }
            co_return;
        }
        s.expires_never();
        exchange ex(s, parser, buf);
        co_await handler_->handle(ex);
        if (ex.taken_over()) co_return;
        if (!ex.responded()) {
            ex.close_after();
            reply fallback{.status = 500, .body = "no response\n"};
            (void)co_await ex.respond(std::move(fallback));
        }
        if (!ex.body_read() && !ex.closing()) {
            discard_sink sink;
            s.expires_after(std::chrono::seconds(30));
            if (auto r = co_await ex.read_body(sink); !r) co_return;
        }
        if (ex.closing() || !parser.done() || !parser.get().keep_alive) co_return;
    }
}

}  // namespace daytona::emulator
