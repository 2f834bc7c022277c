// SPDX-License-Identifier: Apache-2.0
// /toolbox/{id}/git/...: the daemon's git API (snake_case request keys such as commit_id and
// allow_empty, as the daemon takes them), run by the real git executable as a sandbox process.
// Arguments go in argv (never through a shell), user values after "--" where git accepts it, so no
// value can become an option.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/codec/git.hpp>
#include <daytona/codec/sandbox.hpp>

#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>

#include <algorithm>
#include <iterator>

namespace daytona::emulator {

namespace git_impl {

namespace ops = api::ops;

/// Every git request body, as one struct (each route reads the fields it needs).
struct git_body {
    std::string path, url, branch, commit_id, message, author, email, name, username, password,
        remote;
    std::vector<std::string> files;
    std::optional<int> depth;
    bool allow_empty = false, set_upstream = false;
};

void decode_value(json::value& v, git_body& out, json::decoder& d) {
    d.object(v, "object", json::into("path", out.path), json::into("url", out.url),
             json::into("branch", out.branch), json::into("commit_id", out.commit_id),
             json::into("message", out.message), json::into("author", out.author),
             json::into("email", out.email), json::into("name", out.name),
             json::into("username", out.username), json::into("password", out.password),
             json::into("remote", out.remote), json::into("files", out.files),
             json::into("depth", out.depth), json::into("allow_empty", out.allow_empty),
             json::into("set_upstream", out.set_upstream));
}

std::string_view status_word(char c) {
    switch (c) {
        case ' ':
            return "Unmodified";
        case '?':
            return "Untracked";
        case 'M':
            return "Modified";
        case 'A':
            return "Added";
        case 'D':
            return "Deleted";
        case 'R':
            return "Renamed";
        case 'C':
            return "Copied";
        case 'U':
            return "Updated but unmerged";
        default:
            return "Unmodified";
    }
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    while (!s.empty()) {
        auto at = s.find(sep);
        out.push_back(s.substr(0, at));
        if (at == std::string_view::npos) break;
        s.remove_prefix(at + 1);
    }
    return out;
}

bool looks_like_option(std::string_view v) {
    return !v.empty() && v.front() == '-';
}

/// A git request: its body (GET: the path from the query) and the repository it names.
struct git_request {
    git_body body;
    fs::path host;     ///< the repository on the host
    std::string repo;  ///< the repository as a sandbox path
    /// Extra environment of the git process (credentials).
    std::map<std::string, std::string> env;
};

/// What is wrong with the body for this operation ("" when nothing is): values that git would
/// take as options are refused, so no request can smuggle one in.
std::string invalid(std::string_view op, const git_body& b) {
    if (op == ops::git_clone.name &&
        (b.url.empty() || looks_like_option(b.url) || looks_like_option(b.branch)))
        return "a valid url is required";
    if (op == ops::git_commit.name && b.message.empty()) return "message is required";
    if ((op == ops::git_create_branch.name || op == ops::git_delete_branch.name) &&
        (b.name.empty() || looks_like_option(b.name)))
        return "a valid branch name is required";
    if (op == ops::git_checkout.name && (b.branch.empty() || looks_like_option(b.branch)))
        return "a valid branch is required";
    if ((op == ops::git_push.name || op == ops::git_pull.name) &&
        (looks_like_option(b.remote) || looks_like_option(b.branch)))
        return "invalid remote or branch";
    return {};
}

/// Git options that answer a credential prompt from the environment (credential_env), so the
/// password is in neither argv nor a file; none when the request carries no credentials.
std::vector<std::string> credential_args(const git_body& b) {
    if (b.username.empty() && b.password.empty()) return {};
    return {"-c", "credential.helper=", "-c",
            "credential.helper=!f() { test \"$1\" = get || exit 0; "
            "echo \"username=$DAYTONA_GIT_USERNAME\"; "
            "echo \"password=$DAYTONA_GIT_PASSWORD\"; }; f"};
}
std::map<std::string, std::string> credential_env(const git_body& b) {
    if (b.username.empty() && b.password.empty()) return {};
    return {{"DAYTONA_GIT_USERNAME", b.username}, {"DAYTONA_GIT_PASSWORD", b.password}};
}

class git {
public:
    explicit git(context& ctx) : ctx_(ctx) {}

