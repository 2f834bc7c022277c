// SPDX-License-Identifier: Apache-2.0
// stream-json events (system, assistant, user, result, unknown) and an incremental parser that
// turns chunks of CLI output, split anywhere, into typed events.
#ifndef DAYTONA_CLAUDE_EVENTS_HPP
#define DAYTONA_CLAUDE_EVENTS_HPP

#include "daytona/claude/result.hpp"
#include "daytona/config.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/error.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace claude {

// --- content blocks of assistant and user messages -----------------------------------------

/// `{"type":"text"}`: text the model wrote (assistant) or the prompt (user).
struct text_block {
    /// The text.
    std::string text{};
};

/// `{"type":"thinking"}`: the model's extended thinking.
struct thinking_block {
    /// The thinking text, as the CLI printed it.
    std::string thinking{};
};

/// `{"type":"tool_use"}`: the model calls a tool.
struct tool_use_block {
    /// Id that the matching tool_result_block refers to ("toolu_...").
    std::string id{};
    /// Tool name: "Bash", "Read", "Edit", "mcp__server__tool", ...
    std::string name{};
    /// The tool's input as JSON text, e.g. `{"command":"ls","description":"List files"}`.
    std::string input{};
};

/// `{"type":"tool_result"}` in a user message: what a tool returned.
struct tool_result_block {
    /// The id of the tool_use_block this answers.
    std::string tool_use_id{};
    /// The output: the string the CLI sent, or the text parts of a list joined with "\n"
    /// (images and other parts are left out; the event's raw_json has them).
    std::string content{};
    /// True when the tool failed or was refused.
    bool is_error = false;
};

/// A block of a type this library does not model ("image", "redacted_thinking", ...).
struct unknown_block {
    /// The block's `type`.
    std::string type{};
    /// The block's JSON text as printed.
    std::string raw_json{};
};

/// One element of a message's `content`.
using content_block =
    std::variant<text_block, thinking_block, tool_use_block, tool_result_block, unknown_block>;

// --- events ---------------------------------------------------------------------------------

/// One entry of a system init event's `mcp_servers`.
struct mcp_server_info {
    /// The server's name, as configured.
    std::string name{};
    /// "connected", "failed", "pending", ...
    std::string status{};
};

/**
 * \brief `{"type":"system"}`: the session starts (subtype "init"), an API call is retried
 * (subtype "api_retry"), or another notice (the subtype says which; see raw_json).
 */
struct system_event {
    /// "init", "api_retry", "compact_boundary", ...
    std::string subtype{};
    /// The conversation's id (the same in every event of a run).
    std::string session_id{};
    /// Id of this event.
    std::string uuid{};
    /// init: the working directory of the CLI.
    std::string cwd{};
    /// init: the model the session uses.
    std::string model{};
    /// init: the tools available to the model.
    std::vector<std::string> tools{};
    /// init: configured MCP servers and their state.
    std::vector<mcp_server_info> mcp_servers{};
    /// init: `permissionMode` ("default", "acceptEdits", "bypassPermissions", "plan", ...).
    std::string permission_mode{};
    /// init: `apiKeySource`, where the key came from ("ANTHROPIC_API_KEY", "none", ...).
    std::string api_key_source{};
    /// init: the CLI's version ("2.1.197").
    std::string claude_code_version{};
    /// api_retry: which attempt failed (1-based).
    int attempt = 0;
    /// api_retry: how many retries the CLI makes at most.
    int max_retries = 0;
    /// api_retry: the wait before the next attempt, in milliseconds.
    double retry_delay_ms = 0;
    /// api_retry: the HTTP status of the failed attempt, when there was one.
    std::optional<int> error_status{};
    /// api_retry: the error's kind ("unknown", "rate_limit", ...), or its JSON text when it is
    /// not a string.
    std::string error{};
    /// The event's JSON text as printed.
    std::string raw_json{};
};

/// `{"type":"assistant"}`: a message from the model (text, thinking, tool calls).
struct assistant_event {
    /// `message.id`.
    std::string message_id{};
    /// `message.model` ("<synthetic>" for messages the CLI made up, such as API errors).
    std::string model{};
    /// `message.content`.
    std::vector<content_block> content{};
    /// `message.stop_reason` ("" while the message is open or when null).
    std::string stop_reason{};
    /// `message.usage`.
    usage_info usage{};
    /// Set inside a sub-agent (Task tool): the tool call that started it; empty otherwise.
    std::string parent_tool_use_id{};
    /// The conversation's id (the same in every event of a run).
    std::string session_id{};
    /// Id of this event.
    std::string uuid{};
    /// Set on a message the CLI made for a failed API call ("server_error",
    /// "authentication_failed", ...); empty otherwise.
    std::string error{};
    /// The event's JSON text as printed.
    std::string raw_json{};

