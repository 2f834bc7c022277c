// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of codec/pty.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CODEC_IMPL_PTY_IPP
#define DAYTONA_CODEC_IMPL_PTY_IPP

#include "daytona/codec/pty.hpp"
#include "daytona/net/crypto.hpp"

DAYTONA_BEGIN_NAMESPACE

void decode_value(json::value& v, pty_create_request& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("id", out.id, &has), json::into("cwd", out.cwd),
             json::into("envs", out.envs), json::into("cols", out.cols),
             json::into("rows", out.rows), json::into("lazyStart", out.lazy_start));
    if (d.ok() && !has) d.missing("id");
}

void encode(json::writer& w, const pty_create_request& r) {
    w.begin_object().member("id", r.id).member("cwd", r.cwd);
    if (!r.envs.empty()) w.member("envs", r.envs);
    w.member("cols", r.cols).member("rows", r.rows).member("lazyStart", r.lazy_start);
    w.end_object();
}

void decode_value(json::value& v, pty_create_response& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("sessionId", out.session_id, &has));
    if (d.ok() && !has) d.missing("sessionId");
}

void encode(json::writer& w, const pty_create_response& r) {
    w.begin_object().member("sessionId", r.session_id).end_object();
}

void decode_value(json::value& v, pty_session_info& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("id", out.id, &has), json::into("cwd", out.cwd),
             json::into("envs", out.envs), json::into("cols", out.cols),
             json::into("rows", out.rows), json::into("createdAt", out.created_at),
             json::into("active", out.active), json::into("lazyStart", out.lazy_start));
    if (d.ok() && !has) d.missing("id");
}

void encode(json::writer& w, const pty_session_info& p) {
    w.begin_object()
        .member("id", p.id)
        .member("cwd", p.cwd)
        .member("envs", p.envs)
        .member("cols", p.cols)
        .member("rows", p.rows)
        .member("createdAt", p.created_at)
        .member("active", p.active)
        .member("lazyStart", p.lazy_start)
        .end_object();
}

void decode_value(json::value& v, pty_list_response& out, json::decoder& d) {
    d.object(v, "object", json::into("sessions", out.sessions));
}

void encode(json::writer& w, const pty_list_response& l) {
    w.begin_object().key("sessions").begin_array();
    for (const auto& s : l.sessions)
        encode(w, s);
    w.end_array().end_object();
}

void decode_value(json::value& v, pty_resize_request& out, json::decoder& d) {
    bool has_cols = false, has_rows = false;
    d.object(v, "object", json::into("cols", out.cols, &has_cols),
             json::into("rows", out.rows, &has_rows));
    if (d.ok() && !has_cols) d.missing("cols");
    if (d.ok() && !has_rows) d.missing("rows");
}

void encode(json::writer& w, const pty_resize_request& r) {
    w.begin_object().member("cols", r.cols).member("rows", r.rows).end_object();
}

namespace pty_protocol {

std::vector<std::string> offers(const std::map<std::string, std::string>& envs) {
    std::vector<std::string> out;
    if (!envs.empty()) {
        std::string j;
        json::writer w(j);
        w.value(envs);
        out.push_back(std::string(envs_prefix) + net::base64url_encode(j));
    }
    out.emplace_back(exit_control);
    return out;
}

void decode_value(json::value& v, control_message& out, json::decoder& d) {
    d.object(v, "object", json::into("type", out.type), json::into("status", out.status),
             json::into("error", out.error), json::into("exitCode", out.exit_code),
             json::into("exitReason", out.exit_reason));
}

void encode(json::writer& w, const control_message& m) {
    w.begin_object()
        .member("type", m.type)
        .member("status", m.status)
        .member("error", m.error)
        .member("exitCode", m.exit_code)
        .member("exitReason", m.exit_reason)
        .end_object();
}

std::optional<control_message> parse_control(std::string_view text) {
    if (text.empty() || text.front() != '{') return std::nullopt;
    auto m = json::decode<control_message>(text, "control");
    if (!m || m->type != "control") return std::nullopt;
    return std::move(*m);
}

void decode_value(json::value& v, close_reason& out, json::decoder& d) {
    d.object(v, "object", json::into("exitCode", out.exit_code),
             json::into("exitReason", out.exit_reason), json::into("error", out.error));
}

void encode(json::writer& w, const close_reason& r) {
    w.begin_object()
        .member("exitCode", r.exit_code)
        .member("exitReason", r.exit_reason)
        .member("error", r.error)
        .end_object();
}

std::optional<close_reason> parse_close_reason(std::string_view text) {
    if (text.empty() || text.front() != '{') return std::nullopt;
    auto r = json::decode<close_reason>(text, "reason");
    if (!r) return std::nullopt;
    return std::move(*r);
}

}  // namespace pty_protocol

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CODEC_IMPL_PTY_IPP
