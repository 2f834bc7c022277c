// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of image_context.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_IMAGE_CONTEXT_IPP
#define DAYTONA_IMPL_IMAGE_CONTEXT_IPP

#include "daytona/image_context.hpp"

#include "daytona/detail/js_path.hpp"
#include "daytona/detail/md5.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

namespace detail {

error context_io_error(std::string_view what, const std::string& path, std::error_code ec) {
    return error(make_error_code(errc::io_error),
                 error_info{.message = std::string(what) + " '" + path + "': " + ec.message(),
                            .operation = "context_hash"});
}

inline result<void> hash_file_into(md5_hasher& h, const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return context_io_error("cannot open", p.string(), {errno, std::generic_category()});
    std::vector<char> buf(64 * 1024);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        auto n = in.gcount();
        if (n > 0) h.update(buf.data(), static_cast<std::size_t>(n));
    }
    if (in.bad())
        return context_io_error("cannot read", p.string(), {EIO, std::generic_category()});
    return {};
}

// The official SDK (Node) lists a directory with fs.readdirSync, whose libuv implementation
// returns the names sorted by strcmp, and looks at each entry's own type (a symbolic link is
// neither a file nor a directory there, so links are skipped).
inline result<void> hash_directory_into(md5_hasher& h, const std::filesystem::path& dir,
                                        const std::string& rel) {
    namespace fs = std::filesystem;
    std::error_code ec;
    struct entry {
        std::string name;
        fs::path path;
        fs::file_type type;
    };
    std::vector<entry> entries;
    fs::directory_iterator it(dir, ec), end;
    if (ec) return context_io_error("cannot list", dir.string(), ec);
    for (; it != end; it.increment(ec)) {
        if (ec) return context_io_error("cannot list", dir.string(), ec);
        auto st = it->symlink_status(ec);
        if (ec) return context_io_error("cannot stat", it->path().string(), ec);
        entries.push_back({it->path().filename().string(), it->path(), st.type()});
    }
    if (ec) return context_io_error("cannot list", dir.string(), ec);
    std::sort(entries.begin(), entries.end(),
              [](const entry& a, const entry& b) { return a.name < b.name; });
    bool any = std::any_of(entries.begin(), entries.end(), [](const entry& e) {
        return e.type == fs::file_type::directory || e.type == fs::file_type::regular;
    });
    if (!any) h.update(rel);  // an empty directory still counts, by its relative path
    for (const auto& e : entries) {
        std::string child = rel.empty() ? e.name : rel + "/" + e.name;
        if (e.type == fs::file_type::directory) {
            if (auto r = hash_directory_into(h, e.path, child); !r) return r;
        } else if (e.type == fs::file_type::regular) {
            h.update(child);
            if (auto r = hash_file_into(h, e.path); !r) return r;
        }
    }
    return {};
}

}  // namespace detail

result<std::string> context_hash(const context_entry& entry) {
    namespace fs = std::filesystem;
    fs::path abs(detail::js::pathe_resolve(entry.source_path));
    std::error_code ec;
    auto st = fs::status(abs, ec);
    if (ec || !fs::exists(st))
        return detail::context_io_error(
            "cannot hash", entry.source_path,
            ec ? ec : std::make_error_code(std::errc::no_such_file_or_directory));
    detail::md5_hasher h;
    h.update(entry.archive_path);
    if (fs::is_regular_file(st)) {
        if (auto r = detail::hash_file_into(h, abs); !r) return std::move(r).error();
    } else if (fs::is_directory(st)) {
        if (auto r = detail::hash_directory_into(h, abs, ""); !r) return std::move(r).error();
    } else {
        return detail::context_io_error("not a file or directory", entry.source_path,
                                        std::make_error_code(std::errc::invalid_argument));
    }
    return h.finish_hex();
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_IMAGE_CONTEXT_IPP
