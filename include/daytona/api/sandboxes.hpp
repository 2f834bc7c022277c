// SPDX-License-Identifier: Apache-2.0
// REST operations of the OpenAPI `sandbox` tag, one free function each.
#ifndef DAYTONA_API_SANDBOXES_HPP
#define DAYTONA_API_SANDBOXES_HPP

#include "daytona/api/call.hpp"
#include "daytona/config.hpp"
#include "daytona/http/transport.hpp"
#include "daytona/http/url.hpp"
#include "daytona/models/sandbox.hpp"

#include <string>

DAYTONA_BEGIN_NAMESPACE
namespace api {

/**
 * \brief `POST /sandbox`: creates a sandbox. Does not wait for it to start.
 * \param api base URL of the API (client_options::api_url, parsed).
 * \param default_target region used when `params.target` is unset (may be empty).
 * \par Errors
 * errc::invalid_argument for params the official SDKs reject locally; HTTP errors (400, 401,
 * 409 for a duplicate name, 429, ...); transport errors.
 * \par Lifetimes
 * `t` must outlive the awaitable; everything else is copied into the coroutine frame.
 * \par Retries
 * Never retried once sent, unless `ro.idempotent` is set (a retry could create a second sandbox).
 */
inline asio::awaitable<result<sandbox_info>> create_sandbox(http::transport& t, http::url api,
                                                            create_params params,
                                                            std::string default_target,
                                                            request_options ro = {}) {
    if (auto v = validate(params); !v)
        co_return std::move(v).error().with_operation("create_sandbox");
    auto req = make_request(http::verb::post, api, "/sandbox");
    set_json_body(req, to_json(params, default_target));
    const http::send_options send{.request = ro};  // named: see README, GCC 12 notes
    auto r = co_await t.send(req, send);
    co_return decode_response<sandbox_info>(r, "create_sandbox", "Sandbox");
}

/// `GET /sandbox/{idOrName}`. A missing sandbox is HTTP 404 (condition::not_found).
inline asio::awaitable<result<sandbox_info>> get_sandbox(http::transport& t, http::url api,
                                                         std::string id_or_name,
                                                         request_options ro = {}) {
    if (auto v = require_id(id_or_name, "sandbox id"); !v)
        co_return std::move(v).error().with_operation("get_sandbox");
    auto req = make_request(http::verb::get, api, "/sandbox" + segment(id_or_name));
    const http::send_options send{.request = ro};  // named: see README, GCC 12 notes
    auto r = co_await t.send(req, send);
    co_return decode_response<sandbox_info>(r, "get_sandbox", "Sandbox");
}

/// `DELETE /sandbox/{idOrName}`. Succeeds once the server accepted the deletion.
inline asio::awaitable<result<void>> delete_sandbox(http::transport& t, http::url api,
                                                    std::string id_or_name,
                                                    request_options ro = {}) {
    if (auto v = require_id(id_or_name, "sandbox id"); !v)
        co_return std::move(v).error().with_operation("delete_sandbox");
    auto req = make_request(http::verb::delete_, api, "/sandbox" + segment(id_or_name));
    const http::send_options send{.request = ro};  // named: see README, GCC 12 notes
    auto r = co_await t.send(req, send);
    co_return check(r, "delete_sandbox");
}

/// `GET /sandbox`: one page of sandboxes, filtered (cursor pagination).
inline asio::awaitable<result<sandbox_page>> list_sandboxes(http::transport& t, http::url api,
                                                            list_params params,
                                                            request_options ro = {}) {
    http::query_builder q;
    if (!params.cursor.empty()) q.add("cursor", params.cursor);
    if (params.limit) q.add("limit", *params.limit);
    if (!params.labels.empty()) {
        std::string labels;
        json::writer(labels).value(params.labels);
        q.add("labels", labels);
    }
    for (auto s : params.states)
        q.add("states", to_string(s));
    auto req = make_request(http::verb::get, api, "/sandbox", q.release());
    const http::send_options send{.request = ro};  // named: see README, GCC 12 notes
    auto r = co_await t.send(req, send);
    co_return decode_response<sandbox_page>(r, "list_sandboxes", "ListSandboxesResponse");
}

namespace detail_body {
struct url_body {
    std::string url{};
};
inline void decode_value(json::value& v, url_body& out, json::decoder& d) {
    bool has = false;
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "url") {
            d.field("url", val, out.url);
            has = true;
        }
    });
    if (d.ok() && !has) d.missing("url");
}
}  // namespace detail_body

/// `GET /sandbox/{id}/toolbox-proxy-url`: the toolbox base when a DTO lacks toolboxProxyUrl.
inline asio::awaitable<result<std::string>> get_toolbox_proxy_url(http::transport& t, http::url api,
                                                                  std::string id,
                                                                  request_options ro = {}) {
    if (auto v = require_id(id, "sandbox id"); !v)
        co_return std::move(v).error().with_operation("get_toolbox_proxy_url");
    auto req = make_request(http::verb::get, api, "/sandbox" + segment(id) + "/toolbox-proxy-url");
    const http::send_options send{.request = ro};  // named: see README, GCC 12 notes
    auto r = co_await t.send(req, send);
    auto body = decode_response<detail_body::url_body>(r, "get_toolbox_proxy_url", "Url");
    if (!body) co_return std::move(body).error();
    co_return std::move(body->url);
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_SANDBOXES_HPP
