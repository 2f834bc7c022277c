// SPDX-License-Identifier: Apache-2.0
// Sans-io HTTP/1.1 serialization: request and response heads, and chunked framing.
#ifndef DAYTONA_HTTP_SERIALIZER_HPP
#define DAYTONA_HTTP_SERIALIZER_HPP

#include "daytona/config.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/error.hpp"
#include "daytona/http/fields.hpp"
#include "daytona/http/request.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE

namespace detail {
inline void append_fields(std::string& out, const http::fields& f) {
    for (auto [name, value] : f) {
        out.append(name);
        out.append(": ", 2);
        out.append(value);
        out.append("\r\n", 2);
    }
}
/// Header names the serializer owns: a caller's value would contradict the framing it writes.
inline bool is_framing_field(std::string_view name) noexcept {
    return iequals(name, "content-length") || iequals(name, "transfer-encoding");
}
}  // namespace detail

namespace http {

/// How a body is framed on the wire.
struct body_framing {
    /// Content-Length value, or nullopt for chunked transfer encoding.
    std::optional<std::uint64_t> length{};
};

/// The framing a request's body needs: its length when known, chunked otherwise.
inline body_framing framing_of(const request& req) {
    if (req.stream) return {req.stream->size()};
    return {req.body.size()};
}

/**
 * \brief Appends the request line and header block (ending with the blank line) to `out`.
 * \details Adds `Host` unless present, and the framing field: `Content-Length` for known sizes
 * (also 0 for POST/PUT/PATCH without a body, which some servers require) or
 * `Transfer-Encoding: chunked`. Caller-supplied framing fields are ignored. Header values must
 * not contain CR or LF; the transport validates user-provided ones before getting here.
 */
inline void serialize_request_head(const request& req, std::string& out) {
    const auto framing = framing_of(req);
    out.reserve(out.size() + 64 + req.target.size() + req.headers.wire_size());
    out.append(to_string(req.method));
    out += ' ';
    out.append(req.target);
    out.append(" HTTP/1.1\r\n", 11);
    if (!req.headers.contains("host")) {
        out.append("Host: ", 6);
        out.append(req.origin.host_header());
        out.append("\r\n", 2);
    }
    for (auto [name, value] : req.headers) {
        if (detail::is_framing_field(name)) continue;
        out.append(name);
        out.append(": ", 2);
        out.append(value);
        out.append("\r\n", 2);
    }
    const bool body_method =
        req.method == verb::post || req.method == verb::put || req.method == verb::patch;
    if (!framing.length) {
        out.append("Transfer-Encoding: chunked\r\n");
    } else if (*framing.length > 0 || body_method) {
        out.append("Content-Length: ");
        detail::append_int(out, *framing.length);
        out.append("\r\n", 2);
    }
    out.append("\r\n", 2);
}

/**
 * \brief Appends a status line and header block to `out` (server side).
 * \param framing Content-Length to send, or nullopt for chunked. Responses that must not have a
 * body (1xx, 204, 304) get no framing field at all.
 */
inline void serialize_response_head(int status, const fields& headers, body_framing framing,
                                    std::string& out) {
    out.append("HTTP/1.1 ");
    detail::append_int(out, status);
    out += ' ';
    out.append(http_reason_phrase(status));
    out.append("\r\n", 2);
    for (auto [name, value] : headers) {
        if (detail::is_framing_field(name)) continue;
        out.append(name);
        out.append(": ", 2);
        out.append(value);
        out.append("\r\n", 2);
    }
    const bool bodiless = (status >= 100 && status < 200) || status == 204 || status == 304;
    if (!bodiless) {
        if (framing.length) {
            out.append("Content-Length: ");
            detail::append_int(out, *framing.length);
            out.append("\r\n", 2);
        } else {
            out.append("Transfer-Encoding: chunked\r\n");
        }
    }
    out.append("\r\n", 2);
}

/// Appends the size line of one chunk ("1a2b\r\n"); the data and "\r\n" follow it.
inline void append_chunk_header(std::string& out, std::size_t size) {
    static constexpr char hex[] = "0123456789abcdef";
    char buf[20];
    int i = 20;
    do {
        buf[--i] = hex[size & 0xF];
        size >>= 4;
    } while (size != 0);
    out.append(buf + i, buf + 20);
    out.append("\r\n", 2);
}

/// Appends one whole chunk (header, data, CRLF). An empty `data` appends nothing, because an
/// empty chunk would end the body.
inline void append_chunk(std::string& out, std::string_view data) {
    if (data.empty()) return;
    append_chunk_header(out, data.size());
    out.append(data);
    out.append("\r\n", 2);
}

/// The last chunk and the end of a chunked body (no trailers).
inline constexpr std::string_view last_chunk = "0\r\n\r\n";

/// True if `value` can be sent as a header value: no CR, LF or NUL (no header injection).
constexpr bool is_valid_field_value(std::string_view value) noexcept {
    for (char c : value)
        if (c == '\r' || c == '\n' || c == '\0') return false;
    return true;
}

/// True if `name` is an RFC 9110 token.
constexpr bool is_valid_field_name(std::string_view name) noexcept {
    if (name.empty()) return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_SERIALIZER_HPP
