// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of claude/result.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CLAUDE_IMPL_RESULT_IPP
#define DAYTONA_CLAUDE_IMPL_RESULT_IPP

#include "daytona/claude/result.hpp"

#include <cmath>

DAYTONA_BEGIN_NAMESPACE
namespace claude {

std::string run_result::failure_message() const {
    if (!failed()) return {};
    std::string m;
    if (is_api_error()) {
        m = "Claude Code reported an API failure";
        if (api_error_status) m += " (HTTP " + std::to_string(*api_error_status) + ")";
    } else if (subtype == "error_max_turns") {
        m = "Claude Code stopped at the turn limit after " + std::to_string(num_turns) + " turns";
    } else if (subtype == "error_during_execution") {
        m = "Claude Code failed during execution";
    } else {
        m = "Claude Code reported an error (subtype '" + subtype + "')";
    }
    std::string detail = result;
    for (const auto& e : errors) {
        if (!detail.empty()) detail += "; ";
        detail += e;
    }
    if (!detail.empty()) {
        m += ": ";
        m += daytona::detail::printable_excerpt(detail, 1024);
    }
    return m;
}

namespace detail {

bool take_null(json::value& v) {
    bool is_null = false;
    return !v.is_null().get(is_null) && is_null;
}

void decode_lenient(json::value& v, std::int64_t& out, json::decoder& d) {
    if (take_null(v)) return;
    std::int64_t i = 0;
    const auto e = v.get_int64().get(i);
    if (!e) {
        out = i;
        return;
    }
    if (e != simdjson::INCORRECT_TYPE && e != simdjson::NUMBER_OUT_OF_RANGE) {
        d.fail(e, "integer", &v);
        return;
    }
    double x = 0;
    if (auto e2 = v.get_double().get(x)) {
        d.fail(e2, "integer", &v);
        return;
    }
    // 2^63 as a double; anything at or beyond it does not fit.
    if (!std::isfinite(x) || x >= 9223372036854775808.0 || x < -9223372036854775808.0) {
        d.fail("integer out of range");
        return;
    }
    out = static_cast<std::int64_t>(x);
}

void decode_lenient(json::value& v, int& out, json::decoder& d) {
    std::int64_t x = out;
    decode_lenient(v, x, d);
    if (!d.ok()) return;
    if (x < INT32_MIN || x > INT32_MAX) {
        d.fail("integer out of range");
        return;
    }
    out = static_cast<int>(x);
}

void decode_lenient(json::value& v, std::optional<int>& out, json::decoder& d) {
    if (take_null(v)) {
        out.reset();
        return;
    }
    int x = 0;
    decode_lenient(v, x, d);
    if (d.ok()) out = x;
}

void decode_lenient(json::value& v, double& out, json::decoder& d) {
    if (take_null(v)) return;
    if (auto e = v.get_double().get(out)) d.fail(e, "number", &v);
}

void decode_lenient(json::value& v, bool& out, json::decoder& d) {
    if (take_null(v)) return;
    if (auto e = v.get_bool().get(out)) d.fail(e, "boolean", &v);
}

void decode_lenient(json::value& v, std::string& out, json::decoder& d) {
    json::decode_value(v, out, d);
}

void decode_raw(json::value& v, std::string& out, json::decoder& d) {
    json::ondemand::json_type t;
    if (auto e = v.type().get(t)) {
        d.fail(e, "value");
        return;
    }
    std::string_view raw;
    simdjson::error_code e = simdjson::SUCCESS;
    switch (t) {
        case json::ondemand::json_type::object: {
            json::ondemand::object o;
            e = v.get_object().get(o);
            if (!e) e = o.raw_json().get(raw);
            break;
        }
        case json::ondemand::json_type::array: {
            json::ondemand::array a;
            e = v.get_array().get(a);
            if (!e) e = a.raw_json().get(raw);
            break;
        }
        case json::ondemand::json_type::null:
            out.clear();
            return;
        default:
            raw = v.raw_json_token();
    }
    if (e) {
        d.fail(e, "value");
        return;
    }
    while (!raw.empty() &&
           (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
        raw.remove_suffix(1);
    out.assign(raw);
}

void decode_texts(json::value& v, std::vector<std::string>& out, json::decoder& d) {
    out.clear();
    d.each_element(v, [&](json::value& elem) {
        out.emplace_back();
        std::string_view s;
        if (!elem.get_string().get(s)) {
            out.back().assign(s);
            return;
        }
        decode_raw(elem, out.back(), d);
    });
}

}  // namespace detail

void decode_value(json::value& v, server_tool_use_info& out, json::decoder& d) {
    if (detail::take_null(v)) return;
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "web_search_requests")
            detail::member(d, key, val, out.web_search_requests);
        else if (key == "web_fetch_requests")
            detail::member(d, key, val, out.web_fetch_requests);
    });
}

