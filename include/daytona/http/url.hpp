// SPDX-License-Identifier: Apache-2.0
// Absolute http(s)/ws(s) URLs: parsing, origins (the connection-pool key) and path joining.
#ifndef DAYTONA_HTTP_URL_HPP
#define DAYTONA_HTTP_URL_HPP

#include "daytona/config.hpp"
#include "daytona/detail/percent.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/error.hpp"
#include "daytona/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

DAYTONA_BEGIN_NAMESPACE
namespace http {

/// Scheme, host and port: what identifies a connection.
struct origin {
    /// "http" or "https" (WebSocket URLs are stored with their http equivalent plus a flag).
    std::string scheme{};
    /// Host name or IP literal, without brackets for IPv6.
    std::string host{};
    /// Port; never 0 after parsing (defaults are filled in).
    std::uint16_t port = 0;

    /// True for https (and wss).
    bool secure() const noexcept { return scheme == "https"; }
    /// True when the port is the scheme's default (443 or 80), so the Host header omits it.
    bool default_port() const noexcept { return port == (secure() ? 443 : 80); }

    /// The Host header value: "host" or "host:port", with brackets for IPv6 literals.
    std::string host_header() const {
        std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
        if (!default_port()) {
            h += ':';
            detail::append_int(h, port);
        }
        return h;
    }
    /// "scheme://host:port", the pool key.
    std::string key() const { return scheme + "://" + host_header(); }

    /// Equal when scheme, host and port are equal.
    friend bool operator==(const origin&, const origin&) = default;
};

/**
 * \brief An absolute URL split into origin, path and query.
 * \details Only what this library needs: no user-info (credentials in URLs leak into logs, so
 * they are rejected), no fragment (dropped).
 */
struct url {
    /// Scheme, host and port.
    http::origin origin{};
    /// Percent-encoded path, always starting with '/'.
    std::string path = "/";
    /// Percent-encoded query without the leading '?', possibly empty.
    std::string query{};
    /// True for ws:// and wss:// URLs.
    bool websocket = false;

    /// The request target: path plus "?query" when there is one.
    std::string target() const { return query.empty() ? path : path + '?' + query; }

    /// The URL as text: `scheme://host[:port]/path[?query]`, ws:// or wss:// for WebSockets.
    std::string to_string() const {
        std::string s = websocket ? (origin.secure() ? "wss://" : "ws://") : origin.scheme + "://";
        s += origin.host_header();
        s += target();
        return s;
    }

    /**
     * \brief Parses an absolute URL.
     * \par Errors
     * errc::invalid_argument with a message naming the problem.
     */
    static result<url> parse(std::string_view text) {
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

    /// A copy with `suffix` (already encoded, starting with '/') appended to the path, so that
    /// "https://h/api" + "/sandbox" is "https://h/api/sandbox" whatever the trailing slashes.
    url join(std::string_view suffix) const {
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
};

/// Builds a query string incrementally: keys and values percent-encoded (a space is %20, which
/// every server decodes the same way; the official SDK's `+` means a space only to some), and
/// repeated keys for arrays, as the API expects.
class query_builder {
public:
    /// Appends `key=value`, both percent-encoded.
    query_builder& add(std::string_view key, std::string_view value) {
        if (!q_.empty()) q_ += '&';
        detail::append_percent_encoded(q_, key, true);
        q_ += '=';
        detail::append_percent_encoded(q_, value, true);
        return *this;
    }
    /// Appends `key=value` (a string literal).
    query_builder& add(std::string_view key, const char* value) {
        return add(key, std::string_view(value));
    }
    /// Appends `key=value`.
    query_builder& add(std::string_view key, const std::string& value) {
        return add(key, std::string_view(value));
    }
    /// Booleans as "true"/"false". A template, so that a string literal never picks it.
    template <class B, std::enable_if_t<std::is_same_v<B, bool>, int> = 0>
    query_builder& add(std::string_view key, B value) {
        return add(key, std::string_view(value ? "true" : "false"));
    }
    /// Integers in decimal.
    template <class Int,
              std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>, int> = 0>
    query_builder& add(std::string_view key, Int value) {
        std::string v;
        detail::append_int(v, value);
        return add(key, std::string_view(v));
    }
    /// The query so far, without a leading '?'.
    const std::string& str() const noexcept { return q_; }
    /// Moves the query out, without a leading '?'.
    std::string release() noexcept { return std::move(q_); }

private:
    std::string q_;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_URL_HPP
