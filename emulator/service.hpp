// SPDX-License-Identifier: Apache-2.0
// The emulated Daytona as the HTTP server sees it: each request is matched against the route
// table, then faults, auth, the proxy's checks and rate limits apply, and the route's handler
// answers. The handlers live in the service areas (areas.hpp).
#ifndef DAYTONA_EMULATOR_SERVICE_HPP
#define DAYTONA_EMULATOR_SERVICE_HPP

#include "context.hpp"
#include "faults.hpp"
#include "http_server.hpp"
#include "lifecycle.hpp"
#include "routes.hpp"

#include <optional>
#include <span>
#include <string>

namespace daytona::emulator {

class service final : public handler {
public:
    /// Throws std::invalid_argument for a malformed fault or rate limit specification.
    service(emulator_options opts, fs::path data_dir, bool tls);
    ~service() override;

    asio::awaitable<void> handle(exchange& ex) override;
    void set_port(std::uint16_t port) noexcept { ctx_.port = port; }
    /// Ends every process of every sandbox.
    void shutdown() { ctx_.shutdown(); }
    /// How processes are isolated, for the startup line.
    std::string isolation_summary() const { return ctx_.isolation_summary(); }
    /// Whether Dockerfile builds run for real, and why not.
    bool real_builds(std::string* why_not) const { return ctx_.real_builds(why_not); }
    const route_table& routes() const noexcept { return routes_; }

private:
    /// Applies a fault the request asked for or matches; true when it has been answered (or
    /// the connection dropped) by the fault.
    asio::awaitable<bool> inject_fault(exchange& ex, const fault& f, bool api_shape);
    /// What /api says before the handler: 401 without the API key (routes that need it), 429
    /// past a rate limit, 404 without a route; nullopt to go on. Adds the rate-limit headers.
    std::optional<reply> admit_api(exchange& ex, const route* r);
    /// What the toolbox proxy says before the handler: 401, 404 for an unknown sandbox or
    /// route, 409 unless the sandbox is started; nullopt to go on, with `sandbox` found.
    std::optional<reply> admit_toolbox(const exchange& ex, const route* r,
                                       std::span<const std::string> segs,
                                       std::optional<sandbox_record>& sandbox);

    context ctx_;
    state_machine states_;
    route_table routes_;
    fault_injector faults_;
    rate_limiter limits_;
};

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_SERVICE_HPP