void decode_value(json::value& v, usage_info& out, json::decoder& d) {
    if (detail::take_null(v)) return;
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "input_tokens")
            detail::member(d, key, val, out.input_tokens);
        else if (key == "output_tokens")
            detail::member(d, key, val, out.output_tokens);
        else if (key == "cache_creation_input_tokens")
            detail::member(d, key, val, out.cache_creation_input_tokens);
        else if (key == "cache_read_input_tokens")
            detail::member(d, key, val, out.cache_read_input_tokens);
        else if (key == "server_tool_use")
            d.field(key, val, out.server_tool_use);
        else if (key == "service_tier")
            detail::member(d, key, val, out.service_tier);
    });
}

void decode_value(json::value& v, model_usage_info& out, json::decoder& d) {
    if (detail::take_null(v)) return;
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "inputTokens")
            detail::member(d, key, val, out.input_tokens);
        else if (key == "outputTokens")
            detail::member(d, key, val, out.output_tokens);
        else if (key == "cacheReadInputTokens")
            detail::member(d, key, val, out.cache_read_input_tokens);
        else if (key == "cacheCreationInputTokens")
            detail::member(d, key, val, out.cache_creation_input_tokens);
        else if (key == "webSearchRequests")
            detail::member(d, key, val, out.web_search_requests);
        else if (key == "costUSD")
            detail::member(d, key, val, out.cost_usd);
        else if (key == "contextWindow")
            detail::member(d, key, val, out.context_window);
        else if (key == "maxOutputTokens")
            detail::member(d, key, val, out.max_output_tokens);
    });
}

void decode_value(json::value& v, std::map<std::string, model_usage_info>& out, json::decoder& d) {
    out.clear();
    if (detail::take_null(v)) return;
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        d.field(key, val, out[std::string(key)]);
    });
}

void decode_value(json::value& v, permission_denial& out, json::decoder& d) {
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "tool_name")
            detail::member(d, key, val, out.tool_name);
        else if (key == "tool_use_id")
            detail::member(d, key, val, out.tool_use_id);
        else if (key == "tool_input")
            detail::raw_member(d, key, val, out.tool_input);
    });
}

void decode_value(json::value& v, run_result& out, json::decoder& d) {
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        using detail::member;
        if (key == "subtype")
            member(d, key, val, out.subtype);
        else if (key == "is_error")
            member(d, key, val, out.is_error);
        else if (key == "api_error_status")
            member(d, key, val, out.api_error_status);
        else if (key == "duration_ms")
            member(d, key, val, out.duration_ms);
        else if (key == "duration_api_ms")
            member(d, key, val, out.duration_api_ms);
        else if (key == "num_turns")
            member(d, key, val, out.num_turns);
        else if (key == "result")
            member(d, key, val, out.result);
        else if (key == "stop_reason")
            member(d, key, val, out.stop_reason);
        else if (key == "session_id")
            member(d, key, val, out.session_id);
        else if (key == "total_cost_usd")
            member(d, key, val, out.total_cost_usd);
        else if (key == "usage")
            d.field(key, val, out.usage);
        else if (key == "modelUsage")
            d.field(key, val, out.model_usage);
        else if (key == "permission_denials")
            d.field(key, val, out.permission_denials);
        else if (key == "errors") {
            d.push(key);
            detail::decode_texts(val, out.errors, d);
            d.pop();
        } else if (key == "structured_output")
            detail::raw_member(d, key, val, out.structured_output);
        else if (key == "terminal_reason")
            member(d, key, val, out.terminal_reason);
        else if (key == "uuid")
            member(d, key, val, out.uuid);
    });
}

