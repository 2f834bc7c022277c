// SPDX-License-Identifier: Apache-2.0
// daytona::filesystem: the files of a sandbox. Listing, metadata, folders, moves, permissions,
// text search and replace, and uploads and downloads that stream (constant memory whatever the
// size or the number of files), report progress and can be cancelled.
#ifndef DAYTONA_FILESYSTEM_HPP
#define DAYTONA_FILESYSTEM_HPP

#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/models/files.hpp"

#include <memory>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/**
 * \brief The file system of one sandbox (the toolbox `file-system` API), from sandbox::fs().
 * \details Paths are sandbox paths: absolute, or relative to the sandbox's work directory.
 *
 * Uploads go as one multipart request (`POST /files/bulk-upload`, as the official SDKs send
 * them), produced a piece at a time: a local file is opened only when the request reaches it,
 * so memory stays constant for any size and any number of files. Downloads of one file use
 * `GET /files/download`; several files come back as one multipart response
 * (`POST /files/bulk-download`) parsed as it arrives, each file going to its own target and
 * each failure reported for its file alone.
 * \par Errors
 * Every operation: the HTTP status and Daytona's message and code (condition::not_found for a
 * missing file, condition::forbidden outside the sandbox, 400 for a directory where a file is
 * needed), transport errors, errc::timeout after transfer_options::timeout, errc::cancelled.
 * Malformed responses (a truncated multipart body, a missing boundary) are
 * errc::protocol_error, never a hang.
 * \par Cancellation
 * Cancelling the awaiting coroutine (asio per-operation cancellation) ends the transfer and
 * closes its connection; an upload may have written some files already.
 * \par Copying
 * A cheap handle: copies share the client and the sandbox data.
 * \par Thread safety
 * As the client: use from the client's executor, one thread or strand at a time. Progress
 * callbacks run there too.
 */
class filesystem {
public:
    /// The entries of directory `path`.
    [[nodiscard]] asio::awaitable<result<std::vector<file_info>>> list(std::string path) const {
        return list_impl(client_, sandbox_, std::move(path));
    }
    /// Name, size, mode, owner and times of `path`; condition::not_found when nothing is there.
    [[nodiscard]] asio::awaitable<result<file_info>> info(std::string path) const {
        return info_impl(client_, sandbox_, std::move(path));
    }
    /// Creates directory `path` and its parents with `mode` (octal text, e.g. "755").
    [[nodiscard]] asio::awaitable<result<void>> create_folder(std::string path,
                                                              std::string mode) const {
        return create_folder_impl(client_, sandbox_, std::move(path), std::move(mode));
    }
    /// create_folder() with mode "755".
    [[nodiscard]] asio::awaitable<result<void>> create_folder(std::string path) const {
        return create_folder_impl(client_, sandbox_, std::move(path), "755");
    }
    /// Deletes a file, or a directory with everything in it when `recursive` (a directory
    /// without `recursive` is refused with 400, even an empty one).
    [[nodiscard]] asio::awaitable<result<void>> delete_file(std::string path,
                                                            bool recursive = false) const {
        return delete_impl(client_, sandbox_, std::move(path), recursive);
    }
    /// Moves or renames `source` to `destination`.
    [[nodiscard]] asio::awaitable<result<void>> move(std::string source,
                                                     std::string destination) const {
        return move_impl(client_, sandbox_, std::move(source), std::move(destination));
    }
    /// Changes the mode, owner or group of `path` (unset fields stay as they are).
    [[nodiscard]] asio::awaitable<result<void>> set_permissions(std::string path,
                                                                file_permissions perm) const {
        return permissions_impl(client_, sandbox_, std::move(path), std::move(perm));
    }
    /// Lines containing `pattern` (plain text) in the files under directory `path`.
    [[nodiscard]] asio::awaitable<result<std::vector<file_match>>> find(std::string path,
                                                                        std::string pattern) const {
        return find_impl(client_, sandbox_, std::move(path), std::move(pattern));
    }
    /// Paths under directory `path` whose file name matches the glob `pattern` ("*.py").
    [[nodiscard]] asio::awaitable<result<std::vector<std::string>>> search(
        std::string path, std::string pattern) const {
        return search_impl(client_, sandbox_, std::move(path), std::move(pattern));
    }
    /// Replaces every occurrence of `pattern` with `new_value` in each of `files`; the
    /// outcome of each file is in the result (one failing does not fail the call).
    [[nodiscard]] DAYTONA_DECL asio::awaitable<result<std::vector<replace_result>>> replace(
        std::vector<std::string> files, std::string pattern, std::string new_value) const;

