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
DAYTONA_DECL request_parts path_query(std::string_view path);
}  // namespace detail_git

/// `POST /git/clone`. A clone can take long: the client's request timeout applies unless
/// `ro.timeout` says otherwise.
DAYTONA_DECL asio::awaitable<result<void>> git_clone(const channel& c, const git_clone_request& r,
                                                     request_options ro = {});
/// `GET /git/status?path=`.
DAYTONA_DECL asio::awaitable<result<daytona::git_status>> git_status(const channel& c,
                                                                     std::string_view path,
                                                                     request_options ro = {});
/// `POST /git/add`.
DAYTONA_DECL asio::awaitable<result<void>> git_add(const channel& c, const git_add_request& r,
                                                   request_options ro = {});
/// `POST /git/commit`: the new commit's hash.
DAYTONA_DECL asio::awaitable<result<git_commit_response>> git_commit(const channel& c,
                                                                     const git_commit_request& r,
                                                                     request_options ro = {});
/// `POST /git/push`.
DAYTONA_DECL asio::awaitable<result<void>> git_push(const channel& c, const git_repo_request& r,
                                                    request_options ro = {});
/// `POST /git/pull`.
DAYTONA_DECL asio::awaitable<result<void>> git_pull(const channel& c, const git_repo_request& r,
                                                    request_options ro = {});
/// `GET /git/branches?path=`.
DAYTONA_DECL asio::awaitable<result<git_branches>> git_list_branches(const channel& c,
                                                                     std::string_view path,
                                                                     request_options ro = {});
/// `POST /git/branches` (201).
DAYTONA_DECL asio::awaitable<result<void>> git_create_branch(const channel& c,
                                                             const git_branch_request& r,
                                                             request_options ro = {});
/// `DELETE /git/branches` with a JSON body (204).
DAYTONA_DECL asio::awaitable<result<void>> git_delete_branch(const channel& c,
                                                             const git_branch_request& r,
                                                             request_options ro = {});
/// `POST /git/checkout`: a branch or a commit.
DAYTONA_DECL asio::awaitable<result<void>> git_checkout(const channel& c,
                                                        const git_checkout_request& r,
                                                        request_options ro = {});
/// `GET /git/history?path=`: newest first.
DAYTONA_DECL asio::awaitable<result<std::vector<git_commit_info>>> git_history(
    const channel& c, std::string_view path, request_options ro = {});

}  // namespace api
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/toolbox/impl/git.ipp"
#endif

#endif  // DAYTONA_API_TOOLBOX_GIT_HPP
