// SPDX-License-Identifier: Apache-2.0
// claude::run_result and parse_result(): the `result` event the CLI prints in print mode, read
// from json output (one object) or stream-json output (its last `result` line).
#ifndef DAYTONA_CLAUDE_RESULT_HPP
#define DAYTONA_CLAUDE_RESULT_HPP

#include "daytona/config.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/error.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/result.hpp"

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace claude {

/// `usage.server_tool_use`: server-side tool calls made by the model.
struct server_tool_use_info {
    /// Web searches the API ran for the model.
    std::int64_t web_search_requests = 0;
    /// Web pages the API fetched for the model.
    std::int64_t web_fetch_requests = 0;
};

/// `usage`: tokens of the whole run (result event) or of one message (assistant event).
struct usage_info {
    /// Input tokens not read from or written to the prompt cache.
    std::int64_t input_tokens = 0;
    /// Tokens the model generated.
    std::int64_t output_tokens = 0;
    /// Input tokens written to the prompt cache.
    std::int64_t cache_creation_input_tokens = 0;
    /// Input tokens read from the prompt cache.
    std::int64_t cache_read_input_tokens = 0;
    /// `server_tool_use`: tool calls the API ran itself.
    server_tool_use_info server_tool_use{};
    /// "standard", "priority", ...; empty when not sent.
    std::string service_tier{};
};

/// One entry of `modelUsage` (the CLI's camelCase names in comments).
struct model_usage_info {
    std::int64_t input_tokens = 0;                 ///< inputTokens
    std::int64_t output_tokens = 0;                ///< outputTokens
    std::int64_t cache_read_input_tokens = 0;      ///< cacheReadInputTokens
    std::int64_t cache_creation_input_tokens = 0;  ///< cacheCreationInputTokens
    std::int64_t web_search_requests = 0;          ///< webSearchRequests
    double cost_usd = 0;                           ///< costUSD
    std::int64_t context_window = 0;               ///< contextWindow
    std::int64_t max_output_tokens = 0;            ///< maxOutputTokens
};

/// One entry of `permission_denials`: a tool call the permission rules refused.
struct permission_denial {
    /// The refused tool ("Bash", "Write", ...).
    std::string tool_name{};
    /// Id of the refused tool call (tool_use_block::id).
    std::string tool_use_id{};
    /// The tool's input as JSON text, as the CLI printed it (e.g. `{"command":"rm -rf /"}`).
    std::string tool_input{};
};

/**
 * \brief The `result` event: how a print-mode run ended, what it answered and what it cost.
 * \details Field names are the CLI's (`modelUsage` becomes `model_usage`). Fields the CLI left
 * out or sent as null keep their defaults; fields this struct does not know are in `raw_json`.
 *
 * A run can end badly in two ways, and both are data here, not errors of parse_result():
 * - `is_error` is true with subtype "success": how the CLI reports that the API call failed
 *   (no network, bad key, overload). `result` then holds the CLI's message, e.g. "API Error:
 *   Unable to connect to API (FailedToOpenSocket)". is_api_error() tells this case.
 * - subtype "error_max_turns" or "error_during_execution": the agent loop stopped early.
 *
 * failed() covers both; failure_message() is a line for a log.
 */
struct run_result {
    /// "success", "error_max_turns", "error_during_execution", ...
    std::string subtype{};
    /// True when the run failed, including API failures reported with subtype "success".
    bool is_error = false;
    /// HTTP status of the failed API call, when the CLI knows it (null in most failures).
    std::optional<int> api_error_status{};
    /// Wall time of the run, in milliseconds.
    std::int64_t duration_ms = 0;
    /// Time spent waiting for the API, in milliseconds.
    std::int64_t duration_api_ms = 0;
    /// Agentic turns taken.
    int num_turns = 0;
    /// The answer (or the CLI's error message when is_error). Empty for error subtypes.
    std::string result{};
    /// Why the last message stopped: "end_turn", "stop_sequence", "max_tokens", ...
    std::string stop_reason{};
    /// The conversation's id: pass it to options::resume to continue this conversation.
    std::string session_id{};
    /// Cost of the run in US dollars, as the CLI computes it.
    double total_cost_usd = 0;
    /// Tokens of the whole run.
    usage_info usage{};
    /// `modelUsage`: tokens and cost per model.
    std::map<std::string, model_usage_info> model_usage{};
    /// Tool calls the permission rules refused.
    std::vector<permission_denial> permission_denials{};
    /// Error messages of error subtypes (strings; any other element as JSON text).
    std::vector<std::string> errors{};
    /// `structured_output` as JSON text when the run had `--json-schema`; empty otherwise.
    std::string structured_output{};
    /// "completed", ...
    std::string terminal_reason{};
    /// Id of this event.
    std::string uuid{};
    /// The result event's JSON text as printed, for fields this struct does not model.
    std::string raw_json{};

    /// True when the run did not produce an answer: `is_error`, or a subtype other than
    /// "success".
    bool failed() const noexcept { return is_error || (!subtype.empty() && subtype != "success"); }

    /// True when the CLI reported a failed API call: `is_error` with subtype "success" (or no
    /// subtype). `result` then holds the CLI's message ("API Error: ...").
    bool is_api_error() const noexcept {
        return is_error && (subtype.empty() || subtype == "success");
    }

    /// One line saying why the run failed, for logs; empty when !failed(). The text includes
    /// the CLI's own message, which is untrusted.
    DAYTONA_DECL std::string failure_message() const;
};

// --- decoding -------------------------------------------------------------------------------

namespace detail {

DAYTONA_DECL bool take_null(json::value& v);

// Counts and durations: JSON integers, or numbers with a fraction (the CLI is JavaScript, where
// every number is a double), truncated. Null keeps the default. Out of range is a schema error.
DAYTONA_DECL void decode_lenient(json::value& v, std::int64_t& out, json::decoder& d);

DAYTONA_DECL void decode_lenient(json::value& v, int& out, json::decoder& d);

DAYTONA_DECL void decode_lenient(json::value& v, std::optional<int>& out, json::decoder& d);

DAYTONA_DECL void decode_lenient(json::value& v, double& out, json::decoder& d);

DAYTONA_DECL void decode_lenient(json::value& v, bool& out, json::decoder& d);

// Strings: null reads as empty (json::decode_value does that).
DAYTONA_DECL void decode_lenient(json::value& v, std::string& out, json::decoder& d);

/// Decodes member `key` with the path extended.
template <class T>
void member(json::decoder& d, std::string_view key, json::value& v, T& out) {
    d.push(key);
    decode_lenient(v, out, d);
    d.pop();
}

/// Any JSON value as its text (objects and arrays whole); null becomes empty.
DAYTONA_DECL void decode_raw(json::value& v, std::string& out, json::decoder& d);

template <class T>
void raw_member(json::decoder& d, std::string_view key, json::value& v, T& out) {
    d.push(key);
    decode_raw(v, out, d);
    d.pop();
}

/// Strings as they are; any other element as its JSON text.
DAYTONA_DECL void decode_texts(json::value& v, std::vector<std::string>& out, json::decoder& d);

}  // namespace detail

DAYTONA_DECL void decode_value(json::value& v, server_tool_use_info& out, json::decoder& d);

DAYTONA_DECL void decode_value(json::value& v, usage_info& out, json::decoder& d);

DAYTONA_DECL void decode_value(json::value& v, model_usage_info& out, json::decoder& d);

DAYTONA_DECL void decode_value(json::value& v, std::map<std::string, model_usage_info>& out,
                               json::decoder& d);

DAYTONA_DECL void decode_value(json::value& v, permission_denial& out, json::decoder& d);

/// Decodes the members of a `result` event (its `type` is not checked here).
DAYTONA_DECL void decode_value(json::value& v, run_result& out, json::decoder& d);

namespace detail {

inline constexpr std::string_view parse_result_op = "claude::parse_result";

/// `e` with an operation and an excerpt of the input added.
DAYTONA_DECL daytona::error annotate(const daytona::error& e, std::string_view operation,
                                     std::string_view input);

DAYTONA_DECL daytona::error make_error(errc code, std::string message, std::string_view operation,
                                       std::string_view input);

DAYTONA_DECL std::string_view trim_line(std::string_view s) noexcept;

/**
 * One JSON document (a line of CLI output, copied into a padded buffer) with its "type" member
 * read. It uses the thread's simdjson parser, so only one may be alive per thread at a time.
 */
class typed_document {
public:
    /// Parses `text`. On failure, error() says why (malformed JSON, not an object, no type).
    DAYTONA_DECL typed_document(std::string_view text, std::string_view root);

    typed_document(const typed_document&) = delete;
    typed_document& operator=(const typed_document&) = delete;

    bool ok() const noexcept { return !error_.has_value(); }
    const daytona::error& error() const noexcept { return *error_; }
    const std::string& type() const noexcept { return type_; }

    /// Decodes the whole document into `out` (precondition: ok()). Checks that nothing follows.
    template <class T>
    std::optional<daytona::error> decode(T& out) {
        json::value root;
        if (auto e = doc_.get_value().get(root)) return parse_error(e);
        json::decoder d(root_);
        decode_value(root, out, d);
        if (!d.ok()) return d.error();
        return check_end();
    }

    /// Checks the whole document (precondition: ok()): every member and element down to
    /// max_depth levels (deeper is a json_parse_error), and nothing after the object. Members
    /// named in `wanted` that are strings are copied out on the way (left as they were when
    /// absent or not a string; with duplicate keys the last wins).
    DAYTONA_DECL std::optional<daytona::error> validate(
        std::initializer_list<std::pair<std::string_view, std::string*>> wanted = {});

private:
    /// Nesting deeper than this is refused (the walk recurses once per level).
    static constexpr int max_depth = 256;

    /// Reads `v` whole, so that simdjson checks its grammar (skipping a value checks only
    /// its brackets). `depth` is v's nesting level.
    static DAYTONA_DECL simdjson::error_code walk(json::value& v, int depth);

    DAYTONA_DECL daytona::error parse_error(simdjson::error_code e) const;
    void fail_parse(simdjson::error_code e) { error_ = parse_error(e); }
    DAYTONA_DECL void fail_schema(std::string problem);
    DAYTONA_DECL std::optional<daytona::error> validate_other(json::ondemand::json_type t);
    DAYTONA_DECL std::optional<daytona::error> check_end();

    std::string_view root_;
    std::string buffer_;
    json::ondemand::document doc_;
    std::string type_;
    std::optional<daytona::error> error_;
};

/// What one line of output turned out to be, for parse_result.
struct line_reading {
    /// Set when the line is a well-formed result event.
    std::optional<run_result> result{};
    /// Set when the line is not a usable result event: why.
    std::optional<daytona::error> problem{};
    /// True when the problem is fatal for the search (a result event with a bad shape).
    bool bad_result = false;
};

DAYTONA_DECL line_reading read_result_line(std::string_view line);

}  // namespace detail

/**
 * \brief Reads the `result` event from what `claude -p` printed on stdout.
 * \details Accepts `--output-format json` output (one object) and `--output-format stream-json`
 * output (one event per line; the last `result` line is taken). Lines that are not JSON, such
 * as warnings the toolbox merged from stderr, are skipped wherever they are; CRLF and blank
 * lines are fine; a document pretty-printed over several lines is read as a whole. Unknown
 * fields are ignored and missing or null ones keep their defaults.
 *
 * A result with `is_error` (an API failure) or an error subtype is returned as a value: check
 * run_result::failed().
 * \par Errors
 * - errc::json_parse_error: empty output, no JSON at all, or the last JSON-looking line is
 *   malformed or truncated;
 * - errc::json_schema_mismatch: the output ends with JSON that is not a result event (e.g. a
 *   stream-json run killed before it finished), or the result event has a field of the wrong
 *   type or out of range (the message names the field, e.g. "result event.num_turns").
 *
 * Every error carries the operation "claude::parse_result" and, in `body_excerpt`, the start of
 * `text` (at most 512 bytes, control characters replaced). The full text stays the caller's:
 * a caller that wants the answer anyway (e.g. `--output-format text` output) can use it as is.
 */
[[nodiscard]] DAYTONA_DECL result<run_result> parse_result(std::string_view text);

}  // namespace claude
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/claude/impl/result.ipp"
#endif

#endif  // DAYTONA_CLAUDE_RESULT_HPP
