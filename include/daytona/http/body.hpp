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

DAYTONA_DECL daytona::error io_error(const std::string& what, const std::string& path, int err);
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
    DAYTONA_DECL result<std::size_t> read(char* buf, std::size_t len) override;
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
    static DAYTONA_DECL result<std::shared_ptr<file_source>> open(const std::string& path);
    std::optional<std::uint64_t> size() const override { return size_; }
    DAYTONA_DECL result<std::size_t> read(char* buf, std::size_t len) override;
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
    DAYTONA_DECL result<void> write(std::string_view data) override;
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
    static DAYTONA_DECL result<std::shared_ptr<file_sink>> create(const std::string& path);
    DAYTONA_DECL result<void> write(std::string_view data) override;
    DAYTONA_DECL result<void> finish() override;

private:
    file_sink(detail::file_ptr f, std::string path) : f_(std::move(f)), path_(std::move(path)) {}
    detail::file_ptr f_;
    std::string path_;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/body.ipp"
#endif

#endif  // DAYTONA_HTTP_BODY_HPP
