// SPDX-License-Identifier: Apache-2.0
// Writing test input files: the one helper the unit tests that touch the disk share.
#ifndef DAYTONA_TEST_TEXT_FILES_HPP
#define DAYTONA_TEST_TEXT_FILES_HPP

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string_view>

namespace daytona_test {

/// Writes `content` to `p` byte for byte (parents created, the file replaced); mode 0755 when
/// `executable`.
inline void write_file(const std::filesystem::path& p, std::string_view content,
                       bool executable = false) {
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary | std::ios::trunc)
        .write(content.data(), static_cast<std::streamsize>(content.size()));
    if (executable) ::chmod(p.c_str(), 0755);
}

}  // namespace daytona_test

#endif  // DAYTONA_TEST_TEXT_FILES_HPP
