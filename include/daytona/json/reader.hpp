// SPDX-License-Identifier: Apache-2.0
// simdjson on-demand glue: padded input, error mapping, and a decoder that names the field that
// was missing or ill-typed ("Sandbox.volumes[1].mountPath: expected string, got number").
#ifndef DAYTONA_JSON_READER_HPP
#define DAYTONA_JSON_READER_HPP

#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/result.hpp"

#include <simdjson.h>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace json {

namespace ondemand = simdjson::ondemand;
using value = ondemand::value;

/// Bytes simdjson may read past the end of a document.
inline constexpr std::size_t padding = simdjson::SIMDJSON_PADDING;

DAYTONA_DECL std::string_view type_name(ondemand::json_type t) noexcept;

/// Where object() puts one named member; make it with json::into().
template <class T>
struct into_ref {
    /// The member's name.
    std::string_view name;
    /// Where its value is decoded to.
    T& target;
    /// Set to true when the member was present (optional).
    bool* seen = nullptr;
};

/// `into("name", out.name)`: decode member "name" into out.name.
template <class T>
into_ref<T> into(std::string_view name, T& target, bool* seen = nullptr) {
    return {name, target, seen};
}

/**
 * \brief Decoding state: the path of the field being decoded and the first failure.
 * \details Decoders stop at the first failure (on-demand iteration cannot continue after a
 * malformed value), so one error is all there is to report.
 */
class decoder {
public:
    /// A decoder whose paths start with `root` (e.g. "sandbox"); `root` must outlive it.
    explicit decoder(std::string_view root) { path_.push_back(root); }

    /// True while no failure was recorded.
    bool ok() const noexcept { return !failure_.has_value(); }

    /// Records a schema problem at the current path (only the first one is kept).
    DAYTONA_DECL void fail(std::string_view problem);
    /// Records a simdjson error at the current path: a type mismatch is a schema problem, anything
    /// else means the document is malformed.
    DAYTONA_DECL void fail(simdjson::error_code e, std::string_view expected, value* v = nullptr);

    /// Reports that a required field was absent.
    DAYTONA_DECL void missing(std::string_view field);

    /// The first failure. Precondition: `!ok()`.
    daytona::error error() const { return *failure_; }

    /// Decodes `v` into `out` with `name` appended to the path.
    template <class T>
    void field(std::string_view name, value& v, T& out);

    /// Decodes each element of an array with "[i]" in the path.
    template <class F>
    void each_element(value& v, F&& fn);

    /// Calls fn(key, value) for each member of an object.
    template <class F>
    void each_field(value& v, std::string_view expected, F&& fn);

    /// Decodes the members of an object named by `members` (json::into(name, target)); members
    /// not named are skipped, members named but absent keep their value.
    template <class... T>
    void object(value& v, std::string_view expected, const into_ref<T>&... members);

    /// The current path, e.g. "sandbox.volumes[0].mountPath".
    DAYTONA_DECL std::string path() const;

    // Path management for decode_value overloads.
    /// Appends `segment` to the path; it must stay valid until pop().
    void push(std::string_view segment) { path_.push_back(segment); }
    /// Removes the last path segment.
    void pop() noexcept { path_.pop_back(); }

private:
    std::vector<std::string_view> path_;
    std::deque<std::string> index_names_;  // storage for "[i]" segments (stable addresses)
    std::optional<daytona::error> failure_;
};

// --- decode_value overloads for the scalar and container types models use ---

/// Whether `v` is JSON null. Asks for the type, which works anywhere, where value::is_null()
/// must not be used on the document's root value (simdjson asserts, in a debug build).
DAYTONA_DECL bool holds_null(value& v);

DAYTONA_DECL void decode_value(value& v, std::string& out, decoder& d);

DAYTONA_DECL void decode_value(value& v, bool& out, decoder& d);

DAYTONA_DECL void decode_value(value& v, std::int64_t& out, decoder& d);

DAYTONA_DECL void decode_value(value& v, int& out, decoder& d);

DAYTONA_DECL void decode_value(value& v, double& out, decoder& d);

template <class T>
void decode_value(value& v, std::optional<T>& out, decoder& d) {
    bool is_null = false;
    if (auto e = v.is_null().get(is_null)) {
        d.fail(e, "value", &v);
        return;
    }
    if (is_null) {
        out.reset();
        return;
    }
    out.emplace();
    decode_value(v, *out, d);
}

