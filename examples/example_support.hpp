// SPDX-License-Identifier: Apache-2.0
// Shared by the examples: use Daytona when DAYTONA_API_KEY is set, else an embedded emulator.
#ifndef DAYTONA_EXAMPLES_EXAMPLE_SUPPORT_HPP
#define DAYTONA_EXAMPLES_EXAMPLE_SUPPORT_HPP

#include <daytona.hpp>
#include <emulator.hpp>
#include <messages_api.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <random>

namespace example {

/// Options from the environment; without credentials, starts `local` and points at it.
inline daytona::client_options options(std::unique_ptr<daytona::emulator::emulator>& local) {
    daytona::client_options options = daytona::client_options::from_env();
    if (!options.api_key.empty() || !options.jwt_token.empty()) return options;
    std::random_device rd;
    std::string key = "example-" + std::to_string(rd()) + std::to_string(rd());
    // Sandboxes have /home and /tmp of their own: the pinned Claude Code CLI is shown to them
    // where it is, should this checkout lie under either.
    local = std::make_unique<daytona::emulator::emulator>(daytona::emulator::emulator_options{
        .api_key = key,
        .host_dirs = {std::filesystem::path(DAYTONA_CLAUDE_CLI_DIR).parent_path()}});
    if (auto started = local->start(); !started) {
        std::cerr << "cannot start the embedded emulator: " << started.error() << '\n';
        std::exit(1);
    }
    options.api_url = local->api_url();
    options.api_key = key;
    std::cout << "DAYTONA_API_KEY is not set: using the embedded emulator at " << options.api_url
              << '\n';
    return options;
}

/// What a Claude example needs: the sandbox env (not secret) and the key (secret).
struct claude_setup {
    /// For create_params::env: where the API is, and offline flags when it is the stand-in.
    std::map<std::string, std::string> sandbox_env;
    /// For claude::options::env, never the sandbox's env or a command.
    std::string api_key;
    /// True when Claude runs against the local Messages API stand-in.
    bool offline = false;
    std::unique_ptr<daytona::emulator::messages_api> stand_in;
};

/**
 * With ANTHROPIC_API_KEY set, Claude talks to Anthropic. Without it, a Messages API stand-in
 * (a scripted model) starts here, sandboxes get ANTHROPIC_BASE_URL pointing at it, and the
 * Claude Code CLI pinned in tests/claude goes on their PATH (the embedded emulator's sandboxes
 * run on this machine).
 */
inline claude_setup claude() {
    claude_setup s;
    if (const char* k = std::getenv("ANTHROPIC_API_KEY"); k && *k) {
        s.api_key = k;
        return s;
    }
    std::random_device rd;
    s.api_key = "sk-ant-example-" + std::to_string(rd()) + std::to_string(rd());
    s.stand_in = std::make_unique<daytona::emulator::messages_api>(
        daytona::emulator::messages_api_options{.api_key = s.api_key});
    if (auto started = s.stand_in->start(); !started) {
        std::cerr << "cannot start the Messages API stand-in: " << started.error() << '\n';
        std::exit(1);
    }
    s.offline = true;
    const char* path = std::getenv("PATH");
    s.sandbox_env = {{"ANTHROPIC_BASE_URL", s.stand_in->base_url()},
                     {"DISABLE_TELEMETRY", "1"},
                     {"DISABLE_AUTOUPDATER", "1"},
                     {"DISABLE_ERROR_REPORTING", "1"},
                     {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"},
                     {"PATH", std::string(DAYTONA_CLAUDE_CLI_DIR) + ":" +
                                  (path ? path : "/usr/local/bin:/usr/bin:/bin")}};
    std::cout << "ANTHROPIC_API_KEY is not set: Claude answers through the stand-in at "
              << s.stand_in->base_url() << '\n';
    return s;
}

}  // namespace example

#endif  // DAYTONA_EXAMPLES_EXAMPLE_SUPPORT_HPP
