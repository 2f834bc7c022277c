// SPDX-License-Identifier: Apache-2.0
// Local build-context entries of an image and their content hashes (no network I/O).
#ifndef DAYTONA_IMAGE_CONTEXT_HPP
#define DAYTONA_IMAGE_CONTEXT_HPP

#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/result.hpp"

#include <string>
#include <string_view>
#include <system_error>

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

DAYTONA_DECL error context_io_error(std::string_view what, const std::string& path,
                                    std::error_code ec);

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
[[nodiscard]] DAYTONA_DECL result<std::string> context_hash(const context_entry& entry);

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/image_context.ipp"
#endif

#endif  // DAYTONA_IMAGE_CONTEXT_HPP
