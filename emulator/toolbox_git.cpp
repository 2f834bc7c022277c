// SPDX-License-Identifier: Apache-2.0
// /toolbox/{id}/git/...: the daemon's git API (REFERENCE.md §5.10), run by the real git
// executable as a sandbox process. Arguments go in argv (never through a shell), user values
// after "--" where git accepts it, so no value can become an option.
#include "service.hpp"

#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>
#include <daytona/json/writer.hpp>

#include <algorithm>
#include <iterator>

namespace daytona::emulator {

namespace git_impl {

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

}  // namespace git_impl
using namespace git_impl;

asio::awaitable<run_outcome> service::run_git(const sandbox_record& rec, std::string_view cwd,
                                              std::vector<std::string> args) {
    std::vector<std::string> argv{"/usr/bin/git"};
    for (auto& a : args)
        argv.push_back(std::move(a));
    // No prompts (there is no terminal), no system/global config from the host.
    std::map<std::string, std::string> env{{"GIT_TERMINAL_PROMPT", "0"},
                                           {"GIT_CONFIG_NOSYSTEM", "1"}};
    run_spec spec;
    spec.process = process_spec(rec, std::move(argv), cwd, env);
    spec.timeout = std::chrono::minutes(10);
    spec.separate_stderr = true;
    spec.tracker = runtime_of(rec.info.id).get();
    co_return co_await run_command(std::move(spec));
}

asio::awaitable<void> service::git_routes(exchange& ex, const sandbox_record& rec,
                                          const segments& rest) {
    const auto& method = ex.request().method;
    const std::string op = rest.size() == 2 ? rest[1] : "";
    // An unknown operation is 404 before anything about its body is judged.
    static constexpr std::pair<std::string_view, std::string_view> known[] = {
        {"clone", "POST"},   {"status", "GET"},    {"add", "POST"},        {"commit", "POST"},
        {"branches", "GET"}, {"branches", "POST"}, {"branches", "DELETE"}, {"checkout", "POST"},
        {"push", "POST"},    {"pull", "POST"},     {"history", "GET"}};
    if (std::none_of(std::begin(known), std::end(known),
                     [&](const auto& k) { return k.first == op && k.second == method; }))
        co_return co_await send(ex,
                                toolbox_error(ex, 404, "NOT_FOUND",
                                              "no route " + method + " " + std::string(ex.path())));
    git_body body;
    if (method == "GET") {
        body.path = ex.query_param("path").value_or("");
    } else {
        auto b = co_await read_json<git_body>(ex, true);
        if (!b) co_return;
        body = std::move(*b);
    }
    if (body.path.empty() && op != "")
        co_return co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST", "path is required"));
    std::string why;
    auto repo = host_path(rec, body.path, &why);
    if (!repo) co_return co_await send(ex, toolbox_error(ex, 403, "FILE_ACCESS_DENIED", why));
    const auto repo_path = absolute_in_sandbox(rec, body.path);
    const auto fail = [&](const run_outcome& r) {
        auto text = std::string(detail::trim(r.error_output.empty() ? r.output : r.error_output));
        return toolbox_error(ex, 400, "GIT_ERROR",
                             "git failed: " + (r.timed_out ? std::string("timeout") : text));
    };
    std::vector<std::string> args;
    if (op == "clone" && method == "POST") {
        if (body.url.empty() || looks_like_option(body.url) || looks_like_option(body.branch))
            co_return co_await send(
                ex, toolbox_error(ex, 400, "BAD_REQUEST", "a valid url is required"));
        std::error_code ec;
        fs::create_directories(repo->parent_path(), ec);
        args = {"clone"};
        if (!body.branch.empty()) args.insert(args.end(), {"--branch", body.branch});
        if (body.depth && *body.depth > 0)
            args.insert(args.end(), {"--depth", std::to_string(*body.depth)});
        args.insert(args.end(), {"--", body.url, process_path(rec, repo_path)});
        auto r = co_await run_git(rec, "", std::move(args));
        if (r.exit_code != 0) co_return co_await send(ex, fail(r));
        if (!body.commit_id.empty()) {
            std::vector<std::string> co{"checkout", "--detach", body.commit_id};
            auto c = co_await run_git(rec, repo_path, std::move(co));
            if (c.exit_code != 0) co_return co_await send(ex, fail(c));
        }
        co_return co_await send(ex, empty_reply(200));
    }
    if (op == "status" && method == "GET") {
        std::vector<std::string> st{"status", "--porcelain=v1", "--branch"};
        auto r = co_await run_git(rec, repo_path, std::move(st));
        if (r.exit_code != 0) co_return co_await send(ex, fail(r));
        std::string branch;
        int ahead = 0, behind = 0;
        bool published = false;
        std::string out;
        json::writer w(out);
        w.begin_object().key("fileStatus").begin_array();
        for (auto line : split(r.output, '\n')) {
            if (line.starts_with("## ")) {
                auto head = line.substr(3);
                auto dots = head.find("...");
                branch = std::string(head.substr(0, std::min(dots, head.find(' '))));
                if (branch.starts_with("No commits yet on ")) branch = branch.substr(18);
                published = dots != std::string_view::npos;
                if (auto a = head.find("ahead "); a != std::string_view::npos)
                    ahead = detail::parse_uint<unsigned>(
                                head.substr(a + 6, head.find_first_of(",]", a) - a - 6))
                                .value_or(0);
                if (auto b = head.find("behind "); b != std::string_view::npos)
                    behind =
                        detail::parse_uint<unsigned>(head.substr(b + 7, head.find(']', b) - b - 7))
                            .value_or(0);
                continue;
            }
            if (line.size() < 4) continue;
            w.begin_object()
                .member("name", valid_utf8(line.substr(3)))
                .member("staging", status_word(line[0]))
                .member("worktree", status_word(line[1]))
                .member("extra", "")
                .end_object();
        }
        w.end_array()
            .member("currentBranch", branch)
            .member("ahead", ahead)
            .member("behind", behind)
            .member("branchPublished", published)
            .end_object();
        co_return co_await send(ex, json_reply(200, std::move(out)));
    }
    if (op == "add" && method == "POST") {
        args = {"add", "--"};
        for (auto& f : body.files)
            args.push_back(f);
        if (body.files.empty()) args.push_back(".");
    } else if (op == "commit" && method == "POST") {
        if (body.message.empty())
            co_return co_await send(ex,
                                    toolbox_error(ex, 400, "BAD_REQUEST", "message is required"));
        args = {"-c",        "user.name=" + body.author,
                "-c",        "user.email=" + body.email,
                "commit",    "-m",
                body.message};
        if (body.allow_empty) args.push_back("--allow-empty");
        auto r = co_await run_git(rec, repo_path, std::move(args));
        if (r.exit_code != 0) co_return co_await send(ex, fail(r));
        std::vector<std::string> head{"rev-parse", "HEAD"};
        auto h = co_await run_git(rec, repo_path, std::move(head));
        std::string out;
        json::writer w(out);
        w.begin_object().member("hash", std::string(detail::trim(h.output))).end_object();
        co_return co_await send(ex, json_reply(200, std::move(out)));
    } else if (op == "branches" && method == "GET") {
        std::vector<std::string> list{"branch", "--format=%(refname:short)"};
        auto r = co_await run_git(rec, repo_path, std::move(list));
        if (r.exit_code != 0) co_return co_await send(ex, fail(r));
        std::vector<std::string> cur{"branch", "--show-current"};
        auto c = co_await run_git(rec, repo_path, std::move(cur));
        std::string out;
        json::writer w(out);
        w.begin_object().key("branches").begin_array();
        for (auto line : split(r.output, '\n'))
            if (!line.empty()) w.value(valid_utf8(line));
        w.end_array().member("current", std::string(detail::trim(c.output))).end_object();
        co_return co_await send(ex, json_reply(200, std::move(out)));
    } else if (op == "branches" && (method == "POST" || method == "DELETE")) {
        if (body.name.empty() || looks_like_option(body.name))
            co_return co_await send(
                ex, toolbox_error(ex, 400, "BAD_REQUEST", "a valid branch name is required"));
        args = method == "POST" ? std::vector<std::string>{"branch", "--", body.name}
                                : std::vector<std::string>{"branch", "-D", "--", body.name};
        auto r = co_await run_git(rec, repo_path, std::move(args));
        if (r.exit_code != 0) co_return co_await send(ex, fail(r));
        co_return co_await send(ex, empty_reply(method == "POST" ? 201 : 204));
    } else if (op == "checkout" && method == "POST") {
        if (body.branch.empty() || looks_like_option(body.branch))
            co_return co_await send(
                ex, toolbox_error(ex, 400, "BAD_REQUEST", "a valid branch is required"));
        args = {"checkout", body.branch, "--"};
    } else if ((op == "push" || op == "pull") && method == "POST") {
        if (looks_like_option(body.remote) || looks_like_option(body.branch))
            co_return co_await send(
                ex, toolbox_error(ex, 400, "BAD_REQUEST", "invalid remote or branch"));
        args = {op};
        if (op == "push" && body.set_upstream) args.push_back("--set-upstream");
        if (!body.remote.empty() || !body.branch.empty())
            args.push_back(body.remote.empty() ? "origin" : body.remote);
        if (!body.branch.empty()) args.push_back(body.branch);
    } else if (op == "history" && method == "GET") {
        std::vector<std::string> log{"log", "--format=%H%x1f%an%x1f%ae%x1f%s%x1f%aI%x1e"};
        auto r = co_await run_git(rec, repo_path, std::move(log));
        if (r.exit_code != 0) co_return co_await send(ex, fail(r));
        std::string out;
        json::writer w(out);
        w.begin_array();
        for (auto rec_text : split(r.output, '\x1e')) {
            auto f = split(detail::trim(rec_text), '\x1f');
            if (f.size() < 5) continue;
            w.begin_object()
                .member("hash", f[0])
                .member("author", valid_utf8(f[1]))
                .member("email", valid_utf8(f[2]))
                .member("message", valid_utf8(f[3]))
                .member("timestamp", f[4])
                .end_object();
        }
        w.end_array();
        co_return co_await send(ex, json_reply(200, std::move(out)));
    } else {
        co_return co_await send(ex,
                                toolbox_error(ex, 404, "NOT_FOUND",
                                              "no route " + method + " " + std::string(ex.path())));
    }
    auto r = co_await run_git(rec, repo_path, std::move(args));
    if (r.exit_code != 0) co_return co_await send(ex, fail(r));
    co_await send(ex, empty_reply(200));
}

}  // namespace daytona::emulator
