// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of net/crypto.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_NET_IMPL_CRYPTO_IPP
#define DAYTONA_NET_IMPL_CRYPTO_IPP

#include "daytona/net/crypto.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>

DAYTONA_BEGIN_NAMESPACE
namespace net {

std::string sha1(std::string_view data) {
    std::array<unsigned char, SHA_DIGEST_LENGTH> d{};
    SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), d.data());
    return {reinterpret_cast<const char*>(d.data()), d.size()};
}

std::string sha256(std::string_view data) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> d{};
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), d.data());
    return {reinterpret_cast<const char*>(d.data()), d.size()};
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> d{};
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), d.data(), &len);
    return {reinterpret_cast<const char*>(d.data()), len};
}

std::string base64_encode(std::string_view data) {
    std::string out(4 * ((data.size() + 2) / 3), '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(data.data()),
                            static_cast<int>(data.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string base64url_encode(std::string_view data) {
    std::string s = base64_encode(data);
    while (!s.empty() && s.back() == '=')
        s.pop_back();
    for (char& c : s) {
        if (c == '+')
            c = '-';
        else if (c == '/')
            c = '_';
    }
    return s;
}

std::optional<std::string> base64_decode(std::string_view text) {
    std::string s(text);
    for (char& c : s) {
        if (c == '-')
            c = '+';
        else if (c == '_')
            c = '/';
    }
    while (s.size() % 4 != 0)
        s += '=';
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '+' || c == '/' || (c == '=' && i >= s.size() - 2);
        if (!ok) return std::nullopt;
    }
    std::string out(3 * s.size() / 4, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(s.data()),
                            static_cast<int>(s.size()));
    if (n < 0) return std::nullopt;
    // EVP_DecodeBlock does not account for padding.
    std::size_t pad = 0;
    if (!s.empty() && s.back() == '=') ++pad;
    if (s.size() > 1 && s[s.size() - 2] == '=') ++pad;
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n));
    return out;
}

std::string websocket_accept(std::string_view key) {
    std::string s(key);
    s += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    return base64_encode(sha1(s));
}

}  // namespace net
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_NET_IMPL_CRYPTO_IPP
