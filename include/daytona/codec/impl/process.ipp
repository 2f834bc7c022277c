// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of codec/process.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CODEC_IMPL_PROCESS_IPP
#define DAYTONA_CODEC_IMPL_PROCESS_IPP

#include "daytona/codec/process.hpp"

DAYTONA_BEGIN_NAMESPACE

void decode_value(json::value& v, execute_request& out, json::decoder& d) {
    bool has_command = false;
    d.object(v, "object", json::into("command", out.command, &has_command),
             json::into("cwd", out.cwd), json::into("envs", out.envs),
             json::into("timeout", out.timeout));
    if (d.ok() && !has_command) d.missing("command");
}

void encode(json::writer& w, const execute_request& r) {
    w.begin_object().member("command", r.command).member("timeout", r.timeout);
    w.member("cwd", r.cwd);
    if (!r.envs.empty()) w.member("envs", r.envs);
    w.end_object();
}

void decode_value(json::value& v, exec_result& out, json::decoder& d) {
    bool has_code = false;
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "exitCode" || (key == "code" && !has_code)) {
            // `code` is the legacy name of the field; the TS SDK falls back to it too.
            d.field(key, val, out.exit_code);
            has_code = true;
        } else if (key == "result") {
            d.field("result", val, out.output);
        }
    });
    if (d.ok() && !has_code) d.missing("exitCode");
}

void encode(json::writer& w, const exec_result& r) {
    w.begin_object().member("exitCode", r.exit_code).member("result", r.output).end_object();
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CODEC_IMPL_PROCESS_IPP
