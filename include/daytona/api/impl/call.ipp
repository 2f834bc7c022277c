// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/call.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_IMPL_CALL_IPP
#define DAYTONA_API_IMPL_CALL_IPP

#include "daytona/api/call.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/http/rate_limit.hpp"

#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace api {

http::request make_request(http::verb method, const http::url& base, std::string_view path,
                           std::string query, std::string_view accept) {
    http::request req;
    req.method = method;
    req.origin = base.origin;
    req.target.reserve(base.path.size() + path.size() + query.size() + 1);
    req.target = base.path;
    while (req.target.size() > 1 && req.target.back() == '/')
        req.target.pop_back();
    if (req.target == "/") req.target.clear();
    req.target += path;
    if (req.target.empty()) req.target = "/";
    if (!query.empty()) {
        req.target += '?';
        req.target += query;
    }
    if (!accept.empty()) req.headers.add("Accept", accept);
    return req;
}

void set_json_body(http::request& req, std::string body) {
    req.headers.set("Content-Type", "application/json");
    req.body = std::move(body);
}

namespace detail_body {

void decode_value(json::value& v, error_body& out, json::decoder& d) {
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        json::ondemand::json_type t;
        if (val.type().get(t)) return;
        if (key == "message") {
            if (t == json::ondemand::json_type::string) {
                d.field(key, val, out.message);
            } else if (t == json::ondemand::json_type::array) {
                // Validation errors: several messages, joined as the API joins them.
                std::vector<std::string> parts;
                d.field(key, val, parts);
                for (auto& p : parts) {
                    if (!out.message.empty()) out.message += ", ";
                    out.message += p;
                }
            }
        } else if ((key == "code" || key == "error_code") &&
                   t == json::ondemand::json_type::string) {
            if (out.code.empty()) d.field(key, val, out.code);
        } else if (key == "source" && t == json::ondemand::json_type::string) {
            d.field(key, val, out.source);
        } else if (key == "error" && t == json::ondemand::json_type::string) {
            d.field(key, val, out.reason);
        } else if (key == "errors" && t == json::ondemand::json_type::array) {
            // The daemon's bulk handlers: one message per failed file.
            std::vector<std::string> parts;
            d.field(key, val, parts);
            for (auto& p : parts) {
                if (!out.reason.empty()) out.reason += "; ";
                out.reason += p;
            }
        }
    });
}

}  // namespace detail_body

error error_from_response(http::response& resp, std::string_view operation) {
    error_info info;
    info.http_status = resp.status;
    info.operation = std::string(operation);
    info.body_excerpt = detail::printable_excerpt(resp.body, 512);
    for (auto name : {"x-request-id", "x-daytona-request-id", "request-id"})
        if (auto id = resp.headers.find(name)) {
            info.request_id = detail::printable_excerpt(*id, 128);
            break;
        }
    bool parsed = false;
    auto body = detail::trim(resp.body);
    if (!body.empty() && (body.front() == '{')) {
        auto decoded = json::decode<detail_body::error_body>(resp.body, "error");
        if (decoded) {
            parsed = true;
            info.message = detail::printable_excerpt(decoded->message, 2048);
            info.service_code = detail::printable_excerpt(decoded->code, 128);
            info.source = detail::printable_excerpt(decoded->source, 64);
            if (info.message.empty() && !decoded->reason.empty())
                info.message = detail::printable_excerpt(decoded->reason, 256);
        }
    }
    if (!parsed && !body.empty()) info.message = detail::printable_excerpt(body, 512);
    if (info.message.empty()) info.message = std::string(http_reason_phrase(resp.status));
    info.rate_limits = http::parse_rate_limits(resp.headers);
    info.retry_after = http::retry_after(resp.headers);
    if (!resp.retry_refused.empty()) info.message += " (" + resp.retry_refused + ")";
    if (resp.retries_exhausted) {
        // The status is still the one to compare against (condition::rate_limited keeps
        // matching through `cause`); the code says that retrying did not help.
        info.cause = make_http_error_code(resp.status);
        info.message += " (still failing after " + std::to_string(resp.attempts) + " attempts)";
        return error(make_error_code(errc::retry_exhausted), std::move(info));
    }
    return error(make_http_error_code(resp.status), std::move(info));
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_IMPL_CALL_IPP
