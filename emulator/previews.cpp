// SPDX-License-Identifier: Apache-2.0
// Preview URLs: the API's preview-url, signed-preview-url and expire routes, and the relay. A
// request whose Host is {port}-{sandboxId}.{proxy domain} or {port}-{signed token}.{proxy domain}
// is relayed to that port on loopback. A private sandbox's preview URL needs the API key or the
// preview token (X-Daytona-Preview-Token or ?DAYTONA_SANDBOX_AUTH_KEY=); a signed URL needs
// nothing else until it expires.
//
// The sandboxes share the host's network, so the relay only opens ports on which a process of
// that sandbox listens: a preview URL never reaches the emulator itself or another host
// service. The request goes upstream with `Connection: close` and the answer comes back byte
// for byte, after which the client's connection closes (the relay does not parse responses).
// An Upgrade request (WebSocket) becomes a two-way byte pipe once the upstream answers.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/codec/sandbox.hpp>
#include <daytona/detail/string.hpp>

#include <asio/experimental/awaitable_operators.hpp>

#include <array>
#include <chrono>

namespace daytona::emulator {

namespace preview_impl {

/// Headers that describe one hop (RFC 9110 §7.6.1), that the proxy sets itself (framing,
/// X-Forwarded-*), or that carry the proxy's own credentials: none of them goes upstream.
bool hop_or_credential(std::string_view name) {
    for (std::string_view h :
         {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer",
          "transfer-encoding", "upgrade", "content-length", "x-forwarded-host", "x-forwarded-proto",
          "x-daytona-preview-token", "x-daytona-skip-preview-warning"})
        if (detail::iequals(name, h)) return true;
    return false;
}

/// `target` without any `name=...` query parameter (the preview token must not reach the app).
std::string without_param(std::string_view target, std::string_view name) {
    const auto q = target.find('?');
    if (q == std::string_view::npos) return std::string(target);
    std::string out(target.substr(0, q));
    std::string_view query = target.substr(q + 1);
    char sep = '?';
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const auto key = pair.substr(0, pair.find('='));
        if (key == name || pair.empty()) continue;
        out += sep;
        out.append(pair);
        sep = '&';
    }
    return out;
}

/// Copies bytes from `from` to `to` until `from` ends or either fails; returns how many.
/// `idle` bounds each wait (zero: no bound, for upgraded connections that may sit idle).
asio::awaitable<std::size_t> pump(net::stream& from, net::stream& to,
                                  std::chrono::milliseconds idle) {
    std::array<char, 16384> buf;
    std::size_t total = 0;
    for (;;) {
        if (idle.count() > 0) from.expires_after(idle);
        auto n = co_await from.read_some(asio::buffer(buf));
        if (!n || *n == 0) co_return total;
        if (idle.count() > 0) to.expires_after(idle);
        auto w = co_await to.write(asio::buffer(buf.data(), *n));
        if (!w) co_return total;
        total += *n;
    }
}

/// Pipes bytes both ways until either side ends. True if the upstream ended before sending a
/// byte: the client is then still owed an answer.
asio::awaitable<bool> pipe_both_ways(net::stream& client, net::stream& upstream) {
    using namespace asio::experimental::awaitable_operators;
    const std::chrono::milliseconds no_bound{0};
    auto to_client = pump(upstream, client, no_bound);
    auto to_upstream = pump(client, upstream, no_bound);
    auto first = co_await (std::move(to_client) || std::move(to_upstream));
    co_return first.index() == 0 && std::get<0>(first) == 0;
}

/// Every request to a preview host, whatever its method and path.
constexpr route_spec relay_preview{
    .name = "relay_preview", .method = "*", .path = "/*", .where = surface::preview};

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

class previews {
public:
    explicit previews(context& ctx) : ctx_(ctx) {}

    asio::awaitable<void> preview_url(call& c);
    asio::awaitable<void> signed_preview_url(call& c);
    asio::awaitable<void> expire_signed_preview_url(call& c);
    /// Relays a request on a preview host to the sandbox port its label names.
    asio::awaitable<void> relay(call& c);

private:
    /// The sandbox and port the path names; nullopt after answering 404 or 400.
    asio::awaitable<std::optional<std::pair<sandbox_record, unsigned>>> target(call& c);

