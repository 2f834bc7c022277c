// SPDX-License-Identifier: Apache-2.0
// daytona::filesystem: the files of a sandbox. Listing, metadata, folders, moves, permissions,
// text search and replace, and uploads and downloads that stream (constant memory whatever the
// size or the number of files), report progress and can be cancelled.
#ifndef DAYTONA_FILESYSTEM_HPP
#define DAYTONA_FILESYSTEM_HPP

#include "daytona/api/toolbox/files.hpp"
#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/models/files.hpp"
#include "daytona/net/crypto.hpp"

#include <cstdio>
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
    [[nodiscard]] asio::awaitable<result<std::vector<replace_result>>> replace(
        std::vector<std::string> files, std::string pattern, std::string new_value) const {
        replace_request r{.files = std::move(files),
                          .pattern = std::move(pattern),
                          .new_value = std::move(new_value)};
        return replace_impl(client_, sandbox_, std::move(r));
    }

    /**
     * \brief Uploads `source` to `destination` (parents are created, a file is overwritten).
     * \par Errors
     * errc::io_error when a local file cannot be read; the daemon's 400 when the destination
     * cannot be written; see the class.
     */
    [[nodiscard]] asio::awaitable<result<void>> upload(std::string destination,
                                                       upload_source source,
                                                       transfer_options opts) const {
        std::vector<upload_entry> one;
        one.push_back(
            upload_entry{.source = std::move(source), .destination = std::move(destination)});
        return upload_impl(client_, sandbox_, std::move(one), std::move(opts));
    }
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

    static result<void> need_path(const std::string& path, std::string_view op) {
        if (!path.empty()) return {};
        return error(make_error_code(errc::invalid_argument),
                     error_info{.message = "path is empty", .operation = std::string(op)});
    }

    static asio::awaitable<result<std::vector<file_info>>> list_impl(state_ptr c, data_ptr s,
                                                                     std::string path) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::list_files(*ch, path);
    }
    static asio::awaitable<result<file_info>> info_impl(state_ptr c, data_ptr s, std::string path) {
        if (auto ok = need_path(path, "get_file_info"); !ok) co_return std::move(ok).error();
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::get_file_info(*ch, path);
    }
    static asio::awaitable<result<void>> create_folder_impl(state_ptr c, data_ptr s,
                                                            std::string path, std::string mode) {
        if (auto ok = need_path(path, "create_folder"); !ok) co_return ok;
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::create_folder(*ch, path, mode);
    }
    static asio::awaitable<result<void>> delete_impl(state_ptr c, data_ptr s, std::string path,
                                                     bool recursive) {
        if (auto ok = need_path(path, "delete_file"); !ok) co_return ok;
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::delete_file(*ch, path, recursive);
    }
    static asio::awaitable<result<void>> move_impl(state_ptr c, data_ptr s, std::string source,
                                                   std::string destination) {
        if (auto ok = need_path(source, "move_file"); !ok) co_return ok;
        if (auto ok = need_path(destination, "move_file"); !ok) co_return ok;
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::move_file(*ch, source, destination);
    }
    static asio::awaitable<result<void>> permissions_impl(state_ptr c, data_ptr s, std::string path,
                                                          file_permissions perm) {
        if (auto ok = need_path(path, "set_file_permissions"); !ok) co_return ok;
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::set_file_permissions(*ch, path, perm);
    }
    static asio::awaitable<result<std::vector<file_match>>> find_impl(state_ptr c, data_ptr s,
                                                                      std::string path,
                                                                      std::string pattern) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::find_in_files(*ch, path, pattern);
    }
    static asio::awaitable<result<std::vector<std::string>>> search_impl(state_ptr c, data_ptr s,
                                                                         std::string path,
                                                                         std::string pattern) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        auto r = co_await api::search_files(*ch, path, pattern);
        if (!r) co_return std::move(r).error();
        co_return std::move(r->files);
    }
    static asio::awaitable<result<std::vector<replace_result>>> replace_impl(state_ptr c,
                                                                             data_ptr s,
                                                                             replace_request r) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::replace_in_files(*ch, r);
    }

    static request_options transfer_request(const transfer_options& opts) {
        request_options ro;
        ro.timeout = opts.timeout;
        return ro;
    }

    /// Counts the bytes of a single download for the progress callback.
    class progress_sink final : public http::body_sink {
    public:
        progress_sink(std::shared_ptr<http::body_sink> inner,
                      std::function<void(const transfer_progress&)> cb)
            : inner_(std::move(inner)), cb_(std::move(cb)) {
            progress_.files_total = 1;
        }
        result<void> write(std::string_view data) override {
            if (auto r = inner_->write(data); !r) return r;
            progress_.bytes += data.size();
            if (cb_) cb_(progress_);
            return {};
        }
        result<void> finish() override {
            if (auto r = inner_->finish(); !r) return r;
            progress_.files_done = 1;
            if (cb_) cb_(progress_);
            return {};
        }

    private:
        std::shared_ptr<http::body_sink> inner_;
        std::function<void(const transfer_progress&)> cb_;
        transfer_progress progress_;
    };

    static asio::awaitable<result<void>> download_sink_impl(state_ptr c, data_ptr s,
                                                            std::string path,
                                                            std::shared_ptr<http::body_sink> sink,
                                                            transfer_options opts) {
        if (auto ok = need_path(path, "download_file"); !ok) co_return ok;
        if (!sink)
            co_return error(make_error_code(errc::invalid_argument),
                            error_info{.message = "null sink", .operation = "download_file"});
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        auto ro = transfer_request(opts);
        // Bytes handed to a sink cannot be taken back, so a broken download is not repeated.
        ro.retry = retry_options::none();
        std::shared_ptr<http::body_sink> target = std::move(sink);
        if (opts.on_progress)
            target =
                std::make_shared<progress_sink>(std::move(target), std::move(opts.on_progress));
        co_return co_await api::download_file(*ch, path, std::move(target), ro);
    }
    static asio::awaitable<result<std::string>> download_memory_impl(state_ptr c, data_ptr s,
                                                                     std::string path,
                                                                     transfer_options opts) {
        auto memory = std::make_shared<http::string_sink>();
        std::shared_ptr<http::body_sink> sink = memory;
        auto r =
            co_await download_sink_impl(c, s, std::move(path), std::move(sink), std::move(opts));
        if (!r) co_return std::move(r).error();
        co_return std::move(memory->data());
    }
    static asio::awaitable<result<void>> download_path_impl(state_ptr c, data_ptr s,
                                                            std::string path,
                                                            std::string local_path,
                                                            transfer_options opts) {
        auto file = http::file_sink::create(local_path);
        if (!file) co_return std::move(file).error().with_operation("download_file");
        std::shared_ptr<http::body_sink> sink = std::move(*file);
        auto r =
            co_await download_sink_impl(c, s, std::move(path), std::move(sink), std::move(opts));
        if (!r) std::remove(local_path.c_str());
        co_return r;
    }

    static asio::awaitable<result<void>> upload_impl(state_ptr c, data_ptr s,
                                                     std::vector<upload_entry> files,
                                                     transfer_options opts) {
        auto bad = [](std::string why) {
            return error(make_error_code(errc::invalid_argument),
                         error_info{.message = std::move(why), .operation = "upload_files"});
        };
        if (files.empty()) co_return bad("no files to upload");
        auto progress = std::make_shared<transfer_progress>();
        progress->files_total = files.size();
        std::uint64_t total = 0;
        bool known = true;
        for (const auto& f : files) {
            if (f.destination.empty()) co_return bad("a destination path is empty");
            if (!f.source.local_path().empty()) {
                // Fail before sending anything when a local file cannot be read.
                auto opened = f.source.open();
                if (!opened) co_return std::move(opened).error().with_operation("upload_files");
            }
            if (auto n = f.source.size())
                total += *n;
            else
                known = false;
        }
        if (known) progress->total_bytes = total;
        std::function<void(std::size_t, std::size_t)> watch;
        if (opts.on_progress)
            watch = [progress, cb = opts.on_progress](std::size_t, std::size_t n) {
                if (n == 0)
                    ++progress->files_done;
                else
                    progress->bytes += n;
                cb(*progress);
            };
        std::string boundary = "daytona-cpp-" + net::base64url_encode(net::random_bytes(18));
        auto body = api::multipart_upload(files, boundary, std::move(watch));
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await api::upload_files(*ch, std::move(body), std::move(boundary),
                                             transfer_request(opts));
    }

    static asio::awaitable<result<std::vector<download_outcome>>> download_files_impl(
        state_ptr c, data_ptr s, std::vector<download_entry> files, transfer_options opts) {
        if (files.empty()) co_return std::vector<download_outcome>{};
        files_download_request req;
        for (const auto& f : files) {
            if (f.path.empty())
                co_return error(
                    make_error_code(errc::invalid_argument),
                    error_info{.message = "a path is empty", .operation = "download_files"});
            req.paths.push_back(f.path);
        }
        auto reader = std::make_shared<api::bulk_download_reader>(files, opts.on_progress);
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        auto ro = transfer_request(opts);
        ro.retry = retry_options::none();
        std::shared_ptr<http::body_sink> sink = reader;
        auto r = co_await api::download_files(*ch, req, std::move(sink), ro);
        if (!r) co_return std::move(r).error();
        const auto announced = http::multipart::boundary_of(r->headers.get("content-type"));
        if (!announced || *announced != reader->boundary())
            co_return error(make_error_code(errc::protocol_error),
                            error_info{.message = "the bulk download's Content-Type has no or "
                                                  "another multipart boundary",
                                       .operation = "download_files"});
        co_return std::move(reader->outcomes());
    }

    state_ptr client_;
    data_ptr sandbox_;
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_FILESYSTEM_HPP
