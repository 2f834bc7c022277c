// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/trace.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_IMPL_TRACE_IPP
#define DAYTONA_API_IMPL_TRACE_IPP

#include "daytona/api/trace.hpp"
#include "daytona/detail/percent.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/json/redact.hpp"
#include "daytona/json/writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <map>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace api {

std::shared_ptr<trace_file> trace_file::open(const std::string& path) {
    static std::mutex mu;
    static std::map<std::string, std::weak_ptr<trace_file>> open_files;
    std::lock_guard lock(mu);
    if (auto existing = open_files[path].lock()) return existing;
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return nullptr;
    auto f = std::shared_ptr<trace_file>(new trace_file(fd, path));
    open_files[path] = f;
    return f;
}

trace_file::~trace_file() {
    ::close(fd_);
}

void trace_file::append(std::string_view line) noexcept {
    std::lock_guard lock(mu_);
    while (!line.empty()) {
        const auto n = ::write(fd_, line.data(), line.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        line.remove_prefix(static_cast<std::size_t>(n));
    }
}

namespace detail_trace {

// A path whose segments match `pattern` at some position has a credential at `secret`
// ("*" matches any one segment).
struct credential_path {
    std::array<std::string_view, 4> pattern;
    std::size_t size;
    std::size_t secret;
};

// The path parameters of Daytona's API that are credentials.
inline constexpr std::array<credential_path, 4> credential_paths{{
    {{"signed-preview-url", "*"}, 2, 1},          // .../signed-preview-url/{token}/expire
    {{"by-sandbox-auth-token", "*"}, 2, 1},       // otel-config/by-sandbox-auth-token/{authToken}
    {{"preview", "*", "validate", "*"}, 4, 3},    // preview/{sandboxId}/validate/{authToken}
    {{"preview", "*", "*", "sandbox-id"}, 4, 1},  // preview/{signedPreviewToken}/{port}/sandbox-id
}};

inline std::string redact_path(std::string_view path) {
    std::vector<std::string_view> segs;
    for (std::size_t from = 0;;) {
        const auto slash = path.find('/', from);
        segs.push_back(path.substr(from, slash == std::string_view::npos ? slash : slash - from));
        if (slash == std::string_view::npos) break;
        from = slash + 1;
    }
    std::vector<bool> secret(segs.size(), false);
    for (std::size_t i = 0; i < segs.size(); ++i)
        for (const auto& c : credential_paths) {
            if (i + c.size > segs.size()) continue;
            bool match = true;
            for (std::size_t k = 0; k < c.size && match; ++k)
                match =
                    !segs[i + k].empty() && (c.pattern[k] == "*" || c.pattern[k] == segs[i + k]);
            if (match) secret[i + c.secret] = true;
        }
    std::string out;
    out.reserve(path.size());
    for (std::size_t i = 0; i < segs.size(); ++i) {
        if (i > 0) out += '/';
        if (secret[i])
            out.append(json::redacted_text);
        else
            out.append(segs[i]);
    }
    return out;
}

}  // namespace detail_trace

std::string redact_target(std::string_view target) {
    const auto q = target.find('?');
    std::string out = detail_trace::redact_path(target.substr(0, q));
    if (q == std::string_view::npos) return out;
    out += '?';
    std::string_view query = target.substr(q + 1);
    bool first = true;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
        if (!first) out += '&';
        first = false;
        const auto eq = pair.find('=');
        const auto key = pair.substr(0, eq);
        const auto decoded = detail::percent_decode(key, true).value_or(std::string(key));
        if (eq != std::string_view::npos && json::is_secret_name(decoded)) {
            out.append(key);
            out += '=';
            out.append(json::redacted_text);
        } else {
            out.append(pair);
        }
    }
    return out;
}

std::string format_trace_line(const http::exchange_record& rec, std::string_view secret,
                              std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    std::string line;
    line.reserve(256 + rec.req.body.size());
    json::writer w(line);
    const std::time_t secs = system_clock::to_time_t(now);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    // ISO 8601 with milliseconds, UTC: "2026-12-02T08:00:00.123Z".
    std::string ts;
    auto two = [&](int v) {
        ts += static_cast<char>('0' + (v / 10) % 10);
        ts += static_cast<char>('0' + v % 10);
    };
    detail::append_int(ts, tm.tm_year + 1900);
    ts += '-';
    two(tm.tm_mon + 1);
    ts += '-';
    two(tm.tm_mday);
    ts += 'T';
    two(tm.tm_hour);
    ts += ':';
    two(tm.tm_min);
    ts += ':';
    two(tm.tm_sec);
    ts += '.';
    const auto ms =
        static_cast<int>(duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000);
    ts += static_cast<char>('0' + ms / 100);
    two(ms % 100);
    ts += 'Z';
    w.begin_object().member("ts", ts);
    if (!rec.operation.empty()) w.member("operation", rec.operation);
    w.member("method", http::to_string(rec.req.method));
    std::string url = rec.websocket ? (rec.req.origin.secure() ? "wss://" : "ws://")
                                    : rec.req.origin.scheme + "://";
    url += rec.req.origin.host_header();
    url += redact_target(rec.req.target);
    w.member("url", url);
    w.member("status", rec.resp ? rec.resp->status : 0);
    const double elapsed_ms =
        static_cast<double>(duration_cast<microseconds>(rec.elapsed).count()) / 1000.0;
    w.member("ms", elapsed_ms);
    if (rec.websocket) w.member("websocket", true);
    const auto content_type = rec.req.headers.get("content-type");
    if (!rec.req.stream && !rec.req.body.empty() &&
        content_type.substr(0, 16) == "application/json")
        if (auto body = json::redact(rec.req.body)) w.key("request_body").raw(*body);
    if (rec.failure) w.member("error", rec.failure->to_string());
    w.end_object();
    if (secret.size() >= 4)
        for (auto pos = line.find(secret); pos != std::string::npos; pos = line.find(secret, pos))
            line.replace(pos, secret.size(), json::redacted_text);
    line += '\n';
    return line;
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_IMPL_TRACE_IPP
