// SPDX-License-Identifier: Apache-2.0
// A small HTTP/1.1 keep-alive server (plain or TLS) on the library's sans-io parser and
// serializer. Handlers get the request head and decide how to read the body and answer.
#ifndef DAYTONA_EMULATOR_HTTP_SERVER_HPP
#define DAYTONA_EMULATOR_HTTP_SERVER_HPP

#include <daytona/http/buffer.hpp>
#include <daytona/http/io.hpp>
#include <daytona/http/parser.hpp>
#include <daytona/http/serializer.hpp>
#include <daytona/net/stream.hpp>

#include <asio/ssl/context.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace daytona::emulator {

/// A complete response.
struct reply {
    int status = 200;
    http::fields headers{};
    std::string body{};
};

/**
 * \brief One request/response exchange on a connection.
 * \details The head is parsed when the handler runs; the body is read on demand (buffered or
 * into a sink). A handler must answer with respond() or a chunked sequence, or take the
 * stream over after an upgrade.
 */
class exchange {
public:
    exchange(net::stream& s, http::request_parser& p, http::flat_buffer& buf)
        : stream_(s), parser_(p), buffer_(buf) {}

    const http::incoming_request& request() const noexcept { return parser_.get(); }
    http::incoming_request& request() noexcept { return parser_.get(); }
    /// The path part of the target (still percent-encoded).
    std::string_view path() const noexcept {
        std::string_view t = parser_.get().target;
        return t.substr(0, t.find('?'));
    }
    /// The query part of the target without '?'.
    std::string_view query() const noexcept {
        std::string_view t = parser_.get().target;
        auto q = t.find('?');
        return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
    }
    /// A decoded query parameter (the first occurrence).
    std::optional<std::string> query_param(std::string_view name) const;
    /// Every decoded value of a repeated query parameter.
    std::vector<std::string> query_params(std::string_view name) const;

    /// Reads the whole body into request().body (bounded by the parser limits).
    asio::awaitable<result<void>> read_body();
    /// Streams the body into `sink`.
    asio::awaitable<result<void>> read_body(http::body_sink& sink);
    bool body_read() const noexcept { return parser_.done(); }

    asio::awaitable<result<void>> respond(reply r);

    /// Starts a chunked response; follow with write_chunk() calls and end_chunked().
    asio::awaitable<result<void>> begin_chunked(int status, http::fields headers);
    asio::awaitable<result<void>> write_chunk(std::string_view data);
    asio::awaitable<result<void>> end_chunked();

    /// Raw bytes on the connection (fault injection; WebSocket frames after an upgrade).
    asio::awaitable<result<void>> write_raw(std::string_view bytes);

    bool responded() const noexcept { return responded_; }
    /// Close the connection after this exchange.
    void close_after() noexcept { close_ = true; }
    bool closing() const noexcept { return close_; }
    /// The handler has taken over the connection (an upgrade): nothing more is read from it.
    void take_over() noexcept {
        taken_over_ = true;
        close_ = true;
    }
    bool taken_over() const noexcept { return taken_over_; }

    /// A response-shaping fault (fault injection): applied by respond().
    enum class fault { none, reset_after_headers, truncate_body, drip };
    void inject(fault f, std::chrono::milliseconds pause = {}) noexcept {
        fault_ = f;
        drip_pause_ = pause;
    }
    /// Header fields added to whatever response this exchange sends (rate-limit headers).
    http::fields& extra_headers() noexcept { return extra_; }

    net::stream& stream() noexcept { return stream_; }
    http::flat_buffer& buffer() noexcept { return buffer_; }

private:
    net::stream& stream_;
    http::request_parser& parser_;
    http::flat_buffer& buffer_;
    std::string out_;
    http::fields extra_;
    fault fault_ = fault::none;
    std::chrono::milliseconds drip_pause_{0};
    bool responded_ = false;
    bool close_ = false;
    bool taken_over_ = false;
};

class handler {
public:
    virtual ~handler() = default;
    virtual asio::awaitable<void> handle(exchange& ex) = 0;
};

struct server_options {
    std::string bind_address = "127.0.0.1";
    /// 0 picks a free port.
    std::uint16_t port = 0;
    /// Threads running the io_context.
    unsigned threads = 1;
    /// PEM certificate chain and key; both set means TLS.
    std::string tls_cert_file{};
    std::string tls_key_file{};
    http::parser_limits limits{.max_header_bytes = 64 * 1024, .max_body_bytes = 64 * 1024 * 1024};
    /// Keep-alive connections idle longer than this are closed.
    std::chrono::milliseconds idle_timeout{120'000};
};

/// Accepts connections and runs each one's requests through a handler.
class http_server {
public:
    http_server(server_options opts, std::shared_ptr<handler> h);
    ~http_server();
    http_server(const http_server&) = delete;
    http_server& operator=(const http_server&) = delete;

    /// Binds and starts the threads. Returns the bound port.
    result<std::uint16_t> start();
    /// Stops accepting, closes connections and joins the threads. Idempotent.
    void stop();
    std::uint16_t port() const noexcept { return port_; }
    bool tls() const noexcept { return tls_ != nullptr; }
    asio::io_context& context() noexcept { return io_; }

private:
    asio::awaitable<void> accept_loop();
    asio::awaitable<void> serve(asio::ip::tcp::socket sock);

    server_options opts_;
    std::shared_ptr<handler> handler_;
    asio::io_context io_;
    std::optional<asio::ip::tcp::acceptor> acceptor_;
    std::shared_ptr<asio::ssl::context> tls_;
    std::vector<std::thread> threads_;
    std::uint16_t port_ = 0;
    std::atomic<bool> stopped_{false};
};

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_HTTP_SERVER_HPP
