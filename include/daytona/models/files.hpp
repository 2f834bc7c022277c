// SPDX-License-Identifier: Apache-2.0
// File-system models (toolbox tag `file-system`): FileInfo, Match, ReplaceRequest/Result,
// SearchFilesResponse, FilesDownloadRequest, and the options of uploads and downloads.
// Aggregates only; codecs in codec/files.hpp.
#ifndef DAYTONA_MODELS_FILES_HPP
#define DAYTONA_MODELS_FILES_HPP

#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/http/body.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

namespace detail {
/// Reads a shared string without copying it (an upload from memory may be replayed).
class shared_string_source final : public http::body_source {
public:
    explicit shared_string_source(std::shared_ptr<const std::string> data)
        : data_(std::move(data)) {}
    std::optional<std::uint64_t> size() const override { return data_->size(); }
    DAYTONA_DECL result<std::size_t> read(char* buf, std::size_t len) override;
    bool rewind() override {
        pos_ = 0;
        return true;
    }

private:
    std::shared_ptr<const std::string> data_;
    std::size_t pos_ = 0;
};
}  // namespace detail

/// OpenAPI `FileInfo`: one file or directory.
struct file_info {
    /// The entry's name (the last path component).
    std::string name{};
    /// The absolute path (newer daemons send it; empty otherwise).
    std::string path{};
    /// True for a directory.
    bool is_dir = false;
    /// Size in bytes.
    std::uint64_t size = 0;
    /// `ls -l` style: "-rw-r--r--", "drwxr-xr-x".
    std::string mode{};
    /// Octal: "0644".
    std::string permissions{};
    /// RFC 3339 modification time.
    std::string modified_at{};
    /// Deprecated Go time text; kept because older daemons send only this.
    std::string mod_time{};
    /// Owning user (a name or a numeric id).
    std::string owner{};
    /// Owning group (a name or a numeric id).
    std::string group{};
};

/// OpenAPI `Match`: one line of find_in_files.
struct file_match {
    /// Path of the file the line is in.
    std::string file{};
    /// 1-based line number.
    int line = 0;
    /// The matching line's text.
    std::string content{};
};

/// OpenAPI `ReplaceRequest`.
struct replace_request {
    /// Paths of the files to change.
    std::vector<std::string> files{};
    /// The text to replace: plain text, not a regular expression. Every occurrence is replaced.
    std::string pattern{};
    /// Replacement text (`newValue`).
    std::string new_value{};
};

/// OpenAPI `ReplaceResult`: the outcome for one file.
struct replace_result {
    /// Path of the file.
    std::string file{};
    /// True unless the file could not be read or written (see error).
    bool success = false;
    /// Why the file was not changed (empty on success).
    std::string error{};
};

/// OpenAPI `SearchFilesResponse`.
struct search_files_response {
    /// Paths of the matching files.
    std::vector<std::string> files{};
};

/// OpenAPI `FilesDownloadRequest`.
struct files_download_request {
    /// Sandbox paths of the files to download.
    std::vector<std::string> paths{};
};

/// What filesystem::set_permissions changes; an unset field is left as it is.
struct file_permissions {
    /// Octal mode, e.g. "644" or "0755".
    std::optional<std::string> mode{};
    /// User name or uid.
    std::optional<std::string> owner{};
    /// Group name or gid.
    std::optional<std::string> group{};
};

/// How far a transfer has come; passed to transfer_options::on_progress.
struct transfer_progress {
    /// File bytes sent (uploads) or received (downloads) so far, across all files.
    std::uint64_t bytes = 0;
    /// Total file bytes when every size is known up front (uploads), else nullopt.
    std::optional<std::uint64_t> total_bytes{};
    /// Files completely transferred so far.
    std::size_t files_done = 0;
    /// Number of files in the transfer.
    std::size_t files_total = 0;
};

/// Options of uploads and downloads.
struct transfer_options {
    /// Called as bytes move (at most once per 64 KiB piece, and once per finished file), on the
    /// client's executor. Default: none.
    std::function<void(const transfer_progress&)> on_progress{};
    /// Deadline of the whole transfer. Default 30 minutes, as the official SDKs; 0 means none.
    std::chrono::milliseconds timeout{std::chrono::minutes(30)};
};

/**
 * \brief Where the bytes of an upload come from: memory, a local file, or any body source.
 * \details A local file is opened when the upload reaches it, so a bulk upload of many files
 * holds one file open at a time.
 */
class upload_source {
public:
    /// The bytes in `data`.
    DAYTONA_DECL static upload_source from_memory(std::string data);
    /// The local file at `local_path`, read a piece at a time.
    DAYTONA_DECL static upload_source from_path(std::string local_path);
    /// Any source (a pipe, a generator, ...). One that does not know its size is sent with
    /// chunked transfer encoding; one that cannot rewind cannot be retried.
    DAYTONA_DECL static upload_source from_source(std::shared_ptr<http::body_source> source);

    /// The body source for the bytes (opening the local file); `again` when the upload is
    /// replayed. errc::io_error when the file cannot be opened or a source cannot rewind.
    DAYTONA_DECL result<std::shared_ptr<http::body_source>> open(bool again = false) const;

    /// The local file's path for from_path(), else empty.
    const std::string& local_path() const noexcept {
        static const std::string none;
        return kind_ == kind::path ? data_ : none;
    }

    /// The size in bytes if known without reading (a local file is sized with stat()).
    DAYTONA_DECL std::optional<std::uint64_t> size() const;

private:
    enum class kind { memory, path, source };
    kind kind_ = kind::memory;
    std::string data_{};
    std::shared_ptr<const std::string> memory_ = std::make_shared<const std::string>();
    std::shared_ptr<http::body_source> source_{};
};

/// One file of a bulk upload.
struct upload_entry {
    /// Where the bytes come from.
    upload_source source{};
    /// Where it goes in the sandbox (parent directories are created; a file is overwritten).
    std::string destination{};
};

/// Where the bytes of one downloaded file go.
class download_target {
public:
    /// Kept in memory: download_outcome::data.
    static download_target to_memory() { return download_target{}; }
    /// Written to the local file `local_path` (created or truncated).
    DAYTONA_DECL static download_target to_path(std::string local_path);
    /// Handed to `sink` as it arrives.
    DAYTONA_DECL static download_target to_sink(std::shared_ptr<http::body_sink> sink);

    /// The local file's path for to_path(), else empty.
    const std::string& local_path() const noexcept { return path_; }
    /// The sink for to_sink(), else null.
    const std::shared_ptr<http::body_sink>& sink() const noexcept { return sink_; }
    /// True for to_memory().
    bool in_memory() const noexcept { return path_.empty() && !sink_; }

private:
    std::string path_{};
    std::shared_ptr<http::body_sink> sink_{};
};

/// One file of a bulk download.
struct download_entry {
    /// The file in the sandbox.
    std::string path{};
    /// Where the bytes go.
    download_target target{};
};

/// The outcome for one file of a bulk download.
struct download_outcome {
    /// The file in the sandbox, as requested.
    std::string path{};
    /// Why this file failed (its HTTP-like status, Daytona's code and message); unset on
    /// success. One file failing does not fail the others.
    std::optional<daytona::error> failure{};
    /// The bytes, for download_target::to_memory().
    std::string data{};
    /// Bytes received for this file.
    std::uint64_t size = 0;

    /// True when the file was downloaded (no failure).
    bool ok() const noexcept { return !failure.has_value(); }
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/models/impl/files.ipp"
#endif

#endif  // DAYTONA_MODELS_FILES_HPP
