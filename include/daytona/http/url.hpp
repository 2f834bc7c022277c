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
    DAYTONA_DECL std::string host_header() const;
    /// "scheme://host:port", the pool key.
    DAYTONA_DECL std::string key() const;

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
    DAYTONA_DECL std::string target() const;

    /// The URL as text: `scheme://host[:port]/path[?query]`, ws:// or wss:// for WebSockets.
    DAYTONA_DECL std::string to_string() const;

    /**
     * \brief Parses an absolute URL.
     * \par Errors
     * errc::invalid_argument with a message naming the problem.
     */
    static DAYTONA_DECL result<url> parse(std::string_view text);

    /// A copy with `suffix` (already encoded, starting with '/') appended to the path, so that
    /// "https://h/api" + "/sandbox" is "https://h/api/sandbox" whatever the trailing slashes.
    DAYTONA_DECL url join(std::string_view suffix) const;
};

/// Builds a query string incrementally: keys and values percent-encoded (a space is %20, which
/// every server decodes the same way; the official SDK's `+` means a space only to some), and
/// repeated keys for arrays, as the API expects.
class query_builder {
public:
    /// Appends `key=value`, both percent-encoded.
    DAYTONA_DECL query_builder& add(std::string_view key, std::string_view value);
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

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/url.ipp"
#endif

#endif  // DAYTONA_HTTP_URL_HPP
