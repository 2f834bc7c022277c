// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/toolbox/files.hpp: included by it in the header-only build, compiled
// once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_TOOLBOX_IMPL_FILES_IPP
#define DAYTONA_API_TOOLBOX_IMPL_FILES_IPP

#include "daytona/api/toolbox/files.hpp"

#include <cstdio>

DAYTONA_BEGIN_NAMESPACE
namespace api {
namespace detail_body {

void decode_value(json::value& v, status_code& out, json::decoder& d) {
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        json::ondemand::json_type t;
        if (key == "statusCode" && !val.type().get(t) && t == json::ondemand::json_type::number)
            d.field(key, val, out.value);
    });
}

}  // namespace detail_body

asio::awaitable<result<std::vector<file_info>>> list_files(const channel& c, std::string_view path,
                                                           request_options ro) {
    http::query_builder q;
    if (!path.empty()) q.add("path", path);
    return invoke<std::vector<file_info>>(c, ops::list_files, {}, query(q.release()), ro);
}

asio::awaitable<result<file_info>> get_file_info(const channel& c, std::string_view path,
                                                 request_options ro) {
    return invoke<file_info>(c, ops::get_file_info, {},
                             query(http::query_builder().add("path", path).release()), ro);
}

asio::awaitable<result<void>> create_folder(const channel& c, std::string_view path,
                                            std::string_view mode, request_options ro) {
    request_parts p{.query = http::query_builder().add("path", path).add("mode", mode).release(),
                    .accept = "*/*"};
    return invoke<void>(c, ops::create_folder, {}, std::move(p), ro);
}

asio::awaitable<result<void>> delete_file(const channel& c, std::string_view path, bool recursive,
                                          request_options ro) {
    http::query_builder q;
    q.add("path", path);
    if (recursive) q.add("recursive", true);
    return invoke<void>(c, ops::delete_file, {},
                        request_parts{.query = q.release(), .accept = "*/*"}, ro);
}

asio::awaitable<result<void>> move_file(const channel& c, std::string_view source,
                                        std::string_view destination, request_options ro) {
    request_parts p{
        .query =
            http::query_builder().add("source", source).add("destination", destination).release(),
        .accept = "*/*"};
    return invoke<void>(c, ops::move_file, {}, std::move(p), ro);
}

asio::awaitable<result<void>> set_file_permissions(const channel& c, std::string_view path,
                                                   const file_permissions& perm,
                                                   request_options ro) {
    http::query_builder q;
    q.add("path", path);
    if (perm.owner) q.add("owner", *perm.owner);
    if (perm.group) q.add("group", *perm.group);
    if (perm.mode) q.add("mode", *perm.mode);
    return invoke<void>(c, ops::set_file_permissions, {},
                        request_parts{.query = q.release(), .accept = "*/*"}, ro);
}

asio::awaitable<result<std::vector<file_match>>> find_in_files(const channel& c,
                                                               std::string_view path,
                                                               std::string_view pattern,
                                                               request_options ro) {
    return invoke<std::vector<file_match>>(
        c, ops::find_in_files, {},
        query(http::query_builder().add("path", path).add("pattern", pattern).release()), ro);
}

asio::awaitable<result<search_files_response>> search_files(const channel& c, std::string_view path,
                                                            std::string_view pattern,
                                                            request_options ro) {
    return invoke<search_files_response>(
        c, ops::search_files, {},
        query(http::query_builder().add("path", path).add("pattern", pattern).release()), ro);
}

asio::awaitable<result<std::vector<replace_result>>> replace_in_files(const channel& c,
                                                                      const replace_request& r,
                                                                      request_options ro) {
    return invoke<std::vector<replace_result>>(c, ops::replace_in_files, {}, json_body(r), ro);
}

asio::awaitable<result<void>> download_file(const channel& c, std::string_view path,
                                            std::shared_ptr<http::body_sink> sink,
                                            request_options ro) {
    request_parts p{.query = http::query_builder().add("path", path).release(),
                    .accept = "*/*",
                    .sink = std::move(sink)};
    return invoke<void>(c, ops::download_file, {}, std::move(p), ro);
}

asio::awaitable<result<void>> upload_files(const channel& c,
                                           std::shared_ptr<http::multipart::source> body,
                                           std::string boundary, request_options ro) {
    request_parts p{.stream = std::move(body), .accept = "*/*"};
    p.headers.add("Content-Type", "multipart/form-data; boundary=" + boundary);
    return invoke<void>(c, ops::upload_files, {}, std::move(p), ro);
}

asio::awaitable<result<http::response>> download_files(const channel& c,
                                                       const files_download_request& r,
                                                       std::shared_ptr<http::body_sink> sink,
                                                       request_options ro) {
    request_parts p = json_body(r);
    p.accept = "multipart/form-data";
    p.sink = std::move(sink);
    return invoke<http::response>(c, ops::download_files, {}, std::move(p), ro);
}

