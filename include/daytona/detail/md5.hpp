// SPDX-License-Identifier: Apache-2.0
// A small self-contained MD5 (RFC 1321) for build-context hashes; not for anything secret.
#ifndef DAYTONA_DETAIL_MD5_HPP
#define DAYTONA_DETAIL_MD5_HPP

#include "daytona/config.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

// MD5 is broken as a cryptographic hash. Daytona uses it only as a content address for build
// contexts (the official SDKs compute the same digest), so a plain implementation is enough and
// keeps the image builder free of OpenSSL.
class md5_hasher {
public:
    md5_hasher() noexcept = default;

    DAYTONA_DECL void update(const void* data, std::size_t size) noexcept;
    void update(std::string_view s) noexcept { update(s.data(), s.size()); }

    /// The 16-byte digest. The hasher must not be used afterwards.
    DAYTONA_DECL std::array<unsigned char, 16> finish() noexcept;

    /// The digest as 32 lowercase hex digits. The hasher must not be used afterwards.
    DAYTONA_DECL std::string finish_hex();

private:
    static constexpr std::uint32_t rotl(std::uint32_t x, int c) noexcept {
        return (x << c) | (x >> (32 - c));
    }

    DAYTONA_DECL void block(const unsigned char* p) noexcept;

    std::uint32_t s_[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    std::array<unsigned char, 64> buffer_{};
    std::size_t used_ = 0;
    std::uint64_t total_ = 0;
};

/// MD5 of `s` as 32 lowercase hex digits.
DAYTONA_DECL std::string md5_hex(std::string_view s);

}  // namespace detail
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/detail/impl/md5.ipp"
#endif

#endif  // DAYTONA_DETAIL_MD5_HPP
