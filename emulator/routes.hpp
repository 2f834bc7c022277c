// SPDX-License-Identifier: Apache-2.0
// The emulator's route table: method, path pattern, handler and operation name per route.
//
// A route for an operation of the catalogue (daytona/api/operations.hpp) takes its method, path
// and name from the catalogue's declaration, so the client and the emulator cannot disagree on
// a path. Routes only the emulator has (the build-log stream, Socket.IO, the computer-use prefix,
// preview hosts) are declared beside their handlers with the same type. Each service area adds
// its routes next to its handlers (areas.hpp).
//
// Matching: the method must be the route's (or the route answers every method), every literal
// segment must be equal and every {parameter} segment non-empty. When several routes match, the
// one with more literal segments wins (/process/pty/create-connect over /process/pty/{sessionId});
// between two with as many, the one whose kind fits the request (a WebSocket upgrade, or not:
// session command logs have both). Routes ending in "*" (any rest of the path) are tried after
// the others. A plain request for a WebSocket route is answered 426 by the dispatcher; an
// upgrade for a plain route is served as plain HTTP (a server may ignore Upgrade).
#ifndef DAYTONA_EMULATOR_ROUTES_HPP
#define DAYTONA_EMULATOR_ROUTES_HPP

#include "http_server.hpp"
#include "store.hpp"

#include <daytona/api/operation.hpp>

#include <array>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace daytona::emulator {

/// Where a route is served.
enum class surface {
    /// "/api" + path.
    api,
    /// "/toolbox/{sandboxId}" + path.
    toolbox,
    /// Any path on a preview host, {port}-{sandboxId or token}.{proxy domain}.
    preview,
};

/// A route as declared.
struct route_spec {
    /// The operation's name: a catalogue operation's ("start_sandbox") or the emulator's own.
    std::string_view name;
    /// "GET", "POST", ...; "*" answers every method.
    std::string_view method;
    /// Path relative to the surface. A "{name}" segment is a parameter; a last segment "*"
    /// matches the rest of the path (no segment or more).
    std::string_view path;
    surface where = surface::api;
    /// Answers WebSocket upgrades (see the file comment for plain requests).
    bool websocket = false;
    /// API routes: the request needs the API key (and counts against the rate limits).
    bool authenticated = true;
};

/// The route of a catalogue operation.
constexpr route_spec route_of(const api::operation& op) {
    return route_spec{.name = op.name,
                      .method = http::to_string(op.method),
                      .path = op.path,
                      .where = op.where == api::surface::toolbox ? surface::toolbox : surface::api,
                      .websocket = op.websocket};
}

class route;

/**
 * \brief One request as its handler sees it.
 * \details Lives in the dispatcher's frame while the handler runs; handlers receive it by
 * reference and must not keep it.
 */
class call {
public:
    call(exchange& e, const route& r, std::span<const std::string> segments,
         const sandbox_record* sandbox = nullptr) noexcept
        : ex(e), matched(r), segments_(segments), sandbox_(sandbox) {}

    exchange& ex;
    const route& matched;

    /// A path parameter by its name in the template ("sandboxIdOrName"), percent-decoded.
    const std::string& param(std::string_view name) const;
    /// The sandbox a toolbox route addresses: found, started and authorized by the dispatcher.
    const sandbox_record& sandbox() const noexcept { return *sandbox_; }

private:
    std::span<const std::string> segments_;
    const sandbox_record* sandbox_;
};

using route_handler = std::function<asio::awaitable<void>(call&)>;

/// A handler that runs a member coroutine of an area; the route keeps the area alive.
template <class Area>
route_handler handled_by(const std::shared_ptr<Area>& area,
                         asio::awaitable<void> (Area::*member)(call&)) {
    return [area, member](call& c) {
        return ((*area).*member)(c);
    };
}

/// One route of an area: its declaration and the member coroutine that handles it.
template <class Area>
struct area_route {
    using member = asio::awaitable<void> (Area::*)(call&);
    area_route(const api::operation& op, member m) : spec(route_of(op)), handler(m) {}
    area_route(const route_spec& s, member m) : spec(s), handler(m) {}
    route_spec spec;
    member handler;
};

/// A route: its declaration compiled for matching, and its handler.
class route {
public:
    route(const route_spec& spec, route_handler handler);

    const route_spec& spec() const noexcept { return spec_; }
    std::string_view name() const noexcept { return spec_.name; }
    bool websocket() const noexcept { return spec_.websocket; }
    bool authenticated() const noexcept { return spec_.authenticated; }
    /// Runs the handler.
    asio::awaitable<void> operator()(call& c) const { return handler_(c); }

    /// Whether `segments` (relative to the surface) and `method` fit this route.
    bool matches(std::string_view method, std::span<const std::string> segments) const noexcept;
    /// The position of the parameter `name` in the path, or -1.
    int parameter_index(std::string_view name) const noexcept;

private:
    friend class route_table;
    struct segment {
        std::string_view text;
        bool parameter = false;
    };
    route_spec spec_;
    std::vector<segment> segments_;
    bool takes_rest_ = false;
    int literals_ = 0;
    route_handler handler_;
};

/**
 * \brief Every route of the emulator, by surface.
 * \details Filled before the server starts, read-only afterwards (lookups take no lock).
 */
class route_table {
public:
    /// Adds a route. Throws std::logic_error when its name is taken, or when it could match
    /// the same requests as a route already there with nothing to choose between them (same
    /// surface, method, kind, segment and literal count, and no literal that tells them apart).
    const route& add(const route_spec& spec, route_handler handler);
    /// A catalogue operation's route: method, path and name from its declaration.
    const route& add(const api::operation& op, route_handler handler) {
        return add(route_of(op), std::move(handler));
    }

    /// The route for a request (see the file comment), or nullptr when none matches the path
    /// and the method. `segments` are relative to the surface and percent-decoded.
    const route* find(surface where, std::string_view method, std::span<const std::string> segments,
                      bool upgrade) const noexcept;
    /// The route called `name` (any surface), or nullptr.
    const route* named(std::string_view name) const noexcept;
    /// Adds an area's routes, each handled by a member of `area`; the table keeps it alive.
    template <class Area>
    void add(const std::shared_ptr<Area>& area, std::initializer_list<area_route<Area>> routes) {
        for (const auto& r : routes)
            add(r.spec, handled_by(area, r.handler));
    }
    std::size_t size() const noexcept { return routes_.size(); }

private:
    static constexpr std::size_t surfaces = 3;
    std::vector<std::unique_ptr<route>> routes_;
    /// Per surface: routes by segment count, most literal segments first.
    std::array<std::vector<std::vector<const route*>>, surfaces> by_length_;
    /// Per surface: routes ending in "*", most literal segments first.
    std::array<std::vector<const route*>, surfaces> with_rest_;
};

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_ROUTES_HPP
