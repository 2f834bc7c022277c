// SPDX-License-Identifier: Apache-2.0
// Local build-context entries of an image and their content hashes (no network I/O).
#ifndef DAYTONA_IMAGE_CONTEXT_HPP
#define DAYTONA_IMAGE_CONTEXT_HPP

#include "daytona/config.hpp"
#include "daytona/detail/js_path.hpp"
#include "daytona/detail/md5.hpp"
#include "daytona/error.hpp"
#include "daytona/result.hpp"

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

/**
 * \brief One local file or directory that an image's Dockerfile copies from the build context.
 * \details Made by image::add_local_file, image::add_local_dir,
 * image::pip_install_from_requirements, and the COPY instructions of image::dockerfile_commands
 * and image::from_dockerfile. Before a build, each entry is uploaded as its own uncompressed tar
 * that holds `source_path` under the name `archive_path` (a leading `/` removed), and the server
 * unpacks all of them into one build context; so the Dockerfile's `COPY <archive_path> …`
 * resolves against the context root.
 */
struct context_entry {
    /// The file or directory on this machine, with `~` expanded (relative paths are relative to
    /// the working directory).
    std::string source_path{};
    /// The name under which the build context holds it: the COPY source in the Dockerfile.
    std::string archive_path{};

    /// Equal when both paths are equal.
    friend bool operator==(const context_entry&, const context_entry&) = default;
};

namespace detail {

inline error context_io_error(std::string_view what, const std::string& path, std::error_code ec) {
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

/**
 * \brief The content hash of a build-context entry, exactly as the official SDKs compute it.
 * \details MD5, as 32 lowercase hex digits, of: `archive_path`; then, for a file, its bytes;
 * for a directory, a depth-first walk in which every regular file contributes its path relative
 * to the directory (`/`-separated) followed by its bytes, and every directory that holds no
 * regular file and no subdirectory contributes its relative path (empty for the top one).
 * Entries of a directory are visited in byte order of their names; symbolic links inside a
 * directory are skipped, while `source_path` itself may be a link. Daytona stores each uploaded
 * context under this hash and skips the upload when the hash is already known.
 * \par Errors
 * errc::io_error when the entry does not exist or cannot be read (the path and the OS reason
 * are in the message).
 * \par Thread safety
 * Reads the file system only; safe to call concurrently.
 */
[[nodiscard]] inline result<std::string> context_hash(const context_entry& entry) {
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

#endif  // DAYTONA_IMAGE_CONTEXT_HPP
