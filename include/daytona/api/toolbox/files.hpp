// SPDX-License-Identifier: Apache-2.0
// Toolbox operations of the `file-system` tag, on a sandbox's toolbox channel: one line each,
// plus the two streaming bodies (the bulk-upload multipart writer and the bulk-download
// multipart reader that routes each part to its file's target).
#ifndef DAYTONA_API_TOOLBOX_FILES_HPP
#define DAYTONA_API_TOOLBOX_FILES_HPP

#include "daytona/api/call.hpp"
#include "daytona/api/operation.hpp"
#include "daytona/api/operations.hpp"
#include "daytona/codec/files.hpp"
#include "daytona/config.hpp"
#include "daytona/http/multipart.hpp"
#include "daytona/http/url.hpp"
#include "daytona/models/files.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace api {

namespace detail_body {
/// The `statusCode` of a daemon ErrorResponse.
struct status_code {
    int value = 0;
};
DAYTONA_DECL void decode_value(json::value& v, status_code& out, json::decoder& d);
}  // namespace detail_body

/// `GET /files?path=`: the entries of a directory (the work directory when `path` is empty).
DAYTONA_DECL asio::awaitable<result<std::vector<file_info>>> list_files(const channel& c,
                                                                        std::string_view path,
                                                                        request_options ro = {});
/// `GET /files/info?path=`; 404 when there is nothing there.
DAYTONA_DECL asio::awaitable<result<file_info>> get_file_info(const channel& c,
                                                              std::string_view path,
                                                              request_options ro = {});
/// `POST /files/folder?path=&mode=`: creates the directory and its parents.
DAYTONA_DECL asio::awaitable<result<void>> create_folder(const channel& c, std::string_view path,
                                                         std::string_view mode,
                                                         request_options ro = {});
/// `DELETE /files?path=[&recursive=true]`; a directory needs `recursive`.
DAYTONA_DECL asio::awaitable<result<void>> delete_file(const channel& c, std::string_view path,
                                                       bool recursive, request_options ro = {});
/// `POST /files/move?source=&destination=`.
DAYTONA_DECL asio::awaitable<result<void>> move_file(const channel& c, std::string_view source,
                                                     std::string_view destination,
                                                     request_options ro = {});
/// `POST /files/permissions?path=&owner=&group=&mode=` (unset fields are left out).
DAYTONA_DECL asio::awaitable<result<void>> set_file_permissions(const channel& c,
                                                                std::string_view path,
                                                                const file_permissions& perm,
                                                                request_options ro = {});
/// `GET /files/find?path=&pattern=`: lines containing `pattern` in the files under `path`.
DAYTONA_DECL asio::awaitable<result<std::vector<file_match>>> find_in_files(
    const channel& c, std::string_view path, std::string_view pattern, request_options ro = {});
/// `GET /files/search?path=&pattern=`: files under `path` whose name matches the glob.
DAYTONA_DECL asio::awaitable<result<search_files_response>> search_files(const channel& c,
                                                                         std::string_view path,
                                                                         std::string_view pattern,
                                                                         request_options ro = {});
/// `POST /files/replace`: replaces `pattern` with `new_value` in each file.
DAYTONA_DECL asio::awaitable<result<std::vector<replace_result>>> replace_in_files(
    const channel& c, const replace_request& r, request_options ro = {});
/// `GET /files/download?path=`: the file's bytes go to `sink` as they arrive.
DAYTONA_DECL asio::awaitable<result<void>> download_file(const channel& c, std::string_view path,
                                                         std::shared_ptr<http::body_sink> sink,
                                                         request_options ro = {});
/// `POST /files/bulk-upload` with a multipart body (see multipart_upload()).
DAYTONA_DECL asio::awaitable<result<void>> upload_files(
    const channel& c, std::shared_ptr<http::multipart::source> body, std::string boundary,
    request_options ro = {});
/// `POST /files/bulk-download` `{"paths":[…]}`: a multipart response read by `sink`
/// (see bulk_download_reader).
DAYTONA_DECL asio::awaitable<result<http::response>> download_files(
    const channel& c, const files_download_request& r, std::shared_ptr<http::body_sink> sink,
    request_options ro = {});

/// The last path segment ("up.txt" for "/tmp/dir/up.txt"), the file name the SDKs send.
DAYTONA_DECL std::string_view base_name(std::string_view path);

/**
 * \brief The bulk-upload body for `entries`, as the SDKs lay it out: for file i, a part
 * `files[i].path` holding the destination, then a part `files[i].file` with the bytes.
 * \param watch told about each piece of file data (its entry index and byte count; 0 when the
 * entry is complete).
 */
DAYTONA_DECL std::shared_ptr<http::multipart::source> multipart_upload(
    const std::vector<upload_entry>& entries, std::string boundary,
    std::function<void(std::size_t entry, std::size_t n)> watch = nullptr);

/**
 * \brief Reads a bulk-download response as it arrives: each `file` part goes to its entry's
 * target, each `error` part (a daemon ErrorResponse) becomes that entry's failure.
 * \details Parts are matched to entries by their file name, which the daemon sets to the
 * requested path. The boundary is read from the body's first line (the daemon writes no
 * preamble); the caller checks it against the response's Content-Type afterwards.
 * \par Errors
 * errc::protocol_error for a body that is not multipart, a truncated body (no closing
 * delimiter) or a part for a path that was not requested; a requested path with no part is
 * that entry's failure. A target that cannot be written fails only its own entry.
 */
class bulk_download_reader final : public http::body_sink, public http::multipart::handler {
public:
    /// A reader for the files of `entries`, reporting progress to `on_progress` when set.
    DAYTONA_DECL bulk_download_reader(
        const std::vector<download_entry>& entries,
        std::function<void(const transfer_progress&)> on_progress = nullptr);

    /// The boundary the body started with (empty before the first line arrived).
    const std::string& boundary() const noexcept { return boundary_; }
    /// The outcomes, in request order (complete after finish()).
    std::vector<download_outcome>& outcomes() noexcept { return outcomes_; }

    // body_sink
    DAYTONA_DECL result<void> write(std::string_view data) override;
    DAYTONA_DECL result<void> finish() override;

    // multipart::handler
    DAYTONA_DECL result<void> on_part(const http::fields& headers) override;
    DAYTONA_DECL result<void> on_data(std::string_view data) override;
    DAYTONA_DECL result<void> on_part_end() override;

private:
    enum class part { none, file, error };

    static DAYTONA_DECL result<void> malformed(const char* why);
    bool done(std::size_t i) const { return finished_[i]; }
    DAYTONA_DECL void fail_current(error e);
    DAYTONA_DECL void remove_partial(std::size_t i);

    std::vector<download_outcome> outcomes_;
    std::vector<download_target> targets_;
    std::map<std::string, std::deque<std::size_t>, std::less<>> waiting_;
    std::vector<bool> finished_;
    std::function<void(const transfer_progress&)> on_progress_;
    transfer_progress progress_;
    std::string first_line_;
    std::string boundary_;
    std::optional<http::multipart::parser> parser_;
    std::size_t current_ = 0;
    part kind_ = part::none;
    std::shared_ptr<http::body_sink> sink_;
    std::string error_body_;
};

}  // namespace api
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/toolbox/impl/files.ipp"
#endif

#endif  // DAYTONA_API_TOOLBOX_FILES_HPP
