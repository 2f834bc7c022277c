// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of detail/md5.hpp: included by it in the header-only build,
// compiled once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_DETAIL_IMPL_MD5_IPP
#define DAYTONA_DETAIL_IMPL_MD5_IPP

#include "daytona/detail/md5.hpp"

#include <cstring>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

void md5_hasher::update(const void* data, std::size_t size) noexcept {
    const auto* p = static_cast<const unsigned char*>(data);
    total_ += size;
    if (used_ != 0) {
        std::size_t take = size < 64 - used_ ? size : 64 - used_;
        std::memcpy(buffer_.data() + used_, p, take);
        used_ += take;
        p += take;
        size -= take;
        if (used_ < 64) return;
        block(buffer_.data());
        used_ = 0;
    }
    for (; size >= 64; size -= 64, p += 64)
        block(p);
    if (size != 0) {
        std::memcpy(buffer_.data(), p, size);
        used_ = size;
    }
}

std::array<unsigned char, 16> md5_hasher::finish() noexcept {
    std::uint64_t bits = total_ * 8;
    static constexpr unsigned char pad[64] = {0x80};
    std::size_t pad_len = used_ < 56 ? 56 - used_ : 120 - used_;
    update(pad, pad_len);
    unsigned char len[8];
    for (int i = 0; i < 8; ++i)
        len[i] = static_cast<unsigned char>(bits >> (8 * i));
    update(len, 8);
    std::array<unsigned char, 16> out{};
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
            out[static_cast<std::size_t>(i * 4 + j)] = static_cast<unsigned char>(s_[i] >> (8 * j));
    return out;
}

std::string md5_hasher::finish_hex() {
    static constexpr char hex[] = "0123456789abcdef";
    auto d = finish();
    std::string out;
    out.reserve(32);
    for (unsigned char c : d) {
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
    return out;
}

void md5_hasher::block(const unsigned char* p) noexcept {
    static constexpr std::uint32_t k[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
        0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
        0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
        0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
        0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
        0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
        0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
        0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
        0xeb86d391};
    static constexpr int r[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                  5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    std::uint32_t m[16];
    for (int i = 0; i < 16; ++i)
        m[i] = static_cast<std::uint32_t>(p[i * 4]) |
               static_cast<std::uint32_t>(p[i * 4 + 1]) << 8 |
               static_cast<std::uint32_t>(p[i * 4 + 2]) << 16 |
               static_cast<std::uint32_t>(p[i * 4 + 3]) << 24;
    std::uint32_t a = s_[0], b = s_[1], c = s_[2], d = s_[3];
    for (int i = 0; i < 64; ++i) {
        std::uint32_t f;
        int g;
        if (i < 16) {
            f = (b & c) | (~b & d);
            g = i;
        } else if (i < 32) {
            f = (d & b) | (~d & c);
            g = (5 * i + 1) % 16;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = (3 * i + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = (7 * i) % 16;
        }
        std::uint32_t tmp = d;
        d = c;
        c = b;
        b = b + rotl(a + f + k[i] + m[g], r[i]);
        a = tmp;
    }
    s_[0] += a;
    s_[1] += b;
    s_[2] += c;
    s_[3] += d;
}

std::string md5_hex(std::string_view s) {
    md5_hasher h;
    h.update(s);
    return h.finish_hex();
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_DETAIL_IMPL_MD5_IPP
