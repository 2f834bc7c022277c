// SPDX-License-Identifier: Apache-2.0
// Small helpers shared by the emulator's routes.
#ifndef DAYTONA_EMULATOR_UTIL_HPP
#define DAYTONA_EMULATOR_UTIL_HPP

#include "http_server.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daytona::emulator {

/// "2026-11-22T23:09:05.544Z" for now, or for a given time.
std::string iso_time(std::chrono::system_clock::time_point t = std::chrono::system_clock::now());
/// A random version-4 UUID.
std::string new_uuid();
/// `n` random characters from [a-z0-9], for preview tokens.
std::string random_token(std::size_t n);
/// The whole file, or nullopt if it cannot be opened or read.
std::optional<std::string> read_file(const std::filesystem::path& p);
/// `s` with every byte sequence that is not valid UTF-8 replaced by U+FFFD (as Go's
/// encoding/json does in the real daemon; JSON must be UTF-8 and clients reject anything else).
std::string valid_utf8(std::string_view s);
/// Path segments, percent-decoded.
std::vector<std::string> split_path(std::string_view path);
/// [A-Za-z_][A-Za-z0-9_]*
bool valid_env_name(std::string_view k);
/// A JSON response.
reply json_reply(int status, std::string body);
/// A response with no body.
reply empty_reply(int status);
/// Shell-quotes `s` for POSIX sh: the result is one word whatever bytes `s` holds.
std::string shell_quote(std::string_view s);
/// Parses an unsigned decimal or octal ("0755") mode string.
std::optional<unsigned> parse_mode(std::string_view s);
/// The first executable called `name` on PATH (empty if none).
std::string find_program(std::string_view name);
/// A snapshot or volume name: 1-255 bytes, no control characters or slashes, not "." or "..".
bool valid_resource_name(std::string_view n);
/// A session, PTY or context ID the daemon accepts: 1-128 of [A-Za-z0-9._-], not "." or "..",
/// so it is also safe as a file name.
bool valid_resource_id(std::string_view id);

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_UTIL_HPP
