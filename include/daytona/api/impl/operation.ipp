// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/operation.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_IMPL_OPERATION_IPP
#define DAYTONA_API_IMPL_OPERATION_IPP

#include "daytona/api/operation.hpp"
#include "daytona/detail/percent.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace api {

result<std::string> expand_path(const operation& op, std::initializer_list<std::string_view> args) {
    auto fail = [&](std::string why) {
        return error(make_error_code(errc::invalid_argument),
                     error_info{.message = std::move(why), .operation = std::string(op.name)});
    };
    if (args.size() != path_parameter_count(op.path))
        return fail(std::to_string(args.size()) + " path argument(s) for " + std::string(op.path));
    std::string out;
    out.reserve(op.path.size() + 48);
    auto arg = args.begin();
    std::string_view rest = op.path;
    while (!rest.empty()) {
        const auto open = rest.find('{');
        out.append(rest.substr(0, open));
        if (open == std::string_view::npos) break;
        const auto close = rest.find('}', open);
        const auto name = rest.substr(open + 1, close - open - 1);
        if (arg->empty()) return fail(std::string(name) + " is empty");
        detail::append_percent_encoded(out, *arg);
        ++arg;
        rest.remove_prefix(close + 1);
    }
    return out;
}

bool match_path(std::string_view pattern, std::span<const std::string> segments,
                std::vector<std::string_view>* params) {
    if (params) params->clear();
    std::size_t i = 0;
    while (!pattern.empty()) {
        if (pattern.front() == '/') {
            pattern.remove_prefix(1);
            continue;
        }
        const auto slash = pattern.find('/');
        const auto part = pattern.substr(0, slash);
        pattern.remove_prefix(slash == std::string_view::npos ? pattern.size() : slash);
        if (i >= segments.size()) return false;
        if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
            if (segments[i].empty()) return false;
            if (params) params->push_back(segments[i]);
        } else if (part != segments[i]) {
            return false;
        }
        ++i;
    }
    return i == segments.size();
}

result<http::request> make_request(const http::url& base, const operation& op,
                                   std::initializer_list<std::string_view> args,
                                   request_parts& parts) {
    auto path = expand_path(op, args);
    if (!path) return std::move(path).error();
    http::request req = make_request(op.method, base, *path, std::move(parts.query), parts.accept);
    for (const auto& f : parts.headers)
        req.headers.add(f.name, f.value);
    if (parts.json) set_json_body(req, std::move(*parts.json));
    req.stream = std::move(parts.stream);
    return req;
}

namespace detail_invoke {

asio::awaitable<result<http::websocket::connection>> open(std::shared_ptr<http::transport> t,
                                                          result<http::url> target,
                                                          http::websocket::connect_options o,
                                                          const operation& op) {
    if (!target) co_return std::move(target).error().with_operation(op.name);
    co_return co_await http::websocket::connection::connect(
        std::move(t), std::move(*target), std::move(o), op.name, &websocket_refused);
}

}  // namespace detail_invoke

asio::awaitable<result<http::websocket::connection>> open_websocket(
    const channel& ch, const operation& op, std::initializer_list<std::string_view> args,
    std::string query, http::websocket::connect_options o) {
    result<http::url> target = ch.base;
    if (auto path = expand_path(op, args); !path) {
        target = std::move(path).error();
    } else {
        target->path = ch.base.join(*path).path;
        target->query = std::move(query);
    }
    if (op.idempotent) o.request.idempotent = true;
    return detail_invoke::open(ch.transport, std::move(target), std::move(o), op);
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_IMPL_OPERATION_IPP
