// SPDX-License-Identifier: Apache-2.0
// AWS Signature Version 4 (header form), as S3-compatible object storage checks it: the canonical
// request, the string to sign, the derived signing key and the Authorization header. Pure
// functions over OpenSSL's SHA-256 and HMAC-SHA256; the client signs with them and the emulator
// verifies with the same code.
#ifndef DAYTONA_NET_SIGV4_HPP
#define DAYTONA_NET_SIGV4_HPP

#include "daytona/config.hpp"
#include "daytona/detail/percent.hpp"
#include "daytona/net/crypto.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace net::sigv4 {

/// SHA-256 of the empty string, in hex: the payload hash of a request without a body.
inline constexpr std::string_view empty_payload_hash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// The payload hash of a streamed body that is not hashed (S3 accepts it).
inline constexpr std::string_view unsigned_payload = "UNSIGNED-PAYLOAD";

/// Lower-case hexadecimal of `bytes`, two digits per byte.
inline std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 0xF];
    }
    return out;
}

/// Temporary credentials (Daytona's push access hands out all three).
struct credentials {
    /// Access key id; part of the Credential in the Authorization header.
    std::string access_key{};
    /// Secret access key; signs, never sent.
    std::string secret{};
    /// Sent as `x-amz-security-token` (a signed header) when not empty.
    std::string session_token{};
};

/// What a signature is valid for: a day (YYYYMMDD), a region and a service ("s3").
struct scope {
    /// The day, YYYYMMDD (UTC), the first 8 characters of the x-amz-date.
    std::string date{};
    /// Region, e.g. "us-east-1".
    std::string region{};
    /// Service, e.g. "s3".
    std::string service{};

    /// "20150830/us-east-1/service/aws4_request"
    std::string to_string() const { return date + "/" + region + "/" + service + "/aws4_request"; }
};

/// The request as signed. `path` is the URI path exactly as sent (already percent-encoded; S3
/// does not normalize or encode it again); `query` the raw query string.
struct request {
    /// The HTTP method, e.g. "PUT".
    std::string_view method{};
    /// The URI path as sent, percent-encoded.
    std::string_view path{};
    /// The raw query string, without '?'; may be empty.
    std::string_view query{};
    /// The headers to sign (any case, any order): at least host and x-amz-date.
    std::vector<std::pair<std::string, std::string>> headers{};
    /// Hex SHA-256 of the body, or unsigned_payload.
    std::string_view payload_hash{};
};

/// "YYYYMMDDTHHMMSSZ" for `t` (UTC).
inline std::string amz_date(std::chrono::system_clock::time_point t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[20];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

/// The canonical query string: each name and value percent-encoded (RFC 3986 unreserved kept),
/// sorted by name, then value; a name without '=' gets an empty value.
inline std::string canonical_query(std::string_view raw) {
    std::vector<std::pair<std::string, std::string>> params;
    while (!raw.empty()) {
        auto amp = raw.find('&');
        auto part = raw.substr(0, amp);
        raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
        if (part.empty()) continue;
        auto eq = part.find('=');
        auto key = part.substr(0, eq);
        auto value = eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1);
        auto k = detail::percent_decode(key).value_or(std::string(key));
        auto v = detail::percent_decode(value).value_or(std::string(value));
        params.emplace_back(detail::percent_encode(k), detail::percent_encode(v));
    }
    std::sort(params.begin(), params.end());
    std::string out;
    for (const auto& [k, v] : params) {
        if (!out.empty()) out += '&';
        out += k + "=" + v;
    }
    return out;
}

/// Lower-cased, sorted header names joined by ';'.
inline std::string signed_headers(const request& r) {
    std::vector<std::string> names;
    for (const auto& [name, value] : r.headers) {
        std::string n = name;
        for (auto& c : n)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        names.push_back(std::move(n));
    }
    std::sort(names.begin(), names.end());
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ";") + n;
    return out;
}

/// The canonical request: method, path, canonical query, canonical headers (lower-case names,
/// values trimmed with inner runs of spaces collapsed, sorted), signed headers, payload hash.
inline std::string canonical_request(const request& r) {
    std::vector<std::pair<std::string, std::string>> headers;
    for (const auto& [name, value] : r.headers) {
        std::string n = name;
        for (auto& c : n)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string v;
        bool space = false;
        for (char c : value) {
            if (c == ' ' || c == '\t') {
                space = !v.empty();
                continue;
            }
            if (space) v += ' ';
            space = false;
            v += c;
        }
        headers.emplace_back(std::move(n), std::move(v));
    }
    std::sort(headers.begin(), headers.end());
    std::string out;
    out.append(r.method).append("\n");
    out.append(r.path.empty() ? std::string_view("/") : r.path).append("\n");
    out.append(canonical_query(r.query)).append("\n");
    for (const auto& [n, v] : headers)
        out.append(n).append(":").append(v).append("\n");
    out.append("\n").append(signed_headers(r)).append("\n").append(r.payload_hash);
    return out;
}

