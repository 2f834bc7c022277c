// SPDX-License-Identifier: Apache-2.0
// Sans-io HTTP/1.1 message parser on top of llhttp: feed it bytes, get a message.
#ifndef DAYTONA_HTTP_PARSER_HPP
#define DAYTONA_HTTP_PARSER_HPP

#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/http/body.hpp"
#include "daytona/http/response.hpp"
#include "daytona/result.hpp"

#include <llhttp.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

DAYTONA_BEGIN_NAMESPACE
namespace http {

/// Bounds that protect a parser from a hostile or broken peer.
struct parser_limits {
    /// Start line plus header fields (and trailers). Default 64 KiB.
    std::size_t max_header_bytes = 64 * 1024;
    /// Body bytes kept in memory when no sink is set. Default 256 MiB.
    std::size_t max_body_bytes = 256 * 1024 * 1024;
};

/// Extra capacity reserved after a buffered body so simdjson can parse it in place (its
/// SIMDJSON_PADDING); declared here because the parser must not depend on simdjson.
inline constexpr std::size_t body_padding = 64;

/**
 * \brief Incremental parser for one HTTP/1.1 message at a time (responses, or requests for the
 * emulator).
 * \details Feed bytes as they arrive, in pieces of any size (down to one byte); the parser stops
 * consuming at the end of a message so that a following message stays in the caller's buffer.
 * Headers go into compact fields; the body is buffered (bounded by the limits) or handed to a
 * body_sink as it arrives. Not copyable or movable: llhttp keeps a pointer to it.
 */
template <bool IsRequest>
class basic_parser {
public:
    /// incoming_request for a request parser, response for a response parser.
    using message_type = std::conditional_t<IsRequest, incoming_request, response>;

    /// A parser ready for the first message, bounded by `limits`.
    explicit basic_parser(parser_limits limits = {}) : limits_(limits) { reset(); }
    basic_parser(const basic_parser&) = delete;
    basic_parser& operator=(const basic_parser&) = delete;

    /// Prepares for a new message. Keeps the limits; clears options set per message.
    void reset() {
        llhttp_init(&p_, IsRequest ? HTTP_REQUEST : HTTP_RESPONSE,
                    const_cast<llhttp_settings_t*>(&settings()));
        p_.data = this;
        msg_ = message_type{};
        sink_ = nullptr;
        skip_body_ = false;
        pause_after_header_ = false;
        header_done_ = done_ = upgrade_ = in_field_ = false;
        header_bytes_ = body_bytes_ = bytes_seen_ = 0;
        content_length_.reset();
        failure_.reset();
    }

    /// The response has no body whatever its headers say (it answers a HEAD request).
    void skip_body(bool v = true) noexcept { skip_body_ = v; }
    /// Stop feeding right after the header, so the caller can pick a sink based on it.
    void pause_after_header(bool v = true) noexcept { pause_after_header_ = v; }
    /// Body bytes go to `sink` instead of the message (nullptr: buffer them). The sink must
    /// outlive the message.
    void set_sink(body_sink* sink) noexcept { sink_ = sink; }
    /// Replaces the limits; they apply to the bytes fed from now on.
    void set_limits(parser_limits l) noexcept { limits_ = l; }

    /**
     * \brief Consumes bytes of the message.
     * \returns how many bytes were consumed: all of them, or fewer when the message ended (or the
     * header did, with pause_after_header) inside `data`.
     * \par Errors
     * errc::protocol_error (message from llhttp), errc::header_too_large, errc::body_too_large,
     * or whatever the body sink returned.
     */
    result<std::size_t> feed(std::string_view data) {
        if (done_) return std::size_t{0};
        if (data.empty()) return std::size_t{0};
        bytes_seen_ += data.size();
        llhttp_errno_t err = llhttp_execute(&p_, data.data(), data.size());
        switch (err) {
            case HPE_OK:
                return data.size();
            case HPE_PAUSED: {
                const char* pos = llhttp_get_error_pos(&p_);
                auto n = static_cast<std::size_t>(pos - data.data());
                llhttp_resume(&p_);
                // Paused after the header: a message without a body is complete already, but
                // llhttp only says so on its next run. Its steps to get there need no input.
                if (!done_ && header_done_) {
                    llhttp_errno_t again = llhttp_execute(&p_, pos, 0);
                    if (again == HPE_PAUSED)
                        llhttp_resume(&p_);
                    else if (again != HPE_OK)
                        return failure(again);
                }
                return n;
            }
            case HPE_PAUSED_UPGRADE: {
                auto n = static_cast<std::size_t>(llhttp_get_error_pos(&p_) - data.data());
                upgrade_ = true;
                if (!done_) finish_message();
                return n;
            }
            default:
                return failure(err);
        }
    }

