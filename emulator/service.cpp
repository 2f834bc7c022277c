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
    const auto& method = ex.request().method;
    const bool upgrade = service_impl::is_upgrade(ex);
    std::span<const std::string> rest;
    const route* r = nullptr;
    if (preview) {
        rest = segs;
        r = routes_.find(surface::preview, method, rest, upgrade);
    } else if (api_path) {
        rest = segs.subspan(1);
        r = routes_.find(surface::api, method, rest, upgrade);
    } else if (toolbox_path && segs.size() >= 2) {
        rest = segs.subspan(2);
        r = routes_.find(surface::toolbox, method, rest, upgrade);
    }
    if (ctx_.opts.verbose)
        std::cerr << "daytona-emulator: " << method << ' ' << ex.request().target << " ("
                  << (r ? r->name() : "no route") << ")\n";
    if (auto f = faults_.decide(ex.path(), r ? r->name() : std::string_view{},
                                ex.request().headers.get("x-daytona-emulator-fault"))) {
        const bool answered = co_await inject_fault(ex, *f, api_path);
        if (answered) co_return;
    }
    // Who may ask (the preview relay checks for itself), then the handler.
    std::optional<sandbox_record> sandbox;
    std::optional<reply> refusal;
    if (preview)
        refusal = r ? std::nullopt : std::optional(service_impl::no_such_route(ex));
    else if (api_path)
        refusal = admit_api(ex, r);
    else if (toolbox_path)
        refusal = admit_toolbox(ex, r, segs, sandbox);
    else
        refusal = service_impl::no_such_route(ex);
    if (refusal) co_return co_await send(ex, std::move(*refusal));
    if (r->websocket() && !upgrade) {
        ex.close_after();
        co_return co_await send(ex, ws_session::upgrade_required());
    }
    call c(ex, *r, rest, sandbox ? &*sandbox : nullptr);
    co_await (*r)(c);
}

asio::awaitable<bool> service::inject_fault(exchange& ex, const fault& f, bool api_shape) {
    switch (f.what) {
        case fault::kind::reset_before_headers:
            (void)co_await ex.read_body();
            ex.stream().abort();
            ex.take_over();
            co_return true;
        case fault::kind::stall: {
            asio::steady_timer t(ex.stream().get_executor(), std::chrono::milliseconds(f.arg));
            std::error_code ec;
            co_await t.async_wait(net::redirect(ec));
            break;
        }
        case fault::kind::status: {
            const auto message = "injected fault: status " + std::to_string(f.arg);
            reply answer = api_shape ? api_error(ex, f.arg, message)
                                     : toolbox_error(ex, f.arg, "INJECTED_FAULT", message);
            if (f.retry_after) answer.headers.add("Retry-After", std::to_string(*f.retry_after));
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
            ex.inject(exchange::fault::drip, std::chrono::milliseconds(f.arg));
            break;
    }
    co_return false;
}

std::optional<reply> service::admit_api(exchange& ex, const route* r) {
    if (r && !r->authenticated()) return std::nullopt;
    if (!ctx_.authorized(ex)) return api_error(ex, 401, "Unauthorized");
    if (limits_.enabled()) {
        auto verdict = limits_.check(r ? r->name() : std::string_view{});
        for (auto& [n, v] : verdict.headers)
            ex.extra_headers().add(n, v);
        if (verdict.retry_after) {
            reply limited = api_error(ex, 429, "ThrottlerException: Too Many Requests");
            limited.headers.add("Retry-After", std::to_string(*verdict.retry_after));
            limited.headers.add("Retry-After-" + verdict.throttler,
                                std::to_string(*verdict.retry_after));
            return limited;
        }
    }
    if (!r) return service_impl::no_such_route(ex);
    return std::nullopt;
}

std::optional<reply> service::admit_toolbox(const exchange& ex, const route* r,
                                            std::span<const std::string> segs,
                                            std::optional<sandbox_record>& sandbox) {
    // The API key, or this sandbox's preview token (checked after the lookup; an unknown
    // sandbox without the key is still 401, so its existence is not revealed).
    if (segs.size() >= 2) sandbox = ctx_.records.find(segs[1]);
    if (!ctx_.authorized(ex) && !(sandbox && ctx_.has_preview_token(ex, sandbox->info.id)))
        return toolbox_error(ex, 401, "UNAUTHORIZED", "Unauthorized", "DAYTONA_PROXY");
    if (segs.size() < 2)
        return toolbox_error(ex, 404, "NOT_FOUND", "sandbox id missing", "DAYTONA_PROXY");
    if (!sandbox)
        return toolbox_error(ex, 404, "NOT_FOUND", "sandbox " + segs[1] + " not found",
                             "DAYTONA_PROXY");
    if (sandbox->info.state != sandbox_state::started)
        return toolbox_error(ex, 409, "CONFLICT",
                             "sandbox " + sandbox->info.id + " is not started (state " +
                                 sandbox->info.state_name + ")",
                             "DAYTONA_PROXY");
    if (!r)
        return toolbox_error(ex, 404, "NOT_FOUND",
                             "no route " + ex.request().method + " " + std::string(ex.path()));
    return std::nullopt;
}

}  // namespace daytona::emulator
