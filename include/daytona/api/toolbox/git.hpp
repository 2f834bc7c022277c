// SPDX-License-Identifier: Apache-2.0
// Toolbox operations of the `git` tag, one line each, on a sandbox's toolbox channel.
#ifndef DAYTONA_API_TOOLBOX_GIT_HPP
#define DAYTONA_API_TOOLBOX_GIT_HPP

#include "daytona/api/operation.hpp"
#include "daytona/api/operations.hpp"
#include "daytona/codec/git.hpp"
#include "daytona/config.hpp"
#include "daytona/http/url.hpp"
#include "daytona/models/git.hpp"

#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace api {

namespace detail_git {
inline request_parts path_query(std::string_view path) {
    return query(http::query_builder().add("path", path).release());
}
}  // namespace detail_git

/// `POST /git/clone`. A clone can take long: the client's request timeout applies unless
/// `ro.timeout` says otherwise.
inline asio::awaitable<result<void>> git_clone(const channel& c, const git_clone_request& r,
                                               request_options ro = {}) {
    return invoke<void>(c, ops::git_clone, {}, json_body(r), ro);
}
/// `GET /git/status?path=`.
inline asio::awaitable<result<daytona::git_status>> git_status(const channel& c,
                                                               std::string_view path,
                                                               request_options ro = {}) {
    return invoke<daytona::git_status>(c, ops::git_status, {}, detail_git::path_query(path), ro);
}
/// `POST /git/add`.
inline asio::awaitable<result<void>> git_add(const channel& c, const git_add_request& r,
                                             request_options ro = {}) {
    return invoke<void>(c, ops::git_add, {}, json_body(r), ro);
}
/// `POST /git/commit`: the new commit's hash.
inline asio::awaitable<result<git_commit_response>> git_commit(const channel& c,
                                                               const git_commit_request& r,
                                                               request_options ro = {}) {
    return invoke<git_commit_response>(c, ops::git_commit, {}, json_body(r), ro);
}
/// `POST /git/push`.
inline asio::awaitable<result<void>> git_push(const channel& c, const git_repo_request& r,
                                              request_options ro = {}) {
    return invoke<void>(c, ops::git_push, {}, json_body(r), ro);
}
/// `POST /git/pull`.
inline asio::awaitable<result<void>> git_pull(const channel& c, const git_repo_request& r,
                                              request_options ro = {}) {
    return invoke<void>(c, ops::git_pull, {}, json_body(r), ro);
}
/// `GET /git/branches?path=`.
inline asio::awaitable<result<git_branches>> git_list_branches(const channel& c,
                                                               std::string_view path,
                                                               request_options ro = {}) {
    return invoke<git_branches>(c, ops::git_list_branches, {}, detail_git::path_query(path), ro);
}
/// `POST /git/branches` (201).
inline asio::awaitable<result<void>> git_create_branch(const channel& c,
                                                       const git_branch_request& r,
                                                       request_options ro = {}) {
    return invoke<void>(c, ops::git_create_branch, {}, json_body(r), ro);
}
/// `DELETE /git/branches` with a JSON body (204).
inline asio::awaitable<result<void>> git_delete_branch(const channel& c,
                                                       const git_branch_request& r,
                                                       request_options ro = {}) {
    return invoke<void>(c, ops::git_delete_branch, {}, json_body(r), ro);
}
/// `POST /git/checkout`: a branch or a commit.
inline asio::awaitable<result<void>> git_checkout(const channel& c, const git_checkout_request& r,
                                                  request_options ro = {}) {
    return invoke<void>(c, ops::git_checkout, {}, json_body(r), ro);
}
/// `GET /git/history?path=`: newest first.
inline asio::awaitable<result<std::vector<git_commit_info>>> git_history(const channel& c,
                                                                         std::string_view path,
                                                                         request_options ro = {}) {
    return invoke<std::vector<git_commit_info>>(c, ops::git_history, {},
                                                detail_git::path_query(path), ro);
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_TOOLBOX_GIT_HPP
