// SPDX-License-Identifier: Apache-2.0
// Digests and encodings from OpenSSL: SHA-1 (WebSocket handshake), SHA-256 and HMAC-SHA256
// (signed URLs), base64 and base64url (PTY environment subprotocol, handshake keys).
#ifndef DAYTONA_NET_CRYPTO_HPP
#define DAYTONA_NET_CRYPTO_HPP

#include "daytona/config.hpp"

#include <optional>
#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace net {

DAYTONA_DECL std::string sha1(std::string_view data);

DAYTONA_DECL std::string sha256(std::string_view data);

DAYTONA_DECL std::string hmac_sha256(std::string_view key, std::string_view data);

/// Standard base64 with padding.
DAYTONA_DECL std::string base64_encode(std::string_view data);

/// base64url without padding (RFC 4648 §5), as the SDKs encode PTY environments.
DAYTONA_DECL std::string base64url_encode(std::string_view data);

/// Decodes base64 or base64url, with or without padding. nullopt for anything else.
DAYTONA_DECL std::optional<std::string> base64_decode(std::string_view text);

/// `n` bytes from OpenSSL's CSPRNG.
DAYTONA_DECL std::string random_bytes(std::size_t n);

/// Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 §4.2.2).
DAYTONA_DECL std::string websocket_accept(std::string_view key);

}  // namespace net
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/net/impl/crypto.ipp"
#endif

#endif  // DAYTONA_NET_CRYPTO_HPP
