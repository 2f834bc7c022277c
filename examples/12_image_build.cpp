// SPDX-License-Identifier: Apache-2.0
// An image described in C++ and built for real: the Claude Code backend's image (Node, git,
// curl, ripgrep and the Claude Code CLI), its build log printed as it streams, then a sandbox
// made from it runs `rg --version` and `claude --version`. A local file goes along in the build
// context, as a project's requirements would.
//
// With DAYTONA_API_KEY set this talks to Daytona; without it, to an embedded emulator, which runs
// every step in an overlay of this machine's root file system (base images are not pulled: the
// packages come from the mirrors this machine reaches).
#include <daytona.hpp>

#include "example_support.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

namespace dt = daytona;

//[image_build
asio::awaitable<int> image_build(dt::client_options options) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};

    // A file from this machine, copied into the image through the build context.
    const auto notes = std::filesystem::temp_directory_path() / "daytona-example-notes.md";
    std::ofstream(notes) << "# Built by examples/12_image_build\n";

    auto image = dt::image::base("node:20-slim")
                     .apt_get({"git", "curl", "ripgrep"})
                     .run("npm install -g @anthropic-ai/claude-code")
                     .workdir("/workspace")
                     .env("HOME", "/root")
                     .env("TERM", "xterm-256color")
                     .add_local_file(notes.string(), "/workspace/NOTES.md");
    std::cout << "Dockerfile:\n" << image.dockerfile();

    dt::create_params params{.build = image, .resources = {.cpu = 2, .memory_gib = 4}};
    params.wait_timeout = std::chrono::minutes(30);
    dt::log_callback on_build_log = [](std::string_view line) {
        std::cout << "[BUILD] " << line << '\n';
    };
    auto sb = co_await client.create(std::move(params), std::move(on_build_log));
    std::filesystem::remove(notes);
    if (!sb) {
        std::cerr << "build: " << sb.error() << '\n';
        for (const auto& line : sb.error().build_log_tail())
            std::cerr << "  | " << line << '\n';
        co_return 1;
    }
    // Each command with what its output must hold: a pipeline's exit status is its last
    // command's, so `rg --version | head -1` exits 0 even where rg is missing.
    struct check {
        std::string command;
        std::string_view starts_with, mentions;
    };
    const std::array<check, 3> checks{{{"rg --version | head -1", "ripgrep", ""},
                                       {"claude --version", "", "Claude Code"},
                                       {"pwd && cat NOTES.md", "/workspace\n", "# Built by"}}};
    int status = 0;
    for (const auto& c : checks) {
        auto run = co_await sb->process().exec(c.command);
        if (!run) {
            std::cerr << c.command << ": " << run.error() << '\n';
            status = 1;
            continue;
        }
        std::cout << "$ " << c.command << '\n' << run->output;
        const bool as_expected = run->exit_code == 0 && run->output.starts_with(c.starts_with) &&
                                 run->output.find(c.mentions) != std::string::npos;
        if (!as_expected) {
            std::cerr << c.command << ": unexpected output (exit code " << run->exit_code << ")\n";
            status = 1;
        }
    }
    (void)co_await sb->destroy();
    co_return status;
}
//]

int main() {
    std::unique_ptr<dt::emulator::emulator> local;
    dt::client_options options = example::options(local);
    asio::io_context io;
    return dt::run_sync(io, image_build(std::move(options)));
}
