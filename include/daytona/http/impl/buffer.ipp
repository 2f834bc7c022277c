// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/buffer.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_BUFFER_IPP
#define DAYTONA_HTTP_IMPL_BUFFER_IPP

#include "daytona/http/buffer.hpp"

#include <algorithm>
#include <cstring>

DAYTONA_BEGIN_NAMESPACE
namespace http {

std::pair<char*, std::size_t> flat_buffer::prepare(std::size_t n) {
    if (!buf_) buf_ = std::make_unique<char[]>(cap_);
    if (cap_ - end_ < n) {
        if (begin_ > 0) {
            std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
            end_ -= begin_;
            begin_ = 0;
        }
        if (cap_ - end_ < n) {
            std::size_t ncap = std::max(cap_ * 2, end_ + n);
            auto nb = std::make_unique<char[]>(ncap);
            std::memcpy(nb.get(), buf_.get(), end_);
            buf_ = std::move(nb);
            cap_ = ncap;
        }
    }
    return {buf_.get() + end_, cap_ - end_};
}

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_IMPL_BUFFER_IPP
