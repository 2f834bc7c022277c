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
DAYTONA_DECL void append_fields(std::string& out, const http::fields& f);
/// Header names the serializer owns: a caller's value would contradict the framing it writes.
DAYTONA_DECL bool is_framing_field(std::string_view name) noexcept;
}  // namespace detail

namespace http {

/// How a body is framed on the wire.
struct body_framing {
    /// Content-Length value, or nullopt for chunked transfer encoding.
    std::optional<std::uint64_t> length{};
};

/// The framing a request's body needs: its length when known, chunked otherwise.
DAYTONA_DECL body_framing framing_of(const request& req);

/**
 * \brief Appends the request line and header block (ending with the blank line) to `out`.
 * \details Adds `Host` unless present, and the framing field: `Content-Length` for known sizes
 * (also 0 for POST/PUT/PATCH without a body, which some servers require) or
 * `Transfer-Encoding: chunked`. Caller-supplied framing fields are ignored. Header values must
 * not contain CR or LF; the transport validates user-provided ones before getting here.
 */
DAYTONA_DECL void serialize_request_head(const request& req, std::string& out);

/**
 * \brief Appends a status line and header block to `out` (server side).
 * \param framing Content-Length to send, or nullopt for chunked. Responses that must not have a
 * body (1xx, 204, 304) get no framing field at all.
 */
DAYTONA_DECL void serialize_response_head(int status, const fields& headers, body_framing framing,
                                          std::string& out);

/// Appends the size line of one chunk ("1a2b\r\n"); the data and "\r\n" follow it.
DAYTONA_DECL void append_chunk_header(std::string& out, std::size_t size);

/// Appends one whole chunk (header, data, CRLF). An empty `data` appends nothing, because an
/// empty chunk would end the body.
DAYTONA_DECL void append_chunk(std::string& out, std::string_view data);

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

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/serializer.ipp"
#endif

#endif  // DAYTONA_HTTP_SERIALIZER_HPP