namespace detail {

daytona::error annotate(const daytona::error& e, std::string_view operation,
                        std::string_view input) {
    error_info info = e.info();
    if (info.operation.empty()) info.operation = std::string(operation);
    if (info.body_excerpt.empty()) info.body_excerpt = daytona::detail::printable_excerpt(input);
    return daytona::error(e.code(), std::move(info));
}

daytona::error make_error(errc code, std::string message, std::string_view operation,
                          std::string_view input) {
    return daytona::error(make_error_code(code),
                          error_info{.message = std::move(message),
                                     .operation = std::string(operation),
                                     .body_excerpt = daytona::detail::printable_excerpt(input)});
}

std::string_view trim_line(std::string_view s) noexcept {
    const auto space = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

typed_document::typed_document(std::string_view text, std::string_view root) : root_(root) {
    buffer_.reserve(text.size() + json::padding);
    buffer_.assign(text);
    auto& parser = json::thread_parser();
    if (auto e = parser.iterate(buffer_.data(), buffer_.size(), buffer_.capacity()).get(doc_)) {
        fail_parse(e);
        return;
    }
    json::ondemand::json_type t;
    if (auto e = doc_.type().get(t)) {
        fail_parse(e);
        return;
    }
    if (t != json::ondemand::json_type::object) {
        // type() only looks at the first byte ("npm warn" looks like null): check that the
        // document really is JSON before calling it the wrong kind of JSON.
        if (auto e = validate_other(t)) {
            error_ = std::move(e);
            return;
        }
        fail_schema(std::string("expected object, got ") + std::string(json::type_name(t)));
        return;
    }
    std::string_view type;
    const auto e = doc_.find_field_unordered("type").get_string().get(type);
    if (e == simdjson::NO_SUCH_FIELD) {
        fail_schema("missing required field 'type'");
        return;
    }
    if (e == simdjson::INCORRECT_TYPE) {
        fail_schema("type: expected string");
        return;
    }
    if (e) {
        fail_parse(e);
        return;
    }
    type_.assign(type);
    doc_.rewind();
}

std::optional<daytona::error> typed_document::validate(
    std::initializer_list<std::pair<std::string_view, std::string*>> wanted) {
    json::ondemand::object object;
    if (auto e = doc_.get_object().get(object)) return parse_error(e);
    for (auto member : object) {
        std::string_view key;
        if (auto e = member.unescaped_key().get(key)) return parse_error(e);
        json::value v;
        if (auto e = member.value().get(v)) return parse_error(e);
        bool taken = false;  // a value is read once: a string copied out is checked
        for (const auto& [name, out] : wanted) {
            std::string_view text;
            if (!taken && key == name && !v.get_string().get(text)) {
                out->assign(text);
                taken = true;
            }
        }
        if (!taken)
            if (auto e = walk(v, 1)) return parse_error(e);
    }
    return check_end();
}

simdjson::error_code typed_document::walk(json::value& v, int depth) {
    if (depth > max_depth) return simdjson::DEPTH_ERROR;
    json::ondemand::json_type t;
    if (auto e = v.type().get(t)) return e;
    switch (t) {
        case json::ondemand::json_type::object: {
            json::ondemand::object o;
            if (auto e = v.get_object().get(o)) return e;
            for (auto member : o) {
                std::string_view key;
                if (auto e = member.unescaped_key().get(key)) return e;
                json::value inner;
                if (auto e = member.value().get(inner)) return e;
                if (auto e = walk(inner, depth + 1)) return e;
            }
            return simdjson::SUCCESS;
        }
        case json::ondemand::json_type::array: {
            json::ondemand::array a;
            if (auto e = v.get_array().get(a)) return e;
            for (auto element : a) {
                json::value inner;
                if (auto e = element.get(inner)) return e;
                if (auto e = walk(inner, depth + 1)) return e;
            }
            return simdjson::SUCCESS;
        }
        case json::ondemand::json_type::string: {
            std::string_view text;
            return v.get_string().get(text);
        }
        case json::ondemand::json_type::number: {
            double x = 0;
            return v.get_double().get(x);
        }
        case json::ondemand::json_type::boolean: {
            bool b = false;
            return v.get_bool().get(b);
        }
        case json::ondemand::json_type::null: {
            bool is_null = false;
            if (auto e = v.is_null().get(is_null)) return e;
            return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
        }
    }
    return simdjson::INCORRECT_TYPE;
}

daytona::error typed_document::parse_error(simdjson::error_code e) const {
    return daytona::error(make_error_code(errc::json_parse_error),
                          std::string(root_) + ": " + simdjson::error_message(e));
}

void typed_document::fail_schema(std::string problem) {
    error_ = daytona::error(make_error_code(errc::json_schema_mismatch),
                            std::string(root_) + ": " + problem);
}

std::optional<daytona::error> typed_document::validate_other(json::ondemand::json_type t) {
    simdjson::error_code e = simdjson::SUCCESS;
    switch (t) {
        case json::ondemand::json_type::array: {
            std::string_view raw;
            e = doc_.raw_json().get(raw);
            break;
        }
        case json::ondemand::json_type::null: {
            bool is_null = false;
            e = doc_.is_null().get(is_null);
            if (!e && !is_null) e = simdjson::N_ATOM_ERROR;
            break;
        }
        case json::ondemand::json_type::boolean: {
            bool b = false;
            e = doc_.get_bool().get(b);
            break;
        }
        case json::ondemand::json_type::number: {
            double x = 0;
            e = doc_.get_double().get(x);
            break;
        }
        case json::ondemand::json_type::string: {
            std::string_view sv;
            e = doc_.get_string().get(sv);
            break;
        }
        case json::ondemand::json_type::object:
            break;
    }
    if (e) return parse_error(e);
    return check_end();
}

std::optional<daytona::error> typed_document::check_end() {
    // simdjson 3.0.1 has no at_end(): a location inside the input means trailing content.
    const char* trailing = nullptr;
    if (!doc_.current_location().get(trailing))
        return daytona::error(make_error_code(errc::json_parse_error),
                              std::string(root_) + ": trailing content after the object");
    return std::nullopt;
}

line_reading read_result_line(std::string_view line) {
    line_reading r;
    constexpr std::string_view root = "result event";
    typed_document doc(line, root);
    const auto not_a_result = [&](const daytona::error& e) {
        std::string_view why = e.message();
        if (why.substr(0, root.size() + 2) == std::string(root) + ": ")
            why.remove_prefix(root.size() + 2);
        const bool malformed = e == errc::json_parse_error;
        return daytona::error(e.code(),
                              std::string("no result event: the last line of output is ") +
                                  (malformed ? "not valid JSON" : "not an event") + " (" +
                                  std::string(why) + ")");
    };
    if (!doc.ok()) {
        r.problem = not_a_result(doc.error());
        return r;
    }
    if (doc.type() != "result") {
        if (auto e = doc.validate())
            r.problem = not_a_result(*e);
        else
            r.problem = daytona::error(make_error_code(errc::json_schema_mismatch),
                                       "no result event: the output ends with an event of type '" +
                                           daytona::detail::printable_excerpt(doc.type(), 64) +
                                           "' (the run may have been cut short)");
        return r;
    }
    run_result out;
    if (auto e = doc.decode(out)) {
        r.problem = *e;
        r.bad_result = true;
        return r;
    }
    out.raw_json.assign(line);
    r.result = std::move(out);
    return r;
}

}  // namespace detail

result<run_result> parse_result(std::string_view text) {
    const auto trimmed = detail::trim_line(text);
    if (trimmed.empty())
        return detail::make_error(errc::json_parse_error, "the CLI printed nothing",
                                  detail::parse_result_op, text);
    std::optional<daytona::error> last_problem;
    // From the last line backwards: the result event ends a run, so it is found first.
    std::size_t end = text.size();
    while (end > 0) {
        const auto nl = text.rfind('\n', end - 1);
        const std::size_t begin = nl == std::string_view::npos ? 0 : nl + 1;
        const auto line = detail::trim_line(text.substr(begin, end - begin));
        end = nl == std::string_view::npos ? 0 : nl;
        if (line.empty()) continue;
        auto r = detail::read_result_line(line);
        if (r.result) return std::move(*r.result);
        if (r.bad_result) return detail::annotate(*r.problem, detail::parse_result_op, text);
        if (!last_problem) last_problem = std::move(r.problem);
    }
    // A single document over several lines (pretty-printed).
    if (trimmed.front() == '{' && trimmed.find('\n') != std::string_view::npos) {
        auto r = detail::read_result_line(trimmed);
        if (r.result) return std::move(*r.result);
        if (r.bad_result) return detail::annotate(*r.problem, detail::parse_result_op, text);
    }
    return detail::annotate(*last_problem, detail::parse_result_op, text);
}

}  // namespace claude
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CLAUDE_IMPL_RESULT_IPP
