// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/url.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_URL_IPP
#define DAYTONA_HTTP_IMPL_URL_IPP

#include "daytona/http/url.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace http {

std::string origin::host_header() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (!default_port()) {
        h += ':';
        detail::append_int(h, port);
    }
    return h;
}

std::string origin::key() const {
    return scheme + "://" + host_header();
}

std::string url::target() const {
    return query.empty() ? path : path + '?' + query;
}

std::string url::to_string() const {
    std::string s = websocket ? (origin.secure() ? "wss://" : "ws://") : origin.scheme + "://";
    s += origin.host_header();
    s += target();
    return s;
}

result<url> url::parse(std::string_view text) {
    auto fail = [&](const char* why) {
        return daytona::error(
            make_error_code(errc::invalid_argument),
            std::string("invalid URL '") + detail::printable_excerpt(text, 200) + "': " + why);
    };
    url u;
    auto colon = text.find("://");
    if (colon == std::string_view::npos) return fail("missing scheme");
    std::string scheme;
    for (char c : text.substr(0, colon))
        scheme += detail::ascii_lower(c);
    if (scheme == "http" || scheme == "https") {
        u.origin.scheme = scheme;
    } else if (scheme == "ws" || scheme == "wss") {
        u.origin.scheme = scheme == "ws" ? "http" : "https";
        u.websocket = true;
    } else {
        return fail("scheme must be http, https, ws or wss");
    }
    std::string_view rest = text.substr(colon + 3);
    auto auth_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, auth_end);
    rest = auth_end == std::string_view::npos ? std::string_view{} : rest.substr(auth_end);
    if (authority.find('@') != std::string_view::npos)
        return fail("credentials in URLs are not supported; use client_options");
    std::string_view host = authority, port;
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos) return fail("unterminated IPv6 literal");
        host = authority.substr(1, close - 1);
        auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return fail("garbage after IPv6 literal");
            port = after.substr(1);
        }
    } else if (auto c = authority.rfind(':'); c != std::string_view::npos) {
        host = authority.substr(0, c);
        port = authority.substr(c + 1);
    }
    if (host.empty()) return fail("missing host");
    for (char c : host) {
        auto uc = static_cast<unsigned char>(c);
        if (uc <= 0x20 || uc >= 0x7f || c == '/' || c == '\\')
            return fail("invalid character in host");
    }
    u.origin.host.reserve(host.size());
    for (char c : host)
        u.origin.host += detail::ascii_lower(c);
    if (!port.empty()) {
        auto p = detail::parse_uint<std::uint32_t>(port);
        if (!p || *p == 0 || *p > 65535) return fail("invalid port");
        u.origin.port = static_cast<std::uint16_t>(*p);
    } else {
        u.origin.port = u.origin.secure() ? 443 : 80;
    }
    if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
    auto q = rest.find('?');
    std::string_view path = rest.substr(0, q);
    if (q != std::string_view::npos) u.query = std::string(rest.substr(q + 1));
    for (char c : rest) {
        auto uc = static_cast<unsigned char>(c);
        if (uc <= 0x20 || uc >= 0x7f) return fail("unencoded character in path or query");
    }
    u.path = path.empty() ? "/" : std::string(path);
    return u;
}

url url::join(std::string_view suffix) const {
    url u = *this;
    while (u.path.size() > 1 && u.path.back() == '/')
        u.path.pop_back();
    if (u.path == "/") u.path.clear();
    if (suffix.empty() || suffix.front() != '/') u.path += '/';
    u.path += suffix;
    if (u.path.empty()) u.path = "/";
    u.query.clear();
    return u;
}

query_builder& query_builder::add(std::string_view key, std::string_view value) {
    if (!q_.empty()) q_ += '&';
    detail::append_percent_encoded(q_, key, true);
    q_ += '=';
    detail::append_percent_encoded(q_, value, true);
    return *this;
}

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_IMPL_URL_IPP
