// SPDX-License-Identifier: Apache-2.0
// Git in a sandbox against the emulator (the real git executable): clone of a repository made
// in the test, status, add, commit, branches, checkout, history, push of a branch without an
// upstream to a bare repository, pull, and credentials that stay out of errors and traces.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace daytona_test;
using namespace std::chrono_literals;

namespace {

class Git : public emulator_test {
protected:
    /// A bare repository `remote.git` in the sandbox's home with one commit on `main`, and its
    /// file:// URL as the sandbox's processes see it.
    std::string make_remote(const dt::sandbox& sb) {
        auto r = await(sb.process().exec(
            "set -e; export GIT_CONFIG_NOSYSTEM=1; "
            "git init -q --bare remote.git; git --git-dir=remote.git symbolic-ref HEAD "
            "refs/heads/main; git init -q seed; cd seed; echo one > README; git add README; "
            "git -c user.name=Seed -c user.email=seed@x commit -qm initial; "
            "git push -q ../remote.git HEAD:refs/heads/main; cd ../remote.git; pwd"));
        if (!r || r->exit_code != 0)
            throw std::runtime_error("cannot make the remote: " +
                                     (r ? r->output : r.error().to_string()));
        // The last line is the directory (git may print hints before it).
        std::string out = r->output;
        while (!out.empty() && out.back() == '\n')
            out.pop_back();
        return "file://" + out.substr(out.rfind('\n') + 1);
    }
    std::string remote_branches(const dt::sandbox& sb) {
        auto r = await(sb.process().exec(
            "git --git-dir=remote.git for-each-ref --format='%(refname:short)' refs/heads"));
        return r ? r->output : r.error().to_string();
    }
};

}  // namespace

