// SPDX-License-Identifier: Apache-2.0
// Precompiled header of the unit tests (Meson; CMake lists the same headers).
#include <gtest/gtest.h>

#include <daytona/api/call.hpp>
#include <daytona/http/parser.hpp>
#include <daytona/json/reader.hpp>
