// SPDX-License-Identifier: Apache-2.0
// Uploading an image's local build context before a build: push access from the API, then one
// uncompressed tar per context entry to the S3-compatible object storage, signed with AWS
// Signature V4 and streamed from the files (never held in memory), skipped when the storage
// already holds that content hash.
#ifndef DAYTONA_BUILD_CONTEXT_HPP
#define DAYTONA_BUILD_CONTEXT_HPP

#include "daytona/api/config.hpp"
#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/http/body.hpp"
#include "daytona/image_context.hpp"
#include "daytona/net/sigv4.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

/**
 * \brief An uncompressed POSIX (ustar, with pax headers for long names) tar of one build-context
 * entry, produced while it is read.
 * \details The tree is listed up front (names, sizes, modes), the file contents are read as the
 * transport pulls, so memory stays constant whatever the size. Entries are named as the official
 * SDK names them: the archive path with its leading '/' removed, a directory's files below it.
 * Owners are not recorded (uid and gid 0), as a portable tar does.
 */
class tar_source final : public http::body_source {
public:
    struct item {
        std::string name;
        std::filesystem::path source;
        char type = '0';  // '0' file, '5' directory, '2' symbolic link
        std::uint64_t size = 0;
        unsigned mode = 0644;
        std::int64_t mtime = 0;
        std::string link;
    };

    static DAYTONA_DECL result<std::shared_ptr<tar_source>> open(const context_entry& entry);

    std::optional<std::uint64_t> size() const override { return total_; }

    DAYTONA_DECL result<std::size_t> read(char* buf, std::size_t len) override;

    DAYTONA_DECL bool rewind() override;

    const std::vector<item>& items() const noexcept { return items_; }

private:
    static std::uint64_t padded(std::uint64_t n) { return (n + 511) / 512 * 512; }

    DAYTONA_DECL result<void> add(const std::filesystem::path& p, std::string name, bool directory);

    DAYTONA_DECL result<void> walk(const std::filesystem::path& dir, const std::string& name);

    /// `v` as width-1 octal digits and a NUL (the largest value that fits when it does not;
    /// a pax record then carries the real one).
    static DAYTONA_DECL void octal(char* field, std::size_t width, std::uint64_t v);

    static DAYTONA_DECL std::string block(std::string_view name, char type, std::uint64_t size,
                                          unsigned mode, std::int64_t mtime, std::string_view link);

    /// A pax record "<len> key=value\n", whose length counts itself.
    static DAYTONA_DECL std::string pax_record(std::string_view key, std::string_view value);

    DAYTONA_DECL std::string pax_data(const item& it) const;

    DAYTONA_DECL std::uint64_t header_size(const item& it) const;

    DAYTONA_DECL std::string header(const item& it) const;

    std::vector<item> items_;
    std::uint64_t total_ = 0;
    std::size_t index_ = 0;
    std::string pending_;
    std::size_t pending_pos_ = 0;
    bool in_file_ = false;
    std::ifstream file_;
    std::uint64_t file_done_ = 0;
    bool trailer_sent_ = false;
};

/// Where the contexts go: the storage endpoint, bucket, region and credentials of a push access.
struct object_storage {
    http::url endpoint;
    std::string bucket;
    std::string organization_id;
    net::sigv4::credentials creds;
    std::string region;

    /// The object key of a context: "<org>/<hash>/context.tar".
    DAYTONA_DECL std::string context_key(std::string_view hash) const;

    /// A request to the bucket (path-style addressing), signed. `key` is the object key
    /// (empty for the bucket itself), `query` the raw query string.
    DAYTONA_DECL http::request signed_request(http::verb method, std::string_view key,
                                              std::string query, std::string_view payload_hash,
                                              std::chrono::system_clock::time_point now) const;
};

DAYTONA_DECL result<object_storage> storage_of(const push_access& a);

DAYTONA_DECL error storage_error(const http::response& r, std::string_view operation,
                                 std::string_view what);

/// Uploads each context entry that the object storage does not hold yet, as the official SDK
/// does: ListObjectsV2 on "<org>/<hash>/" (max-keys 1) and, when nothing is there, a PUT of the
/// entry's tar to "<org>/<hash>/context.tar".
DAYTONA_DECL asio::awaitable<result<void>> upload_build_context(std::shared_ptr<client_state> s,
                                                                std::vector<context_entry> entries,
                                                                std::vector<std::string> hashes,
                                                                std::string operation);

}  // namespace detail
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/build_context.ipp"
#endif

#endif  // DAYTONA_BUILD_CONTEXT_HPP
