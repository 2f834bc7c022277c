// SPDX-License-Identifier: Apache-2.0
// The single call path of every REST operation. An operation is declared once (name, method,
// path template, surface, idempotency, response schema); the client builds its requests from the
// declaration and the emulator routes by the same declaration, so the two cannot disagree on a
// path. invoke() owns what every call shares: the request, the send options, the operation's
// name in errors and traces, the status check and the decoding of the body.
#ifndef DAYTONA_API_OPERATION_HPP
#define DAYTONA_API_OPERATION_HPP

#include "daytona/api/call.hpp"
#include "daytona/config.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/error.hpp"
#include "daytona/http/request.hpp"
#include "daytona/http/transport.hpp"
#include "daytona/http/url.hpp"
#include "daytona/http/websocket_client.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/options.hpp"
#include "daytona/result.hpp"

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace api {

/// Which server an operation is addressed to.
enum class surface {
    /// The REST API (`client_options::api_url`).
    api,
    /// The toolbox of one sandbox (`{toolboxProxyUrl}/{sandboxId}`).
    toolbox,
};

/**
 * \brief The declaration of one REST operation.
 * \details `path` is relative to the surface's base URL; a segment written `{name}` is a
 * parameter, filled with one percent-encoded argument (so a user-supplied id can never add a
 * path level). Parameter names are the OpenAPI spec's.
 */
struct operation {
    /// snake_case name, used in errors, traces and the emulator's route table: "start_sandbox".
    std::string_view name;
    /// The HTTP method.
    http::verb method = http::verb::get;
    /// Path template, e.g. "/sandbox/{sandboxIdOrName}/start".
    std::string_view path;
    /// Which base URL `path` is relative to: the API or a sandbox's toolbox.
    surface where = surface::api;
    /// Repeating the request cannot do harm, so it may be retried after it was sent (a state
    /// setter such as start or set-labels). Creating something is never idempotent.
    bool idempotent = false;
    /// OpenAPI schema of the JSON response, the root of decode error paths ("Sandbox").
    std::string_view response{};
    /// The operation is a WebSocket upgrade (session logs, PTY, interpreter).
    bool websocket = false;
};

/// The number of `{...}` parameters in a path template.
constexpr std::size_t path_parameter_count(std::string_view path) noexcept {
    std::size_t n = 0;
    for (char c : path)
        if (c == '{') ++n;
    return n;
}

/**
 * \brief The path of `op` with its parameters filled in, each argument percent-encoded as one
 * segment.
 * \par Errors
 * errc::invalid_argument when the number of arguments does not match the template, or an
 * argument is empty (an empty id would address a different operation); the message names the
 * operation and the parameter.
 */
DAYTONA_DECL result<std::string> expand_path(const operation& op,
                                             std::initializer_list<std::string_view> args);

/**
 * \brief Matches decoded path segments against a path template.
 * \param segments the request path split at '/' and percent-decoded (no empty segments).
 * \param params receives the segments that fill the template's parameters, in order.
 * \return whether every literal segment matched and the segment counts agree.
 */
DAYTONA_DECL bool match_path(std::string_view pattern, std::span<const std::string> segments,
                             std::vector<std::string_view>* params = nullptr);

/// Where operations go: a transport stack and the base URL of one surface (the API, or one
/// sandbox's toolbox). Cheap to copy; holding the transport keeps it alive for the call.
struct channel {
    /// The transport stack requests go through (credentials, retries, pool).
    std::shared_ptr<http::transport> transport;
    /// The surface's base URL; operation paths are appended to it.
    http::url base;
};

/// What a request carries besides its path.
struct request_parts {
    /// Query string, already encoded (see http::query_builder).
    std::string query{};
    /// JSON body; sent with `Content-Type: application/json`.
    std::optional<std::string> json{};
    /// Streamed body (multipart uploads); its content type goes in `headers`.
    std::shared_ptr<http::body_source> stream{};
    /// Extra header fields.
    http::fields headers{};
    /// The `Accept` field; empty sends none.
    std::string_view accept = "application/json";
    /// Where a successful response body goes instead of memory (downloads).
    std::shared_ptr<http::body_sink> sink{};
};

/// The request for `op` under `base`. Pure: no I/O.
DAYTONA_DECL result<http::request> make_request(const http::url& base, const operation& op,
                                                std::initializer_list<std::string_view> args,
                                                request_parts& parts);

/**
 * \brief How the body of a successful response becomes a `T`.
 * \details The default decodes JSON with `decode_value` (the error paths start at the
 * operation's schema name). Specialised for `void` (status only) and `http::response` (the whole
 * response, for callers that need headers or a raw body).
 */
template <class T>
struct response_decoder {
    /// Decodes the JSON body of `r`; errors name `op` and carry the status and a body excerpt.
    static result<T> decode(http::response& r, const operation& op) {
        auto decoded =
            json::decode<T>(r.body, op.response.empty() ? std::string_view("body") : op.response);
        if (decoded) return decoded;
        error_info info = decoded.error().info();
        info.operation = std::string(op.name);
        info.http_status = r.status;
        info.body_excerpt = detail::printable_excerpt(r.body, 512);
        return error(decoded.error().code(), std::move(info));
    }
};
/// No value: the body of a successful response is ignored.
template <>
struct response_decoder<void> {
    /// Success, whatever the body holds.
    static result<void> decode(http::response&, const operation&) { return {}; }
};
/// The whole response, for callers that need its header fields or a raw body.
template <>
struct response_decoder<http::response> {
    /// Moves `r` out as it is.
    static result<http::response> decode(http::response& r, const operation&) {
        return std::move(r);
    }
};

namespace detail_invoke {
// A coroutine whose parameters are all owned values (or references to static declarations), so
// the awaitable stays valid however the caller's arguments were made.
template <class T>
asio::awaitable<result<T>> send_decoded(std::shared_ptr<http::transport> t, const operation& op,
                                        result<http::request> req, http::send_options so) {
    if (!req) co_return std::move(req).error().with_operation(op.name);
    auto r = co_await t->send(*req, so);
    if (!r) co_return std::move(r).error().with_operation(op.name);
    if (!r->ok()) co_return error_from_response(*r, op.name);
    co_return response_decoder<T>::decode(*r, op);
}
}  // namespace detail_invoke

/**
 * \brief Sends `op` through `ch` and decodes its response: the one call path of every
 * operation.
 * \param args the path template's parameters, in order.
 * \param parts query, body, headers and response sink.
 * \par Errors
 * Every error names `op`: transport errors, a non-2xx status (error_from_response: Daytona's
 * message, code, source, request id and rate limits), and decode errors naming the field.
 * \par Lifetimes
 * Nothing needs to outlive the call: the request is built before this function returns, and the
 * awaitable owns the transport and the request.
 */
template <class T>
asio::awaitable<result<T>> invoke(const channel& ch, const operation& op,
                                  std::initializer_list<std::string_view> args, request_parts parts,
                                  request_options ro = {}) {
    auto req = make_request(ch.base, op, args, parts);
    if (op.idempotent) ro.idempotent = true;
    http::send_options so{.request = ro, .sink = std::move(parts.sink), .operation = op.name};
    return detail_invoke::send_decoded<T>(ch.transport, op, std::move(req), std::move(so));
}

/// invoke() for an operation with no query and no body.
template <class T>
asio::awaitable<result<T>> invoke(const channel& ch, const operation& op,
                                  std::initializer_list<std::string_view> args,
                                  request_options ro = {}) {
    return invoke<T>(ch, op, args, request_parts{}, ro);
}

/// A JSON body written by `encode(json::writer&, const T&)`.
template <class T>
std::string to_json_body(const T& value) {
    std::string out;
    out.reserve(128);
    json::writer w(out);
    encode(w, value);
    return out;
}

namespace detail_invoke {
inline error websocket_refused(http::response& answer, std::string_view operation) {
    return error_from_response(answer, operation);
}

DAYTONA_DECL asio::awaitable<result<http::websocket::connection>> open(
    std::shared_ptr<http::transport> t, result<http::url> target,
    http::websocket::connect_options o, const operation& op);
}  // namespace detail_invoke

/**
 * \brief Opens the WebSocket of `op` (an operation declared `websocket`) through `ch`: the
 * upgrade carries the channel's credentials and is traced like any request.
 * \param query the query string, already encoded.
 * \par Errors
 * As http::websocket::connection::connect; a refused upgrade is Daytona's error (its status
 * and message, naming `op`).
 */
DAYTONA_DECL asio::awaitable<result<http::websocket::connection>> open_websocket(
    const channel& ch, const operation& op, std::initializer_list<std::string_view> args,
    std::string query, http::websocket::connect_options o);

/// Request parts with a JSON body written by `encode(json::writer&, const T&)`.
template <class T>
request_parts json_body(const T& body) {
    return request_parts{.json = to_json_body(body)};
}

/// Request parts with only a query string (already encoded).
inline request_parts query(std::string q) {
    return request_parts{.query = std::move(q)};
}

}  // namespace api
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/impl/operation.ipp"
#endif

#endif  // DAYTONA_API_OPERATION_HPP
