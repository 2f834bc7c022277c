// SPDX-License-Identifier: Apache-2.0
// JSON codecs of the git models, both directions (client and emulator). Request keys are the
// daemon's snake_case ones (commit_id, allow_empty); response keys are camelCase.
#ifndef DAYTONA_CODEC_GIT_HPP
#define DAYTONA_CODEC_GIT_HPP

#include "daytona/config.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/models/git.hpp"

DAYTONA_BEGIN_NAMESPACE

/// `{"url":…,"branch":…,"path":…,"username":…,"password":…}`, the TS SDK's key order; unset
/// fields are left out.
DAYTONA_DECL void encode(json::writer& w, const git_clone_request& r);
DAYTONA_DECL void decode_value(json::value& v, git_clone_request& out, json::decoder& d);

DAYTONA_DECL void encode(json::writer& w, const git_add_request& r);
DAYTONA_DECL void decode_value(json::value& v, git_add_request& out, json::decoder& d);

/// `{"path":…,"message":…,"author":…,"email":…}` (+ `allow_empty` when set), as the TS SDK.
DAYTONA_DECL void encode(json::writer& w, const git_commit_request& r);
DAYTONA_DECL void decode_value(json::value& v, git_commit_request& out, json::decoder& d);

DAYTONA_DECL void encode(json::writer& w, const git_repo_request& r);
DAYTONA_DECL void decode_value(json::value& v, git_repo_request& out, json::decoder& d);

DAYTONA_DECL void encode(json::writer& w, const git_branch_request& r);
DAYTONA_DECL void decode_value(json::value& v, git_branch_request& out, json::decoder& d);

DAYTONA_DECL void encode(json::writer& w, const git_checkout_request& r);
DAYTONA_DECL void decode_value(json::value& v, git_checkout_request& out, json::decoder& d);

DAYTONA_DECL void decode_value(json::value& v, git_file_status& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const git_file_status& s);

DAYTONA_DECL void decode_value(json::value& v, git_status& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const git_status& s);

DAYTONA_DECL void decode_value(json::value& v, git_branches& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const git_branches& b);

DAYTONA_DECL void decode_value(json::value& v, git_commit_info& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const git_commit_info& c);

DAYTONA_DECL void decode_value(json::value& v, git_commit_response& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const git_commit_response& r);

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/codec/impl/git.ipp"
#endif

#endif  // DAYTONA_CODEC_GIT_HPP
