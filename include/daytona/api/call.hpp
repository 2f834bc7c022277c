// SPDX-License-Identifier: Apache-2.0
// What every REST operation shares: building a request under a base URL, and turning a non-2xx
// response into a daytona::error (both Daytona error shapes, with rate limits and retry hints).
#ifndef DAYTONA_API_CALL_HPP
#define DAYTONA_API_CALL_HPP

#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/http/transport.hpp"
#include "daytona/http/url.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/result.hpp"

#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace api {

/// A request to `base` + `path` (path already encoded; see expand_path()) with `Accept` set.
DAYTONA_DECL http::request make_request(http::verb method, const http::url& base,
                                        std::string_view path, std::string query = {},
                                        std::string_view accept = "application/json");

/// A JSON body for `req`.
DAYTONA_DECL void set_json_body(http::request& req, std::string body);

namespace detail_body {
/// The fields both Daytona error shapes (API and toolbox) may carry.
struct error_body {
    std::string message{};
    std::string code{};
    std::string source{};
    std::string reason{};
};

DAYTONA_DECL void decode_value(json::value& v, error_body& out, json::decoder& d);
}  // namespace detail_body

/**
 * \brief The error for a non-2xx response.
 * \details Reads `message` (a string, or an array joined with ", "), `code` / `error_code`,
 * `source` and `error` from a JSON body; falls back to the body text or the reason phrase when
 * the body is empty or not JSON (some daemon handlers send no body).
 */
DAYTONA_DECL error error_from_response(http::response& resp, std::string_view operation);

}  // namespace api
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/impl/call.ipp"
#endif

#endif  // DAYTONA_API_CALL_HPP
