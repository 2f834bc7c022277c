// SPDX-License-Identifier: Apache-2.0
// The request pipeline: fault injection, then /api or /toolbox; errors in Daytona's shapes.
#include "service.hpp"

#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>
#include <daytona/json/writer.hpp>

#include <iostream>

namespace daytona::emulator {

service::service(emulator_options opts, fs::path data_dir, bool tls)
    : opts_(std::move(opts)), store_(std::move(data_dir)), tls_(tls) {
    if (opts_.isolation != "none")
        namespaces_ = mount_namespaces_available(&namespace_reason_);
    else
        namespace_reason_ = "disabled by --isolation none";
    std::vector<fault> faults;
    for (const auto& spec : opts_.faults) {
        std::string why;
        if (auto f = parse_fault(spec, &why))
            faults.push_back(std::move(*f));
        else
            throw std::invalid_argument(why);
    }
    faults_.configure(std::move(faults), opts_.fault_seed);
    std::vector<rate_limiter::limit> limits;
    for (const auto& spec : opts_.rate_limits) {
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

void service::shutdown() {
    std::map<std::string, std::shared_ptr<sandbox_runtime>> all;
    {
        std::lock_guard lock(runtimes_mu_);
        all.swap(runtimes_);
    }
    for (auto& [id, rt] : all)
        rt->kill_all();
}

std::string service::isolation_summary() const {
    return namespaces_ ? "mount namespaces (sandbox home and tmp bind-mounted over /home and /tmp)"
                       : "none: " + namespace_reason_;
}

std::shared_ptr<sandbox_runtime> service::runtime_of(const std::string& id) {
    std::lock_guard lock(runtimes_mu_);
    auto& rt = runtimes_[id];
    if (!rt) rt = std::make_shared<sandbox_runtime>();
    return rt;
}

void service::forget_runtime(const std::string& id) {
    std::shared_ptr<sandbox_runtime> rt;
    {
        std::lock_guard lock(runtimes_mu_);
        auto it = runtimes_.find(id);
        if (it == runtimes_.end()) return;
        rt = std::move(it->second);
        runtimes_.erase(it);
    }
    rt->kill_all();
}

reply service::api_error(const exchange& ex, int status, std::string message) {
    std::string body;
    json::writer w(body);
    w.begin_object()
        .member("path", std::string(ex.path()))
        .member("timestamp", iso_time())
        .member("statusCode", status)
        .member("error", std::string(http_reason_phrase(status)))
        .member("message", valid_utf8(message))
        .end_object();
    return json_reply(status, std::move(body));
}

reply service::toolbox_error(const exchange& ex, int status, std::string_view code,
                             std::string message, std::string_view source) {
    std::string body;
    json::writer w(body);
    w.begin_object()
        .member("statusCode", status)
        .member("message", valid_utf8(message))
        .member("code", code)
        .member("timestamp", iso_time())
        .member("path", std::string(ex.path()))
        .member("method", ex.request().method)
        .member("source", source)
        .end_object();
    return json_reply(status, std::move(body));
}

asio::awaitable<void> service::send(exchange& ex, reply r) {
    if (auto w = co_await ex.respond(std::move(r)); !w) ex.close_after();
}

bool service::authorized(const exchange& ex) const {
    auto h = ex.request().headers.get("authorization");
    constexpr std::string_view bearer = "Bearer ";
    if (h.size() <= bearer.size() || !detail::iequals(h.substr(0, bearer.size()), bearer))
        return false;
    auto token = detail::trim(h.substr(bearer.size()));
    if (token.empty()) return false;
    return opts_.api_key.empty() || token == opts_.api_key;
}

std::string service::preview_token(const std::string& sandbox_id) {
    std::lock_guard lock(previews_mu_);
    auto& token = preview_tokens_[sandbox_id];
    if (token.empty()) token = "preview-" + random_token(24);
    return token;
}

bool service::has_preview_token(const exchange& ex, const std::string& sandbox_id) {
    std::string given(ex.request().headers.get("x-daytona-preview-token"));
    if (given.empty()) given = ex.query_param("DAYTONA_SANDBOX_AUTH_KEY").value_or("");
    if (given.empty()) return false;
    std::lock_guard lock(previews_mu_);
    auto it = preview_tokens_.find(sandbox_id);
    return it != preview_tokens_.end() && it->second == given;
}

std::string service::origin_of(const exchange& ex) const {
    std::string host(ex.request().headers.get("host"));
    bool ok = !host.empty() && host.size() < 256;
    for (char c : host)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '[' || c == ']');
    if (!ok) host = opts_.bind_address + ":" + std::to_string(port_.load());
    return std::string(tls_ ? "https://" : "http://") + host;
}

asio::awaitable<void> service::handle(exchange& ex) {
    const auto parts = split_path(ex.path());
    const segments segs(parts);
    if (opts_.verbose)
        std::cerr << "daytona-emulator: " << ex.request().method << ' ' << ex.request().target
                  << '\n';
    if (auto f = faults_.decide(ex.path(), ex.request().headers.get("x-daytona-emulator-fault"))) {
        switch (f->what) {
            case fault::kind::reset_before_headers:
                (void)co_await ex.read_body();
                ex.stream().abort();
                ex.take_over();
                co_return;
            case fault::kind::stall: {
                asio::steady_timer t(ex.stream().get_executor(), std::chrono::milliseconds(f->arg));
                std::error_code ec;
                co_await t.async_wait(net::redirect(ec));
                break;
            }
            case fault::kind::status: {
                const bool api_shape = !segs.empty() && segs[0] == "api";
                reply r =
                    api_shape
                        ? api_error(ex, f->arg, "injected fault: status " + std::to_string(f->arg))
                        : toolbox_error(ex, f->arg, "INJECTED_FAULT",
                                        "injected fault: status " + std::to_string(f->arg));
                if (f->retry_after) r.headers.add("Retry-After", std::to_string(*f->retry_after));
                co_return co_await send(ex, std::move(r));
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
    }
    if (auto label = preview_label(ex)) co_return co_await preview_proxy(ex, *label);
    if (!segs.empty() && segs[0] == "api") co_return co_await api(ex, segs);
    if (!segs.empty() && segs[0] == "toolbox") co_return co_await toolbox(ex, segs);
    co_await send(
        ex, api_error(ex, 404, "Cannot " + ex.request().method + " " + std::string(ex.path())));
}

asio::awaitable<void> service::api(exchange& ex, const segments& segs) {
    const auto& method = ex.request().method;
    if (segs.size() == 2 && segs[1] == "health" && method == "GET")
        co_return co_await send(ex, json_reply(200, R"({"status":"ok"})"));
    if (segs.size() == 2 && segs[1] == "config" && method == "GET") {
        std::string body;
        json::writer w(body);
        const auto origin = origin_of(ex);
        w.begin_object()
            .member("version", "emulator")
            .member("proxyToolboxUrl", origin + "/toolbox")
            .member("proxyTemplateUrl", preview_origin("{{PORT}}", "{{sandboxId}}"))
            .member("defaultSnapshot", "daytona-emulator")
            .member("dashboardUrl", origin)
            .member("maxAutoArchiveInterval", 43200)
            .member("maintananceMode", false)
            .end_object();
        co_return co_await send(ex, json_reply(200, std::move(body)));
    }
    if (segs.size() >= 2 && segs[1] == "socket.io") {
        // The event channel is optional (REFERENCE.md §4.11): refusing it makes the SDKs poll.
        co_return co_await send(ex,
                                api_error(ex, 404, "the emulator does not serve Socket.IO events"));
    }
    if (!authorized(ex)) co_return co_await send(ex, api_error(ex, 401, "Unauthorized"));
    if (limits_.enabled()) {
        std::vector<std::string_view> throttlers{"authenticated"};
        const bool sandbox = segs.size() >= 2 && segs[1] == "sandbox";
        if (sandbox && segs.size() == 2 && method == "POST") throttlers.push_back("sandbox-create");
        if (sandbox && ((segs.size() == 3 && method == "DELETE") ||
                        (segs.size() == 4 && method == "POST" &&
                         (segs[3] == "start" || segs[3] == "stop" || segs[3] == "archive" ||
                          segs[3] == "recover" || segs[3] == "resize"))))
            throttlers.push_back("sandbox-lifecycle");
        auto verdict = limits_.check(throttlers);
        for (auto& [n, v] : verdict.headers)
            ex.extra_headers().add(n, v);
        if (verdict.retry_after) {
            reply r = api_error(ex, 429, "ThrottlerException: Too Many Requests");
            r.headers.add("Retry-After", std::to_string(*verdict.retry_after));
            r.headers.add("Retry-After-" + verdict.throttler, std::to_string(*verdict.retry_after));
            co_return co_await send(ex, std::move(r));
        }
    }
    if (segs.size() >= 2 && segs[1] == "sandbox") co_return co_await sandbox_routes(ex, segs);
    if (segs.size() >= 2 && segs[1] == "snapshots") co_return co_await snapshot_routes(ex, segs);
    if (segs.size() >= 2 && segs[1] == "volumes") co_return co_await volume_routes(ex, segs);
    if (segs.size() == 4 && segs[1] == "build-logs-stream" && method == "GET")
        co_return co_await build_logs(ex, segs[2], segs[3]);
    co_await send(ex, api_error(ex, 404, "Cannot " + method + " " + std::string(ex.path())));
}

}  // namespace daytona::emulator
