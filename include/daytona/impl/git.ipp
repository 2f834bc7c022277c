// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of git.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_GIT_IPP
#define DAYTONA_IMPL_GIT_IPP

#include "daytona/api/toolbox/git.hpp"
#include "daytona/git.hpp"

#include <memory>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

asio::awaitable<result<void>> git::add(std::string path, std::vector<std::string> files) const {
    git_add_request r{.path = std::move(path), .files = std::move(files)};
    return add_impl(client_, sandbox_, std::move(r));
}

asio::awaitable<result<std::string>> git::commit(std::string path, std::string message,
                                                 git_commit_options opts) const {
    git_commit_request r{.path = std::move(path),
                         .message = std::move(message),
                         .author = std::move(opts.author),
                         .email = std::move(opts.email),
                         .allow_empty = opts.allow_empty};
    return commit_impl(client_, sandbox_, std::move(r));
}

asio::awaitable<result<void>> git::create_branch(std::string path, std::string name) const {
    git_branch_request r{.path = std::move(path), .name = std::move(name)};
    return branch_impl(client_, sandbox_, std::move(r), true);
}

asio::awaitable<result<void>> git::delete_branch(std::string path, std::string name) const {
    git_branch_request r{.path = std::move(path), .name = std::move(name)};
    return branch_impl(client_, sandbox_, std::move(r), false);
}

asio::awaitable<result<void>> git::checkout(std::string path, std::string branch) const {
    git_checkout_request r{.path = std::move(path), .branch = std::move(branch)};
    return checkout_impl(client_, sandbox_, std::move(r));
}

error git::scrub(error e, const std::string& password, std::string_view url) {
    if (!password.empty()) e = e.redacted(password);
    const auto scheme = url.find("://");
    if (scheme != std::string_view::npos) {
        const auto rest = url.substr(scheme + 3);
        const auto at = rest.find('@');
        const auto slash = rest.find('/');
        if (at != std::string_view::npos && (slash == std::string_view::npos || at < slash)) {
            const auto userinfo = rest.substr(0, at);
            const auto colon = userinfo.find(':');
            if (colon != std::string_view::npos && colon + 1 < userinfo.size())
                e = e.redacted(userinfo.substr(colon + 1));
        }
    }
    return e;
}

asio::awaitable<result<git_status>> git::status_op(api::channel ch, std::string path) {
    co_return co_await api::git_status(ch, path);
}

asio::awaitable<result<git_branches>> git::branches_op(api::channel ch, std::string path) {
    co_return co_await api::git_list_branches(ch, path);
}

asio::awaitable<result<std::vector<git_commit_info>>> git::history_op(api::channel ch,
                                                                      std::string path) {
    co_return co_await api::git_history(ch, path);
}

asio::awaitable<result<void>> git::clone_impl(state_ptr c, data_ptr s, std::string url,
                                              std::string path, git_clone_options opts,
                                              request_options ro) {
    git_clone_request r{.url = std::move(url),
                        .path = std::move(path),
                        .branch = std::move(opts.branch),
                        .commit_id = std::move(opts.commit)};
    std::string password;
    if (opts.credentials) {
        r.username = std::move(opts.credentials->username);
        password = opts.credentials->password;
        r.password = std::move(opts.credentials->password);
    }
    auto ch = co_await detail::toolbox_channel(c, s, ro);
    if (!ch) co_return std::move(ch).error();
    auto out = co_await api::git_clone(*ch, r, ro);
    if (!out) co_return scrub(std::move(out).error(), password, r.url);
    co_return out;
}

asio::awaitable<result<void>> git::add_impl(state_ptr c, data_ptr s, git_add_request r) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::git_add(*ch, r);
}

asio::awaitable<result<std::string>> git::commit_impl(state_ptr c, data_ptr s,
                                                      git_commit_request r) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    auto out = co_await api::git_commit(*ch, r);
    if (!out) co_return std::move(out).error();
    co_return std::move(out->hash);
}

asio::awaitable<result<void>> git::sync_impl(state_ptr c, data_ptr s, std::string path,
                                             std::optional<git_credentials> creds, bool push,
                                             request_options ro) {
    git_repo_request r{.path = std::move(path)};
    std::string password;
    if (creds) {
        r.username = std::move(creds->username);
        password = creds->password;
        r.password = std::move(creds->password);
    }
    auto ch = co_await detail::toolbox_channel(c, s, ro);
    if (!ch) co_return std::move(ch).error();
    if (push) {
        auto out = co_await api::git_push(*ch, r, ro);
        if (!out) co_return scrub(std::move(out).error(), password);
        co_return out;
    }
    auto out = co_await api::git_pull(*ch, r, ro);
    if (!out) co_return scrub(std::move(out).error(), password);
    co_return out;
}

asio::awaitable<result<void>> git::branch_impl(state_ptr c, data_ptr s, git_branch_request r,
                                               bool create) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    if (create) co_return co_await api::git_create_branch(*ch, r);
    co_return co_await api::git_delete_branch(*ch, r);
}

asio::awaitable<result<void>> git::checkout_impl(state_ptr c, data_ptr s, git_checkout_request r) {
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::git_checkout(*ch, r);
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_GIT_IPP
