// SPDX-License-Identifier: Apache-2.0
// Namespace and linkage macros shared by every header.
#ifndef DAYTONA_CONFIG_HPP
#define DAYTONA_CONFIG_HPP

#include "daytona/version.hpp"

#if !defined(__cplusplus) || __cplusplus < 202002L
#error "daytona-cpp requires C++20 (coroutines)"
#endif

/// Everything lives in an inline namespace so that a future ABI break can change it without
/// breaking source compatibility (the fmt / nlohmann / asio approach).
#define DAYTONA_BEGIN_NAMESPACE \
    namespace daytona {         \
    inline namespace v0 {
#define DAYTONA_END_NAMESPACE \
    }                         \
    }

/// Non-template functions with out-of-line bodies in impl/*.ipp are declared DAYTONA_DECL.
/// Header-only (the default): DAYTONA_DECL is `inline` and every header includes its .ipp.
/// DAYTONA_SEPARATE_COMPILATION (asio's and Beast's model): the headers declare only, one source
/// file of the program compiles every body by including <daytona/src.hpp>, and each other TU
/// parses declarations instead of compiling the library again.
#if defined(DAYTONA_SEPARATE_COMPILATION)
#define DAYTONA_HEADER_ONLY 0
#define DAYTONA_DECL
#else
#define DAYTONA_HEADER_ONLY 1
#define DAYTONA_DECL inline
#endif

#endif  // DAYTONA_CONFIG_HPP
