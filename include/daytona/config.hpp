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

/// Non-template functions with out-of-line bodies in impl/*.ipp are declared DAYTONA_DECL. They are
/// inline in the header-only build; defining DAYTONA_SEPARATE_COMPILATION keeps the door open for a
/// src.hpp-style compiled build without touching any declaration.
#if defined(DAYTONA_SEPARATE_COMPILATION)
#define DAYTONA_DECL
#else
#define DAYTONA_DECL inline
#endif

#endif  // DAYTONA_CONFIG_HPP
