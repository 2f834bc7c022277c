// SPDX-License-Identifier: Apache-2.0
#include "faults.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/detail/string.hpp>

#include <fnmatch.h>

#include <algorithm>
#include <array>

namespace daytona::emulator {

std::optional<fault> parse_fault(std::string_view spec, std::string* why) {
    auto fail = [&](std::string msg) -> std::optional<fault> {
        if (why) *why = "fault '" + std::string(spec) + "': " + msg;
        return std::nullopt;
    };
    fault f;
    f.key = std::string(spec);
    bool first = true;
    while (!spec.empty()) {
        auto semi = spec.find(';');
        auto item = detail::trim(spec.substr(0, semi));
        spec = semi == std::string_view::npos ? std::string_view{} : spec.substr(semi + 1);
        if (first) {
            first = false;
            auto colon = item.find(':');
            auto name = item.substr(0, colon);
            std::optional<int> arg;
            if (colon != std::string_view::npos) {
                auto v = detail::parse_uint<unsigned>(item.substr(colon + 1));
                if (!v) return fail("the argument must be a number");
                arg = static_cast<int>(*v);
            }
            if (name == "reset-before-headers")
                f.what = fault::kind::reset_before_headers;
            else if (name == "reset-after-headers")
                f.what = fault::kind::reset_after_headers;
            else if (name == "truncate-body")
                f.what = fault::kind::truncate_body;
            else if (name == "drip")
                f.what = fault::kind::drip;
            else if (name == "stall")
                f.what = fault::kind::stall;
            else if (name == "status")
                f.what = fault::kind::status;
            else
                return fail("unknown kind '" + std::string(name) + "'");
            if ((f.what == fault::kind::status || f.what == fault::kind::stall ||
                 f.what == fault::kind::drip) &&
                !arg)
                return fail("this kind needs :<number>");
            f.arg = arg.value_or(0);
            if (f.what == fault::kind::status && (f.arg < 100 || f.arg > 599))
                return fail("status must be 100-599");
            continue;
        }
        auto eq = item.find('=');
        if (eq == std::string_view::npos)
            return fail("expected key=value, got '" + std::string(item) + "'");
        auto k = item.substr(0, eq), v = item.substr(eq + 1);
        if (k == "times") {
            auto n = detail::parse_uint<unsigned>(v);
            if (!n) return fail("times must be a number");
            f.times = static_cast<int>(*n);
        } else if (k == "retry-after") {
            auto n = detail::parse_uint<unsigned>(v);
            if (!n) return fail("retry-after must be a number of seconds");
            f.retry_after = static_cast<int>(*n);
        } else if (k == "key") {
            f.key = std::string(v);
        } else if (k == "path") {
            f.path_glob = std::string(v);
        } else if (k == "op") {
            while (!v.empty()) {
                const auto bar = v.find('|');
                const auto name = detail::trim(v.substr(0, bar));
                if (name.empty()) return fail("op names an empty operation");
                f.operations.emplace_back(name);
                v = bar == std::string_view::npos ? std::string_view{} : v.substr(bar + 1);
            }
            if (f.operations.empty()) return fail("op needs an operation name");
        } else if (k == "rate") {
            try {
                f.rate = std::stod(std::string(v));
            } catch (...) {
                return fail("rate must be a number between 0 and 1");
            }
            if (f.rate < 0 || f.rate > 1) return fail("rate must be between 0 and 1");
        } else {
            return fail("unknown option '" + std::string(k) + "'");
        }
    }
    if (first) return fail("empty");
    return f;
}

void fault_injector::configure(std::vector<fault> faults, std::uint64_t seed) {
    std::lock_guard lock(mu_);
    configured_ = std::move(faults);
    rng_.seed(seed);
}

bool fault_injector::take(const fault& f) {
    if (f.times) {
        int& n = used_[f.key];
        if (n >= *f.times) return false;
        ++n;
    }
    return true;
}

bool fault_injector::applies(const fault& f, std::string_view path, std::string_view operation) {
    if (!f.operations.empty() &&
        std::find(f.operations.begin(), f.operations.end(), operation) == f.operations.end())
        return false;
    return f.path_glob == "*" || ::fnmatch(f.path_glob.c_str(), std::string(path).c_str(), 0) == 0;
}

std::optional<fault> fault_injector::decide(std::string_view path, std::string_view operation,
                                            std::string_view header) {
    // The common case, on every request: no header and no --fault. configured_ is only written
    // by configure(), before the server starts, so it is read here without the lock.
    if (header.empty() && configured_.empty()) return std::nullopt;
    std::lock_guard lock(mu_);
    if (!header.empty()) {
        // Several faults in one header: the first one that still applies wins.
        while (!header.empty()) {
            auto comma = header.find(',');
            auto f = parse_fault(detail::trim(header.substr(0, comma)), nullptr);
            header =
                comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
            if (f && applies(*f, path, operation) && take(*f)) return f;
        }
        return std::nullopt;
    }
    for (const auto& f : configured_) {
        if (!applies(f, path, operation)) continue;
        if (f.rate < 1.0 && std::uniform_real_distribution<double>(0, 1)(rng_) >= f.rate) continue;
        if (take(f)) return f;
    }
    return std::nullopt;
}

std::optional<rate_limiter::limit> rate_limiter::parse(std::string_view spec, std::string* why) {
    auto eq = spec.find('='), slash = spec.find('/');
    if (eq == std::string_view::npos || slash == std::string_view::npos || slash < eq) {
        if (why) *why = "rate limit '" + std::string(spec) + "': expected name=count/seconds";
        return std::nullopt;
    }
    limit l;
    l.name = std::string(spec.substr(0, eq));
    auto count = detail::parse_uint<unsigned>(spec.substr(eq + 1, slash - eq - 1));
    auto seconds = detail::parse_uint<unsigned>(spec.substr(slash + 1));
    if (!count || !seconds || *seconds == 0 ||
        (l.name != "authenticated" && l.name != "sandbox-create" &&
         l.name != "sandbox-lifecycle")) {
        if (why)
            *why = "rate limit '" + std::string(spec) +
                   "': name is authenticated, sandbox-create or sandbox-lifecycle; count and "
                   "seconds are numbers";
        return std::nullopt;
    }
    l.count = static_cast<int>(*count);
    l.window_seconds = static_cast<int>(*seconds);
    return l;
}

namespace faults_impl {

/// The throttler (besides `authenticated`) each operation counts against, as Daytona's API
/// assigns them.
constexpr std::pair<const api::operation*, std::string_view> throttled_operations[] = {
    {&api::ops::create_sandbox, "sandbox-create"},
    {&api::ops::delete_sandbox, "sandbox-lifecycle"},
    {&api::ops::start_sandbox, "sandbox-lifecycle"},
    {&api::ops::stop_sandbox, "sandbox-lifecycle"},
    {&api::ops::archive_sandbox, "sandbox-lifecycle"},
    {&api::ops::recover_sandbox, "sandbox-lifecycle"},
    {&api::ops::resize_sandbox, "sandbox-lifecycle"},
};

}  // namespace faults_impl

rate_limiter::verdict rate_limiter::check(std::string_view operation) {
    std::array<std::string_view, 2> throttlers{"authenticated", {}};
    for (const auto& [op, throttler] : faults_impl::throttled_operations)
        if (op->name == operation) throttlers[1] = throttler;
    verdict v;
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::steady_clock::now().time_since_epoch())
                         .count();
    std::lock_guard lock(mu_);
    for (const auto& l : limits_) {
        if (l.name != throttlers[0] && l.name != throttlers[1]) continue;
        auto& w = windows_[l.name];
        if (now - w.start >= l.window_seconds) {
            w.start = now;
            w.used = 0;
        }
        ++w.used;
        const int reset = static_cast<int>(w.start + l.window_seconds - now);
        v.headers.emplace_back("X-RateLimit-Limit-" + l.name, std::to_string(l.count));
        v.headers.emplace_back("X-RateLimit-Remaining-" + l.name,
                               std::to_string(std::max(0, l.count - w.used)));
        v.headers.emplace_back("X-RateLimit-Reset-" + l.name, std::to_string(reset));
        if (w.used > l.count && !v.retry_after) {
            v.retry_after = reset;
            v.throttler = l.name;
        }
    }
    return v;
}

}  // namespace daytona::emulator
