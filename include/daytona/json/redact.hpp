// SPDX-License-Identifier: Apache-2.0
// A copy of a JSON document with its secrets replaced, for traces and logs: values of members
// whose names say they are credentials, and every value of environment-variable maps.
#ifndef DAYTONA_JSON_REDACT_HPP
#define DAYTONA_JSON_REDACT_HPP

#include "daytona/config.hpp"
#include "daytona/detail/string.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"

#include <optional>
#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace json {

/// What replaces a secret value.
inline constexpr std::string_view redacted_text = "[REDACTED]";

/// Whether a member or query parameter named `key` holds a credential (password, token,
/// secret, API or access key, authorization, credentials), case-insensitively.
inline bool is_secret_name(std::string_view key) noexcept {
    std::string lower;
    lower.reserve(key.size());
    for (char c : key)
        if (c != '_' && c != '-') lower += detail::ascii_lower(c);
    for (std::string_view word : {"password", "passwd", "token", "secret", "apikey", "accesskey",
                                  "privatekey", "authkey", "authorization", "credential"})
        if (lower.find(word) != std::string::npos) return true;
    return false;
}

/// Whether a member named `key` is an environment map (`env`, `envs`, `envVars`), all of whose
/// values are treated as secrets: API keys travel there.
inline bool is_env_name(std::string_view key) noexcept {
    return key == "env" || key == "envs" || key == "envVars";
}

/// `text` with the password of every `scheme://user:password@host` URL in it replaced (a
/// git remote written with its credentials).
inline std::string redact_url_passwords(std::string_view text) {
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
inline bool copy(value v, writer& w, bool secret, int depth, bool redacting);

inline bool copy_members(ondemand::object obj, writer& w, bool all_secret, int depth,
                         bool redacting) {
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

inline bool copy(value v, writer& w, bool secret, int depth, bool redacting) {
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

/**
 * \brief The JSON text of a value being decoded (simdjson 3.0 on-demand values have no raw
 * text for objects): written again, compactly. False (and `out` partial) on a malformed value.
 */
inline bool to_text(value v, std::string& out) {
    writer w(out);
    return detail_redact::copy(v, w, false, 0, false);
}

/**
 * \brief `text` re-serialized with every secret value replaced by "[REDACTED]".
 * \return nullopt when `text` is not one well-formed JSON object or array.
 */
inline std::optional<std::string> redact(std::string_view text) {
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

#endif  // DAYTONA_JSON_REDACT_HPP
