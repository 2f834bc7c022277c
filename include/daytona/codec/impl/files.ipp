// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of codec/files.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CODEC_IMPL_FILES_IPP
#define DAYTONA_CODEC_IMPL_FILES_IPP

#include "daytona/codec/files.hpp"

DAYTONA_BEGIN_NAMESPACE

void decode_value(json::value& v, file_info& out, json::decoder& d) {
    bool has_name = false;
    std::int64_t size = 0;
    d.object(v, "object", json::into("name", out.name, &has_name), json::into("path", out.path),
             json::into("isDir", out.is_dir), json::into("size", size),
             json::into("mode", out.mode), json::into("permissions", out.permissions),
             json::into("modifiedAt", out.modified_at), json::into("modTime", out.mod_time),
             json::into("owner", out.owner), json::into("group", out.group));
    if (d.ok() && !has_name) d.missing("name");
    out.size = size < 0 ? 0 : static_cast<std::uint64_t>(size);
}

void encode(json::writer& w, const file_info& f) {
    w.begin_object().member("name", f.name);
    if (!f.path.empty()) w.member("path", f.path);
    w.member("isDir", f.is_dir)
        .member("size", f.size)
        .member("mode", f.mode)
        .member("permissions", f.permissions)
        .member("modTime", f.mod_time)
        .member("modifiedAt", f.modified_at)
        .member("owner", f.owner)
        .member("group", f.group)
        .end_object();
}

void decode_value(json::value& v, file_match& out, json::decoder& d) {
    bool has_file = false;
    d.object(v, "object", json::into("file", out.file, &has_file), json::into("line", out.line),
             json::into("content", out.content));
    if (d.ok() && !has_file) d.missing("file");
}

void encode(json::writer& w, const file_match& m) {
    w.begin_object()
        .member("file", m.file)
        .member("line", m.line)
        .member("content", m.content)
        .end_object();
}

void decode_value(json::value& v, replace_request& out, json::decoder& d) {
    d.object(v, "object", json::into("files", out.files), json::into("pattern", out.pattern),
             json::into("newValue", out.new_value));
}

void encode(json::writer& w, const replace_request& r) {
    w.begin_object()
        .member("files", r.files)
        .member("newValue", r.new_value)
        .member("pattern", r.pattern)
        .end_object();
}

void decode_value(json::value& v, replace_result& out, json::decoder& d) {
    d.object(v, "object", json::into("file", out.file), json::into("success", out.success),
             json::into("error", out.error));
}

void encode(json::writer& w, const replace_result& r) {
    w.begin_object().member("file", r.file).member("success", r.success);
    if (!r.error.empty()) w.member("error", r.error);
    w.end_object();
}

void decode_value(json::value& v, search_files_response& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("files", out.files, &has));
    if (d.ok() && !has) d.missing("files");
}

void encode(json::writer& w, const search_files_response& r) {
    w.begin_object().member("files", r.files).end_object();
}

void decode_value(json::value& v, files_download_request& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("paths", out.paths, &has));
    if (d.ok() && !has) d.missing("paths");
}

void encode(json::writer& w, const files_download_request& r) {
    w.begin_object().member("paths", r.paths).end_object();
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CODEC_IMPL_FILES_IPP
