// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of models/files.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_MODELS_IMPL_FILES_IPP
#define DAYTONA_MODELS_IMPL_FILES_IPP

#include "daytona/models/files.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>

DAYTONA_BEGIN_NAMESPACE

result<std::size_t> detail::shared_string_source::read(char* buf, std::size_t len) {
    const std::size_t n = std::min(len, data_->size() - pos_);
    std::memcpy(buf, data_->data() + pos_, n);
    pos_ += n;
    return n;
}

upload_source upload_source::from_memory(std::string data) {
    upload_source s;
    s.memory_ = std::make_shared<const std::string>(std::move(data));
    s.kind_ = kind::memory;
    return s;
}

upload_source upload_source::from_path(std::string local_path) {
    upload_source s;
    s.data_ = std::move(local_path);
    s.kind_ = kind::path;
    return s;
}

upload_source upload_source::from_source(std::shared_ptr<http::body_source> source) {
    upload_source s;
    s.source_ = std::move(source);
    s.kind_ = kind::source;
    return s;
}

result<std::shared_ptr<http::body_source>> upload_source::open(bool again) const {
    switch (kind_) {
        case kind::memory:
            return std::shared_ptr<http::body_source>(
                std::make_shared<detail::shared_string_source>(memory_));
        case kind::path: {
            auto f = http::file_source::open(data_);
            if (!f) return std::move(f).error();
            return std::shared_ptr<http::body_source>(std::move(*f));
        }
        case kind::source:
            if (!source_)
                return error(make_error_code(errc::invalid_argument), "null upload source");
            if (again && !source_->rewind())
                return error(make_error_code(errc::io_error), "the upload source cannot rewind");
            return source_;
    }
    return error(make_error_code(errc::invalid_argument), "empty upload source");
}

std::optional<std::uint64_t> upload_source::size() const {
    switch (kind_) {
        case kind::memory:
            return memory_ ? memory_->size() : 0;
        case kind::path: {
            struct ::stat st {};
            if (::stat(data_.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
            return static_cast<std::uint64_t>(st.st_size);
        }
        case kind::source:
            return source_ ? source_->size() : std::nullopt;
    }
    return std::nullopt;
}

download_target download_target::to_path(std::string local_path) {
    download_target t;
    t.path_ = std::move(local_path);
    return t;
}

download_target download_target::to_sink(std::shared_ptr<http::body_sink> sink) {
    download_target t;
    t.sink_ = std::move(sink);
    return t;
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_IMPL_FILES_IPP
