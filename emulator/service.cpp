// SPDX-License-Identifier: Apache-2.0
// The request pipeline: route lookup, fault injection, then the preview relay, /api (auth, rate
// limits) or /toolbox/{id} (the proxy's checks), and the route's handler.
#include "service.hpp"

#include "areas.hpp"

#include <daytona/detail/string.hpp>

#include <iostream>

namespace daytona::emulator {

namespace service_impl {

/// A request for a WebSocket (which routes it can reach is decided on this).
bool is_upgrade(const exchange& ex) {
    return detail::iequals(ex.request().headers.get("upgrade"), "websocket");
}

reply no_such_route(const exchange& ex) {
    return api_error(ex, 404, "Cannot " + ex.request().method + " " + std::string(ex.path()));
}

/// Runs the route's handler; a plain request for a WebSocket route is 426.
asio::awaitable<void> run_route(exchange& ex, const route& r, std::span<const std::string> rest,
                                const sandbox_record* sandbox = nullptr) {
    if (r.websocket() && !is_upgrade(ex)) {
        ex.close_after();
        co_return co_await send(ex, ws_session::upgrade_required());
    }
    call c(ex, r, rest, sandbox);
    co_await r(c);
}

std::vector<fault> parse_faults(const std::vector<std::string>& specs, const route_table& routes) {
    std::vector<fault> faults;
    for (const auto& flag : specs) {
        std::string_view rest = flag;
        while (!rest.empty()) {  // one flag may hold several, separated by ','
            const auto comma = rest.find(',');
            const auto spec = detail::trim(rest.substr(0, comma));
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            std::string why;
            auto f = parse_fault(spec, &why);
            if (!f) throw std::invalid_argument(why);
            for (const auto& op : f->operations)
                if (!routes.named(op))
                    throw std::invalid_argument("fault '" + std::string(spec) +
                                                "': unknown operation '" + op + "'");
            faults.push_back(std::move(*f));
        }
    }
    return faults;
}

}  // namespace service_impl

service::service(emulator_options opts, fs::path data_dir, bool tls)
    : ctx_(std::move(opts), std::move(data_dir), tls), states_(ctx_) {
    add_all_routes(routes_, ctx_, states_);
    faults_.configure(service_impl::parse_faults(ctx_.opts.faults, routes_), ctx_.opts.fault_seed);
    std::vector<rate_limiter::limit> limits;
    for (const auto& spec : ctx_.opts.rate_limits) {
        std::string why;
        if (auto l = rate_limiter::parse(spec, &why))
            limits.push_back(std::move(*l));
        else
            throw std::invalid_argument(why);
    }
    limits_.configure(std::move(limits));
}

service::~service() {
    shutdown();
}

asio::awaitable<void> service::handle(exchange& ex) {
    const auto parts = split_path(ex.path());
    const std::span<const std::string> segs(parts);
    const bool api_path = !segs.empty() && segs[0] == "api";
    const bool toolbox_path = !segs.empty() && segs[0] == "toolbox";
    const bool preview = ctx_.preview_label(ex).has_value();
    // The route, from the path relative to its surface.
    const route* r = nullptr;
    const auto& method = ex.request().method;
    const bool upgrade = service_impl::is_upgrade(ex);
    if (preview)
        r = routes_.find(surface::preview, method, segs, upgrade);
    else if (api_path)
        r = routes_.find(surface::api, method, segs.subspan(1), upgrade);
    else if (toolbox_path && segs.size() >= 2)
        r = routes_.find(surface::toolbox, method, segs.subspan(2), upgrade);
    if (ctx_.opts.verbose)
        std::cerr << "daytona-emulator: " << method << ' ' << ex.request().target << " ("
                  << (r ? r->name() : "no route") << ")\n";
    if (co_await inject_fault(ex, r, api_path)) co_return;
    if (preview && r) co_return co_await service_impl::run_route(ex, *r, segs);
    if (api_path) co_return co_await api(ex, r, segs.subspan(1));
    if (toolbox_path) co_return co_await toolbox(ex, r, segs);
    co_await send(ex, service_impl::no_such_route(ex));
}

asio::awaitable<bool> service::inject_fault(exchange& ex, const route* r, bool api_shape) {
    auto f = faults_.decide(ex.path(), r ? r->name() : std::string_view{},
                            ex.request().headers.get("x-daytona-emulator-fault"));
    if (!f) co_return false;
    switch (f->what) {
        case fault::kind::reset_before_headers:
            (void)co_await ex.read_body();
            ex.stream().abort();
            ex.take_over();
            co_return true;
        case fault::kind::stall: {
            asio::steady_timer t(ex.stream().get_executor(), std::chrono::milliseconds(f->arg));
            std::error_code ec;
            co_await t.async_wait(net::redirect(ec));
            break;
        }
        case fault::kind::status: {
            const auto message = "injected fault: status " + std::to_string(f->arg);
            reply answer = api_shape ? api_error(ex, f->arg, message)
                                     : toolbox_error(ex, f->arg, "INJECTED_FAULT", message);
            if (f->retry_after) answer.headers.add("Retry-After", std::to_string(*f->retry_after));
            co_await send(ex, std::move(answer));
            co_return true;
        }
        case fault::kind::reset_after_headers:
            ex.inject(exchange::fault::reset_after_headers);
            break;
        case fault::kind::truncate_body:
            ex.inject(exchange::fault::truncate_body);
            break;
        case fault::kind::drip:
            ex.inject(exchange::fault::drip, std::chrono::milliseconds(f->arg));
            break;
    }
    co_return false;
}

asio::awaitable<void> service::api(exchange& ex, const route* r,
                                   std::span<const std::string> rest) {
    if (r && !r->authenticated()) co_return co_await service_impl::run_route(ex, *r, rest);
    if (!ctx_.authorized(ex)) co_return co_await send(ex, api_error(ex, 401, "Unauthorized"));
    if (limits_.enabled()) {
        auto verdict = limits_.check(r ? r->name() : std::string_view{});
        for (auto& [n, v] : verdict.headers)
            ex.extra_headers().add(n, v);
        if (verdict.retry_after) {
            reply limited = api_error(ex, 429, "ThrottlerException: Too Many Requests");
            limited.headers.add("Retry-After", std::to_string(*verdict.retry_after));
            limited.headers.add("Retry-After-" + verdict.throttler,
                                std::to_string(*verdict.retry_after));
            co_return co_await send(ex, std::move(limited));
        }
    }
    if (!r) co_return co_await send(ex, service_impl::no_such_route(ex));
    co_await service_impl::run_route(ex, *r, rest);
}

asio::awaitable<void> service::toolbox(exchange& ex, const route* r,
                                       std::span<const std::string> segs) {
    // The API key, or this sandbox's preview token (checked after the lookup; an unknown
    // sandbox without the key is still 401, so its existence is not revealed).
    auto rec = segs.size() >= 2 ? ctx_.records.find(segs[1]) : std::nullopt;
    if (!ctx_.authorized(ex) && !(rec && ctx_.has_preview_token(ex, rec->info.id)))
        co_return co_await send(
            ex, toolbox_error(ex, 401, "UNAUTHORIZED", "Unauthorized", "DAYTONA_PROXY"));
    if (segs.size() < 2)
        co_return co_await send(
            ex, toolbox_error(ex, 404, "NOT_FOUND", "sandbox id missing", "DAYTONA_PROXY"));
    if (!rec)
        co_return co_await send(
            ex, toolbox_error(ex, 404, "NOT_FOUND", "sandbox " + segs[1] + " not found",
                              "DAYTONA_PROXY"));
    if (rec->info.state != sandbox_state::started)
        co_return co_await send(
            ex, toolbox_error(ex, 409, "CONFLICT",
                              "sandbox " + rec->info.id + " is not started (state " +
                                  rec->info.state_name + ")",
                              "DAYTONA_PROXY"));
    if (!r)
        co_return co_await send(
            ex, toolbox_error(ex, 404, "NOT_FOUND",
                              "no route " + ex.request().method + " " + std::string(ex.path())));
    co_await service_impl::run_route(ex, *r, segs.subspan(2), &*rec);
}

}  // namespace daytona::emulator