TEST_F(Git, CloneStatusAddCommitHistoryAndBranches) {
    auto sb = make();
    const auto url = make_remote(sb);
    auto git = sb.git();
    ASSERT_TRUE(await(git.clone(url, "work")));
    auto readme = await(sb.fs().download("work/README"));
    ASSERT_TRUE(readme) << readme.error();
    EXPECT_EQ(*readme, "one\n");

    ASSERT_TRUE(await(sb.fs().upload("work/new.txt", dt::upload_source::from_memory("new\n"))));
    auto st = await(git.status("work"));
    ASSERT_TRUE(st) << st.error();
    EXPECT_EQ(st->current_branch, "main");
    EXPECT_TRUE(st->branch_published);
    ASSERT_EQ(st->file_status.size(), 1u);
    EXPECT_EQ(st->file_status[0].name, "new.txt");
    EXPECT_EQ(st->file_status[0].worktree, "Untracked");

    ASSERT_TRUE(await(git.add("work", {"."})));
    st = await(git.status("work"));
    ASSERT_TRUE(st) << st.error();
    ASSERT_EQ(st->file_status.size(), 1u);
    EXPECT_EQ(st->file_status[0].staging, "Added");

    dt::git_commit_options who{.author = "Ada", .email = "ada@example.com"};
    auto hash = await(git.commit("work", "add new.txt", who));
    ASSERT_TRUE(hash) << hash.error();
    EXPECT_EQ(hash->size(), 40u);
    // Nothing staged: refused, unless an empty commit is asked for.
    auto nothing = await(git.commit("work", "nothing", who));
    ASSERT_FALSE(nothing);
    EXPECT_EQ(nothing.error().http_status(), 400);
    EXPECT_EQ(nothing.error().operation(), "git_commit");
    dt::git_commit_options empty{.author = "Ada", .email = "ada@example.com", .allow_empty = true};
    ASSERT_TRUE(await(git.commit("work", "empty", std::move(empty))));

    auto log = await(git.history("work"));
    ASSERT_TRUE(log) << log.error();
    ASSERT_EQ(log->size(), 3u);
    EXPECT_EQ((*log)[0].message, "empty");
    EXPECT_EQ((*log)[1].hash, *hash);
    EXPECT_EQ((*log)[1].author, "Ada");
    EXPECT_EQ((*log)[1].email, "ada@example.com");
    EXPECT_EQ((*log)[2].message, "initial");
    EXPECT_FALSE((*log)[1].timestamp.empty());

    ASSERT_TRUE(await(git.create_branch("work", "feature")));
    auto br = await(git.branches("work"));
    ASSERT_TRUE(br) << br.error();
    EXPECT_EQ(br->branches, (std::vector<std::string>{"feature", "main"}));
    ASSERT_TRUE(await(git.checkout("work", "feature")));
    st = await(git.status("work"));
    ASSERT_TRUE(st);
    EXPECT_EQ(st->current_branch, "feature");
    EXPECT_FALSE(st->branch_published);
    ASSERT_TRUE(await(git.checkout("work", "main")));
    ASSERT_TRUE(await(git.delete_branch("work", "feature")));
    br = await(git.branches("work"));
    ASSERT_TRUE(br);
    EXPECT_EQ(br->branches, std::vector<std::string>{"main"});
    // A commit can be checked out too (detached).
    ASSERT_TRUE(await(git.checkout("work", *hash)));

    // Errors name the operation and carry git's message.
    auto bad = await(git.checkout("work", "no-such-branch"));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().http_status(), 400);
    EXPECT_EQ(bad.error().operation(), "git_checkout");
    EXPECT_NE(bad.error().message().find("no-such-branch"), std::string::npos);
    auto not_repo = await(git.status("/tmp"));
    ASSERT_FALSE(not_repo);
    EXPECT_EQ(not_repo.error().operation(), "git_status");
    auto no_remote = await(git.clone(url + "-missing", "other"));
    ASSERT_FALSE(no_remote);
    EXPECT_EQ(no_remote.error().operation(), "git_clone");
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Git, PushSendsBranchesWithoutAnUpstreamAndPullBringsCommits) {
    auto sb = make();
    const auto url = make_remote(sb);
    auto git = sb.git();
    dt::git_clone_options main_branch{.branch = "main"};
    ASSERT_TRUE(await(git.clone(url, "work", std::move(main_branch))));
    ASSERT_TRUE(await(git.clone(url, "second")));
    dt::git_commit_options who{.author = "Ada", .email = "ada@example.com"};

    // A new branch, never pushed: it has no upstream. Daytona's daemon pushes it anyway.
    ASSERT_TRUE(await(git.create_branch("work", "feature")));
    ASSERT_TRUE(await(git.checkout("work", "feature")));
    ASSERT_TRUE(await(sb.fs().upload("work/f.txt", dt::upload_source::from_memory("f\n"))));
    ASSERT_TRUE(await(git.add("work", {"f.txt"})));
    auto feature = await(git.commit("work", "feature work", who));
    ASSERT_TRUE(feature) << feature.error();
    auto pushed = await(git.push("work"));
    ASSERT_TRUE(pushed) << pushed.error();
    EXPECT_EQ(remote_branches(sb), "feature\nmain\n");
    auto remote_head = await(sb.process().exec("git --git-dir=remote.git rev-parse feature"));
    ASSERT_TRUE(remote_head);
    EXPECT_EQ(remote_head->output, *feature + "\n");

    // main moves on in the first clone and is pushed; the second clone pulls it.
    ASSERT_TRUE(await(git.checkout("work", "main")));
    ASSERT_TRUE(await(sb.fs().upload("work/m.txt", dt::upload_source::from_memory("m\n"))));
    ASSERT_TRUE(await(git.add("work", {"m.txt"})));
    auto on_main = await(git.commit("work", "main work", who));
    ASSERT_TRUE(on_main) << on_main.error();
    ASSERT_TRUE(await(git.push("work")));
    ASSERT_TRUE(await(git.pull("second")));
    auto log = await(git.history("second"));
    ASSERT_TRUE(log) << log.error();
    ASSERT_FALSE(log->empty());
    EXPECT_EQ((*log)[0].hash, *on_main);
    auto m = await(sb.fs().download("second/m.txt"));
    ASSERT_TRUE(m) << m.error();
    EXPECT_EQ(*m, "m\n");

    // A rejected push (the remote moved on) is an error with git's message.
    ASSERT_TRUE(await(sb.fs().upload("second/s.txt", dt::upload_source::from_memory("s\n"))));
    ASSERT_TRUE(await(git.add("second", {"."})));
    ASSERT_TRUE(await(git.commit("second", "second work", who)));
    ASSERT_TRUE(await(git.push("second")));
    ASSERT_TRUE(await(sb.fs().upload("work/late.txt", dt::upload_source::from_memory("l\n"))));
    ASSERT_TRUE(await(git.add("work", {"."})));
    ASSERT_TRUE(await(git.commit("work", "late", who)));
    auto rejected = await(git.push("work"));
    ASSERT_FALSE(rejected);
    EXPECT_EQ(rejected.error().http_status(), 400);
    EXPECT_EQ(rejected.error().operation(), "git_push");
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Git, CredentialsStayOutOfErrorsAndTraces) {
    auto trace = temp_dir();
    auto opts = emulator_options();
    opts.trace_file = (trace.path / "trace.jsonl").string();
    dt::client c{io.get_executor(), opts};
    auto sb = await(c.create());
    ASSERT_TRUE(sb) << sb.error();
    const auto url = make_remote(*sb);
    const std::string password = "pw-9f8e7d6c5b4a";
    dt::git_clone_options with_creds{.credentials = dt::git_credentials{"ada", password}};
    ASSERT_TRUE(await(sb->git().clone(url, "work", std::move(with_creds))));
    auto pushed = await(sb->git().push("work", dt::git_credentials{"ada", password}));
    ASSERT_TRUE(pushed) << pushed.error();
    // A failing clone whose URL and body carry the password.
    dt::git_clone_options again{.credentials = dt::git_credentials{"ada", password}};
    auto failed = await(
        sb->git().clone("http://ada:" + password + "@127.0.0.1:1/r.git", "x", std::move(again)));
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().to_string().find(password), std::string::npos) << failed.error();
    EXPECT_EQ(failed.error().body_excerpt().find(password), std::string::npos);

    std::ifstream in(opts.trace_file);
    const std::string text(std::istreambuf_iterator<char>(in), {});
    EXPECT_NE(text.find(R"("operation":"git_clone")"), std::string::npos);
    EXPECT_NE(text.find(R"("operation":"git_push")"), std::string::npos);
    EXPECT_NE(text.find(R"("password":"[REDACTED]")"), std::string::npos);
    EXPECT_EQ(text.find(password), std::string::npos) << text;
    ASSERT_TRUE(await(sb->destroy()));
}
