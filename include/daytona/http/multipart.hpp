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
inline std::optional<std::string> header_param(std::string_view header, std::string_view name) {
    std::size_t i = 0;
    while (i < header.size()) {
        auto semi = header.find(';', i);
        if (semi == std::string_view::npos) return std::nullopt;
        i = semi + 1;
        while (i < header.size() && detail::is_http_space(header[i]))
            ++i;
        auto eq = header.find('=', i);
        if (eq == std::string_view::npos) return std::nullopt;
        auto key = detail::trim(header.substr(i, eq - i));
        i = eq + 1;
        std::string value;
        if (i < header.size() && header[i] == '"') {
            ++i;
            while (i < header.size() && header[i] != '"') {
                if (header[i] == '\\' && i + 1 < header.size()) ++i;
                value += header[i++];
            }
            ++i;
        } else {
            auto end = header.find(';', i);
            value = std::string(
                detail::trim(header.substr(i, end == std::string_view::npos ? end : end - i)));
            i = end == std::string_view::npos ? header.size() : end;
        }
        if (detail::iequals(key, name)) return value;
    }
    return std::nullopt;
}

/// The boundary of a `multipart/...; boundary=...` content type.
inline std::optional<std::string> boundary_of(std::string_view content_type) {
    if (content_type.size() < 10 || !detail::iequals(content_type.substr(0, 10), "multipart/"))
        return std::nullopt;
    auto b = header_param(content_type, "boundary");
    if (!b || b->empty() || b->size() > 200) return std::nullopt;
    return b;
}

