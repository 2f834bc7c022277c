// SPDX-License-Identifier: Apache-2.0
// What the service areas share: the options, the records, the sandboxes' runtimes and how they
// map onto the host, auth, and the replies in Daytona's shapes.
#ifndef DAYTONA_EMULATOR_CONTEXT_HPP
#define DAYTONA_EMULATOR_CONTEXT_HPP

#include "emulator.hpp"
#include "events.hpp"
#include "http_server.hpp"
#include "runtime.hpp"
#include "sandbox_host.hpp"
#include "store.hpp"
#include "util.hpp"

#include <daytona/api/operation.hpp>
#include <daytona/codec/sandbox.hpp>
#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace daytona::emulator {

/**
 * \brief The state every area uses.
 * \details Thread-safe: the records and the maps here have their own locks.
 */
class context {
    // First: set while `host` is constructed.
    std::string namespace_reason_;

public:
    context(emulator_options options, fs::path data_dir, bool use_tls);
    ~context();
    context(const context&) = delete;
    context& operator=(const context&) = delete;

    const emulator_options opts;
    store records;
    /// The clients of the event channel; every change of `records` goes to them.
    event_hub events;
    const sandbox_host host;
    const bool tls;
    /// The port the server listens on (set once it is bound).
    std::atomic<std::uint16_t> port{0};

    /// Whether Dockerfile builds run for real (image_build.hpp); decided once. `why_not` says
    /// why they are emulated.
    bool real_builds(std::string* why_not = nullptr) const;
    /// How processes are isolated, for the startup line.
    std::string isolation_summary() const;

    // --- auth ---
    /// The request carries the API key (any non-empty Bearer token when none is configured).
    bool authorized(const exchange& ex) const;
    /// `token` is the API key (any non-empty token when none is configured).
    bool accepts_token(std::string_view token) const;
    /// The sandbox's preview token (made on first use).
    std::string preview_token(const std::string& sandbox_id);
    /// Whether the request carries this sandbox's preview token (header or query), which the
    /// toolbox and the preview proxy accept instead of the API key.
    bool has_preview_token(const exchange& ex, const std::string& sandbox_id);

    // --- what runs in the sandboxes ---
    std::shared_ptr<sandbox_runtime> runtime_of(const std::string& id);
    /// Ends the sandbox's processes and forgets its sessions, PTYs, contexts and servers.
    void forget_runtime(const std::string& id);
    /// Ends every process of every sandbox.
    void shutdown();

    // --- URLs and DTOs handed to clients ---
    /// "http://host:port" as the client addressed the emulator.
    std::string origin_of(const exchange& ex) const;
    /// The preview host for a port and a sandbox id or signed token, with scheme and port.
    std::string preview_origin(std::string_view port, std::string_view key) const;
    /// "{port}-{key}" (lower case) when the request's Host is a preview host under the proxy
    /// domain.
    std::optional<std::string> preview_label(const exchange& ex) const;
    /// The Sandbox DTO as this client is to see it: toolboxProxyUrl on the client's origin.
    sandbox_info for_client(const exchange& ex, sandbox_info info) const;
    /// 200 with the Sandbox DTO for_client().
    reply sandbox_reply(const exchange& ex, const sandbox_info& info) const;

private:
    std::mutex runtimes_mu_;
    std::map<std::string, std::shared_ptr<sandbox_runtime>> runtimes_;
    std::mutex previews_mu_;
    std::map<std::string, std::string> preview_tokens_;  // sandbox id -> token
};

/// The Sandbox DTO as a client that addressed the emulator at `origin` is to see it.
sandbox_info for_origin(sandbox_info info, std::string_view origin);

// --- replies in Daytona's shapes ---

/// A JSON reply with `dto` written by the library's codec (`encode(json::writer&, const T&)`),
/// the same function the client's tests compare with the TS SDK's captures.
template <class T>
reply encoded_reply(const T& dto, int status = 200) {
    return json_reply(status, api::to_json_body(dto));
}

/// The API's error body ({path, timestamp, statusCode, error, message}).
reply api_error(const exchange& ex, int status, std::string message);
/// The daemon's (or, with source DAYTONA_PROXY, the proxy's) error body.
reply toolbox_error(const exchange& ex, int status, std::string_view code, std::string message,
                    std::string_view source = "DAYTONA_DAEMON");
/// 404 for an unknown sandbox id or name.
reply sandbox_not_found(const exchange& ex, const std::string& id);
/// Sends `r`; a connection that cannot take it is closed after the exchange.
asio::awaitable<void> send(exchange& ex, reply r);

/// The request body decoded as `T` (an empty body is `{}`); nullopt after answering 400 (413
/// for a body over the limit) in the API's or the daemon's shape.
template <class T>
asio::awaitable<std::optional<T>> read_json(exchange& ex, bool toolbox_shape) {
    auto r = co_await ex.read_body();
    if (!r) {
        const bool too_large = r.error() == errc::body_too_large;
        const int status = too_large ? 413 : 400;
        ex.close_after();
        // Named first: GCC 12 destroys a class temporary created inside a co_await twice.
        reply failure =
            toolbox_shape
                ? toolbox_error(ex, status, too_large ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST",
                                r.error().message())
                : api_error(ex, status, r.error().message());
        co_await send(ex, std::move(failure));
        co_return std::nullopt;
    }
    auto& body = ex.request().body;
    if (detail::trim(body).empty()) body = "{}";
    auto decoded = json::decode<T>(body, "body");
    if (!decoded) {
        reply failure = toolbox_shape ? toolbox_error(ex, 400, "INVALID_REQUEST_BODY",
                                                      decoded.error().message())
                                      : api_error(ex, 400, decoded.error().message());
        co_await send(ex, std::move(failure));
        co_return std::nullopt;
    }
    co_return std::move(*decoded);
}

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_CONTEXT_HPP
