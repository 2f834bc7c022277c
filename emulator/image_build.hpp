// SPDX-License-Identifier: Apache-2.0
// Real image builds. Base images cannot be pulled here, so the host's root file system stands in
// for every FROM: a build runs each RUN in a private mount and PID namespace whose root is an
// overlay (lower: the host's /, upper: the sandbox's or snapshot's own directory), with a fresh
// /proc, a minimal /dev and an empty /tmp. Whatever a step writes lands in that upper directory,
// never on the host. WORKDIR creates the directory there, COPY/ADD copy from the uploaded build
// context, ENV/WORKDIR/USER/ENTRYPOINT/CMD are recorded for the sandboxes made from the image.
#ifndef DAYTONA_EMULATOR_IMAGE_BUILD_HPP
#define DAYTONA_EMULATOR_IMAGE_BUILD_HPP

#include "process_runner.hpp"
#include "spawn.hpp"

#include <daytona/net/asio_compat.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daytona::emulator {

namespace fs = std::filesystem;

/// What an image sets for the processes of the sandboxes made from it.
struct image_config {
    /// ENV, in order (a later one wins).
    std::vector<std::pair<std::string, std::string>> env;
    /// WORKDIR as an absolute path; empty when the image set none.
    std::string workdir;
    /// USER; empty when the image set none.
    std::string user;
    std::vector<std::string> entrypoint;
    std::vector<std::string> cmd;
};

/// Where a sandbox or snapshot keeps its image's settings: a small text file next to its tree.
bool write_image_config(const fs::path& file, const image_config& config);
std::optional<image_config> read_image_config(const fs::path& file);

/// One instruction of a Dockerfile: its keyword in upper case and its arguments (continuation
/// lines joined), and the instruction as written for the log.
struct dockerfile_instruction {
    std::string keyword;
    std::string args;
    std::string text;
};
std::vector<dockerfile_instruction> parse_dockerfile(std::string_view text);

/// The words of an instruction's arguments as Dockerfile parsing reads them: whitespace separates
/// words; single quotes keep everything, double quotes and backslashes escape. No variable
/// expansion.
std::vector<std::string> dockerfile_words(std::string_view args);

/// A build's log, kept in memory while clients follow it.
class build_log {
public:
    /// Appends output; complete lines become visible, a partial line waits for its end.
    void append(std::string_view text);
    /// Appends one whole line.
    void line(std::string text);
    /// The build is over: a partial line is flushed and followers stop at the end.
    void finish();
    /// Lines from index `from` on, and whether the log is finished.
    std::pair<std::vector<std::string>, bool> read_from(std::size_t from) const;
    /// The last `n` lines.
    std::vector<std::string> tail(std::size_t n) const;

private:
    mutable std::mutex mu_;
    std::vector<std::string> lines_;
    std::string partial_;
    bool done_ = false;
};

/// The log of the build of "sandbox/<id>" or "snapshot/<id>" (made on first use).
std::shared_ptr<build_log> build_log_of(const std::string& key);

struct build_spec {
    std::string dockerfile;
    /// The overlay's upper directory: the sandbox's file tree, or the snapshot's.
    fs::path upper;
    /// Scratch space on the same file system (overlay work directories, the mount point).
    fs::path scratch;
    /// The unpacked build context (COPY/ADD sources); empty when there is none.
    fs::path context_dir;
    /// Told about every process the build starts (the sandbox's runtime, so that deleting the
    /// sandbox ends its build).
    std::shared_ptr<process_tracker> tracker;
    /// Each RUN may take this long.
    std::chrono::milliseconds step_timeout{std::chrono::minutes(30)};
};

struct build_outcome {
    bool ok = false;
    /// Daytona's errorReason for a failed build.
    std::string error_reason;
    image_config config;
};

/// Runs the build, writing its log as it goes; the log is finished when this returns.
asio::awaitable<build_outcome> run_build(build_spec spec, std::shared_ptr<build_log> log);

/// Whether builds can run for real here (private mount namespaces and overlay mounts), probed
/// once with scratch space under `scratch`. `why_not` says what is missing.
bool real_builds_available(const fs::path& scratch, std::string* why_not = nullptr);

/// The setup steps that give a process an overlay root at `merged` (lower: the host's /).
/// `build`: fresh /proc (needs a PID namespace), minimal /dev and an empty /tmp; otherwise the
/// host's /proc, /dev and /sys are bound in, as for every sandbox process.
std::vector<setup_step> overlay_root_steps(const fs::path& upper, const fs::path& work,
                                           const fs::path& merged, bool build);

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_IMAGE_BUILD_HPP
