// SPDX-License-Identifier: Apache-2.0
// Sans-io multipart/form-data: a streaming parser (parts are delivered as they arrive, so a
// 1 GiB upload never sits in memory) and the pieces to write one.
#ifndef DAYTONA_HTTP_MULTIPART_HPP
#define DAYTONA_HTTP_MULTIPART_HPP

#include "daytona/config.hpp"
#include "daytona/detail/percent.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/error.hpp"
#include "daytona/http/body.hpp"
#include "daytona/http/fields.hpp"
#include "daytona/result.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace http::multipart {

/// The value of parameter `name` in a header like `form-data; name="x"; filename="y"`.
DAYTONA_DECL std::optional<std::string> header_param(std::string_view header,
                                                     std::string_view name);

/// The boundary of a `multipart/...; boundary=...` content type.
DAYTONA_DECL std::optional<std::string> boundary_of(std::string_view content_type);

/// Quotes a Content-Disposition parameter value (backslash-escaping quotes and backslashes, as
/// Go's mime/multipart does; CR and LF are dropped so a file name cannot add header lines).
DAYTONA_DECL std::string quote_param(std::string_view v);

/// `--boundary\r\n` + the part's header lines + `\r\n`: what precedes a part's data.
DAYTONA_DECL std::string part_head(std::string_view boundary, const fields& headers, bool first);

/// The closing delimiter.
DAYTONA_DECL std::string tail(std::string_view boundary, bool any_part);

/**
 * \brief A multipart body produced a piece at a time: each part's header lines, then its data
 * from a body source opened when the body reaches it (so a thousand files are never open at
 * once and never sit in memory).
 * \details The size is known, and the body sent with Content-Length, when every part's size
 * is; otherwise it is sent chunked. A part whose source produces a different number of bytes
 * than it announced fails the body (errc::io_error) rather than corrupting it.
 */
class source final : public body_source {
public:
    /// Opens a part's data; `again` is true when the body is replayed (a retry).
    using opener = std::function<result<std::shared_ptr<body_source>>(bool again)>;
    /// One part of the body.
    struct part {
        /// The part's header lines (`Content-Disposition`, `Content-Type`, ...).
        fields headers{};
        /// Small data held inline (a form field); used when `open` is empty.
        std::string inline_data{};
        /// Opens the part's data when the body reaches it; empty: inline_data is sent.
        opener open{};
        /// The data's size, if known before reading it.
        std::optional<std::uint64_t> size{};
    };
    /// Told about every piece of part data produced (`n` bytes of part `index`), and once with
    /// `n == 0` when a part's data is complete.
    using observer = std::function<void(std::size_t index, std::size_t n)>;

    /// A body of `parts` separated by `boundary` (without the leading `--`); `watch`, when
    /// set, is told about the data as it is produced.
    DAYTONA_DECL source(std::string boundary, std::vector<part> parts, observer watch = nullptr);

    std::optional<std::uint64_t> size() const override { return size_; }

    DAYTONA_DECL result<std::size_t> read(char* buf, std::size_t len) override;

    DAYTONA_DECL bool rewind() override;

private:
    DAYTONA_DECL void restart();
    DAYTONA_DECL result<std::size_t> size_changed(std::uint64_t announced) const;

    std::string boundary_;
    std::vector<part> parts_;
    observer watch_;
    std::optional<std::uint64_t> size_{};
    std::size_t index_ = 0;
    bool in_data_ = false;
    bool replay_ = false;
    std::string pending_;
    std::size_t pending_at_ = 0;
    std::shared_ptr<body_source> current_;
    std::uint64_t produced_ = 0;
};

/// Receives a multipart body as it is parsed.
class handler {
public:
    virtual ~handler() = default;
    /// A part begins; its header lines are parsed.
    virtual result<void> on_part(const fields& headers) = 0;
    /// Some bytes of the current part's data.
    virtual result<void> on_data(std::string_view data) = 0;
    /// The current part is complete.
    virtual result<void> on_part_end() = 0;
};

/**
 * \brief Streaming parser: feed body bytes in pieces of any size; the handler sees parts as they
 * complete. Data is passed on at once, except for the few bytes that might start a delimiter.
 * A part with a Content-Length header is read by count (as the daemon's bulk download sends
 * files), so its data may contain the delimiter itself.
 * \par Errors
 * errc::protocol_error for a malformed body, errc::header_too_large for a part header over the
 * limit, or the handler's own errors.
 */
class parser {
public:
    /// A parser for parts separated by `boundary` (without the leading `--`), calling `h`; a
    /// part header longer than `max_part_header` bytes is refused.
    DAYTONA_DECL parser(std::string boundary, handler& h, std::size_t max_part_header = 16 * 1024);

    /// Parses the next piece of the body, calling the handler for what it completes.
    DAYTONA_DECL result<void> feed(std::string_view data);

    /// The body ended; anything but a complete multipart document is an error.
    DAYTONA_DECL result<void> finish();

    /// True once the closing delimiter was parsed.
    bool done() const noexcept { return state_ == state::done; }

private:
    enum class state { preamble, after_delim, headers, data, done };

    DAYTONA_DECL result<void> run();

    DAYTONA_DECL result<void> too_large();
    static DAYTONA_DECL result<void> fail(const char* why);

    std::string delim_;
    handler& handler_;
    std::size_t max_header_;
    std::string buf_;
    std::size_t pos_ = 0;
    std::size_t header_bytes_ = 0;
    fields headers_;
    std::optional<std::uint64_t> counted_;
    state state_ = state::preamble;
};

}  // namespace http::multipart
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/multipart.ipp"
#endif

#endif  // DAYTONA_HTTP_MULTIPART_HPP
