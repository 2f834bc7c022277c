// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/body.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_BODY_IPP
#define DAYTONA_HTTP_IMPL_BODY_IPP

#include "daytona/http/body.hpp"

#include <algorithm>

DAYTONA_BEGIN_NAMESPACE

namespace detail {
daytona::error io_error(const std::string& what, const std::string& path, int err) {
    return daytona::error(make_error_code(errc::io_error),
                          what + " '" + path + "': " + std::strerror(err));
}
}  // namespace detail

namespace http {

result<std::size_t> string_source::read(char* buf, std::size_t len) {
    std::size_t n = std::min(len, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return n;
}

result<std::shared_ptr<file_source>> file_source::open(const std::string& path) {
    detail::file_ptr f(std::fopen(path.c_str(), "rb"));
    if (!f) return detail::io_error("cannot open", path, errno);
    if (std::fseek(f.get(), 0, SEEK_END) != 0) return detail::io_error("cannot seek", path, errno);
    long size = std::ftell(f.get());
    if (size < 0) return detail::io_error("cannot size", path, errno);
    std::rewind(f.get());
    return std::shared_ptr<file_source>(
        new file_source(std::move(f), static_cast<std::uint64_t>(size), path));
}

result<std::size_t> file_source::read(char* buf, std::size_t len) {
    std::size_t n = std::fread(buf, 1, len, f_.get());
    if (n == 0 && std::ferror(f_.get())) return detail::io_error("cannot read", path_, errno);
    return n;
}

result<void> string_sink::write(std::string_view data) {
    if (data.size() > limit_ - data_.size())
        return daytona::error(make_error_code(errc::body_too_large),
                              "body exceeds " + std::to_string(limit_) + " bytes");
    data_.append(data);
    return {};
}

result<std::shared_ptr<file_sink>> file_sink::create(const std::string& path) {
    detail::file_ptr f(std::fopen(path.c_str(), "wb"));
    if (!f) return detail::io_error("cannot create", path, errno);
    return std::shared_ptr<file_sink>(new file_sink(std::move(f), path));
}

result<void> file_sink::write(std::string_view data) {
    if (std::fwrite(data.data(), 1, data.size(), f_.get()) != data.size())
        return detail::io_error("cannot write", path_, errno);
    return {};
}

result<void> file_sink::finish() {
    if (std::fflush(f_.get()) != 0) return detail::io_error("cannot flush", path_, errno);
    return {};
}

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_IMPL_BODY_IPP
