// SPDX-License-Identifier: Apache-2.0
// Git models (toolbox tag `git`): the request bodies (snake_case keys, as the daemon takes them)
// and GitStatus, ListBranchResponse, GitCommitInfo, GitCommitResponse. Aggregates only; codecs
// in codec/git.hpp.
#ifndef DAYTONA_MODELS_GIT_HPP
#define DAYTONA_MODELS_GIT_HPP

#include "daytona/config.hpp"

#include <optional>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/// A user name and password (or token) for a remote over HTTPS. Never shown in errors or
/// traces.
struct git_credentials {
    /// User name for HTTPS authentication with the remote.
    std::string username{};
    /// Password or access token.
    std::string password{};
};

/// Options of git::clone.
struct git_clone_options {
    /// Branch to check out; default: the remote's default branch.
    std::optional<std::string> branch{};
    /// Commit to check out (detached) after cloning.
    std::optional<std::string> commit{};
    /// Credentials for a private repository.
    std::optional<git_credentials> credentials{};
};

/// Options of git::commit.
struct git_commit_options {
    /// Author name of the commit.
    std::string author{};
    /// Author email of the commit.
    std::string email{};
    /// Record a commit even when nothing is staged. Default false.
    bool allow_empty = false;
};

/// OpenAPI `GitCloneRequest`.
struct git_clone_request {
    /// URL of the remote repository.
    std::string url{};
    /// Directory in the sandbox to clone into.
    std::string path{};
    /// Branch to check out; unset: the remote's default branch.
    std::optional<std::string> branch{};
    /// Commit to check out (detached) after cloning.
    std::optional<std::string> commit_id{};
    /// User name for a private repository.
    std::optional<std::string> username{};
    /// Password or token for a private repository.
    std::optional<std::string> password{};
};

/// OpenAPI `GitAddRequest`.
struct git_add_request {
    /// The repository's directory in the sandbox.
    std::string path{};
    /// Paths relative to the repository; "." for everything.
    std::vector<std::string> files{};
};

/// OpenAPI `GitCommitRequest`.
struct git_commit_request {
    /// The repository's directory in the sandbox.
    std::string path{};
    /// The commit message.
    std::string message{};
    /// Author name.
    std::string author{};
    /// Author email.
    std::string email{};
    /// Record a commit even when nothing is staged; sent only when true.
    bool allow_empty = false;
};

/// OpenAPI `GitRepoRequest` (push and pull).
struct git_repo_request {
    /// The repository's directory in the sandbox.
    std::string path{};
    /// User name for the remote, when it needs credentials.
    std::optional<std::string> username{};
    /// Password or token for the remote, when it needs credentials.
    std::optional<std::string> password{};
};

/// OpenAPI `GitBranchRequest` / `GitDeleteBranchRequest`.
struct git_branch_request {
    /// The repository's directory in the sandbox.
    std::string path{};
    /// Name of the branch to create or delete.
    std::string name{};
};

/// OpenAPI `GitCheckoutRequest`.
struct git_checkout_request {
    /// The repository's directory in the sandbox.
    std::string path{};
    /// A branch name or a commit.
    std::string branch{};
};

/// OpenAPI `FileStatus`: one changed file. `staging` and `worktree` are the daemon's words:
/// Unmodified, Untracked, Modified, Added, Deleted, Renamed, Copied, "Updated but unmerged".
struct git_file_status {
    /// Path of the file, relative to the repository.
    std::string name{};
    /// Status in the index (staged), e.g. `Modified`; empty when the daemon sends none.
    std::string staging{};
    /// Status in the working tree (unstaged), e.g. `Untracked`; empty when the daemon sends none.
    std::string worktree{};
    /// Extra information from git, such as the previous name of a renamed file; often empty.
    std::string extra{};
};

/// OpenAPI `GitStatus`.
struct git_status {
    /// Name of the checked-out branch.
    std::string current_branch{};
    /// The changed files (`fileStatus`); empty for a clean tree.
    std::vector<git_file_status> file_status{};
    /// Commits on the branch that its upstream lacks; 0 without an upstream.
    int ahead = 0;
    /// Commits on the upstream that the branch lacks; 0 without an upstream.
    int behind = 0;
    /// Whether the branch has an upstream.
    bool branch_published = false;
};

/// OpenAPI `ListBranchResponse`.
struct git_branches {
    /// Names of the local branches.
    std::vector<std::string> branches{};
    /// The checked-out branch (newer daemons; empty otherwise).
    std::string current{};
};

/// OpenAPI `GitCommitInfo`: one entry of the history.
struct git_commit_info {
    /// The commit's full hash (hex).
    std::string hash{};
    /// Author name.
    std::string author{};
    /// Author email.
    std::string email{};
    /// The full commit message.
    std::string message{};
    /// RFC 3339.
    std::string timestamp{};
};

/// OpenAPI `GitCommitResponse`.
struct git_commit_response {
    /// The new commit's full hash (hex).
    std::string hash{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_GIT_HPP
