// SPDX-License-Identifier: Apache-2.0
// The first API slice end to end: client -> HTTP over loopback -> emulator -> real processes.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

using namespace daytona_test;
using namespace std::chrono_literals;

namespace {

class E2E : public emulator_test {};

}  // namespace

TEST_F(E2E, CreateExecDelete) {
    auto sb = make({.labels = {{"purpose", "e2e"}}});
    EXPECT_EQ(sb.state(), dt::sandbox_state::started);
    EXPECT_FALSE(sb.id().empty());
    EXPECT_EQ(sb.info().labels.at("code-toolbox-language"), "python");
    EXPECT_EQ(sb.info().labels.at("purpose"), "e2e");

    auto r = await(sb.process().exec("echo hello from $(uname -s)"));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->exit_code, 0);
    EXPECT_EQ(r->output, "hello from Linux\n");

    ASSERT_TRUE(await(sb.destroy()));
    auto gone = await(client.get(sb.id()));
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error(), dt::condition::not_found);
    EXPECT_EQ(gone.error().http_status(), 404);
    EXPECT_NE(gone.error().message().find(sb.id()), std::string::npos);
}

TEST_F(E2E, ExecRunsRealProcessesWithCwdEnvAndExitCodes) {
    auto sb = make();
    auto r =
        await(sb.process().exec("mkdir -p work && cd work && echo $GREETING > f.txt && cat f.txt "
                                "&& pwd && echo oops >&2; exit 7",
                                {.env = {{"GREETING", "hi there"}}}));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->exit_code, 7);  // data, not an error
    EXPECT_NE(r->output.find("hi there\n"), std::string::npos);
    EXPECT_NE(r->output.find("/home/daytona/work\n"), std::string::npos);
    EXPECT_NE(r->output.find("oops\n"), std::string::npos);  // stderr merged

    auto cwd = await(sb.process().exec("cat f.txt && pwd", {.cwd = "/home/daytona/work"}));
    ASSERT_TRUE(cwd) << cwd.error();
    EXPECT_EQ(cwd->output.substr(0, 9), "hi there\n");

    auto rel = await(sb.process().exec("ls", {.cwd = "work"}));
    ASSERT_TRUE(rel);
    EXPECT_EQ(rel->output, "f.txt\n");
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(E2E, SandboxesAreSeparateDirectories) {
    auto a = make();
    auto b = make();
    ASSERT_TRUE(await(a.process().exec("echo a > mine.txt")));
    auto r = await(b.process().exec("ls"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->output, "");
    // The sandbox's files are a directory tree of the emulator's data directory.
    const auto tree = shared_emulator().data_dir() / "sandboxes" / a.id();
    EXPECT_TRUE(std::filesystem::exists(tree / "fs/home/daytona/mine.txt"));
    ASSERT_TRUE(await(a.destroy()));
    EXPECT_FALSE(std::filesystem::exists(tree));
    ASSERT_TRUE(await(b.destroy()));
}

TEST_F(E2E, CommandTimeoutIs408AndKillsTheGroup) {
    auto sb = make();
    auto start = std::chrono::steady_clock::now();
    auto r = await(sb.process().exec("sleep 30 & sleep 30", {.timeout = 1s}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::condition::timeout);
    EXPECT_EQ(r.error().http_status(), 408);
    EXPECT_EQ(r.error().service_code(), "REQUEST_TIMEOUT");
    EXPECT_EQ(r.error().operation(), "execute_command");
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(E2E, GetByIdOrNameAndList) {
    const std::string name = "e2e-named-" + std::to_string(::getpid());
    auto sb = make({.name = name, .labels = {{"suite", name}}});
    auto by_id = await(client.get(sb.id()));
    ASSERT_TRUE(by_id) << by_id.error();
    auto by_name = await(client.get(name));
    ASSERT_TRUE(by_name) << by_name.error();
    EXPECT_EQ(by_name->id(), sb.id());
    auto page = await(client.list({.labels = {{"suite", name}}}));
    ASSERT_TRUE(page) << page.error();
    ASSERT_EQ(page->items.size(), 1u);
    EXPECT_EQ(page->items[0].id(), sb.id());
    auto dup = await(client.create({.name = name}));
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error(), dt::condition::conflict);
    ASSERT_TRUE(await(client.destroy(name)));
}

TEST_F(E2E, CreateFromSnapshotName) {
    auto sb = make({.snapshot = "my-snapshot"});
    EXPECT_EQ(sb.info().snapshot, "my-snapshot");
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(E2E, WrongApiKeyIsTypedAndKeyFree) {
    auto opts = emulator_options();
    opts.api_key = "wrong-key-do-not-print-91c2";
    dt::client bad{io.get_executor(), opts};
    auto r = await(bad.create());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::condition::unauthorized);
    EXPECT_EQ(r.error().http_status(), 401);
    EXPECT_EQ(r.error().operation(), "create_sandbox");
    EXPECT_EQ(r.error().to_string().find(opts.api_key), std::string::npos);
    EXPECT_EQ(r.error().to_string().find(emulator_key), std::string::npos);
}

TEST_F(E2E, UnusableOptionsFailOnFirstUse) {
    dt::client none{io.get_executor(), {.api_url = shared_emulator().api_url()}};
    auto r = await(none.list());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::errc::missing_credentials);
    dt::client jwt{io.get_executor(), {.api_url = shared_emulator().api_url(), .jwt_token = "t"}};
    EXPECT_EQ(await(jwt.list()).error(), dt::errc::missing_credentials);
    dt::client badurl{io.get_executor(), {.api_url = "not a url", .api_key = "k"}};
    EXPECT_EQ(await(badurl.list()).error(), dt::errc::invalid_argument);
    dt::client inject{io.get_executor(),
                      {.api_url = shared_emulator().api_url(), .api_key = "k\r\nX-Evil: 1"}};
    auto i = await(inject.list());
    EXPECT_EQ(i.error(), dt::errc::invalid_argument);
    EXPECT_EQ(i.error().to_string().find("X-Evil"), std::string::npos);
}

TEST_F(E2E, BadRequestsGetClearErrors) {
    auto sb = make();
    auto empty = await(sb.process().exec("   "));
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error(), dt::condition::bad_request);
    auto missing = await(sb.process().exec("ls", {.cwd = "/no/such/dir"}));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().http_status(), 400);
    // ".." stops at the sandbox's root, as in a chroot: this is the sandbox's /tmp.
    auto clamped = await(sb.process().exec("touch clamped && ls", {.cwd = "/../../tmp"}));
    ASSERT_TRUE(clamped) << clamped.error();
    EXPECT_NE(clamped->output.find("clamped"), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(shared_emulator().data_dir() / "sandboxes" / sb.id() /
                                        "fs/tmp/clamped"));
    auto badenv = await(sb.process().exec("env", {.env = {{"BAD NAME", "x"}}}));
    ASSERT_FALSE(badenv);
    EXPECT_EQ(badenv.error().http_status(), 400);
    auto lang = await(client.create({.language = "cobol"}));
    EXPECT_EQ(lang.error(), dt::errc::invalid_argument);
    auto empty_id = await(client.get(""));
    EXPECT_EQ(empty_id.error(), dt::errc::invalid_argument);
    ASSERT_TRUE(await(sb.destroy()));
    // The toolbox of a deleted sandbox is gone too.
    auto after = await(sb.process().exec("true"));
    ASSERT_FALSE(after);
    EXPECT_EQ(after.error(), dt::condition::not_found);
}

