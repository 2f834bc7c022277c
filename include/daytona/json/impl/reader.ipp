// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of json/reader.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_JSON_IMPL_READER_IPP
#define DAYTONA_JSON_IMPL_READER_IPP

#include "daytona/json/reader.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace json {

std::string_view type_name(ondemand::json_type t) noexcept {
    switch (t) {
        case ondemand::json_type::array:
            return "array";
        case ondemand::json_type::object:
            return "object";
        case ondemand::json_type::number:
            return "number";
        case ondemand::json_type::string:
            return "string";
        case ondemand::json_type::boolean:
            return "boolean";
        case ondemand::json_type::null:
            return "null";
    }
    return "unknown";
}

// --- decoder ---

void decoder::fail(std::string_view problem) {
    if (failure_) return;
    failure_ = daytona::error(make_error_code(errc::json_schema_mismatch),
                              path() + ": " + std::string(problem));
}

void decoder::fail(simdjson::error_code e, std::string_view expected, value* v) {
    if (failure_) return;
    if (e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_OUT_OF_RANGE) {
        std::string problem = "expected " + std::string(expected);
        ondemand::json_type t;
        if (v != nullptr && !v->type().get(t)) {
            problem += ", got ";
            problem += type_name(t);
            fail(problem);
            return;
        }
        if (e == simdjson::NUMBER_OUT_OF_RANGE) {
            fail(problem + ", got a number out of range");
            return;
        }
        // No value to speak of: the document ends or breaks off here.
        failure_ = daytona::error(make_error_code(errc::json_parse_error),
                                  path() + ": malformed or truncated JSON");
        return;
    }
    failure_ = daytona::error(make_error_code(errc::json_parse_error),
                              path() + ": " + simdjson::error_message(e));
}

void decoder::missing(std::string_view field) {
    fail("missing required field '" + std::string(field) + "'");
}

std::string decoder::path() const {
    std::string p;
    for (std::size_t i = 0; i < path_.size(); ++i) {
        if (i > 0 && (path_[i].empty() || path_[i].front() != '[')) p += '.';
        p += path_[i];
    }
    return p;
}

// --- decode_value overloads for the scalar and container types models use ---

bool holds_null(value& v) {
    ondemand::json_type t;
    return !v.type().get(t) && t == ondemand::json_type::null;
}

void decode_value(value& v, std::string& out, decoder& d) {
    std::string_view sv;
    if (auto e = v.get_string().get(sv)) {
        if (e == simdjson::INCORRECT_TYPE && holds_null(v)) {
            out.clear();  // null where a string is expected: treat as absent
            return;
        }
        d.fail(e, "string", &v);
        return;
    }
    out.assign(sv);
}

void decode_value(value& v, bool& out, decoder& d) {
    if (auto e = v.get_bool().get(out)) d.fail(e, "boolean", &v);
}

void decode_value(value& v, std::int64_t& out, decoder& d) {
    if (auto e = v.get_int64().get(out)) d.fail(e, "integer", &v);
}

void decode_value(value& v, int& out, decoder& d) {
    std::int64_t x = 0;
    if (auto e = v.get_int64().get(x)) {
        d.fail(e, "integer", &v);
        return;
    }
    if (x < INT32_MIN || x > INT32_MAX) {
        d.fail("integer out of range");
        return;
    }
    out = static_cast<int>(x);
}

void decode_value(value& v, double& out, decoder& d) {
    if (auto e = v.get_double().get(out)) d.fail(e, "number", &v);
}

void decode_value(value& v, std::map<std::string, std::string>& out, decoder& d) {
    out.clear();
    d.each_field(v, "object", [&](std::string_view key, value& val) {
        std::string s;
        d.push(key);
        decode_value(val, s, d);
        d.pop();
        out.emplace(std::string(key), std::move(s));
    });
}

ondemand::parser& thread_parser() {
    thread_local ondemand::parser parser;
    return parser;
}

}  // namespace json
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_JSON_IMPL_READER_IPP
