// SPDX-License-Identifier: Apache-2.0
// daytona::git: git repositories in a sandbox, driven by the sandbox's toolbox (clone, status,
// add, commit, push, pull, branches, checkout, history).
#ifndef DAYTONA_GIT_HPP
#define DAYTONA_GIT_HPP

#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/models/git.hpp"

#include <memory>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/**
 * \brief Git in one sandbox (the toolbox `git` API), from sandbox::git().
 * \details `path` is the repository's directory in the sandbox. Remotes are reached from the
 * sandbox; credentials (a user name and a password or token) go in the request body of clone,
 * push and pull only.
 * \par Errors
 * The daemon's: HTTP 400 with git's message for a failed git command, condition::not_found for
 * a missing repository, condition::forbidden for a path outside the sandbox; transport errors.
 * \par Credentials
 * A password never appears in an error (it is replaced in every text the server sends back,
 * as is the password part of a URL) nor in a trace (request bodies are traced with `password`
 * redacted).
 * \par Copying
 * A cheap handle: copies share the client and the sandbox data.
 * \par Thread safety
 * As the client: use from the client's executor, one thread or strand at a time.
 */
class git {
public:
    /// Clones `url` into `path` (the remote's default branch).
    [[nodiscard]] asio::awaitable<result<void>> clone(std::string url, std::string path,
                                                      request_options ro = {}) const {
        return clone_impl(client_, sandbox_, std::move(url), std::move(path), git_clone_options{},
                          ro);
    }
    /// Clones `url` into `path` with a branch, a commit to check out, or credentials.
    [[nodiscard]] asio::awaitable<result<void>> clone(std::string url, std::string path,
                                                      git_clone_options opts,
                                                      request_options ro = {}) const {
        return clone_impl(client_, sandbox_, std::move(url), std::move(path), std::move(opts), ro);
    }
    /// The current branch, how far it is ahead of and behind its upstream, and changed files.
    [[nodiscard]] asio::awaitable<result<git_status>> status(std::string path) const {
        return path_call<git_status>(client_, sandbox_, std::move(path), &status_op);
    }
    /// Stages `files` (paths relative to the repository; "." for everything).
    [[nodiscard]] DAYTONA_DECL asio::awaitable<result<void>> add(
        std::string path, std::vector<std::string> files) const;
    /// Commits what is staged; answers the new commit's hash.
    [[nodiscard]] DAYTONA_DECL asio::awaitable<result<std::string>> commit(
        std::string path, std::string message, git_commit_options opts) const;
    /**
     * \brief Pushes to the remote. A branch without an upstream is pushed as well: like the
     * daemon's go-git, every local branch goes to the branch of the same name.
     */
    [[nodiscard]] asio::awaitable<result<void>> push(std::string path,
                                                     request_options ro = {}) const {
        return sync_impl(client_, sandbox_, std::move(path), std::nullopt, true, ro);
    }
    /// push() with credentials.
    [[nodiscard]] asio::awaitable<result<void>> push(std::string path, git_credentials creds,
                                                     request_options ro = {}) const {
        return sync_impl(client_, sandbox_, std::move(path), std::move(creds), true, ro);
    }
    /// Pulls from the current branch's upstream.
    [[nodiscard]] asio::awaitable<result<void>> pull(std::string path,
                                                     request_options ro = {}) const {
        return sync_impl(client_, sandbox_, std::move(path), std::nullopt, false, ro);
    }
    /// pull() with credentials.
    [[nodiscard]] asio::awaitable<result<void>> pull(std::string path, git_credentials creds,
                                                     request_options ro = {}) const {
        return sync_impl(client_, sandbox_, std::move(path), std::move(creds), false, ro);
    }
    /// The local branches (and, from newer daemons, the current one).
    [[nodiscard]] asio::awaitable<result<git_branches>> branches(std::string path) const {
        return path_call<git_branches>(client_, sandbox_, std::move(path), &branches_op);
    }
    /// Creates branch `name` at the current commit (without checking it out).
    [[nodiscard]] DAYTONA_DECL asio::awaitable<result<void>> create_branch(std::string path,
                                                                           std::string name) const;
    /// Deletes branch `name`.
    [[nodiscard]] DAYTONA_DECL asio::awaitable<result<void>> delete_branch(std::string path,
                                                                           std::string name) const;
    /// Checks out a branch or a commit.
    [[nodiscard]] DAYTONA_DECL asio::awaitable<result<void>> checkout(std::string path,
                                                                      std::string branch) const;
    /// The commits of the current branch, newest first.
    [[nodiscard]] asio::awaitable<result<std::vector<git_commit_info>>> history(
        std::string path) const {
        return path_call<std::vector<git_commit_info>>(client_, sandbox_, std::move(path),
                                                       &history_op);
    }

private:
    friend class sandbox;
    using state_ptr = std::shared_ptr<detail::client_state>;
    using data_ptr = std::shared_ptr<detail::sandbox_data>;

    git(state_ptr c, data_ptr s) : client_(std::move(c)), sandbox_(std::move(s)) {}

    /// `e` with `password` (and the password of a `scheme://user:password@host` URL) replaced.
    static DAYTONA_DECL error scrub(error e, const std::string& password,
                                    std::string_view url = {});

    static DAYTONA_DECL asio::awaitable<result<git_status>> status_op(api::channel ch,
                                                                      std::string path);
    static DAYTONA_DECL asio::awaitable<result<git_branches>> branches_op(api::channel ch,
                                                                          std::string path);
    static DAYTONA_DECL asio::awaitable<result<std::vector<git_commit_info>>> history_op(
        api::channel ch, std::string path);

    template <class T>
    static asio::awaitable<result<T>> path_call(state_ptr c, data_ptr s, std::string path,
                                                asio::awaitable<result<T>> (*op)(api::channel,
                                                                                 std::string)) {
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        co_return co_await op(std::move(*ch), std::move(path));
    }

    static DAYTONA_DECL asio::awaitable<result<void>> clone_impl(state_ptr c, data_ptr s,
                                                                 std::string url, std::string path,
                                                                 git_clone_options opts,
                                                                 request_options ro);
    static DAYTONA_DECL asio::awaitable<result<void>> add_impl(state_ptr c, data_ptr s,
                                                               git_add_request r);
    static DAYTONA_DECL asio::awaitable<result<std::string>> commit_impl(state_ptr c, data_ptr s,
                                                                         git_commit_request r);
    static DAYTONA_DECL asio::awaitable<result<void>> sync_impl(
        state_ptr c, data_ptr s, std::string path, std::optional<git_credentials> creds, bool push,
        request_options ro);
    static DAYTONA_DECL asio::awaitable<result<void>> branch_impl(state_ptr c, data_ptr s,
                                                                  git_branch_request r,
                                                                  bool create);
    static DAYTONA_DECL asio::awaitable<result<void>> checkout_impl(state_ptr c, data_ptr s,
                                                                    git_checkout_request r);

    state_ptr client_;
    data_ptr sandbox_;
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/git.ipp"
#endif

#endif  // DAYTONA_GIT_HPP
