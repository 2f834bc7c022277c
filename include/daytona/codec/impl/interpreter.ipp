// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of codec/interpreter.hpp: included by it in the header-only build, compiled
// once by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CODEC_IMPL_INTERPRETER_IPP
#define DAYTONA_CODEC_IMPL_INTERPRETER_IPP

#include "daytona/codec/interpreter.hpp"

DAYTONA_BEGIN_NAMESPACE

void decode_value(json::value& v, interpreter_context& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("id", out.id, &has), json::into("cwd", out.cwd),
             json::into("language", out.language), json::into("createdAt", out.created_at),
             json::into("active", out.active));
    if (d.ok() && !has) d.missing("id");
}

void encode(json::writer& w, const interpreter_context& c) {
    w.begin_object()
        .member("id", c.id)
        .member("cwd", c.cwd)
        .member("language", c.language)
        .member("createdAt", c.created_at)
        .member("active", c.active)
        .end_object();
}

void decode_value(json::value& v, create_context_request& out, json::decoder& d) {
    d.object(v, "object", json::into("cwd", out.cwd), json::into("language", out.language));
}

void encode(json::writer& w, const create_context_request& r) {
    w.begin_object().member("cwd", r.cwd).member("language", r.language).end_object();
}

void decode_value(json::value& v, list_contexts_response& out, json::decoder& d) {
    d.object(v, "object", json::into("contexts", out.contexts));
}

void encode(json::writer& w, const list_contexts_response& l) {
    w.begin_object().key("contexts").begin_array();
    for (const auto& c : l.contexts)
        encode(w, c);
    w.end_array().end_object();
}

void decode_value(json::value& v, interpreter_execute_request& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("code", out.code, &has),
             json::into("contextId", out.context_id), json::into("envs", out.envs),
             json::into("timeout", out.timeout));
    if (d.ok() && !has) d.missing("code");
}

void encode(json::writer& w, const interpreter_execute_request& r) {
    w.begin_object().member("code", r.code).member("contextId", r.context_id);
    if (!r.envs.empty()) w.member("envs", r.envs);
    w.member("timeout", r.timeout).end_object();
}

void decode_value(json::value& v, interpreter_message& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("type", out.type, &has), json::into("text", out.text),
             json::into("name", out.name), json::into("value", out.value),
             json::into("traceback", out.traceback));
    if (d.ok() && !has) d.missing("type");
}

void encode(json::writer& w, const interpreter_message& m) {
    w.begin_object().member("type", m.type);
    if (m.type == "error")
        w.member("name", m.name).member("value", m.value).member("traceback", m.traceback);
    else
        w.member("text", m.text);
    w.end_object();
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CODEC_IMPL_INTERPRETER_IPP
