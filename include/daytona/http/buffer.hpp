// SPDX-License-Identifier: Apache-2.0
// A contiguous read buffer: bytes are read into its tail and consumed from its head, and what a
// parser leaves unconsumed stays for the next message.
#ifndef DAYTONA_HTTP_BUFFER_HPP
#define DAYTONA_HTTP_BUFFER_HPP

#include "daytona/config.hpp"

#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>

DAYTONA_BEGIN_NAMESPACE
namespace http {

/// A contiguous byte buffer for reading from a connection: bytes are written at the
/// tail (prepare() then commit()) and read from the head (data() then consume()).
class flat_buffer {
public:
    /// An empty buffer that allocates `initial` bytes on first use.
    explicit flat_buffer(std::size_t initial = 16 * 1024) : cap_(initial) {}

    /// Unconsumed bytes.
    std::string_view data() const noexcept { return {buf_.get() + begin_, end_ - begin_}; }
    /// Number of unconsumed bytes.
    std::size_t size() const noexcept { return end_ - begin_; }

    /// Writable space of at least `n` bytes at the tail (compacting or growing as needed).
    DAYTONA_DECL std::pair<char*, std::size_t> prepare(std::size_t n);
    /// Marks `n` bytes written into the space of the last prepare() as data.
    void commit(std::size_t n) noexcept { end_ += n; }
    /// Drops the first `n` unconsumed bytes.
    void consume(std::size_t n) noexcept {
        begin_ += n;
        if (begin_ == end_) begin_ = end_ = 0;
    }
    /// Drops every byte; the storage is kept.
    void clear() noexcept { begin_ = end_ = 0; }

private:
    std::unique_ptr<char[]> buf_;
    std::size_t cap_;
    std::size_t begin_ = 0, end_ = 0;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/buffer.ipp"
#endif

#endif  // DAYTONA_HTTP_BUFFER_HPP
