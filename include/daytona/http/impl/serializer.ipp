// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/serializer.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_SERIALIZER_IPP
#define DAYTONA_HTTP_IMPL_SERIALIZER_IPP

#include "daytona/http/serializer.hpp"

DAYTONA_BEGIN_NAMESPACE

namespace detail {
void append_fields(std::string& out, const http::fields& f) {
    for (auto [name, value] : f) {
        out.append(name);
        out.append(": ", 2);
        out.append(value);
        out.append("\r\n", 2);
    }
}

bool is_framing_field(std::string_view name) noexcept {
    return iequals(name, "content-length") || iequals(name, "transfer-encoding");
}
}  // namespace detail

namespace http {

body_framing framing_of(const request& req) {
    if (req.stream) return {req.stream->size()};
    return {req.body.size()};
}

void serialize_request_head(const request& req, std::string& out) {
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

void serialize_response_head(int status, const fields& headers, body_framing framing,
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

void append_chunk_header(std::string& out, std::size_t size) {
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

void append_chunk(std::string& out, std::string_view data) {
    if (data.empty()) return;
    append_chunk_header(out, data.size());
    out.append(data);
    out.append("\r\n", 2);
}

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_IMPL_SERIALIZER_IPP
