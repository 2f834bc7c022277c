// SPDX-License-Identifier: Apache-2.0
// Awaitable write of a request and read of a message over any stream with read_some/write.
#ifndef DAYTONA_HTTP_IO_HPP
#define DAYTONA_HTTP_IO_HPP

#include "daytona/config.hpp"
#include "daytona/http/buffer.hpp"
#include "daytona/http/parser.hpp"
#include "daytona/http/request.hpp"
#include "daytona/http/serializer.hpp"
#include "daytona/net/asio_compat.hpp"
#include "daytona/result.hpp"

#include <asio/buffer.hpp>

#include <array>
#include <string>

DAYTONA_BEGIN_NAMESPACE

namespace detail {
template <class Stream, bool IsRequest, class Done>
asio::awaitable<result<void>> read_until(Stream& s, http::basic_parser<IsRequest>& p,
                                         http::flat_buffer& buf, Done done) {
    for (;;) {
        while (buf.size() > 0 && !done()) {
            auto used = p.feed(buf.data());
            if (!used) co_return std::move(used).error();
            buf.consume(*used);
            if (*used == 0) break;
        }
        if (done()) co_return result<void>{};
        auto [ptr, cap] = buf.prepare(8 * 1024);
        auto n = co_await s.read_some(asio::buffer(ptr, std::min<std::size_t>(cap, 64 * 1024)));
        if (!n) co_return std::move(n).error();
        if (*n == 0) {
            if (auto r = p.feed_eof(); !r) co_return r;
            if (done()) co_return result<void>{};
            co_return error(make_error_code(errc::connection_closed), "connection closed");
        }
        buf.commit(*n);
    }
}
}  // namespace detail

namespace http {

/// Bodies up to this size are copied behind the head and sent with one write.
inline constexpr std::size_t inline_body_limit = 16 * 1024;
/// Size of the pieces a streamed body is read and sent in.
inline constexpr std::size_t stream_chunk_size = 64 * 1024;

/**
 * \brief Writes `req` (head and body) to `s`.
 * \details Small bodies go out with the head in one write; large in-memory bodies with a gather
 * write (no copy); streamed bodies piece by piece, chunk-framed when their size is unknown. A
 * streamed body that ends before its announced size is an error (errc::io_error), never a
 * silently short request.
 * \param scratch reusable buffer for the head (its contents are replaced).
 */
template <class Stream>
asio::awaitable<result<void>> write_request(Stream& s, const request& req, std::string& scratch) {
    scratch.clear();
    serialize_request_head(req, scratch);
    if (!req.stream) {
        if (req.body.size() <= inline_body_limit) {
            scratch.append(req.body);
            co_return co_await s.write(asio::buffer(scratch));
        }
        std::array<asio::const_buffer, 2> bufs{asio::buffer(scratch), asio::buffer(req.body)};
        co_return co_await s.write(bufs);
    }
    if (auto r = co_await s.write(asio::buffer(scratch)); !r) co_return r;
    const auto declared = req.stream->size();
    std::string chunk(stream_chunk_size + 32, '\0');
    std::uint64_t sent = 0;
    for (;;) {
        // Leave room in front for the chunk-size line, so each piece is one write.
        constexpr std::size_t header_room = 24;
        auto n = req.stream->read(chunk.data() + header_room, stream_chunk_size);
        if (!n) co_return std::move(n).error();
        if (*n == 0) break;
        sent += *n;
        if (declared && sent > *declared)
            co_return error(make_error_code(errc::io_error),
                            "request body source produced more than its declared size");
        if (declared) {
            if (auto r = co_await s.write(asio::buffer(chunk.data() + header_room, *n)); !r)
                co_return r;
        } else {
            std::string head;
            append_chunk_header(head, *n);
            char* start = chunk.data() + header_room - head.size();
            std::memcpy(start, head.data(), head.size());
            chunk[header_room + *n] = '\r';
            chunk[header_room + *n + 1] = '\n';
            if (auto r = co_await s.write(asio::buffer(start, head.size() + *n + 2)); !r)
                co_return r;
        }
    }
    if (declared && sent != *declared)
        co_return error(make_error_code(errc::io_error), "request body source ended after " +
                                                             std::to_string(sent) + " of " +
                                                             std::to_string(*declared) + " bytes");
    if (!declared) co_return co_await s.write(asio::buffer(last_chunk.data(), last_chunk.size()));
    co_return result<void>{};
}

/**
 * \brief Reads one whole message into `p`, starting with whatever `buf` already holds.
 * \details Bytes after the end of the message stay in `buf` for the next one.
 * \par Errors
 * The parser's errors, the stream's, and errc::connection_closed for an early end of stream.
 */
template <class Stream, bool IsRequest>
asio::awaitable<result<void>> read_message(Stream& s, basic_parser<IsRequest>& p,
                                           flat_buffer& buf) {
    return detail::read_until(s, p, buf, [&p] { return p.done(); });
}

/// Reads until the message head is complete (the parser should have pause_after_header set),
/// so the caller can choose where the body goes; then call read_message for the rest.
template <class Stream, bool IsRequest>
asio::awaitable<result<void>> read_header(Stream& s, basic_parser<IsRequest>& p, flat_buffer& buf) {
    return detail::read_until(s, p, buf, [&p] { return p.header_done(); });
}

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_IO_HPP
