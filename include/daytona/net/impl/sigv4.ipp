// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of net/sigv4.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_NET_IMPL_SIGV4_IPP
#define DAYTONA_NET_IMPL_SIGV4_IPP

#include "daytona/net/sigv4.hpp"

#include "daytona/net/crypto.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

DAYTONA_BEGIN_NAMESPACE
namespace net::sigv4 {

std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 0xF];
    }
    return out;
}

std::string scope::to_string() const {
    return date + "/" + region + "/" + service + "/aws4_request";
}

std::string amz_date(std::chrono::system_clock::time_point t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[20];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

std::string canonical_query(std::string_view raw) {
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

std::string signed_headers(const request& r) {
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

std::string canonical_request(const request& r) {
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

std::string string_to_sign(std::string_view amz_date_text, const scope& s,
                           std::string_view canonical) {
    return "AWS4-HMAC-SHA256\n" + std::string(amz_date_text) + "\n" + s.to_string() + "\n" +
           hex(sha256(canonical));
}

std::string signing_key(std::string_view secret, const scope& s) {
    auto k = hmac_sha256("AWS4" + std::string(secret), s.date);
    k = hmac_sha256(k, s.region);
    k = hmac_sha256(k, s.service);
    return hmac_sha256(k, "aws4_request");
}

std::string signature(std::string_view secret, const scope& s, std::string_view amz_date_text,
                      const request& r) {
    return hex(hmac_sha256(signing_key(secret, s),
                           string_to_sign(amz_date_text, s, canonical_request(r))));
}

std::string authorization(const credentials& c, const scope& s, std::string_view amz_date_text,
                          const request& r) {
    return "AWS4-HMAC-SHA256 Credential=" + c.access_key + "/" + s.to_string() +
           ", SignedHeaders=" + signed_headers(r) +
           ", Signature=" + signature(c.secret, s, amz_date_text, r);
}

std::optional<parsed_authorization> parse_authorization(std::string_view h) {
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

std::string region_of_endpoint(std::string_view url) {
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

#endif  // DAYTONA_NET_IMPL_SIGV4_IPP
