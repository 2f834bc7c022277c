// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of codec/session.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CODEC_IMPL_SESSION_IPP
#define DAYTONA_CODEC_IMPL_SESSION_IPP

#include "daytona/codec/session.hpp"

DAYTONA_BEGIN_NAMESPACE

void decode_value(json::value& v, session_command& out, json::decoder& d) {
    bool has_id = false;
    d.object(v, "object", json::into("id", out.id, &has_id), json::into("command", out.command),
             json::into("exitCode", out.exit_code));
    if (d.ok() && !has_id) d.missing("id");
}

void encode(json::writer& w, const session_command& c) {
    w.begin_object().member("id", c.id).member("command", c.command);
    w.member("exitCode", c.exit_code).end_object();
}

void decode_value(json::value& v, session_info& out, json::decoder& d) {
    bool has_id = false;
    d.object(v, "object", json::into("sessionId", out.session_id, &has_id),
             json::into("commands", out.commands));
    if (d.ok() && !has_id) d.missing("sessionId");
}

void encode(json::writer& w, const session_info& s) {
    w.begin_object().member("sessionId", s.session_id).key("commands").begin_array();
    for (const auto& c : s.commands)
        encode(w, c);
    w.end_array().end_object();
}

void decode_value(json::value& v, create_session_request& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("sessionId", out.session_id, &has));
    if (d.ok() && !has) d.missing("sessionId");
}

void encode(json::writer& w, const create_session_request& r) {
    w.begin_object().member("sessionId", r.session_id).end_object();
}

void decode_value(json::value& v, session_execute_request& out, json::decoder& d) {
    bool has = false;
    std::optional<bool> legacy_async;
    d.object(v, "object", json::into("command", out.command, &has),
             json::into("runAsync", out.run_async), json::into("async", legacy_async),
             json::into("suppressInputEcho", out.suppress_input_echo));
    if (legacy_async && *legacy_async) out.run_async = true;  // the deprecated spelling
    if (d.ok() && !has) d.missing("command");
}

void encode(json::writer& w, const session_execute_request& r) {
    w.begin_object().member("command", r.command).member("runAsync", r.run_async);
    w.member("suppressInputEcho", r.suppress_input_echo).end_object();
}

void decode_value(json::value& v, session_execute_response& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("cmdId", out.cmd_id, &has),
             json::into("exitCode", out.exit_code), json::into("output", out.output),
             json::into("stdout", out.stdout_text), json::into("stderr", out.stderr_text));
    if (d.ok() && !has) d.missing("cmdId");
}

void encode(json::writer& w, const session_execute_response& r) {
    w.begin_object().member("cmdId", r.cmd_id);
    if (r.exit_code) {
        w.member("output", r.output)
            .member("stdout", r.stdout_text)
            .member("stderr", r.stderr_text)
            .member("exitCode", *r.exit_code);
    }
    w.end_object();
}

void decode_value(json::value& v, session_logs& out, json::decoder& d) {
    d.object(v, "object", json::into("output", out.output), json::into("stdout", out.stdout_text),
             json::into("stderr", out.stderr_text));
}

void encode(json::writer& w, const session_logs& l) {
    w.begin_object()
        .member("output", l.output)
        .member("stdout", l.stdout_text)
        .member("stderr", l.stderr_text)
        .end_object();
}

void decode_value(json::value& v, session_input& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("data", out.data, &has));
    if (d.ok() && !has) d.missing("data");
}

void encode(json::writer& w, const session_input& i) {
    w.begin_object().member("data", i.data).end_object();
}

void decode_value(json::value& v, code_run_request& out, json::decoder& d) {
    bool has_code = false;
    d.object(v, "object", json::into("code", out.code, &has_code),
             json::into("language", out.language), json::into("argv", out.argv),
             json::into("envs", out.envs), json::into("timeout", out.timeout));
    if (d.ok() && !has_code) d.missing("code");
}

void encode(json::writer& w, const code_run_request& r) {
    w.begin_object().member("code", r.code).member("language", r.language);
    if (!r.argv.empty()) w.member("argv", r.argv);
    if (!r.envs.empty()) w.member("envs", r.envs);
    w.member("timeout", r.timeout).end_object();
}

void decode_value(json::value& v, code_run_result& out, json::decoder& d) {
    bool has_code = false;
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "exitCode") {
            d.field(key, val, out.exit_code);
            has_code = true;
        } else if (key == "result") {
            d.field(key, val, out.output);
        } else if (key == "artifacts") {
            d.push(key);
            d.each_field(val, "object", [&](std::string_view k, json::value& charts) {
                if (k != "charts") return;
                d.push(k);
                d.each_element(charts, [&](json::value& chart) {
                    code_run_chart c;
                    if (!json::to_text(chart, c.json)) {
                        d.fail("malformed chart");
                        return;
                    }
                    out.charts.push_back(std::move(c));
                });
                d.pop();
            });
            d.pop();
        }
    });
    if (d.ok() && !has_code) d.missing("exitCode");
}

void encode(json::writer& w, const code_run_result& r) {
    w.begin_object().member("exitCode", r.exit_code).member("result", r.output);
    if (!r.charts.empty()) {
        w.key("artifacts").begin_object().key("charts").begin_array();
        for (const auto& c : r.charts)
            w.raw(c.json);
        w.end_array().end_object();
    }
    w.end_object();
}

void decode_value(json::value& v, dir_response& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("dir", out.dir, &has));
    if (d.ok() && !has) d.missing("dir");
}

void encode(json::writer& w, const dir_response& r) {
    w.begin_object().member("dir", r.dir).end_object();
}

void decode_value(json::value& v, port_list& out, json::decoder& d) {
    d.object(v, "object", json::into("ports", out.ports));
}

void encode(json::writer& w, const port_list& p) {
    w.begin_object().key("ports").begin_array();
    for (int port : p.ports)
        w.value(port);
    w.end_array().end_object();
}

void decode_value(json::value& v, port_in_use& out, json::decoder& d) {
    d.object(v, "object", json::into("isInUse", out.is_in_use));
}

void encode(json::writer& w, const port_in_use& p) {
    w.begin_object().member("isInUse", p.is_in_use).end_object();
}

void decode_value(json::value& v, version_response& out, json::decoder& d) {
    d.object(v, "object", json::into("version", out.version));
}

void encode(json::writer& w, const version_response& r) {
    w.begin_object().member("version", r.version).end_object();
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CODEC_IMPL_SESSION_IPP
