// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/toolbox/process.hpp: included by it in the header-only build, compiled
// once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_TOOLBOX_IMPL_PROCESS_IPP
#define DAYTONA_API_TOOLBOX_IMPL_PROCESS_IPP

#include "daytona/api/toolbox/process.hpp"
#include "daytona/detail/percent.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace api {

result<http::url> toolbox_base(std::string_view toolbox_proxy_url, std::string_view id) {
    if (toolbox_proxy_url.empty())
        return error(make_error_code(errc::invalid_argument), "sandbox has no toolboxProxyUrl");
    auto base = http::url::parse(toolbox_proxy_url);
    if (!base) return base;
    std::string segment = "/";
    detail::append_percent_encoded(segment, id);
    return base->join(segment);
}

execute_request to_request(std::string command, const exec_options& o) {
    execute_request r{.command = std::move(command), .cwd = o.cwd, .envs = o.env};
    if (o.timeout.count() > 0) r.timeout = timeout_seconds(o.timeout);
    return r;
}

asio::awaitable<result<exec_result>> execute_command(const channel& c, const execute_request& r,
                                                     request_options ro) {
    if (!ro.timeout)
        ro.timeout = r.timeout ? std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::seconds(*r.timeout) + exec_deadline_margin)
                               : std::chrono::milliseconds(0);
    return invoke<exec_result>(c, ops::execute_command, {}, json_body(r), ro);
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_TOOLBOX_IMPL_PROCESS_IPP
