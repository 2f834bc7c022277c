// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of detail/js_path.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_DETAIL_IMPL_JS_PATH_IPP
#define DAYTONA_DETAIL_IMPL_JS_PATH_IPP

#include "daytona/detail/js_path.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

DAYTONA_BEGIN_NAMESPACE
namespace detail::js {

std::string normalize_string(std::string_view path, bool allow_above_root) {
    std::string res;
    std::size_t last_segment_length = 0;
    std::ptrdiff_t last_slash = -1;
    int dots = 0;
    char ch = 0;
    for (std::size_t index = 0; index <= path.size(); ++index) {
        if (index < path.size())
            ch = path[index];
        else if (ch == '/')
            break;
        else
            ch = '/';
        if (ch == '/') {
            auto idx = static_cast<std::ptrdiff_t>(index);
            if (last_slash == idx - 1 || dots == 1) {
                // empty or "." segment
            } else if (dots == 2) {
                bool handled = false;
                if (res.size() < 2 || last_segment_length != 2 || res[res.size() - 1] != '.' ||
                    res[res.size() - 2] != '.') {
                    if (res.size() > 2) {
                        auto slash = res.rfind('/');
                        if (slash == std::string::npos) {
                            res.clear();
                            last_segment_length = 0;
                        } else {
                            res.resize(slash);
                            auto prev = res.rfind('/');
                            last_segment_length =
                                res.size() - 1 -
                                (prev == std::string::npos ? std::size_t(-1) : prev);
                        }
                        handled = true;
                    } else if (!res.empty()) {
                        res.clear();
                        last_segment_length = 0;
                        handled = true;
                    }
                }
                if (!handled && allow_above_root) {
                    res += res.empty() ? ".." : "/..";
                    last_segment_length = 2;
                }
            } else {
                auto seg = path.substr(static_cast<std::size_t>(last_slash + 1),
                                       static_cast<std::size_t>(idx - last_slash - 1));
                if (!res.empty()) res += '/';
                res += seg;
                last_segment_length = static_cast<std::size_t>(idx - last_slash - 1);
            }
            last_slash = idx;
            dots = 0;
        } else if (ch == '.' && dots != -1) {
            ++dots;
        } else {
            dots = -1;
        }
    }
    return res;
}

std::string pathe_slashes(std::string_view p) {
    std::string s(p);
    for (char& c : s)
        if (c == '\\') c = '/';
    if (s.size() >= 3 && s[1] == ':' && s[2] == '/' &&
        ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        if (s[0] >= 'a') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

std::string pathe_normalize(std::string_view input) {
    if (input.empty()) return ".";
    std::string path = pathe_slashes(input);
    bool unc = path.size() >= 2 && path[0] == '/' && path[1] == '/';
    bool absolute = pathe_is_absolute(path);
    bool trailing = path.back() == '/';
    std::string res = normalize_string(path, !absolute);
    if (res.empty()) {
        if (absolute) return "/";
        return trailing ? "./" : ".";
    }
    if (trailing) res += '/';
    if (res.size() == 2 && res[1] == ':' &&
        ((res[0] >= 'A' && res[0] <= 'Z') || (res[0] >= 'a' && res[0] <= 'z')))
        res += '/';
    if (unc) return absolute ? "//" + res : "//./" + res;
    return absolute && !pathe_is_absolute(res) ? "/" + res : res;
}

std::string pathe_join(std::string_view a, std::string_view b) {
    std::string path;
    for (std::string_view seg : {a, b}) {
        if (seg.empty()) continue;
        if (path.empty()) {
            path = seg;
        } else {
            bool trailing = path.back() == '/';
            bool leading = seg.front() == '/';
            if (trailing && leading)
                path += seg.substr(1);
            else if (trailing || leading)
                path += seg;
            else
                (path += '/') += seg;
        }
    }
    return pathe_normalize(path);
}

std::string current_directory() {
    std::error_code ec;
    auto p = std::filesystem::current_path(ec);
    return ec ? std::string("/") : p.generic_string();
}

std::string pathe_resolve(std::string_view p) {
    std::string path = pathe_slashes(p);
    std::string resolved;
    bool absolute = false;
    if (!path.empty()) {
        resolved = path + "/";
        absolute = pathe_is_absolute(path);
    }
    if (!absolute) {
        std::string cwd = current_directory();
        resolved = cwd + "/" + resolved;
        absolute = pathe_is_absolute(cwd);
    }
    std::string res = normalize_string(resolved, !absolute);
    if (absolute && !pathe_is_absolute(res)) return "/" + res;
    return res.empty() ? "." : res;
}

std::string pathe_dirname(std::string_view p) {
    std::string s = pathe_slashes(p);
    if (!s.empty() && s.back() == '/') s.pop_back();
    auto slash = s.rfind('/');
    std::string dir = slash == std::string::npos ? std::string() : s.substr(0, slash);
    if (slash != std::string::npos && dir.find('/') == std::string::npos && dir.size() == 2 &&
        dir[1] == ':')
        dir += '/';
    if (!dir.empty()) return dir;
    return pathe_is_absolute(p) ? "/" : ".";
}

std::string pathe_basename(std::string_view p) {
    std::string s = pathe_slashes(p);
    std::size_t end = s.size();
    while (end > 0 && s[end - 1] == '/')
        --end;
    auto slash = s.rfind('/', end == 0 ? 0 : end - 1);
    if (end == 0) return {};
    std::size_t begin = slash == std::string::npos ? 0 : slash + 1;
    return s.substr(begin, end - begin);
}

std::string node_normalize(std::string_view path) {
    if (path.empty()) return ".";
    bool absolute = path.front() == '/';
    bool trailing = path.back() == '/';
    std::string res = normalize_string(path, !absolute);
    if (res.empty()) {
        if (absolute) return "/";
        return trailing ? "./" : ".";
    }
    if (trailing) res += '/';
    return absolute ? "/" + res : res;
}

std::string node_join(std::string_view a, std::string_view b) {
    std::string joined;
    if (!a.empty()) joined = a;
    if (!b.empty()) {
        if (!joined.empty()) joined += '/';
        joined += b;
    }
    return joined.empty() ? std::string(".") : node_normalize(joined);
}

std::string expand_tilde(std::string_view path) {
    if (path.empty() || path[0] != '~') return std::string(path);
    if (path.size() >= 2 && path[1] == '+' && (path.size() == 2 || path[2] == '/'))
        return node_join(current_directory(), path.substr(2));
    if (path.size() != 1 && path[1] != '/') return std::string(path);
    // The documented exception to "only client_options::from_env() reads the environment": the
    // home directory is part of what `~` means, exactly as in the official SDK.
    const char* home = std::getenv("HOME");  // NOLINT(concurrency-mt-unsafe)
    if (home == nullptr || *home == '\0') return std::string(path);
    return node_join(home, path.substr(1));
}

}  // namespace detail::js
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_DETAIL_IMPL_JS_PATH_IPP
