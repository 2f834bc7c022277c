// SPDX-License-Identifier: Apache-2.0
// The library's compiled part under DAYTONA_SEPARATE_COMPILATION (CMake option of the same name):
// every body of include/daytona, compiled once. Programs that build the library their own way do
// the same in one source file of theirs.
#include <daytona/src.hpp>
