// SPDX-License-Identifier: Apache-2.0
// Sans-io multipart/form-data: a streaming parser (parts are delivered as they arrive, so a
// 1 GiB upload never sits in memory) and the pieces to write one.
#ifndef DAYTONA_HTTP_MULTIPART_HPP
#define DAYTONA_HTTP_MULTIPART_HPP

#include "daytona/config.hpp"
#include "daytona/detail/percent.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/error.hpp"
#include "daytona/http/fields.hpp"
#include "daytona/result.hpp"

#include <optional>
#include <string>
#include <string_view>

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
 * \par Errors
 * errc::protocol_error for a malformed body, errc::header_too_large for a part header over the
 * limit, or the handler's own errors.
 */
class parser {
public:
    parser(std::string boundary, handler& h, std::size_t max_part_header = 16 * 1024)
        : delim_("\r\n--" + boundary), handler_(h), max_header_(max_part_header) {}

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
    state state_ = state::preamble;
};

}  // namespace http::multipart
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_MULTIPART_HPP