    context& ctx_;
    // Signed preview URLs by token.
    struct signed_preview {
        std::string sandbox_id;
        int port;
        std::int64_t expires_at;  // unix seconds
    };
    std::mutex mu_;
    std::map<std::string, signed_preview> signed_;
};

asio::awaitable<std::optional<std::pair<sandbox_record, unsigned>>> previews::target(call& c) {
    auto rec = co_await find_sandbox(ctx_, c);
    if (!rec) co_return std::nullopt;
    const auto& text = c.param("port");
    auto port = detail::parse_uint<unsigned>(text);
    if (!port || *port == 0 || *port > 65535) {
        co_await send(c.ex, api_error(c.ex, 400, "invalid port " + text));
        co_return std::nullopt;
    }
    co_return std::pair(std::move(*rec), *port);
}

asio::awaitable<void> previews::preview_url(call& c) {
    auto found = co_await target(c);
    if (!found) co_return;
    const auto& rec = found->first;
    const preview_link link{.sandbox_id = rec.info.id,
                            .url = ctx_.preview_origin(c.param("port"), rec.info.id),
                            .token = ctx_.preview_token(rec.info.id)};
    co_await send(c.ex, encoded_reply(link));
}

asio::awaitable<void> previews::signed_preview_url(call& c) {
    auto found = co_await target(c);
    if (!found) co_return;
    const auto& [rec, port] = *found;
    int seconds = 60;
    if (auto e = c.ex.query_param("expiresInSeconds")) {
        auto v = detail::parse_uint<unsigned>(*e);
        if (!v || *v < 1 || *v > 86400)
            co_return co_await send(
                c.ex, api_error(c.ex, 400, "expiresInSeconds must be between 1 and 86400"));
        seconds = static_cast<int>(*v);
    }
    const auto token = random_token(24);
    {
        std::lock_guard lock(mu_);
        signed_.emplace(token,
                        signed_preview{rec.info.id, static_cast<int>(port), unix_now() + seconds});
    }
    const signed_preview_link link{.sandbox_id = rec.info.id,
                                   .port = static_cast<int>(port),
                                   .token = token,
                                   .url = ctx_.preview_origin(c.param("port"), token)};
    co_await send(c.ex, encoded_reply(link));
}

asio::awaitable<void> previews::expire_signed_preview_url(call& c) {
    auto found = co_await target(c);
    if (!found) co_return;
    bool expired = false;
    {
        std::lock_guard lock(mu_);
        auto it = signed_.find(c.param("token"));
        expired = it != signed_.end() && it->second.sandbox_id == found->first.info.id;
        if (expired) signed_.erase(it);
    }
    if (!expired)
        co_return co_await send(c.ex, api_error(c.ex, 404, "Signed preview URL not found"));
    co_await send(c.ex, empty_reply(200));
}

asio::awaitable<void> previews::relay(call& c) {
    auto& ex = c.ex;
    const auto label = ctx_.preview_label(ex).value_or("");
    const auto dash = label.find('-');
    const auto port = dash == std::string::npos
                          ? std::nullopt
                          : detail::parse_uint<unsigned>(label.substr(0, dash));
    if (!port || *port == 0 || *port > 65535)
        co_return co_await send(
            ex, api_error(ex, 400,
                          "a preview host is {port}-{sandboxId}." + ctx_.opts.proxy_domain +
                              " or {port}-{token}." + ctx_.opts.proxy_domain));
    const std::string key = label.substr(dash + 1);

    // A signed token stands for a sandbox and one port until it expires; otherwise the key is
    // the sandbox id, and a private sandbox needs its preview token or the API key.
    std::optional<std::string> signed_for;
    std::string refusal =
        "Unauthorized: a private sandbox's preview needs its preview token "
        "(X-Daytona-Preview-Token or ?DAYTONA_SANDBOX_AUTH_KEY) or the API key";
    {
        std::lock_guard lock(mu_);
        if (auto it = signed_.find(key); it != signed_.end()) {
            if (it->second.expires_at <= unix_now()) {
                signed_.erase(it);
                refusal = "Unauthorized: the signed preview URL has expired";
            } else if (it->second.port != static_cast<int>(*port)) {
                refusal = "Unauthorized: the signed preview URL is for port " +
                          std::to_string(it->second.port);
            } else {
                signed_for = it->second.sandbox_id;
            }
        }
    }
    auto rec = ctx_.records.find(signed_for.value_or(key));
    // Without the API key an unknown sandbox is 401 too, so a guess learns nothing.
    const bool allowed = signed_for || ctx_.authorized(ex) ||
                         (rec && (rec->info.is_public || ctx_.has_preview_token(ex, key)));
    if (!allowed) co_return co_await send(ex, api_error(ex, 401, refusal));
    if (!rec) co_return co_await send(ex, sandbox_not_found(ex, signed_for.value_or(key)));
    if (rec->info.state != sandbox_state::started)
        co_return co_await send(ex,
                                api_error(ex, 409,
                                          "Sandbox " + rec->info.id + " is not started (state " +
                                              rec->info.state_name + ")"));
    const auto listening = sandbox_listening_ports(rec->info.id);
    if (std::find(listening.begin(), listening.end(), static_cast<int>(*port)) == listening.end())
        co_return co_await send(ex, api_error(ex, 502,
                                              "no process in sandbox " + rec->info.id +
                                                  " listens on port " + std::to_string(*port)));

    const auto& req = ex.request();
    const bool upgrade = !req.headers.get("upgrade").empty();
    if (!upgrade && !ex.body_read()) {
        if (auto r = co_await ex.read_body(); !r) {
            if (r.error() == errc::body_too_large)
                co_return co_await send(ex, api_error(ex, 413, "request body too large"));
            ex.close_after();
            co_return;
        }
    }
    std::string head = req.method + " " +
                       preview_impl::without_param(req.target, "DAYTONA_SANDBOX_AUTH_KEY") +
                       " HTTP/1.1\r\n";
    const bool strip_authorization =
        ctx_.authorized(ex);  // the API key is the proxy's, not the app's
    for (const auto f : req.headers) {
        if (preview_impl::hop_or_credential(f.name)) continue;
        if (strip_authorization && detail::iequals(f.name, "authorization")) continue;
        head.append(f.name).append(": ").append(f.value).append("\r\n");
    }
    head.append("X-Forwarded-Host: ").append(req.headers.get("host")).append("\r\n");
    head.append("X-Forwarded-Proto: ").append(ctx_.tls ? "https" : "http").append("\r\n");
    if (upgrade) {
        head.append("Connection: Upgrade\r\nUpgrade: ").append(req.headers.get("upgrade"));
        head.append("\r\n\r\n");
    } else {
        if (!req.body.empty() || req.headers.contains("content-length") ||
            req.headers.contains("transfer-encoding"))
            head.append("Content-Length: ").append(std::to_string(req.body.size())).append("\r\n");
        head.append("Connection: close\r\n\r\n").append(req.body);
    }

    // A server bound to ::1 only is not reachable over IPv4, hence the second address.
    std::optional<net::stream> upstream;
    result<void> connected = error(make_error_code(errc::connect_failed), "no address");
    const std::shared_ptr<asio::ssl::context> plain;
    for (std::string address : {"127.0.0.1", "::1"}) {
        upstream.emplace(ex.stream().get_executor());
        upstream->expires_after(std::chrono::seconds(5));
        auto connecting =
            upstream->connect(std::move(address), static_cast<std::uint16_t>(*port), plain);
        connected = co_await std::move(connecting);
        if (connected) break;
    }
    if (!connected)
        co_return co_await send(
            ex, api_error(ex, 502,
                          "cannot reach port " + std::to_string(*port) + " in sandbox " +
                              rec->info.id + ": " + connected.error().message()));
    upstream->expires_after(std::chrono::seconds(30));
    if (upgrade) {
        // Bytes the client sent after its upgrade request go first.
        head.append(ex.buffer().data());
        ex.buffer().clear();
    }
    if (auto w = co_await upstream->write(asio::buffer(head)); !w)
        co_return co_await send(ex,
                                api_error(ex, 502,
                                          "the server on port " + std::to_string(*port) +
                                              " closed the connection: " + w.error().message()));
    bool unanswered = false;
    if (upgrade) {
        upstream->expires_never();  // an upgraded connection may sit idle
        unanswered = co_await preview_impl::pipe_both_ways(ex.stream(), *upstream);
    } else {
        const std::chrono::milliseconds relay_idle = std::chrono::seconds(120);
        unanswered = co_await preview_impl::pump(*upstream, ex.stream(), relay_idle) == 0;
    }
    if (unanswered)
        co_return co_await send(ex, api_error(ex, 502,
                                              "the server on port " + std::to_string(*port) +
                                                  " closed the connection without answering"));
    ex.take_over();
}

}  // namespace preview_impl

void add_preview_routes(route_table& table, context& ctx) {
    using preview_impl::previews;
    namespace ops = api::ops;
    table.add(std::make_shared<previews>(ctx),
              {{ops::get_preview_url, &previews::preview_url},
               {ops::get_signed_preview_url, &previews::signed_preview_url},
               {ops::expire_signed_preview_url, &previews::expire_signed_preview_url},
               {preview_impl::relay_preview, &previews::relay}});
}

}  // namespace daytona::emulator
