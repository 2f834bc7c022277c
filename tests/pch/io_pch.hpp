// SPDX-License-Identifier: Apache-2.0
// Precompiled header of the I/O tests (Meson; CMake lists the same headers).
#include <gtest/gtest.h>

#include <daytona.hpp>