    /// The text blocks, concatenated.
    DAYTONA_DECL std::string text() const;
    /// The tool calls of this message, in order.
    DAYTONA_DECL std::vector<const tool_use_block*> tool_uses() const;
};

/// `{"type":"user"}`: tool results going back to the model (or a user message being replayed).
struct user_event {
    /// `message.content`; a string content becomes one text_block.
    std::vector<content_block> content{};
    /// Set inside a sub-agent; empty otherwise.
    std::string parent_tool_use_id{};
    /// The conversation's id (the same in every event of a run).
    std::string session_id{};
    /// Id of this event.
    std::string uuid{};
    /// The event's JSON text as printed.
    std::string raw_json{};

    /// The tool results of this message, in order.
    DAYTONA_DECL std::vector<const tool_result_block*> tool_results() const;
};

/// `{"type":"result"}`: the last event of a run (the same value parse_result() returns).
using result_event = run_result;

/// An event of a type this library does not model ("stream_event", "tool_progress", ...).
struct unknown_event {
    /// The event's `type`.
    std::string type{};
    /// The event's `subtype` when it is a string; empty otherwise.
    std::string subtype{};
    /// The event's `session_id` when it is a string; empty otherwise.
    std::string session_id{};
    /// The event's JSON text as printed.
    std::string raw_json{};
};

/// One line of stream-json output.
using event = std::variant<system_event, assistant_event, user_event, result_event, unknown_event>;

/// The event's `type` as printed: "system", "assistant", "user", "result", or the unknown type.
DAYTONA_DECL std::string_view event_type(const event& e) noexcept;

/// The event's JSON text as printed (every alternative keeps it).
DAYTONA_DECL const std::string& raw_json(const event& e) noexcept;

// --- decoding -------------------------------------------------------------------------------

namespace detail {

/// A string as it is; null as empty; anything else as its JSON text.
DAYTONA_DECL void decode_text_or_raw(json::value& v, std::string& out, json::decoder& d);

/// tool_result `content`: a string, or a list whose text parts are joined with "\n".
DAYTONA_DECL void decode_tool_result_content(json::value& v, std::string& out, json::decoder& d);

/// Visits the members of an ondemand object, with the decoder's path and error handling.
template <class F>
void each_member(json::ondemand::object& obj, json::decoder& d, F&& fn) {
    for (auto field_result : obj) {
        json::ondemand::field f;
        if (auto e = std::move(field_result).get(f)) {
            d.fail(e, "object member");
            return;
        }
        std::string_view key;
        if (auto e = f.unescaped_key().get(key)) {
            d.fail(e, "key");
            return;
        }
        fn(key, f.value());
        if (!d.ok()) return;
    }
}

DAYTONA_DECL void decode_block(json::value& v, std::vector<content_block>& out, json::decoder& d);

/// `content`: a list of blocks, or a string (one text block).
DAYTONA_DECL void decode_blocks(json::value& v, std::vector<content_block>& out, json::decoder& d);

/// The `message` member of assistant and user events.
struct message_fields {
    std::string id{};
    std::string model{};
    std::vector<content_block> content{};
    std::string stop_reason{};
    usage_info usage{};
};

DAYTONA_DECL void decode_value(json::value& v, message_fields& out, json::decoder& d);

}  // namespace detail

DAYTONA_DECL void decode_value(json::value& v, mcp_server_info& out, json::decoder& d);

DAYTONA_DECL void decode_value(json::value& v, system_event& out, json::decoder& d);

DAYTONA_DECL void decode_value(json::value& v, assistant_event& out, json::decoder& d);

DAYTONA_DECL void decode_value(json::value& v, user_event& out, json::decoder& d);

namespace detail {

inline constexpr std::string_view parse_event_op = "claude::parse_event";

template <class T>
result<event> decode_event(typed_document& doc, std::string_view line) {
    T out;
    if (auto e = doc.decode(out)) return annotate(*e, parse_event_op, line);
    out.raw_json.assign(line);
    return event(std::in_place_type<T>, std::move(out));
}

}  // namespace detail