    /**
     * \brief Tells the parser the peer closed the connection.
     * \details Completes a response delimited by the end of the connection; anything else
     * incomplete is errc::connection_closed.
     */
    result<void> feed_eof() {
        if (done_) return {};
        if (header_done_ && llhttp_message_needs_eof(&p_)) {
            llhttp_errno_t err = llhttp_finish(&p_);
            if ((err == HPE_OK || err == HPE_PAUSED) && done_) return {};
            if (failure_) return *failure_;
        }
        if (bytes_seen_ == 0)
            return daytona::error(make_error_code(errc::connection_closed),
                                  "connection closed before any response byte");
        return daytona::error(make_error_code(errc::connection_closed),
                              header_done_ ? "connection closed in the middle of the body"
                                           : "connection closed in the middle of the header");
    }

    /// True once the start line and the header fields are complete.
    bool header_done() const noexcept { return header_done_; }
    /// True once the whole message (body and trailers included) is complete.
    bool done() const noexcept { return done_; }
    /// The message switched protocols (101 response, or an Upgrade request).
    bool upgrade() const noexcept { return upgrade_; }
    /// Bytes fed since reset(); 0 means the peer has not answered at all.
    std::uint64_t bytes_seen() const noexcept { return bytes_seen_; }
    /// Content-Length of the message, when it has one.
    std::optional<std::uint64_t> content_length() const noexcept { return content_length_; }
    /// True when the body uses chunked transfer encoding (known once header_done()).
    bool chunked() const noexcept { return header_done_ && (p_.flags & F_CHUNKED); }

    /// The message parsed so far; complete once done().
    message_type& get() noexcept { return msg_; }
    /// Moves the message out; call reset() before the next one.
    message_type release() noexcept { return std::move(msg_); }

private:
    static basic_parser& self(llhttp_t* p) noexcept { return *static_cast<basic_parser*>(p->data); }

    static const llhttp_settings_t& settings() noexcept {
        static const llhttp_settings_t s = [] {
            llhttp_settings_t st;
            llhttp_settings_init(&st);
            if constexpr (IsRequest)
                st.on_url = &on_url;
            else
                st.on_status = &on_status;
            st.on_header_field = &on_header_field;
            st.on_header_field_complete = &on_header_field_complete;
            st.on_header_value = &on_header_value;
            st.on_header_value_complete = &on_header_value_complete;
            st.on_headers_complete = &on_headers_complete;
            st.on_body = &on_body;
            st.on_message_complete = &on_message_complete;
            return st;
        }();
        return s;
    }

    bool count_header(std::size_t n) noexcept {
        header_bytes_ += n;
        if (header_bytes_ <= limits_.max_header_bytes) return true;
        failure_ = daytona::error(
            make_error_code(errc::header_too_large),
            "message head exceeds " + std::to_string(limits_.max_header_bytes) + " bytes");
        return false;
    }

