// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of options.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_OPTIONS_IPP
#define DAYTONA_IMPL_OPTIONS_IPP

#include "daytona/options.hpp"

#include <cstdlib>
#include <optional>
#include <string>

DAYTONA_BEGIN_NAMESPACE

client_options client_options::from_env() {
    client_options o;
    auto get = [](const char* name) -> std::optional<std::string> {
        const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read once at setup
        if (v == nullptr || *v == '\0') return std::nullopt;
        return std::string(v);
    };
    if (auto v = get("DAYTONA_API_KEY")) o.api_key = *v;
    if (auto v = get("DAYTONA_JWT_TOKEN")) o.jwt_token = *v;
    if (auto v = get("DAYTONA_ORGANIZATION_ID")) o.organization_id = *v;
    if (auto v = get("DAYTONA_API_URL"))
        o.api_url = *v;
    else if (auto old = get("DAYTONA_SERVER_URL"))
        o.api_url = *old;
    if (auto v = get("DAYTONA_TARGET")) o.target = *v;
    return o;
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_OPTIONS_IPP
