// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of detail/backoff.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_DETAIL_IMPL_BACKOFF_IPP
#define DAYTONA_DETAIL_IMPL_BACKOFF_IPP

#include "daytona/detail/backoff.hpp"
#include "daytona/detail/string.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

std::chrono::milliseconds retry_backoff(int retry, std::chrono::milliseconds initial,
                                        std::chrono::milliseconds cap, double jitter01) {
    double ms = static_cast<double>(initial.count());
    for (int i = 1; i < retry && ms < static_cast<double>(cap.count()); ++i)
        ms *= 2;
    ms = std::min(ms, static_cast<double>(cap.count()));
    ms *= 0.5 + 0.5 * std::clamp(jitter01, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

double jitter() {
    thread_local std::minstd_rand gen{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}

namespace http_date {

// A cursor over an HTTP date; every reader consumes what it matched or fails.
struct reader {
    std::string_view s;

    bool literal(std::string_view x) {
        if (s.substr(0, x.size()) != x) return false;
        s.remove_prefix(x.size());
        return true;
    }
    // Exactly `n` digits.
    std::optional<int> digits(std::size_t n) {
        if (s.size() < n) return std::nullopt;
        int v = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (s[i] < '0' || s[i] > '9') return std::nullopt;
            v = v * 10 + (s[i] - '0');
        }
        s.remove_prefix(n);
        return v;
    }
    // One of `names`, answered as its index.
    template <std::size_t N>
    std::optional<int> one_of(const std::array<std::string_view, N>& names) {
        for (std::size_t i = 0; i < N; ++i)
            if (literal(names[i])) return static_cast<int>(i);
        return std::nullopt;
    }
};

inline constexpr std::array<std::string_view, 7> short_days{"Mon", "Tue", "Wed", "Thu",
                                                            "Fri", "Sat", "Sun"};
inline constexpr std::array<std::string_view, 7> long_days{
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
inline constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// "08:49:37" as a duration since midnight.
inline std::optional<std::chrono::seconds> time_of_day(reader& r) {
    const auto h = r.digits(2);
    if (!h || *h > 23 || !r.literal(":")) return std::nullopt;
    const auto m = r.digits(2);
    if (!m || *m > 59 || !r.literal(":")) return std::nullopt;
    const auto sec = r.digits(2);
    if (!sec || *sec > 60) return std::nullopt;  // 60: a leap second
    return std::chrono::hours(*h) + std::chrono::minutes(*m) + std::chrono::seconds(*sec);
}

inline std::optional<std::chrono::system_clock::time_point> at(int y, int month0, int d,
                                                               std::chrono::seconds t) {
    const std::chrono::year_month_day ymd{std::chrono::year(y),
                                          std::chrono::month(static_cast<unsigned>(month0 + 1)),
                                          std::chrono::day(static_cast<unsigned>(d))};
    if (!ymd.ok()) return std::nullopt;
    return std::chrono::system_clock::time_point(std::chrono::sys_days(ymd)) + t;
}

}  // namespace http_date

std::optional<std::chrono::system_clock::time_point> parse_http_date(
    std::string_view v, std::chrono::system_clock::time_point now) {
    using http_date::reader;
    v = trim(v);
    {
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
        reader r{v};
        std::optional<int> d, m, y;
        std::optional<std::chrono::seconds> t;
        if (r.one_of(http_date::short_days) && r.literal(", ") && (d = r.digits(2)) &&
            r.literal(" ") && (m = r.one_of(http_date::months)) && r.literal(" ") &&
            (y = r.digits(4)) && r.literal(" ") && (t = http_date::time_of_day(r)) &&
            r.literal(" GMT") && r.s.empty())
            return http_date::at(*y, *m, *d, *t);
    }
    {
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT".
        reader r{v};
        std::optional<int> d, m, yy;
        std::optional<std::chrono::seconds> t;
        if (r.one_of(http_date::long_days) && r.literal(", ") && (d = r.digits(2)) &&
            r.literal("-") && (m = r.one_of(http_date::months)) && r.literal("-") &&
            (yy = r.digits(2)) && r.literal(" ") && (t = http_date::time_of_day(r)) &&
            r.literal(" GMT") && r.s.empty()) {
            const int this_year = static_cast<int>(
                std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now)).year());
            int y = this_year - this_year % 100 + *yy;
            if (y > this_year + 50) y -= 100;
            return http_date::at(y, *m, *d, *t);
        }
    }
    {
        // asctime: "Sun Nov  6 08:49:37 1994" (a one-digit day is padded with a space).
        reader r{v};
        std::optional<int> d, m, y;
        std::optional<std::chrono::seconds> t;
        if (r.one_of(http_date::short_days) && r.literal(" ") &&
            (m = r.one_of(http_date::months)) && r.literal(" ") &&
            ((r.literal(" ") && (d = r.digits(1))) || (d = r.digits(2))) && r.literal(" ") &&
            (t = http_date::time_of_day(r)) && r.literal(" ") && (y = r.digits(4)) && r.s.empty())
            return http_date::at(*y, *m, *d, *t);
    }
    return std::nullopt;
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view v, std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    v = trim(v);
    if (!v.empty() &&
        std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        constexpr std::uint64_t limit = 1'000'000'000;  // about 31 years
        std::uint64_t secs = 0;
        for (char c : v) {
            secs = secs * 10 + static_cast<std::uint64_t>(c - '0');
            if (secs >= limit) {
                secs = limit;
                break;
            }
        }
        return milliseconds(static_cast<std::int64_t>(secs) * 1000);
    }
    if (auto date = parse_http_date(v, now)) {
        if (*date <= now) return milliseconds(0);
        return ceil<milliseconds>(*date - now);
    }
    return std::nullopt;
}

std::chrono::milliseconds next_poll_interval(std::chrono::milliseconds current, double multiplier,
                                             std::chrono::milliseconds cap) {
    auto next = static_cast<std::int64_t>(static_cast<double>(current.count()) * multiplier);
    return std::min(std::chrono::milliseconds(std::max<std::int64_t>(next, 1)), cap);
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_DETAIL_IMPL_BACKOFF_IPP