TEST_F(E2E, OddIdsStayInOnePathSegment) {
    auto r = await(client.get("../sandbox?x=1#frag"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::condition::not_found);
}

TEST_F(E2E, OutputBytesSurviveExactly) {
    auto sb = make();
    auto r = await(
        sb.process().exec(R"(printf 'tab\tquote" backslash\\ unicode: \303\251 \342\202\254\n')"));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->output, "tab\tquote\" backslash\\ unicode: \xc3\xa9 \xe2\x82\xac\n");
    auto bin = await(sb.process().exec(R"(printf 'a\377b')"));
    ASSERT_TRUE(bin) << bin.error();
    EXPECT_EQ(bin->output,
              "a\xEF\xBF\xBD"
              "b");  // invalid UTF-8 becomes U+FFFD, as the daemon does
    auto big = await(sb.process().exec("head -c 3000000 /dev/zero | tr '\\0' x"));
    ASSERT_TRUE(big) << big.error();
    EXPECT_EQ(big->output.size(), 3000000u);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(E2E, ManyConcurrentExecsOnOneClient) {
    auto sb = make();
    int done = 0, ok = 0;
    for (int i = 0; i < 32; ++i)
        asio::co_spawn(io, sb.process().exec("echo " + std::to_string(i)),
                       [&, i](std::exception_ptr, dt::result<dt::exec_result> r) {
                           ++done;
                           ok += r && r->output == std::to_string(i) + "\n";
                       });
    io.restart();
    io.run();
    EXPECT_EQ(done, 32);
    EXPECT_EQ(ok, 32);
    ASSERT_TRUE(await(sb.destroy()));
}

namespace {
// The overloads without parameters exist because GCC 12 destroys a defaulted or braced
// class-type argument twice when the call sits inside co_await; this runs them that way.
asio::awaitable<int> from_inside_a_coroutine(dt::client_options options) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};
    auto sb = co_await client.create();
    if (!sb) co_return 1;
    auto page = co_await client.list();
    if (!page || page->items.empty()) co_return 2;
    auto r = co_await sb->process().exec("echo a-command-long-enough-to-live-on-the-heap");
    if (!r || r->output != "a-command-long-enough-to-live-on-the-heap\n") co_return 3;
    dt::exec_options named{.env = {{"LONG_ENOUGH_TO_ALLOCATE", "value-long-enough-to-allocate"}}};
    auto e = co_await sb->process().exec("echo $LONG_ENOUGH_TO_ALLOCATE", std::move(named));
    if (!e || e->output != "value-long-enough-to-allocate\n") co_return 4;
    co_return (co_await sb->destroy()) ? 0 : 5;
}
}  // namespace

TEST_F(E2E, CallsFromInsideCoroutines) {
    EXPECT_EQ(await(from_inside_a_coroutine(emulator_options())), 0);
}

namespace {
// One task of the multi-threaded test: exec, a file round trip and a followed session command,
// each checked; 0 when every step gave the right answer.
asio::awaitable<int> mixed_task(dt::sandbox sb, int i) {
    const std::string n = std::to_string(i);
    auto r = co_await sb.process().exec("echo task-" + n);
    if (!r || r->output != "task-" + n + "\n") co_return 1;
    const std::string path = "/tmp/mt-" + n + ".txt",
                      data(4096 + i, static_cast<char>('a' + i % 26));
    auto up = co_await sb.fs().upload(path, dt::upload_source::from_memory(data));
    if (!up) co_return 2;
    auto down = co_await sb.fs().download(path);
    if (!down || *down != data) co_return 3;
    auto s = co_await sb.process().create_session("mt-" + n);
    if (!s) co_return 4;
    auto cmd = co_await s->exec_async("echo out-" + n + "; echo err-" + n + " >&2");
    if (!cmd) co_return 5;
    std::string out, err;
    auto code = co_await s->follow(
        *cmd, [&](std::string_view c) { out.append(c); },
        [&](std::string_view c) { err.append(c); });
    if (!code || *code != 0 || out != "out-" + n + "\n" || err != "err-" + n + "\n") co_return 6;
    co_return (co_await s->destroy()) ? 0 : 7;
}

asio::awaitable<void> mixed_tasks(dt::client& client, int tasks, std::atomic<int>& ok,
                                  std::atomic<int>& failed) {
    auto ex = co_await asio::this_coro::executor;
    std::vector<dt::sandbox> sandboxes;
    for (int i = 0; i < 2; ++i) {
        auto sb = co_await client.create();  // the wait listens on the event channel
        if (!sb) {
            failed += tasks;
            co_return;
        }
        sandboxes.push_back(std::move(*sb));
    }
    auto left = std::make_shared<int>(tasks);
    asio::steady_timer all_done(ex, asio::steady_timer::time_point::max());
    for (int i = 0; i < tasks; ++i)
        asio::co_spawn(ex, mixed_task(sandboxes[static_cast<std::size_t>(i) % 2], i),
                       [&, left](std::exception_ptr e, int rc) {
                           (e || rc != 0 ? failed : ok) += 1;
                           if (--*left == 0) all_done.cancel();
                       });
    std::error_code ec;
    co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    for (auto& sb : sandboxes)
        if (!co_await sb.destroy()) ++failed;
}
}  // namespace

// The documented way to use a client from an io_context run by several threads: its executor
// is a strand. Under ThreadSanitizer (CI) this is the check that nothing in the client escapes
// that strand: pool, event channel, WebSockets and timers included.
TEST(E2EThreads, ManyThreadsShareOneClientThroughAStrand) {
    asio::io_context mt(4);
    auto strand = asio::make_strand(mt);
    dt::client client{strand, emulator_options()};
    std::atomic<int> ok{0}, failed{0};
    asio::co_spawn(strand, mixed_tasks(client, 24, ok, failed), asio::detached);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] { mt.run(); });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(ok.load(), 24);
    EXPECT_EQ(failed.load(), 0);
}
