// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/toolbox/git.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_TOOLBOX_IMPL_GIT_IPP
#define DAYTONA_API_TOOLBOX_IMPL_GIT_IPP

#include "daytona/api/toolbox/git.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace api {
namespace detail_git {

request_parts path_query(std::string_view path) {
    return query(http::query_builder().add("path", path).release());
}

}  // namespace detail_git

asio::awaitable<result<void>> git_clone(const channel& c, const git_clone_request& r,
                                        request_options ro) {
    return invoke<void>(c, ops::git_clone, {}, json_body(r), ro);
}

asio::awaitable<result<daytona::git_status>> git_status(const channel& c, std::string_view path,
                                                        request_options ro) {
    return invoke<daytona::git_status>(c, ops::git_status, {}, detail_git::path_query(path), ro);
}

asio::awaitable<result<void>> git_add(const channel& c, const git_add_request& r,
                                      request_options ro) {
    return invoke<void>(c, ops::git_add, {}, json_body(r), ro);
}

asio::awaitable<result<git_commit_response>> git_commit(const channel& c,
                                                        const git_commit_request& r,
                                                        request_options ro) {
    return invoke<git_commit_response>(c, ops::git_commit, {}, json_body(r), ro);
}

asio::awaitable<result<void>> git_push(const channel& c, const git_repo_request& r,
                                       request_options ro) {
    return invoke<void>(c, ops::git_push, {}, json_body(r), ro);
}

asio::awaitable<result<void>> git_pull(const channel& c, const git_repo_request& r,
                                       request_options ro) {
    return invoke<void>(c, ops::git_pull, {}, json_body(r), ro);
}

asio::awaitable<result<git_branches>> git_list_branches(const channel& c, std::string_view path,
                                                        request_options ro) {
    return invoke<git_branches>(c, ops::git_list_branches, {}, detail_git::path_query(path), ro);
}

asio::awaitable<result<void>> git_create_branch(const channel& c, const git_branch_request& r,
                                                request_options ro) {
    return invoke<void>(c, ops::git_create_branch, {}, json_body(r), ro);
}

asio::awaitable<result<void>> git_delete_branch(const channel& c, const git_branch_request& r,
                                                request_options ro) {
    return invoke<void>(c, ops::git_delete_branch, {}, json_body(r), ro);
}

asio::awaitable<result<void>> git_checkout(const channel& c, const git_checkout_request& r,
                                           request_options ro) {
    return invoke<void>(c, ops::git_checkout, {}, json_body(r), ro);
}

asio::awaitable<result<std::vector<git_commit_info>>> git_history(const channel& c,
                                                                  std::string_view path,
                                                                  request_options ro) {
    return invoke<std::vector<git_commit_info>>(c, ops::git_history, {},
                                                detail_git::path_query(path), ro);
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_TOOLBOX_IMPL_GIT_IPP