/// Quotes a Content-Disposition parameter value (backslash-escaping quotes and backslashes, as
/// Go's mime/multipart does; CR and LF are dropped so a file name cannot add header lines).
inline std::string quote_param(std::string_view v) {
    std::string out = "\"";
    for (char c : v) {
        if (c == '\r' || c == '\n') continue;
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

/// `--boundary\r\n` + the part's header lines + `\r\n`: what precedes a part's data.
inline std::string part_head(std::string_view boundary, const fields& headers, bool first) {
    std::string s = first ? "--" : "\r\n--";
    s += boundary;
    s += "\r\n";
    for (auto [n, v] : headers) {
        s += n;
        s += ": ";
        s += v;
        s += "\r\n";
    }
    s += "\r\n";
    return s;
}

/// The closing delimiter.
inline std::string tail(std::string_view boundary, bool any_part) {
    return std::string(any_part ? "\r\n--" : "--") + std::string(boundary) + "--\r\n";
}

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
    source(std::string boundary, std::vector<part> parts, observer watch = nullptr)
        : boundary_(std::move(boundary)), parts_(std::move(parts)), watch_(std::move(watch)) {
        std::uint64_t total = 0;
        bool known = true;
        for (std::size_t i = 0; i < parts_.size(); ++i) {
            auto& p = parts_[i];
            if (!p.open) p.size = p.inline_data.size();
            total += part_head(boundary_, p.headers, i == 0).size();
            if (p.size)
                total += *p.size;
            else
                known = false;
        }
        total += tail(boundary_, !parts_.empty()).size();
        if (known) size_ = total;
        restart();
    }

    std::optional<std::uint64_t> size() const override { return size_; }

    result<std::size_t> read(char* buf, std::size_t len) override {
        for (;;) {
            if (pending_at_ < pending_.size()) {
                std::size_t n = std::min(len, pending_.size() - pending_at_);
                std::memcpy(buf, pending_.data() + pending_at_, n);
                pending_at_ += n;
                return n;
            }
            if (index_ > parts_.size()) return std::size_t{0};  // after the tail
            if (index_ == parts_.size()) {
                pending_ = tail(boundary_, !parts_.empty());
                pending_at_ = 0;
                ++index_;
                continue;
            }
            auto& p = parts_[index_];
            if (!in_data_) {
                pending_ = part_head(boundary_, p.headers, index_ == 0);
                pending_at_ = 0;
                in_data_ = true;
                produced_ = 0;
                if (p.open) {
                    auto opened = p.open(replay_);
                    if (!opened) return std::move(opened).error();
                    current_ = std::move(*opened);
                } else {
                    current_ = std::make_shared<string_source>(p.inline_data);
                }
                continue;
            }
            auto n = current_->read(buf, len);
            if (!n) return n;
            if (*n > 0) {
                produced_ += *n;
                if (p.size && produced_ > *p.size) return size_changed(*p.size);
                if (watch_) watch_(index_, *n);
                return n;
            }
            if (p.size && produced_ != *p.size) return size_changed(*p.size);
            current_.reset();
            in_data_ = false;
            if (watch_) watch_(index_, 0);
            ++index_;
        }
    }

    bool rewind() override {
        replay_ = true;
        restart();
        return true;
    }

private:
    void restart() {
        index_ = 0;
        in_data_ = false;
        pending_.clear();
        pending_at_ = 0;
        current_.reset();
    }
    result<std::size_t> size_changed(std::uint64_t announced) const {
        return error(make_error_code(errc::io_error),
                     "part " + std::to_string(index_) + " produced " + std::to_string(produced_) +
                         " bytes where " + std::to_string(announced) + " were announced");
    }

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
    parser(std::string boundary, handler& h, std::size_t max_part_header = 16 * 1024)
        : delim_("\r\n--" + boundary), handler_(h), max_header_(max_part_header) {}

    /// Parses the next piece of the body, calling the handler for what it completes.
    result<void> feed(std::string_view data) {
        buf_.append(data);
        auto r = run();
        if (pos_ > 0) {
            buf_.erase(0, pos_);
            pos_ = 0;
        }
        return r;
    }

    /// The body ended; anything but a complete multipart document is an error.
    result<void> finish() {
        if (state_ == state::done) return {};
        return fail(state_ == state::data ? "body ended inside a part"
                                          : "body ended before the closing delimiter");
    }

    /// True once the closing delimiter was parsed.
    bool done() const noexcept { return state_ == state::done; }

private:
    enum class state { preamble, after_delim, headers, data, done };

    result<void> run() {
        for (;;) {
            std::string_view in = std::string_view(buf_).substr(pos_);
            switch (state_) {
                case state::preamble: {
                    // The first delimiter may come without its leading CRLF.
                    std::string_view first = std::string_view(delim_).substr(2);
                    if (in.size() < first.size()) return {};
                    if (in.substr(0, first.size()) == first) {
                        pos_ += first.size();
                        state_ = state::after_delim;
                        break;
                    }
                    auto at = in.find(delim_);
                    if (at == std::string_view::npos) {
                        if (in.size() > delim_.size()) pos_ += in.size() - delim_.size();
                        if (buf_.size() - pos_ > 64 * 1024) return fail("no multipart delimiter");
                        return {};
                    }
                    pos_ += at + delim_.size();
                    state_ = state::after_delim;
                    break;
                }
                case state::after_delim: {
                    if (in.size() < 2) return {};
                    if (in.substr(0, 2) == "--") {
                        pos_ += in.size();  // the epilogue is ignored
                        state_ = state::done;
                        return {};
                    }
                    // Transport padding (spaces, tabs) may precede the CRLF.
                    std::size_t i = 0;
                    while (i < in.size() && detail::is_http_space(in[i]))
                        ++i;
                    if (in.size() < i + 2) return {};
                    if (in.substr(i, 2) != "\r\n") return fail("garbage after a delimiter");
                    pos_ += i + 2;
                    state_ = state::headers;
                    headers_.clear();
                    break;
                }
                case state::headers: {
                    auto end = in.find("\r\n");
                    if (end == std::string_view::npos) {
                        if (in.size() > max_header_) return too_large();
                        return {};
                    }
                    header_bytes_ += end + 2;
                    if (header_bytes_ > max_header_) return too_large();
                    if (end == 0) {
                        pos_ += 2;
                        header_bytes_ = 0;
                        state_ = state::data;
                        // A part that states its length is read by count, so its data may
                        // contain the delimiter (a file holding a multipart body, say).
                        counted_.reset();
                        if (auto len = headers_.find("content-length")) {
                            auto n = detail::parse_uint<std::uint64_t>(detail::trim(*len));
                            if (!n) return fail("malformed part Content-Length");
                            counted_ = *n;
                        }
                        if (auto r = handler_.on_part(headers_); !r) return r;
                        break;
                    }
                    auto line = in.substr(0, end);
                    auto colon = line.find(':');
                    if (colon == std::string_view::npos || colon == 0)
                        return fail("malformed part header");
                    headers_.add(detail::trim(line.substr(0, colon)),
                                 detail::trim(line.substr(colon + 1)));
                    pos_ += end + 2;
                    break;
                }
                case state::data: {
                    if (counted_) {
                        if (*counted_ > 0) {
                            if (in.empty()) return {};
                            const auto n = static_cast<std::size_t>(
                                std::min<std::uint64_t>(*counted_, in.size()));
                            if (auto r = handler_.on_data(in.substr(0, n)); !r) return r;
                            pos_ += n;
                            *counted_ -= n;
                            break;
                        }
                        if (in.size() < delim_.size()) return {};
                        if (in.substr(0, delim_.size()) != delim_)
                            return fail("part data longer than its Content-Length");
                        pos_ += delim_.size();
                        counted_.reset();
                        if (auto r = handler_.on_part_end(); !r) return r;
                        state_ = state::after_delim;
                        break;
                    }
                    auto at = in.find(delim_);
                    if (at == std::string_view::npos) {
                        // Keep what could be the start of a delimiter split across pieces.
                        std::size_t keep = std::min(in.size(), delim_.size() - 1);
                        std::size_t emit = in.size() - keep;
                        if (emit > 0) {
                            if (auto r = handler_.on_data(in.substr(0, emit)); !r) return r;
                            pos_ += emit;
                        }
                        return {};
                    }
                    if (at > 0)
                        if (auto r = handler_.on_data(in.substr(0, at)); !r) return r;
                    pos_ += at + delim_.size();
                    if (auto r = handler_.on_part_end(); !r) return r;
                    state_ = state::after_delim;
                    break;
                }
                case state::done:
                    pos_ = buf_.size();
                    return {};
            }
        }
    }

    result<void> too_large() {
        return error(make_error_code(errc::header_too_large),
                     "multipart part header exceeds " + std::to_string(max_header_) + " bytes");
    }
    static result<void> fail(const char* why) {
        return error(make_error_code(errc::protocol_error),
                     std::string("malformed multipart body: ") + why);
    }

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

#endif  // DAYTONA_HTTP_MULTIPART_HPP
