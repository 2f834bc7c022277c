// SPDX-License-Identifier: Apache-2.0
#include "util.hpp"

#include "fd.hpp"

#include <daytona/detail/percent.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>

namespace daytona::emulator {

std::string iso_time(std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    auto secs = system_clock::to_time_t(now);
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[40];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
    return out;
}

namespace util_impl {
std::mt19937_64& random_engine() {
    thread_local std::mt19937_64 gen{std::random_device{}()};
    return gen;
}
}  // namespace util_impl

std::string new_uuid() {
    auto& gen = util_impl::random_engine();
    std::uint64_t a = gen(), b = gen();
    a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
    b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 1
    char buf[37];
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                  static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xffff),
                  static_cast<unsigned>(b >> 48),
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    return buf;
}

std::string random_token(std::size_t n) {
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    auto& gen = util_impl::random_engine();
    std::string out(n, 'a');
    for (auto& c : out)
        c = alphabet[gen() % (sizeof alphabet - 1)];
    return out;
}

std::optional<std::string> read_file(const std::filesystem::path& p) {
    const unique_fd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    std::string out;
    struct stat st {};
    if (::fstat(fd.get(), &st) == 0 && st.st_size > 0)
        out.reserve(static_cast<std::size_t>(st.st_size));
    char buf[65536];
    for (;;) {
        auto n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::nullopt;
        if (n == 0) return out;
        out.append(buf, static_cast<std::size_t>(n));
    }
}

std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            out += static_cast<char>(c);
            ++i;
            continue;
        }
        std::size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        bool ok = len != 0 && i + len <= s.size();
        std::uint32_t cp = len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
        for (std::size_t k = 1; ok && k < len; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            ok = (cc & 0xc0) == 0x80;
            cp = (cp << 6) | (cc & 0x3f);
        }
        // Overlong forms, surrogates and code points above U+10FFFF are invalid too.
        ok = ok && !((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
                     (len == 4 && cp < 0x10000) || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff);
        if (ok) {
            out.append(s.substr(i, len));
            i += len;
        } else {
            out.append("\xEF\xBF\xBD");
            ++i;
        }
    }
    return out;
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> segs;
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        auto slash = path.find('/');
        auto raw = path.substr(0, slash);
        segs.push_back(detail::percent_decode(raw).value_or(std::string(raw)));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash);
    }
    return segs;
}

bool valid_env_name(std::string_view k) {
    if (k.empty() || (k.front() >= '0' && k.front() <= '9')) return false;
    for (char c : k)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    return true;
}

reply json_reply(int status, std::string body) {
    reply r;
    r.status = status;
    r.headers.add("Content-Type", "application/json; charset=utf-8");
    r.body = std::move(body);
    return r;
}

reply empty_reply(int status) {
    reply r;
    r.status = status;
    return r;
}

std::string shell_quote(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    out += '\'';
    return out;
}

std::optional<unsigned> parse_mode(std::string_view s) {
    if (s.empty() || s.size() > 5) return std::nullopt;
    unsigned v = 0;
    for (char c : s) {
        if (c < '0' || c > '7') return std::nullopt;
        v = v * 8 + static_cast<unsigned>(c - '0');
    }
    if (v > 07777) return std::nullopt;
    return v;
}

std::string find_program(std::string_view name) {
    const char* path = std::getenv("PATH");
    std::string_view rest = path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (!rest.empty()) {
        auto colon = rest.find(':');
        auto dir = rest.substr(0, colon);
        std::filesystem::path candidate =
            std::filesystem::path(std::string(dir)) / std::string(name);
        if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
    }
    return {};
}

bool valid_resource_name(std::string_view n) {
    if (n.empty() || n.size() > 255) return false;
    for (char c : n)
        if (static_cast<unsigned char>(c) < 0x20 || c == '/' || c == '\\') return false;
    return n != "." && n != "..";
}

bool valid_resource_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    return id != "." && id != "..";
}

}  // namespace daytona::emulator