std::string_view base_name(std::string_view path) {
    while (path.size() > 1 && path.back() == '/')
        path.remove_suffix(1);
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::shared_ptr<http::multipart::source> multipart_upload(
    const std::vector<upload_entry>& entries, std::string boundary,
    std::function<void(std::size_t entry, std::size_t n)> watch) {
    std::vector<http::multipart::source::part> parts;
    parts.reserve(entries.size() * 2);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        const auto field = "files[" + std::to_string(i) + "]";
        http::multipart::source::part path_part;
        path_part.headers.add("Content-Disposition", "form-data; name=\"" + field + ".path\"");
        path_part.inline_data = e.destination;
        parts.push_back(std::move(path_part));
        http::multipart::source::part file_part;
        file_part.headers.add("Content-Disposition",
                              "form-data; name=\"" + field + ".file\"; filename=" +
                                  http::multipart::quote_param(base_name(e.destination)));
        file_part.headers.add("Content-Type", "application/octet-stream");
        file_part.size = e.source.size();
        file_part.open = [src = e.source](bool again) {
            return src.open(again);
        };
        parts.push_back(std::move(file_part));
    }
    http::multipart::source::observer observe;
    if (watch)
        observe = [w = std::move(watch)](std::size_t part, std::size_t n) {
            if (part % 2 == 1) w(part / 2, n);  // only the file parts
        };
    return std::make_shared<http::multipart::source>(std::move(boundary), std::move(parts),
                                                     std::move(observe));
}

bulk_download_reader::bulk_download_reader(
    const std::vector<download_entry>& entries,
    std::function<void(const transfer_progress&)> on_progress)
    : on_progress_(std::move(on_progress)) {
    outcomes_.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        outcomes_.push_back(download_outcome{.path = entries[i].path});
        targets_.push_back(entries[i].target);
        waiting_[entries[i].path].push_back(i);
    }
    progress_.files_total = entries.size();
    finished_.assign(entries.size(), false);
}

result<void> bulk_download_reader::write(std::string_view data) {
    if (parser_) return parser_->feed(data);
    first_line_.append(data);
    const auto eol = first_line_.find("\r\n");
    if (eol == std::string::npos) {
        if (first_line_.size() > 256) return malformed("no multipart boundary");
        return {};
    }
    std::string_view line(first_line_.data(), eol);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
    if (line.size() < 3 || line.substr(0, 2) != "--" || line.size() > 202)
        return malformed("the body does not start with a multipart boundary");
    boundary_ = std::string(line.substr(2));
    parser_.emplace(boundary_, *this);
    std::string buffered = std::move(first_line_);
    first_line_.clear();
    return parser_->feed(buffered);
}

result<void> bulk_download_reader::finish() {
    if (!parser_) return malformed("the body ended before its first boundary");
    if (auto r = parser_->finish(); !r) return r;
    for (std::size_t i = 0; i < outcomes_.size(); ++i)
        if (!done(i))
            outcomes_[i].failure = error(make_error_code(errc::protocol_error),
                                         error_info{.message = "no data received for this file",
                                                    .operation = "download_files"});
    return {};
}

result<void> bulk_download_reader::on_part(const http::fields& headers) {
    const auto disposition = headers.get("content-disposition");
    const auto name = http::multipart::header_param(disposition, "name").value_or("");
    const auto filename = http::multipart::header_param(disposition, "filename");
    if (!filename) return malformed("a part without a file name");
    auto it = waiting_.find(*filename);
    if (it == waiting_.end() || it->second.empty())
        return malformed("a part for a file that was not requested");
    current_ = it->second.front();
    it->second.pop_front();
    error_body_.clear();
    sink_.reset();
    if (name == "error") {
        kind_ = part::error;
        return {};
    }
    if (name != "file") return malformed("a part that is neither a file nor an error");
    kind_ = part::file;
    const auto& target = targets_[current_];
    if (target.sink()) {
        sink_ = target.sink();
    } else if (!target.local_path().empty()) {
        auto f = http::file_sink::create(target.local_path());
        if (!f) {
            fail_current(std::move(f).error());
            return {};
        }
        sink_ = std::move(*f);
    }
    return {};
}

result<void> bulk_download_reader::on_data(std::string_view data) {
    auto& out = outcomes_[current_];
    if (kind_ == part::error) {
        if (error_body_.size() + data.size() > 64 * 1024)
            return malformed("an error part over 64 KiB");
        error_body_.append(data);
        return {};
    }
    if (kind_ != part::file) return {};
    out.size += data.size();
    progress_.bytes += data.size();
    if (sink_) {
        if (auto w = sink_->write(data); !w) fail_current(std::move(w).error());
    } else if (targets_[current_].in_memory()) {
        out.data.append(data);
    }
    if (on_progress_) on_progress_(progress_);
    return {};
}

result<void> bulk_download_reader::on_part_end() {
    auto& out = outcomes_[current_];
    if (kind_ == part::error) {
        http::response r;
        r.status = 500;
        r.body = std::move(error_body_);
        if (auto status = json::decode<detail_body::status_code>(r.body, "error");
            status && status->value >= 400 && status->value < 600)
            r.status = status->value;
        out.failure = error_from_response(r, "download_files");
        remove_partial(current_);
    } else if (kind_ == part::file && sink_) {
        if (auto f = sink_->finish(); !f) fail_current(std::move(f).error());
    }
    sink_.reset();
    kind_ = part::none;
    finished_[current_] = true;
    ++progress_.files_done;
    if (on_progress_) on_progress_(progress_);
    return {};
}

result<void> bulk_download_reader::malformed(const char* why) {
    return error(make_error_code(errc::protocol_error),
                 std::string("malformed bulk download: ") + why);
}

void bulk_download_reader::fail_current(error e) {
    if (!outcomes_[current_].failure)
        outcomes_[current_].failure = std::move(e).with_operation("download_files");
    sink_.reset();
    kind_ = part::none;  // the rest of this part is skipped
    remove_partial(current_);
}

void bulk_download_reader::remove_partial(std::size_t i) {
    if (!targets_[i].local_path().empty()) std::remove(targets_[i].local_path().c_str());
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_TOOLBOX_IMPL_FILES_IPP
