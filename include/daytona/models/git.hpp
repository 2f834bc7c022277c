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
    std::string username{};
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
    /// Author name and email of the commit.
    std::string author{};
    std::string email{};
    /// Record a commit even when nothing is staged. Default false.
    bool allow_empty = false;
};

/// OpenAPI `GitCloneRequest`.
struct git_clone_request {
    std::string url{};
    std::string path{};
    std::optional<std::string> branch{};
    std::optional<std::string> commit_id{};
    std::optional<std::string> username{};
    std::optional<std::string> password{};
};

/// OpenAPI `GitAddRequest`.
struct git_add_request {
    std::string path{};
    /// Paths relative to the repository; "." for everything.
    std::vector<std::string> files{};
};

/// OpenAPI `GitCommitRequest`.
struct git_commit_request {
    std::string path{};
    std::string message{};
    std::string author{};
    std::string email{};
    bool allow_empty = false;
};

/// OpenAPI `GitRepoRequest` (push and pull).
struct git_repo_request {
    std::string path{};
    std::optional<std::string> username{};
    std::optional<std::string> password{};
};

/// OpenAPI `GitBranchRequest` / `GitDeleteBranchRequest`.
struct git_branch_request {
    std::string path{};
    std::string name{};
};

/// OpenAPI `GitCheckoutRequest`.
struct git_checkout_request {
    std::string path{};
    /// A branch name or a commit.
    std::string branch{};
};

/// OpenAPI `FileStatus`: one changed file. `staging` and `worktree` are the daemon's words:
/// Unmodified, Untracked, Modified, Added, Deleted, Renamed, Copied, "Updated but unmerged".
struct git_file_status {
    std::string name{};
    std::string staging{};
    std::string worktree{};
    std::string extra{};
};

/// OpenAPI `GitStatus`.
struct git_status {
    std::string current_branch{};
    std::vector<git_file_status> file_status{};
    int ahead = 0;
    int behind = 0;
    /// Whether the branch has an upstream.
    bool branch_published = false;
};

/// OpenAPI `ListBranchResponse`.
struct git_branches {
    std::vector<std::string> branches{};
    /// The checked-out branch (newer daemons; empty otherwise).
    std::string current{};
};

/// OpenAPI `GitCommitInfo`: one entry of the history.
struct git_commit_info {
    std::string hash{};
    std::string author{};
    std::string email{};
    std::string message{};
    /// RFC 3339.
    std::string timestamp{};
};

/// OpenAPI `GitCommitResponse`.
struct git_commit_response {
    std::string hash{};
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_MODELS_GIT_HPP
