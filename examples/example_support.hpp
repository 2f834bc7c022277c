// SPDX-License-Identifier: Apache-2.0
// Shared by the examples: use Daytona when DAYTONA_API_KEY is set, else an embedded emulator.
#ifndef DAYTONA_EXAMPLES_EXAMPLE_SUPPORT_HPP
#define DAYTONA_EXAMPLES_EXAMPLE_SUPPORT_HPP

#include <daytona.hpp>
#include <emulator.hpp>

#include <iostream>
#include <memory>
#include <random>

namespace example {

/// Options from the environment; without credentials, starts `local` and points at it.
inline daytona::client_options options(std::unique_ptr<daytona::emulator::emulator>& local) {
    daytona::client_options options = daytona::client_options::from_env();
    if (!options.api_key.empty() || !options.jwt_token.empty()) return options;
    std::random_device rd;
    std::string key = "example-" + std::to_string(rd()) + std::to_string(rd());
    local = std::make_unique<daytona::emulator::emulator>(
        daytona::emulator::emulator_options{.api_key = key});
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

}  // namespace example

#endif  // DAYTONA_EXAMPLES_EXAMPLE_SUPPORT_HPP