/// "AWS4-HMAC-SHA256\n<amz date>\n<scope>\n<hex sha256 of the canonical request>"
inline std::string string_to_sign(std::string_view amz_date_text, const scope& s,
                                  std::string_view canonical) {
    return "AWS4-HMAC-SHA256\n" + std::string(amz_date_text) + "\n" + s.to_string() + "\n" +
           hex(sha256(canonical));
}

/// HMAC chain "AWS4"+secret → date → region → service → "aws4_request" (raw bytes).
inline std::string signing_key(std::string_view secret, const scope& s) {
    auto k = hmac_sha256("AWS4" + std::string(secret), s.date);
    k = hmac_sha256(k, s.region);
    k = hmac_sha256(k, s.service);
    return hmac_sha256(k, "aws4_request");
}

/// The hex signature of `r` made at `amz_date_text` (whose first 8 characters must be s.date).
inline std::string signature(std::string_view secret, const scope& s,
                             std::string_view amz_date_text, const request& r) {
    return hex(hmac_sha256(signing_key(secret, s),
                           string_to_sign(amz_date_text, s, canonical_request(r))));
}

/// The Authorization header value for `r`.
inline std::string authorization(const credentials& c, const scope& s,
                                 std::string_view amz_date_text, const request& r) {
    return "AWS4-HMAC-SHA256 Credential=" + c.access_key + "/" + s.to_string() +
           ", SignedHeaders=" + signed_headers(r) +
           ", Signature=" + signature(c.secret, s, amz_date_text, r);
}

/// The parts of an Authorization header, as a server reads it to verify the signature.
struct parsed_authorization {
    /// Access key id from the Credential.
    std::string access_key;
    /// The scope from the Credential.
    scope where;
    /// The SignedHeaders names, in the order given.
    std::vector<std::string> signed_headers;
    /// The Signature (hex), as sent.
    std::string signature;
};

/// Parses "AWS4-HMAC-SHA256 Credential=AK/date/region/service/aws4_request,
/// SignedHeaders=a;b, Signature=hex"; nullopt for anything else.
inline std::optional<parsed_authorization> parse_authorization(std::string_view h) {
    constexpr std::string_view algo = "AWS4-HMAC-SHA256 ";
    if (!h.starts_with(algo)) return std::nullopt;
    h.remove_prefix(algo.size());
    parsed_authorization out;
    bool cred = false, heads = false, sig = false;
    while (!h.empty()) {
        while (!h.empty() && (h.front() == ' ' || h.front() == ','))
            h.remove_prefix(1);
        auto end = h.find(',');
        auto part = h.substr(0, end);
        h = end == std::string_view::npos ? std::string_view{} : h.substr(end + 1);
        while (!part.empty() && part.back() == ' ')
            part.remove_suffix(1);
        auto eq = part.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        auto key = part.substr(0, eq);
        auto value = part.substr(eq + 1);
        if (key == "Credential") {
            std::vector<std::string> pieces;
            std::string_view rest = value;
            while (true) {
                auto slash = rest.find('/');
                pieces.emplace_back(rest.substr(0, slash));
                if (slash == std::string_view::npos) break;
                rest.remove_prefix(slash + 1);
            }
            if (pieces.size() != 5 || pieces[4] != "aws4_request") return std::nullopt;
            out.access_key = pieces[0];
            out.where = scope{pieces[1], pieces[2], pieces[3]};
            cred = true;
        } else if (key == "SignedHeaders") {
            std::string_view rest = value;
            while (!rest.empty()) {
                auto semi = rest.find(';');
                out.signed_headers.emplace_back(rest.substr(0, semi));
                if (semi == std::string_view::npos) break;
                rest.remove_prefix(semi + 1);
            }
            heads = !out.signed_headers.empty();
        } else if (key == "Signature") {
            out.signature = std::string(value);
            sig = !out.signature.empty();
        }
    }
    if (!cred || !heads || !sig) return std::nullopt;
    return out;
}

/// The region of an S3 endpoint as the official SDK derives it: `s3.<region>.amazonaws.com` or
/// `s3-<region>.amazonaws.com`, else "us-east-1".
inline std::string region_of_endpoint(std::string_view url) {
    for (std::string_view marker : {"s3.", "s3-"}) {
        for (auto at = url.find(marker); at != std::string_view::npos;
             at = url.find(marker, at + 1)) {
            auto rest = url.substr(at + marker.size());
            auto dot = rest.find(".amazonaws.com");
            if (dot == std::string_view::npos || dot == 0) continue;
            auto region = rest.substr(0, dot);
            if (region.find_first_of("./") != std::string_view::npos) continue;
            return std::string(region);
        }
    }
    return "us-east-1";
}

}  // namespace net::sigv4
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_NET_SIGV4_HPP
