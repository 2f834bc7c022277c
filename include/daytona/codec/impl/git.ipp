// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of codec/git.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CODEC_IMPL_GIT_IPP
#define DAYTONA_CODEC_IMPL_GIT_IPP

#include "daytona/codec/git.hpp"

DAYTONA_BEGIN_NAMESPACE

void encode(json::writer& w, const git_clone_request& r) {
    w.begin_object().member("url", r.url).member("branch", r.branch).member("path", r.path);
    w.member("username", r.username).member("password", r.password);
    w.member("commit_id", r.commit_id).end_object();
}

void decode_value(json::value& v, git_clone_request& out, json::decoder& d) {
    bool has_url = false, has_path = false;
    d.object(v, "object", json::into("url", out.url, &has_url),
             json::into("path", out.path, &has_path), json::into("branch", out.branch),
             json::into("commit_id", out.commit_id), json::into("username", out.username),
             json::into("password", out.password));
    if (d.ok() && !has_url) d.missing("url");
    if (d.ok() && !has_path) d.missing("path");
}

void encode(json::writer& w, const git_add_request& r) {
    w.begin_object().member("path", r.path).member("files", r.files).end_object();
}

void decode_value(json::value& v, git_add_request& out, json::decoder& d) {
    d.object(v, "object", json::into("path", out.path), json::into("files", out.files));
}

void encode(json::writer& w, const git_commit_request& r) {
    w.begin_object()
        .member("path", r.path)
        .member("message", r.message)
        .member("author", r.author)
        .member("email", r.email);
    if (r.allow_empty) w.member("allow_empty", true);
    w.end_object();
}

void decode_value(json::value& v, git_commit_request& out, json::decoder& d) {
    d.object(v, "object", json::into("path", out.path), json::into("message", out.message),
             json::into("author", out.author), json::into("email", out.email),
             json::into("allow_empty", out.allow_empty));
}

void encode(json::writer& w, const git_repo_request& r) {
    w.begin_object().member("path", r.path).member("username", r.username);
    w.member("password", r.password).end_object();
}

void decode_value(json::value& v, git_repo_request& out, json::decoder& d) {
    d.object(v, "object", json::into("path", out.path), json::into("username", out.username),
             json::into("password", out.password));
}

void encode(json::writer& w, const git_branch_request& r) {
    w.begin_object().member("path", r.path).member("name", r.name).end_object();
}

void decode_value(json::value& v, git_branch_request& out, json::decoder& d) {
    d.object(v, "object", json::into("path", out.path), json::into("name", out.name));
}

void encode(json::writer& w, const git_checkout_request& r) {
    w.begin_object().member("path", r.path).member("branch", r.branch).end_object();
}

void decode_value(json::value& v, git_checkout_request& out, json::decoder& d) {
    d.object(v, "object", json::into("path", out.path), json::into("branch", out.branch));
}

void decode_value(json::value& v, git_file_status& out, json::decoder& d) {
    std::optional<std::string> staging, worktree;
    d.object(v, "object", json::into("name", out.name), json::into("staging", staging),
             json::into("worktree", worktree), json::into("extra", out.extra));
    out.staging = staging.value_or("");
    out.worktree = worktree.value_or("");
}

void encode(json::writer& w, const git_file_status& s) {
    w.begin_object()
        .member("name", s.name)
        .member("staging", s.staging)
        .member("worktree", s.worktree)
        .member("extra", s.extra)
        .end_object();
}

void decode_value(json::value& v, git_status& out, json::decoder& d) {
    bool has = false;
    std::optional<int> ahead, behind;
    std::optional<bool> published;
    d.object(v, "object", json::into("currentBranch", out.current_branch, &has),
             json::into("fileStatus", out.file_status), json::into("ahead", ahead),
             json::into("behind", behind), json::into("branchPublished", published));
    if (d.ok() && !has) d.missing("currentBranch");
    out.ahead = ahead.value_or(0);
    out.behind = behind.value_or(0);
    out.branch_published = published.value_or(false);
}

void encode(json::writer& w, const git_status& s) {
    w.begin_object().key("fileStatus").begin_array();
    for (const auto& f : s.file_status)
        encode(w, f);
    w.end_array()
        .member("currentBranch", s.current_branch)
        .member("ahead", s.ahead)
        .member("behind", s.behind)
        .member("branchPublished", s.branch_published)
        .end_object();
}

void decode_value(json::value& v, git_branches& out, json::decoder& d) {
    bool has = false;
    std::optional<std::string> current;
    d.object(v, "object", json::into("branches", out.branches, &has),
             json::into("current", current));
    if (d.ok() && !has) d.missing("branches");
    out.current = current.value_or("");
}

void encode(json::writer& w, const git_branches& b) {
    w.begin_object().member("branches", b.branches);
    if (!b.current.empty()) w.member("current", b.current);
    w.end_object();
}

void decode_value(json::value& v, git_commit_info& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("hash", out.hash, &has), json::into("author", out.author),
             json::into("email", out.email), json::into("message", out.message),
             json::into("timestamp", out.timestamp));
    if (d.ok() && !has) d.missing("hash");
}

void encode(json::writer& w, const git_commit_info& c) {
    w.begin_object()
        .member("hash", c.hash)
        .member("author", c.author)
        .member("email", c.email)
        .member("message", c.message)
        .member("timestamp", c.timestamp)
        .end_object();
}

void decode_value(json::value& v, git_commit_response& out, json::decoder& d) {
    bool has = false;
    d.object(v, "object", json::into("hash", out.hash, &has));
    if (d.ok() && !has) d.missing("hash");
}

void encode(json::writer& w, const git_commit_response& r) {
    w.begin_object().member("hash", r.hash).end_object();
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CODEC_IMPL_GIT_IPP
