// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/multipart.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_MULTIPART_IPP
#define DAYTONA_HTTP_IMPL_MULTIPART_IPP

#include "daytona/http/multipart.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace http::multipart {

std::optional<std::string> header_param(std::string_view header, std::string_view name) {
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

std::optional<std::string> boundary_of(std::string_view content_type) {
    if (content_type.size() < 10 || !detail::iequals(content_type.substr(0, 10), "multipart/"))
        return std::nullopt;
    auto b = header_param(content_type, "boundary");
    if (!b || b->empty() || b->size() > 200) return std::nullopt;
    return b;
}

std::string quote_param(std::string_view v) {
    std::string out = "\"";
    for (char c : v) {
        if (c == '\r' || c == '\n') continue;
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

std::string part_head(std::string_view boundary, const fields& headers, bool first) {
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

std::string tail(std::string_view boundary, bool any_part) {
    return std::string(any_part ? "\r\n--" : "--") + std::string(boundary) + "--\r\n";
}

source::source(std::string boundary, std::vector<part> parts, observer watch)
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

result<std::size_t> source::read(char* buf, std::size_t len) {
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

bool source::rewind() {
    replay_ = true;
    restart();
    return true;
}

void source::restart() {
    index_ = 0;
    in_data_ = false;
    pending_.clear();
    pending_at_ = 0;
    current_.reset();
}

result<std::size_t> source::size_changed(std::uint64_t announced) const {
    return error(make_error_code(errc::io_error),
                 "part " + std::to_string(index_) + " produced " + std::to_string(produced_) +
                     " bytes where " + std::to_string(announced) + " were announced");
}

parser::parser(std::string boundary, handler& h, std::size_t max_part_header)
    : delim_("\r\n--" + boundary), handler_(h), max_header_(max_part_header) {}

result<void> parser::feed(std::string_view data) {
    buf_.append(data);
    auto r = run();
    if (pos_ > 0) {
        buf_.erase(0, pos_);
        pos_ = 0;
    }
    return r;
}

result<void> parser::finish() {
    if (state_ == state::done) return {};
    return fail(state_ == state::data ? "body ended inside a part"
                                      : "body ended before the closing delimiter");
}

result<void> parser::run() {
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
                        const auto n =
                            static_cast<std::size_t>(std::min<std::uint64_t>(*counted_, in.size()));
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

result<void> parser::too_large() {
    return error(make_error_code(errc::header_too_large),
                 "multipart part header exceeds " + std::to_string(max_header_) + " bytes");
}

result<void> parser::fail(const char* why) {
    return error(make_error_code(errc::protocol_error),
                 std::string("malformed multipart body: ") + why);
}

}  // namespace http::multipart
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_IMPL_MULTIPART_IPP
