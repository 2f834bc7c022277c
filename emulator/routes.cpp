// SPDX-License-Identifier: Apache-2.0
#include "routes.hpp"

#include <algorithm>
#include <stdexcept>

namespace daytona::emulator {

const std::string& call::param(std::string_view name) const {
    const int i = matched.parameter_index(name);
    if (i < 0 || static_cast<std::size_t>(i) >= segments_.size())
        throw std::logic_error("route " + std::string(matched.name()) + " has no parameter " +
                               std::string(name));
    return segments_[static_cast<std::size_t>(i)];
}

route::route(const route_spec& spec, route_handler handler)
    : spec_(spec), handler_(std::move(handler)) {
    std::string_view rest = spec.path;
    while (!rest.empty()) {
        const auto slash = rest.find('/');
        const auto part = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        if (part.empty()) continue;
        if (takes_rest_)
            throw std::logic_error("'*' must end the path of route " + std::string(spec.name));
        if (part == "*") {
            takes_rest_ = true;
        } else if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
            segments_.push_back({part.substr(1, part.size() - 2), true});
        } else {
            segments_.push_back({part, false});
            ++literals_;
        }
    }
}

bool route::matches(std::string_view method, std::span<const std::string> segments) const noexcept {
    if (spec_.method != "*" && spec_.method != method) return false;
    if (takes_rest_ ? segments.size() < segments_.size() : segments.size() != segments_.size())
        return false;
    for (std::size_t i = 0; i < segments_.size(); ++i) {
        const auto& s = segments_[i];
        if (s.parameter ? segments[i].empty() : segments[i] != s.text) return false;
    }
    return true;
}

int route::parameter_index(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < segments_.size(); ++i)
        if (segments_[i].parameter && segments_[i].text == name) return static_cast<int>(i);
    return -1;
}

namespace routes_impl {

bool methods_overlap(std::string_view a, std::string_view b) {
    return a == b || a == "*" || b == "*";
}

/// Whether some request could match both routes with nothing to prefer one over the other.
bool ambiguous(const route& a, const route& b, std::span<const std::string_view> a_parts,
               std::span<const std::string_view> b_parts, bool a_rest, bool b_rest, int a_lit,
               int b_lit) {
    if (a.spec().where != b.spec().where || a.websocket() != b.websocket() || a_rest != b_rest ||
        a_parts.size() != b_parts.size() || a_lit != b_lit ||
        !methods_overlap(a.spec().method, b.spec().method))
        return false;
    for (std::size_t i = 0; i < a_parts.size(); ++i)
        if (!a_parts[i].empty() && !b_parts[i].empty() && a_parts[i] != b_parts[i]) return false;
    return true;
}

}  // namespace routes_impl

const route& route_table::add(const route_spec& spec, route_handler handler) {
    auto r = std::make_unique<route>(spec, std::move(handler));
    // Literal segments, with "" standing for a parameter, to compare with the routes there.
    const auto parts_of = [](const route& x) {
        std::vector<std::string_view> parts;
        for (const auto& s : x.segments_)
            parts.push_back(s.parameter ? std::string_view{} : s.text);
        return parts;
    };
    const auto mine = parts_of(*r);
    for (const auto& other : routes_) {
        if (other->name() == r->name())
            throw std::logic_error("route " + std::string(r->name()) + " is declared twice");
        if (routes_impl::ambiguous(*r, *other, mine, parts_of(*other), r->takes_rest_,
                                   other->takes_rest_, r->literals_, other->literals_))
            throw std::logic_error("routes " + std::string(r->name()) + " and " +
                                   std::string(other->name()) + " match the same requests");
    }
    const auto where = static_cast<std::size_t>(spec.where);
    auto& list = r->takes_rest_ ? with_rest_[where] : [&]() -> std::vector<const route*>& {
        auto& lengths = by_length_[where];
        if (lengths.size() <= r->segments_.size()) lengths.resize(r->segments_.size() + 1);
        return lengths[r->segments_.size()];
    }();
    list.push_back(r.get());
    std::stable_sort(list.begin(), list.end(),
                     [](const route* a, const route* b) { return a->literals_ > b->literals_; });
    routes_.push_back(std::move(r));
    return *routes_.back();
}

const route* route_table::find(surface where, std::string_view method,
                               std::span<const std::string> segments, bool upgrade) const noexcept {
    const auto s = static_cast<std::size_t>(where);
    // Candidates come most literal segments first: the first match wins unless one with as
    // many literal segments fits the request's kind better.
    const auto best_of = [&](const std::vector<const route*>& candidates) -> const route* {
        const route* best = nullptr;
        for (const route* r : candidates) {
            if (best && r->literals_ < best->literals_) break;
            if (!r->matches(method, segments)) continue;
            if (!best) {
                best = r;
                if (r->websocket() == upgrade) break;
            } else if (r->websocket() == upgrade) {
                return r;
            }
        }
        return best;
    };
    if (segments.size() < by_length_[s].size())
        if (const route* r = best_of(by_length_[s][segments.size()])) return r;
    return best_of(with_rest_[s]);
}

const route* route_table::named(std::string_view name) const noexcept {
    for (const auto& r : routes_)
        if (r->name() == name) return r.get();
    return nullptr;
}

}  // namespace daytona::emulator