    static int on_url(llhttp_t* p, const char* at, std::size_t n) {
        auto& s = self(p);
        if (!s.count_header(n)) return -1;
        if constexpr (IsRequest) s.msg_.target.append(at, n);
        return 0;
    }
    static int on_status(llhttp_t* p, const char* at, std::size_t n) {
        auto& s = self(p);
        if (!s.count_header(n)) return -1;
        if constexpr (!IsRequest) s.msg_.reason.append(at, n);
        return 0;
    }
    http::fields& current_fields() noexcept { return header_done_ ? msg_.trailers : msg_.headers; }
    static int on_header_field(llhttp_t* p, const char* at, std::size_t n) {
        auto& s = self(p);
        if (!s.count_header(n + (s.in_field_ ? 0 : 4))) return -1;
        if (!s.in_field_) {
            s.current_fields().begin_field();
            s.in_field_ = true;
        }
        s.current_fields().append_name({at, n});
        return 0;
    }
    static int on_header_field_complete(llhttp_t* p) {
        self(p).in_field_ = false;
        return 0;
    }
    static int on_header_value(llhttp_t* p, const char* at, std::size_t n) {
        auto& s = self(p);
        if (!s.count_header(n)) return -1;
        s.current_fields().append_value({at, n});
        return 0;
    }
    static int on_header_value_complete(llhttp_t* p) {
        self(p).current_fields().trim_last_value();
        return 0;
    }
    static int on_headers_complete(llhttp_t* p) {
        auto& s = self(p);
        s.header_done_ = true;
        if (p->flags & F_CONTENT_LENGTH) s.content_length_ = p->content_length;
        s.msg_.version = p->http_major * 10u + p->http_minor;
        if constexpr (IsRequest) {
            s.msg_.method = llhttp_method_name(static_cast<llhttp_method_t>(p->method));
            s.msg_.upgrade = p->upgrade != 0;
        } else {
            s.msg_.status = p->status_code;
        }
        if (s.skip_body_) return 1;
        // A declared body too large to buffer is refused from the header alone, unless the
        // caller may still choose a sink (pause_after_header).
        if (s.content_length_ && s.sink_ == nullptr && !s.pause_after_header_ &&
            *s.content_length_ > s.limits_.max_body_bytes) {
            s.failure_ = too_large(s.limits_.max_body_bytes);
            return -1;
        }
        if (s.pause_after_header_) return HPE_PAUSED;
        return 0;
    }
    static daytona::error too_large(std::size_t limit) {
        return daytona::error(make_error_code(errc::body_too_large),
                              "body exceeds " + std::to_string(limit) + " bytes");
    }
    static int on_body(llhttp_t* p, const char* at, std::size_t n) {
        auto& s = self(p);
        s.body_bytes_ += n;
        if (s.sink_ != nullptr) {
            if (auto r = s.sink_->write({at, n}); !r) {
                s.failure_ = std::move(r).error();
                return -1;
            }
            return 0;
        }
        if (s.body_bytes_ > s.limits_.max_body_bytes) {
            s.failure_ = too_large(s.limits_.max_body_bytes);
            return -1;
        }
        if (s.msg_.body.empty() && s.content_length_) {
            // One allocation for the whole body, with room for simdjson's padding after it.
            s.msg_.body.reserve(static_cast<std::size_t>(*s.content_length_) + body_padding);
        }
        s.msg_.body.append(at, n);
        return 0;
    }
    static int on_message_complete(llhttp_t* p) {
        auto& s = self(p);
        s.finish_message();
        if (s.failure_) return -1;
        // Stop exactly at the message boundary; the next message belongs to the next reset().
        return HPE_PAUSED;
    }
    void finish_message() {
        done_ = true;
        upgrade_ = upgrade_ || p_.upgrade != 0;
        msg_.keep_alive = llhttp_should_keep_alive(&p_) != 0 && !upgrade_;
        if (sink_ != nullptr)
            if (auto r = sink_->finish(); !r) failure_ = std::move(r).error();
    }

    daytona::error failure(llhttp_errno_t err) {
        if (failure_) return *failure_;
        std::string msg = IsRequest ? "malformed HTTP request: " : "malformed HTTP response: ";
        msg += llhttp_errno_name(err);
        if (const char* reason = llhttp_get_error_reason(&p_); reason != nullptr && *reason) {
            msg += " (";
            msg += reason;
            msg += ')';
        }
        return daytona::error(make_error_code(errc::protocol_error), std::move(msg));
    }

    llhttp_t p_{};
    parser_limits limits_;
    message_type msg_;
    body_sink* sink_ = nullptr;
    std::optional<daytona::error> failure_;
    std::optional<std::uint64_t> content_length_;
    std::uint64_t header_bytes_ = 0, body_bytes_ = 0, bytes_seen_ = 0;
    bool skip_body_ = false, pause_after_header_ = false;
    bool header_done_ = false, done_ = false, upgrade_ = false, in_field_ = false;
};

using response_parser = basic_parser<false>;
using request_parser = basic_parser<true>;

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_PARSER_HPP
