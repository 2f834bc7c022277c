// SPDX-License-Identifier: Apache-2.0
// Files and git in a sandbox: a folder of files uploaded in one streamed request with progress,
// a search, a download of several files with one missing, and a git round trip: a repository
// cloned from a file:// remote, a branch committed, and pushed back (a branch with no upstream
// is pushed as Daytona's daemon does, to the branch of the same name).
//
// With DAYTONA_API_KEY set this talks to Daytona; without it, to an embedded emulator.
#include <daytona.hpp>

#include "example_support.hpp"

#include <iostream>

namespace dt = daytona;

//[files_and_git
asio::awaitable<int> files_and_git(dt::client_options options) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};
    dt::result<dt::sandbox> sb = co_await client.create();
    if (!sb) {
        std::cerr << "create failed: " << sb.error() << '\n';
        co_return 1;
    }
    auto fs = sb->fs();

    // Upload several files in one request: memory, or a local path opened when its turn comes.
    std::vector<dt::upload_entry> files;
    for (int i = 1; i <= 3; ++i)
        files.push_back({.source = dt::upload_source::from_memory("print('module " +
                                                                  std::to_string(i) + "')\n"),
                         .destination = "project/mod" + std::to_string(i) + ".py"});
    files.push_back({.source = dt::upload_source::from_memory("# notes\n"),
                     .destination = "project/README.md"});
    dt::transfer_options progress{.on_progress = [](const dt::transfer_progress& p) {
        if (p.files_done == p.files_total)
            std::cout << "uploaded " << p.files_done << " files, " << p.bytes << " bytes\n";
    }};
    if (auto up = co_await fs.upload_files(std::move(files), std::move(progress)); !up) {
        std::cerr << "upload: " << up.error() << '\n';
        co_return 1;
    }
    if (auto py = co_await fs.search("project", "*.py"))
        std::cout << "python files: " << py->size() << '\n';
    if (auto hits = co_await fs.find("project", "module 2"))
        for (const auto& m : *hits)
            std::cout << "found in " << m.file << ":" << m.line << ": " << m.content << '\n';

    // Download several files at once: each outcome stands on its own.
    std::vector<dt::download_entry> wanted{{.path = "project/mod1.py"},
                                           {.path = "project/absent.py"}};
    auto got = co_await fs.download_files(std::move(wanted));
    if (!got) {
        std::cerr << "download: " << got.error() << '\n';
        co_return 1;
    }
    for (const auto& f : *got)
        std::cout << f.path << ": "
                  << (f.ok() ? std::to_string(f.size) + " bytes" : f.failure->message()) << '\n';

    // Git: a bare "remote" made in the sandbox, cloned, a branch committed and pushed.
    auto remote = co_await sb->process().exec(
        "git init -q --bare remote.git && git init -q seed && cd seed && echo hi > README && "
        "git add README && git -c user.name=Seed -c user.email=seed@example.com commit -qm init && "
        "git push -q ../remote.git HEAD:refs/heads/main && "
        "git --git-dir=../remote.git symbolic-ref HEAD refs/heads/main && cd ../remote.git && pwd");
    if (!remote || remote->exit_code != 0) {
        std::cerr << "no git in the sandbox: "
                  << (remote ? remote->output : remote.error().to_string()) << '\n';
        co_return 1;
    }
    std::string dir = remote->output;  // its last line (git may print hints before it)
    while (!dir.empty() && dir.back() == '\n')
        dir.pop_back();
    const std::string url = "file://" + dir.substr(dir.rfind('\n') + 1);
    auto git = sb->git();
    const std::vector<std::string> everything{"."};
    dt::upload_source feature_text = dt::upload_source::from_memory("new\n");
    dt::git_commit_options author{.author = "Ada", .email = "ada@example.com"};
    dt::result<void> step = co_await git.clone(url, "repo");
    if (step) step = co_await git.create_branch("repo", "feature");
    if (step) step = co_await git.checkout("repo", "feature");
    if (step) step = co_await fs.upload("repo/feature.txt", std::move(feature_text));
    if (step) step = co_await git.add("repo", everything);
    if (!step) {
        std::cerr << "git: " << step.error() << '\n';
        co_return 1;
    }
    dt::result<std::string> hash =
        co_await git.commit("repo", "Add feature.txt", std::move(author));
    if (!hash) {
        std::cerr << "commit: " << hash.error() << '\n';
        co_return 1;
    }
    // "feature" has no upstream: it is pushed to the remote's branch of the same name.
    if (auto pushed = co_await git.push("repo"); !pushed) {
        std::cerr << "push: " << pushed.error() << '\n';
        co_return 1;
    }
    std::cout << "committed " << hash->substr(0, 12) << " on feature and pushed it\n";
    auto pushed = co_await sb->process().exec("git --git-dir=remote.git branch");
    if (pushed) std::cout << "branches of the remote:\n" << pushed->output;
    if (auto log = co_await git.history("repo"))
        for (const auto& c : *log)
            std::cout << "  " << c.hash.substr(0, 7) << " " << c.author << ": " << c.message
                      << '\n';

    if (auto gone = co_await sb->destroy(); !gone) std::cerr << gone.error() << '\n';
    co_return 0;
}
//]

int main() {
    std::unique_ptr<dt::emulator::emulator> local;
    dt::client_options options = example::options(local);
    asio::io_context io;
    return dt::run_sync(io, files_and_git(std::move(options)));
}
