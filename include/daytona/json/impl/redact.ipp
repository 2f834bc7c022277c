// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of json/redact.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_JSON_IMPL_REDACT_IPP
#define DAYTONA_JSON_IMPL_REDACT_IPP

#include "daytona/json/redact.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace json {

bool is_secret_name(std::string_view key) noexcept {
    std::string lower;
    lower.reserve(key.size());
    for (char c : key)
        if (c != '_' && c != '-') lower += detail::ascii_lower(c);
    for (std::string_view word : {"password", "passwd", "token", "secret", "apikey", "accesskey",
                                  "privatekey", "authkey", "authorization", "credential"})
        if (lower.find(word) != std::string::npos) return true;
    return false;
}

std::string redact_url_passwords(std::string_view text) {
    std::string out;
    std::size_t from = 0;
    for (auto scheme = text.find("://"); scheme != std::string_view::npos;
         scheme = text.find("://", scheme + 3)) {
        const auto start = scheme + 3;
        const auto end = text.find_first_of("/?#\"' ", start);
        const auto authority =
            text.substr(start, end == std::string_view::npos ? end : end - start);
        const auto at = authority.rfind('@');
        if (at == std::string_view::npos) continue;
        const auto colon = authority.find(':');
        if (colon == std::string_view::npos || colon > at || colon + 1 == at) continue;
        out.append(text.substr(from, start + colon + 1 - from));
        out.append(redacted_text);
        from = start + at;
    }
    if (from == 0) return std::string(text);
    out.append(text.substr(from));
    return out;
}

namespace detail_redact {

bool copy_members(ondemand::object obj, writer& w, bool all_secret, int depth, bool redacting) {
    w.begin_object();
    for (auto field_result : obj) {
        ondemand::field f;
        if (std::move(field_result).get(f)) return false;
        std::string_view key;
        if (f.unescaped_key().get(key)) return false;
        w.key(key);
        const bool secret = redacting && (all_secret || is_secret_name(key));
        if (redacting && is_env_name(key)) {
            ondemand::object env;
            if (!f.value().get_object().get(env)) {
                if (!copy_members(env, w, true, depth + 1, redacting)) return false;
                continue;
            }
        }
        if (!copy(f.value(), w, secret, depth + 1, redacting)) return false;
    }
    w.end_object();
    return true;
}

bool copy(value v, writer& w, bool secret, int depth, bool redacting) {
    if (depth > 64) return false;
    ondemand::json_type t;
    if (v.type().get(t)) return false;
    switch (t) {
        case ondemand::json_type::object: {
            ondemand::object obj;
            if (v.get_object().get(obj)) return false;
            return copy_members(obj, w, secret, depth, redacting);
        }
        case ondemand::json_type::array: {
            ondemand::array arr;
            if (v.get_array().get(arr)) return false;
            w.begin_array();
            for (auto elem : arr) {
                value e;
                if (std::move(elem).get(e) || !copy(e, w, secret, depth + 1, redacting))
                    return false;
            }
            w.end_array();
            return true;
        }
        case ondemand::json_type::string: {
            std::string_view s;
            if (v.get_string().get(s)) return false;
            if (secret)
                w.value(redacted_text);
            else if (redacting && s.find("://") != std::string_view::npos)
                w.value(redact_url_passwords(s));
            else
                w.value(s);
            return true;
        }
        default: {
            if (secret) {
                w.value(redacted_text);
                return true;
            }
            std::string_view raw = v.raw_json_token();
            w.raw(detail::trim(raw));
            return true;
        }
    }
}

}  // namespace detail_redact

bool to_text(value v, std::string& out) {
    writer w(out);
    return detail_redact::copy(v, w, false, 0, false);
}

std::optional<std::string> redact(std::string_view text) {
    std::string padded;
    padded.reserve(text.size() + padding);
    padded.assign(text);
    ondemand::document doc;
    if (thread_parser().iterate(padded.data(), padded.size(), padded.capacity()).get(doc))
        return std::nullopt;
    value root;
    if (doc.get_value().get(root)) return std::nullopt;
    std::string out;
    out.reserve(text.size());
    writer w(out);
    if (!detail_redact::copy(root, w, false, 0, true)) return std::nullopt;
    const char* trailing = nullptr;
    if (!doc.current_location().get(trailing)) return std::nullopt;
    return out;
}

}  // namespace json
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_JSON_IMPL_REDACT_IPP
