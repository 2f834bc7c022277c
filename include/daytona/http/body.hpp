// SPDX-License-Identifier: Apache-2.0
// Streaming bodies: sources that produce request bytes and sinks that consume response bytes,
// so a large body never has to sit in memory. Pull/push interfaces without any I/O framework.
#ifndef DAYTONA_HTTP_BODY_HPP
#define DAYTONA_HTTP_BODY_HPP

#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/result.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE

namespace detail {
struct file_closer {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using file_ptr = std::unique_ptr<std::FILE, file_closer>;

inline daytona::error io_error(const std::string& what, const std::string& path, int err) {
    return daytona::error(make_error_code(errc::io_error),
                          what + " '" + path + "': " + std::strerror(err));
}
}  // namespace detail

namespace http {

/**
 * \brief Produces the bytes of a request body on demand.
 * \details The transport pulls from it while writing. A source that knows its size is sent with
 * Content-Length, one that does not with chunked transfer encoding.
 */
class body_source {
public:
    virtual ~body_source() = default;
    /// Total size in bytes if known up front.
    virtual std::optional<std::uint64_t> size() const = 0;
    /// Copies up to `len` bytes into `buf`; 0 means the end of the body.
    virtual result<std::size_t> read(char* buf, std::size_t len) = 0;
    /// Restarts from the first byte, so the request can be retried. False if impossible.
    virtual bool rewind() { return false; }
};

/// Receives the bytes of a response body as they arrive.
class body_sink {
public:
    virtual ~body_sink() = default;
    /// Consumes the next piece of the body. An error aborts the exchange.
    virtual result<void> write(std::string_view data) = 0;
    /// Called once after the last piece of a complete body.
    virtual result<void> finish() { return {}; }
};

/// A body held in memory (useful to compose with other sources).
class string_source final : public body_source {
public:
    /// A source of the bytes of `data`.
    explicit string_source(std::string data) : data_(std::move(data)) {}
    std::optional<std::uint64_t> size() const override { return data_.size(); }
    result<std::size_t> read(char* buf, std::size_t len) override {
        std::size_t n = std::min(len, data_.size() - pos_);
        std::memcpy(buf, data_.data() + pos_, n);
        pos_ += n;
        return n;
    }
    bool rewind() override {
        pos_ = 0;
        return true;
    }

private:
    std::string data_;
    std::size_t pos_ = 0;
};

/// A body read from a local file, a chunk at a time.
class file_source final : public body_source {
public:
    /// Opens `path` for reading. errc::io_error if it cannot be opened.
    static result<std::shared_ptr<file_source>> open(const std::string& path) {
        detail::file_ptr f(std::fopen(path.c_str(), "rb"));
        if (!f) return detail::io_error("cannot open", path, errno);
        if (std::fseek(f.get(), 0, SEEK_END) != 0)
            return detail::io_error("cannot seek", path, errno);
        long size = std::ftell(f.get());
        if (size < 0) return detail::io_error("cannot size", path, errno);
        std::rewind(f.get());
        return std::shared_ptr<file_source>(
            new file_source(std::move(f), static_cast<std::uint64_t>(size), path));
    }
    std::optional<std::uint64_t> size() const override { return size_; }
    result<std::size_t> read(char* buf, std::size_t len) override {
        std::size_t n = std::fread(buf, 1, len, f_.get());
        if (n == 0 && std::ferror(f_.get())) return detail::io_error("cannot read", path_, errno);
        return n;
    }
    bool rewind() override { return std::fseek(f_.get(), 0, SEEK_SET) == 0; }

private:
    file_source(detail::file_ptr f, std::uint64_t size, std::string path)
        : f_(std::move(f)), size_(size), path_(std::move(path)) {}
    detail::file_ptr f_;
    std::uint64_t size_;
    std::string path_;
};

/// A sink that appends to a string, failing once `limit` bytes would be exceeded.
class string_sink final : public body_sink {
public:
    /// An empty sink that accepts at most `limit` bytes (errc::body_too_large beyond).
    explicit string_sink(std::size_t limit = SIZE_MAX) : limit_(limit) {}
    result<void> write(std::string_view data) override {
        if (data.size() > limit_ - data_.size())
            return daytona::error(make_error_code(errc::body_too_large),
                                  "body exceeds " + std::to_string(limit_) + " bytes");
        data_.append(data);
        return {};
    }
    /// The bytes received so far.
    std::string& data() noexcept { return data_; }

private:
    std::string data_;
    std::size_t limit_;
};

/// A sink that writes to a local file (created or truncated).
class file_sink final : public body_sink {
public:
    /// Creates or truncates the file at `path`; errc::io_error when that fails.
    static result<std::shared_ptr<file_sink>> create(const std::string& path) {
        detail::file_ptr f(std::fopen(path.c_str(), "wb"));
        if (!f) return detail::io_error("cannot create", path, errno);
        return std::shared_ptr<file_sink>(new file_sink(std::move(f), path));
    }
    result<void> write(std::string_view data) override {
        if (std::fwrite(data.data(), 1, data.size(), f_.get()) != data.size())
            return detail::io_error("cannot write", path_, errno);
        return {};
    }
    result<void> finish() override {
        if (std::fflush(f_.get()) != 0) return detail::io_error("cannot flush", path_, errno);
        return {};
    }

private:
    file_sink(detail::file_ptr f, std::string path) : f_(std::move(f)), path_(std::move(path)) {}
    detail::file_ptr f_;
    std::string path_;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_BODY_HPP