    /**
     * \brief Uploads `source` to `destination` (parents are created, a file is overwritten).
     * \par Errors
     * errc::io_error when a local file cannot be read; the daemon's 400 when the destination
     * cannot be written; see the class.
     */
    [[nodiscard]] DAYTONA_DECL asio::awaitable<result<void>> upload(std::string destination,
                                                                    upload_source source,
                                                                    transfer_options opts) const;
    /// upload() with default options.
    [[nodiscard]] asio::awaitable<result<void>> upload(std::string destination,
                                                       upload_source source) const {
        return upload(std::move(destination), std::move(source), transfer_options{});
    }
    /// Uploads several files in one streamed request, in order.
    [[nodiscard]] asio::awaitable<result<void>> upload_files(std::vector<upload_entry> files,
                                                             transfer_options opts) const {
        return upload_impl(client_, sandbox_, std::move(files), std::move(opts));
    }
    /// upload_files() with default options.
    [[nodiscard]] asio::awaitable<result<void>> upload_files(
        std::vector<upload_entry> files) const {
        return upload_impl(client_, sandbox_, std::move(files), transfer_options{});
    }

    /// The bytes of the file at `path`, in memory.
    [[nodiscard]] asio::awaitable<result<std::string>> download(std::string path,
                                                                transfer_options opts) const {
        return download_memory_impl(client_, sandbox_, std::move(path), std::move(opts));
    }
    /// download() with default options.
    [[nodiscard]] asio::awaitable<result<std::string>> download(std::string path) const {
        return download_memory_impl(client_, sandbox_, std::move(path), transfer_options{});
    }
    /**
     * \brief Downloads the file at `path` into the local file `local_path` (created or
     * truncated; removed again when the download fails).
     */
    [[nodiscard]] asio::awaitable<result<void>> download_to_path(std::string path,
                                                                 std::string local_path,
                                                                 transfer_options opts) const {
        return download_path_impl(client_, sandbox_, std::move(path), std::move(local_path),
                                  std::move(opts));
    }
    /// download_to_path() with default options.
    [[nodiscard]] asio::awaitable<result<void>> download_to_path(std::string path,
                                                                 std::string local_path) const {
        return download_path_impl(client_, sandbox_, std::move(path), std::move(local_path),
                                  transfer_options{});
    }
    /**
     * \brief Hands the bytes of the file at `path` to `sink` as they arrive.
     * \details Not retried once bytes have reached the sink.
     */
    [[nodiscard]] asio::awaitable<result<void>> download_to_sink(
        std::string path, std::shared_ptr<http::body_sink> sink, transfer_options opts) const {
        return download_sink_impl(client_, sandbox_, std::move(path), std::move(sink),
                                  std::move(opts));
    }
    /// download_to_sink() with default options.
    [[nodiscard]] asio::awaitable<result<void>> download_to_sink(
        std::string path, std::shared_ptr<http::body_sink> sink) const {
        return download_sink_impl(client_, sandbox_, std::move(path), std::move(sink),
                                  transfer_options{});
    }
    /**
     * \brief Downloads several files in one streamed request, each to its own target.
     * \return one outcome per entry, in order: a file that is missing or unreadable has its
     * `failure` set (with its status and Daytona's code) while the others succeed.
     * \par Errors
     * Only failures of the whole request: HTTP errors, transport errors, errc::protocol_error
     * for a malformed multipart response (truncated, no boundary, a part for a file that was
     * not asked for).
     */
    [[nodiscard]] asio::awaitable<result<std::vector<download_outcome>>> download_files(
        std::vector<download_entry> files, transfer_options opts) const {
        return download_files_impl(client_, sandbox_, std::move(files), std::move(opts));
    }
    /// download_files() with default options.
    [[nodiscard]] asio::awaitable<result<std::vector<download_outcome>>> download_files(
        std::vector<download_entry> files) const {
        return download_files_impl(client_, sandbox_, std::move(files), transfer_options{});
    }

private:
    friend class sandbox;
    using state_ptr = std::shared_ptr<detail::client_state>;
    using data_ptr = std::shared_ptr<detail::sandbox_data>;