template <class T>
void decode_value(value& v, std::vector<T>& out, decoder& d) {
    out.clear();
    d.each_element(v, [&](value& elem) {
        out.emplace_back();
        decode_value(elem, out.back(), d);
    });
}

/// String-to-string maps (labels, env). Non-string values are a schema error.
DAYTONA_DECL void decode_value(value& v, std::map<std::string, std::string>& out, decoder& d);

template <class T>
void decoder::field(std::string_view name, value& v, T& out) {
    push(name);
    decode_value(v, out, *this);
    pop();
}

template <class F>
void decoder::each_element(value& v, F&& fn) {
    ondemand::array arr;
    if (auto e = v.get_array().get(arr)) {
        if (e == simdjson::INCORRECT_TYPE && holds_null(v)) return;
        fail(e, "array", &v);
        return;
    }
    std::size_t i = 0;
    for (auto elem_result : arr) {
        value elem;
        if (auto e = std::move(elem_result).get(elem)) {
            fail(e, "value");
            return;
        }
        index_names_.push_back("[" + std::to_string(i++) + "]");
        push(index_names_.back());
        fn(elem);
        pop();
        index_names_.pop_back();
        if (!ok()) return;
    }
}

template <class F>
void decoder::each_field(value& v, std::string_view expected, F&& fn) {
    ondemand::object obj;
    if (auto e = v.get_object().get(obj)) {
        fail(e, expected, &v);
        return;
    }
    for (auto field_result : obj) {
        ondemand::field f;
        if (auto e = std::move(field_result).get(f)) {
            fail(e, "object member");
            return;
        }
        std::string_view key;
        if (auto e = f.unescaped_key().get(key)) {
            fail(e, "key");
            return;
        }
        fn(key, f.value());
        if (!ok()) return;
    }
}

template <class... T>
void decoder::object(value& v, std::string_view expected, const into_ref<T>&... members) {
    each_field(v, expected, [&](std::string_view key, value& val) {
        const auto one = [&](const auto& m) {
            if (key != m.name) return false;
            field(key, val, m.target);
            if (m.seen != nullptr) *m.seen = true;
            return true;
        };
        (void)(one(members) || ...);
    });
}

/// The parser used by this thread. Decoding is synchronous, so one per thread is enough and
/// keeps its internal buffers warm across calls.
DAYTONA_DECL ondemand::parser& thread_parser();

/**
 * \brief Decodes a whole JSON document into `T` with `decode_value(value&, T&, decoder&)`.
 * \details `text` is grown (not changed) so its capacity has simdjson's padding; reserve it
 * up front (the HTTP parser does) and no copy is made.
 * \par Errors
 * errc::json_parse_error for malformed JSON, errc::json_schema_mismatch for a wrong shape, both
 * with the path of the offending field.
 */
template <class T>
result<T> decode(std::string& text, std::string_view root_name) {
    if (text.capacity() < text.size() + padding) text.reserve(text.size() + padding);
    ondemand::document doc;
    if (auto e = thread_parser().iterate(text.data(), text.size(), text.capacity()).get(doc))
        return daytona::error(make_error_code(errc::json_parse_error),
                              std::string(root_name) + ": " + simdjson::error_message(e));
    value root;
    if (auto e = doc.get_value().get(root)) {
        if (e == simdjson::SCALAR_DOCUMENT_AS_VALUE)
            return daytona::error(
                make_error_code(errc::json_schema_mismatch),
                std::string(root_name) + ": expected object or array, got a scalar");
        return daytona::error(make_error_code(errc::json_parse_error),
                              std::string(root_name) + ": " + simdjson::error_message(e));
    }
    decoder d(root_name);
    T out{};
    decode_value(root, out, d);
    if (!d.ok()) return d.error();
    // simdjson 3.0.1 has no document::at_end(); a location inside the input means trailing
    // content after the root value.
    const char* trailing = nullptr;
    if (!doc.current_location().get(trailing))
        return daytona::error(make_error_code(errc::json_parse_error),
                              std::string(root_name) + ": trailing content after the document");
    return out;
}

/// As above, for a view (copied into a padded buffer first).
template <class T>
result<T> decode(std::string_view text, std::string_view root_name) {
    std::string copy;
    copy.reserve(text.size() + padding);
    copy.assign(text);
    return decode<T>(copy, root_name);
}

}  // namespace json
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/json/impl/reader.ipp"
#endif

#endif  // DAYTONA_JSON_READER_HPP
