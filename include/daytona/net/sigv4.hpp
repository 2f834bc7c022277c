// SPDX-License-Identifier: Apache-2.0
// AWS Signature Version 4 (header form), as S3-compatible object storage checks it: the canonical
// request, the string to sign, the derived signing key and the Authorization header. Pure
// functions over OpenSSL's SHA-256 and HMAC-SHA256; the client signs with them and the emulator
// verifies with the same code.
#ifndef DAYTONA_NET_SIGV4_HPP
#define DAYTONA_NET_SIGV4_HPP

#include "daytona/config.hpp"
#include "daytona/detail/percent.hpp"

#include <chrono>
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
DAYTONA_DECL std::string hex(std::string_view bytes);

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
    DAYTONA_DECL std::string to_string() const;
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
DAYTONA_DECL std::string amz_date(std::chrono::system_clock::time_point t);

/// The canonical query string: each name and value percent-encoded (RFC 3986 unreserved kept),
/// sorted by name, then value; a name without '=' gets an empty value.
DAYTONA_DECL std::string canonical_query(std::string_view raw);

/// Lower-cased, sorted header names joined by ';'.
DAYTONA_DECL std::string signed_headers(const request& r);

/// The canonical request: method, path, canonical query, canonical headers (lower-case names,
/// values trimmed with inner runs of spaces collapsed, sorted), signed headers, payload hash.
DAYTONA_DECL std::string canonical_request(const request& r);

/// "AWS4-HMAC-SHA256\n<amz date>\n<scope>\n<hex sha256 of the canonical request>"
DAYTONA_DECL std::string string_to_sign(std::string_view amz_date_text, const scope& s,
                                        std::string_view canonical);

/// HMAC chain "AWS4"+secret → date → region → service → "aws4_request" (raw bytes).
DAYTONA_DECL std::string signing_key(std::string_view secret, const scope& s);

/// The hex signature of `r` made at `amz_date_text` (whose first 8 characters must be s.date).
DAYTONA_DECL std::string signature(std::string_view secret, const scope& s,
                                   std::string_view amz_date_text, const request& r);

/// The Authorization header value for `r`.
DAYTONA_DECL std::string authorization(const credentials& c, const scope& s,
                                       std::string_view amz_date_text, const request& r);

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
DAYTONA_DECL std::optional<parsed_authorization> parse_authorization(std::string_view h);

/// The region of an S3 endpoint as the official SDK derives it: `s3.<region>.amazonaws.com` or
/// `s3-<region>.amazonaws.com`, else "us-east-1".
DAYTONA_DECL std::string region_of_endpoint(std::string_view url);

}  // namespace net::sigv4
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/net/impl/sigv4.ipp"
#endif

#endif  // DAYTONA_NET_SIGV4_HPP