    filesystem(state_ptr c, data_ptr s) : client_(std::move(c)), sandbox_(std::move(s)) {}

    static DAYTONA_DECL result<void> need_path(const std::string& path, std::string_view op);

    static DAYTONA_DECL asio::awaitable<result<std::vector<file_info>>> list_impl(state_ptr c,
                                                                                  data_ptr s,
                                                                                  std::string path);
    static DAYTONA_DECL asio::awaitable<result<file_info>> info_impl(state_ptr c, data_ptr s,
                                                                     std::string path);
    static DAYTONA_DECL asio::awaitable<result<void>> create_folder_impl(state_ptr c, data_ptr s,
                                                                         std::string path,
                                                                         std::string mode);
    static DAYTONA_DECL asio::awaitable<result<void>> delete_impl(state_ptr c, data_ptr s,
                                                                  std::string path, bool recursive);
    static DAYTONA_DECL asio::awaitable<result<void>> move_impl(state_ptr c, data_ptr s,
                                                                std::string source,
                                                                std::string destination);
    static DAYTONA_DECL asio::awaitable<result<void>> permissions_impl(state_ptr c, data_ptr s,
                                                                       std::string path,
                                                                       file_permissions perm);
    static DAYTONA_DECL asio::awaitable<result<std::vector<file_match>>> find_impl(
        state_ptr c, data_ptr s, std::string path, std::string pattern);
    static DAYTONA_DECL asio::awaitable<result<std::vector<std::string>>> search_impl(
        state_ptr c, data_ptr s, std::string path, std::string pattern);
    static DAYTONA_DECL asio::awaitable<result<std::vector<replace_result>>> replace_impl(
        state_ptr c, data_ptr s, replace_request r);

    static DAYTONA_DECL request_options transfer_request(const transfer_options& opts);

    /// Counts the bytes of a single download for the progress callback.
    class progress_sink final : public http::body_sink {
    public:
        DAYTONA_DECL progress_sink(std::shared_ptr<http::body_sink> inner,
                                   std::function<void(const transfer_progress&)> cb);
        DAYTONA_DECL result<void> write(std::string_view data) override;
        DAYTONA_DECL result<void> finish() override;

    private:
        std::shared_ptr<http::body_sink> inner_;
        std::function<void(const transfer_progress&)> cb_;
        transfer_progress progress_;
    };

    static DAYTONA_DECL asio::awaitable<result<void>> download_sink_impl(
        state_ptr c, data_ptr s, std::string path, std::shared_ptr<http::body_sink> sink,
        transfer_options opts);
    static DAYTONA_DECL asio::awaitable<result<std::string>> download_memory_impl(
        state_ptr c, data_ptr s, std::string path, transfer_options opts);
    static DAYTONA_DECL asio::awaitable<result<void>> download_path_impl(state_ptr c, data_ptr s,
                                                                         std::string path,
                                                                         std::string local_path,
                                                                         transfer_options opts);

    static DAYTONA_DECL asio::awaitable<result<void>> upload_impl(state_ptr c, data_ptr s,
                                                                  std::vector<upload_entry> files,
                                                                  transfer_options opts);

    static DAYTONA_DECL asio::awaitable<result<std::vector<download_outcome>>> download_files_impl(
        state_ptr c, data_ptr s, std::vector<download_entry> files, transfer_options opts);

    state_ptr client_;
    data_ptr sandbox_;
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/filesystem.ipp"
#endif

#endif  // DAYTONA_FILESYSTEM_HPP