    asio::awaitable<void> clone(call& c);
    asio::awaitable<void> status(call& c);
    asio::awaitable<void> add(call& c);
    asio::awaitable<void> commit(call& c);
    asio::awaitable<void> branches(call& c);
    /// Create (POST) or delete (DELETE) a branch.
    asio::awaitable<void> change_branch(call& c);
    asio::awaitable<void> checkout(call& c);
    /// push and pull.
    asio::awaitable<void> sync(call& c);
    asio::awaitable<void> history(call& c);

private:
    /// Reads the request and checks its path and body; nullopt after answering 400 or 403.
    asio::awaitable<std::optional<git_request>> prepare(call& c);
    asio::awaitable<run_outcome> run(const sandbox_record& rec, std::string_view cwd,
                                     std::vector<std::string> args,
                                     const std::map<std::string, std::string>& extra_env);
    /// Runs git in the repository; nullopt after answering its failure.
    asio::awaitable<std::optional<run_outcome>> succeed(call& c, const git_request& g,
                                                        std::vector<std::string> args);
    /// Runs git in the repository and answers 200 with no body, or the failure.
    asio::awaitable<void> run_and_answer(call& c, const git_request& g,
                                         std::vector<std::string> args, int status = 200);

    context& ctx_;
};

/// 400 GIT_ERROR with what git said.
reply git_failure(const exchange& ex, const run_outcome& r) {
    auto text = std::string(detail::trim(r.error_output.empty() ? r.output : r.error_output));
    return toolbox_error(ex, 400, "GIT_ERROR",
                         "git failed: " + (r.timed_out ? std::string("timeout") : text));
}

asio::awaitable<run_outcome> git::run(const sandbox_record& rec, std::string_view cwd,
                                      std::vector<std::string> args,
                                      const std::map<std::string, std::string>& extra_env) {
    std::vector<std::string> argv{"/usr/bin/git"};
    for (auto& a : args)
        argv.push_back(std::move(a));
    // No prompts (there is no terminal), no system/global config from the host.
    std::map<std::string, std::string> env = extra_env;
    env["GIT_TERMINAL_PROMPT"] = "0";
    env["GIT_CONFIG_NOSYSTEM"] = "1";
    run_spec spec;
    spec.process = ctx_.host.process_spec(rec, std::move(argv), cwd, env);
    spec.timeout = std::chrono::minutes(10);
    spec.separate_stderr = true;
    spec.tracker = ctx_.runtime_of(rec.info.id);
    co_return co_await run_command(std::move(spec));
}

asio::awaitable<std::optional<git_request>> git::prepare(call& c) {
    auto& ex = c.ex;
    git_request g;
    if (ex.request().method == "GET") {
        g.body.path = ex.query_param("path").value_or("");
    } else {
        auto b = co_await read_json<git_body>(ex, true);
        if (!b) co_return std::nullopt;
        g.body = std::move(*b);
    }
    if (g.body.path.empty()) {
        co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST", "path is required"));
        co_return std::nullopt;
    }
    std::string why;
    auto host = ctx_.host.host_path(c.sandbox(), g.body.path, &why);
    if (!host) {
        co_await send(ex, toolbox_error(ex, 403, "FILE_ACCESS_DENIED", why));
        co_return std::nullopt;
    }
    if (auto problem = invalid(c.matched.name(), g.body); !problem.empty()) {
        co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST", std::move(problem)));
        co_return std::nullopt;
    }
    g.host = std::move(*host);
    g.repo = ctx_.host.absolute_in_sandbox(c.sandbox(), g.body.path);
    co_return g;
}

asio::awaitable<std::optional<run_outcome>> git::succeed(call& c, const git_request& g,
                                                         std::vector<std::string> args) {
    auto r = co_await run(c.sandbox(), g.repo, std::move(args), g.env);
    if (r.exit_code == 0) co_return r;
    co_await send(c.ex, git_failure(c.ex, r));
    co_return std::nullopt;
}

asio::awaitable<void> git::run_and_answer(call& c, const git_request& g,
                                          std::vector<std::string> args, int status) {
    auto r = co_await succeed(c, g, std::move(args));
    if (r) co_await send(c.ex, empty_reply(status));
}

asio::awaitable<void> git::clone(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    auto g = co_await prepare(c);
    if (!g) co_return;
    const auto& body = g->body;
    std::error_code ec;
    fs::create_directories(g->host.parent_path(), ec);
    std::vector<std::string> args = credential_args(body);
    args.push_back("clone");
    if (!body.branch.empty()) args.insert(args.end(), {"--branch", body.branch});
    if (body.depth && *body.depth > 0)
        args.insert(args.end(), {"--depth", std::to_string(*body.depth)});
    args.insert(args.end(), {"--", body.url, ctx_.host.process_path(rec, g->repo)});
    g->env = credential_env(body);
    auto r = co_await run(rec, "", std::move(args), g->env);
    if (r.exit_code != 0) co_return co_await send(ex, git_failure(ex, r));
    if (body.commit_id.empty()) co_return co_await send(ex, empty_reply(200));
    std::vector<std::string> detach{"checkout", "--detach", body.commit_id};
    co_await run_and_answer(c, *g, std::move(detach));
}

asio::awaitable<void> git::status(call& c) {
    auto& ex = c.ex;
    auto g = co_await prepare(c);
    if (!g) co_return;
    std::vector<std::string> args{"status", "--porcelain=v1", "--branch"};
    auto r = co_await succeed(c, *g, std::move(args));
    if (!r) co_return;
    git_status out;
    for (auto line : split(r->output, '\n')) {
        if (line.starts_with("## ")) {
            auto head = line.substr(3);
            auto dots = head.find("...");
            auto& branch = out.current_branch;
            branch = std::string(head.substr(0, std::min(dots, head.find(' '))));
            if (branch.starts_with("No commits yet on ")) branch = branch.substr(18);
            out.branch_published = dots != std::string_view::npos;
            if (auto a = head.find("ahead "); a != std::string_view::npos)
                out.ahead = detail::parse_uint<unsigned>(
                                head.substr(a + 6, head.find_first_of(",]", a) - a - 6))
                                .value_or(0);
            if (auto b = head.find("behind "); b != std::string_view::npos)
                out.behind =
                    detail::parse_uint<unsigned>(head.substr(b + 7, head.find(']', b) - b - 7))
                        .value_or(0);
            continue;
        }
        if (line.size() < 4) continue;
        out.file_status.push_back({.name = valid_utf8(line.substr(3)),
                                   .staging = std::string(status_word(line[0])),
                                   .worktree = std::string(status_word(line[1]))});
    }
    co_await send(ex, encoded_reply(out));
}

asio::awaitable<void> git::add(call& c) {
    auto g = co_await prepare(c);
    if (!g) co_return;
    std::vector<std::string> args{"add", "--"};
    for (auto& f : g->body.files)
        args.push_back(f);
    if (g->body.files.empty()) args.push_back(".");
    co_await run_and_answer(c, *g, std::move(args));
}

asio::awaitable<void> git::commit(call& c) {
    auto& ex = c.ex;
    auto g = co_await prepare(c);
    if (!g) co_return;
    const auto& body = g->body;
    std::vector<std::string> args{
        "-c",        "user.name=" + body.author, "-c", "user.email=" + body.email, "commit", "-m",
        body.message};
    if (body.allow_empty) args.push_back("--allow-empty");
    auto committed = co_await succeed(c, *g, std::move(args));
    if (!committed) co_return;
    std::vector<std::string> head{"rev-parse", "HEAD"};
    auto h = co_await run(c.sandbox(), g->repo, std::move(head), g->env);
    const git_commit_response made{.hash = std::string(detail::trim(h.output))};
    co_await send(ex, encoded_reply(made));
}

asio::awaitable<void> git::branches(call& c) {
    auto g = co_await prepare(c);
    if (!g) co_return;
    std::vector<std::string> list{"branch", "--format=%(refname:short)"};
    auto r = co_await succeed(c, *g, std::move(list));
    if (!r) co_return;
    std::vector<std::string> show{"branch", "--show-current"};
    auto current = co_await run(c.sandbox(), g->repo, std::move(show), g->env);
    // A detached HEAD has no current branch: `current` is then left out.
    git_branches out{.current = std::string(detail::trim(current.output))};
    for (auto line : split(r->output, '\n'))
        if (!line.empty()) out.branches.push_back(valid_utf8(line));
    co_await send(c.ex, encoded_reply(out));
}

asio::awaitable<void> git::change_branch(call& c) {
    auto g = co_await prepare(c);
    if (!g) co_return;
    const bool create = c.matched.name() == ops::git_create_branch.name;
    auto args = create ? std::vector<std::string>{"branch", "--", g->body.name}
                       : std::vector<std::string>{"branch", "-D", "--", g->body.name};
    co_await run_and_answer(c, *g, std::move(args), create ? 201 : 204);
}

asio::awaitable<void> git::checkout(call& c) {
    auto g = co_await prepare(c);
    if (!g) co_return;
    std::vector<std::string> args{"checkout", g->body.branch, "--"};
    co_await run_and_answer(c, *g, std::move(args));
}

asio::awaitable<void> git::sync(call& c) {
    auto g = co_await prepare(c);
    if (!g) co_return;
    const auto& body = g->body;
    const bool push = c.matched.name() == ops::git_push.name;
    std::vector<std::string> args = credential_args(body);
    args.push_back(push ? "push" : "pull");
    if (push && body.set_upstream) args.push_back("--set-upstream");
    if (push || !body.remote.empty() || !body.branch.empty())
        args.push_back(body.remote.empty() ? "origin" : body.remote);
    if (!body.branch.empty())
        args.push_back(body.branch);
    else if (push)
        // The daemon pushes through go-git, whose default refspec sends every local branch to
        // the branch of the same name: a branch without an upstream is pushed too.
        args.push_back("refs/heads/*:refs/heads/*");
    g->env = credential_env(body);
    co_await run_and_answer(c, *g, std::move(args));
}

asio::awaitable<void> git::history(call& c) {
    auto g = co_await prepare(c);
    if (!g) co_return;
    std::vector<std::string> log{"log", "--format=%H%x1f%an%x1f%ae%x1f%s%x1f%aI%x1e"};
    auto r = co_await succeed(c, *g, std::move(log));
    if (!r) co_return;
    std::vector<git_commit_info> out;
    for (auto entry : split(r->output, '\x1e')) {
        auto f = split(detail::trim(entry), '\x1f');
        if (f.size() < 5) continue;
        out.push_back({.hash = std::string(f[0]),
                       .author = valid_utf8(f[1]),
                       .email = valid_utf8(f[2]),
                       .message = valid_utf8(f[3]),
                       .timestamp = std::string(f[4])});
    }
    co_await send(c.ex, encoded_reply(out));
}

}  // namespace git_impl

void add_git_routes(route_table& table, context& ctx) {
    using git_impl::git;
    namespace ops = api::ops;
    table.add(std::make_shared<git>(ctx), {{ops::git_clone, &git::clone},
                                           {ops::git_status, &git::status},
                                           {ops::git_add, &git::add},
                                           {ops::git_commit, &git::commit},
                                           {ops::git_list_branches, &git::branches},
                                           {ops::git_create_branch, &git::change_branch},
                                           {ops::git_delete_branch, &git::change_branch},
                                           {ops::git_checkout, &git::checkout},
                                           {ops::git_push, &git::sync},
                                           {ops::git_pull, &git::sync},
                                           {ops::git_history, &git::history}});
}

}  // namespace daytona::emulator
