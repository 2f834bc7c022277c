// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of codec/lsp.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CODEC_IMPL_LSP_IPP
#define DAYTONA_CODEC_IMPL_LSP_IPP

#include "daytona/codec/lsp.hpp"

DAYTONA_BEGIN_NAMESPACE

void decode_value(json::value& v, lsp_server_request& out, json::decoder& d) {
    d.object(v, "object", json::into("languageId", out.language_id),
             json::into("pathToProject", out.path_to_project));
}

void encode(json::writer& w, const lsp_server_request& r) {
    w.begin_object()
        .member("languageId", r.language_id)
        .member("pathToProject", r.path_to_project)
        .end_object();
}

void decode_value(json::value& v, lsp_document_request& out, json::decoder& d) {
    d.object(v, "object", json::into("languageId", out.language_id),
             json::into("pathToProject", out.path_to_project), json::into("uri", out.uri));
}

void encode(json::writer& w, const lsp_document_request& r) {
    w.begin_object()
        .member("languageId", r.language_id)
        .member("pathToProject", r.path_to_project)
        .member("uri", r.uri)
        .end_object();
}

void decode_value(json::value& v, lsp_position& out, json::decoder& d) {
    d.object(v, "object", json::into("line", out.line), json::into("character", out.character));
}

void encode(json::writer& w, const lsp_position& p) {
    w.begin_object().member("line", p.line).member("character", p.character).end_object();
}

void decode_value(json::value& v, lsp_completion_context& out, json::decoder& d) {
    d.object(v, "object", json::into("triggerKind", out.trigger_kind),
             json::into("triggerCharacter", out.trigger_character));
}

void encode(json::writer& w, const lsp_completion_context& c) {
    w.begin_object()
        .member("triggerKind", c.trigger_kind)
        .member("triggerCharacter", c.trigger_character)
        .end_object();
}

void decode_value(json::value& v, lsp_completion_params& out, json::decoder& d) {
    d.object(v, "object", json::into("languageId", out.language_id),
             json::into("pathToProject", out.path_to_project), json::into("uri", out.uri),
             json::into("position", out.position), json::into("context", out.context));
}

void encode(json::writer& w, const lsp_completion_params& p) {
    w.begin_object()
        .member("languageId", p.language_id)
        .member("pathToProject", p.path_to_project)
        .member("uri", p.uri)
        .key("position");
    encode(w, p.position);
    if (p.context) {
        w.key("context");
        encode(w, *p.context);
    }
    w.end_object();
}

void decode_value(json::value& v, lsp_completion_item& out, json::decoder& d) {
    bool has_label = false;
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "label") {
            d.field(key, val, out.label);
            has_label = true;
        } else if (key == "kind") {
            d.field(key, val, out.kind);
        } else if (key == "detail") {
            d.field(key, val, out.detail);
        } else if (key == "sortText") {
            d.field(key, val, out.sort_text);
        } else if (key == "filterText") {
            d.field(key, val, out.filter_text);
        } else if (key == "insertText") {
            d.field(key, val, out.insert_text);
        } else if (key == "documentation") {
            d.push(key);
            if (!json::to_text(val, out.documentation)) d.fail("malformed documentation");
            d.pop();
        }
    });
    if (d.ok() && !has_label) d.missing("label");
}

void encode(json::writer& w, const lsp_completion_item& i) {
    w.begin_object().member("label", i.label).member("kind", i.kind).member("detail", i.detail);
    if (!i.documentation.empty()) w.key("documentation").raw(i.documentation);
    w.member("sortText", i.sort_text)
        .member("filterText", i.filter_text)
        .member("insertText", i.insert_text)
        .end_object();
}

void decode_value(json::value& v, lsp_completion_list& out, json::decoder& d) {
    d.object(v, "object", json::into("isIncomplete", out.is_incomplete),
             json::into("items", out.items));
}

void encode(json::writer& w, const lsp_completion_list& l) {
    w.begin_object().member("isIncomplete", l.is_incomplete).key("items").begin_array();
    for (const auto& i : l.items)
        encode(w, i);
    w.end_array().end_object();
}

void decode_value(json::value& v, lsp_range& out, json::decoder& d) {
    d.object(v, "object", json::into("start", out.start), json::into("end", out.end));
}

void encode(json::writer& w, const lsp_range& r) {
    w.begin_object().key("start");
    encode(w, r.start);
    w.key("end");
    encode(w, r.end);
    w.end_object();
}

void decode_value(json::value& v, lsp_location& out, json::decoder& d) {
    d.object(v, "object", json::into("uri", out.uri), json::into("range", out.range));
}

void encode(json::writer& w, const lsp_location& l) {
    w.begin_object().member("uri", l.uri).key("range");
    encode(w, l.range);
    w.end_object();
}

void decode_value(json::value& v, lsp_symbol& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("name", out.name, &has), json::into("kind", out.kind),
             json::into("location", out.location));
    if (d.ok() && !has) d.missing("name");
}

void encode(json::writer& w, const lsp_symbol& s) {
    w.begin_object().member("name", s.name).member("kind", s.kind).key("location");
    encode(w, s.location);
    w.end_object();
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CODEC_IMPL_LSP_IPP