/**
 * \brief Parses one line of `--output-format stream-json` output into a typed event.
 * \details Known types become system_event, assistant_event, user_event or result_event; any
 * other type becomes an unknown_event that keeps the line. Unknown fields are ignored, missing
 * or null ones keep their defaults. Surrounding whitespace (and a CR) is ignored.
 * \par Errors
 * errc::json_parse_error for a blank, malformed or truncated line, or one that is not JSON;
 * errc::json_schema_mismatch for JSON that is not an object with a string `type`, or a known
 * event with a field of the wrong type (the message names it). The operation is
 * "claude::parse_event" and `body_excerpt` holds the start of the line.
 */
[[nodiscard]] DAYTONA_DECL result<event> parse_event(std::string_view line);

// --- incremental parsing --------------------------------------------------------------------

/**
 * \brief Splits a byte stream, fed in chunks of any size, into lines.
 * \details A line ends at "\n"; a "\r" before it is dropped, so CRLF works, also when the two
 * bytes arrive in different chunks. Lines come out in order, blank ones included. After
 * finish(), a last line without a newline comes out too.
 *
 * A line longer than the limit is not buffered without bound: next() reports it once as
 * errc::body_too_large and its bytes are dropped up to the next newline.
 * \par Thread safety
 * Distinct objects: safe. Shared objects: unsafe.
 */
class line_splitter {
public:
    /// Default limit on one line: 64 MiB (a tool result can hold a whole file).
    static constexpr std::size_t default_max_line_bytes = std::size_t{64} << 20;

    /// A splitter whose lines may be at most `max_line_bytes` long (without the newline).
    explicit line_splitter(std::size_t max_line_bytes = default_max_line_bytes)
        : max_(max_line_bytes) {}

    /// Appends a chunk of output.
    DAYTONA_DECL void feed(std::string_view chunk);

    /// Marks the end of the stream: a last line without a newline becomes available.
    void finish() noexcept { finished_ = true; }

    /// The next complete line without its terminator, or an empty optional when none is
    /// complete yet (or, after finish(), when everything was returned).
    /// \par Errors
    /// errc::body_too_large for a line over the limit (reported once, then skipped).
    [[nodiscard]] DAYTONA_DECL result<std::optional<std::string>> next();

    /// True after finish() once every line was returned.
    bool done() const noexcept { return finished_ && pos_ == buf_.size(); }

    /// Bytes buffered and not yet returned.
    std::size_t buffered() const noexcept { return buf_.size() - pos_; }

private:
    void clear() noexcept {
        buf_.clear();
        pos_ = 0;
        scan_ = 0;
    }
    DAYTONA_DECL daytona::error too_long() const;

    std::size_t max_;
    std::string buf_;
    std::size_t pos_ = 0;   // start of the first line not returned
    std::size_t scan_ = 0;  // where to look for the next newline
    bool finished_ = false;
    bool discarding_ = false;
};

/**
 * \brief Turns stream-json output, fed in chunks of any size, into typed events as they arrive.
 * \details Feed each chunk of output (from a session's live logs, say), then call next() until
 * it returns an empty optional; call finish() at the end of the stream so that a last line
 * without a newline is read too. Blank lines are skipped.
 * \code
 * claude::event_parser p;
 * p.feed(chunk);
 * for (;;) {
 *     auto ev = p.next();
 *     if (!ev) { log(ev.error()); continue; }   // a line that is not an event; go on
 *     if (!*ev) break;                          // need more input
 *     if (auto* a = std::get_if<claude::assistant_event>(&**ev)) std::cout << a->text();
 * }
 * \endcode
 * A line that is not an event (warnings the toolbox merged from stderr, say) is an error from
 * next(), with the line in `body_excerpt`; it is consumed, so the next call goes on with the
 * following line.
 * \par Thread safety
 * Distinct objects: safe. Shared objects: unsafe.
 */
class event_parser {
public:
    /// A parser whose lines may be at most `max_line_bytes` long (see line_splitter).
    explicit event_parser(std::size_t max_line_bytes = line_splitter::default_max_line_bytes)
        : lines_(max_line_bytes) {}

    /// Appends a chunk of output.
    void feed(std::string_view chunk) { lines_.feed(chunk); }

    /// Marks the end of the stream.
    void finish() noexcept { lines_.finish(); }

    /// The next event, an empty optional when no complete line is buffered, or an error for a
    /// line that is not an event (see parse_event(); also errc::body_too_large from the
    /// line_splitter).
    [[nodiscard]] DAYTONA_DECL result<std::optional<event>> next();

    /// True after finish() once every line was consumed.
    bool done() const noexcept { return lines_.done(); }

private:
    line_splitter lines_;
};

}  // namespace claude
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/claude/impl/events.ipp"
#endif

#endif  // DAYTONA_CLAUDE_EVENTS_HPP
