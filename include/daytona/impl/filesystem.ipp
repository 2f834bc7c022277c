// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of filesystem.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_FILESYSTEM_IPP
#define DAYTONA_IMPL_FILESYSTEM_IPP

#include "daytona/api/toolbox/files.hpp"
#include "daytona/filesystem.hpp"
#include "daytona/net/crypto.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

asio::awaitable<result<std::vector<replace_result>>> filesystem::replace(
    std::vector<std::string> files, std::string pattern, std::string new_value) const {
    replace_request r{.files = std::move(files),
                      .pattern = std::move(pattern),
                      .new_value = std::move(new_value)};
    return replace_impl(client_, sandbox_, std::move(r));
}

asio::awaitable<result<void>> filesystem::upload(std::string destination, upload_source source,
                                                 transfer_options opts) const {
    std::vector<upload_entry> one;
    one.push_back(upload_entry{.source = std::move(source), .destination = std::move(destination)});
    return upload_impl(client_, sandbox_, std::move(one), std::move(opts));
}

result<void> filesystem::need_path(const std::string& path, std::string_view op) {
    if (!path.empty()) return {};
    return error(make_error_code(errc::invalid_argument),
                 error_info{.message = "path is empty", .operation = std::string(op)});
}

asio::awaitable<result<std::vector<file_info>>> filesystem::list_impl(state_ptr c, data_ptr s,
                                                                      std::string path) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::list_files(*ch, path);
}

asio::awaitable<result<file_info>> filesystem::info_impl(state_ptr c, data_ptr s,
                                                         std::string path) {
    if (auto ok = need_path(path, "get_file_info"); !ok) co_return std::move(ok).error();
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::get_file_info(*ch, path);
}

asio::awaitable<result<void>> filesystem::create_folder_impl(state_ptr c, data_ptr s,
                                                             std::string path, std::string mode) {
    if (auto ok = need_path(path, "create_folder"); !ok) co_return ok;
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::create_folder(*ch, path, mode);
}

asio::awaitable<result<void>> filesystem::delete_impl(state_ptr c, data_ptr s, std::string path,
                                                      bool recursive) {
    if (auto ok = need_path(path, "delete_file"); !ok) co_return ok;
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::delete_file(*ch, path, recursive);
}

asio::awaitable<result<void>> filesystem::move_impl(state_ptr c, data_ptr s, std::string source,
                                                    std::string destination) {
    if (auto ok = need_path(source, "move_file"); !ok) co_return ok;
    if (auto ok = need_path(destination, "move_file"); !ok) co_return ok;
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::move_file(*ch, source, destination);
}

asio::awaitable<result<void>> filesystem::permissions_impl(state_ptr c, data_ptr s,
                                                           std::string path,
                                                           file_permissions perm) {
    if (auto ok = need_path(path, "set_file_permissions"); !ok) co_return ok;
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::set_file_permissions(*ch, path, perm);
}

asio::awaitable<result<std::vector<file_match>>> filesystem::find_impl(state_ptr c, data_ptr s,
                                                                       std::string path,
                                                                       std::string pattern) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::find_in_files(*ch, path, pattern);
}

asio::awaitable<result<std::vector<std::string>>> filesystem::search_impl(state_ptr c, data_ptr s,
                                                                          std::string path,
                                                                          std::string pattern) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    auto r = co_await api::search_files(*ch, path, pattern);
    if (!r) co_return std::move(r).error();
    co_return std::move(r->files);
}

asio::awaitable<result<std::vector<replace_result>>> filesystem::replace_impl(state_ptr c,
                                                                              data_ptr s,
                                                                              replace_request r) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::replace_in_files(*ch, r);
}

request_options filesystem::transfer_request(const transfer_options& opts) {
    request_options ro;
    ro.timeout = opts.timeout;
    return ro;
}

filesystem::progress_sink::progress_sink(std::shared_ptr<http::body_sink> inner,
                                         std::function<void(const transfer_progress&)> cb)
    : inner_(std::move(inner)), cb_(std::move(cb)) {
    progress_.files_total = 1;
}

result<void> filesystem::progress_sink::write(std::string_view data) {
    if (auto r = inner_->write(data); !r) return r;
    progress_.bytes += data.size();
    if (cb_) cb_(progress_);
    return {};
}

result<void> filesystem::progress_sink::finish() {
    if (auto r = inner_->finish(); !r) return r;
    progress_.files_done = 1;
    if (cb_) cb_(progress_);
    return {};
}

asio::awaitable<result<void>> filesystem::download_sink_impl(state_ptr c, data_ptr s,
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
        target = std::make_shared<progress_sink>(std::move(target), std::move(opts.on_progress));
    co_return co_await api::download_file(*ch, path, std::move(target), ro);
}

asio::awaitable<result<std::string>> filesystem::download_memory_impl(state_ptr c, data_ptr s,
                                                                      std::string path,
                                                                      transfer_options opts) {
    auto memory = std::make_shared<http::string_sink>();
    std::shared_ptr<http::body_sink> sink = memory;
    auto r = co_await download_sink_impl(c, s, std::move(path), std::move(sink), std::move(opts));
    if (!r) co_return std::move(r).error();
    co_return std::move(memory->data());
}

asio::awaitable<result<void>> filesystem::download_path_impl(state_ptr c, data_ptr s,
                                                             std::string path,
                                                             std::string local_path,
                                                             transfer_options opts) {
    auto file = http::file_sink::create(local_path);
    if (!file) co_return std::move(file).error().with_operation("download_file");
    std::shared_ptr<http::body_sink> sink = std::move(*file);
    auto r = co_await download_sink_impl(c, s, std::move(path), std::move(sink), std::move(opts));
    if (!r) std::remove(local_path.c_str());
    co_return r;
}

asio::awaitable<result<void>> filesystem::upload_impl(state_ptr c, data_ptr s,
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

asio::awaitable<result<std::vector<download_outcome>>> filesystem::download_files_impl(
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

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_FILESYSTEM_IPP
